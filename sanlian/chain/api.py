"""Supply–demand postings (供需对接) in /api/v1, scoped like the pages.

Enterprise users list the published postings and their own, write and submit their own, renew and close
them, and express interest in other enterprises' published postings; officers list every posting of
their towns and publish, reject or close them. Out-of-scope objects answer 404, a forbidden action 403,
bad input 422 (with the field named).
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, MoneyIn, MoneyOut, Pagination
from sanlian.core.permissions import get_scoped, require

from . import selectors
from .models import Interest, Posting
from .services import interests as interest_services
from .services import postings as services

router = Router(tags=["chain"])

PostingKind = Literal["business_offer", "business_request", "tech_offer", "tech_request", "rd_cooperation"]
PostingStatus = Literal["draft", "pending", "published", "rejected", "expired", "closed"]
PostingAction = Literal["submit", "publish", "reject", "renew", "close"]
InterestStatus = Literal["pending", "introduced", "meeting_held", "signed", "no_deal", "declined", "withdrawn"]


# ---------------------------------------------------------------- shapes


class PostingFilters(Schema):
    kind: PostingKind | Literal[""] = Field("", description="信息类型 / kind")
    node: str = Field("", description="产业链环节代码,如 M5 / chain node code")
    status: PostingStatus | Literal["", "live"] = Field("", description="状态;live = 已发布且未过期 / status")
    q: str = Field("", description="标题、描述或企业名称中的关键词(最多 200 个字)/ words to find")


class PostingEnterpriseRef(Schema):
    id: int
    name: str
    town: str = Field(description="所在镇代码 / town code")


class PostingListOut(Schema):
    id: int
    kind: PostingKind
    title: str
    nodes: list[str] = Field(description="产业链环节代码 / chain node codes")
    enterprise: PostingEnterpriseRef
    status: PostingStatus
    budget: MoneyOut | None
    deadline_date: date | None
    published_at: datetime | None
    expires_date: date | None

    # Read from the page's rows (nodes prefetched), so a page never loads more than its postings.
    @staticmethod
    def resolve_nodes(obj) -> list[str]:
        return obj["nodes"] if isinstance(obj, dict) else [node.code for node in obj.nodes.all()]

    @staticmethod
    def resolve_enterprise(obj) -> dict:
        return obj["enterprise"] if isinstance(obj, dict) else _enterprise(obj.enterprise)


class PostingInterestOut(Schema):
    id: int
    posting: int
    enterprise: PostingEnterpriseRef
    note: str
    status: InterestStatus
    meeting_date: date | None
    signed_date: date | None
    amount: MoneyOut | None
    created_at: datetime
    updated_at: datetime


class PostingOut(PostingListOut):
    description: str
    quantity: str
    review_comment: str = Field(description="审核意见(仅发布企业与工作人员可见)/ for the owner and officers")
    reviewed_at: datetime | None
    renewals: int
    no_local_partner: bool
    created_at: datetime
    updated_at: datetime
    interests: list[PostingInterestOut] = Field(description="调用方可见的对接意向 / the interests the caller sees")


class PostingIn(Schema):
    kind: PostingKind
    title: str = Field(description="4–100 个字 / 4–100 characters")
    description: str = Field(description="20–4000 个字 / 20–4,000 characters")
    nodes: list[str] = Field(description="1–5 个产业链环节代码 / 1–5 chain node codes")
    quantity: str = ""
    budget: MoneyIn | None = None
    deadline_date: date | None = Field(None, description="不早于今天 / not in the past")


class PostingPatch(Schema):
    kind: PostingKind | None = None
    title: str | None = None
    description: str | None = None
    nodes: list[str] | None = None
    quantity: str | None = None
    budget: MoneyIn | None = None
    deadline_date: date | None = None


class PostingTransitionIn(Schema):
    action: PostingAction
    comment: str = Field("", max_length=2000, description="审核意见;reject 时必填 / required to reject")
    no_local_partner: bool = Field(False, description="close:需求未找到本地伙伴 / a request closed unmet locally")


class PostingInterestIn(Schema):
    note: str = Field("", description="意向说明,不超过 1000 个字 / up to 1,000 characters")


# ---------------------------------------------------------------- rows


def _enterprise(enterprise) -> dict:
    return {"id": enterprise.pk, "name": enterprise.name, "town": enterprise.town.code}


def _interest_row(interest: Interest) -> dict:
    return {
        "id": interest.pk,
        "posting": interest.posting_id,
        "enterprise": _enterprise(interest.enterprise),
        "note": interest.note,
        "status": interest.status,
        "meeting_date": interest.meeting_date,
        "signed_date": interest.signed_date,
        "amount": interest.amount,
        "created_at": interest.created_at,
        "updated_at": interest.updated_at,
    }


def _full(user, posting: Posting) -> dict:
    private = selectors.is_owner(user, posting) or user.is_officer or user.is_superuser
    return {
        "id": posting.pk,
        "kind": posting.kind,
        "title": posting.title,
        "nodes": [node.code for node in posting.nodes.all()],
        "enterprise": _enterprise(posting.enterprise),
        "status": posting.status,
        "budget": posting.budget,
        "deadline_date": posting.deadline_date,
        "published_at": posting.published_at,
        "expires_date": posting.expires_date,
        "description": posting.description,
        "quantity": posting.quantity,
        "review_comment": posting.review_comment if private else "",
        "reviewed_at": posting.reviewed_at if private else None,
        "renewals": posting.renewals,
        "no_local_partner": posting.no_local_partner,
        "created_at": posting.created_at,
        "updated_at": posting.updated_at,
        "interests": [_interest_row(i) for i in selectors.interests_of_posting(user=user, posting=posting)],
    }


def _visible(user, pk: int) -> Posting:
    return selectors.posting_visible(user=user, pk=pk, today=timezone.localdate())


# ---------------------------------------------------------------- routes


@router.get(
    "/chain/postings",
    response={200: list[PostingListOut], **ERRORS},
    summary="供需信息(可见范围,分页)/ postings the caller may see",
)
@paginate(Pagination)
def posting_list(request, filters: Query[PostingFilters]):
    user = request.auth
    require(user, "posting.view")
    return selectors.postings_visible(
        user=user,
        today=timezone.localdate(),
        filters=selectors.PostingFilters(kind=filters.kind, node=filters.node, status=filters.status, q=filters.q),
    )


@router.get("/chain/postings/{pk}", response={200: PostingOut, **ERRORS}, summary="一条供需信息 / one posting")
def posting_detail(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "posting.view")
    return _full(user, _visible(user, pk))


@router.post(
    "/chain/postings",
    response={201: PostingOut, **ERRORS},
    summary="发布供需信息(草稿,企业用户)/ write a draft posting",
)
def posting_create(request, payload: PostingIn):
    user = request.auth
    require(user, "posting.edit")
    if not (user.is_enterprise_user and user.enterprise_id):
        raise PermissionDenied
    posting = services.posting_create(
        actor=user, enterprise=user.enterprise, data=payload.model_dump(), now=timezone.now()
    )
    return Status(201, _full(user, _visible(user, posting.pk)))


@router.patch(
    "/chain/postings/{pk}",
    response={200: PostingOut, **ERRORS},
    summary="修改供需信息(草稿或未通过时)/ edit a draft or rejected posting",
)
def posting_update(request, payload: PostingPatch, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    posting = get_scoped(user, "posting.edit", Posting.objects.all(), pk=pk)
    services.posting_save(actor=user, posting=posting, data=payload.model_dump(exclude_unset=True), now=timezone.now())
    return _full(user, _visible(user, pk))


@router.post(
    "/chain/postings/{pk}/transition",
    response={200: PostingOut, **ERRORS},
    summary="提交、发布、退回、续期或关闭 / submit, publish, reject, renew or close",
)
def posting_transition(request, payload: PostingTransitionIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    posting = _visible(user, pk)
    now = timezone.now()
    if payload.action == "submit":
        services.posting_submit(actor=user, posting=posting, now=now)
    elif payload.action in ("publish", "reject"):
        posting = get_scoped(user, "posting.review", Posting.objects.all(), pk=pk)
        services.posting_review(actor=user, posting=posting, action=payload.action, comment=payload.comment, now=now)
    elif payload.action == "renew":
        services.posting_renew(actor=user, posting=posting, now=now)
    else:
        services.posting_close(actor=user, posting=posting, no_local_partner=payload.no_local_partner, now=now)
    return _full(user, _visible(user, pk))


@router.post(
    "/chain/postings/{pk}/interests",
    response={201: PostingInterestOut, **ERRORS},
    summary="表达对接意向(企业用户)/ express the caller's enterprise's interest",
)
def posting_interest_create(request, payload: PostingInterestIn, pk: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "interest.create")
    posting = _visible(user, pk)
    interest = interest_services.interest_express(actor=user, posting=posting, note=payload.note, now=timezone.now())
    return Status(201, _interest_row(selectors.interest_visible(user=user, pk=interest.pk)))
