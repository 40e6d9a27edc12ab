"""Space services in /api/v1, scoped like the /space/ pages.

The public search (no credentials needed) lists only published listings with vacant area, with the page's
filters, nothing of the landlord beyond its company name. Landlords' users keep their own enterprise's
listings and officers those of their parks (draft, edit, submit; officers verify); enterprises file space
requests and book viewings; each side of a viewing confirms, proposes another time, cancels or records the
outcome. Input is checked by the pages' own forms and services: bad input 422 with the field named.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, PUBLIC, IsoDate, Pagination
from sanlian.core.permissions import require, scope_queryset
from sanlian.engines.spacematch import GRADES
from sanlian.enterprises.models import Enterprise, Park

from . import selectors
from .forms import ListingForm, RequestForm
from .models import Listing
from .services import listings as listing_services
from .services import requests as request_services

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


# ---------------------------------------------------------------- landlords' and officers' listings

ListingStatus = Literal["draft", "pending", "published", "rejected", "leased", "withdrawn", "expired"]
ListingStatusOrAny = Literal["", "draft", "pending", "published", "rejected", "leased", "withdrawn", "expired"]
Pk = Path(..., ge=1, le=MAX_ID)


class ManagedListingOut(ListingOut):
    status: ListingStatus
    description: str
    review_comment: str
    expires_date: date | None


class ListingIn(Schema):
    """The listing's fields as on the page; numbers as decimal strings, checked by the same form and service."""

    title: str = Field(description="标题,最多 100 字 / title")
    park: str = Field(max_length=40, description="园区代码(工作人员:辖区内)/ park code")
    landlord_uscc: str = Field("", max_length=18, description="业主统一社会信用代码(仅工作人员)/ landlord, officers")
    building: str
    floor: str
    unit: str = ""
    kind: str = Field(description="office、wet_lab、gmp_workshop、warehouse、cold_store")
    area: str = Field(description="面积(㎡)/ area in m²", examples=["820.5"])
    rent_yuan: str = Field(description="租金(元/㎡/天)/ rent in yuan per m² per day", examples=["4.5"])
    available_date: IsoDate
    cleanroom: str = Field("", description="洁净等级代码,空为无 / cleanroom grade code")
    floor_load: str = Field("", description="楼面荷载(kg/㎡)/ floor load")
    power_kva: str = Field("", description="供电容量(kVA)/ power")
    exhaust: bool = False
    pure_water: bool = False
    hazchem_permit: bool = False
    env_approval: bool = False
    description: str = ""


class ListingPatch(Schema):
    title: str | None = None
    park: str | None = Field(None, max_length=40)
    landlord_uscc: str | None = Field(None, max_length=18)
    building: str | None = None
    floor: str | None = None
    unit: str | None = None
    kind: str | None = None
    area: str | None = None
    rent_yuan: str | None = None
    available_date: IsoDate | None = None
    cleanroom: str | None = None
    floor_load: str | None = None
    power_kva: str | None = None
    exhaust: bool | None = None
    pure_water: bool | None = None
    hazchem_permit: bool | None = None
    env_approval: bool | None = None
    description: str | None = None


class ListingTransitionIn(Schema):
    action: Literal["submit", "publish", "reject", "confirm", "withdraw"]
    comment: str = Field("", description="未通过时必填 / required to reject")


class ManagedFilters(Schema):
    status: ListingStatusOrAny = Field("", description="状态 / status")


def _managed_row(listing) -> dict:
    return {
        **_row(listing), "status": listing.status, "description": listing.description,
        "review_comment": listing.review_comment, "expires_date": listing.expires_date,
    }  # fmt: skip


def _form_errors(form) -> None:
    if not form.is_valid():
        raise ValidationError({field: [str(m) for m in messages] for field, messages in form.errors.items()})


def _listing_data(user, values: dict) -> dict:
    """Check `values` with the page's form (parks in the caller's scope) and shape them as the page does."""
    officer = user.is_officer or user.is_superuser
    park = Park.objects.filter(code=values.pop("park", "") or "").first()
    form = ListingForm(
        {**{k: v for k, v in values.items() if v is not None and v is not False}, "park": park.pk if park else ""},
        parks=scope_queryset(user, Park.objects.all()) if user.is_officer else Park.objects.all(), officer=officer,
    )  # fmt: skip
    _form_errors(form)
    data = dict(form.cleaned_data)
    uscc = (data.pop("landlord_uscc", "") or "").strip().upper()
    if officer:
        data["landlord"] = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
    return data


@router.get(
    "/space/listings/manage", response={200: list[ManagedListingOut], **ERRORS},
    summary="我管理的房源(业主企业或辖区工作人员)/ listings I manage",
)  # fmt: skip
@paginate(Pagination)
def space_listing_manage(request, filters: Query[ManagedFilters]):
    require(request.auth, "space_listing.manage")
    return [_managed_row(listing) for listing in selectors.managed_listings(request.auth, filters.status)]


@router.post("/space/listings", response={201: ManagedListingOut, **ERRORS}, summary="新建房源草稿 / draft a listing")
def space_listing_create(request, payload: ListingIn):
    user = request.auth
    require(user, "space_listing.manage")
    listing = _save_listing(user, None, payload.model_dump())
    return Status(201, _managed_row(selectors.managed_listing(user, listing.pk)))


@router.get(
    "/space/listings/{pk}", auth=PUBLIC, response={200: ManagedListingOut, **ERRORS},
    summary="一个房源:已发布的公开,其余仅业主与辖区工作人员 / one listing",
)  # fmt: skip
def space_listing_detail(request, pk: int = Pk):
    listing = selectors.listing_for_page(request.auth, pk)
    row = _managed_row(listing)
    if not selectors.can_manage(request.auth, listing):
        row["review_comment"] = ""  # the officers' note to the landlord is not for the public
    return row


@router.patch(
    "/space/listings/{pk}", response={200: ManagedListingOut, **ERRORS},
    summary="修改房源(已发布的改后重新核验)/ edit a listing",
)  # fmt: skip
def space_listing_update(request, payload: ListingPatch, pk: int = Pk):
    user = request.auth
    listing = selectors.managed_listing(user, pk)
    current = ListingForm.initial_of(listing) | {"park": listing.park.code}
    given = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    _save_listing(user, listing, {**{k: v for k, v in current.items() if v is not None}, **given})
    return _managed_row(selectors.managed_listing(user, pk))


def _save_listing(user, listing, values: dict):
    data, now = _listing_data(user, values), timezone.now()
    try:
        if listing is None:
            return listing_services.listing_create(actor=user, data=data, now=now)
        return listing_services.listing_update(actor=user, listing=listing, data=data, now=now)
    except ValidationError as exc:
        if "landlord" in exc.message_dict and (user.is_officer or user.is_superuser):
            raise ValidationError({"landlord_uscc": exc.message_dict.pop("landlord"), **exc.message_dict}) from None
        raise


@router.post(
    "/space/listings/{pk}/transition", response={200: ManagedListingOut, **ERRORS},
    summary="提交核验、发布、退回、确认在租或撤下 / move a listing one step",
)  # fmt: skip
def space_listing_transition(request, payload: ListingTransitionIn, pk: int = Pk):
    user = request.auth
    listing = selectors.managed_listing(user, pk)
    listing_services.listing_transition(
        actor=user, listing=listing, action=payload.action, comment=payload.comment, now=timezone.now()
    )
    return _managed_row(selectors.managed_listing(user, pk))


# ---------------------------------------------------------------- space requests and viewings

RequestStatus = Literal["open", "leased", "closed"]
ViewingStatus = Literal["requested", "confirmed", "cancelled", "leased", "not_taken"]


class SpaceRequestOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    purpose: str
    kind: str
    area_min: str
    area_max: str | None
    required: dict
    preferred: dict
    max_rent_yuan: str | None
    move_in_date: date | None
    park: str | None = Field(description="意向园区代码 / park code")
    status: RequestStatus
    created_at: datetime


class SpaceRequestIn(Schema):
    purpose: str = Field(description="用途,最多 200 字 / purpose")
    kind: str = Field("", description="类型,空为不限 / kind, blank for any")
    area_min: str = Field(description="最小面积(㎡)/ at least, m²", examples=["500"])
    area_max: str = Field("", description="最大面积(㎡)/ at most, m²")
    max_rent_yuan: str = Field("", description="租金上限(元/㎡/天)/ rent at most")
    move_in_date: IsoDate | None = None
    park: str = Field("", max_length=40, description="意向园区代码 / park code")
    required_cleanroom: str = ""
    required_floor_load: str = ""
    required_power_kva: str = ""
    preferred_cleanroom: str = ""
    preferred_floor_load: str = ""
    preferred_power_kva: str = ""


class ViewingOut(Schema):
    id: int
    request: int
    listing: int
    listing_title: str
    starts_at: datetime
    status: ViewingStatus
    awaiting: Literal["landlord", "requester"]
    note: str
    outcome_note: str


class BookIn(Schema):
    listing: int = Field(ge=1, le=MAX_ID, strict=True, description="房源 id / listing id")
    starts_at: datetime = Field(description="看房时间(整点或半点)/ when, on the hour or half hour")
    note: str = Field("", max_length=1000)


class ViewingTransitionIn(Schema):
    action: Literal["confirm", "propose", "cancel", "lease", "not_taken"]
    starts_at: datetime | None = Field(None, description="propose:新的时间 / a new time")
    note: str = Field("", max_length=1000)
    area: str = Field("", description="lease:租赁面积(㎡)/ leased area")
    rent_yuan: str = Field("", description="lease:成交租金(元/㎡/天)/ rent")
    start_date: IsoDate | None = Field(None, description="lease:起租日期 / lease start")


def _decimal_or_none(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _request_row(space_request) -> dict:
    return {
        "id": space_request.pk, "enterprise": space_request.enterprise_id,
        "enterprise_name": space_request.enterprise.name, "purpose": space_request.purpose,
        "kind": space_request.kind, "area_min": _decimal(space_request.area_min),
        "area_max": _decimal_or_none(space_request.area_max), "required": space_request.required,
        "preferred": space_request.preferred,
        "max_rent_yuan": None if space_request.max_rent_fen is None else f"{space_request.max_rent_fen / 100:.2f}",
        "move_in_date": space_request.move_in_date,
        "park": space_request.park.code if space_request.park_id else None, "status": space_request.status,
        "created_at": space_request.created_at,
    }  # fmt: skip


def _viewing_row(viewing) -> dict:
    return {
        "id": viewing.pk, "request": viewing.request_id, "listing": viewing.listing_id,
        "listing_title": viewing.listing.title, "starts_at": viewing.starts_at, "status": viewing.status,
        "awaiting": viewing.awaiting, "note": viewing.note, "outcome_note": viewing.outcome_note,
    }  # fmt: skip


@router.get(
    "/space/requests", response={200: list[SpaceRequestOut], **ERRORS}, summary="空间需求(可见范围)/ space requests"
)
@paginate(Pagination)
def space_request_list(request):
    require(request.auth, "space_request.view")
    return [_request_row(row) for row in selectors.visible_requests(request.auth)]


@router.post(
    "/space/requests", response={201: SpaceRequestOut, **ERRORS}, summary="提交空间需求(企业用户)/ file a request"
)
def space_request_create(request, payload: SpaceRequestIn):
    user = request.auth
    require(user, "space_request.submit")
    values = payload.model_dump()
    park = Park.objects.filter(code=values.pop("park")).first() if payload.park else None
    if payload.park and park is None:
        raise ValidationError({"park": _("未知的园区代码")})
    form = RequestForm({**{k: v for k, v in values.items() if v is not None}, "park": park.pk if park else ""})
    _form_errors(form)
    created = request_services.space_request_submit(actor=user, data=form.cleaned_data, now=timezone.now())
    return Status(201, _request_row(selectors.request_for(user, created.pk)))


@router.get("/space/requests/{pk}", response={200: SpaceRequestOut, **ERRORS}, summary="一项空间需求 / one request")
def space_request_detail(request, pk: int = Pk):
    return _request_row(selectors.request_for(request.auth, pk))


@router.post(
    "/space/requests/{pk}/close", response={200: SpaceRequestOut, **ERRORS}, summary="关闭需求 / close a request"
)
def space_request_close(request, pk: int = Pk):
    user = request.auth
    request_services.space_request_close(actor=user, request=selectors.request_for(user, pk), now=timezone.now())
    return _request_row(selectors.request_for(user, pk))


@router.get("/space/viewings", response={200: list[ViewingOut], **ERRORS}, summary="看房预约(可见范围)/ viewings")
@paginate(Pagination)
def space_viewing_list(request):
    require(request.auth, "space_viewing.book")
    return [_viewing_row(v) for v in selectors.visible_viewings(request.auth)]


@router.post(
    "/space/requests/{pk}/viewings", response={201: ViewingOut, **ERRORS},
    summary="为需求预约看房 / book a viewing for a request",
)  # fmt: skip
def space_viewing_book(request, payload: BookIn, pk: int = Pk):
    user = request.auth
    space_request = selectors.request_for(user, pk)
    listing = Listing.objects.filter(pk=payload.listing).first()
    if listing is None:
        raise ValidationError({"listing": _("该房源当前不可预约")})
    viewing = request_services.viewing_book(
        actor=user, request=space_request, listing=listing, starts_at=payload.starts_at, note=payload.note,
        now=timezone.now(),
    )  # fmt: skip
    return Status(201, _viewing_row(selectors.viewing_for(user, viewing.pk)))


@router.post(
    "/space/viewings/{pk}/transition", response={200: ViewingOut, **ERRORS},
    summary="确认、改约、取消或记录看房结果 / move a viewing one step",
)  # fmt: skip
def space_viewing_transition(request, payload: ViewingTransitionIn, pk: int = Pk):
    user = request.auth
    viewing = selectors.viewing_for(user, pk)
    outcome = {"area": payload.area, "rent_yuan": payload.rent_yuan, "start_date": payload.start_date}
    request_services.viewing_transition(
        actor=user, viewing=viewing, action=payload.action, starts_at=payload.starts_at, note=payload.note,
        outcome=outcome, now=timezone.now(),
    )  # fmt: skip
    return _viewing_row(selectors.viewing_for(user, pk))
