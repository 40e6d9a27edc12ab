"""Calls and applications (技术申报) in /api/v1, scoped like the pages.

Enterprise users see the published calls of their region with their own eligibility, start and fill in
their own application and submit it; town and district officers list a call's applications in their
scope and move them on. Out-of-scope objects answer 404, a forbidden action 403, bad input 422, and a
transition on an application somebody else moved in the meantime 409 (with who acted and the status).
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, EnterpriseRef, ErrorOut, Pagination
from sanlian.core.permissions import require

from . import call_selectors as selectors
from .models import Application, Call
from .services import calls as services

router = Router(tags=["calls"])

CallStatus = Literal["draft", "published"]
ApplicationStatus = Literal["draft", "submitted", "returned", "recommended", "not_recommended", "approved", "rejected"]
OutcomeName = Literal["eligible", "not_eligible", "unknown"]
Action = Literal["submit", "return", "recommend", "not_recommend", "approve", "reject"]


# ---------------------------------------------------------------- shapes


class CallFilters(Schema):
    status: Literal["", "draft", "published"] = Field("", description="草稿或已发布(企业只看到已发布)/ status")


class ApplicationRef(Schema):
    id: int
    status: ApplicationStatus


class CallFields(Schema):
    id: int
    code: str
    title: str
    kind: str
    region: str = Field(description="发布区域代码 / region code")
    issuer: str
    open_date: date
    close_date: date
    status: CallStatus
    is_open: bool = Field(description="今天是否在申报期内 / open today")


class CallListOut(CallFields):
    # Rows are read from the page's models, so a page never loads more than its calls.
    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_is_open(obj) -> bool:
        return obj.is_open_on(timezone.localdate())


class MaterialSpecOut(Schema):
    key: str
    label: str
    required: bool


class FormFieldOut(Schema):
    key: str
    label: str
    type: Literal["text", "textarea", "number", "date", "choice"]
    required: bool
    choices: list[str] | None = None
    help: str = ""


class CallEligibilityOut(Schema):
    outcome: OutcomeName
    explanation: dict[str, Any] = Field(description="逐条判定说明(空 = 未设条件)/ explanation tree")


class CallOut(CallFields):
    description: str
    policy: str | None = Field(None, description="依据政策编号 / policy code")
    rule: dict[str, Any]
    materials: list[MaterialSpecOut]
    form_fields: list[FormFieldOut]
    eligibility: CallEligibilityOut | None = Field(None, description="调用方企业的资格预判(仅企业用户)/ the caller's")
    application: ApplicationRef | None = Field(None, description="调用方企业的申报(仅企业用户)/ the caller's")


class MaterialOut(Schema):
    id: int
    item: str
    name: str
    size: int
    uploaded_at: datetime
    url: str


class ApplicationFields(Schema):
    id: int
    call: int
    enterprise: EnterpriseRef
    status: ApplicationStatus
    eligibility: OutcomeName | Literal[""]
    submitted_at: datetime | None
    updated_at: datetime


class ApplicationListOut(ApplicationFields):
    @staticmethod
    def resolve_call(obj) -> int:
        return obj.call_id


class ApplicationOut(ApplicationFields):
    call_code: str
    data: dict[str, Any]
    explanation: dict[str, Any]
    review_comment: str
    district_comment: str
    created_at: datetime
    reviewed_at: datetime | None
    decided_at: datetime | None
    materials: list[MaterialOut]


class ApplicationFilters(Schema):
    status: ApplicationStatus | Literal[""] = ""


class ApplicationPatch(Schema):
    data: dict[str, Any] = Field(description="申报表字段 key → 取值;null 或空串清除 / values by field key")


class ApplicationTransitionIn(Schema):
    action: Action
    comment: str = ""
    expected_status: ApplicationStatus | None = Field(
        None, description="调用方看到的状态;已被他人处理时返回 409 / the status the caller saw"
    )


# ---------------------------------------------------------------- rows


def _call_row(call: Call, today: date) -> dict:
    return {
        "id": call.pk,
        "code": call.code,
        "title": call.title,
        "kind": call.kind,
        "region": call.region.code,
        "issuer": call.issuer,
        "open_date": call.open_date,
        "close_date": call.close_date,
        "status": call.status,
        "is_open": call.is_open_on(today),
    }


def _list_row(application: Application) -> dict:
    return {
        "id": application.pk,
        "call": application.call_id,
        "enterprise": {"id": application.enterprise_id, "name": application.enterprise.name},
        "status": application.status,
        "eligibility": application.eligibility,
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
    }


def _full(application: Application) -> dict:
    return {
        **_list_row(application),
        "call_code": application.call.code,
        "data": application.data,
        "explanation": application.explanation,
        "review_comment": application.review_comment,
        "district_comment": application.district_comment,
        "created_at": application.created_at,
        "reviewed_at": application.reviewed_at,
        "decided_at": application.decided_at,
        "materials": [
            {
                "id": m.pk,
                "item": m.item,
                "name": m.name,
                "size": m.size,
                "uploaded_at": m.uploaded_at,
                "url": reverse("policies:material-download", kwargs={"pk": m.pk}),
            }
            for m in application.materials.all()
        ],
    }


def _enterprise(user):
    return user.enterprise if user.is_enterprise_user and user.enterprise_id else None


# ---------------------------------------------------------------- calls


@router.get(
    "/calls",
    response={200: list[CallListOut], **ERRORS},
    summary="申报通知(按权限范围,分页)/ calls in scope",
)
@paginate(Pagination)
def call_list(request, filters: Query[CallFilters]):
    return selectors.calls_visible(user=request.auth, status=filters.status)


@router.get(
    "/calls/{pk}",
    response={200: CallOut, **ERRORS},
    summary="申报通知详情(企业用户附资格预判)/ one call, with the caller's eligibility",
)
def call_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    call = selectors.call_visible(user=user, pk=pk)
    today = timezone.localdate()
    row = {
        **_call_row(call, today),
        "description": call.description,
        "policy": call.policy.code if call.policy_id else None,
        "rule": call.rule,
        "materials": call.materials,
        "form_fields": call.form_fields,
        "eligibility": None,
        "application": None,
    }
    enterprise = _enterprise(user)
    if enterprise is not None:
        outcome, explanation = services.call_eligibility(call=call, enterprise_id=enterprise.pk, as_of=today)
        row["eligibility"] = {"outcome": outcome, "explanation": explanation}
        mine = selectors.applications_of_enterprise(enterprise_id=enterprise.pk, call_ids=[call.pk]).get(call.pk)
        row["application"] = mine and {"id": mine.pk, "status": mine.status}
    return row


@router.get(
    "/calls/{pk}/applications",
    response={200: list[ApplicationListOut], **ERRORS},
    summary="一个申报通知的申报列表(工作人员)/ a call's applications (officers)",
)
@paginate(Pagination)
def call_application_list(request, filters: Query[ApplicationFilters], pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    if not selectors.can_work_queue(user):
        raise PermissionDenied
    call = selectors.call_visible(user=user, pk=pk)
    return selectors.applications_for_call(user=user, call=call, status=filters.status)


@router.post(
    "/calls/{pk}/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="发起申报(企业)/ start the caller's application",
)
def application_start(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "application.edit")
    call = selectors.call_visible(user=user, pk=pk)
    enterprise = _enterprise(user)
    if enterprise is None:
        raise PermissionDenied
    application = services.application_start(actor=user, call=call, enterprise=enterprise)
    return Status(201, _full(selectors.application_scoped(user=user, pk=application.pk)))


# ---------------------------------------------------------------- applications


@router.get(
    "/applications/{pk}",
    response={200: ApplicationOut, **ERRORS},
    summary="一份申报 / one application",
)
def application_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return _full(selectors.application_scoped(user=request.auth, pk=pk))


@router.patch(
    "/applications/{pk}",
    response={200: ApplicationOut, **ERRORS},
    summary="保存申报表(企业,草稿或退回时)/ save form values",
)
def application_update(request, payload: ApplicationPatch, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    application = selectors.application_scoped(user=user, pk=pk)
    services.application_save(actor=user, application=application, data=payload.data)
    return _full(selectors.application_scoped(user=user, pk=pk))


@router.post(
    "/applications/{pk}/transition",
    response={200: ApplicationOut, 409: ErrorOut, **ERRORS},
    summary="提交、退回、推荐、不推荐、通过或不通过 / move an application on",
)
def application_transition(request, payload: ApplicationTransitionIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    application = selectors.application_scoped(user=user, pk=pk)
    try:
        services.application_transition(
            actor=user,
            application=application,
            action=payload.action,
            comment=payload.comment,
            expected_status=payload.expected_status,
        )
    except services.ApplicationConflict as exc:
        return Status(409, {"detail": exc.conflict_message, "code": "conflict"})
    return _full(selectors.application_scoped(user=user, pk=pk))
