"""Fixtures of the space service: a landlord (park operator) in 浦江镇 with its admin, and helpers that make
listings through the real services."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sanlian.enterprises.models import Park
from sanlian.space.services import listings as listing_services
from tests import factories

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=SH)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def listing_data(**overrides) -> dict:
    data = {
        "title": "B栋3层湿实验室",
        "park": Park.objects.get(code="lingang-pujiang"),
        "building": "B栋",
        "floor": "3F",
        "unit": "301",
        "kind": "wet_lab",
        "area": "650",
        "rent_yuan": "4.50",
        "available_date": date(2026, 4, 1),
        "cleanroom": "",
        "floor_load": "500",
        "power_kva": "200",
        "exhaust": True,
        "pure_water": True,
        "hazchem_permit": False,
        "env_approval": True,
        "description": "",
    }
    data.update(overrides)
    return data


def make_listing(actor, now=NOW, **overrides):
    return listing_services.listing_create(actor=actor, data=listing_data(**overrides), now=now)


def publish(listing, landlord_user, officer, now=NOW):
    listing_services.listing_transition(actor=landlord_user, listing=listing, action="submit", now=now)
    return listing_services.listing_transition(actor=officer, listing=listing, action="publish", now=now)


@pytest.fixture
def landlord(db):
    return factories.enterprise("pujiang", name="上海浦江科创园区运营有限公司(演示)")


@pytest.fixture
def landlord_user(landlord):
    return factories.enterprise_user(landlord, username="landlord_admin")


@pytest.fixture
def published(landlord_user, pujiang_officer):
    return publish(make_listing(landlord_user), landlord_user, pujiang_officer)


@pytest.fixture
def xinzhuang_park(db):
    return Park.objects.create(code="xz-park", name="莘庄测试园区", town=factories.region("xinzhuang"))
