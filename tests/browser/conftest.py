"""Playwright (sync API) driving Debian's Chromium; never a downloaded browser."""

import os
import re
from pathlib import Path

import pytest
from django.db import connections

from bench.pages import CHROMIUM, CHROMIUM_ARGS  # one way to launch Debian's Chromium, bench and tests

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def browser(transactional_db):
    """One Chromium per test, started after the test database is ready.

    Playwright's sync API runs the test in a greenlet with its own contextvars context, and Django's
    `connections` are context-local: while Playwright runs, the test sees a fresh connection object (same
    in-memory database) that lacks the test-database state (e.g. the serialized rollback data). Setting the
    database up first and stopping Playwright before teardown keeps Django's own set-up and flush on the
    original connection.
    """
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "install Debian's chromium (make tools)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        # Connections opened inside Playwright's context are its own: close them here, or PostgreSQL
        # keeps a session on the test database that blocks its teardown.
        connections.close_all()
        browser.close()


def _is_problem(message) -> bool:
    return message.type == "error"


def _watch(page):
    """Record console errors, page errors, CSP violations and failed requests on `page.problems`."""
    page.problems = []
    page.on("console", lambda msg: _is_problem(msg) and page.problems.append(f"console: {msg.text} {msg.location}"))
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
    page.on(
        "response",
        lambda response: response.status >= 400 and page.problems.append(f"{response.status} {response.url}"),
    )
    # Init scripts are injected by the browser itself, so they run despite the page's CSP.
    page.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return page


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (`item.rep_setup`, `item.rep_call`), so that fixtures can tell at
    teardown whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def screenshot_dir() -> Path:
    """$SANLIAN_SCREENSHOT_DIR, else $SANLIAN_VAR_DIR/screenshots, else var/screenshots."""
    if os.environ.get("SANLIAN_SCREENSHOT_DIR"):
        return Path(os.environ["SANLIAN_SCREENSHOT_DIR"])
    return Path(os.environ.get("SANLIAN_VAR_DIR") or "var") / "screenshots"


def _failed(item) -> bool:
    return any(getattr(getattr(item, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))


class Pages:
    """The browser pages of one test: `page` and any page a journey opens for another role. Each new page has
    its own context (own cookies: one signed-in person per context). If the test fails, every registered
    page still open is saved as `<screenshot dir>/<test id>-<n>.png` before the contexts close."""

    def __init__(self, browser, request):
        self.browser = browser
        self.request = request
        self.pages = []
        self.contexts = []

    def new(self, locale: str = "zh-CN", **options):
        """A page in a fresh context (a person of their own), watched and registered for screenshots."""
        context = self.browser.new_context(
            locale=locale, viewport=options.pop("viewport", {"width": 1400, "height": 1000}), **options
        )
        self.contexts.append(context)
        return self.register(_watch(context.new_page()))

    def register(self, page):
        """Photograph this page too if the test fails (e.g. a popup or a page of a context made by hand)."""
        if page not in self.pages:
            self.pages.append(page)
        return page

    def save_screenshots(self) -> list[Path]:
        folder = screenshot_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.request.node.nodeid).strip("_")
        saved = []
        for n, page in enumerate(self.pages, start=1):
            if page.is_closed():
                continue
            path = folder / f"{stem}-{n}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                _say(self.request, f"screenshot of page {n} failed: {exc}")
                continue
            saved.append(path)
            _say(self.request, f"screenshot: {path}")
        return saved

    def close(self):
        for context in self.contexts:
            context.close()


def _say(request, text: str) -> None:
    """Print past pytest's capture, so the path shows in the terminal next to the failure."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():
        print(text)


@pytest.fixture
def pages(browser, request):
    """The registry of the test's pages; `pages.new()` opens one more person's browser."""
    registry = Pages(browser, request)
    yield registry
    if _failed(request.node):
        registry.save_screenshots()
    registry.close()


@pytest.fixture
def page(pages):
    """A fresh page that records console errors, page errors, CSP violations and failed requests."""
    return pages.new()


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    """The browser signs in as in production: officers and superusers pass the TOTP second factor."""
    settings.SANLIAN_OTP_REQUIRED = True


TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_code(device) -> str:
    """What the officer's authenticator app shows now, computed from the device's key."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, live_server, username: str, password: str = "pw-123456") -> None:
    """Password, then (officers, superusers) the TOTP code of a device given to them beforehand."""
    from sanlian.core.account_services import otp_confirmed_device, otp_device_install
    from sanlian.core.models import User
    from sanlian.core.passwords import is_privileged

    user = User.objects.get(username=username)
    device = None
    if is_privileged(user):
        device = otp_confirmed_device(user) or otp_device_install(user=user, key_hex=TEST_TOTP_KEY)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/account/otp/verify/**")
        page.fill("#id_token", totp_code(device))
        page.click("main button.primary")
    page.wait_for_load_state()
