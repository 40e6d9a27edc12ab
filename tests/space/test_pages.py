"""Pages of the space service: public search with filters, detail with photos, management, requests with
the explanations, viewings; the cockpit's vacancy and take-up figures against the records."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanlian.enterprises.models import Park
from sanlian.space import selectors
from sanlian.space.models import Listing
from sanlian.space.services import listings as listing_services
from sanlian.space.services import requests as request_services
from tests import factories
from tests.downloads import assert_safe_download

from .conftest import NOW, make_listing, publish

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def catalogue(landlord_user, pujiang_officer):
    office = publish(
        make_listing(landlord_user, title="A栋办公", kind="office", area="300", pure_water=False, exhaust=False),
        landlord_user,
        pujiang_officer,
    )
    gmp = publish(
        make_listing(
            landlord_user,
            title="C栋GMP厂房",
            kind="gmp_workshop",
            area="1200",
            cleanroom="gmp-c",
            floor_load="1000",
            pure_water=False,
            park=Park.objects.get(code="caohejing-pujiang"),
        ),
        landlord_user,
        pujiang_officer,
    )
    draft = make_listing(landlord_user, title="D栋草稿")
    return office, gmp, draft


def test_the_public_search_lists_published_listings_and_filters_them(client, catalogue):
    office, gmp, draft = catalogue

    page = client.get("/space/").content.decode()
    assert office.title in page and gmp.title in page and draft.title not in page
    filtered = client.get("/space/", {"kind": "gmp_workshop", "cleanroom": "gmp-d", "area_min": "1000"})
    assert gmp.title in filtered.content.decode() and office.title not in filtered.content.decode()
    assert client.get("/space/", {"cleanroom": "gmp-b"}).content.decode().count("C栋GMP厂房") == 0


def test_the_detail_page_shows_specs_and_photos_but_no_personal_data(client, catalogue, landlord_user):
    office, _gmp, _draft = catalogue
    photo = listing_services.listing_file_add(
        actor=landlord_user, listing=office, kind="photo", upload=SimpleUploadedFile("a.png", PNG), now=NOW
    )

    page = client.get(f"/space/listings/{office.pk}/").content.decode()
    assert "A栋办公" in page and f"/space/files/{photo.pk}/" in page and "landlord_admin" not in page
    image = client.get(f"/space/files/{photo.pk}/")
    assert_safe_download(image, inline_type="image/png")


def test_files_of_an_unpublished_listing_are_hidden_from_the_public(client, catalogue, landlord_user):
    _office, _gmp, draft = catalogue
    photo = listing_services.listing_file_add(
        actor=landlord_user, listing=draft, kind="floor_plan", upload=SimpleUploadedFile("a.png", PNG), now=NOW
    )

    assert client.get(f"/space/files/{photo.pk}/").status_code == 404
    client.force_login(landlord_user)
    assert client.get(f"/space/files/{photo.pk}/").status_code == 200


def test_the_officer_verification_queue_lists_pending_listings(client, pujiang_officer, landlord_user):
    listing = make_listing(landlord_user, title="待核验的冷库", kind="cold_store")
    listing_services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=NOW)
    client.force_login(pujiang_officer)

    queue = client.get("/space/manage/", {"status": "pending"})
    assert queue.status_code == 200 and "待核验的冷库" in queue.content.decode()
    detail = client.get(f"/space/manage/{listing.pk}/").content.decode()
    assert "核验通过并发布" in detail
    response = client.post(f"/space/manage/{listing.pk}/move/", {"action": "publish"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED


def test_a_landlord_creates_a_listing_through_the_form_and_sees_field_errors(client, landlord_user):
    client.force_login(landlord_user)
    park = Park.objects.get(code="lingang-pujiang")

    bad = client.post("/space/manage/new/", {"title": "", "park": park.pk, "area": "0"})
    assert bad.status_code == 400 and "面积须大于 0" in bad.content.decode()
    good = client.post(
        "/space/manage/new/",
        {
            "title": "E栋仓库",
            "park": park.pk,
            "building": "E栋",
            "floor": "1F",
            "kind": "warehouse",
            "area": "800",
            "rent_yuan": "2.1",
            "available_date": "2026-05-01",
            "floor_load": "1500",
        },
    )
    assert good.status_code == 302
    assert Listing.objects.get(title="E栋仓库").floor_load == 1500


def test_another_enterprise_gets_404_on_a_listing_it_does_not_manage(client, catalogue, enterprise_admin):
    office, _gmp, _draft = catalogue
    client.force_login(enterprise_admin)

    assert client.get(f"/space/manage/{office.pk}/").status_code == 404
    assert client.get(f"/space/manage/{office.pk}/edit/").status_code == 404


def test_the_request_page_shows_ranked_listings_with_their_explanations(client, catalogue, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(
        "/space/requests/new/",
        {
            "purpose": "无菌制剂中试车间",
            "kind": "gmp_workshop",
            "area_min": "800",
            "required_cleanroom": "gmp-d",
            "required_floor_load": "800",
            "preferred_pure_water": "on",
        },
    )
    assert response.status_code == 302

    page = client.get(response["Location"]).content.decode()
    assert "C栋GMP厂房" in page
    assert "洁净等级 GMP C,优于要求的 GMP D" in page
    assert "楼面荷载 1000 kg/㎡ ≥ 800" in page
    assert "不具备纯化水" in page
    assert "未推荐的房源" in page and "类型为办公,需求为GMP 厂房" in page


def test_booking_a_viewing_from_the_request_page_and_the_landlord_confirms(
    client, catalogue, enterprise_admin, landlord_user
):
    _office, gmp, _draft = catalogue
    space_request = request_services.space_request_submit(
        actor=enterprise_admin, data={"purpose": "中试车间", "area_min": "500"}, now=NOW
    )
    client.force_login(enterprise_admin)
    client.post(f"/space/requests/{space_request.pk}/book/", {"listing": gmp.pk, "starts_at": "2099-03-05T10:00"})
    viewing = space_request.viewings.get()

    client.force_login(landlord_user)
    page = client.get("/space/requests/").content.decode()
    assert "确认时间" in page
    client.post(f"/space/viewings/{viewing.pk}/move/", {"action": "confirm"})
    viewing.refresh_from_db()
    assert viewing.status == "confirmed"


def test_the_cockpit_figures_agree_with_the_records(client, catalogue, landlord_user, pujiang_officer):
    office, gmp, _draft = catalogue
    listing_services.listing_transition(
        actor=landlord_user, listing=make_listing(landlord_user), action="submit", now=NOW
    )  # pending: not on the market yet
    request_services.lease_record(
        actor=landlord_user,
        listing=gmp,
        now=NOW,
        data={"area": "500", "rent_yuan": "3", "start_date": date(2026, 2, 1)},
    )
    request_services.lease_record(
        actor=landlord_user,
        listing=office,
        now=NOW,
        data={"area": "300", "rent_yuan": "3", "start_date": date(2025, 12, 1)},
    )

    rows = {r["park"].code: r for r in selectors.park_figures(factories.region("pujiang"), 2026)}
    lingang, caohejing = rows["lingang-pujiang"], rows["caohejing-pujiang"]
    assert (lingang["listed"], lingang["vacant"], lingang["taken"]) == (Decimal("300"), Decimal("0"), Decimal("0"))
    assert (caohejing["listed"], caohejing["vacant"], caohejing["taken"]) == (
        Decimal("1200"),
        Decimal("700"),
        Decimal("500"),
    )
    assert caohejing["rate"] == Decimal("58.3")
    with_2025 = {
        r["park"].code: r for r in selectors.park_figures(factories.region("pujiang"), 2026, current_year=2025)
    }
    assert with_2025["lingang-pujiang"]["taken_now"] == Decimal("300")

    client.force_login(pujiang_officer)
    cockpit = client.get("/cockpit/")
    assert cockpit.status_code == 200 and "园区空间:空置与去化" in cockpit.content.decode()


def test_the_public_search_reads_a_fixed_number_of_queries_whatever_the_page_holds(
    client, landlord_user, pujiang_officer, django_assert_max_num_queries
):
    for n in range(3):
        publish(make_listing(landlord_user, title=f"办公 {n}", kind="office"), landlord_user, pujiang_officer)
    with django_assert_max_num_queries(6) as few:
        client.get("/space/")
    for n in range(3, 12):
        publish(make_listing(landlord_user, title=f"办公 {n}", kind="office"), landlord_user, pujiang_officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "办公 11" in client.get("/space/").content.decode()
