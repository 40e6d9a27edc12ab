"""Policies in /api/v1: the library, an enterprise's eligibility with explanations, parameters, YAML import, publish."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, MoneyOut, Pagination
from sanlian.core.permissions import get_scoped, require
from sanlian.enterprises.models import Enterprise

from . import selectors, services
from .models import Policy

router = Router(tags=["policies"])
# A date in the query as text: pydantic would also take numbers ("0") as dates.
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class PolicyListOut(Schema):
    code: str
    version: int
    title: str
    issuer: str
    doc_number: str
    summary: str
    benefit_text: str
    tags: list[str]
    no_application: bool
    effective_from_date: date
    effective_until_date: date | None


class PolicyOut(PolicyListOut):
    source_clause: str
    benefit: dict[str, Any]
    handbook_target: str
    handbook_conditions: str
    handbook_deadline: str
    handbook_materials: str
    rule: dict[str, Any]
    published_at: datetime | None
    versions: list[int]


class LibraryQuery(Schema):
    q: str = ""
    issuer: str = ""
    tag: str = ""
    status: str = ""


class EligibilityOut(Schema):
    policy: str
    title: str
    version: int
    outcome: str
    benefit_estimate: MoneyOut | None
    evaluated_at: datetime
    explanation: dict[str, Any]


class ParameterValueOut(Schema):
    key: str
    value: Any
    effective_date: date
    recorded_at: datetime


class ParameterOut(Schema):
    name: str
    label: str
    unit: str
    source_clause: str
    key_fact: str
    current: list[ParameterValueOut]
    history: list[ParameterValueOut]


class YamlIn(Schema):
    yaml: str


def _list_row(version) -> dict:
    return {
        "code": version.policy.code,
        "version": version.number,
        **{f: getattr(version, f) for f in PolicyListOut.model_fields if f not in ("code", "version")},
    }


@router.get("/policies", response={200: list[PolicyListOut], **ERRORS}, summary="政策库 / published policies")
@paginate(Pagination)
def policy_list(request, filters: Query[LibraryQuery]):
    library = selectors.policy_library(filters=selectors.LibraryFilters(**filters.dict()), as_of=timezone.localdate())
    return [_list_row(v) for v in library]


@router.post("/policies/import", response={201: PolicyOut, **ERRORS}, summary="导入 YAML 为草稿 / import a draft")
def policy_import(request, payload: YamlIn):
    version = services.policy_import_yaml(actor=request.auth, text=payload.yaml, default_region=request.auth.region)
    return Status(201, _full(version))


@router.get("/policies/{code}", response={200: PolicyOut, **ERRORS}, summary="政策详情 / one policy (or ?version=N)")
def policy_detail(request, code: str, version: int | None = None):
    found = selectors.policy_public(code=code, number=version)
    if found is None:
        raise Http404
    return _full(found)


@router.get(
    "/enterprises/{pk}/eligibility",
    response={200: list[EligibilityOut], **ERRORS},
    summary="企业政策匹配结果及逐条说明 / an enterprise's eligibility (?on=DATE for what it was told then)",
)
def enterprise_eligibility(
    request, pk: int = Path(..., ge=1, le=MAX_ID), on: str | None = Query(None, pattern=DATE_PATTERN)
):
    enterprise = get_scoped(request.auth, "policy.results", Enterprise.objects.all(), pk=pk)
    if on is not None:
        try:
            on = parse_date(on)
        except ValueError:  # well formed but not a real date, e.g. 2026-02-30
            on = None
        if on is None:
            raise ValidationError({"on": _("请输入有效日期(YYYY-MM-DD)")})
        moment = timezone.make_aware(datetime.combine(on, datetime.max.time()))
        results = selectors.enterprise_results_on(enterprise_id=enterprise.pk, moment=moment)
    else:
        results = selectors.enterprise_results(enterprise_id=enterprise.pk, as_of=timezone.localdate())
    return [
        {
            "policy": r.policy.code,
            "title": r.version.title,
            "version": r.version.number,
            "outcome": r.outcome,
            "benefit_estimate": r.benefit_estimate,
            "evaluated_at": r.evaluated_at,
            "explanation": tree,
        }
        for r, tree in selectors.explained(results)
    ]


@router.get("/parameters", response={200: list[ParameterOut], **ERRORS}, summary="政策参数及历史 / parameters")
def parameter_list(request):
    require(request.auth, "policy.edit")
    rows = selectors.parameters_with_values(as_of=timezone.localdate())
    out = []
    for row in rows:
        p = row["parameter"]
        out.append(
            {
                "name": p.name,
                "label": p.label,
                "unit": p.unit,
                "source_clause": p.source_clause,
                "key_fact": p.key_fact,
                "current": row["current"],
                "history": row["history"],
            }
        )
    return out


@router.post("/policies/{code}/publish", response={200: PolicyOut, **ERRORS}, summary="发布草稿 / publish the draft")
def policy_publish(request, code: str):
    policy = get_scoped(request.auth, "policy.publish", Policy.objects.all(), code=code)
    return _full(services.policy_publish(actor=request.auth, policy=policy))


def _full(version) -> dict:
    row = _list_row(version)
    row.update({f: getattr(version, f) for f in PolicyOut.model_fields if f not in row and f != "versions"})
    row["versions"] = [v.number for v in selectors.published_history(version.policy)]
    return row
