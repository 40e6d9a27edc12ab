"""关怀版 (care mode) in a real browser: one button on every page, larger type, AAA contrast (axe's
color-contrast-enhanced), 44px targets, one column with the charts' data tables open, remembered by the cookie
and by the account on another device; axe finds nothing serious or critical in care mode, at 375px too."""

import os

import pytest

from tests.browser.conftest import sign_in
from tests.browser.keyboard import CHARTS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SERIOUS = {"serious", "critical"}
# axe in care mode: its usual rules plus the AAA contrast rule (7:1 for text, 4.5:1 for large text).
AAA = {"rules": {"color-contrast-enhanced": {"enabled": True}}, "resultTypes": ["violations"]}


def axe_problems(page) -> tuple[list, object]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AAA)
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS or v["id"] == "color-contrast-enhanced"
    ]
    return bad, results


def px(page, selector: str, prop: str) -> float:
    return page.evaluate("([s, p]) => parseFloat(getComputedStyle(document.querySelector(s))[p])", [selector, prop])


SMALL_TARGETS = """() => [...document.querySelectorAll(
  'button, .button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), summary, .main-nav a')]
  .filter(el => el.getClientRects().length && !el.closest('details:not([open])') && !el.classList.contains('skip-link'))
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
  .filter(([, h]) => h < 44)"""

NOT_UNDERLINED = """() => [...document.querySelectorAll('main a[href], .site-header a[href]')]
  .filter(a => a.getClientRects().length && !getComputedStyle(a).textDecorationLine.includes('underline'))
  .map(a => a.outerHTML.slice(0, 80))"""


@pytest.fixture
def people(django_db_serialized_rollback, live_server):
    from tests import factories
    from tests.dashboard.conftest import build_cluster

    officer = factories.officer("pujiang", username="pj_care")
    district = factories.district_officer(username="mh_care")
    build_cluster(officer=officer, district_officer=district)
    admin = factories.superuser()
    company = factories.enterprise(actor=admin, name="浦江关怀生物科技有限公司", chain_nodes=("M3",))
    factories.enterprise_user(company, username="ent_care")
    return {"officer": officer, "company": company}


@pytest.mark.browser
def test_a_visitor_turns_care_mode_on_at_the_login_page_and_the_page_changes_as_the_guideline_asks(
    page, live_server, people
):
    page.goto(live_server.url + "/login/")
    body_size = px(page, "body", "fontSize")
    # Before: normal type, and the AAA contrast rule finds the usual grey labels (the check bites)
    assert body_size == 16
    before, _ = axe_problems(page)
    assert any(p.startswith("color-contrast-enhanced") for p in before)

    toggle = page.locator(".care-toggle button")
    assert toggle.get_attribute("aria-pressed") == "false"
    with page.expect_navigation():
        toggle.click()

    assert page.url.endswith("/login/")  # back on the same page
    assert page.locator("body").get_attribute("class") == "care-mode"
    assert page.locator(".care-toggle button").get_attribute("aria-pressed") == "true"
    # Larger type: 20px text and labels, headings scaled, more line spacing
    assert px(page, "body", "fontSize") >= 20
    assert px(page, "label[for=id_username]", "fontSize") >= 20
    assert px(page, "h1", "fontSize") >= 1.6 * 20
    assert px(page, "body", "lineHeight") >= 1.7 * 20
    # Larger targets, underlined links, a thick focus ring
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate(NOT_UNDERLINED) == []
    page.focus("#id_password")
    page.keyboard.press("Shift+Tab")  # keyboard focus, so :focus-visible applies
    assert px(page, "#id_username", "outlineWidth") >= 4
    # AAA contrast and nothing serious for axe
    problems, results = axe_problems(page)
    assert problems == [], results.generate_report()
    # Remembered by the cookie for a year
    cookie = next(c for c in page.context.cookies() if c["name"] == "care_mode")
    assert cookie["value"] == "1" and cookie["expires"] > 0

    # And off again with the same button
    with page.expect_navigation():
        page.locator(".care-toggle button").click()
    assert page.locator("body").get_attribute("class") == ""
    assert px(page, "body", "fontSize") == 16


@pytest.mark.browser
def test_an_officer_sees_the_cockpit_and_chain_map_in_care_mode_in_one_column_with_the_data_tables_open(
    page, live_server, people
):
    sign_in(page, live_server, "pj_care")
    page.wait_for_selector("#chart-revenue_by_year canvas")
    with page.expect_navigation():
        page.locator(".care-toggle button").click()
    assert page.url.endswith("/cockpit/")
    page.wait_for_selector("#chart-revenue_by_year canvas")

    # One column: every chart card starts at the same left edge and spans the main column
    lefts = page.evaluate(
        "() => [...document.querySelectorAll('.cockpit-grid > .card')]"
        ".map(c => Math.round(c.getBoundingClientRect().left))"
    )
    assert len(lefts) >= 7 and len(set(lefts)) == 1
    main_width = page.evaluate("document.querySelector('main').clientWidth")
    card_width = page.evaluate("document.querySelector('.cockpit-grid > .card').getBoundingClientRect().width")
    assert card_width > 0.85 * main_width
    # The charts draw their text at 16px, and every chart's data table is open beneath it
    size = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-revenue_by_year'))"
        ".getOption().xAxis[0].axisLabel.fontSize"
    )
    assert size >= 16
    for path in ("/cockpit/", "/chain/"):
        page.goto(live_server.url + path)
        page.wait_for_selector("[_echarts_instance_] canvas")
        charts = page.evaluate(CHARTS)
        assert charts and all(c["tableVisible"] and c["role"] == "img" and c["label"] for c in charts), charts
        assert page.evaluate(SMALL_TARGETS) == [], path
        problems, results = axe_problems(page)
        assert problems == [], f"{path}: {results.generate_report()}"
    assert page.evaluate("window.__csp") == []
    assert page.problems == []


@pytest.mark.browser
def test_care_mode_follows_the_account_to_another_device(browser, live_server, people):
    # On the laptop the enterprise user turns care mode on while signed in
    laptop = browser.new_context(locale="zh-CN").new_page()
    sign_in(laptop, live_server, "ent_care")
    with laptop.expect_navigation():
        laptop.locator(".care-toggle button").click()
    assert laptop.locator("body").get_attribute("class") == "care-mode"

    # On a phone that never saw the button, signing in brings care mode, and it stays after signing out
    phone_context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    phone = phone_context.new_page()
    phone.goto(live_server.url + "/login/")
    assert phone.locator("body").get_attribute("class") == ""
    sign_in(phone, live_server, "ent_care")
    assert phone.locator("body").get_attribute("class") == "care-mode"
    assert phone.locator(".care-toggle button").get_attribute("aria-pressed") == "true"
    # At 375px: nothing serious for axe, AAA contrast, and the header with the toggle fits the phone (wide
    # tables of some pages are the phone fixes' business, in care mode or not)
    problems, results = axe_problems(phone)
    assert problems == [], results.generate_report()
    assert phone.evaluate("document.querySelector('.site-header').scrollWidth") <= 375
    box = phone.locator(".care-toggle button").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 44
    phone.locator(".menu-toggle").click()  # on a phone, signing out is in the folded menu
    with phone.expect_navigation():
        phone.locator("form[action='/logout/'] button").click()
    phone.goto(live_server.url + "/login/")
    assert phone.locator("body").get_attribute("class") == "care-mode"
    laptop.context.close()
    phone_context.close()


@pytest.mark.browser
def test_the_second_factor_page_has_the_toggle_and_passes_axe_in_care_mode(page, live_server, people):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "pj_care")
    page.fill("#id_password", "pw-123456")
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/otp/**")
    with page.expect_navigation():
        page.locator(".care-toggle button").click()
    assert "/account/otp/" in page.url
    assert page.locator("body").get_attribute("class") == "care-mode"
    problems, results = axe_problems(page)
    assert problems == [], results.generate_report()
    assert page.evaluate(SMALL_TARGETS) == []
