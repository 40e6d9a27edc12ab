"""API tokens expire, belong to one user, are made and revoked by that user on /account/tokens/, audited."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from sanlian.core.models import ApiToken, AuditEvent
from sanlian.core.services import api_token_create, api_token_revoke
from tests import factories

from .client import ApiClient

PAGE = "/account/tokens/"


def test_a_new_token_lives_the_default_number_of_days(pujiang_officer, settings):
    settings.SANLIAN_API_TOKEN_DAYS = 90
    now = timezone.now()

    token, _key = api_token_create(user=pujiang_officer, name="集成", now=now)

    assert token.expires_at == now + timedelta(days=90)


@pytest.mark.parametrize("days", [0, -1, 366, "x"])
def test_a_token_lifetime_outside_one_to_the_maximum_is_refused_naming_days(pujiang_officer, settings, days):
    settings.SANLIAN_API_TOKEN_MAX_DAYS = 365

    with pytest.raises(ValidationError) as caught:
        api_token_create(user=pujiang_officer, name="集成", days=days)

    assert "days" in caught.value.message_dict
    assert not ApiToken.objects.exists()


def test_an_expired_token_gets_401(pujiang_officer):
    _token, key = api_token_create(user=pujiang_officer, name="集成", days=1, now=timezone.now() - timedelta(days=2))

    response = ApiClient(key).get("/me")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_token_just_before_its_expiry_still_works(pujiang_officer):
    _token, key = api_token_create(user=pujiang_officer, name="集成", days=1, now=timezone.now() - timedelta(hours=23))

    assert ApiClient(key).get("/me").status_code == 200


def test_a_token_carries_only_its_owners_permissions(pujiang_enterprise, xinzhuang_enterprise):
    user = factories.enterprise_user(pujiang_enterprise)
    _token, key = api_token_create(user=user, name="ERP")
    client = ApiClient(key)

    assert client.get(f"/enterprises/{pujiang_enterprise.pk}").status_code == 200
    assert client.get(f"/enterprises/{xinzhuang_enterprise.pk}").status_code == 404


def test_create_api_token_takes_days(pujiang_officer):
    out = StringIO()

    call_command("create_api_token", "pj_officer", "--name", "中台", "--days", "30", stdout=out, stderr=StringIO())

    token = ApiToken.objects.get(user=pujiang_officer)
    assert timedelta(days=29, hours=23) < token.expires_at - token.created_at <= timedelta(days=30)
    assert ApiClient(out.getvalue().strip()).get("/me").status_code == 200


def test_create_api_token_refuses_days_beyond_the_maximum(pujiang_officer, settings):
    settings.SANLIAN_API_TOKEN_MAX_DAYS = 365

    with pytest.raises(CommandError):
        call_command(
            "create_api_token", "pj_officer", "--name", "x", "--days", "400", stdout=StringIO(), stderr=StringIO()
        )


# ---------------------------------------------------------------- the self-service page


@pytest.fixture
def browser(pujiang_officer):
    client = Client()
    client.force_login(pujiang_officer)
    return client


def test_the_page_creates_a_named_token_and_shows_its_key_once(browser, pujiang_officer):
    response = browser.post(PAGE, {"name": "数据中台", "days": "30"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=pujiang_officer)
    key = response.context["key"]
    assert key.startswith(token.prefix) and key in response.content.decode()
    assert ApiClient(key).get("/me").json()["username"] == "pj_officer"
    assert key not in browser.get(PAGE).content.decode()  # never shown again
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.pk), actor=pujiang_officer).exists()


def test_the_page_refuses_a_lifetime_beyond_the_maximum_with_the_field_named(browser, settings):
    settings.SANLIAN_API_TOKEN_MAX_DAYS = 365

    response = browser.post(PAGE, {"name": "数据中台", "days": "400"})

    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_the_users_own_tokens_with_their_status(browser, pujiang_officer, xinzhuang_officer):
    api_token_create(user=pujiang_officer, name="在用")
    api_token_create(user=pujiang_officer, name="旧的", days=1, now=timezone.now() - timedelta(days=5))
    api_token_create(user=xinzhuang_officer, name="别人的")

    response = browser.get(PAGE)

    rows = {token.name: status for token, status in response.context["tokens"]}
    assert rows == {"在用": "active", "旧的": "expired"}


def test_revoking_on_the_page_stops_the_token_and_is_audited(browser, pujiang_officer):
    token, key = api_token_create(user=pujiang_officer, name="集成")

    response = browser.post(f"{PAGE}{token.pk}/revoke/")

    assert response.status_code == 302
    assert ApiClient(key).get("/me").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).exists()


def test_a_user_cannot_revoke_another_users_token(browser, xinzhuang_officer):
    token, key = api_token_create(user=xinzhuang_officer, name="别人的")

    response = browser.post(f"{PAGE}{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiClient(key).get("/me").status_code == 200


def test_revoking_twice_changes_nothing(pujiang_officer):
    token, _key = api_token_create(user=pujiang_officer, name="集成")
    first = api_token_revoke(user=pujiang_officer, token_id=token.pk).revoked_at

    again = api_token_revoke(user=pujiang_officer, token_id=token.pk)

    assert again.revoked_at == first
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_the_page_needs_a_login(db):
    response = Client().get(PAGE)

    assert response.status_code == 302 and "/login/" in response["Location"]
