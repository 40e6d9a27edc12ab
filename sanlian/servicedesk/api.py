"""The service desk (企业诉求, 接诉即办) in /api/v1, scoped like the pages.

Enterprise users list, file, answer and confirm their own enterprise's requests; officers list every request
of their towns and acknowledge, answer and reply. Out-of-scope requests answer 404, a forbidden action 403,
bad input 422 (with the field named), a step that no longer fits the request's state 422 on `status`.
"""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, Pagination
from sanlian.core.permissions import require

from . import selectors
from .models import ServiceRequest
from .services import requests as services

router = Router(tags=["desk"])

RequestStatus = Literal["submitted", "acknowledged", "resolved", "closed", "withdrawn"]
RequestAction = Literal["acknowledge", "resolve", "confirm", "reopen", "rate", "withdraw"]


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    ack_working_days: int = Field(description="受理时限(工作日)/ acknowledge within, working days")
    resolve_working_days: int = Field(description="办结时限(工作日)/ resolve within, working days")


class RequestFilters(Schema):
    status: RequestStatus | Literal[""] = Field("", description="状态 / status")
    category: str = Field("", max_length=32, description="类别代码 / category code")
    overdue: bool = Field(False, description="仅超期(工作人员)/ overdue only (officers)")
    mine: bool = Field(False, description="分派给我(工作人员)/ assigned to me (officers)")


class RequestListOut(Schema):
    id: int
    title: str
    category: str = Field(description="类别代码 / category code")
    enterprise: int
    enterprise_name: str
    status: RequestStatus
    assigned_to: str | None = Field(description="承办人 / officer handling it")
    submitted_at: datetime
    ack_due_at: datetime
    resolve_due_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    overdue: bool
    rating: int | None

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_enterprise(obj) -> int:
        return obj.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_assigned_to(obj) -> str | None:
        return str(obj.assigned_to) if obj.assigned_to_id else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return selectors.is_overdue(obj, timezone.now())


class ReplyOut(Schema):
    id: int
    author: str | None
    body: str
    created_at: datetime


class RequestEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    actor: str | None
    created_at: datetime


class RequestOut(RequestListOut):
    body: str
    reopened: int
    rating_comment: str
    replies: list[ReplyOut]
    events: list[RequestEventOut]

    # Attached by _full, so the thread and the steps are read once each.
    @staticmethod
    def resolve_replies(obj) -> list[dict]:
        return obj.replies_out

    @staticmethod
    def resolve_events(obj) -> list[dict]:
        return obj.events_out


class RequestIn(Schema):
    category: str = Field(max_length=32, description="类别代码 / category code")
    title: str = Field(description="4–100 个字 / 4–100 characters")
    body: str = Field(description="10–4000 个字 / 10–4,000 characters")


class RequestTransitionIn(Schema):
    action: RequestAction
    note: str = Field("", description="resolve、reopen 时必填 / required to resolve or reopen")
    rating: int | None = Field(None, strict=True, description="confirm、rate:满意度 1–5 / satisfaction 1–5")
    comment: str = Field("", description="评价 / rating comment")


class ReplyIn(Schema):
    body: str = Field(description="1–4000 个字 / 1–4,000 characters")


def _name(user) -> str | None:
    return str(user) if user is not None else None


def _full(request: ServiceRequest) -> ServiceRequest:
    """The request with its thread and steps attached for RequestOut."""
    request.replies_out = [
        {"id": r.pk, "author": _name(r.author), "body": r.body, "created_at": r.created_at}
        for r in request.replies.select_related("author")
    ]
    request.events_out = [
        {"action": e.action, "from_status": e.from_status, "to_status": e.to_status, "note": e.note,
         "actor": _name(e.actor), "created_at": e.created_at}
        for e in request.events.select_related("actor")
    ]  # fmt: skip
    return request


@router.get("/desk/categories", response={200: list[CategoryOut], **ERRORS}, summary="诉求类别与时限 / categories")
def category_list(request):
    require(request.auth, "request.view")
    return list(selectors.categories())


@router.get(
    "/desk/requests", response={200: list[RequestListOut], **ERRORS}, summary="企业诉求(可见范围,分页)/ requests"
)
@paginate(Pagination)
def request_list(request, filters: Query[RequestFilters]):
    user = request.auth
    require(user, "request.view")
    if user.is_officer or user.is_superuser:
        return selectors.officer_requests(user, now=timezone.now(), **filters.model_dump())
    return selectors.visible_requests(user)


@router.post("/desk/requests", response={201: RequestOut, **ERRORS}, summary="提交诉求(企业用户)/ file a request")
def request_create(request, payload: RequestIn):
    created = services.request_submit(actor=request.auth, data=payload.model_dump(), now=timezone.now())
    return Status(201, _full(selectors.request_for(request.auth, created.pk)))


@router.get("/desk/requests/{pk}", response={200: RequestOut, **ERRORS}, summary="一件诉求 / one request")
def request_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    return _full(selectors.request_for(request.auth, pk))


@router.post(
    "/desk/requests/{pk}/transition",
    response={200: RequestOut, **ERRORS},
    summary="受理、办结答复、确认、重新打开、评价或撤回 / move a request one step",
)
def request_transition(request, payload: RequestTransitionIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    services.request_transition(
        actor=user, request=selectors.request_for(user, pk), action=payload.action, note=payload.note,
        rating=payload.rating, comment=payload.comment, now=timezone.now(),
    )  # fmt: skip
    return _full(selectors.request_for(user, pk))


@router.post(
    "/desk/requests/{pk}/replies", response={201: ReplyOut, **ERRORS}, summary="回复(诉求企业或工作人员)/ reply"
)
def request_reply(request, payload: ReplyIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    reply = services.request_reply(
        actor=user, request=selectors.request_for(user, pk), body=payload.body, now=timezone.now()
    )
    return Status(201, {"id": reply.pk, "author": _name(user), "body": reply.body, "created_at": reply.created_at})
