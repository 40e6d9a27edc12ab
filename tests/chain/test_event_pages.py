"""Matchmaking event pages: the public list, the detail with its slot grid, the forms and printable schedules."""

import re
from datetime import time
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanlian.chain.models import Booking, MatchEvent, MeetingRequest, Participant, Slot
from sanlian.chain.services import events as services
from sanlian.core.models import Role
from tests import factories

from .test_events import NOW, answer, ask, event_data, member, open_event, register, slot_at

pytestmark = pytest.mark.django_db
M = MeetingRequest.Status


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(pujiang_officer):
    return open_event(pujiang_officer)


@pytest.fixture
def bob(db):
    return member("浦江测试原料药有限公司")


@pytest.fixture
def carol(db):
    return member("浦江测试CRO服务有限公司")


@pytest.fixture
def parts(event, enterprise_admin, bob, carol):
    return register(enterprise_admin, event), register(bob, event), register(carol, event)


# The public list -------------------------------------------------------------------------------------


def test_anonymous_visitors_see_open_events_without_participant_details(client, pujiang_officer, event, parts):
    draft = services.event_save(actor=pujiang_officer, data=event_data(title="筹备中的闭门会"), now=NOW)

    response = client.get(reverse("chain:events"))

    assert response.status_code == 200
    page = response.content.decode()
    assert event.title in page and event.venue in page and "2026年3月16日" in page
    assert draft.title not in page
    assert "浦江测试原料药有限公司" not in page
    assert "浦江测试医疗器械有限公司" not in page


def test_anonymous_visitors_are_sent_to_log_in_for_the_detail(client, event):
    response = client.get(reverse("chain:event", args=[event.pk]))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_officers_see_their_drafts_in_the_list(client, pujiang_officer, event):
    draft = services.event_save(actor=pujiang_officer, data=event_data(title="筹备中的闭门会"), now=NOW)
    client.force_login(pujiang_officer)

    page = client.get(reverse("chain:events")).content.decode()

    assert draft.title in page and event.title in page
    assert reverse("chain:event-new") in page


def test_enterprise_users_do_not_see_drafts(client, pujiang_officer, enterprise_admin):
    draft = services.event_save(actor=pujiang_officer, data=event_data(title="筹备中的闭门会"), now=NOW)
    client.force_login(enterprise_admin)

    assert draft.title not in client.get(reverse("chain:events")).content.decode()
    assert client.get(reverse("chain:event", args=[draft.pk])).status_code == 404


# Officers --------------------------------------------------------------------------------------------


def test_an_officer_creates_an_event_and_generates_its_slots(client, pujiang_officer):
    client.force_login(pujiang_officer)
    data = {**event_data(), "town": "pujiang", "date": "2026-03-16"}

    response = client.post(reverse("chain:event-new"), data)

    event = MatchEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("chain:event", args=[event.pk])
    response = client.post(
        reverse("chain:event-slots", args=[event.pk]), {"start": "14:00", "end": "16:00", "minutes": "30"}
    )
    assert response.status_code == 302
    assert Slot.objects.filter(event=event).count() == 4


def test_overlapping_slots_are_refused_on_the_page(client, pujiang_officer, event):
    client.force_login(pujiang_officer)

    response = client.post(
        reverse("chain:event-slots", args=[event.pk]), {"start": "09:00", "end": "10:00", "minutes": "20"}
    )

    assert response.status_code == 400
    assert "重叠" in response.content.decode()
    assert Slot.objects.filter(event=event).count() == 9


def test_an_officer_opens_and_closes_an_event_from_the_edit_page(client, pujiang_officer):
    event = services.event_save(actor=pujiang_officer, data=event_data(), now=NOW)
    client.force_login(pujiang_officer)

    client.post(reverse("chain:event-edit", args=[event.pk]), {"to_status": "open"})
    assert MatchEvent.objects.get(pk=event.pk).status == MatchEvent.Status.OPEN
    client.post(reverse("chain:event-edit", args=[event.pk]), {"to_status": "closed"})
    assert MatchEvent.objects.get(pk=event.pk).status == MatchEvent.Status.CLOSED


def test_enterprise_users_cannot_create_events_or_print_everyones_schedule(client, enterprise_admin, event):
    client.force_login(enterprise_admin)

    assert client.get(reverse("chain:event-new")).status_code == 403
    assert client.get(reverse("chain:event-schedules", args=[event.pk])).status_code == 403


# Enterprises -----------------------------------------------------------------------------------------


def test_an_enterprise_registers_from_the_detail_page(client, enterprise_admin, event):
    client.force_login(enterprise_admin)
    assert "报名参会" in client.get(reverse("chain:event", args=[event.pk])).content.decode()

    response = client.post(reverse("chain:event-register", args=[event.pk]), {"representative": "许佳琪"})

    assert response.status_code == 302
    assert Participant.objects.get(event=event).representative == "许佳琪"
    assert client.post(reverse("chain:event-register", args=[event.pk]), {}).status_code == 400


def test_the_detail_shows_participants_and_which_slots_are_free_for_me(client, enterprise_admin, bob, event, parts):
    a, b, c = parts
    answer(bob, ask(enterprise_admin, event, b, slot_at(event, 9)))
    client.force_login(enterprise_admin)

    page = client.get(reverse("chain:event", args=[event.pk])).content.decode()

    assert "浦江测试原料药有限公司" in page and "浦江测试CRO服务有限公司" in page
    assert f"?recipient={c.pk}&amp;slot={slot_at(event, 9, 20).pk}" in page  # free for both: can request
    assert f"?recipient={c.pk}&amp;slot={slot_at(event, 9).pk}" not in page  # I am booked at 09:00


def test_a_request_into_a_taken_slot_is_refused_with_the_message(client, enterprise_admin, bob, carol, event, parts):
    a, b, c = parts
    answer(bob, ask(carol, event, b, slot_at(event, 9)))
    client.force_login(enterprise_admin)

    response = client.post(
        reverse("chain:meeting-request", args=[event.pk]),
        {"recipient": b.pk, "slot": slot_at(event, 9).pk, "message": "想了解原料药供应"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "该时段已被占用" in page and "浦江测试原料药有限公司" in page
    assert not MeetingRequest.objects.filter(requester=a).exists()


def test_a_request_and_its_acceptance_through_the_pages(client, enterprise_admin, bob, event, parts):
    a, b, c = parts
    client.force_login(enterprise_admin)
    response = client.post(
        reverse("chain:meeting-request", args=[event.pk]),
        {"recipient": b.pk, "slot": slot_at(event, 10).pk, "message": "想了解原料药供应"},
    )
    assert response.status_code == 302
    meeting = MeetingRequest.objects.get(requester=a)

    assert client.post(reverse("chain:meeting-answer", args=[meeting.pk]), {"answer": "accept"}).status_code == 403
    client.force_login(bob)
    assert "想了解原料药供应" in client.get(reverse("chain:event", args=[event.pk])).content.decode()
    response = client.post(reverse("chain:meeting-answer", args=[meeting.pk]), {"answer": "accept"})

    assert response.status_code == 302
    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.ACCEPTED
    assert Booking.objects.filter(meeting=meeting).count() == 2


def test_an_outsider_cannot_answer_someone_elses_request(client, enterprise_admin, event, parts):
    a, b, c = parts
    meeting = ask(enterprise_admin, event, b, slot_at(event, 10))
    client.force_login(member("浦江测试旁观企业有限公司"))

    assert client.post(reverse("chain:meeting-answer", args=[meeting.pk]), {"answer": "accept"}).status_code == 404


def test_cancelling_through_the_page_frees_the_slot(client, enterprise_admin, bob, event, parts):
    a, b, c = parts
    meeting = answer(bob, ask(enterprise_admin, event, b, slot_at(event, 10)))
    client.force_login(enterprise_admin)

    response = client.post(reverse("chain:meeting-cancel", args=[meeting.pk]), {"reason": "行程冲突"})

    assert response.status_code == 302
    assert not Booking.objects.filter(meeting=meeting).exists()


# Printable schedules ---------------------------------------------------------------------------------


def test_the_printable_schedule_lists_only_my_accepted_meetings_in_time_order(
    client, enterprise_admin, bob, carol, event, parts
):
    a, b, c = parts
    answer(bob, ask(enterprise_admin, event, b, slot_at(event, 11)))
    answer(carol, ask(enterprise_admin, event, c, slot_at(event, 9, 20)))
    ask(carol, event, b, slot_at(event, 10))  # pending, not mine
    answer(carol, ask(bob, event, c, slot_at(event, 10, 20)))  # accepted, not mine
    ask(enterprise_admin, event, b, slot_at(event, 9, 40))  # mine but pending
    client.force_login(enterprise_admin)

    response = client.get(reverse("chain:event-schedule", args=[event.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "css/print-schedule.css" in page
    assert event.venue in page
    rows = re.findall(r'<td class="schedule-time">(\d\d:\d\d)–\d\d:\d\d</td>\s*<td>([^<]+)</td>', page)
    assert rows == [("09:20", "浦江测试CRO服务有限公司"), ("11:00", "浦江测试原料药有限公司")]


def test_the_print_stylesheet_has_print_rules():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/print-schedule.css")).read_text(encoding="utf-8")

    assert "@media print" in css and "page-break-after" in css


def test_an_officer_prints_every_participants_schedule(client, pujiang_officer, enterprise_admin, bob, event, parts):
    answer(bob, ask(enterprise_admin, event, parts[1], slot_at(event, 9)))
    client.force_login(pujiang_officer)

    response = client.get(reverse("chain:event-schedules", args=[event.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="schedule-sheet"') == 3
    assert "浦江测试CRO服务有限公司" in page


def test_an_unregistered_enterprise_has_no_schedule(client, event):
    client.force_login(member("浦江测试未报名企业有限公司"))

    assert client.get(reverse("chain:event-schedule", args=[event.pk])).status_code == 404


def test_the_detail_page_query_count_does_not_grow_with_participants(client, pujiang_officer, event, parts):
    client.force_login(pujiang_officer)
    url = reverse("chain:event", args=[event.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    newcomers = []
    for i in range(6):
        user = member(f"浦江测试新增企业{i}有限公司")
        newcomers.append((user, register(user, event)))
    for (asker, _p), (target_user, target) in zip(newcomers[::2], newcomers[1::2], strict=True):
        answer(target_user, ask(asker, event, target, slot_at(event, 9, 20)))
    with CaptureQueriesContext(connection) as large:
        client.get(url)

    assert len(large) == len(small)


def test_slots_generated_after_opening_show_in_the_grid(client, pujiang_officer, event):
    services.slots_generate(actor=pujiang_officer, event=event, start=time(14), end=time(15), minutes=30, now=NOW)
    client.force_login(pujiang_officer)

    page = client.get(reverse("chain:event", args=[event.pk])).content.decode()

    assert "14:00" in page and "14:30" in page


def test_an_officer_prints_one_participants_schedule_but_an_enterprise_only_its_own(
    client, pujiang_officer, enterprise_admin, bob, event, parts
):
    a, b, c = parts
    answer(bob, ask(enterprise_admin, event, b, slot_at(event, 9)))
    url = reverse("chain:event-schedule", args=[event.pk])

    client.force_login(pujiang_officer)
    page = client.get(f"{url}?participant={c.pk}").content.decode()
    assert "浦江测试CRO服务有限公司 · 洽谈日程" in page and "暂无已确认的洽谈" in page

    client.force_login(bob)
    page = client.get(f"{url}?participant={c.pk}").content.decode()
    assert "浦江测试原料药有限公司 · 洽谈日程" in page and "浦江测试医疗器械有限公司" in page


def test_other_logged_in_roles_see_the_public_list_but_not_the_details(client, event, parts):
    talent = factories.UserFactory(role=Role.TALENT)
    client.force_login(talent)

    page = client.get(reverse("chain:events")).content.decode()

    assert event.title in page and "浦江测试原料药有限公司" not in page
    assert client.get(reverse("chain:event", args=[event.pk])).status_code == 404
