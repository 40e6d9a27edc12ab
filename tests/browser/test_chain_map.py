"""A real browser opens the chain map as the Pujiang officer: the graph is drawn, the size toggle redraws
it, a click on a node opens the node's page, and nothing breaks the CSP or the console."""

import os

import pytest

from tests.browser.conftest import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def chain_data(django_db_serialized_rollback, live_server):
    """A device maker (M5, 1亿元) and a sequencing firm (M6, 0.2亿元) in 浦江镇, made through the services."""
    from tests import factories
    from tests.dashboard.conftest import approved_report

    officer = factories.officer("pujiang", username="pj_chain_browser")
    admin = factories.superuser()
    devices = factories.enterprise(actor=admin, name="浦江图谱器械有限公司", chain_nodes=("M5",))
    genes = factories.enterprise(actor=admin, name="浦江图谱基因有限公司", chain_nodes=("M6",))
    approved_report(devices, 2023, "100000000.00", officer=officer, author=admin)
    approved_report(genes, 2023, "20000000.00", officer=officer, author=admin)
    return officer


def _symbol_sizes(page) -> dict:
    return page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('chain-map'));
            const sizes = {};
            chart.getOption().series[0].data.forEach(n => { sizes[n.id] = n.symbolSize; });
            return sizes;
        }"""
    )


@pytest.mark.browser
def test_the_chain_map_draws_its_graph_without_console_errors_or_csp_violations(page, live_server, chain_data):
    # Given the Pujiang officer, logged in through the form
    sign_in(page, live_server, "pj_chain_browser")
    page.wait_for_url(f"{live_server.url}/cockpit/")

    # When he opens the chain map (without animations, so that a click lands on a drawn node)
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/chain/")

    # Then the graph is drawn on a canvas of non-zero size, one circle per chain node
    page.wait_for_selector("#chain-map canvas")
    box = page.locator("#chain-map canvas").first.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 400
    sizes = _symbol_sizes(page)
    assert len(sizes) == 21
    assert sizes["M5"] == sizes["M6"]  # one enterprise each

    # And choosing revenue redraws the nodes by revenue, without a reload
    page.check("input[name=size][value=revenue]")
    page.wait_for_function(
        """() => {
            const o = echarts.getInstanceByDom(document.getElementById('chain-map')).getOption();
            const d = Object.fromEntries(o.series[0].data.map(n => [n.id, n.symbolSize]));
            return d.M5 > d.M6;
        }"""
    )

    # And the map page broke no rule of the CSP
    assert page.evaluate("window.__csp") == []

    # And clicking a node opens its page
    x, y = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('chain-map'));
            const node = chart.getOption().series[0].data.find(n => n.id === 'M5');
            return chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
        }"""
    )
    page.locator("#chain-map").scroll_into_view_if_needed()
    chart_box = page.locator("#chain-map").bounding_box()
    page.mouse.click(chart_box["x"] + x, chart_box["y"] + y)
    page.wait_for_url(f"{live_server.url}/chain/nodes/M5/?scope=pujiang")
    assert "浦江图谱器械有限公司" in page.content()

    # And nothing went wrong: no console errors, no CSP violations, no failed requests
    assert page.evaluate("window.__csp") == []
    assert page.problems == []
