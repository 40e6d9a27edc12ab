"""Every page of the platform, opened in a real browser at phone width (375×800, zh-CN) by a user who may see
it: no serious or critical axe-core violation, no sideways scrolling of the document, <html lang> set, nothing
requested from outside the platform's origin, no console error, CSP violation or failed sub-request.

Which pages, and as whom: tests/browser/crawl_plan.py (every URL pattern is visited or listed with a reason).
All failures of a run are reported together, with a screenshot of each failing page under
$SANLIAN_VAR_DIR/screenshots/crawl/.
"""

import os
import time

import pytest

from tests.browser.conftest import TEST_TOTP_KEY, totp_code
from tests.browser.crawl_checks import PHONE, Watcher, check_page, screenshot
from tests.browser.crawl_plan import NOT_PAGES, PASSWORD, ROLE_USERS, VISIT, crawl_world, page_urls, post_only_urls
from tests.security.walk import url_patterns

# pages drawn by their scripts after the load: checked once this is on the page
READY = {"api:openapi-view": ".opblock", "dashboard:cockpit": "#chart-revenue_by_year canvas"}


def test_every_url_pattern_is_crawled_or_listed_with_a_reason():
    patterns = set(url_patterns()) | {"^media/(?P<path>.*)$"}

    missing = sorted(patterns - set(VISIT) - set(NOT_PAGES))
    gone = sorted((set(VISIT) | set(NOT_PAGES)) - patterns)

    assert not missing, (
        "URL patterns the crawl neither visits nor lists; add each to VISIT (a page, with the role that sees it) "
        f"or NOT_PAGES (why it is not a page) in tests/browser/crawl_plan.py: {missing}"
    )
    assert not gone, f"crawl_plan.py names patterns that no longer exist: {gone}"


@pytest.fixture
def crawl(django_db_serialized_rollback, live_server):
    """The walk's world, committed so that the live server sees it; serialized rollback restores the
    reference data afterwards."""
    return crawl_world()


def _sign_in(page, base: str, username: str, on_second_factor) -> None:
    from sanlian.core.account_services import otp_confirmed_device, otp_device_install
    from sanlian.core.models import User
    from sanlian.core.passwords import is_privileged

    user = User.objects.get(username=username)
    device = None
    if is_privileged(user) and username != ROLE_USERS["enrolling"]:
        device = otp_confirmed_device(user) or otp_device_install(user=user, key_hex=TEST_TOTP_KEY)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if device is not None:
        page.wait_for_url("**/account/otp/verify/**")
        on_second_factor()
        page.fill("#id_token", totp_code(device))
        page.click("main button.primary")
        page.wait_for_load_state()


@pytest.mark.browser
def test_every_page_at_phone_width(browser, live_server, crawl, settings):
    settings.SANLIAN_OTP_REQUIRED = True
    started = time.monotonic()
    base = live_server.url
    shots = settings.VAR_DIR / "screenshots" / "crawl"
    failures: dict[str, list[str]] = {}
    visited = {role: 0 for role in ROLE_USERS}
    watcher = Watcher(base)

    def inspect(page, role: str, key: str, url: str) -> None:
        problems = check_page(page)
        problems += watcher.take()  # after axe's run, so that requests the page made meanwhile are counted
        visited[role] += 1
        if problems:
            name = f"{role}-{key}"
            problems.append(f"screenshot: {screenshot(page, shots, name)}")
            failures[f"{key} ({url}) as {role}"] = problems

    plan = page_urls(crawl)
    only = set(filter(None, os.environ.get("SANLIAN_CRAWL_ONLY", "").split(",")))  # while fixing: a few patterns
    if only:
        plan = {role: [(k, u) for k, u in pages if k in only] for role, pages in plan.items()}
        plan = {role: pages for role, pages in plan.items() if pages}
    posts = post_only_urls(crawl)
    post_answers = {}
    for role, username in ROLE_USERS.items():
        if role not in plan:
            continue
        context = browser.new_context(locale="zh-CN", viewport=PHONE)
        watcher.attach(context)
        page = context.new_page()
        if role == "enrolling":
            # signs in with the password only: an officer without a second factor lands on its enrolment
            _sign_in(page, base, username, None)
            page.wait_for_url("**/account/otp/enrol/**")
        elif username:
            _sign_in(page, base, username, lambda p=page, r=role: r == "officer" and inspect(
                p, r, "account-otp-verify", p.url.removeprefix(base)
            ))  # fmt: skip
        watcher.take()  # what went wrong while signing in is the sign-in's business (test_account_smoke)
        if role == "officer":
            post_answers = {key: context.request.get(base + url, max_redirects=0).status for key, url in posts}
        for key, url in plan[role]:
            if key == "account-otp-verify":
                continue  # seen during the sign-in above
            if key == "account-otp-enrol":
                inspect(page, role, key, url)
                continue
            response = page.goto(base + url)
            status = response.status if response else 0
            if status != 200 or not page.url.startswith(base + url.split("?")[0]):
                failures[f"{key} ({url}) as {role}"] = [f"answered {status} at {page.url}"]
                watcher.take()
                continue
            watcher.settle(page, READY.get(key))
            inspect(page, role, key, url)
        context.close()

    seconds = time.monotonic() - started
    total = sum(visited.values())
    summary = f"{total} pages in {seconds:.0f} s, per role: {visited}; {len(NOT_PAGES)} patterns listed as not pages"
    print(summary)
    report = "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in sorted(failures.items()))
    assert not failures, f"{len(failures)} of {total} pages fail ({summary}):\n{report}"
    assert only or total == len(VISIT), f"visited {total} pages of {len(VISIT)}"
    not_post = {key: status for key, status in post_answers.items() if status != 405}
    assert not not_post, f"listed as POST-only but a GET does not answer 405: {not_post}"


@pytest.fixture
def officer(django_db_serialized_rollback, live_server):
    from tests import factories

    return factories.officer("pujiang", username="pj_nav")


def _top_entries(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.main-nav > ul > li')].map(li => {
            const r = li.getBoundingClientRect();
            return {text: li.querySelector('summary, a').textContent.trim(), top: r.top, right: r.right};
        })"""
    )


@pytest.mark.browser
def test_the_officers_navigation_is_grouped_one_line_at_desktop_and_opens_with_the_keyboard(
    browser, live_server, officer, settings
):
    settings.SANLIAN_OTP_REQUIRED = True
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _sign_in(page, live_server.url, "pj_nav", lambda: None)

    # At desktop width the officer's ~20 destinations are a few menus on one line
    entries = _top_entries(page)
    assert [e["text"] for e in entries][:3] == ["产业", "政策", "服务"]
    tops = [e["top"] for e in entries]
    assert len(entries) <= 8 and max(tops) - min(tops) < 10, entries  # one line (a line is ~25 px)

    # The keyboard opens a menu (Enter on its summary) and reaches its links; one menu is open at a time
    cockpit = page.locator(".main-nav a[href='/cockpit/']")
    assert not cockpit.is_visible()
    page.focus(".main-nav summary >> nth=0")
    page.keyboard.press("Enter")
    assert cockpit.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/cockpit/"
    page.focus(".main-nav summary >> nth=1")
    page.keyboard.press("Enter")
    assert not cockpit.is_visible() and page.locator(".main-nav a[href='/policies/manage/']").is_visible()

    # On a phone the navigation and tools fold behind one 菜单 button (the 关怀版 switch stays out); opened,
    # every menu fits the screen; Escape folds it again and gives the focus back to the button
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/inbox/")
    menu = page.locator(".menu-toggle")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.locator(".main-nav").is_visible() and page.locator(".care-toggle button").is_visible()
    assert page.evaluate("document.querySelector('.site-header').offsetHeight") < 160
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and page.locator(".main-nav").is_visible()
    for opened in (False, True):
        if opened:
            page.click(".main-nav summary >> nth=0")
            assert cockpit.is_visible()
        assert all(e["right"] <= 375 for e in _top_entries(page))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.focus(".main-nav summary >> nth=0")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not page.locator(".main-nav").is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-toggle"
    context.close()
