"""The public space-listing search in /api/v1: anyone may call it; it shows only published listings."""

import pytest
from django.test import Client

from sanlian.enterprises.models import Park

from .conftest import make_listing, publish

pytestmark = pytest.mark.django_db
URL = "/api/v1/space/listings"


@pytest.fixture
def listings(landlord_user, pujiang_officer):
    lab = publish(make_listing(landlord_user, title="湿实验室 A"), landlord_user, pujiang_officer)
    gmp = publish(
        make_listing(landlord_user, title="GMP 车间", kind="gmp_workshop", area="1500", cleanroom="gmp-c",
                     park=Park.objects.get(code="caohejing-pujiang")),
        landlord_user, pujiang_officer,
    )  # fmt: skip
    make_listing(landlord_user, title="草稿")
    return lab, gmp


def test_anyone_lists_the_published_listings_without_credentials(listings):
    response = Client().get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and {row["title"] for row in body["items"]} == {"湿实验室 A", "GMP 车间"}
    lab = next(row for row in body["items"] if row["title"] == "湿实验室 A")
    assert lab["rent_yuan_per_m2_day"] == "4.50" and lab["vacant_area"] == "650.00" and lab["pure_water"] is True


def test_the_filters_narrow_the_list(listings):
    _lab, gmp = listings

    rows = Client().get(URL, {"cleanroom": "iso7", "park": "caohejing-pujiang", "area_min": 1000}).json()["items"]
    assert [row["id"] for row in rows] == [gmp.pk]
    assert Client().get(URL, {"park": "atlantis"}).json()["count"] == 0


def test_a_bad_filter_answers_422_naming_it(listings):
    response = Client().get(URL, {"cleanroom": "iso9"})

    assert response.status_code == 422 and "cleanroom" in response.json()["errors"]
