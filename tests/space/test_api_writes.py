"""Space listings, requests and viewings written through /api/v1, with the pages' scopes."""

from datetime import timedelta

from django.utils import timezone

from sanlian.space.models import Listing, SpaceRequest, Viewing
from sanlian.space.services import requests as request_services
from tests import factories

from .conftest import make_listing

BODY = {
    "title": "C栋2层办公", "park": "lingang-pujiang", "building": "C栋", "floor": "2F", "kind": "office",
    "area": "300", "rent_yuan": "3.80", "available_date": "2026-09-01",
}  # fmt: skip


def test_a_landlord_drafts_a_listing_for_its_own_enterprise_only(api_as, landlord_user, landlord, pujiang_enterprise):
    body = {**BODY, "status": "published", "landlord_uscc": pujiang_enterprise.uscc, "landlord": 1}

    response = api_as(landlord_user).post("/space/listings", body)

    assert response.status_code == 201, response.json()
    listing = Listing.objects.get()
    assert listing.status == "draft" and listing.landlord == landlord  # status and landlord ignored


def test_a_listing_with_bad_numbers_is_refused_with_the_fields_named(api_as, landlord_user):
    response = api_as(landlord_user).post("/space/listings", {**BODY, "area": "-5", "rent_yuan": "abc", "park": "x"})

    assert response.status_code == 422
    assert {"area", "rent_yuan", "park"} <= set(response.json()["errors"])
    assert not Listing.objects.exists()


def test_an_officer_cannot_list_space_in_another_towns_park(api_as, xinzhuang_officer, landlord):
    response = api_as(xinzhuang_officer).post("/space/listings", {**BODY, "landlord_uscc": landlord.uscc})

    assert response.status_code == 422 and "park" in response.json()["errors"]


def test_a_draft_is_hidden_from_the_public_and_other_enterprises(api_as, landlord_user, pujiang_enterprise):
    listing = make_listing(landlord_user)
    other = factories.enterprise_user(pujiang_enterprise)

    assert api_as(landlord_user).get(f"/space/listings/{listing.pk}").json()["status"] == "draft"
    assert api_as(other).get(f"/space/listings/{listing.pk}").status_code == 404
    assert api_as(other).patch(f"/space/listings/{listing.pk}", {"title": "改"}).status_code == 404


def test_a_patch_keeps_what_it_does_not_send(api_as, landlord_user):
    listing = make_listing(landlord_user)

    response = api_as(landlord_user).patch(f"/space/listings/{listing.pk}", {"title": "B栋3层湿实验室(已装修)"})

    assert response.status_code == 200, response.json()
    listing.refresh_from_db()
    assert listing.title == "B栋3层湿实验室(已装修)" and listing.area == 650 and listing.exhaust is True


def test_the_landlord_submits_and_only_an_officer_in_scope_publishes(
    api_as, landlord_user, pujiang_officer, xinzhuang_officer
):
    listing = make_listing(landlord_user)
    api_as(landlord_user).post(f"/space/listings/{listing.pk}/transition", {"action": "submit"})

    own = api_as(landlord_user).post(f"/space/listings/{listing.pk}/transition", {"action": "publish"})
    other_town = api_as(xinzhuang_officer).post(f"/space/listings/{listing.pk}/transition", {"action": "publish"})
    done = api_as(pujiang_officer).post(f"/space/listings/{listing.pk}/transition", {"action": "publish"})

    assert own.status_code == 403 and other_town.status_code == 404
    assert done.status_code == 200 and done.json()["status"] == "published"


def test_an_enterprise_files_a_request_and_books_a_viewing_the_landlord_confirms(
    api_as, published, landlord_user, enterprise_admin, xinzhuang_enterprise
):
    client = api_as(enterprise_admin)
    filed = client.post(
        "/space/requests", {"purpose": "研发中试", "kind": "wet_lab", "area_min": "500", "enterprise": 9}
    )
    starts = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)

    booked = client.post(
        f"/space/requests/{filed.json()['id']}/viewings", {"listing": published.pk, "starts_at": starts.isoformat()}
    )
    outsider = api_as(factories.enterprise_user(xinzhuang_enterprise))
    foreign = outsider.post(f"/space/viewings/{booked.json()['id']}/transition", {"action": "cancel"})
    confirmed = api_as(landlord_user).post(f"/space/viewings/{booked.json()['id']}/transition", {"action": "confirm"})

    assert filed.status_code == 201 and SpaceRequest.objects.get().enterprise == enterprise_admin.enterprise
    assert booked.status_code == 201, booked.json()
    assert foreign.status_code == 404
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert outsider.get(f"/space/requests/{filed.json()['id']}").status_code == 404


def test_a_request_without_purpose_or_area_is_refused_naming_them(api_as, enterprise_admin):
    response = api_as(enterprise_admin).post("/space/requests", {"purpose": "", "area_min": ""})

    assert response.status_code == 422 and {"purpose", "area_min"} <= set(response.json()["errors"])


def test_an_officer_may_not_file_a_request(api_as, pujiang_officer):
    response = api_as(pujiang_officer).post("/space/requests", {"purpose": "办公", "area_min": "100"})

    assert response.status_code == 403


def test_a_viewing_of_an_unknown_listing_is_refused(api_as, enterprise_admin):
    filed = request_services.space_request_submit(
        actor=enterprise_admin, data={"purpose": "办公", "area_min": "100"}, now=timezone.now()
    )

    response = api_as(enterprise_admin).post(
        f"/space/requests/{filed.pk}/viewings", {"listing": 99999, "starts_at": timezone.now().isoformat()}
    )

    assert response.status_code == 422 and "listing" in response.json()["errors"]
    assert not Viewing.objects.exists()
