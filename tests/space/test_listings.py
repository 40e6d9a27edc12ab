"""Listings: creation with field-by-field errors, the verification workflow, files checked by content,
re-confirmation and the expiry job."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from sanlian.core.models import AuditEvent, Notification
from sanlian.space import selectors
from sanlian.space.models import Listing, ListingFile
from sanlian.space.services import listings as services
from tests import factories

from .conftest import NOW, at, listing_data, make_listing

pytestmark = pytest.mark.django_db
Status = Listing.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_a_landlord_user_creates_a_draft_listing_for_its_own_enterprise(landlord_user, landlord):
    listing = make_listing(landlord_user)

    assert listing.status == Status.DRAFT and listing.landlord == landlord
    assert listing.area == Decimal("650.00") and listing.rent_fen == 450
    assert AuditEvent.objects.filter(action="space_listing.create", target_id=str(listing.pk)).exists()


def test_bad_input_names_every_faulty_field_and_saves_nothing(landlord_user):
    bad = listing_data(
        title="", area="-5", rent_yuan="abc", kind="castle", cleanroom="iso9", floor_load="heavy", available_date=None
    )

    with pytest.raises(ValidationError) as caught:
        services.listing_create(actor=landlord_user, data=bad, now=NOW)

    assert set(caught.value.message_dict) == {
        "title",
        "area",
        "rent_yuan",
        "kind",
        "cleanroom",
        "floor_load",
        "available_date",
    }
    assert caught.value.message_dict["area"] == ["面积须大于 0"]
    assert not Listing.objects.exists()


def test_rent_with_more_than_two_decimals_or_as_a_float_is_refused(landlord_user):
    for rent in ("4.505", 4.5):
        with pytest.raises(ValidationError) as caught:
            make_listing(landlord_user, rent_yuan=rent)
        assert "rent_yuan" in caught.value.message_dict


def test_submit_then_an_officer_of_the_parks_town_publishes_and_the_landlord_is_told(landlord_user, pujiang_officer):
    listing = make_listing(landlord_user)

    services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=NOW)
    assert Notification.objects.filter(recipient=pujiang_officer, title__contains="待核验").exists()
    listing = services.listing_transition(actor=pujiang_officer, listing=listing, action="publish", now=NOW)

    assert listing.status == Status.PUBLISHED and listing.reviewed_by == pujiang_officer
    assert listing.expires_date == date(2026, 4, 1)  # 30 days after the publication day
    assert Notification.objects.filter(recipient=landlord_user, title__contains="已发布").exists()


def test_a_rejection_needs_a_comment_and_the_landlord_can_fix_and_resubmit(landlord_user, pujiang_officer):
    listing = make_listing(landlord_user)
    services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=NOW)

    with pytest.raises(ValidationError) as caught:
        services.listing_transition(actor=pujiang_officer, listing=listing, action="reject", now=NOW)
    assert "comment" in caught.value.message_dict
    services.listing_transition(
        actor=pujiang_officer, listing=listing, action="reject", comment="缺少环评批复", now=NOW
    )
    listing = services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=NOW)

    assert listing.status == Status.PENDING and listing.review_comment == "缺少环评批复"


def test_a_landlord_cannot_publish_its_own_listing(landlord_user):
    listing = make_listing(landlord_user)
    services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=NOW)

    with pytest.raises(PermissionDenied):
        services.listing_transition(actor=landlord_user, listing=listing, action="publish", now=NOW)


def test_a_town_officer_cannot_verify_a_listing_of_another_towns_park(landlord_user, xinzhuang_officer, xinzhuang_park):
    listing = make_listing(landlord_user, park=xinzhuang_park)
    services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=NOW)
    pj = factories.officer("pujiang")

    with pytest.raises(PermissionDenied):
        services.listing_transition(actor=pj, listing=listing, action="publish", now=NOW)
    assert services.listing_transition(actor=xinzhuang_officer, listing=listing, action="publish", now=NOW).status == (
        Status.PUBLISHED
    )


def test_enterprise_a_cannot_edit_enterprise_bs_listing(landlord_user, enterprise_admin):
    listing = make_listing(landlord_user)

    with pytest.raises(PermissionDenied):
        services.listing_update(actor=enterprise_admin, listing=listing, data=listing_data(title="篡改"), now=NOW)
    with pytest.raises(Http404):
        selectors.managed_listing(enterprise_admin, listing.pk)


def test_an_officer_lists_on_behalf_of_a_park_in_scope_only(pujiang_officer, landlord, xinzhuang_park):
    listing = make_listing(pujiang_officer, landlord=landlord)
    assert listing.landlord == landlord

    with pytest.raises(ValidationError) as caught:
        make_listing(pujiang_officer, landlord=landlord, park=xinzhuang_park)
    assert "park" in caught.value.message_dict


def test_editing_a_published_listing_sends_it_back_to_verification(published, landlord_user):
    listing = services.listing_update(
        actor=landlord_user, listing=published, data=listing_data(rent_yuan="3.80"), now=NOW
    )

    assert listing.status == Status.PENDING and listing.rent_fen == 380


def test_photos_and_floor_plans_are_checked_by_content(published, landlord_user):
    photo = services.listing_file_add(
        actor=landlord_user, listing=published, kind="photo", upload=SimpleUploadedFile("实验室.png", PNG), now=NOW
    )
    plan = services.listing_file_add(
        actor=landlord_user, listing=published, kind="floor_plan", upload=SimpleUploadedFile("平面图.jpg", PDF), now=NOW
    )

    assert photo.name == "实验室.png" and plan.name == "平面图.pdf"  # the extension follows the content
    for upload in (
        SimpleUploadedFile("fake.png", b"MZ\x90\x00 not an image"),
        SimpleUploadedFile("x.zip", b"PK\x03\x04" + b"\x00" * 40),
    ):
        with pytest.raises(ValidationError) as caught:
            services.listing_file_add(actor=landlord_user, listing=published, kind="photo", upload=upload, now=NOW)
        assert "file" in caught.value.message_dict
    assert ListingFile.objects.count() == 2


def test_a_file_larger_than_the_limit_is_refused(published, landlord_user, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 32)

    with pytest.raises(ValidationError) as caught:
        services.listing_file_add(
            actor=landlord_user, listing=published, kind="photo", upload=SimpleUploadedFile("big.png", PNG), now=NOW
        )
    assert "文件过大" in caught.value.message_dict["file"][0]


def test_the_expiry_job_reminds_once_then_expires_and_is_safe_to_run_twice(published, landlord_user):
    expires = published.expires_date  # 2026-04-01

    assert services.listings_expire(now=at(2026, 3, 20, 0, 40)) == {"reminded": 0, "expired": 0}
    assert services.listings_expire(now=at(2026, 3, 28, 0, 40)) == {"reminded": 1, "expired": 0}
    assert services.listings_expire(now=at(2026, 3, 29, 0, 40)) == {"reminded": 0, "expired": 0}
    assert services.listings_expire(now=at(2026, 4, 2, 0, 40)) == {"reminded": 0, "expired": 1}
    assert services.listings_expire(now=at(2026, 4, 2, 0, 41)) == {"reminded": 0, "expired": 0}

    published.refresh_from_db()
    assert published.status == Status.EXPIRED and expires == date(2026, 4, 1)
    titles = list(Notification.objects.filter(recipient=landlord_user).values_list("title", flat=True))
    assert sum("将于" in t for t in titles) == 1 and sum("已过期" in t for t in titles) == 1


def test_confirming_a_listing_extends_it_and_allows_a_new_reminder(published, landlord_user):
    services.listings_expire(now=at(2026, 3, 28, 0, 40))
    listing = services.listing_transition(
        actor=landlord_user, listing=published, action="confirm", now=at(2026, 3, 28, 9, 0)
    )

    assert listing.expires_date == date(2026, 3, 28) + timedelta(days=30) and listing.reminded_at is None


def test_anonymous_visitors_see_only_published_listings(landlord_user, published, client):
    draft = make_listing(landlord_user, title="未发布的草稿")

    assert list(selectors.public_listings({})) == [published]
    assert client.get(f"/space/listings/{published.pk}/").status_code == 200
    assert client.get(f"/space/listings/{draft.pk}/").status_code == 404


def test_publish_then_withdraw_records_each_step(published, landlord_user, pujiang_officer):
    services.listing_transition(actor=landlord_user, listing=published, action="withdraw", now=NOW)

    actions = list(
        AuditEvent.objects.filter(target_id=str(published.pk), target_type="space.listing")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "space_listing.create",
        "space_listing.submit",
        "space_listing.publish",
        "space_listing.withdraw",
    ]
