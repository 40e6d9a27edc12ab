"""Everything works by keyboard: on the key pages every link, button and field is reached by Tab, its focus is
seen, and no widget keeps the focus. The graphs have keyboard ways in (the chain map's node list, the
cockpit charts' arrow keys), and every chart has its data table."""

import os
from datetime import timedelta

import pytest

from tests.browser.conftest import sign_in
from tests.browser.keyboard import ALL_CHARTS_DRAWN, CHARTS, assert_keyboard_complete

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def town(django_db_serialized_rollback, live_server):
    """Pujiang's cluster (cockpit, chain map), an enterprise user, a published policy and an event ahead."""
    from django.utils import timezone

    from tests import factories
    from tests.community.event_helpers import published_event
    from tests.dashboard.conftest import build_cluster
    from tests.policies.helpers import number_parameter, published_policy

    officer = factories.officer("pujiang", username="pj_keys")
    district = factories.district_officer(username="mh_keys")
    build_cluster(officer=officer, district_officer=district)
    admin = factories.superuser()
    company = factories.enterprise(actor=admin, name="浦江键盘生物科技有限公司", chain_nodes=("M3",))
    factories.enterprise_user(company, username="ent_keys")
    number_parameter(officer)
    published_policy(officer)
    now = timezone.now()
    event = published_event(
        officer,
        title="浦江镇键盘无障碍沙龙",
        starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=20, hours=3),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=19),
    )
    return {"event": event, "company": company}


@pytest.mark.browser
def test_an_officer_reaches_every_control_of_the_cockpit_chain_map_and_events_by_tab(page, live_server, town):
    sign_in(page, live_server, "pj_keys")
    page.emulate_media(reduced_motion="reduce")
    counts = {}
    for path in ("/cockpit/", "/chain/", "/chain/events/", "/events/", f"/events/{town['event'].pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        counts[path] = assert_keyboard_complete(page, path)
    # The charts themselves are stops: the cockpit's (arrow keys) and the chain map's node list links.
    assert counts["/cockpit/"] > 20 and counts["/chain/"] > 21
    assert page.problems == []


@pytest.mark.browser
def test_an_enterprise_user_reaches_every_control_of_policy_match_and_a_form_with_uploads(page, live_server, town):
    sign_in(page, live_server, "ent_keys")
    for path in ("/policies/mine/", "/policies/", "/desk/requests/new/", f"/events/{town['event'].pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert_keyboard_complete(page, path)
    # The upload field is a stop of its own
    page.goto(live_server.url + "/desk/requests/new/")
    assert page.locator("input[type=file]").count() >= 1
    assert page.problems == []


@pytest.mark.browser
def test_the_login_page_and_the_care_toggle_work_by_keyboard_alone(page, live_server, town):
    page.goto(live_server.url + "/login/")
    assert_keyboard_complete(page, "/login/")
    # Tab to the care-mode toggle and press Space: the page comes back in care mode, the focus ring thicker
    toggle = page.locator(".care-toggle button")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.locator("body").get_attribute("class") == "care-mode"
    assert page.locator(".care-toggle button").get_attribute("aria-pressed") == "true"
    assert_keyboard_complete(page, "/login/ in care mode")
    # Signing in by keyboard: type, Tab, type, Enter
    page.focus("#id_username")
    page.keyboard.type("ent_keys")
    page.keyboard.press("Tab")
    page.keyboard.type("pw-123456")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"/enterprises/{town['company'].pk}/" in page.url


@pytest.mark.browser
def test_the_chain_maps_node_list_highlights_each_node_in_the_graph(page, live_server, town):
    sign_in(page, live_server, "pj_keys")
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + "/chain/")
    page.wait_for_selector("#chain-map canvas")
    links = page.locator(".chain-node-list a[data-node]")
    assert links.count() == 21  # one per chain node, as the graph
    link = page.locator(".chain-node-list a[data-node=M5]")
    link.focus()
    # The focused node's tooltip shows in the graph, as on hover
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chain-map div')].some(d => d.style.display !== 'none'"
        " && d.innerText.includes('M5 ') && getComputedStyle(d).opacity !== '0')"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/chain/nodes/M5/" in page.url or "M5" in page.url


@pytest.mark.browser
def test_a_cockpit_chart_steps_through_its_items_with_the_arrow_keys(page, live_server, town):
    sign_in(page, live_server, "pj_keys")
    page.emulate_media(reduced_motion="reduce")
    page.wait_for_selector("#chart-revenue_by_year canvas")
    chart = page.locator("#chart-revenue_by_year")
    assert chart.get_attribute("tabindex") == "0"
    years = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-revenue_by_year')).getOption().xAxis[0].data"
    )
    shows = "y => [...document.querySelectorAll('#chart-revenue_by_year div')].some(d => d.innerText.startsWith(y))"
    chart.focus()
    page.keyboard.press("End")  # the last year's tooltip
    page.wait_for_function(shows, arg=str(years[-1]))
    page.keyboard.press("ArrowLeft")  # one year back
    page.wait_for_function(shows, arg=str(years[-2]))
    page.keyboard.press("Home")
    page.wait_for_function(shows, arg=str(years[0]))
    # Tab leaves the chart: no trap
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "chart-revenue_by_year"


@pytest.mark.browser
def test_every_chart_has_role_img_a_label_and_a_data_table(page, live_server, town):
    sign_in(page, live_server, "pj_keys")
    for path in ("/cockpit/", "/chain/"):
        page.goto(live_server.url + path)
        page.wait_for_selector("[_echarts_instance_] canvas")
        page.wait_for_function(ALL_CHARTS_DRAWN)
        charts = page.evaluate(CHARTS)
        assert charts, path
        for chart in charts:
            assert chart["drawn"], chart
            assert chart["role"] == "img" and chart["label"], chart
            assert chart["table"] == "TABLE" and chart["rows"] > 0, chart
