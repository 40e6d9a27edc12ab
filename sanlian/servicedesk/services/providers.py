"""Writes of the service-provider catalogue (服务机构): providers, their services, status, and ratings.

Officers keep the catalogue: a town officer the providers managed from the town, a district officer every
provider of the district (the provider's `region`, checked by the one permission layer). Enterprises reach a
provider through the desk (`request_submit(provider_service=...)`, category from CATEGORY_OF_KIND) and rate
it once the request is closed, one rating per request. Every write is one transaction with an audit event.
"""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanlian.core.fields import to_yuan
from sanlian.core.locks import lock_row, refuse_unless
from sanlian.core.permissions import has_perm, in_scope, require
from sanlian.core.services import audit_record
from sanlian.enterprises.models import Enterprise, Region

from ..models import Provider, ProviderRating, ProviderService, ServiceRequest

Kind = Provider.Kind
# Which desk category a request to a provider of each kind is filed under (and so routed and timed by).
CATEGORY_OF_KIND: dict[str, str] = {
    Kind.IP_AGENCY: "ip",
    Kind.FINANCING: "financing",
    Kind.REGULATORY: "permits",
    Kind.LAW_FIRM: "other",
    Kind.CRO: "other",
    Kind.CDMO: "other",
    Kind.TESTING_LAB: "other",
    Kind.OTHER: "other",
}
# action → (states it may start from, target state)
TRANSITIONS = {
    "suspend": (frozenset({Provider.Status.LISTED}), Provider.Status.SUSPENDED),
    "relist": (frozenset({Provider.Status.SUSPENDED}), Provider.Status.LISTED),
}
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
SWITCHBOARD = re.compile(r"^[0-9+][0-9\- ]{6,19}$")
NAME_LENGTH = (2, 128)
DESCRIPTION_LENGTH = (10, 4000)
SERVICE_NAME_LENGTH = (2, 100)
COMMENT_LENGTH = 1000
MAX_TURNAROUND_DAYS = 730
TEXT_FIELDS = ("qualifications", "switchboard", "email", "website", "contact_name")


def _text(value, field: str, bounds: tuple[int, int], errors: dict, *, required: bool = True) -> str:
    text = str(value or "").strip()
    low, high = bounds
    if not text:
        if required:
            errors[field] = _("此项为必填项")
    elif len(text) < low:
        errors[field] = _("至少 %(n)s 个字") % {"n": low}
    elif len(text) > high:
        errors[field] = _("最多 %(n)s 个字(当前 %(count)s 个)") % {"n": high, "count": len(text)}
    return text


# -- providers -------------------------------------------------------------------------------------------------


def _provider_fields(data: dict, errors: dict) -> dict:
    """Clean the editable fields of a provider; errors name the field."""
    kind = str(data.get("kind") or "")
    if kind not in Kind.values:
        errors["kind"] = _("请选择机构类型")
    region = data.get("region")
    if not isinstance(region, Region):
        errors["region"] = _("请选择管理辖区")
    fields = {
        "name": _text(data.get("name"), "name", NAME_LENGTH, errors),
        "kind": kind,
        "region": region,
        "description": _text(data.get("description"), "description", DESCRIPTION_LENGTH, errors),
        **{name: str(data.get(name) or "").strip() for name in TEXT_FIELDS},
        "contact_mobile": str(data.get("contact_mobile") or "").replace(" ", ""),
    }
    _text(fields["qualifications"], "qualifications", (0, 300), errors, required=False)
    if fields["switchboard"] and not SWITCHBOARD.match(fields["switchboard"]):
        errors["switchboard"] = _("请输入有效的电话号码,如 021-54321000")
    if fields["email"]:
        try:
            validate_email(fields["email"])
        except ValidationError:
            errors["email"] = _("请输入有效的电子邮箱")
    if fields["website"] and not re.match(r"^https?://[^\s/]+\.[^\s]+$", fields["website"]):
        errors["website"] = _("网址应以 http:// 或 https:// 开头")
    if fields["contact_mobile"] and not MOBILE.match(fields["contact_mobile"]):
        errors["contact_mobile"] = _("请输入11位手机号")
    return fields


def _linked_enterprise(value, errors: dict) -> Enterprise | None:
    """A registry enterprise given as an instance or a USCC; blank for a provider not in the registry."""
    if isinstance(value, Enterprise) or not value:
        return value or None
    enterprise = Enterprise.objects.filter(uscc=str(value).strip().upper()).first()
    if enterprise is None:
        errors["enterprise"] = _("企业档案中没有该统一社会信用代码")
    return enterprise


def _check_scope(actor, provider: Provider, errors: dict) -> None:
    if "region" not in errors and not in_scope(actor, provider):
        errors["region"] = _("只能管理本辖区的服务机构")


def _regions(data: dict) -> list[Region]:
    return [r for r in data.get("regions_served") or () if isinstance(r, Region)]


@transaction.atomic
def provider_create(*, actor, data: dict, now: datetime) -> Provider:
    """A provider listed in the catalogue, managed from `data["region"]` (which must be in the actor's scope)."""
    require(actor, "provider.edit")
    errors: dict[str, str] = {}
    enterprise = _linked_enterprise(data.get("enterprise"), errors)
    if enterprise is not None and not str(data.get("name") or "").strip():
        data = {**data, "name": enterprise.name}
    fields = _provider_fields(data, errors)
    mobile = fields.pop("contact_mobile") or None
    provider = Provider(**fields, enterprise=enterprise, contact_mobile=mobile, created_at=now, updated_at=now)
    provider.is_demo = bool(data.get("is_demo"))
    _check_scope(actor, provider, errors)
    if "name" not in errors and Provider.objects.filter(name=fields["name"]).exists():
        errors["name"] = _("已有同名服务机构")
    if errors:
        raise ValidationError(errors)
    provider.save()
    provider.regions_served.set(_regions(data))
    audit_record(actor=actor, action="provider.create", target=provider, now=now)
    return provider


@transaction.atomic
def provider_update(*, actor, provider: Provider, data: dict, now: datetime) -> Provider:
    """Change a provider's details; a blank mobile keeps the stored one (it is never shown in full)."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    require(actor, "provider.edit", provider)
    errors: dict[str, str] = {}
    enterprise = _linked_enterprise(data.get("enterprise"), errors)
    fields = _provider_fields(data, errors)
    mobile = fields.pop("contact_mobile")
    changes = {name: [str(getattr(provider, name)), str(value)] for name, value in fields.items()}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.enterprise = enterprise
    if mobile:
        provider.contact_mobile = mobile
        changes["contact_mobile"] = ["***", "***"]  # personal data stays out of the audit trail
    _check_scope(actor, provider, errors)
    if "name" not in errors and Provider.objects.filter(name=fields["name"]).exclude(pk=provider.pk).exists():
        errors["name"] = _("已有同名服务机构")
    if errors:
        raise ValidationError(errors)
    provider.updated_at = now
    provider.save()
    provider.regions_served.set(_regions(data))
    audit_record(actor=actor, action="provider.update", target=provider, changes=changes, now=now)
    return provider


@transaction.atomic
def provider_transition(*, actor, provider: Provider, action: str, reason: str = "", now: datetime) -> Provider:
    """Suspend a provider (taken out of the catalogue and of new requests; a reason is required) or list it again."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    provider = lock_row(Provider, provider.pk)
    require(actor, "provider.edit", provider)
    sources, target = TRANSITIONS[action]
    refuse_unless(provider, allowed=sources)
    reason = (reason or "").strip()
    if action == "suspend" and not reason:
        raise ValidationError({"reason": _("请填写暂停原因")})
    old = provider.status
    provider.status, provider.status_reason, provider.updated_at = target, reason, now
    provider.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(
        actor=actor, action=f"provider.{action}", target=provider, changes={"status": [old, target]}, note=reason,
        now=now,
    )  # fmt: skip
    return provider


# -- services of a provider ---------------------------------------------------------------------------------


def _money(value, field: str, errors: dict, *, required: bool):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = _("此项为必填项")
        return None
    try:
        return to_yuan(value)
    except ValidationError as exc:
        errors[field] = " ".join(exc.messages)
        return None


def _turnaround(value, errors: dict) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if not 1 <= days <= MAX_TURNAROUND_DAYS:
        errors["turnaround_days"] = _("周期应为 1–%(n)s 天的整数") % {"n": MAX_TURNAROUND_DAYS}
        return None
    return days


def _service_fields(data: dict, errors: dict) -> dict:
    """Clean a service; prices are yuan (never floats, never negative) and the minimum may not pass the maximum."""
    unit = str(data.get("unit") or "")
    if unit not in ProviderService.Unit.values:
        errors["unit"] = _("请选择计价单位")
    fields = {
        "name": _text(data.get("name"), "name", SERVICE_NAME_LENGTH, errors),
        "description": _text(data.get("description"), "description", (0, 2000), errors, required=False),
        "price_min": _money(data.get("price_min"), "price_min", errors, required=True),
        "price_max": _money(data.get("price_max"), "price_max", errors, required=False),
        "unit": unit,
        "turnaround_days": _turnaround(data.get("turnaround_days"), errors),
        "is_active": bool(data.get("is_active", True)),
    }
    low, high = fields["price_min"], fields["price_max"]
    if low is not None and high is not None and low > high:
        errors["price_max"] = _("最高价不能低于最低价")
    return fields


@transaction.atomic
def provider_service_create(*, actor, provider: Provider, data: dict, now: datetime) -> ProviderService:
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    require(actor, "provider.edit", provider)
    errors: dict[str, str] = {}
    fields = _service_fields(data, errors)
    if errors:
        raise ValidationError(errors)
    service = ProviderService.objects.create(provider=provider, **fields)
    provider.updated_at = now
    provider.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="provider.service_create", target=service, note=str(provider), now=now)
    return service


@transaction.atomic
def provider_service_update(*, actor, service: ProviderService, data: dict, now: datetime) -> ProviderService:
    locked = ProviderService.objects.select_for_update(of=("self",)).select_related("provider__region")
    service = locked.get(pk=service.pk)
    require(actor, "provider.edit", service.provider)
    errors: dict[str, str] = {}
    fields = _service_fields(data, errors)
    if errors:
        raise ValidationError(errors)
    changes = {k: [str(getattr(service, k)), str(v)] for k, v in fields.items() if getattr(service, k) != v}
    for name, value in fields.items():
        setattr(service, name, value)
    service.save()
    audit_record(actor=actor, action="provider.service_update", target=service, changes=changes, now=now)
    return service


def listed_service(value) -> ProviderService | None:
    """The service (instance or id) if it is on sale at a listed provider, else None: what a request may name."""
    try:
        pk = int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None
    return (
        ProviderService.objects.select_related("provider")
        .filter(pk=pk, is_active=True, provider__status=Provider.Status.LISTED)
        .first()
    )


# -- ratings -------------------------------------------------------------------------------------------------


def _score(value) -> int:
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if isinstance(value, float) or not 1 <= score <= 5:
        raise ValidationError({"score": _("评分应为 1–5")})
    return score


@transaction.atomic
def provider_rate(*, actor, request: ServiceRequest, score, comment: str = "", now: datetime) -> ProviderRating:
    """The enterprise's rating of the provider of its own closed request, once per request."""
    require(actor, "provider.rate")
    request = ServiceRequest.objects.select_for_update(of=("self",)).select_related("provider").get(pk=request.pk)
    if not has_perm(actor, "provider.rate", request):
        raise ValidationError({"request": _("只能评价本企业通过服务台委托的服务")})
    if request.provider_id is None:
        raise ValidationError({"request": _("该诉求未委托服务机构")})
    if request.status != ServiceRequest.Status.CLOSED:
        raise ValidationError({"status": _("委托办结并经企业确认后才能评价服务机构")})
    if ProviderRating.objects.filter(request=request).exists():
        raise ValidationError({"score": _("已评价过该委托,不能重复评价")})
    score = _score(score)
    errors: dict[str, str] = {}
    comment = _text(comment, "comment", (0, COMMENT_LENGTH), errors, required=False)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            rating = ProviderRating.objects.create(
                provider=request.provider, request=request, enterprise_id=request.enterprise_id, score=score,
                comment=comment, rated_by=actor, created_at=now,
            )  # fmt: skip
    except IntegrityError as exc:  # a second rating raced past the check above
        raise ValidationError({"score": _("已评价过该委托,不能重复评价")}) from exc
    audit_record(
        actor=actor, action="provider.rate", target=rating, enterprise_id=request.enterprise_id,
        changes={"score": [None, score]}, now=now,
    )  # fmt: skip
    return rating


@transaction.atomic
def provider_rating_hide(*, actor, rating: ProviderRating, reason: str, now: datetime) -> ProviderRating:
    """Hide an abusive comment (the score still counts); only an officer who manages the provider may."""
    rating = ProviderRating.objects.select_for_update(of=("self",)).select_related("provider__region").get(pk=rating.pk)
    require(actor, "provider.edit", rating.provider)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写隐藏原因")})
    errors: dict[str, str] = {}
    _text(reason, "reason", (0, 200), errors, required=False)
    if errors:
        raise ValidationError(errors)
    if rating.hidden_at is not None:
        raise ValidationError({"reason": _("该评价已隐藏")})
    rating.hidden_at, rating.hidden_by, rating.hidden_reason = now, actor, reason
    rating.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(
        actor=actor, action="provider.rating_hide", target=rating, enterprise_id=rating.enterprise_id, note=reason,
        now=now,
    )  # fmt: skip
    return rating


@transaction.atomic
def provider_reveal(*, actor, provider: Provider, now: datetime | None = None) -> str:
    """The contact person's full mobile, for those who manage the provider; every reveal is logged (PIPL)."""
    require(actor, "provider.edit", provider)
    audit_record(actor=actor, action="provider.reveal", target=provider, changes={"field": "contact_mobile"}, now=now)
    return provider.contact_mobile or ""
