"""Who may call /api/v1 at all: bearer tokens, the browser session, and JSON 401s instead of redirects."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sanlian.config.api import api
from sanlian.core.models import ApiToken

from .client import API, ApiClient

# Every route with a concrete path, so each one is called unauthenticated.
ROUTES = [
    ("get", "/me"),
    ("get", "/search"),
    ("get", "/regions"),
    ("get", "/parks"),
    ("get", "/clusters"),
    ("get", "/chain-nodes"),
    ("get", "/enterprises"),
    ("post", "/enterprises"),
    ("get", "/enterprises/1"),
    ("patch", "/enterprises/1"),
    ("get", "/annual-reports"),
    ("get", "/annual-reports/1"),
    ("put", "/enterprises/1/annual-reports/2023"),
    ("post", "/annual-reports/1/transition"),
    ("get", "/stats"),
    ("get", "/policies"),
    ("post", "/policies/import"),
    ("get", "/policies/pj-rd"),
    ("post", "/policies/pj-rd/publish"),
    ("get", "/enterprises/1/eligibility"),
    ("get", "/parameters"),
    ("get", "/calls"),
    ("get", "/calls/1"),
    ("get", "/calls/1/applications"),
    ("post", "/calls/1/applications"),
    ("get", "/applications/1"),
    ("patch", "/applications/1"),
    ("post", "/applications/1/transition"),
    ("get", "/talent/rounds"),
    ("get", "/talent/applications"),
    ("post", "/talent/applications"),
    ("get", "/talent/applications/1"),
    ("patch", "/talent/applications/1"),
    ("post", "/talent/applications/1/transition"),
    ("get", "/chain/postings"),
    ("post", "/chain/postings"),
    ("get", "/chain/postings/1"),
    ("patch", "/chain/postings/1"),
    ("post", "/chain/postings/1/transition"),
    ("post", "/chain/postings/1/interests"),
    ("get", "/desk/categories"),
    ("get", "/desk/requests"),
    ("post", "/desk/requests"),
    ("get", "/desk/requests/1"),
    ("post", "/desk/requests/1/transition"),
    ("post", "/desk/requests/1/replies"),
    ("get", "/desk/providers"),
    ("get", "/desk/providers/1"),
    ("get", "/news/manage"),
    ("post", "/news"),
    ("patch", "/news/1"),
    ("post", "/news/1/transition"),
    ("get", "/events/registrations"),
    ("post", "/events/1/registrations"),
    ("get", "/events/1/registrations"),
    ("post", "/events/registrations/1/cancel"),
    ("post", "/events/registrations/1/decide"),
    ("post", "/events/1/check-in"),
    ("post", "/orgs/pj-alliance/applications"),
    ("get", "/orgs/pj-alliance/applications"),
    ("post", "/orgs/applications/1/decide"),
    ("post", "/orgs/applications/1/withdraw"),
    ("get", "/orgs/pj-alliance/members"),
    ("post", "/orgs/members/1/role"),
    ("post", "/orgs/members/1/remove"),
    ("get", "/ip/assets"),
    ("get", "/enterprises/1/ip"),
    ("post", "/enterprises/1/ip"),
    ("get", "/ip/assets/1"),
    ("patch", "/ip/assets/1"),
    ("post", "/ip/assets/1/lapse"),
    ("get", "/inbox"),
    ("post", "/enterprises/1/contacts"),
    ("post", "/contacts/1/reveal"),
    ("post", "/contacts/1/remove"),
    ("post", "/orgs/members/1/reveal"),
    ("post", "/desk/providers/1/reveal"),
    ("post", "/enterprises/1/certifications"),
    ("get", "/chain/events/1"),
    ("post", "/chain/events/1/participants"),
    ("post", "/chain/events/1/meetings"),
    ("post", "/chain/meetings/1/answer"),
    ("post", "/chain/meetings/1/cancel"),
    ("post", "/desk/providers/1/requests"),
    ("post", "/desk/providers/1/ratings"),
    ("get", "/space/listings/manage"),
    ("post", "/space/listings"),
    ("patch", "/space/listings/1"),
    ("post", "/space/listings/1/transition"),
    ("get", "/space/requests"),
    ("post", "/space/requests"),
    ("get", "/space/requests/1"),
    ("post", "/space/requests/1/close"),
    ("get", "/space/viewings"),
    ("post", "/space/requests/1/viewings"),
    ("post", "/space/viewings/1/transition"),
    ("post", "/inbox/read"),
]


# Public on purpose, like their pages: the /space/ search (issue 6), published news and events, the
# organisations (tests/api/test_community.py calls them without credentials).
PUBLIC_ROUTES = {
    ("get", "/space/listings"),
    ("get", "/space/listings/{pk}"),
    ("get", "/chain/events"),
    ("get", "/news"),
    ("get", "/news/{pk}"),
    ("get", "/events"),
    ("get", "/events/{pk}"),
    ("get", "/orgs"),
    ("get", "/orgs/{code}"),
}


def test_the_route_list_covers_every_operation_of_the_api():
    documented = {
        (method, path.removeprefix(API)) for path, item in api.get_openapi_schema()["paths"].items() for method in item
    }
    templated = {
        (
            m,
            p.replace("/1", "/{pk}")
            .replace("/2023", "/{year}")
            .replace("/pj-rd", "/{code}")
            .replace("/pj-alliance", "/{code}"),
        )
        for m, p in ROUTES
    }
    assert templated | PUBLIC_ROUTES == documented


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_an_anonymous_call_gets_a_json_401_not_a_login_redirect(method, path):
    response = getattr(Client(), method)(API + path, content_type="application/json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_bearer_token_authenticates_its_user(api_as, pujiang_officer):
    response = api_as(pujiang_officer).get("/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "pj_officer"
    assert body["role"] == "town_officer"
    assert body["region"] == {"code": "pujiang", "name": "浦江镇", "level": "town"}
    assert "report.review" in body["permissions"] and "report.submit" not in body["permissions"]


def test_an_enterprise_user_sees_its_enterprise_in_me(api_as, enterprise_admin, pujiang_enterprise):
    body = api_as(enterprise_admin).get("/me").json()

    assert body["enterprise"] == {"id": pujiang_enterprise.pk, "name": pujiang_enterprise.name}
    assert body["region"] is None
    assert "report.submit" in body["permissions"] and "report.review" not in body["permissions"]


def test_a_token_records_when_it_was_last_used(api_as, pujiang_officer):
    api_as(pujiang_officer).get("/me")

    assert ApiToken.objects.get(user=pujiang_officer).last_used_at is not None


def test_an_unknown_token_gets_401(db):
    response = ApiClient("sl_not-a-real-key").get("/enterprises")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_revoked_token_gets_401(api_as, pujiang_officer):
    client = api_as(pujiang_officer)
    ApiToken.objects.filter(user=pujiang_officer).update(revoked_at=timezone.now())

    assert client.get("/me").status_code == 401


def test_a_token_of_a_deactivated_user_gets_401(api_as, pujiang_officer):
    client = api_as(pujiang_officer)
    pujiang_officer.is_active = False
    pujiang_officer.save()

    assert client.get("/me").status_code == 401


def test_an_unsafe_call_with_a_bad_token_and_no_session_gets_401_not_a_csrf_error(db):
    response = ApiClient("sl_wrong", client=Client(enforce_csrf_checks=True)).post("/enterprises", {})

    assert response.status_code == 401


def test_the_browser_session_authenticates_reads(pujiang_officer):
    client = Client()
    client.force_login(pujiang_officer)

    response = ApiClient(client=client).get("/me")

    assert response.status_code == 200
    assert response.json()["username"] == "pj_officer"


def test_an_unsafe_session_call_without_the_csrf_token_is_refused(pujiang_officer, pujiang_enterprise):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pujiang_officer)

    response = ApiClient(client=client).patch(f"/enterprises/{pujiang_enterprise.pk}", {"description": "x"})

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_an_unsafe_session_call_with_the_csrf_token_is_accepted(pujiang_officer, pujiang_enterprise):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pujiang_officer)
    client.get(API + "/docs")  # the docs page sets the CSRF cookie, as in the browser
    token = client.cookies["csrftoken"].value
    api_client = ApiClient(client=client)
    api_client.headers = {"X-CSRFToken": token}

    response = api_client.patch(f"/enterprises/{pujiang_enterprise.pk}", {"description": "浦江的器械企业"})

    assert response.status_code == 200
    assert response.json()["description"] == "浦江的器械企业"


def test_create_api_token_prints_a_key_that_works_once_shown(pujiang_officer):
    out, err = StringIO(), StringIO()

    call_command("create_api_token", "pj_officer", "--name", "数据中台", stdout=out, stderr=err)

    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=pujiang_officer)
    assert token.name == "数据中台" and key.startswith(token.prefix)
    assert key not in token.key_hash and key not in err.getvalue()
    assert ApiClient(key).get("/me").json()["username"] == "pj_officer"


def test_create_api_token_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--name", "x", stdout=StringIO(), stderr=StringIO())
