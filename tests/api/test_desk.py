"""The service desk in /api/v1: an enterprise files and confirms, an officer answers, scope and errors as the pages."""

import pytest

from sanlian.servicedesk.models import ServiceRequest
from tests import factories

pytestmark = pytest.mark.django_db

FILED = {"category": "permits", "title": "消防验收预约", "body": "装修已完工,请协助预约消防验收并告知所需材料。"}


def test_an_enterprise_files_an_officer_answers_and_the_enterprise_confirms_with_a_rating(
    api_as, enterprise_admin, pujiang_officer
):
    company, officer = api_as(enterprise_admin), api_as(pujiang_officer)

    created = company.post("/desk/requests", FILED)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "submitted" and created.json()["events"][0]["action"] == "submit"
    assert [r["id"] for r in officer.get("/desk/requests", status="submitted").json()["items"]] == [pk]

    assert officer.post(f"/desk/requests/{pk}/transition", {"action": "acknowledge"}).status_code == 200
    assert officer.post(f"/desk/requests/{pk}/replies", {"body": "已联系消防部门"}).status_code == 201
    answered = officer.post(f"/desk/requests/{pk}/transition", {"action": "resolve", "note": "已预约下周二验收"})
    assert answered.json()["status"] == "resolved"
    closed = company.post(f"/desk/requests/{pk}/transition", {"action": "confirm", "rating": 5, "comment": "高效"})

    body = closed.json()
    assert body["status"] == "closed" and body["rating"] == 5
    assert [r["body"] for r in body["replies"]] == ["已联系消防部门"]
    assert [e["action"] for e in body["events"]][-3:] == ["acknowledge", "resolve", "confirm"]


def test_bad_input_names_the_fields_and_saves_nothing(api_as, enterprise_admin):
    response = api_as(enterprise_admin).post("/desk/requests", {"category": "none", "title": "短", "body": "太短"})

    assert response.status_code == 422
    assert {"category", "title", "body"} <= set(response.json()["errors"])
    assert not ServiceRequest.objects.exists()


def test_another_enterprise_gets_404_and_an_officer_cannot_confirm(api_as, enterprise_admin, pujiang_officer):
    pk = api_as(enterprise_admin).post("/desk/requests", FILED).json()["id"]
    stranger = factories.enterprise_user(factories.enterprise("pujiang"))

    assert api_as(stranger).get(f"/desk/requests/{pk}").status_code == 404
    assert api_as(stranger).get("/desk/requests").json()["count"] == 0
    refused = api_as(pujiang_officer).post(f"/desk/requests/{pk}/transition", {"action": "confirm", "rating": 5})
    assert refused.status_code in (403, 422)
    assert ServiceRequest.objects.get(pk=pk).status == "submitted"


def test_a_step_that_no_longer_fits_is_refused_on_status(api_as, enterprise_admin, pujiang_officer):
    pk = api_as(enterprise_admin).post("/desk/requests", FILED).json()["id"]
    officer = api_as(pujiang_officer)
    officer.post(f"/desk/requests/{pk}/transition", {"action": "acknowledge"})

    again = officer.post(f"/desk/requests/{pk}/transition", {"action": "acknowledge"})

    assert again.status_code == 422 and "status" in again.json()["errors"]


def test_categories_list_the_sla_in_working_days(api_as, enterprise_admin):
    rows = {row["code"]: row for row in api_as(enterprise_admin).get("/desk/categories").json()}
    assert rows["utilities"]["ack_working_days"] == 1 and rows["utilities"]["resolve_working_days"] == 3
