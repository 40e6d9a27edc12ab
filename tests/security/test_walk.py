"""The authorisation walk: every page and API operation that names an object is called, GET and POST (and
the API's PATCH/PUT/DELETE), with an object of the other party by every caller of the A side; the answer
is a refusal and the database is unchanged. Pages without an object are walked for leaks of the other
party's data, and anonymous callers are sent to the login page (401 from the API)."""

import html
import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client

from .registry import API, PAGES, SIGNED_IN, NoObject, Obj, Public
from .walk import GREEDY, api_call, api_template, api_url, changes, page_url, snapshot
from .world import SECRET

REFUSED = {403, 404, 405}


@pytest.fixture(scope="module")
def baseline(world, django_db_blocker):
    with django_db_blocker.unblock():
        return snapshot()


def client_for(world, role) -> Client:
    """A client signed in with the role's session, made once per module (tests/security/conftest.py)."""
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def refused(response, role, api=False, refuses_to="") -> bool:
    if response.status_code in REFUSED:
        return True
    if refuses_to and response.status_code == 302 and response["Location"] == refuses_to:
        return True
    if role == "anonymous":
        if api:
            return response.status_code == 401
        return response.status_code == 302 and response["Location"].startswith("/login/")
    return False


def describe(response) -> str:
    location = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{location}"


def _cases(registry, roles_of):
    return [pytest.param(key, role, id=f"{key}|{role}") for key, entry in registry.items() for role in roles_of(entry)]


def _object_roles(entry):
    if isinstance(entry, Obj):
        return entry.roles
    if isinstance(entry, Public) and entry.key:
        return ("anonymous", *SIGNED_IN)  # a non-public object of a public page: refused to everybody
    return ()


@pytest.mark.parametrize(("key", "role"), _cases(PAGES, _object_roles))
def test_a_page_refuses_the_other_partys_object(world, baseline, db, key, role):
    client = client_for(world, role)
    url = page_url(key, world)

    answers = {"GET": client.get(url), "POST": client.post(url, GREEDY)}

    refuses_to = getattr(PAGES[key], "refuses_to", "")
    wrong = {method: describe(r) for method, r in answers.items() if not refused(r, role, refuses_to=refuses_to)}
    assert not wrong, f"{key} ({url}) as {role}: {wrong}"
    assert changes(baseline, snapshot()) == [], f"{key} ({url}) as {role} changed the database"


@pytest.mark.parametrize(("key", "role"), _cases(API, _object_roles))
def test_an_api_operation_refuses_the_other_partys_object(world, baseline, db, key, role):
    method, url = api_url(key, world)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['keys'][role]}"}

    response = api_call(Client(), method, url, headers, api_template(key))

    assert refused(response, role, api=True), (
        f"{key} ({url}) as {role}: {describe(response)} {response.content[:300]!r}"
    )
    assert changes(baseline, snapshot()) == [], f"{key} ({url}) as {role} changed the database"


def _signed_in_only(entry):
    return ("anonymous",) if isinstance(entry, NoObject) else ()


@pytest.mark.parametrize(("key", "role"), _cases(PAGES, _signed_in_only))
def test_a_page_without_an_object_sends_anonymous_callers_to_login(world, baseline, db, key, role):
    client = Client()
    url = page_url(key, world)

    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert refused(response, "anonymous"), f"{key} ({url}) {method.upper()} as anonymous: {describe(response)}"
    assert changes(baseline, snapshot()) == []


@pytest.mark.parametrize(("key", "role"), _cases(API, _signed_in_only))
def test_an_api_operation_without_an_object_answers_401_to_anonymous_callers(world, baseline, db, key, role):
    method, url = api_url(key, world)

    response = api_call(Client(), method, url, path=api_template(key))

    assert response.status_code == 401, f"{key} as anonymous: {describe(response)}"
    assert changes(baseline, snapshot()) == []


def _list_roles(entry):
    if isinstance(entry, NoObject):
        return SIGNED_IN
    if isinstance(entry, Public) and not entry.key and not entry.discloses:
        return ("anonymous", *SIGNED_IN)
    return ()


def text_of(response) -> str:
    """The response's text, with every part of an xlsx (or other zip) file unpacked."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
        return html.unescape(raw.decode("utf-8", "replace"))  # the XML writes CJK as character references
    return raw.decode("utf-8", "replace")


@pytest.mark.parametrize(("key", "role"), _cases(PAGES, _list_roles))
def test_a_page_without_an_object_shows_none_of_the_other_partys_data(world, baseline, db, key, role):
    response = client_for(world, role).get(page_url(key, world))

    if response.status_code == 200:
        assert SECRET not in text_of(response), f"{key} as {role} shows B's data"


@pytest.mark.parametrize(("key", "role"), _cases(PAGES, lambda e: SIGNED_IN if isinstance(e, NoObject) else ()))
def test_the_excel_export_of_a_list_holds_none_of_the_other_partys_data(world, db, key, role):
    """`?format=xlsx` of a list page: the same view and filter as rows of a workbook."""
    response = client_for(world, role).get(page_url(key, world), {"format": "xlsx"})

    if response.status_code == 200:
        assert SECRET not in text_of(response), f"{key}?format=xlsx as {role} holds B's data"


_API_LISTS = {key: entry for key, entry in API.items() if key.startswith("GET ")}


@pytest.mark.parametrize(("key", "role"), _cases(_API_LISTS, lambda e: SIGNED_IN if isinstance(e, NoObject) else ()))
def test_an_api_list_shows_none_of_the_other_partys_data(world, baseline, db, key, role):
    """Writes without an object are covered by tests/security/test_mass_assignment.py."""
    method, url = api_url(key, world)
    response = Client().get(url, headers={"Authorization": f"Bearer {world['keys'][role]}"})

    assert SECRET not in response.content.decode(), f"{key} as {role} shows B's data"


# Queries that find B-side records for a caller entitled to them (the district reviewer, below).
QUERIES = ("乙方生物", "需求", "诉求", "厂房", "新闻", "政策")


def _hits(answer) -> list[str]:
    return [hit["title"] for hit in answer.json()["items"] if SECRET in hit["title"]]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_search_finds_none_of_the_other_partys_records(world, baseline, db, role):
    headers = {"Authorization": f"Bearer {world['keys'][role]}"}

    found = {q: _hits(Client().get("/api/v1/search", {"q": q}, headers=headers)) for q in QUERIES}

    assert not any(found.values()), f"search as {role} finds {found}"


def test_search_finds_the_other_towns_records_for_the_district_reviewer_so_the_check_can_fail(world, db):
    headers = {"Authorization": f"Bearer {world['keys']['reviewer']}"}

    found = {q: _hits(Client().get("/api/v1/search", {"q": q}, headers=headers)) for q in QUERIES}

    assert found["乙方生物"], found
