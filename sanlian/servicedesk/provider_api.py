"""The service-provider catalogue (服务机构) in /api/v1, read-only and scoped like the pages.

Officers and enterprise users list the listed providers (officers also the suspended ones they manage) with
their services, price ranges and ratings; anyone else gets 403, a provider the caller may not see 404, an
unknown region code 422. A personal contact mobile is only ever shown masked.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, MoneyIn, MoneyOut, Pagination
from sanlian.core.masking import mask_phone
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.models import Region
from sanlian.enterprises.selectors import reference_lookup

from . import provider_selectors as selectors
from .models import Provider

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
