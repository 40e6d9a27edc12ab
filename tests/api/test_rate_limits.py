"""Rate limits per user and per anonymous address: 429 JSON with Retry-After, others unaffected."""

import pytest
from django.conf import settings as django_settings

from .client import ApiClient


@pytest.fixture
def tiny_rates(settings):
    settings.SANLIAN_API_RATE_USER = "3/min"
    settings.SANLIAN_API_RATE_ANON = "2/min"


def test_a_user_over_the_rate_gets_429_with_retry_after(tiny_rates, api_as, pujiang_officer):
    client = api_as(pujiang_officer)
    statuses = [client.get("/me").status_code for _ in range(3)]

    response = client.get("/me")

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_limit_counts_the_user_across_their_tokens(tiny_rates, api_as, pujiang_officer):
    first, second = api_as(pujiang_officer), api_as(pujiang_officer)
    for _ in range(3):
        first.get("/me")

    assert second.get("/me").status_code == 429


def test_another_user_is_not_affected_by_a_throttled_one(tiny_rates, api_as, pujiang_officer, xinzhuang_officer):
    client = api_as(pujiang_officer)
    for _ in range(4):
        client.get("/me")

    assert api_as(xinzhuang_officer).get("/me").status_code == 200


def test_anonymous_public_calls_are_limited_per_address(tiny_rates, db):
    here, elsewhere = ApiClient(), ApiClient()
    elsewhere.client.defaults["REMOTE_ADDR"] = "10.0.0.2"
    statuses = [here.get("/space/listings").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert elsewhere.get("/space/listings").status_code == 200


def test_the_429_answer_is_localised(tiny_rates, api_as, pujiang_officer):
    client = api_as(pujiang_officer)
    client.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # the language the user chose
    for _ in range(3):
        client.get("/me")

    assert client.get("/me").json()["detail"] == "Too many requests; please try again later"


def test_no_rate_switches_the_limit_off(settings, api_as, pujiang_officer):
    settings.SANLIAN_API_RATE_USER = None
    client = api_as(pujiang_officer)

    assert {client.get("/me").status_code for _ in range(5)} == {200}
