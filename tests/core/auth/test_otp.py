"""TOTP second factor for officers and superusers: enrolment, verification, backup codes, the gate."""

import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanlian.core.models import AuditEvent
from tests import factories

from .conftest import code_for, password_login, with_device


@pytest.fixture
def officer(db):
    return factories.officer("pujiang", username="pj_otp")


def test_after_the_password_an_officer_without_a_device_enrols_with_a_qr_code_and_gets_backup_codes(
    client, rules_on, officer
):
    # Given an officer who signs in with his password for the first time
    response = password_login(client, "pj_otp")
    assert response.status_code == 302

    # When he goes anywhere, he is sent to enrol: a QR code inline (CSP allows data: images) and the secret
    response = client.get("/cockpit/")
    assert response.url.startswith("/account/otp/enrol/")
    page = client.get(response.url)
    html = page.content.decode()
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    assert 'src="data:image/svg+xml' in html
    secret = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert secret.replace(" ", "") in device.config_url

    # And reloading keeps the same secret (the app has already scanned it)
    assert secret in client.get("/account/otp/enrol/").content.decode()

    # When he confirms with a wrong code, he is told so and nothing is confirmed; the failure is audited
    wrong = client.post("/account/otp/enrol/", {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="otp.enrol_failed", target_id=str(officer.pk)).exists()

    # When he confirms with the app's code (after the short wait django-otp imposes after a failure), he sees ten
    # backup codes once, and is through
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        done = client.post("/account/otp/enrol/", {"token": code_for(device), "next": "/cockpit/"})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and "no-store" in done["Cache-Control"]
    assert client.get("/cockpit/").status_code == 200
    assert AuditEvent.objects.filter(action="otp.enrol", target_id=str(officer.pk)).exists()
    assert not any(code in str(e.changes) + e.note for e in AuditEvent.objects.all() for code in codes)


def test_an_officer_with_a_device_enters_the_code_after_the_password(client, rules_on, officer):
    device = with_device(officer)
    password_login(client, "pj_otp")

    # Pages, admin and HTMX requests are all held at the verify page
    assert client.get("/cockpit/").url == "/account/otp/verify/?next=%2Fcockpit%2F"
    assert client.get("/account/password/").url.startswith("/account/otp/verify/")
    htmx = client.get("/inbox/", headers={"HX-Request": "true"})
    # Only logout, the language switch, static files and healthz pass besides the verify page
    assert client.get("/static/css/sanlian.css").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}).status_code == 302
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == "/account/otp/verify/"

    # A wrong code is refused and audited
    response = client.post("/account/otp/verify/", {"token": "12345x", "next": "/cockpit/"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="otp.verify_failed", target_id=str(officer.pk)).count() == 1

    # The right code, once the short wait after a failure is over, lets him through to where he was going,
    # in a session with a new key
    before = client.cookies["sessionid"].value
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        response = client.post("/account/otp/verify/", {"token": code_for(device), "next": "/cockpit/"})
    assert response.url == "/cockpit/"
    assert client.cookies["sessionid"].value != before
    assert client.get("/cockpit/").status_code == 200


def test_a_code_cannot_be_used_twice(client, rules_on, officer):
    device = with_device(officer)
    code = code_for(device)
    password_login(client, "pj_otp")
    client.post("/account/otp/verify/", {"token": code})
    client.post("/logout/")
    password_login(client, "pj_otp")
    response = client.post("/account/otp/verify/", {"token": code})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()


def test_a_backup_code_works_once_and_its_use_is_audited(client, rules_on, officer):
    with_device(officer)
    from sanlian.core.account_services import otp_backup_codes_make

    codes = otp_backup_codes_make(user=officer)
    password_login(client, "pj_otp")
    response = client.post("/account/otp/verify/", {"token": codes[0], "next": "/cockpit/"}, follow=True)
    assert "还剩 9 个" in response.content.decode()
    assert AuditEvent.objects.filter(action="otp.backup_code_used", target_id=str(officer.pk)).count() == 1

    client.post("/logout/")
    password_login(client, "pj_otp")
    again = client.post("/account/otp/verify/", {"token": codes[0]})
    assert "验证码不正确" in again.content.decode()
    assert StaticDevice.objects.get(user=officer).token_set.count() == 9


def test_new_backup_codes_replace_the_old_ones(client, rules_on, officer):
    device = with_device(officer)
    from sanlian.core.account_services import otp_backup_codes_make

    old = otp_backup_codes_make(user=officer)
    password_login(client, "pj_otp")
    client.post("/account/otp/verify/", {"token": code_for(device)})
    assert "还剩 10 个" in client.get("/account/otp/backup-codes/").content.decode()
    page = client.post("/account/otp/backup-codes/")
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticDevice.objects.get(user=officer).token_set.filter(token__in=old).count() == 0


def test_repeated_wrong_codes_are_throttled_so_even_the_right_code_waits(client, rules_on, officer):
    device = with_device(officer)
    password_login(client, "pj_otp")
    for _ in range(3):
        client.post("/account/otp/verify/", {"token": "000000"})
    # django-otp doubles the wait after each failure: the right code is refused for now
    response = client.post("/account/otp/verify/", {"token": code_for(device)})
    assert response.status_code == 200
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5), tick=False):
        response = client.post("/account/otp/verify/", {"token": code_for(device)})
    assert response.status_code == 302


def test_an_unverified_officer_session_gets_json_403_from_the_api_but_tokens_still_work(
    client, rules_on, officer, api_as
):
    with_device(officer)
    password_login(client, "pj_otp")
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response.json()["code"] == "otp_required"
    assert client.get("/api/v1/news").status_code == 403  # public reads too: the session is not trusted yet

    assert api_as(officer).get("/me").status_code == 200


def test_a_superuser_needs_the_second_factor_for_the_admin(client, rules_on, db):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    with_device(admin)
    password_login(client, "root")
    assert client.get("/admin/").url.startswith("/account/otp/verify/")


def test_enterprise_users_never_see_the_second_factor(client, rules_on, db):
    user = factories.UserFactory(username="ent_user")
    password_login(client, "ent_user")
    assert client.get("/inbox/").status_code == 200
    assert client.get("/account/otp/enrol/").url == "/"
    assert client.get("/api/v1/me").status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_with_the_setting_off_officers_pass_without_a_second_factor(client, rules_on, officer):
    rules_on.SANLIAN_OTP_REQUIRED = False
    password_login(client, "pj_otp")
    assert client.get("/cockpit/").status_code == 200


def test_the_verify_page_shows_the_demo_hint_only_when_debug_is_on(client, rules_on, officer):
    with_device(officer)
    password_login(client, "pj_otp")
    rules_on.DEBUG = False
    assert "demo_otp" not in client.get("/account/otp/verify/").content.decode()
    rules_on.DEBUG = True
    assert "sanlian demo_otp pj_otp" in client.get("/account/otp/verify/").content.decode()


def test_an_officer_before_the_second_factor_sees_no_navigation_only_the_way_out(client, rules_on, officer):
    with_device(officer)
    password_login(client, "pj_otp")
    html = client.get("/account/otp/verify/").content.decode()
    assert 'class="main-nav"' not in html and "/cockpit/" not in html and "/account/tokens/" not in html
    assert 'action="/logout/"' in html
