"""Space listings in /api/v1: the public search of the /space/ page, for anyone (no credentials needed).

Only published listings with vacant area are listed, with the same filters as the page; nothing of the
landlord beyond its company name.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, Pagination
from sanlian.engines.spacematch import GRADES
from sanlian.enterprises.models import Park

from . import selectors

router = Router(tags=["space"])

SpaceKind = Literal["office", "wet_lab", "gmp_workshop", "warehouse", "cold_store"]
# One Literal each, "" included, so a bad value is reported under the field's own name.
KindOrAny = Literal["", "office", "wet_lab", "gmp_workshop", "warehouse", "cold_store"]
GradeOrAny = Literal[("", *GRADES)]
MAX_AREA = 1_000_000


class ListingFilters(Schema):
    kind: KindOrAny = Field("", description="类型 / space type")
    park: str = Field("", max_length=40, description="园区代码,如 lingang-pujiang / park code")
    area_min: int | None = Field(None, ge=0, le=MAX_AREA, description="可租面积下限(㎡)/ vacant area at least")
    area_max: int | None = Field(None, ge=0, le=MAX_AREA, description="可租面积上限(㎡)/ vacant area at most")
    cleanroom: GradeOrAny = Field("", description="洁净等级不低于 / cleanroom at least this clean")
    floor_load: int | None = Field(None, ge=0, le=100_000, description="楼面荷载下限(kg/㎡)/ floor load at least")
    power_kva: int | None = Field(None, ge=0, le=1_000_000, description="供电容量下限(kVA)/ power at least")
    exhaust: bool = Field(False, description="须有排风/废气处理 / exhaust required")
    pure_water: bool = Field(False, description="须有纯化水 / purified water required")
    hazchem_permit: bool = Field(False, description="须有危化品使用许可 / hazardous-chemicals permit required")
    env_approval: bool = Field(False, description="须有环评批复 / environmental approval required")


class ListingOut(Schema):
    id: int
    title: str
    park: str = Field(description="园区代码 / park code")
    landlord: str = Field(description="业主/运营方企业名称 / landlord company")
    kind: SpaceKind
    building: str
    floor: str
    unit: str
    area: str = Field(description="面积(㎡,十进制字符串)/ area in m²")
    vacant_area: str = Field(description="可租面积(㎡)/ vacant area in m²")
    rent_yuan_per_m2_day: str = Field(description="租金(元/㎡/天)/ rent in yuan per m² per day")
    available_date: date
    cleanroom: str = Field(description="洁净等级代码,空为无 / cleanroom grade code")
    floor_load: int | None
    power_kva: int | None
    exhaust: bool
    pure_water: bool
    hazchem_permit: bool
    env_approval: bool
    url: str


def _decimal(value: Decimal) -> str:
    return f"{value:.2f}"


def _row(listing) -> dict:
    return {
        "id": listing.pk, "title": listing.title, "park": listing.park.code, "landlord": listing.landlord.name,
        "kind": listing.kind, "building": listing.building, "floor": listing.floor, "unit": listing.unit,
        "area": _decimal(listing.area), "vacant_area": _decimal(listing.vacant_area),
        "rent_yuan_per_m2_day": _decimal(listing.rent_yuan), "available_date": listing.available_date,
        "cleanroom": listing.cleanroom, "floor_load": listing.floor_load, "power_kva": listing.power_kva,
        "exhaust": listing.exhaust, "pure_water": listing.pure_water, "hazchem_permit": listing.hazchem_permit,
        "env_approval": listing.env_approval, "url": f"/space/listings/{listing.pk}/",
    }  # fmt: skip


@router.get(
    "/space/listings", auth=None, response={200: list[ListingOut], **ERRORS},
    summary="空间房源(公开)/ published space listings, public",
)  # fmt: skip
@paginate(Pagination)
def space_listing_list(request, filters: Query[ListingFilters]):
    data = filters.dict()
    data["park"] = Park.objects.filter(code=data["park"]).first() if data["park"] else None
    if filters.park and data["park"] is None:
        return []  # an unknown park has no listings
    rows = selectors.public_listings(data).select_related("landlord")
    return [_row(listing) for listing in rows]
