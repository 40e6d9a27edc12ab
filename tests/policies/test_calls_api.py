"""Declarations in /api/v1: the whole way through, the same scopes as the pages, and the documented shapes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from sanlian.config.wsgi import application as wsgi_application
from sanlian.core.services import api_token_create
from sanlian.policies import services
from sanlian.policies.models import Application
from tests import factories
from tests.api.client import API, ApiClient

from .calls_data import GOOD_DATA, draft, make_call, submitted, upload, user_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_calls_today")]


@pytest.fixture
def district_call(district_officer):
    return make_call(district_officer, title="区级科技项目申报通知",
                     rule={"fact": "town", "op": "in", "value": ["pujiang", "xinzhuang"]})  # fmt: skip


def test_the_whole_way_from_call_to_decision(
    api_as, district_call, pujiang_enterprise, pujiang_officer, district_officer
):
    enterprise = api_as(user_of(pujiang_enterprise))

    listed = enterprise.get("/calls").json()
    detail = enterprise.get(f"/calls/{district_call.pk}").json()
    started = enterprise.post(f"/calls/{district_call.pk}/applications")
    pk = started.json()["id"]
    patched = enterprise.patch(f"/applications/{pk}", {"data": {**GOOD_DATA, "start": None}})
    services.application_material_add(actor=user_of(pujiang_enterprise), application=Application(pk=pk),
                                      item="license", upload=upload())  # fmt: skip
    sent = enterprise.post(f"/applications/{pk}/transition", {"action": "submit", "expected_status": "draft"})
    queue = api_as(pujiang_officer).get(f"/calls/{district_call.pk}/applications").json()
    recommended = api_as(pujiang_officer).post(f"/applications/{pk}/transition",
                                               {"action": "recommend", "expected_status": "submitted"})  # fmt: skip
    approved = api_as(district_officer).post(f"/applications/{pk}/transition",
                                             {"action": "approve", "comment": "同意"})  # fmt: skip

    assert listed["count"] == 1 and listed["items"][0]["is_open"] is True
    assert listed["items"][0]["region"] == "minhang"
    assert detail["eligibility"]["outcome"] == "eligible"
    assert detail["eligibility"]["explanation"]["kind"] == "criterion"
    assert detail["application"] is None and detail["form_fields"][1]["type"] == "number"
    assert started.status_code == 201 and started.json()["status"] == "draft"
    assert patched.status_code == 200
    assert patched.json()["data"] == {"project": "新型支架研发", "amount": 120.5, "field": "医疗器械"}
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert sent.json()["materials"][0]["url"].startswith("/policies/calls/materials/")
    assert queue["count"] == 1 and queue["items"][0] == {
        "id": pk, "call": district_call.pk,
        "enterprise": {"id": pujiang_enterprise.pk, "name": pujiang_enterprise.name},
        "status": "submitted", "eligibility": "eligible", "submitted_at": sent.json()["submitted_at"],
        "updated_at": sent.json()["updated_at"],
    }  # fmt: skip
    assert recommended.json()["status"] == "recommended"
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["district_comment"] == "同意"
    assert enterprise.get(f"/calls/{district_call.pk}").json()["application"] == {"id": pk, "status": "approved"}


class TestScope:
    def test_an_officer_cannot_start_and_an_enterprise_has_no_queue(self, api_as, district_call, pujiang_officer,
                                                                    pujiang_enterprise):  # fmt: skip
        officer_start = api_as(pujiang_officer).post(f"/calls/{district_call.pk}/applications")
        enterprise_queue = api_as(user_of(pujiang_enterprise)).get(f"/calls/{district_call.pk}/applications")

        assert officer_start.status_code == 403 and officer_start.json()["code"] == "forbidden"
        assert enterprise_queue.status_code == 403

    def test_an_enterprise_cannot_take_an_officers_step(self, api_as, district_call, pujiang_enterprise):
        application = submitted(district_call, pujiang_enterprise)

        response = api_as(user_of(pujiang_enterprise)).post(f"/applications/{application.pk}/transition",
                                                            {"action": "recommend"})  # fmt: skip

        assert response.status_code == 403
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_another_enterprises_or_towns_application_is_not_found(
        self, api_as, district_call, pujiang_enterprise, xinzhuang_enterprise, xinzhuang_officer
    ):
        application = draft(district_call, pujiang_enterprise)
        other = api_as(user_of(xinzhuang_enterprise))
        missing = other.get("/applications/999999")

        assert other.get(f"/applications/{application.pk}").json() == missing.json()
        assert other.get(f"/applications/{application.pk}").status_code == 404
        assert other.patch(f"/applications/{application.pk}", {"data": {"project": "x"}}).status_code == 404
        assert other.post(f"/applications/{application.pk}/transition", {"action": "submit"}).status_code == 404
        assert api_as(xinzhuang_officer).get(f"/applications/{application.pk}").status_code == 404
        assert api_as(xinzhuang_officer).get(f"/calls/{district_call.pk}/applications").json()["count"] == 0

    def test_calls_outside_the_region_or_unpublished_are_not_found(self, api_as, pujiang_officer, xinzhuang_officer,
                                                                   pujiang_enterprise):  # fmt: skip
        other_town = make_call(xinzhuang_officer)
        unpublished = make_call(pujiang_officer, status="draft")
        client = api_as(user_of(pujiang_enterprise))

        assert client.get(f"/calls/{other_town.pk}").status_code == 404
        assert client.get(f"/calls/{unpublished.pk}").status_code == 404
        assert client.post(f"/calls/{other_town.pk}/applications").status_code == 404
        assert client.get("/calls").json()["count"] == 0
        assert api_as(pujiang_officer).get("/calls", status="draft").json()["count"] == 1

    def test_an_anonymous_caller_is_unauthenticated(self, district_call):
        assert ApiClient().get("/calls").status_code == 401


class TestErrors:
    def test_a_second_start_and_a_bad_value_answer_422_with_the_field(self, api_as, district_call,
                                                                      pujiang_enterprise):  # fmt: skip
        client = api_as(user_of(pujiang_enterprise))
        pk = client.post(f"/calls/{district_call.pk}/applications").json()["id"]

        again = client.post(f"/calls/{district_call.pk}/applications")
        bad = client.patch(f"/applications/{pk}", {"data": {"amount": "很多", "start": "2026-02-30"}})
        incomplete = client.post(f"/applications/{pk}/transition", {"action": "submit"})

        assert again.status_code == 422 and "call" in again.json()["errors"]
        assert bad.status_code == 422 and set(bad.json()["errors"]) == {"amount", "start"}
        assert incomplete.status_code == 422 and {"project", "amount", "materials"} <= set(incomplete.json()["errors"])

    def test_a_stale_expected_status_answers_409_naming_who_acted(self, api_as, district_call, pujiang_enterprise,
                                                                  pujiang_officer):  # fmt: skip
        colleague = factories.officer("pujiang", username="pj_colleague", display_name="王专员")
        application = submitted(district_call, pujiang_enterprise)
        step = {"action": "not_recommend", "comment": "不符合方向", "expected_status": "submitted"}
        api_as(colleague).post(f"/applications/{application.pk}/transition", step)

        response = api_as(pujiang_officer).post(f"/applications/{application.pk}/transition",
                                                {"action": "recommend", "expected_status": "submitted"})  # fmt: skip

        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        assert "王专员" in response.json()["detail"] and "镇不推荐" in response.json()["detail"]

    def test_an_unknown_action_is_refused_by_the_schema(self, api_as, district_call, pujiang_enterprise):
        application = draft(district_call, pujiang_enterprise)

        response = api_as(user_of(pujiang_enterprise)).post(f"/applications/{application.pk}/transition",
                                                            {"action": "publish"})  # fmt: skip

        assert response.status_code == 422 and "action" in response.json()["errors"]


# The answers conform to the OpenAPI document ----------------------------------------------------------


@pytest.fixture
def _keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_finished, which would close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_the_test_connection_open")
@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/calls", "enterprise"),
        ("/calls/{pk}", "enterprise"),
        ("/calls/{pk}", "district"),
        ("/calls/{pk}/applications", "district"),
        ("/applications/{pk}", "enterprise"),
        ("/applications/{pk}", "district"),
    ],
)
def test_reads_conform_to_the_openapi_document(district_call, pujiang_enterprise, district_officer, path, who):
    application = submitted(district_call, pujiang_enterprise)
    user = {"enterprise": user_of(pujiang_enterprise), "district": district_officer}[who]
    _token, key = api_token_create(user=user, name="schema")
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", wsgi_application)
    pk = application.pk if path.startswith("/applications") else district_call.pk
    case = schema[API + path]["GET"].Case(path_parameters={"pk": pk} if "{pk}" in path else {})

    response = case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200
