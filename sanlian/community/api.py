"""Community in /api/v1: news, events and organisations, scoped like their pages.

Public reads (published news, published events, the organisations) answer anyone, like the public pages; a
signed-in caller also sees what their role adds (drafts in their scope, their own registration). Writes need
credentials and call the same services as the pages: officers draft, edit and move articles; anyone signed
in with the right registers for events and cancels their own registrations; organisers list registrations,
decide them and check people in; enterprise users and talents apply to join organisations; secretaries and
officers decide applications and manage members. Out of scope answers 404, a forbidden role 403, bad input
422 with the field named.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanlian.core.api import ERRORS, MAX_ID, PUBLIC, BodyId, IsoDate, Pagination
from sanlian.core.masking import mask_phone
from sanlian.core.permissions import get_scoped, require
from sanlian.enterprises.models import Enterprise, Region

from . import event_selectors, news_selectors, org_selectors
from .models import Article, Registration
from .services import events as event_services
from .services import memberships
from .services import news as news_services

router = Router(tags=["community"])

Pk = Path(..., ge=1, le=MAX_ID)

ArticleKind = Literal["policy", "activity", "notice", "industry"]
ArticleStatus = Literal["draft", "review", "published", "withdrawn"]
ArticleAction = Literal["submit", "publish", "return", "withdraw", "reopen"]
EventKind = Literal["talent_week", "forum", "training", "roadshow", "launch", "other"]
EventStatus = Literal["draft", "published", "cancelled", "finished"]
RegistrationStatus = Literal["pending", "approved", "waitlisted", "rejected", "cancelled"]
RegistrationAction = Literal["approve", "reject", "cancel"]
RoleCode = Literal["president", "vice_president", "secretary_general", "director", "member"]
ApplicationStatus = Literal["pending", "approved", "rejected", "withdrawn"]
# Filters: one Literal each with "" (all) included, so a bad value is reported under the field's own name.
ArticleKindOrAny = Literal["", "policy", "activity", "notice", "industry"]
RegistrationStatusOrAny = Literal["", "pending", "approved", "waitlisted", "rejected", "cancelled"]
ApplicationStatusOrAny = Literal["", "pending", "approved", "rejected", "withdrawn"]


# ---------------------------------------------------------------- news


class NewsFilters(Schema):
    kind: ArticleKindOrAny = Field("", description="栏目 / section")
    tag: str = Field("", max_length=20, description="标签 / tag")
    q: str = Field("", max_length=50, description="标题或摘要中的关键词 / words in the title or summary")


class ArticleListOut(Schema):
    id: int
    title: str
    summary: str
    kind: ArticleKind
    status: ArticleStatus
    region: str = Field(description="发布范围代码 / region code")
    published_at: datetime | None
    updated_at: datetime
    tags: list[str]
    url: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/news/{obj.pk}/"


class ArticleOut(ArticleListOut):
    body: str
    enterprises: list[str] = Field(description="相关企业名称 / related enterprises")

    @staticmethod
    def resolve_enterprises(obj) -> list[str]:
        return [e.name for e in obj.enterprises.order_by("name")]


class ArticleIn(Schema):
    title: str = Field(description="1–120 个字 / 1–120 characters")
    kind: str = Field(description="policy、activity、notice、industry")
    summary: str = Field("", description="最多 300 个字 / at most 300 characters")
    body: str = Field(description="纯文本,空一行分段 / plain text, blank lines between paragraphs")
    region: str = Field(max_length=40, description="发布范围代码(辖区内)/ region code in the caller's scope")
    tags: list[str] = Field([], description="最多 8 个标签 / at most 8 tags")
    enterprises: list[BodyId] = Field([], description="相关企业 id(辖区内)/ related enterprise ids in scope")


class ArticlePatch(Schema):
    title: str | None = None
    kind: str | None = None
    summary: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    enterprises: list[BodyId] | None = None


class ArticleTransitionIn(Schema):
    action: ArticleAction
    comment: str = Field("", max_length=1000, description="退回时必填 / required to return")


def _enterprise_refs(ids: list[int]) -> list[Enterprise]:
    """Stand-ins carrying only the ids: the service itself refuses any that is unknown or out of scope."""
    return [Enterprise(pk=pk) for pk in ids]


@router.get("/news", auth=PUBLIC, response={200: list[ArticleListOut], **ERRORS}, summary="已发布新闻(公开)/ news")
@paginate(Pagination)
def news_list(request, filters: Query[NewsFilters]):
    return news_selectors.article_list(kind=filters.kind, tag=filters.tag, q=filters.q.strip()).select_related("region")


@router.get(
    "/news/manage", response={200: list[ArticleListOut], **ERRORS}, summary="辖区内全部新闻(编辑)/ articles to manage"
)
@paginate(Pagination)
def news_manage(request):
    require(request.auth, "article.edit")
    return news_selectors.managed(request.auth).prefetch_related("tags")


@router.get(
    "/news/{pk}", auth=PUBLIC, response={200: ArticleOut, **ERRORS}, summary="一篇新闻;草稿仅辖区编辑可见 / one article"
)
def news_detail(request, pk: int = Pk):
    article = news_selectors.article_visible(request.auth, pk)
    if article is None:
        raise Http404
    return article


@router.post("/news", response={201: ArticleOut, **ERRORS}, summary="新建新闻草稿(工作人员)/ draft an article")
def news_create(request, payload: ArticleIn):
    user = request.auth
    require(user, "article.edit")
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise ValidationError({"region": _("只能为辖区发布新闻")})
    data = payload.model_dump(include={"title", "kind", "summary", "body"})
    article = news_services.article_create(
        actor=user, data=data, region=region, tags=payload.tags, enterprises=_enterprise_refs(payload.enterprises),
        now=timezone.now(),
    )  # fmt: skip
    return Status(201, article)


def _given_or(given: dict, key: str, current):
    """A PATCH keeps what it does not send (or sends as null)."""
    return given[key] if given.get(key) is not None else current


@router.patch("/news/{pk}", response={200: ArticleOut, **ERRORS}, summary="修改新闻(辖区编辑)/ edit an article")
def news_update(request, payload: ArticlePatch, pk: int = Pk):
    user = request.auth
    article = get_scoped(user, "article.edit", Article.objects.all(), pk=pk)
    given = payload.model_dump(exclude_unset=True)
    data = {
        key: given.get(key) if given.get(key) is not None else getattr(article, key) for key in news_services.FIELDS
    }
    tags = given.get("tags") if given.get("tags") is not None else [t.name for t in article.tags.all()]
    enterprises = (
        _enterprise_refs(given["enterprises"]) if given.get("enterprises") is not None
        else list(article.enterprises.all())
    )  # fmt: skip
    news_services.article_update(
        actor=user, article=article, data=data, tags=tags, enterprises=enterprises, now=timezone.now()
    )
    return news_selectors.article_visible(user, pk)


@router.post(
    "/news/{pk}/transition", response={200: ArticleOut, **ERRORS},
    summary="提交审核、发布、退回、撤回或恢复草稿 / move an article one step",
)  # fmt: skip
def news_transition(request, payload: ArticleTransitionIn, pk: int = Pk):
    user = request.auth
    article = get_scoped(user, "article.edit", Article.objects.all(), pk=pk)
    news_services.article_transition(
        actor=user, article=article, action=payload.action, comment=payload.comment, now=timezone.now()
    )
    return news_selectors.article_visible(user, pk)


# ---------------------------------------------------------------- events


class EventFilters(Schema):
    when: Literal["upcoming", "past"] = Field("upcoming", description="即将举行或已结束 / upcoming or past")


class SessionOut(Schema):
    starts_at: datetime
    title: str
    speaker: str
    room: str


class EventListOut(Schema):
    id: int
    title: str
    kind: EventKind
    status: EventStatus
    organisation: str | None = Field(description="主办组织代码 / organising organisation code")
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_left: int
    registration_opens_at: datetime
    registration_closes_at: datetime
    requires_approval: bool
    url: str

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.code if obj.organisation_id else None

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/events/{obj.pk}/"


class MyRegistrationOut(Schema):
    id: int
    status: RegistrationStatus
    waitlist_position: int | None
    checked_in_at: datetime | None


class EventOut(EventListOut):
    description: str
    sessions: list[SessionOut]
    my_registration: MyRegistrationOut | None

    @staticmethod
    def resolve_sessions(obj) -> list:
        return list(obj.sessions.all())

    @staticmethod
    def resolve_my_registration(obj):
        return getattr(obj, "mine", None)


class RegistrationOut(Schema):
    id: int
    event: int
    event_title: str
    status: RegistrationStatus
    waitlist_position: int | None
    checked_in_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_event(obj) -> int:
        return obj.event_id

    @staticmethod
    def resolve_event_title(obj) -> str:
        return obj.event.title


class AttendeeOut(RegistrationOut):
    user: str
    enterprise: str | None

    @staticmethod
    def resolve_user(obj) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_enterprise(obj) -> str | None:
        return obj.enterprise.name if obj.enterprise_id else None


class RegistrationFilters(Schema):
    status: RegistrationStatusOrAny = Field("", description="状态 / status")


class RegistrationDecisionIn(Schema):
    action: RegistrationAction


class CheckInIn(Schema):
    scanned: str = Field(max_length=500, description="签到二维码的内容(链接或签到码)/ the scanned QR: link or token")


@router.get("/events", auth=PUBLIC, response={200: list[EventListOut], **ERRORS}, summary="已发布活动(公开)/ events")
@paginate(Pagination)
def event_list(request, filters: Query[EventFilters]):
    return event_selectors.public_events(when=filters.when, now=timezone.now())


@router.get(
    "/events/registrations", response={200: list[RegistrationOut], **ERRORS}, summary="我的报名 / my registrations"
)
@paginate(Pagination)
def event_my_registrations(request):
    require(request.auth, "activity.register")
    return event_selectors.my_registrations(request.auth)


@router.get(
    "/events/{pk}", auth=PUBLIC, response={200: EventOut, **ERRORS}, summary="一个活动;草稿仅主办方可见 / one event"
)
def event_detail(request, pk: int = Pk):
    event = event_selectors.event_for(request.auth, pk)
    event.mine = event_selectors.my_registration(request.auth, event)
    return event


@router.post(
    "/events/{pk}/registrations", response={201: RegistrationOut, **ERRORS},
    summary="报名(满额进入候补,需审核的待审核)/ register",
)  # fmt: skip
def event_register(request, pk: int = Pk):
    user = request.auth
    event = event_selectors.event_for(user, pk)
    registration = event_services.registration_create(actor=user, event=event, now=timezone.now())
    return Status(201, event_selectors.registration_of(user, registration.pk))


@router.post(
    "/events/registrations/{pk}/cancel", response={200: RegistrationOut, **ERRORS},
    summary="取消自己的报名 / cancel my registration",
)  # fmt: skip
def event_registration_cancel(request, pk: int = Pk):
    user = request.auth
    registration = event_selectors.registration_of(user, pk)
    event_services.registration_transition(actor=user, registration=registration, action="cancel", now=timezone.now())
    return event_selectors.registration_of(user, pk)


@router.get(
    "/events/{pk}/registrations", response={200: list[AttendeeOut], **ERRORS},
    summary="活动的报名名单(主办方)/ an event's registrations, organisers",
)  # fmt: skip
@paginate(Pagination)
def event_registrations(request, filters: Query[RegistrationFilters], pk: int = Pk):
    event = event_selectors.event_to_manage(request.auth, pk)
    return event_selectors.registrations_of(event, status=filters.status).select_related("event")


def _registration_to_manage(user, pk: int) -> Registration:
    registration = Registration.objects.filter(pk=pk).select_related("event").first()
    if registration is None or not event_services.can_manage(user, registration.event):
        raise Http404
    return registration


@router.post(
    "/events/registrations/{pk}/decide", response={200: AttendeeOut, **ERRORS},
    summary="通过、拒绝或取消一份报名(主办方)/ decide a registration, organisers",
)  # fmt: skip
def event_registration_decide(request, payload: RegistrationDecisionIn, pk: int = Pk):
    user = request.auth
    registration = _registration_to_manage(user, pk)
    event_services.registration_transition(
        actor=user, registration=registration, action=payload.action, now=timezone.now()
    )
    return Registration.objects.select_related("event", "user", "enterprise").get(pk=pk)


@router.post(
    "/events/{pk}/check-in", response={200: AttendeeOut, **ERRORS},
    summary="扫码签到(主办方,或本人自助)/ check a registration in",
)  # fmt: skip
def event_check_in(request, payload: CheckInIn, pk: int = Pk):
    user = request.auth
    event = event_selectors.event_for(user, pk)
    try:
        done = event_services.registration_check_in(
            actor=user, event=event, scanned=payload.scanned, now=timezone.now()
        )
    except ValidationError as exc:
        # The service names the check-in token; in the API it arrives as `scanned`.
        errors = exc.message_dict
        raise ValidationError({"scanned" if k == "token" else k: v for k, v in errors.items()}) from None
    return Registration.objects.select_related("event", "user", "enterprise").get(pk=done.pk)


# ---------------------------------------------------------------- organisations


class OrganisationOut(Schema):
    code: str
    name: str
    name_en: str
    kind: Literal["alliance", "think_tank", "chamber", "association", "other"]
    region: str = Field(description="所在地代码 / region code")
    description: str
    founded_date: date | None
    member_count: int
    url: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/orgs/{obj.code}/"


class ApplyIn(Schema):
    kind: Literal["enterprise", "person"] = Field(
        description="以本企业(企业管理员)或个人名义 / as enterprise or person"
    )
    statement: str = Field(description="申请说明 / why join")
    person_name: str = Field("", description="个人申请时必填 / required as a person")
    person_title: str = ""
    employer: str = ""
    mobile: str = Field("", description="11 位手机号 / mobile number")


class MembershipApplicationOut(Schema):
    id: int
    organisation: str
    kind: Literal["enterprise", "person"]
    name: str = Field(description="企业名称或姓名 / enterprise or person")
    statement: str
    status: ApplicationStatus
    comment: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class MembershipApplicationFilters(Schema):
    status: ApplicationStatusOrAny = Field("pending", description="状态,默认待审核 / status")


class DecisionIn(Schema):
    action: Literal["approve", "reject"]
    role: RoleCode = Field("member", description="通过时的会内职务 / the member's role when approved")
    comment: str = Field("", max_length=1000, description="退回时必填 / required to reject")


class MemberOut(Schema):
    id: int
    kind: Literal["enterprise", "person"]
    name: str
    person_title: str
    employer: str
    role: RoleCode
    joined_date: date
    mobile: str = Field(description="手机号(脱敏,仅管理者可见)/ masked mobile, managers only")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.enterprise.name if obj.enterprise_id else obj.person_name

    @staticmethod
    def resolve_mobile(obj) -> str:
        return getattr(obj, "masked_mobile", "")


class MemberFilters(Schema):
    q: str = Field("", max_length=50, description="名称、姓名或单位 / name or employer")
    kind: Literal["", "enterprise", "person"] = ""


class MemberRoleIn(Schema):
    role: RoleCode


class MemberRemoveIn(Schema):
    left_date: IsoDate = Field(description="退会日期 / date of leaving")


@router.get(
    "/orgs", auth=PUBLIC, response={200: list[OrganisationOut], **ERRORS}, summary="社群组织(公开)/ organisations"
)
@paginate(Pagination)
def org_list(request):
    return org_selectors.organisation_list().order_by("name")


@router.get(
    "/orgs/{code}", auth=PUBLIC, response={200: OrganisationOut, **ERRORS}, summary="一个组织 / one organisation"
)
def org_detail(request, code: str = Path(..., max_length=40)):
    organisation = org_selectors.organisation_by_code(code)
    organisation.member_count = org_selectors.active_members(organisation).count()
    return organisation


@router.post(
    "/orgs/{code}/applications", response={201: MembershipApplicationOut, **ERRORS},
    summary="申请入会(企业管理员或人才)/ apply to join",
)  # fmt: skip
def org_apply(request, payload: ApplyIn, code: str = Path(..., max_length=40)):
    user = request.auth
    require(user, "organisation.apply")
    organisation = org_selectors.organisation_by_code(code)
    person = payload.model_dump(include={"person_name", "person_title", "employer", "mobile"})
    application = memberships.join_application_submit(
        actor=user, organisation=organisation, kind=payload.kind, statement=payload.statement,
        person=person, now=timezone.now(),
    )  # fmt: skip
    return Status(201, application)


@router.get(
    "/orgs/{code}/applications", response={200: list[MembershipApplicationOut], **ERRORS},
    summary="入会申请(组织管理者)/ join applications, managers",
)  # fmt: skip
@paginate(Pagination)
def org_applications(request, filters: Query[MembershipApplicationFilters], code: str = Path(..., max_length=40)):
    organisation = _managed(request.auth, code)
    return org_selectors.application_queue(organisation, status=filters.status)


@router.post(
    "/orgs/applications/{pk}/decide", response={200: MembershipApplicationOut, **ERRORS},
    summary="通过或退回入会申请(组织管理者)/ approve or reject",
)  # fmt: skip
def org_application_decide(request, payload: DecisionIn, pk: int = Pk):
    user = request.auth
    application = _or_404(org_selectors.application_to_decide, user, pk)
    return memberships.join_application_transition(
        actor=user, application=application, action=payload.action, role=payload.role, comment=payload.comment,
        now=timezone.now(),
    )  # fmt: skip


@router.post(
    "/orgs/applications/{pk}/withdraw", response={200: MembershipApplicationOut, **ERRORS},
    summary="撤回自己的入会申请 / withdraw my application",
)  # fmt: skip
def org_application_withdraw(request, pk: int = Pk):
    user = request.auth
    application = org_selectors.own_application(user, pk)
    return memberships.join_application_transition(
        actor=user, application=application, action="withdraw", now=timezone.now()
    )


@router.get(
    "/orgs/{code}/members", response={200: list[MemberOut], **ERRORS},
    summary="会员名录(本组织会员与管理者)/ member directory",
)  # fmt: skip
@paginate(Pagination)
def org_members(request, filters: Query[MemberFilters], code: str = Path(..., max_length=40)):
    user = request.auth
    organisation = org_selectors.organisation_by_code(code)
    if not org_selectors.can_see_members(user, organisation):
        raise Http404
    rows = list(org_selectors.member_directory(organisation, query=filters.q, kind=filters.kind))
    if org_selectors.can_manage(user, organisation):
        for member in rows:
            member.masked_mobile = mask_phone(member.mobile or "")
    return rows


@router.post(
    "/orgs/members/{pk}/role", response={200: MemberOut, **ERRORS}, summary="调整会内职务(管理者)/ change a role"
)
def org_member_role(request, payload: MemberRoleIn, pk: int = Pk):
    user = request.auth
    member = _or_404(org_selectors.member_to_manage, user, pk)
    return memberships.member_change_role(actor=user, member=member, role=payload.role, now=timezone.now())


@router.post(
    "/orgs/members/{pk}/remove", response={200: MemberOut, **ERRORS}, summary="办理退会(管理者)/ member leaves"
)
def org_member_remove(request, payload: MemberRemoveIn, pk: int = Pk):
    user = request.auth
    member = _or_404(org_selectors.member_to_manage, user, pk)
    return memberships.member_remove(actor=user, member=member, left_date=payload.left_date, now=timezone.now())


class MemberRevealedOut(Schema):
    id: int
    mobile: str = Field(description="完整手机号(查看已记录)/ the full mobile, the reveal is logged")


@router.post(
    "/orgs/members/{pk}/reveal", response={200: MemberRevealedOut, **ERRORS},
    summary="查看会员完整手机号(管理者,记录在案)/ reveal a member's mobile, logged",
)  # fmt: skip
def org_member_reveal(request, pk: int = Pk):
    user = request.auth
    member = _or_404(org_selectors.member_to_manage, user, pk)
    return {"id": member.pk, "mobile": memberships.member_reveal(actor=user, member=member, now=timezone.now())}


def _managed(user, code: str):
    organisation = org_selectors.organisation_by_code(code)
    if not org_selectors.can_manage(user, organisation):
        # As the API answers everything out of the caller's scope: as if it did not exist.
        raise Http404
    return organisation


def _or_404(selector, user, pk: int):
    """A manager's selector, with "not yours to manage" answered 404 like the rest of the API."""
    try:
        return selector(user, pk)
    except PermissionDenied:
        raise Http404 from None
