"""Writes of enterprise service requests (企业诉求, 接诉即办): submission, routing, SLA clocks and the workflow.

A request moves submitted → acknowledged (an officer takes it) → resolved (the officer answers) → closed
(the enterprise confirms, or nobody confirms within the timeout); the enterprise may reopen a resolved
request (or one closed within 30 days), rate a closed one once, and withdraw one not yet resolved. SLA
deadlines are counted in working days on the calendar of sanlian.engines.workdays; when the calendar does
not cover a date the clock falls back to Monday–Friday and says so in the event note. Every step locks the
row, records a RequestEvent and an audit event, and notifies the other side. A failing notification never
loses the step: it runs in its own savepoint.
"""

import logging
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core import formats
from sanlian.core.i18n import Text, choice_label
from sanlian.core.locks import refuse_unless
from sanlian.core.models import ENTERPRISE_ROLES, OFFICER_ROLES, Role, User
from sanlian.core.permissions import has_perm, require
from sanlian.core.selectors import officers_covering
from sanlian.core.services import audit_record, notification_send
from sanlian.core.uploads import checked_upload
from sanlian.engines.workdays import OutsideCalendarError, default_calendar

from ..models import Attachment, Category, Reply, RequestEvent, RoutingRule, ServiceRequest
from . import providers

log = logging.getLogger(__name__)

Status = ServiceRequest.Status
DAY_END = time(18, 0)
MAX_FILES = 5
TITLE_LENGTH = (4, 100)
BODY_LENGTH = (10, 4000)
REPLY_LENGTH = 4000
REOPEN_DAYS = 30
AUTOCLOSE_WORKING_DAYS = 5
UNRESOLVED = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED})
OPEN = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED, Status.RESOLVED})

OFFICER, ENTERPRISE = "officer", "enterprise"
# action → (states it may start from, target state, side that may take it)
TRANSITIONS: dict[str, tuple[frozenset, str, str]] = {
    "acknowledge": (frozenset({Status.SUBMITTED}), Status.ACKNOWLEDGED, OFFICER),
    "resolve": (frozenset({Status.ACKNOWLEDGED}), Status.RESOLVED, OFFICER),
    "confirm": (frozenset({Status.RESOLVED}), Status.CLOSED, ENTERPRISE),
    "reopen": (frozenset({Status.RESOLVED, Status.CLOSED}), Status.ACKNOWLEDGED, ENTERPRISE),
    "rate": (frozenset({Status.CLOSED}), Status.CLOSED, ENTERPRISE),
    "withdraw": (frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}), Status.WITHDRAWN, ENTERPRISE),
}
NOTE_REQUIRED = frozenset({"resolve", "reopen"})


class RequestConflict(ValidationError):
    """Somebody else assigned or took the request since the caller looked at it (code "conflict")."""

    def __init__(self, message: str):
        super().__init__({"assigned_to": [ValidationError(message, code="conflict")]})
        self.conflict_message = message


# -- working-day clocks ------------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def _weekday_receipt(start: datetime) -> datetime.date:
    day = start.date()
    if day.weekday() < 5 and start.time() < DAY_END:
        return day
    return _weekday_add(day, 1)


def _weekday_add(day, n: int):
    if n == 0:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def sla_deadline(start: datetime, working_days: int) -> tuple[datetime, bool]:
    """(aware deadline, whether the weekday-only fallback was used) of `working_days` after `start`."""
    naive = _local(start)
    try:
        return _aware(default_calendar().deadline(naive, working_days, day_end=DAY_END)), False
    except OutsideCalendarError:
        due = _weekday_add(_weekday_receipt(naive), working_days)
        return _aware(datetime.combine(due, DAY_END)), True


def working_days_elapsed(start: datetime, end: datetime) -> int:
    """Working days used from `start` to `end` (aware datetimes); Monday–Friday outside the calendar."""
    a, b = _local(start), _local(end)
    if b < a:
        return 0
    try:
        return default_calendar().elapsed_working_days(a, b, day_end=DAY_END)
    except OutsideCalendarError:
        received = _weekday_receipt(a)
        done = b.date() if b.date().weekday() < 5 and b.time() <= DAY_END else _weekday_add(b.date(), 1)
        count, day = 0, received
        while day < done:
            day += timedelta(days=1)
            count += day.weekday() < 5
        return count


# -- helpers ---------------------------------------------------------------------------------------------


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _event(request, actor, action, from_status, to_status, note, now) -> None:
    RequestEvent.objects.create(
        request=request,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        actor=_actor(actor),
        created_at=now,
    )


def _lock(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("enterprise", "enterprise__town", "category", "assigned_to")
        .get(pk=request.pk)
    )


def _side(actor) -> str | None:
    if actor.role in OFFICER_ROLES or actor.is_superuser:
        return OFFICER
    if actor.role in ENTERPRISE_ROLES:
        return ENTERPRISE
    return None


def _town_officers(request: ServiceRequest) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.TOWN_OFFICER, region=request.enterprise.town))


def _district_officers(request: ServiceRequest) -> list[User]:
    return officers_covering(request.enterprise.town.path, Role.DISTRICT_OFFICER)


def _officer_side(request: ServiceRequest) -> list[User]:
    if request.assigned_to_id and request.assigned_to.is_active:
        return [request.assigned_to]
    return _town_officers(request)


def _enterprise_side(request: ServiceRequest) -> list[User]:
    return list(User.objects.filter(is_active=True, enterprise=request.enterprise, role__in=ENTERPRISE_ROLES))


def _notify(recipients, title: str, request: ServiceRequest, now: datetime) -> None:
    """Notify in a savepoint: a failure is logged and never undoes the step that caused it."""
    unique = list({user.pk: user for user in recipients}.values())
    if not unique:
        return
    try:
        with transaction.atomic():
            notification_send(
                recipients=unique,
                title=title,
                url=reverse("servicedesk:request", kwargs={"pk": request.pk}),
                now=now,
            )
    except Exception:
        log.exception("service request %s: notification failed", request.pk)


def _clean_text(value, field: str, bounds: tuple[int, int], errors: dict) -> str:
    text = str(value or "").strip()
    low, high = bounds
    if not text:
        errors[field] = _("此项为必填项")
    elif len(text) < low:
        errors[field] = _("至少 %(n)s 个字") % {"n": low}
    elif len(text) > high:
        errors[field] = _("最多 %(n)s 个字(当前 %(count)s 个)") % {"n": high, "count": len(text)}
    return text


def _check_files(attachments, errors: dict) -> list:
    files = [f for f in attachments if f is not None]
    if len(files) > MAX_FILES:
        errors["attachments"] = _("最多上传 %(n)s 个附件") % {"n": MAX_FILES}
        return []
    checked = []
    for upload in files:
        try:
            name, size = checked_upload(upload, field="attachments")
        except ValidationError as exc:
            message = " ".join(m for msgs in exc.message_dict.values() for m in msgs)
            errors["attachments"] = f"{upload.name}: {message}"
            return []
        checked.append((upload, name, size))
    return checked


def _save_files(request, reply, checked, actor, now) -> None:
    for upload, name, size in checked:
        Attachment.objects.create(
            request=request, reply=reply, file=upload, name=name, size=size, uploaded_by=_actor(actor), uploaded_at=now
        )


def route_officer(category: Category, town) -> User | None:
    """The officer a rule names for (category, town), else the town's default rule's, else nobody."""
    for rule in (
        RoutingRule.objects.filter(category=category, town=town).select_related("officer").first(),
        RoutingRule.objects.filter(category__isnull=True, town=town).select_related("officer").first(),
    ):
        if rule is not None and rule.officer.is_active:
            return rule.officer
    return None


# -- services --------------------------------------------------------------------------------------------


def request_submit(*, actor, data: dict, attachments=(), provider_service=None, now: datetime) -> ServiceRequest:
    """An enterprise user's request for their enterprise, routed and given its SLA deadlines.

    With `provider_service` (a service of a listed provider of the catalogue) the request asks the desk to
    introduce that provider; its category follows the provider's kind (providers.CATEGORY_OF_KIND).
    """
    require(actor, "request.submit")
    enterprise = actor.enterprise if actor.enterprise_id else None
    if enterprise is None:
        raise ValidationError({"enterprise": _("您的账号未关联企业")})
    errors: dict[str, str] = {}
    service = None
    if provider_service is not None:
        service = providers.listed_service(provider_service)
        if service is None:
            errors["provider_service"] = _("请选择已上架服务机构的在售服务")
        else:
            data = {**data, "category": providers.CATEGORY_OF_KIND[service.provider.kind]}
    category = Category.objects.filter(code=str(data.get("category") or "")).first()
    if category is None and "provider_service" not in errors:
        errors["category"] = _("请选择诉求类别")
    title = _clean_text(data.get("title"), "title", TITLE_LENGTH, errors)
    body = _clean_text(data.get("body"), "body", BODY_LENGTH, errors)
    checked = _check_files(attachments, errors)
    if errors:
        raise ValidationError(errors)
    ack_due, ack_fallback = sla_deadline(now, category.ack_working_days)
    resolve_due, resolve_fallback = sla_deadline(now, category.resolve_working_days)
    officer = route_officer(category, enterprise.town)
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            enterprise=enterprise,
            category=category,
            title=title,
            body=body,
            assigned_to=officer,
            submitted_by=actor,
            submitted_at=now,
            ack_due_at=ack_due,
            resolve_due_at=resolve_due,
            updated_at=now,
            provider=service.provider if service else None,
            provider_service=service,
        )
        _save_files(request, None, checked, actor, now)
        note = _("工作日历未覆盖该日期,时限按周一至周五计算") if ack_fallback or resolve_fallback else ""
        _event(request, actor, "submit", "", Status.SUBMITTED, note, now)
        if officer is not None:
            _event(request, None, "route", "", "", _("按分派规则分派给 %(name)s") % {"name": officer}, now)
        audit_record(actor=actor, action="request.submit", target=request, enterprise_id=enterprise.pk, now=now)
        _notify(_officer_side(request), Text(gettext_lazy("新的企业诉求:%(title)s"), {"title": title}), request, now)
    return request


@transaction.atomic
def request_assign(
    *, actor, request: ServiceRequest, officer, expected_assignee_id: int | None, now: datetime
) -> ServiceRequest:
    """Give the request to `officer`, unless somebody assigned it since the caller looked."""
    request = _lock(request)
    require(actor, "request.assign", request)
    if request.assigned_to_id != (expected_assignee_id or None):
        last = request.events.filter(action__in=("assign", "acknowledge", "route")).order_by("-created_at", "-id")
        last = last.select_related("actor").first()
        who = request.assigned_to or (last.actor if last else None) or _("其他用户")
        when = formats.when(last.created_at) if last else ""
        raise RequestConflict(_("已由 %(who)s 于 %(when)s 分派/接手,请刷新后再操作") % {"who": who, "when": when})
    if request.status not in UNRESOLVED:
        raise ValidationError({"status": _("当前状态「%(s)s」不能分派") % {"s": request.get_status_display()}})
    if officer is None or not officer.is_active or not has_perm(officer, "request.handle", request):
        raise ValidationError({"assigned_to": _("该人员不能办理本诉求(须为辖区内的服务专员)")})
    old = request.assigned_to_id
    request.assigned_to, request.updated_at = officer, now
    request.save(update_fields=["assigned_to", "updated_at"])
    _event(request, actor, "assign", request.status, request.status, str(officer), now)
    audit_record(
        actor=actor,
        action="request.assign",
        target=request,
        enterprise_id=request.enterprise_id,
        changes={"assigned_to": [old, officer.pk]},
        now=now,
    )
    if officer.pk != getattr(actor, "pk", None):
        _notify([officer], Text(gettext_lazy("企业诉求分派给您:%(title)s"), {"title": request.title}), request, now)
    return request


@transaction.atomic
def request_transition(
    *,
    actor,
    request: ServiceRequest,
    action: str,
    note: str = "",
    rating: int | None = None,
    comment: str = "",
    now: datetime,
) -> ServiceRequest:
    """Move a request one step; see the module docstring for the steps."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target, side = TRANSITIONS[action]
    request = _lock(request)
    require(actor, "request.handle" if side == OFFICER else "request.submit", request)
    if _side(actor) != side:
        wrong_side = _("该操作须由诉求企业办理") if side == ENTERPRISE else _("该操作须由服务专员办理")
        raise ValidationError({"action": wrong_side})
    refuse_unless(request, allowed=sources)
    note, comment = (note or "").strip(), (comment or "").strip()
    if action in NOTE_REQUIRED and not note:
        raise ValidationError({"note": _("请填写说明")})
    if len(note) > BODY_LENGTH[1] or len(comment) > BODY_LENGTH[1]:
        raise ValidationError({"note" if len(note) > BODY_LENGTH[1] else "comment": _("最多 4000 个字")})
    if action in ("confirm", "rate"):
        if rating in (None, "") and action == "rate":
            raise ValidationError({"rating": _("请选择满意度(1–5)")})
        if rating not in (None, ""):
            try:
                rating = int(rating)
            except (TypeError, ValueError):
                rating = 0
            if not 1 <= rating <= 5:
                raise ValidationError({"rating": _("满意度应为 1–5")})
        else:
            rating = None
        if action == "rate" and request.rating is not None:
            raise ValidationError({"rating": _("已评价过,不能重复评价")})
    if (
        action == "reopen"
        and request.status == Status.CLOSED
        and (request.closed_at is None or now - request.closed_at > timedelta(days=REOPEN_DAYS))
    ):
        too_old = _("办结超过 %(n)s 天的诉求不能重新打开,请提交新诉求") % {"n": REOPEN_DAYS}
        raise ValidationError({"status": too_old})
    old = request.status
    changes: dict = {"status": [old, target]}
    if action == "acknowledge":
        request.acknowledged_at = now
        if request.assigned_to_id is None:
            request.assigned_to = actor
    elif action == "resolve":
        request.resolved_at = now
    elif action == "confirm":
        request.closed_at = now
        if rating is not None:
            request.rating, request.rating_comment = rating, comment
    elif action == "rate":
        request.rating, request.rating_comment = rating, comment
    elif action == "reopen":
        changes["rating"] = [request.rating, None]
        request.reopened += 1
        request.resolved_at = request.closed_at = None
        request.rating, request.rating_comment = None, ""
        request.resolve_due_at, fallback = sla_deadline(now, request.category.resolve_working_days)
        request.escalated_at = None
        if fallback:
            note += " · " + _("工作日历未覆盖该日期,时限按周一至周五计算")
    if rating is not None:
        changes["rating"] = [None, rating]
    request.status, request.updated_at = target, now
    request.save()
    event_note = note
    if action in ("confirm", "rate") and rating is not None:
        event_note = _("满意度 %(n)s 分") % {"n": rating} + (f" · {comment}" if comment else "")
    _event(request, actor, action, old, target, event_note, now)
    audit_record(
        actor=actor,
        action=f"request.{action}",
        target=request,
        enterprise_id=request.enterprise_id,
        changes=changes,
        note=note,
        now=now,
    )
    names = {"title": request.title, "status": choice_label(request, "status")}
    if side == OFFICER:
        recipients = _enterprise_side(request)
        title = gettext_lazy("您的诉求「%(title)s」:%(status)s")
        if action == "resolve":
            title = gettext_lazy("您的诉求「%(title)s」已办结,请确认")
    else:
        recipients = _officer_side(request)
        title = gettext_lazy("企业诉求「%(title)s」:%(status)s")
    _notify(recipients, Text(title, names), request, now)
    return request


@transaction.atomic
def request_reply(*, actor, request: ServiceRequest, body: str, attachments=(), now: datetime) -> Reply:
    """A message in the request's thread, by the enterprise or an officer in scope."""
    request = _lock(request)
    require(actor, "request.view", request)
    side = _side(actor)
    if side is None:
        raise ValidationError({"body": _("无权回复")})
    if request.status == Status.WITHDRAWN:
        raise ValidationError({"status": _("诉求已撤回,不能回复")})
    errors: dict[str, str] = {}
    body = _clean_text(body, "body", (1, REPLY_LENGTH), errors)
    checked = _check_files(attachments, errors)
    if errors:
        raise ValidationError(errors)
    reply = Reply.objects.create(request=request, author=_actor(actor), body=body, created_at=now)
    _save_files(request, reply, checked, actor, now)
    request.updated_at = now
    request.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="request.reply", target=request, enterprise_id=request.enterprise_id, now=now)
    recipients = _enterprise_side(request) if side == OFFICER else _officer_side(request)
    _notify(recipients, Text(gettext_lazy("诉求「%(title)s」有新回复"), {"title": request.title}), request, now)
    return reply


def requests_escalate(*, now: datetime) -> int:
    """Escalate (once) every unresolved request past its deadline to the district's officers."""
    late = ServiceRequest.objects.filter(escalated_at__isnull=True, status__in=UNRESOLVED).filter(
        Q(resolve_due_at__lt=now) | Q(status=Status.SUBMITTED, ack_due_at__lt=now)
    )
    count = 0
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            request = (
                ServiceRequest.objects.select_for_update(of=("self",)).select_related("enterprise__town").get(pk=pk)
            )
            if request.escalated_at is not None or request.status not in UNRESOLVED:
                continue
            acknowledged = request.status != Status.SUBMITTED
            if request.resolve_due_at >= now and (acknowledged or request.ack_due_at >= now):
                continue
            what = gettext_lazy("超过办结时限") if request.resolve_due_at < now else gettext_lazy("超过受理时限")
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            _event(request, None, "escalate", request.status, request.status, what, now)
            audit_record(
                actor=None, action="request.escalate", target=request, enterprise_id=request.enterprise_id, now=now
            )
            title = Text(gettext_lazy("督办:企业诉求「%(title)s」%(what)s"), {"title": request.title, "what": what})
            _notify(_district_officers(request) + _officer_side(request), title, request, now)
            count += 1
    return count


def requests_autoclose(*, now: datetime, working_days: int = AUTOCLOSE_WORKING_DAYS) -> int:
    """Close resolved requests the enterprise has not confirmed within `working_days` after resolution."""
    count = 0
    candidates = ServiceRequest.objects.filter(status=Status.RESOLVED, resolved_at__isnull=False)
    for pk, resolved_at in list(candidates.values_list("pk", "resolved_at")):
        if sla_deadline(resolved_at, working_days)[0] >= now:
            continue
        with transaction.atomic():
            request = ServiceRequest.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=pk)
            if request.status != Status.RESOLVED or request.resolved_at != resolved_at:
                continue
            request.status, request.closed_at, request.updated_at = Status.CLOSED, now, now
            request.save(update_fields=["status", "closed_at", "updated_at"])
            _event(request, None, "autoclose", Status.RESOLVED, Status.CLOSED, _("超时自动办结"), now)
            audit_record(
                actor=None,
                action="request.autoclose",
                target=request,
                enterprise_id=request.enterprise_id,
                changes={"status": [Status.RESOLVED, Status.CLOSED]},
                now=now,
            )
            title = Text(gettext_lazy("您的诉求「%(title)s」已超时自动办结"), {"title": request.title})
            _notify(_enterprise_side(request), title, request, now)
            count += 1
    return count
