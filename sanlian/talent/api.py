"""The talent programme in /api/v1, scoped like the pages.

Talents and employers list, start, fill in and move their own applications; officers list those in
their scope and move them on. ID and phone numbers are always masked here (the pages offer a logged
reveal). Out-of-scope objects answer 404, a forbidden action 403, bad input 422, and a transition on
an application somebody else moved in the meantime 409.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, ErrorOut, Pagination
from sanlian.core.models import Role
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.selectors import enterprise_by_uscc

from . import selectors
from .models import Round, TalentApplication
from .services import applications as services

router = Router(tags=["talent"])

ApplicationStatus = Literal[
    "draft", "employer_review", "submitted", "district_review", "notice", "approved", "rejected", "returned",
    "withdrawn",
]  # fmt: skip
Action = Literal[tuple(services.TRANSITIONS)]


class TalentLevelOut(Schema):
    code: str
    name: str
    description: str


class TalentRoundOut(Schema):
    year: int
    name: str
    doc_number: str
    status: str
    open_date: date
    deadline_date: date
    routes: list[str]
    levels: list[TalentLevelOut]


class TalentApplicationListOut(Schema):
    id: int
    year: int
    level: str
    name: str
    employer: str
    status: ApplicationStatus
    score: Decimal | None
    updated_at: datetime

    # Resolved from the page's rows, so a page of the list never loads more than its applications.
    @staticmethod
    def resolve_year(obj) -> int:
        return obj["year"] if isinstance(obj, dict) else obj.round.year

    @staticmethod
    def resolve_level(obj) -> str:
        return obj["level"] if isinstance(obj, dict) else obj.level.code

    @staticmethod
    def resolve_employer(obj) -> str:
        return obj["employer"] if isinstance(obj, dict) else obj.employer.name


class TalentProblemOut(Schema):
    field: str
    message: str


class TalentApplicationOut(TalentApplicationListOut):
    talent_type: str
    route: str
    position: str
    id_number: str = Field(description="脱敏 / masked")
    phone: str = Field(description="脱敏 / masked")
    birth_date: date | None
    gender: str
    education: list[dict]
    career: list[dict]
    achievements: str
    titles: list[str]
    is_founder: bool
    contract_start_date: date | None
    contract_end_date: date | None
    social_insurance_months: int | None
    tax_record_months: int | None
    problems: list[TalentProblemOut] = Field(description="提交前尚需解决的问题 / what still blocks submission")
    certificate: str | None = Field(None, description="证书编号 / certificate number")


class TalentApplicationFilters(Schema):
    status: ApplicationStatus | Literal[""] = ""


class TalentStartIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    level: str = Field(..., max_length=32)
    employer_uscc: str = Field("", max_length=18, description="人才本人申报时必填 / required for talents")


class TalentApplicationPatch(Schema):
    level: str | None = Field(None, max_length=32)
    talent_type: str | None = Field(None, max_length=32)
    route: str | None = Field(None, max_length=16)
    position: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=64)
    id_number: str | None = Field(None, max_length=18)
    phone: str | None = Field(None, max_length=20)
    education: list[dict] | None = None
    career: list[dict] | None = None
    achievements: str | None = Field(None, max_length=5000)
    titles: list[str] | None = None
    is_founder: bool | None = None
    contract_start_date: date | None = None
    contract_end_date: date | None = None
    social_insurance_months: int | None = Field(None, ge=0, le=600)
    tax_record_months: int | None = Field(None, ge=0, le=600)


class TalentTransitionIn(Schema):
    action: Action
    comment: str = Field("", max_length=2000)
    expected_status: ApplicationStatus | None = None


def _list_row(a: TalentApplication) -> dict:
    return {
        "id": a.pk, "year": a.round.year, "level": a.level.code, "name": a.name, "employer": a.employer.name,
        "status": a.status, "score": a.score, "updated_at": a.updated_at,
    }  # fmt: skip


def _full(a: TalentApplication) -> dict:
    masked = selectors.masked(a)
    check = services.application_check(a, today=timezone.localdate(), for_submission=False)
    certificate = getattr(a, "certificate", None) if a.status == TalentApplication.Status.APPROVED else None
    return {
        **_list_row(a),
        **{name: getattr(a, name) for name in (
            "talent_type", "route", "position", "birth_date", "gender", "education", "career", "achievements",
            "titles", "is_founder", "contract_start_date", "contract_end_date", "social_insurance_months",
            "tax_record_months")},
        "id_number": masked["id_number"],
        "phone": masked["phone"],
        "problems": [{"field": f, "message": m} for f, m in check.problems],
        "certificate": certificate.number if certificate else None,
    }  # fmt: skip


@router.get("/talent/rounds", response={200: list[TalentRoundOut], **ERRORS}, summary="人才计划年度 / programme rounds")
def round_list(request):
    user = request.auth
    if not has_perm(user, "talent_application.view"):
        raise PermissionDenied
    rounds = Round.objects.prefetch_related("levels").order_by("-year")
    if not user.is_officer:
        rounds = rounds.filter(status=Round.Status.OPEN)
    return [
        {**{k: getattr(r, k) for k in ("year", "name", "doc_number", "status", "open_date", "deadline_date", "routes")},
         "levels": [{"code": lv.code, "name": lv.name, "description": lv.description} for lv in r.levels.all()]}
        for r in rounds
    ]  # fmt: skip


@router.get(
    "/talent/applications",
    response={200: list[TalentApplicationListOut], **ERRORS},
    summary="人才申报(本人、本单位或管辖范围,分页)/ applications in scope",
)
@paginate(Pagination)
def application_list(request, filters: Query[TalentApplicationFilters]):
    require(request.auth, "talent_application.view")
    applications = selectors.my_applications(request.auth)
    if filters.status:
        applications = applications.filter(status=filters.status)
    return applications


@router.post(
    "/talent/applications",
    response={201: TalentApplicationOut, **ERRORS},
    summary="发起人才申报 / start an application",
)
def application_start(request, payload: TalentStartIn):
    user = request.auth
    require(user, "talent_application.edit")
    round_ = get_object_or_404(Round, year=payload.year)
    level = get_object_or_404(round_.levels, code=payload.level)
    employer = enterprise_by_uscc(payload.employer_uscc) if user.role == Role.TALENT else None
    if user.role == Role.TALENT and employer is None:
        raise ValidationError({"employer_uscc": _("未找到该统一社会信用代码对应的企业")})
    application = services.application_start(actor=user, round_=round_, level=level, employer=employer)
    return Status(201, _full(selectors.application_for(user, application.pk)))


@router.get("/talent/applications/{pk}", response={200: TalentApplicationOut, **ERRORS}, summary="一份人才申报 / one")
def application_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return _full(selectors.application_for(request.auth, pk))


@router.patch(
    "/talent/applications/{pk}", response={200: TalentApplicationOut, **ERRORS}, summary="保存申报表 / save the form"
)
def application_update(request, payload: TalentApplicationPatch, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    application = selectors.application_for(user, pk)
    services.application_save(actor=user, application=application, data=payload.dict(exclude_unset=True))
    return _full(selectors.application_for(user, pk))


@router.post(
    "/talent/applications/{pk}/transition",
    response={200: TalentApplicationOut, 409: ErrorOut, **ERRORS},
    summary="提交、确认报送、预审、认定、撤回 / move an application on",
)
def application_transition(request, payload: TalentTransitionIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    application = selectors.application_for(user, pk)
    try:
        services.application_transition(
            actor=user, application=application, action=payload.action, comment=payload.comment,
            expected_status=payload.expected_status,
        )  # fmt: skip
    except services.ApplicationConflict as exc:
        return Status(409, {"detail": exc.conflict_message, "code": "conflict"})
    return _full(selectors.application_for(user, pk))
