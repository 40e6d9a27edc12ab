"""IP portfolios (知识产权) in /api/v1, scoped like the /desk/ip/ pages.

Officers list every asset of their towns; an enterprise user sees and keeps its own enterprise's
portfolio. Adding, editing and marking lapsed call the same services as the pages (only officers may
correct an expiry date; otherwise it is the legal term). There is no delete, as on the pages: an asset
that ends is marked lapsed and stays in the history. Out of scope answers 404, a role without the right 403,
bad input 422 with the field named.
"""

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, IsoDate, Pagination
from sanlian.core.permissions import require

from . import ip_selectors as selectors
from .services import ip as services

router = Router(tags=["ip"])

Pk = Path(..., ge=1, le=MAX_ID)
IPKind = Literal["invention", "utility", "design", "trademark", "software", "foreign"]
IPStatus = Literal["pending", "granted", "lapsed", "refused"]
# Filters: one Literal each with "" (all) included, so a bad value is reported under the field's own name.
IPKindOrAny = Literal["", "invention", "utility", "design", "trademark", "software", "foreign"]
IPStatusOrAny = Literal["", "pending", "granted", "lapsed", "refused"]


class IPFilters(Schema):
    kind: IPKindOrAny = Field("", description="类型 / kind")
    status: IPStatusOrAny = Field("", description="状态 / status")
    q: str = Field("", max_length=100, description="号码、名称、企业名称或统一社会信用代码 / words to find")


class IPAssetOut(Schema):
    id: int
    enterprise: int
    enterprise_name: str
    kind: IPKind
    number: str
    title: str
    status: IPStatus
    filing_date: date | None
    grant_date: date | None
    expiry_date: date | None
    expiry_manual: bool = Field(description="有效期经工作人员修正 / expiry corrected by an officer")
    trademark_class: int | None
    co_owners: str
    has_certificate: bool
    updated_at: datetime

    @staticmethod
    def resolve_enterprise(obj) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_has_certificate(obj) -> bool:
        return bool(obj.certificate)


class IPAssetIn(Schema):
    kind: str = Field(description="invention、utility、design、trademark、software、foreign")
    number: str = Field(max_length=60, description="专利号、注册号或登记号 / number")
    title: str = Field(description="1–200 个字 / 1–200 characters")
    status: str = Field("pending", description="pending、granted、lapsed、refused")
    filing_date: IsoDate | None = Field(None, description="申请日(专利必填)/ filing date")
    grant_date: IsoDate | None = Field(None, description="授权/注册日 / grant date")
    trademark_class: int | None = Field(None, ge=1, le=45, strict=True, description="商标类别 1–45 / trademark class")
    co_owners: str = Field("", description="共有权人 / co-owners")
    expiry_date: IsoDate | None = Field(None, description="有效期至(仅工作人员可修正)/ expiry, officers only")


class IPAssetPatch(Schema):
    kind: str | None = None
    number: str | None = Field(None, max_length=60)
    title: str | None = None
    status: str | None = None
    filing_date: IsoDate | None = None
    grant_date: IsoDate | None = None
    trademark_class: int | None = Field(None, ge=1, le=45, strict=True)
    co_owners: str | None = None
    expiry_date: IsoDate | None = Field(None, description="null:恢复为法定期限(工作人员)/ null: back to the term")


def _data(payload: Schema, *, partial: bool) -> dict:
    data = payload.model_dump(exclude_unset=partial)
    if "expiry_date" in data and data["expiry_date"] is None:
        data["expiry_date"] = ""  # blank: back to the computed term, as on the page
    return data


@router.get("/ip/assets", response={200: list[IPAssetOut], **ERRORS}, summary="知识产权(可见范围)/ IP assets in scope")
@paginate(Pagination)
def ip_asset_list(request, filters: Query[IPFilters]):
    require(request.auth, "ip.view")
    return selectors.ip_assets_visible(request.auth, kind=filters.kind, status=filters.status, search=filters.q)


@router.get(
    "/enterprises/{pk}/ip", response={200: list[IPAssetOut], **ERRORS}, summary="一家企业的知识产权 / a portfolio"
)
@paginate(Pagination)
def ip_portfolio(request, filters: Query[IPFilters], pk: int = Pk):
    enterprise = selectors.enterprise_for_ip(request.auth, pk)
    return selectors.portfolio(enterprise, kind=filters.kind, status=filters.status).select_related("enterprise")


@router.post("/enterprises/{pk}/ip", response={201: IPAssetOut, **ERRORS}, summary="添加知识产权 / add an asset")
def ip_asset_create(request, payload: IPAssetIn, pk: int = Pk):
    user = request.auth
    enterprise = selectors.enterprise_for_ip(user, pk, "ip.edit")
    asset = services.ip_asset_add(
        actor=user, enterprise=enterprise, data=_data(payload, partial=False), now=timezone.now()
    )
    return Status(201, selectors.ip_asset_for(user, asset.pk))


@router.get("/ip/assets/{pk}", response={200: IPAssetOut, **ERRORS}, summary="一项知识产权 / one asset")
def ip_asset_detail(request, pk: int = Pk):
    return selectors.ip_asset_for(request.auth, pk)


@router.patch(
    "/ip/assets/{pk}", response={200: IPAssetOut, **ERRORS}, summary="修改知识产权(未给出的字段不变)/ edit an asset"
)
def ip_asset_update(request, payload: IPAssetPatch, pk: int = Pk):
    user = request.auth
    asset = selectors.ip_asset_for(user, pk, "ip.edit")
    services.ip_asset_edit(actor=user, asset=asset, data=_data(payload, partial=True), now=timezone.now())
    return selectors.ip_asset_for(user, pk)


@router.post("/ip/assets/{pk}/lapse", response={200: IPAssetOut, **ERRORS}, summary="标记为已失效 / mark lapsed")
def ip_asset_lapse(request, pk: int = Pk):
    user = request.auth
    services.ip_asset_lapse(actor=user, asset=selectors.ip_asset_for(user, pk, "ip.edit"), now=timezone.now())
    return selectors.ip_asset_for(user, pk)
