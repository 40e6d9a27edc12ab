"""A real browser logs in as the Pujiang officer and sees the cockpit drawn, without errors."""

import os

import pytest

from tests.browser.conftest import sign_in
from tests.dashboard.conftest import build_cluster

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SERIOUS = {"serious", "critical"}


@pytest.fixture
def cluster_data(django_db_serialized_rollback, live_server):
    """Data made through the services; serialized rollback restores the reference data afterwards."""
    from tests import factories

    officer = factories.officer("pujiang", username="pj_browser")
    district = factories.district_officer(username="mh_browser")
    build_cluster(officer=officer, district_officer=district)
    return officer


def _chart_series(page, key: str):
    return page.evaluate(
        """key => {
            const chart = echarts.getInstanceByDom(document.getElementById('chart-' + key));
            return chart ? chart.getOption().series.map(s => s.data) : null;
        }""",
        key,
    )


@pytest.mark.browser
def test_an_officer_logs_in_and_sees_the_cockpit_charts_drawn(page, live_server, cluster_data):
    # Given the Pujiang officer
    # When he logs in through the form, with his password and the code of his authenticator app
    sign_in(page, live_server, "pj_browser")

    # Then he lands on the cockpit of his town
    page.wait_for_url(f"{live_server.url}/cockpit/")
    assert "浦江镇" in page.locator("h1").inner_text()

    # And every chart is drawn on a canvas of non-zero size
    page.wait_for_selector("#chart-revenue_by_year canvas")
    for key in (
        "revenue_by_year",
        "enterprises_by_year",
        "by_cluster",
        "by_park",
        "key_enterprises_by_year",
        "gene_related",
        "top_enterprises",
    ):
        box = page.locator(f"#chart-{key} canvas").first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, key

    # And the revenue chart holds the figures, in 亿元 (188,000,000.75 yuan → 1.88)
    revenue, growth = _chart_series(page, "revenue_by_year")
    assert revenue == [0, 0, 0, 1.2, 1.88]
    assert growth[-1] == 0.5667

    # And nothing went wrong: no console errors, no CSP violations, no failed requests
    assert page.evaluate("window.__csp") == []
    assert page.problems == []


@pytest.mark.browser
def test_the_cockpit_has_no_serious_accessibility_violations(page, live_server, cluster_data):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(page, live_server, "pj_browser")
    page.wait_for_selector("#chart-top_enterprises canvas")
    page.locator("details.data-table summary").first.click()  # an open table is checked too

    results = Axe().run(page)

    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], results.generate_report()
    assert page.problems == []
