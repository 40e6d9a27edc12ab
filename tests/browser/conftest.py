"""Playwright (sync API) driving Debian's Chromium; never a downloaded browser."""

import os

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


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


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors, CSP violations and failed requests."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
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
    yield page
    context.close()


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
