"""The service-provider catalogue (服务机构) in /api/v1, scoped like the pages.

Enterprise users ask the desk to introduce a provider for one of its services (a normal desk request) and
rate the provider of their own closed request, once, as on the provider's page.

Officers and enterprise users list the listed providers (officers also the suspended ones they manage) with
their services, price ranges and ratings; anyone else gets 403, a provider the caller may not see 404, an
unknown region code 422. A personal contact mobile is only ever shown masked.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, MoneyIn, MoneyOut, Pagination
from sanlian.core.masking import mask_phone
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.models import Region
from sanlian.enterprises.selectors import reference_lookup

from . import provider_selectors as selectors
from .models import Provider
from .services import providers as services
from .services.requests import request_submit

router = Router(tags=["servicedesk"])

ProviderKind = Literal["ip_agency", "law_firm", "cro", "cdmo", "testing_lab", "financing", "regulatory", "other"]
ProviderStatus = Literal["listed", "suspended"]
Unit = Literal["per_case", "per_hour", "per_project", "per_sample"]


class ProviderFilters(Schema):
    kind: ProviderKind | Literal[""] = Field("", description="机构类型 / provider kind")
    q: str = Field("", max_length=50, description="机构或服务名称、简介中的关键词 / words to find")
    price_max: MoneyIn | None = Field(None, description="有起价不高于该金额(元)的服务 / a service from at most")
    region: str = Field("", max_length=40, description="服务区域代码,如 pujiang / region code served")
    sort: Literal["rating", "name"] = Field("rating", description="按评分或名称排序 / order")


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    price_min: MoneyOut
    price_max: MoneyOut | None = Field(description="为空表示“起” / null: priced from price_min")
    unit: Unit
    turnaround_days: int | None
    is_active: bool


class ProviderListOut(Schema):
    id: int
    name: str
    kind: ProviderKind
    status: ProviderStatus
    qualifications: str
    rating_avg: Decimal | None = Field(description="平均评分(1–5,两位小数)/ mean score")
    rating_count: int
    is_demo: bool

    @staticmethod
    def resolve_rating_avg(obj) -> Decimal | None:
        return _average(obj)


class RatingOut(Schema):
    id: int
    score: int
    comment: str = Field(description="被隐藏的评价内容为空 / empty when hidden by an officer")
    hidden: bool
    created_at: datetime


class ProviderOut(ProviderListOut):
    description: str
    enterprise_id: int | None = Field(description="关联的在册企业 / the registered enterprise")
    region: str = Field(description="管理辖区代码 / region managing the provider")
    regions_served: list[str]
    switchboard: str
    email: str
    website: str
    contact_name: str
    contact_mobile: str = Field(description="个人手机号,仅显示掩码 / a person's mobile, masked")
    services: list[ServiceOut]
    ratings: list[RatingOut] = Field(description="最近 50 条评价 / the latest 50 ratings")


def _average(provider) -> Decimal | None:
    value = provider.rating_avg if not isinstance(provider, dict) else provider["rating_avg"]
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


@router.get(
    "/desk/providers",
    response={200: list[ProviderListOut], **ERRORS},
    summary="服务机构目录(可见范围,分页)/ the provider catalogue",
)
@paginate(Pagination)
def provider_list(request, filters: Query[ProviderFilters]):
    user = request.auth
    require(user, "provider.view")
    region = reference_lookup(Region, "region", filters.region)
    return selectors.catalogue(
        user, kind=filters.kind, q=filters.q, price_max=filters.price_max, region=region, sort=filters.sort
    )


@router.get("/desk/providers/{pk}", response={200: ProviderOut, **ERRORS}, summary="一家服务机构 / one provider")
def provider_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "provider.view")
    provider: Provider = selectors.provider_for(user, pk)
    manages = has_perm(user, "provider.edit", provider)
    return {
        "id": provider.pk, "name": provider.name, "kind": provider.kind, "status": provider.status,
        "qualifications": provider.qualifications, "rating_avg": _average(provider),
        "rating_count": provider.rating_count, "is_demo": provider.is_demo, "description": provider.description,
        "enterprise_id": provider.enterprise_id, "region": provider.region.code,
        "regions_served": [r.code for r in provider.regions_served.all()],
        "switchboard": provider.switchboard, "email": provider.email, "website": provider.website,
        "contact_name": provider.contact_name, "contact_mobile": mask_phone(provider.contact_mobile or ""),
        "services": list(selectors.provider_services(provider, include_inactive=manages)),
        "ratings": [
            {"id": r.pk, "score": r.score, "comment": "" if r.hidden_at else r.comment,
             "hidden": r.hidden_at is not None, "created_at": r.created_at}
            for r in selectors.provider_ratings(provider)[:50]
        ],
    }  # fmt: skip


class ProviderRevealedOut(Schema):
    id: int
    contact_mobile: str = Field(description="联系人完整手机号(查看已记录)/ the full mobile, the reveal is logged")


@router.post(
    "/desk/providers/{pk}/reveal", response={200: ProviderRevealedOut, **ERRORS},
    summary="查看服务机构联系人完整手机号(管理者,记录在案)/ reveal the contact's mobile, logged",
)  # fmt: skip
def provider_reveal(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    provider = selectors.provider_for(user, pk)
    return {"id": provider.pk, "contact_mobile": services.provider_reveal(actor=user, provider=provider)}


# ---------------------------------------------------------------- asking the desk for a provider, rating it


class ProviderRequestIn(Schema):
    provider_service: int = Field(
        ge=1, le=MAX_ID, strict=True, description="该机构在售服务的 id / the provider's service id"
    )
    title: str = Field(description="4–100 个字 / 4–100 characters")
    body: str = Field(description="10–4000 个字 / 10–4,000 characters")


class ProviderRequestOut(Schema):
    id: int = Field(description="生成的服务台诉求 id,见 /desk/requests/{id} / the desk request made")
    provider: int
    provider_service: int
    status: str


class RatingIn(Schema):
    request: int = Field(ge=1, le=MAX_ID, strict=True, description="经该机构办结的本企业诉求 id / own closed request")
    score: int = Field(strict=True, description="1–5")
    comment: str = ""


class RatingCreatedOut(Schema):
    id: int
    provider: int
    request: int
    score: int
    comment: str
    created_at: datetime

    @staticmethod
    def resolve_provider(obj) -> int:
        return obj.provider_id

    @staticmethod
    def resolve_request(obj) -> int:
        return obj.request_id


@router.post(
    "/desk/providers/{pk}/requests", response={201: ProviderRequestOut, **ERRORS},
    summary="请服务台对接该机构的一项服务(企业用户)/ ask the desk to introduce this provider",
)  # fmt: skip
def provider_request(request, payload: ProviderRequestIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "request.submit")
    provider = selectors.provider_for(user, pk)
    if not selectors.provider_services(provider).filter(pk=payload.provider_service).exists():
        raise ValidationError({"provider_service": _("请选择该机构的在售服务")})
    created = request_submit(
        actor=user, data={"title": payload.title, "body": payload.body}, provider_service=payload.provider_service,
        now=timezone.now(),
    )  # fmt: skip
    return Status(201, {
        "id": created.pk, "provider": provider.pk, "provider_service": payload.provider_service,
        "status": created.status,
    })  # fmt: skip


@router.post(
    "/desk/providers/{pk}/ratings", response={201: RatingCreatedOut, **ERRORS},
    summary="评价经服务台委托并办结的服务(企业用户)/ rate the provider of a closed request",
)  # fmt: skip
def provider_rating_create(request, payload: RatingIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "provider.rate")
    provider = selectors.provider_for(user, pk)
    target = selectors.request_to_rate(user, provider, payload.request)
    rating = services.provider_rate(
        actor=user, request=target, score=payload.score, comment=payload.comment, now=timezone.now()
    )
    return Status(201, rating)
