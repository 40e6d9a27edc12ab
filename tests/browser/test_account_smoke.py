"""A real browser: an officer's first sign-in enrols the second factor (QR code drawn from a data: image under
the CSP), gets backup codes, and reaches the cockpit; the pages pass axe without serious issues."""

import os

import pytest

from tests.browser.conftest import totp_code

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SERIOUS = {"serious", "critical"}


@pytest.fixture
def officer(django_db_serialized_rollback, live_server):
    from tests import factories

    return factories.officer("pujiang", username="pj_enrol_browser")


def _serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in results.response["violations"]
            if v["impact"] in SERIOUS]  # fmt: skip


@pytest.mark.browser
def test_an_officer_enrols_the_second_factor_on_first_sign_in(page, live_server, officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Given the officer signs in with his password for the first time
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "pj_enrol_browser")
    page.fill("#id_password", "pw-123456")
    page.click("main button[type=submit]")

    # Then he is asked to enrol: the QR code is drawn and the page is accessible
    page.wait_for_url("**/account/otp/enrol/**")
    assert page.evaluate("document.querySelector('main img').naturalWidth") > 0
    assert _serious(page) == []

    # When he types the code his app shows
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    page.fill("#id_token", totp_code(device))
    page.click("main button.primary")

    # Then he sees ten backup codes, once, and continues to the cockpit
    page.wait_for_selector("ul.backup-codes")
    assert page.locator("ul.backup-codes li").count() == 10
    assert _serious(page) == []
    page.click("text=我已保存,继续")
    page.wait_for_url(f"{live_server.url}/cockpit/")

    assert page.evaluate("window.__csp") == []
    assert page.problems == []
