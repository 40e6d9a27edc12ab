"""Registering for a community event: seats, the waiting list and its promotion, approval, refusals."""

import threading
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sanlian.community.models import Event, Registration
from sanlian.community.services import events as services
from sanlian.core.models import Notification
from tests import factories

from .event_helpers import NOW, STARTS, event_data, published_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(pujiang_enterprise, xinzhuang_enterprise):
    return [
        factories.enterprise_user(pujiang_enterprise, username="a"),
        factories.enterprise_user(xinzhuang_enterprise, username="b"),
        factories.officer(username="c"),
    ]


def statuses(event):
    return list(event.registrations.order_by("id").values_list("user__username", "status", "waitlist_position"))


def test_registrations_take_seats_until_full_then_join_the_waiting_list_in_order(pujiang_officer, people):
    event = published_event(pujiang_officer, capacity=2)

    for person in people:
        register(person, event)

    assert statuses(event) == [("a", "approved", None), ("b", "approved", None), ("c", "waitlisted", 1)]
    assert event.registrations.get(user=people[0]).enterprise == people[0].enterprise


def test_a_cancellation_promotes_the_first_waitlisted_and_tells_them(pujiang_officer, people):
    event = published_event(pujiang_officer, capacity=1)
    first, second, third = (register(p, event) for p in people)

    services.registration_transition(actor=people[0], registration=first, action="cancel", now=NOW)

    assert statuses(event) == [("a", "cancelled", None), ("b", "approved", None), ("c", "waitlisted", 1)]
    assert Notification.objects.filter(recipient=people[1], title__contains="候补成功").exists()
    assert not Notification.objects.filter(recipient=people[2]).exists()


def test_registering_twice_is_refused_and_nothing_changes(pujiang_officer, people):
    event = published_event(pujiang_officer)
    register(people[0], event)

    with pytest.raises(ValidationError) as refused:
        register(people[0], event)

    assert refused.value.message_dict["event"] == ["您已报名该活动,请勿重复报名"]
    assert event.registrations.count() == 1


def test_after_a_cancellation_the_same_person_may_register_again(pujiang_officer, people):
    event = published_event(pujiang_officer)
    services.registration_transition(actor=people[0], registration=register(people[0], event), action="cancel", now=NOW)

    again = register(people[0], event)

    assert again.status == Registration.Status.APPROVED


@pytest.mark.parametrize(
    ("moment", "message"),
    [(STARTS, "报名已截止"), (NOW - timedelta(days=3), "报名尚未开始")],
)
def test_registering_outside_the_window_is_refused(pujiang_officer, people, moment, message):
    event = published_event(pujiang_officer)

    with pytest.raises(ValidationError) as refused:
        register(people[0], event, now=moment)

    assert refused.value.message_dict["event"] == [message]
    assert not event.registrations.exists()


def test_a_draft_or_cancelled_event_takes_no_registrations(pujiang_officer, people):
    draft = services.event_create(actor=pujiang_officer, data=event_data(), now=NOW)
    cancelled = published_event(pujiang_officer)
    services.event_transition(actor=pujiang_officer, event=cancelled, action="cancel", now=NOW)

    for event in (draft, cancelled):
        with pytest.raises(ValidationError, match="当前不接受报名"):
            register(people[0], event)


def test_with_approval_a_pending_registration_holds_its_seat_until_the_organiser_decides(pujiang_officer, people):
    event = published_event(pujiang_officer, capacity=1, requires_approval=True)
    pending, waiting = register(people[0], event), register(people[1], event)
    assert (pending.status, waiting.status) == ("pending", "waitlisted")

    services.registration_transition(actor=pujiang_officer, registration=pending, action="reject", now=NOW)

    assert statuses(event) == [("a", "rejected", None), ("b", "pending", None)]
    assert Notification.objects.filter(recipient=people[0], title__contains="未通过").exists()
    promoted = event.registrations.get(user=people[1])
    services.registration_transition(actor=pujiang_officer, registration=promoted, action="approve", now=NOW)
    promoted.refresh_from_db()
    assert promoted.status == Registration.Status.APPROVED


def test_only_organisers_approve_and_only_the_owner_or_organisers_cancel(pujiang_officer, xinzhuang_officer, people):
    event = published_event(pujiang_officer, requires_approval=True)
    pending = register(people[0], event)

    for outsider, action in ((people[0], "approve"), (xinzhuang_officer, "approve"), (people[1], "cancel")):
        with pytest.raises(PermissionDenied):
            services.registration_transition(actor=outsider, registration=pending, action=action, now=NOW)

    pending.refresh_from_db()
    assert pending.status == Registration.Status.PENDING


def test_a_secretary_organises_for_their_own_organisation_only(people):
    from sanlian.community.services.organisations import organisation_create

    secretary = factories.org_secretary(username="sec")
    officer = factories.officer(username="o")
    town = officer.region
    mine = organisation_create(
        actor=officer, data={"code": "a", "name": "联盟", "kind": "alliance", "region": town},
        secretaries=[secretary], now=NOW,
    )  # fmt: skip
    other = organisation_create(
        actor=officer, data={"code": "b", "name": "商会", "kind": "chamber", "region": town}, now=NOW
    )

    event = services.event_create(actor=secretary, data=event_data(organisation=mine), now=NOW)
    with pytest.raises(ValidationError) as refused:
        services.event_create(actor=secretary, data=event_data(organisation=other), now=NOW)

    assert event.region == town
    assert "organisation" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.event_create(actor=people[0], data=event_data(), now=NOW)


def test_bad_event_input_is_refused_by_field_and_nothing_is_saved(pujiang_officer):
    bad = event_data(title=" ", kind="party", capacity=0, ends_at=STARTS - timedelta(hours=1))

    with pytest.raises(ValidationError) as refused:
        services.event_create(actor=pujiang_officer, data=bad, now=NOW)

    assert {"title", "kind", "capacity", "ends_at"} <= set(refused.value.message_dict)
    assert not Event.objects.exists()


def test_capacity_cannot_be_cut_below_the_seats_taken(pujiang_officer, people):
    event = published_event(pujiang_officer, capacity=2)
    register(people[0], event), register(people[1], event)

    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=pujiang_officer, event=event, data={"capacity": 1}, now=NOW)

    assert refused.value.message_dict["capacity"] == ["名额不能少于已报名人数"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_seat_at_once_get_one_seat_and_one_waitlist_place(
    pujiang_officer, pujiang_enterprise, xinzhuang_enterprise
):
    event = published_event(pujiang_officer, capacity=1)
    people = [factories.enterprise_user(pujiang_enterprise), factories.enterprise_user(xinzhuang_enterprise)]
    barrier = threading.Barrier(2)
    # PostgreSQL: both run at once and the event's row lock orders them. SQLite (one writer, no row
    # locks): they start together and then take turns, the order the lock would impose anyway.
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    outcomes = []

    def attempt(person):
        try:
            barrier.wait(timeout=10)
            with turns:
                outcomes.append(register(person, event).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["approved", "waitlisted"]
    assert event.registrations.filter(status="approved").count() == 1
