"""The talent API: own applications only, masked personal data, clear refusals."""

from datetime import date

import pytest
import time_machine

from tests import factories

from .helpers import IN_2023_WINDOW, filled, id_number, open_round, talent_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_window")]


@pytest.fixture
def in_window():
    with time_machine.travel(IN_2023_WINDOW, tick=False):
        yield


@pytest.fixture
def round_2023(district_officer):
    return open_round(district_officer)


def test_a_talent_starts_fills_and_sends_an_application(api_as, round_2023, pujiang_enterprise):
    talent = talent_user()
    api = api_as(talent)

    started = api.post(
        "/talent/applications", {"year": 2023, "level": "elite", "employer_uscc": pujiang_enterprise.uscc}
    )
    assert started.status_code == 201
    pk = started.json()["id"]
    saved = api.patch(f"/talent/applications/{pk}", {"name": "李四", "id_number": id_number(date(1986, 6, 6))})

    assert saved.status_code == 200
    body = saved.json()
    full = id_number(date(1986, 6, 6))
    assert body["id_number"] == f"{full[:6]}********{full[-4:]}"  # masked, never the full number
    assert body["birth_date"] == "1986-06-06"
    assert {p["field"] for p in body["problems"]} >= {"phone", "materials"}
    refused = api.post(f"/talent/applications/{pk}/transition", {"action": "send_to_employer"})
    assert refused.status_code == 422


def test_someone_elses_application_is_a_404(api_as, round_2023, pujiang_enterprise, xinzhuang_enterprise):
    mine = filled(round_2023, talent_user(), employer=pujiang_enterprise)
    other_hr = factories.enterprise_user(xinzhuang_enterprise)

    for client in (api_as(talent_user()), api_as(other_hr)):
        assert client.get(f"/talent/applications/{mine.pk}").status_code == 404
        assert client.patch(f"/talent/applications/{mine.pk}", {"name": "x"}).status_code == 404
        assert client.post(f"/talent/applications/{mine.pk}/transition", {"action": "withdraw"}).status_code == 404


def test_the_employer_sees_its_applications_and_the_town_its_queue(
    api_as, round_2023, pujiang_enterprise, pujiang_officer, xinzhuang_officer
):
    hr = factories.enterprise_user(pujiang_enterprise)
    application = filled(round_2023, hr)

    assert [row["id"] for row in api_as(hr).get("/talent/applications").json()["items"]] == [application.pk]
    assert [row["id"] for row in api_as(pujiang_officer).get("/talent/applications").json()["items"]] == [
        application.pk
    ]
    assert api_as(xinzhuang_officer).get("/talent/applications").json()["items"] == []


def test_an_invalid_id_number_is_a_422_naming_the_field(api_as, round_2023):
    hr = factories.enterprise_user(factories.enterprise("pujiang"))
    application = filled(round_2023, hr)

    response = api_as(hr).patch(f"/talent/applications/{application.pk}", {"id_number": "310104198502301234"})

    assert response.status_code == 422
    assert "id_number" in str(response.json())
