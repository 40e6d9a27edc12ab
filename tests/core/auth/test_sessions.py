"""Lockout after 5 failures per username, the 30-minute idle timeout, failed bearer tokens throttled."""

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from sanlian.core.models import ApiToken
from sanlian.core.services import api_token_create
from tests import factories
from tests.api.client import ApiClient

from .conftest import password_login


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def test_five_wrong_passwords_lock_the_username_from_any_address_for_30_minutes(axes_on, db):
    user = factories.UserFactory(username="ent_lock")
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.99")

    # Given four failures from one address and one from another (a guesser spreading his tries)
    for _ in range(4):
        assert password_login(first, "ent_lock", "wrong").status_code == 200
    response = password_login(second, "ent_lock", "wrong")

    # Then the fifth locks the username: a clear page, in Chinese, saying for how long
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "30 分钟" in page

    # And even the right password, from a third address, is refused while the lock lasts
    assert password_login(Client(REMOTE_ADDR="10.0.0.7"), "ent_lock").status_code == 429

    # While other users of the same addresses sign in normally
    factories.UserFactory(username="ent_other")
    assert password_login(first, "ent_other").status_code == 302

    # After 30 minutes the right password works again
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        assert password_login(Client(), "ent_lock").status_code == 302
    assert user.pk


def test_the_lockout_page_is_in_english_for_an_english_visitor(axes_on, db):
    factories.UserFactory(username="ent_lock")
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = password_login(client, "ent_lock", "wrong")
    assert response.status_code == 429
    assert "30 minutes" in response.content.decode()


def test_a_success_resets_the_count(axes_on, db):
    factories.UserFactory(username="ent_reset")
    client = Client()
    for _ in range(4):
        password_login(client, "ent_reset", "wrong")
    assert password_login(client, "ent_reset").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert password_login(client, "ent_reset", "wrong").status_code == 200


# ---------------------------------------------------------------- idle timeout


def test_a_session_ends_after_30_minutes_without_a_request(client, rules_on, db):
    factories.UserFactory(username="ent_idle")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "ent_idle")
        assert client.get("/inbox/").status_code == 200
    # Requests every 20 minutes keep it alive well past 30 minutes
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            assert client.get("/inbox/").status_code == 200, minutes
    # 31 minutes of silence end it: back to the login page, told why
    with time_machine.travel(start + timezone.timedelta(minutes=91), tick=False):
        response = client.get("/inbox/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "30 分钟未操作" in response.content.decode()


def test_the_session_cookie_ends_with_the_browser(client, rules_on, db):
    assert rules_on.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    factories.UserFactory(username="ent_cookie")
    response = password_login(client, "ent_cookie")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_the_idle_stamp_is_written_at_most_once_a_minute(client, rules_on, db):
    from django.contrib.sessions.models import Session

    factories.UserFactory(username="ent_stamp")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_login(client, "ent_stamp")
        client.get("/inbox/")
    key = client.cookies["sessionid"].value
    first = Session.objects.get(pk=key).expire_date
    with time_machine.travel(start + timezone.timedelta(seconds=30), tick=False):
        client.get("/inbox/")
    assert Session.objects.get(pk=key).expire_date == first  # no write within the minute
    with time_machine.travel(start + timezone.timedelta(seconds=90), tick=False):
        client.get("/inbox/")
    assert Session.objects.get(pk=key).expire_date > first


# ---------------------------------------------------------------- bad bearer tokens


def test_failed_bearer_tokens_are_counted_per_address_and_answered_429_past_the_limit(settings, db):
    settings.SANLIAN_API_RATE_BAD_TOKEN = "3/min"
    user = factories.UserFactory(username="integration")
    _token, key = api_token_create(user=user, name="sync")
    guesser = ApiClient("sl_wrong", Client(REMOTE_ADDR="10.0.0.5"))
    start = timezone.now().replace(second=1)
    with time_machine.travel(start, tick=False):
        assert [guesser.get("/me").status_code for _ in range(3)] == [401, 401, 401]
        blocked = guesser.get("/me")
        assert blocked.status_code == 429 and int(blocked["Retry-After"]) >= 1
        # A valid key from the same address waits too, so the answer tells a guesser nothing
        assert ApiClient(key, Client(REMOTE_ADDR="10.0.0.5")).get("/me").status_code == 429
        # Other addresses are not affected
        assert ApiClient(key, Client(REMOTE_ADDR="10.0.0.6")).get("/me").status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=1), tick=False):
        assert ApiClient(key, Client(REMOTE_ADDR="10.0.0.5")).get("/me").status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 1


def test_valid_tokens_do_not_count_as_failures(settings, db):
    settings.SANLIAN_API_RATE_BAD_TOKEN = "2/min"
    user = factories.UserFactory(username="integration")
    _token, key = api_token_create(user=user, name="sync")
    client = ApiClient(key, Client(REMOTE_ADDR="10.0.0.8"))
    assert {client.get("/me").status_code for _ in range(5)} == {200}
