"""The charts write numbers in the page's language (data-lang): 亿元/万元 in Chinese, CNY million in English."""

import os
import re

import pytest

from tests.browser.conftest import sign_in
from tests.dashboard.conftest import build_cluster

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def cluster_data(django_db_serialized_rollback, live_server):
    """Pujiang's latest revenue is 188,000,000.75 yuan (tests/dashboard/conftest.py); M5 makes 100 million."""
    from tests import factories

    officer = factories.officer("pujiang", username="pj_formats")
    district = factories.district_officer(username="mh_formats")
    build_cluster(officer=officer, district_officer=district)
    return officer


def choose(page, live_server, lang: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])


REVENUE_CHART = """() => {
    const option = echarts.getInstanceByDom(document.getElementById('chart-revenue_by_year')).getOption();
    const revenue = option.series[0];
    return {
        axis: option.yAxis[0].name,
        data: revenue.data,
        tooltip: revenue.tooltip.valueFormatter(revenue.data[revenue.data.length - 1]),
        tick: option.yAxis[0].axisLabel.formatter(12000),
    };
}"""

NODE_TOOLTIP = """() => {
    const option = echarts.getInstanceByDom(document.getElementById('chain-map')).getOption();
    const node = option.series[0].data.find(n => n.id === 'M5');
    return option.tooltip[0].formatter({dataType: 'node', data: node});
}"""


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "axis", "data", "tooltip", "node"),
    [
        ("zh-hans", "营业收入(亿元)", [0, 0, 0, 1.2, 1.88], "1.88亿元", r"营业收入:[\d,]+\.\d\d(亿元|万元)"),
        (
            "en",
            "Revenue (CNY million)",
            [0, 0, 0, 120, 188],
            "CNY 188.00 million",
            r"Revenue:CNY [\d,]+\.\d\d (million|billion)",
        ),
    ],
)
def test_cockpit_and_chain_map_numbers_follow_the_language(
    page, live_server, cluster_data, lang, axis, data, tooltip, node
):
    sign_in(page, live_server, "pj_formats")
    choose(page, live_server, lang)

    page.goto(f"{live_server.url}/cockpit/")
    page.wait_for_selector("#chart-revenue_by_year canvas")
    chart = page.evaluate(REVENUE_CHART)
    assert chart == {"axis": axis, "data": data, "tooltip": tooltip, "tick": "12,000"}

    page.goto(f"{live_server.url}/chain/")
    page.wait_for_selector("#chain-map canvas")
    assert re.search(node, page.evaluate(NODE_TOOLTIP))

    assert page.evaluate("window.__csp") == []
    assert page.problems == []
