"""A deactivated account: its open sessions stop at the next request, its API tokens at once."""

from django.test import Client

from sanlian.core.account_services import user_deactivate
from sanlian.core.models import ApiToken, AuditEvent
from sanlian.core.services import api_token_create
from tests import factories
from tests.api.client import ApiClient

from .conftest import password_login


def _signed_in(username: str) -> Client:
    client = Client()
    assert password_login(client, username).status_code == 302
    assert client.get("/inbox/").status_code == 200
    return client


def test_the_service_ends_open_sessions_and_tokens_and_is_audited(db):
    # Given a user with two open sessions and a token in use, and another user signed in
    user = factories.UserFactory(username="leaver")
    other = factories.UserFactory(username="stayer")
    laptop, phone, bystander = _signed_in("leaver"), _signed_in("leaver"), _signed_in("stayer")
    _token, key = api_token_create(user=user, name="sync")
    assert ApiClient(key).get("/me").status_code == 200
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    # When an administrator deactivates the account
    user_deactivate(actor=admin, user=user)

    # Then both sessions are back at the login page, the token is refused, the other user is untouched
    for client in (laptop, phone):
        assert client.get("/inbox/").url.startswith("/login/")
    assert ApiClient(key).get("/me").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert bystander.get("/inbox/").status_code == 200
    event = AuditEvent.objects.get(action="user.deactivate", target_id=str(user.pk))
    assert event.actor == admin and event.changes == {"is_active": [True, False]}
    assert "sessions=2" in event.note and "tokens=1" in event.note

    # And signing in again fails
    assert password_login(Client(), "leaver").status_code == 200
    assert other.is_active


def test_deactivating_twice_changes_nothing_more(db):
    user = factories.UserFactory(username="leaver")
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    user_deactivate(actor=admin, user=user)
    user_deactivate(actor=admin, user=user)
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 1


def test_unticking_active_in_the_admin_has_the_same_effect(db):
    user = factories.UserFactory(username="leaver", email="leaver@example.cn")
    session = _signed_in("leaver")
    _token, key = api_token_create(user=user, name="sync")
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    admin_client = Client()
    admin_client.force_login(admin)

    page = admin_client.get(f"/admin/core/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",  # unticked
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
        }
    )
    data = {k: v for k, v in data.items() if k not in {"date_joined", "last_login", "is_active"}}
    response = admin_client.post(f"/admin/core/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    user.refresh_from_db()
    assert not user.is_active
    assert session.get("/inbox/").url.startswith("/login/")
    assert ApiClient(key).get("/me").status_code == 401
    assert AuditEvent.objects.filter(action="user.deactivate", target_id=str(user.pk), actor=admin).exists()


def test_a_session_of_an_account_deactivated_behind_the_platforms_back_stops_too(db):
    # Even a bare update (a script, the database) is caught by Django's own check at the next request
    user = factories.UserFactory(username="leaver")
    session = _signed_in("leaver")
    _token, key = api_token_create(user=user, name="sync")
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert session.get("/inbox/").url.startswith("/login/")
    assert ApiClient(key).get("/me").status_code == 401
