"""关怀版 (care mode): one button on every page switches it; a cookie remembers it for anonymous visitors, the
account for signed-in users (so it follows them to another device), and signing in merges the two."""

import pytest
from django.urls import reverse

from sanlian.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db

COOKIE = "care_mode"


def toggle(client, next_url="/policies/", **extra):
    return client.post(reverse("care-mode"), {"next": next_url}, **extra)


def body_in_care_mode(response) -> bool:
    html = response.content.decode()
    return 'class="care-mode"' in html


def test_an_anonymous_visitor_switches_care_mode_on_and_off_with_a_cookie_kept_for_a_year(client):
    response = toggle(client)
    assert response.status_code == 302 and response["Location"] == "/policies/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == 365 * 24 * 3600 and cookie["samesite"] == "Lax"
    assert cookie["httponly"]

    page = client.get("/policies/")
    assert body_in_care_mode(page)
    assert 'aria-pressed="true"' in page.content.decode()

    response = toggle(client)
    assert response.cookies[COOKIE].value == "0"
    page = client.get("/policies/")
    assert not body_in_care_mode(page)
    assert 'aria-pressed="false"' in page.content.decode()


def test_the_login_page_has_the_toggle_and_honours_the_cookie(client):
    client.cookies[COOKIE] = "1"
    page = client.get(reverse("login"))
    html = page.content.decode()
    assert body_in_care_mode(page)
    assert f'action="{reverse("care-mode")}"' in html and 'aria-pressed="true"' in html


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/steal", "//evil.example/", "http://testserver.evil.example/", "javascript:alert(1)", ""],
)
def test_the_toggle_only_goes_back_to_a_page_of_this_site(client, next_url):
    response = toggle(client, next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_toggle_goes_back_to_the_page_with_its_query(client):
    response = toggle(client, "/policies/?q=%E5%87%8F%E5%85%8D&page=2")
    assert response["Location"] == "/policies/?q=%E5%87%8F%E5%85%8D&page=2"


def test_the_toggle_takes_a_post_only(client):
    assert client.get(reverse("care-mode")).status_code == 405


def test_a_signed_in_user_keeps_care_mode_on_the_account_and_another_device_shows_it(pujiang_enterprise):
    from django.test import Client

    from tests import factories

    user = factories.enterprise_user(pujiang_enterprise, username="elder")
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)

    toggle(laptop, f"/enterprises/{pujiang_enterprise.pk}/")

    user.refresh_from_db()
    assert user.care_mode is True
    assert AuditEvent.objects.filter(action="account.care_mode", actor=user).count() == 1
    # The other device has no cookie, and still draws the page in care mode: the account decides.
    assert COOKIE not in phone.cookies
    assert body_in_care_mode(phone.get(f"/enterprises/{pujiang_enterprise.pk}/"))

    toggle(phone, f"/enterprises/{pujiang_enterprise.pk}/")
    user.refresh_from_db()
    assert user.care_mode is False
    assert not body_in_care_mode(laptop.get(f"/enterprises/{pujiang_enterprise.pk}/"))


def test_while_signed_in_the_account_decides_over_an_old_cookie(pujiang_enterprise):
    from tests import factories

    user = factories.enterprise_user(pujiang_enterprise, username="elder2")
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.cookies[COOKIE] = "1"  # left from before, while the account says off
    assert not body_in_care_mode(client.get(f"/enterprises/{pujiang_enterprise.pk}/"))


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": "pw-123456"})


def test_signing_in_applies_the_accounts_care_mode_to_this_browser(client, pujiang_enterprise):
    from tests import factories

    user = factories.enterprise_user(pujiang_enterprise, username="elder3")
    User.objects.filter(pk=user.pk).update(care_mode=True)

    response = sign_in(client, "elder3")

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "1"
    # and after signing out the browser stays in care mode
    client.post(reverse("logout"))
    assert body_in_care_mode(client.get(reverse("login")))


def test_care_mode_switched_on_at_the_login_page_is_kept_on_the_account(client, pujiang_enterprise):
    from tests import factories

    user = factories.enterprise_user(pujiang_enterprise, username="elder4")
    toggle(client, reverse("login"))  # an older visitor turns it on before signing in

    sign_in(client, "elder4")

    user.refresh_from_db()
    assert user.care_mode is True
    assert body_in_care_mode(client.get(f"/enterprises/{pujiang_enterprise.pk}/"))


def test_signing_in_without_any_choice_sets_no_cookie_and_changes_nothing(client, pujiang_enterprise):
    from tests import factories

    user = factories.enterprise_user(pujiang_enterprise, username="elder5")
    response = sign_in(client, "elder5")
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.care_mode is False
    assert not AuditEvent.objects.filter(action="account.care_mode").exists()


def test_a_failed_sign_in_changes_no_account(client, pujiang_enterprise):
    from tests import factories

    user = factories.enterprise_user(pujiang_enterprise, username="elder6")
    client.cookies[COOKIE] = "1"
    response = client.post(reverse("login"), {"username": "elder6", "password": "wrong-password"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.care_mode is False


def test_an_officer_before_the_second_factor_can_still_switch_care_mode(client, settings):
    from tests import factories

    settings.SANLIAN_OTP_REQUIRED = True
    officer = factories.officer("pujiang", username="elder_officer")
    client.force_login(officer)
    response = toggle(client, reverse("account-otp-enrol"))
    assert response.status_code == 302 and response["Location"] == reverse("account-otp-enrol")
    officer.refresh_from_db()
    assert officer.care_mode is True
    page = client.get(reverse("account-otp-enrol"))
    assert page.status_code == 200 and body_in_care_mode(page)
    assert f'action="{reverse("care-mode")}"' in page.content.decode()
