"""Matchmaking events in /api/v1: the public list, registration and one-to-one meetings, scoped like the pages."""

import pytest
import time_machine

from sanlian.chain.models import MeetingRequest, Participant
from tests.api.client import ApiClient

from .test_events import NOW, member, open_event, register, slot_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(pujiang_officer):
    return open_event(pujiang_officer)


def test_anyone_lists_open_events(event):
    listed = ApiClient().get("/chain/events").json()["items"]

    assert [e["id"] for e in listed] == [event.pk]
    assert ApiClient().get(f"/chain/events/{event.pk}").status_code == 401


def test_an_enterprise_registers_once_and_sees_itself(api_as, event):
    user = member("浦江甲医药有限公司")
    client = api_as(user)

    first = client.post(f"/chain/events/{event.pk}/participants", {"representative": "张三", "enterprise": 1})
    again = client.post(f"/chain/events/{event.pk}/participants", {})

    assert first.status_code == 201 and first.json()["me"]["enterprise"] == user.enterprise_id
    assert again.status_code == 422
    assert Participant.objects.filter(event=event).count() == 1


def test_an_officer_may_not_register(api_as, event, pujiang_officer):
    assert api_as(pujiang_officer).post(f"/chain/events/{event.pk}/participants", {}).status_code == 403


def test_a_meeting_is_asked_accepted_and_cancelled_by_its_sides_only(api_as, event):
    alice, bob, carol = member("甲公司"), member("乙公司"), member("丙公司")
    register(alice, event)
    bob_participant = register(bob, event)
    slot = slot_at(event, 9)

    asked = api_as(alice).post(f"/chain/events/{event.pk}/meetings", {"recipient": bob_participant.pk, "slot": slot.pk})
    meeting = asked.json()["id"]
    outsider = api_as(carol).post(f"/chain/meetings/{meeting}/answer", {"answer": "accept"})
    accepted = api_as(bob).post(f"/chain/meetings/{meeting}/answer", {"answer": "accept"})
    cancelled = api_as(alice).post(f"/chain/meetings/{meeting}/cancel", {"reason": "行程冲突"})

    assert asked.status_code == 201, asked.json()
    assert outsider.status_code == 404
    assert accepted.json()["status"] == "accepted"
    assert cancelled.json()["status"] == "cancelled"


def test_a_meeting_with_an_unknown_slot_is_refused_naming_it(api_as, event):
    alice, bob = member("甲公司"), member("乙公司")
    register(alice, event)
    bob_participant = register(bob, event)

    response = api_as(alice).post(
        f"/chain/events/{event.pk}/meetings", {"recipient": bob_participant.pk, "slot": 999999}
    )

    assert response.status_code == 422 and "slot" in response.json()["errors"]
    assert not MeetingRequest.objects.exists()


def test_a_draft_event_is_404_to_another_towns_officer(api_as, pujiang_officer, xinzhuang_officer):
    from sanlian.chain.services import events as services

    from .test_events import event_data

    draft = services.event_save(actor=pujiang_officer, data=event_data(), now=NOW)

    assert api_as(pujiang_officer).get(f"/chain/events/{draft.pk}").json()["status"] == "draft"
    assert api_as(xinzhuang_officer).get(f"/chain/events/{draft.pk}").status_code == 404
