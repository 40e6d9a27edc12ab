"""Matchmaking events (对接会): events, slots, registration and one-to-one meetings without double bookings."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from huey.contrib.djhuey import HUEY

from sanlian.chain import event_selectors as selectors
from sanlian.chain import event_tasks
from sanlian.chain.models import Booking, MatchEvent, MeetingRequest, Participant, Slot
from sanlian.chain.services import events as services
from sanlian.core.models import AuditEvent, Notification
from tests import factories

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
EVENT_DATE = date(2026, 3, 16)
M = MeetingRequest.Status


def event_data(**overrides) -> dict:
    data = {
        "title": "2026 浦江镇生物医药产业链供需对接会",
        "venue": "浦江镇生物医药产业园会议中心",
        "date": EVENT_DATE,
        "description": "上下游企业一对一洽谈",
        "request_ttl_hours": 48,
    }
    data.update(overrides)
    return data


def open_event(officer, *, slots: bool = True, **overrides) -> MatchEvent:
    """An open event on EVENT_DATE with nine 20-minute slots from 09:00 to 12:00."""
    event = services.event_save(actor=officer, data=event_data(**overrides), now=NOW)
    if slots:
        services.slots_generate(actor=officer, event=event, start=time(9), end=time(12), minutes=20, now=NOW)
    return services.event_set_status(actor=officer, event=event, status=MatchEvent.Status.OPEN, now=NOW)


def member(name: str):
    """A Pujiang enterprise with its admin login."""
    enterprise = factories.enterprise("pujiang", name=name)
    return factories.enterprise_user(enterprise)


def register(user, event, now=NOW) -> Participant:
    return services.event_register(actor=user, event=event, representative="", now=now)


def slot_at(event, hour: int, minute: int = 0) -> Slot:
    return Slot.objects.get(event=event, start_at=datetime.combine(EVENT_DATE, time(hour, minute), tzinfo=TZ))


def ask(user, event, recipient, slot, now=NOW, message="希望洽谈原料供应") -> MeetingRequest:
    return services.meeting_request(actor=user, event=event, recipient=recipient, slot=slot, message=message, now=now)


def answer(user, meeting, accept=True, now=NOW) -> MeetingRequest:
    return services.meeting_answer(actor=user, request=meeting, accept=accept, now=now)


def snapshot(event) -> tuple:
    return (
        sorted(MeetingRequest.objects.filter(event=event).values_list("pk", "status", "answered_at")),
        sorted(Booking.objects.filter(slot__event=event).values_list("slot_id", "participant_id", "meeting_id")),
    )


@pytest.fixture
def event(pujiang_officer):
    return open_event(pujiang_officer)


@pytest.fixture
def alice(enterprise_admin):
    return enterprise_admin


@pytest.fixture
def bob(db):
    return member("浦江测试原料药有限公司")


@pytest.fixture
def carol(db):
    return member("浦江测试CRO服务有限公司")


@pytest.fixture
def parts(event, alice, bob, carol):
    """The three enterprises registered: (alice's, bob's, carol's) participants."""
    return register(alice, event), register(bob, event), register(carol, event)


# Events ----------------------------------------------------------------------------------------------


def test_an_officer_creates_a_draft_event_in_their_own_town(pujiang_officer):
    event = services.event_save(actor=pujiang_officer, data=event_data(), now=NOW)

    assert event.status == MatchEvent.Status.DRAFT
    assert event.town.code == "pujiang"
    assert event.organiser == pujiang_officer
    assert AuditEvent.objects.filter(action="event.create", target_id=str(event.pk)).exists()


@pytest.mark.parametrize("hours", [0, 169, "abc", -3])
def test_a_request_time_to_live_outside_one_to_168_hours_is_refused(pujiang_officer, hours):
    with pytest.raises(ValidationError) as exc:
        services.event_save(actor=pujiang_officer, data=event_data(request_ttl_hours=hours), now=NOW)

    assert "request_ttl_hours" in exc.value.message_dict
    assert not MatchEvent.objects.exists()


def test_an_event_without_title_or_in_the_past_is_refused(pujiang_officer):
    with pytest.raises(ValidationError) as exc:
        services.event_save(actor=pujiang_officer, data=event_data(title="  "), now=NOW)
    assert "title" in exc.value.message_dict

    with pytest.raises(ValidationError) as exc:
        services.event_save(actor=pujiang_officer, data=event_data(date=date(2026, 3, 1)), now=NOW)
    assert "date" in exc.value.message_dict
    assert not MatchEvent.objects.exists()


def test_an_officer_of_another_town_cannot_edit_the_event(event, xinzhuang_officer):
    with pytest.raises(PermissionDenied):
        services.event_save(actor=xinzhuang_officer, data={"title": "改名"}, event=event, now=NOW)

    assert MatchEvent.objects.get(pk=event.pk).title == event_data()["title"]


def test_an_enterprise_user_cannot_create_events(enterprise_admin):
    with pytest.raises(PermissionDenied):
        services.event_save(actor=enterprise_admin, data=event_data(), now=NOW)


def test_the_date_cannot_move_once_slots_exist(pujiang_officer, event):
    with pytest.raises(ValidationError) as exc:
        services.event_save(actor=pujiang_officer, data={"date": date(2026, 3, 20)}, event=event, now=NOW)

    assert "date" in exc.value.message_dict
    assert MatchEvent.objects.get(pk=event.pk).date == EVENT_DATE


def test_closing_an_event_lets_its_pending_requests_lapse(pujiang_officer, event, parts, alice):
    a, b, _c = parts
    meeting = ask(alice, event, b, slot_at(event, 9))

    services.event_set_status(actor=pujiang_officer, event=event, status=MatchEvent.Status.CLOSED, now=NOW)

    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.EXPIRED


# Slots -----------------------------------------------------------------------------------------------


def test_slots_cut_the_event_day_into_back_to_back_slots_in_local_time(event):
    slots = list(Slot.objects.filter(event=event).order_by("start_at"))

    assert len(slots) == 9
    assert slots[0].start_at == datetime(2026, 3, 16, 9, 0, tzinfo=TZ)
    assert slots[-1].end_at == datetime(2026, 3, 16, 12, 0, tzinfo=TZ)
    assert all(s.end_at - s.start_at == timedelta(minutes=20) for s in slots)
    assert all(a.end_at == b.start_at for a, b in zip(slots, slots[1:], strict=False))


@pytest.mark.parametrize("minutes", [9, 121, 0, "x"])
def test_slot_lengths_outside_ten_to_120_minutes_are_refused(pujiang_officer, event, minutes):
    with pytest.raises(ValidationError) as exc:
        services.slots_generate(
            actor=pujiang_officer, event=event, start=time(14), end=time(17), minutes=minutes, now=NOW
        )

    assert "minutes" in exc.value.message_dict
    assert Slot.objects.filter(event=event).count() == 9


def test_slots_must_end_after_they_start_and_fit_at_least_once(pujiang_officer, event):
    with pytest.raises(ValidationError) as exc:
        services.slots_generate(actor=pujiang_officer, event=event, start=time(15), end=time(14), minutes=20, now=NOW)
    assert "end" in exc.value.message_dict

    with pytest.raises(ValidationError) as exc:
        services.slots_generate(
            actor=pujiang_officer, event=event, start=time(14), end=time(14, 15), minutes=20, now=NOW
        )
    assert "minutes" in exc.value.message_dict
    assert Slot.objects.filter(event=event).count() == 9


def test_overlapping_or_duplicate_slots_are_refused(pujiang_officer, event):
    for start, end in ((time(9), time(12)), (time(11, 50), time(13)), (time(8), time(9, 10))):
        with pytest.raises(ValidationError) as exc:
            services.slots_generate(actor=pujiang_officer, event=event, start=start, end=end, minutes=20, now=NOW)
        assert "重叠" in exc.value.message_dict["start"][0]

    assert Slot.objects.filter(event=event).count() == 9


def test_slots_that_do_not_overlap_are_added(pujiang_officer, event):
    added = services.slots_generate(
        actor=pujiang_officer, event=event, start=time(13, 30), end=time(15), minutes=30, now=NOW
    )

    assert len(added) == 3
    assert Slot.objects.filter(event=event).count() == 12


def test_replacing_free_slots_regenerates_them(pujiang_officer, event):
    services.slots_generate(
        actor=pujiang_officer, event=event, start=time(9), end=time(12), minutes=30, now=NOW, replace=True
    )

    assert Slot.objects.filter(event=event).count() == 6


def test_slots_with_an_accepted_meeting_cannot_be_changed(pujiang_officer, event, parts, alice, bob):
    _a, b, _c = parts
    answer(bob, ask(alice, event, b, slot_at(event, 9, 20)))
    before = (list(Slot.objects.filter(event=event).values_list("pk", flat=True)), snapshot(event))

    with pytest.raises(ValidationError) as exc:
        services.slots_generate(
            actor=pujiang_officer, event=event, start=time(9), end=time(12), minutes=30, now=NOW, replace=True
        )

    assert "已有确认的洽谈" in exc.value.message_dict["start"][0]
    assert (list(Slot.objects.filter(event=event).values_list("pk", flat=True)), snapshot(event)) == before


def test_slots_in_the_past_are_refused(pujiang_officer, event):
    with pytest.raises(ValidationError) as exc:
        services.slots_generate(
            actor=pujiang_officer,
            event=event,
            start=time(14),
            end=time(15),
            minutes=20,
            now=datetime(2026, 3, 16, 14, 30, tzinfo=TZ),
        )

    assert "start" in exc.value.message_dict


# Registration ----------------------------------------------------------------------------------------


def test_an_enterprise_registers_once(event, alice):
    participant = register(alice, event)

    assert participant.enterprise_id == alice.enterprise_id
    assert participant.representative == alice.display_name
    with pytest.raises(ValidationError) as exc:
        register(alice, event)
    assert "已报名" in exc.value.message_dict["event"][0]
    assert Participant.objects.filter(event=event).count() == 1


def test_registration_is_refused_while_the_event_is_not_open(pujiang_officer, alice):
    draft = services.event_save(actor=pujiang_officer, data=event_data(), now=NOW)

    with pytest.raises(ValidationError) as exc:
        register(alice, draft)

    assert "event" in exc.value.message_dict
    assert not Participant.objects.exists()


def test_officers_do_not_register(event, pujiang_officer):
    with pytest.raises(PermissionDenied):
        register(pujiang_officer, event)


# Meeting requests ------------------------------------------------------------------------------------


def test_a_request_is_pending_until_the_time_to_live_and_notifies_the_recipient(event, parts, alice, bob):
    _a, b, _c = parts

    meeting = ask(alice, event, b, slot_at(event, 10))

    assert meeting.status == M.REQUESTED
    assert meeting.expires_at == NOW + timedelta(hours=48)
    assert Notification.objects.filter(recipient=bob, title__contains="邀请贵企业").exists()


def test_a_request_expires_no_later_than_its_slot_starts(event, parts, alice):
    _a, b, _c = parts
    late = datetime(2026, 3, 15, 12, 0, tzinfo=TZ)

    meeting = ask(alice, event, b, slot_at(event, 9), now=late)

    assert meeting.expires_at == datetime(2026, 3, 16, 9, 0, tzinfo=TZ)


def test_an_unregistered_enterprise_cannot_request_a_meeting(event, parts, alice, bob):
    _a, b, _c = parts
    outsider = member("浦江测试未报名企业有限公司")

    with pytest.raises(ValidationError) as exc:
        ask(outsider, event, b, slot_at(event, 9))

    assert "尚未报名" in exc.value.message_dict["event"][0]
    assert not MeetingRequest.objects.exists()


def test_a_request_to_oneself_is_refused(event, parts, alice):
    a, _b, _c = parts

    with pytest.raises(ValidationError) as exc:
        ask(alice, event, a, slot_at(event, 9))

    assert "recipient" in exc.value.message_dict
    assert not MeetingRequest.objects.exists()


def test_a_second_pending_request_for_the_same_pair_and_slot_is_refused(event, parts, alice, bob):
    a, b, _c = parts
    ask(alice, event, b, slot_at(event, 9))

    with pytest.raises(ValidationError):
        ask(alice, event, b, slot_at(event, 9))
    with pytest.raises(ValidationError) as exc:
        ask(bob, event, a, slot_at(event, 9))

    assert "直接" in exc.value.message_dict["slot"][0]
    assert MeetingRequest.objects.count() == 1
    ask(alice, event, b, slot_at(event, 9, 20))  # another slot is fine
    assert MeetingRequest.objects.count() == 2


def test_requests_are_refused_when_the_event_is_not_open(pujiang_officer, event, parts, alice):
    _a, b, _c = parts
    services.event_set_status(actor=pujiang_officer, event=event, status=MatchEvent.Status.CLOSED, now=NOW)

    with pytest.raises(ValidationError) as exc:
        ask(alice, event, b, slot_at(event, 9))

    assert "event" in exc.value.message_dict
    assert not MeetingRequest.objects.exists()


def test_a_request_into_a_slot_the_recipient_has_booked_is_refused_naming_the_recipient(
    event, parts, alice, bob, carol
):
    a, b, c = parts
    answer(bob, ask(carol, event, b, slot_at(event, 9)))
    before = snapshot(event)

    with pytest.raises(ValidationError) as exc:
        ask(alice, event, b, slot_at(event, 9))

    message = exc.value.message_dict["slot"][0]
    assert "该时段已被占用" in message
    assert "浦江测试原料药有限公司" in message
    assert snapshot(event) == before


def test_a_request_into_a_slot_the_requester_has_booked_is_refused_naming_the_requester(
    event, parts, alice, bob, carol
):
    a, b, c = parts
    answer(bob, ask(alice, event, b, slot_at(event, 9)))
    before = snapshot(event)

    with pytest.raises(ValidationError) as exc:
        ask(alice, event, c, slot_at(event, 9))

    message = exc.value.message_dict["slot"][0]
    assert "该时段已被占用" in message and "贵企业" in message
    assert snapshot(event) == before


# Answers ---------------------------------------------------------------------------------------------


def test_accepting_books_the_slot_for_both_sides(event, parts, alice, bob):
    a, b, _c = parts
    meeting = answer(bob, ask(alice, event, b, slot_at(event, 9)))

    assert meeting.status == M.ACCEPTED
    assert meeting.answered_at == NOW
    assert set(Booking.objects.filter(meeting=meeting).values_list("participant_id", flat=True)) == {a.pk, b.pk}
    assert Notification.objects.filter(recipient=alice, title__contains="接受了您的洽谈邀约").exists()


def test_only_the_recipient_answers(event, parts, alice, bob, carol):
    _a, b, _c = parts
    meeting = ask(alice, event, b, slot_at(event, 9))

    for someone in (alice, carol):
        with pytest.raises(PermissionDenied):
            answer(someone, meeting)

    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.REQUESTED
    assert not Booking.objects.exists()


def test_declining_books_nothing_and_tells_the_requester(event, parts, alice, bob):
    _a, b, _c = parts
    meeting = answer(bob, ask(alice, event, b, slot_at(event, 9)), accept=False)

    assert meeting.status == M.DECLINED
    assert not Booking.objects.exists()
    assert Notification.objects.filter(recipient=alice, title__contains="婉拒").exists()


def test_accepting_declines_the_other_pending_requests_that_now_collide(event, parts, alice, bob, carol):
    a, b, c = parts
    slot = slot_at(event, 9)
    mine = ask(alice, event, b, slot)
    to_bob = ask(carol, event, b, slot)  # bob is now busy in the slot
    from_alice = ask(alice, event, c, slot)  # alice is now busy in the slot
    elsewhere = ask(carol, event, b, slot_at(event, 9, 20))  # another slot: untouched

    answer(bob, mine)

    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses[to_bob.pk] == M.DECLINED
    assert statuses[from_alice.pk] == M.DECLINED
    assert statuses[elsewhere.pk] == M.REQUESTED
    note = AuditEvent.objects.get(action="meeting.auto_decline", target_id=str(to_bob.pk)).note
    assert "自动婉拒" in note
    assert Notification.objects.filter(recipient=carol, title__contains="已自动婉拒").exists()


def test_the_other_side_cannot_be_double_booked_once_a_meeting_is_accepted(event, parts, alice, bob, carol):
    a, b, c = parts
    slot = slot_at(event, 9)
    answer(bob, ask(alice, event, b, slot))

    for asker, target in ((carol, b), (carol, a)):
        with pytest.raises(ValidationError) as exc:
            ask(asker, event, target, slot)
        assert "该时段已被占用" in exc.value.message_dict["slot"][0]
    assert Booking.objects.filter(slot=slot).count() == 2


@pytest.mark.parametrize("taken_by", ["recipient", "requester"])
def test_accepting_when_the_slot_was_taken_meanwhile_is_refused_and_changes_nothing(
    event, parts, alice, bob, carol, taken_by
):
    """The concurrent case: the database's unique (slot, participant) refuses the second booking."""
    a, b, c = parts
    slot = slot_at(event, 9)
    meeting = ask(alice, event, b, slot)
    rival = ask(carol, event, b if taken_by == "recipient" else a, slot)
    # Another transaction booked the slot after our checks could have looked: write its booking directly.
    holder = b if taken_by == "recipient" else a
    Booking.objects.create(slot=slot, participant=holder, meeting=rival)
    before = snapshot(event)
    notifications = Notification.objects.count()

    with pytest.raises(ValidationError) as exc:
        answer(bob, meeting)

    message = exc.value.message_dict["slot"][0]
    assert "该时段已被占用" in message
    assert ("贵企业" if taken_by == "recipient" else "浦江测试医疗器械有限公司") in message
    assert snapshot(event) == before
    assert Notification.objects.count() == notifications


def test_an_expired_request_can_no_longer_be_answered(event, parts, alice, bob):
    _a, b, _c = parts
    meeting = ask(alice, event, b, slot_at(event, 9))

    with pytest.raises(ValidationError):
        answer(bob, meeting, now=NOW + timedelta(hours=49))

    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.REQUESTED
    assert not Booking.objects.exists()


# Cancellation ----------------------------------------------------------------------------------------


def test_either_side_cancels_an_accepted_meeting_which_frees_the_slot(event, parts, alice, bob, carol):
    _a, b, _c = parts
    slot = slot_at(event, 9)
    meeting = answer(bob, ask(alice, event, b, slot))

    services.meeting_cancel(actor=alice, request=meeting, reason="行程冲突", now=NOW)

    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.CANCELLED
    assert not Booking.objects.filter(slot=slot).exists()
    assert Notification.objects.filter(recipient=bob, title__contains="取消").exists()
    ask(carol, event, b, slot)  # bob is free again


def test_a_meeting_cannot_be_cancelled_once_its_slot_has_started(event, parts, alice, bob, carol):
    _a, b, _c = parts
    meeting = answer(bob, ask(alice, event, b, slot_at(event, 9)))

    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=bob, request=meeting, now=datetime(2026, 3, 16, 9, 5, tzinfo=TZ))
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=carol, request=meeting, now=NOW)

    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.ACCEPTED
    assert Booking.objects.filter(meeting=meeting).count() == 2


# Expiry ----------------------------------------------------------------------------------------------


def test_the_expiry_job_lapses_overdue_pending_requests_once(event, parts, alice, bob, carol):
    a, b, c = parts
    overdue = ask(alice, event, b, slot_at(event, 9))
    fresh = ask(carol, event, b, slot_at(event, 10), now=NOW + timedelta(hours=24))
    accepted = answer(bob, ask(alice, event, b, slot_at(event, 11)))

    later = NOW + timedelta(hours=48)
    assert services.meeting_requests_expire(now=later) == 1
    assert services.meeting_requests_expire(now=later) == 0

    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {overdue.pk: M.EXPIRED, fresh.pk: M.REQUESTED, accepted.pk: M.ACCEPTED}
    assert Notification.objects.filter(recipient=alice, title__contains="已过期").count() == 1


def test_the_expiry_job_runs_every_fifteen_minutes():
    task = event_tasks.expire_meeting_requests.task_class()

    assert task.name in {t.name for t in HUEY._registry.periodic_tasks}
    assert task.validate_datetime(datetime(2026, 3, 2, 10, 15))
    assert task.validate_datetime(datetime(2026, 3, 2, 10, 45))
    assert not task.validate_datetime(datetime(2026, 3, 2, 10, 20))


def test_the_expiry_task_expires_overdue_requests(event, parts, alice):
    _a, b, _c = parts
    meeting = ask(alice, event, b, slot_at(event, 9))

    with time_machine.travel(NOW + timedelta(hours=49), tick=False):
        event_tasks.expire_meeting_requests.call_local()

    assert MeetingRequest.objects.get(pk=meeting.pk).status == M.EXPIRED


# Selectors -------------------------------------------------------------------------------------------


def test_a_schedule_lists_only_accepted_meetings_in_time_order(event, parts, alice, bob, carol):
    a, b, c = parts
    answer(bob, ask(alice, event, b, slot_at(event, 11)))
    answer(carol, ask(alice, event, c, slot_at(event, 9, 20)))
    ask(alice, event, b, slot_at(event, 10))  # pending
    cancelled = answer(bob, ask(alice, event, b, slot_at(event, 10, 40)))
    services.meeting_cancel(actor=bob, request=cancelled, now=NOW)

    lines = selectors.schedule_of(participant=a)

    assert [(line.slot.start_at.astimezone(TZ).strftime("%H:%M"), line.other.pk) for line in lines] == [
        ("09:20", c.pk),
        ("11:00", b.pk),
    ]


# Demo ------------------------------------------------------------------------------------------------


def test_the_demo_tells_both_events_without_double_bookings_and_only_once(pujiang_officer):
    from sanlian.demo import chain_events
    from sanlian.enterprises.models import Enterprise

    showcase = factories.enterprise("pujiang", name="浦江演示展示企业有限公司")
    ent_admin = factories.enterprise_user(showcase, username="ent_admin")
    for i in range(20):
        factories.enterprise("pujiang", name=f"浦江演示生物医药企业{i:02d}有限公司")
    Enterprise.objects.update(is_demo=True)
    now = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)

    counts = chain_events.load(now=now, rng=random.Random(7))

    assert counts == {
        "events": 2,
        "participants": 25,
        "slots": 15,
        "accepted": 20,
        "pending": 6,
        "expired": 4,
        "declined": 4,
    }
    upcoming = MatchEvent.objects.get(status=MatchEvent.Status.OPEN)
    assert upcoming.date == date(2026, 12, 10) and upcoming.title.startswith("2026")
    assert MatchEvent.objects.filter(status=MatchEvent.Status.CLOSED).count() == 1
    mine = Participant.objects.get(event=upcoming, enterprise=showcase)
    assert MeetingRequest.objects.filter(recipient=mine, status=M.REQUESTED).count() >= 3
    assert len(selectors.schedule_of(participant=mine)) >= 3
    accepted = MeetingRequest.objects.filter(status=M.ACCEPTED).count()
    assert Booking.objects.count() == 2 * accepted == 40
    assert MeetingRequest.objects.filter(status=M.REQUESTED, expires_at__gt=now).count() == 6
    assert chain_events.load(now=now, rng=random.Random(7))["events"] == 0
    assert ent_admin.enterprise_id == showcase.pk
