"""Space requests, matching with explanations, viewings (no double booking) and leases."""

import threading
from contextlib import nullcontext
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sanlian.core.models import Notification
from sanlian.space import selectors
from sanlian.space.explain import sentence
from sanlian.space.models import Lease, Listing, SpaceRequest, Viewing
from sanlian.space.services import requests as services
from tests import factories

from .conftest import NOW, at, make_listing, publish

pytestmark = pytest.mark.django_db


LEASE = {"area": "400", "rent_yuan": "4.20", "start_date": date(2026, 4, 1)}


def request_data(**overrides) -> dict:
    data = {
        "purpose": "IVD 试剂研发实验室",
        "kind": "wet_lab",
        "area_min": "400",
        "area_max": "900",
        "max_rent_yuan": "5.00",
        "move_in_date": date(2026, 5, 1),
        "park": None,
        "required_pure_water": True,
        "required_floor_load": "400",
        "preferred_cleanroom": "iso7",
        "preferred_exhaust": True,
    }
    data.update(overrides)
    return data


def file_request(user, **overrides) -> SpaceRequest:
    return services.space_request_submit(actor=user, data=request_data(**overrides), now=NOW)


@pytest.fixture
def space_request(enterprise_admin):
    return file_request(enterprise_admin)


SLOT = at(2026, 3, 5, 10, 0)


def book(actor, space_request, listing, when=SLOT):
    return services.viewing_book(actor=actor, request=space_request, listing=listing, starts_at=when, now=NOW)


def test_a_request_keeps_required_and_preferred_specs_and_tells_the_town(pujiang_officer, space_request):
    assert space_request.required == {"floor_load": 400, "pure_water": True}
    assert space_request.preferred == {"cleanroom": "iso7", "exhaust": True}
    assert space_request.max_rent_fen == 500
    assert Notification.objects.filter(recipient=pujiang_officer, title__contains="新的空间需求").exists()


def test_bad_request_input_names_each_field_and_saves_nothing(enterprise_admin):
    bad = request_data(
        purpose="",
        area_min="abc",
        area_max="10",
        required_cleanroom="iso9",
        move_in_date=date(2026, 1, 1),
        max_rent_yuan="-1",
    )

    with pytest.raises(ValidationError) as caught:
        services.space_request_submit(actor=enterprise_admin, data=bad, now=NOW)

    assert set(caught.value.message_dict) == {
        "purpose",
        "area_min",
        "required_cleanroom",
        "move_in_date",
        "max_rent_yuan",
    }
    assert not SpaceRequest.objects.exists()


def test_an_officer_cannot_file_a_request(pujiang_officer):
    with pytest.raises(PermissionDenied):
        file_request(pujiang_officer)


def test_matches_rank_by_preferences_and_explain_each_listing(space_request, landlord_user, pujiang_officer):
    plain = publish(make_listing(landlord_user, title="普通湿实验室", exhaust=False), landlord_user, pujiang_officer)
    clean = publish(
        make_listing(landlord_user, title="洁净实验室", cleanroom="gmp-c", floor_load="800"),
        landlord_user,
        pujiang_officer,
    )
    no_water = publish(make_listing(landlord_user, title="无纯水", pure_water=False), landlord_user, pujiang_officer)

    ranked, excluded = selectors.request_matches(space_request)

    assert [listing for listing, _r in ranked] == [clean, plain]
    sentences = [sentence(r) for r in ranked[0][1].reasons]
    assert "楼面荷载 800 kg/㎡ ≥ 400" in sentences
    assert "洁净等级 GMP C,符合要求的 ISO 7" in sentences
    assert [(listing, [f.term for f in e.failed]) for listing, e in excluded] == [(no_water, ["pure_water"])]


def test_a_viewing_waits_for_the_landlord_who_may_propose_another_time(
    space_request, published, landlord_user, enterprise_admin
):
    viewing = book(enterprise_admin, space_request, published)
    assert Notification.objects.filter(recipient=landlord_user, title__contains="看房预约").exists()

    with pytest.raises(ValidationError):  # the requester cannot confirm its own booking
        services.viewing_transition(actor=enterprise_admin, viewing=viewing, action="confirm", now=NOW)
    viewing = services.viewing_transition(
        actor=landlord_user, viewing=viewing, action="propose", starts_at=at(2026, 3, 6, 14, 30), now=NOW
    )
    assert viewing.awaiting == Viewing.Side.REQUESTER
    viewing = services.viewing_transition(actor=enterprise_admin, viewing=viewing, action="confirm", now=NOW)

    assert viewing.status == Viewing.Status.CONFIRMED and viewing.starts_at == at(2026, 3, 6, 14, 30)


def test_a_slot_of_a_listing_cannot_be_booked_twice(space_request, published, enterprise_admin, xinzhuang_enterprise):
    other = file_request(factories.enterprise_user(xinzhuang_enterprise))
    book(enterprise_admin, space_request, published)

    with pytest.raises(ValidationError) as caught:
        book(other.created_by, other, published)
    assert "starts_at" in caught.value.message_dict
    assert Viewing.objects.count() == 1


def test_slots_must_be_in_the_future_on_the_half_hour_in_working_hours(space_request, published, enterprise_admin):
    for when in (at(2026, 3, 1, 10, 0), at(2026, 3, 5, 10, 15), at(2026, 3, 5, 20, 0)):
        with pytest.raises(ValidationError) as caught:
            book(enterprise_admin, space_request, published, when)
        assert "starts_at" in caught.value.message_dict


def test_a_cancelled_slot_can_be_booked_again(space_request, published, enterprise_admin):
    viewing = book(enterprise_admin, space_request, published)
    services.viewing_transition(actor=enterprise_admin, viewing=viewing, action="cancel", now=NOW)

    assert book(enterprise_admin, space_request, published).status == Viewing.Status.REQUESTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_bookings_of_one_slot_leave_exactly_one(
    landlord_user, pujiang_officer, enterprise_admin, xinzhuang_enterprise
):
    listing = publish(make_listing(landlord_user), landlord_user, pujiang_officer)
    requests = [file_request(enterprise_admin), file_request(factories.enterprise_user(xinzhuang_enterprise))]
    barrier = threading.Barrier(2)
    # PostgreSQL: both run at once and the listing's row lock orders them. SQLite (one writer, no row
    # locks): they start together and then take turns, the order the lock would impose anyway.
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    outcomes = []

    def attempt(space_request):
        try:
            barrier.wait(timeout=10)
            with turns:
                book(space_request.created_by, space_request, listing)
            outcomes.append("booked")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["starts_at"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["booked", "该时段已有其他预约,请选择其他时间"]
    assert Viewing.objects.filter(listing=listing).count() == 1


def test_a_booking_that_races_past_the_check_is_stopped_by_the_constraint(
    space_request, published, enterprise_admin, monkeypatch
):
    book(enterprise_admin, space_request, published)
    # Another transaction booked the slot after our check looked: the unique constraint still refuses it.
    monkeypatch.setattr(services, "_slot_taken", lambda *args, **kwargs: False)

    with pytest.raises(ValidationError) as caught:
        book(enterprise_admin, space_request, published)
    assert caught.value.message_dict["starts_at"] == ["该时段已有其他预约,请选择其他时间"]
    assert Viewing.objects.count() == 1


def test_a_lease_outcome_grows_the_leased_area_and_leases_the_request(
    space_request, published, landlord_user, enterprise_admin
):
    viewing = book(enterprise_admin, space_request, published)
    services.viewing_transition(actor=landlord_user, viewing=viewing, action="confirm", now=NOW)

    with pytest.raises(ValidationError):  # the requester does not record the outcome
        services.viewing_transition(actor=enterprise_admin, viewing=viewing, action="lease", outcome=LEASE, now=NOW)
    services.viewing_transition(actor=landlord_user, viewing=viewing, action="lease", outcome=LEASE, now=NOW)

    published.refresh_from_db()
    space_request.refresh_from_db()
    assert published.leased_area == Decimal("400.00") and published.status == Listing.Status.PUBLISHED
    assert space_request.status == SpaceRequest.Status.LEASED
    lease = Lease.objects.get()
    assert lease.tenant_id == space_request.enterprise_id and lease.rent_fen == 420


def test_a_lease_larger_than_the_vacant_area_is_refused_and_nothing_changes(published, landlord_user):
    with pytest.raises(ValidationError) as caught:
        services.lease_record(
            actor=landlord_user,
            listing=published,
            now=NOW,
            data={"area": "651", "rent_yuan": "4.5", "start_date": date(2026, 4, 1)},
        )

    assert "area" in caught.value.message_dict
    published.refresh_from_db()
    assert published.leased_area == 0 and not Lease.objects.exists()


def test_a_listing_fully_taken_becomes_leased(published, landlord_user):
    services.lease_record(
        actor=landlord_user,
        listing=published,
        now=NOW,
        data={"area": "650", "rent_yuan": "4.5", "start_date": date(2026, 4, 1)},
    )

    published.refresh_from_db()
    assert published.status == Listing.Status.LEASED and published.vacant_area == 0


def test_not_taken_needs_a_reason(space_request, published, landlord_user, enterprise_admin):
    viewing = book(enterprise_admin, space_request, published)
    services.viewing_transition(actor=landlord_user, viewing=viewing, action="confirm", now=NOW)

    with pytest.raises(ValidationError) as caught:
        services.viewing_transition(actor=landlord_user, viewing=viewing, action="not_taken", now=NOW)
    assert "note" in caught.value.message_dict
    viewing = services.viewing_transition(
        actor=landlord_user, viewing=viewing, action="not_taken", note="层高不足", now=NOW
    )
    assert viewing.status == Viewing.Status.NOT_TAKEN and viewing.outcome_note == "层高不足"


def test_a_stranger_cannot_act_on_a_viewing(space_request, published, enterprise_admin, xinzhuang_enterprise):
    viewing = book(enterprise_admin, space_request, published)
    stranger = factories.enterprise_user(xinzhuang_enterprise)

    with pytest.raises((PermissionDenied, ValidationError)):
        services.viewing_transition(actor=stranger, viewing=viewing, action="cancel", now=NOW)
    assert list(selectors.visible_viewings(stranger)) == []


def test_an_enterprise_closes_its_request_once_and_can_no_longer_book(space_request, published, enterprise_admin):
    services.space_request_close(actor=enterprise_admin, request=space_request, now=NOW)

    with pytest.raises(ValidationError) as caught:
        services.space_request_close(actor=enterprise_admin, request=space_request, now=NOW)
    assert "status" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        book(enterprise_admin, space_request, published)
    assert "request" in caught.value.message_dict


def test_another_enterprise_cannot_see_or_close_a_request(space_request, xinzhuang_enterprise):
    from django.http import Http404

    stranger = factories.enterprise_user(xinzhuang_enterprise)

    with pytest.raises(Http404):
        selectors.request_for(stranger, space_request.pk)
    with pytest.raises(PermissionDenied):
        services.space_request_close(actor=stranger, request=space_request, now=NOW)
