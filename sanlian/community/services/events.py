"""Writes of community events: creation, status, registration with waiting list, approval, check-in, survey.

Every change to an event's registrations locks the event's row first, so two people taking the last
seat at once are served one after the other and the second is waitlisted.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.locks import lock_row
from sanlian.core.models import Role
from sanlian.core.permissions import in_scope, require
from sanlian.core.services import audit_record, notification_send
from sanlian.search.services import document_refresh

from ..models import Event, EventSession, Registration, SurveyAnswer, SurveyQuestion

FIELDS = (
    "organisation", "title", "kind", "description", "venue", "starts_at", "ends_at", "capacity",
    "registration_opens_at", "registration_closes_at", "requires_approval", "is_demo",
)  # fmt: skip
# Doors open two hours before the start; latecomers may check in until the end.
CHECKIN_OPENS_BEFORE = timedelta(hours=2)


def can_manage(user, event_or_organisation) -> bool:
    """Officers manage the events of their area; a secretary those of the organisations they run."""
    if not getattr(user, "is_authenticated", False):
        return False
    organisation = getattr(event_or_organisation, "organisation", event_or_organisation)
    if user.role == Role.ORG_SECRETARY:
        return organisation is not None and organisation.secretaries.filter(pk=user.pk).exists()
    region = getattr(event_or_organisation, "region", None)
    return user.role in (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER) and region is not None and in_scope(user, region)


def require_manage(actor, event) -> None:
    require(actor, "activity.manage")
    if not can_manage(actor, event):
        raise PermissionDenied("activity.manage")


def _validate(data: dict) -> dict:
    errors = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = _("请填写活动名称")
    if data.get("kind") not in Event.Kind.values:
        errors["kind"] = _("请选择活动类型")
    if not str(data.get("venue") or "").strip():
        errors["venue"] = _("请填写活动地点")
    if not data.get("capacity") or data["capacity"] < 1:
        errors["capacity"] = _("名额至少为 1")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends < starts:
        errors["ends_at"] = _("结束时间不能早于开始时间")
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes < opens:
        errors["registration_closes_at"] = _("报名截止时间不能早于报名开始时间")
    if closes and ends and closes > ends:
        errors["registration_closes_at"] = _("报名截止时间不能晚于活动结束时间")
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        if not data.get(field):
            errors[field] = _("请填写时间")
    return errors


@transaction.atomic
def event_create(*, actor, data: dict, sessions=(), now: datetime) -> Event:
    """An officer (for their area) or a secretary (for their organisation) creates a draft event.

    `sessions` are agenda items: dicts of starts_at, title, speaker, room.
    """
    require(actor, "activity.manage")
    organisation = data.get("organisation")
    region = organisation.region if organisation else data.get("region") or actor.region
    errors = _validate(data)
    probe = Event(organisation=organisation, region=region)
    if region is None or not can_manage(actor, probe):
        errors["organisation"] = _("只能为本人负责的组织或辖区创建活动")
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        **{k: data[k] for k in FIELDS if k in data}, region=region, created_by=actor, created_at=now, updated_at=now
    )
    EventSession.objects.bulk_create([EventSession(event=event, **item) for item in sessions])
    audit_record(actor=actor, action="activity.create", target=event, changes={"title": event.title}, now=now)
    document_refresh(kind="event", object_id=event.pk)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: dict, sessions=None, now: datetime) -> Event:
    """Edit an event; `sessions`, when given, replaces the agenda."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_manage(actor, event)
    merged = {k: getattr(event, k) for k in FIELDS} | {k: data[k] for k in FIELDS if k in data}
    errors = _validate(merged)
    if merged["capacity"] and merged["capacity"] < event.registrations.filter(status__in=Registration.SEATED).count():
        errors["capacity"] = _("名额不能少于已报名人数")
    moved_to = merged.get("organisation")
    if moved_to is not None and moved_to != event.organisation and not can_manage(actor, moved_to):
        errors["organisation"] = _("只能为本人负责的组织或辖区创建活动")
    if errors:
        raise ValidationError(errors)
    changes = {k: str(v) for k, v in merged.items() if getattr(event, k) != v}
    for key, value in merged.items():
        setattr(event, key, value)
    event.updated_at = now
    event.save()
    if sessions is not None:
        event.sessions.all().delete()
        EventSession.objects.bulk_create([EventSession(event=event, **item) for item in sessions])
    audit_record(actor=actor, action="activity.update", target=event, changes=changes, now=now)
    document_refresh(kind="event", object_id=event.pk)
    return event


TRANSITIONS = {
    "publish": ({Event.Status.DRAFT}, Event.Status.PUBLISHED),
    "cancel": ({Event.Status.DRAFT, Event.Status.PUBLISHED}, Event.Status.CANCELLED),
    "finish": ({Event.Status.PUBLISHED}, Event.Status.FINISHED),
}


@transaction.atomic
def event_transition(*, actor, event: Event, action: str, now: datetime) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require_manage(actor, event)
    allowed, target = TRANSITIONS.get(action, (set(), None))
    if event.status not in allowed:
        raise ValidationError({"status": _("当前状态不能执行该操作")})
    if action == "finish" and now < event.ends_at:
        raise ValidationError({"status": _("活动尚未结束")})
    before, event.status, event.updated_at = event.status, target, now
    event.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=f"activity.{action}", target=event, changes={"status": [before, target]}, now=now)
    if action == "cancel":
        live = Registration.objects.filter(event=event, status__in=Registration.LIVE).select_related("user")
        notification_send(
            recipients=[r.user for r in live],
            title=Text(gettext_lazy("活动已取消:%(title)s"), {"title": event.title}),
            url=reverse("events:detail", args=[event.pk]), now=now,
        )  # fmt: skip
    document_refresh(kind="event", object_id=event.pk)
    return event


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=Registration.SEATED).count()


@transaction.atomic
def registration_create(*, actor, event: Event, now: datetime) -> Registration:
    """Register the actor: a seat when one is free (pending if the event needs approval), else the waiting list."""
    require(actor, "activity.register")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError({"event": _("该活动当前不接受报名")})
    if now < event.registration_opens_at:
        raise ValidationError({"event": _("报名尚未开始")})
    if now > event.registration_closes_at:
        raise ValidationError({"event": _("报名已截止")})
    if event.registrations.filter(user=actor, status__in=Registration.LIVE).exists():
        raise ValidationError({"event": _("您已报名该活动,请勿重复报名")})
    if _seats_taken(event) < event.capacity:
        status, position = _seat_status(event), None
    else:
        status, position = Registration.Status.WAITLISTED, _next_position(event)
    registration = Registration.objects.create(
        event=event, user=actor, enterprise_id=actor.enterprise_id, status=status, waitlist_position=position,
        created_at=now, updated_at=now,
    )  # fmt: skip
    audit_record(actor=actor, action="activity.register", target=registration, changes={"status": status}, now=now)
    return registration


def _seat_status(event: Event) -> str:
    return Registration.Status.PENDING if event.requires_approval else Registration.Status.APPROVED


def _next_position(event: Event) -> int:
    last = event.registrations.filter(status=Registration.Status.WAITLISTED).aggregate(m=Max("waitlist_position"))
    return (last["m"] or 0) + 1


def _promote_waitlisted(event: Event, now: datetime) -> Registration | None:
    """Give a freed seat to the first on the waiting list and tell them."""
    if _seats_taken(event) >= event.capacity:
        return None
    first = (
        event.registrations.filter(status=Registration.Status.WAITLISTED)
        .order_by("waitlist_position", "id").select_related("user").first()
    )  # fmt: skip
    if first is None:
        return None
    first.status, first.waitlist_position, first.updated_at = _seat_status(event), None, now
    first.save(update_fields=["status", "waitlist_position", "updated_at"])
    audit_record(actor=None, action="activity.promote", target=first, changes={"status": first.status}, now=now)
    title = (
        gettext_lazy("候补成功,您已获得活动名额:%(title)s")
        if first.status == Registration.Status.APPROVED
        else gettext_lazy("候补成功,您的活动报名进入审核:%(title)s")
    )
    notification_send(
        recipients=[first.user], title=Text(title, {"title": event.title}), url=reverse("events:mine"), now=now
    )
    return first


# action → (statuses it may start from, status it leads to, who may do it)
REGISTRATION_TRANSITIONS = {
    "approve": ({Registration.Status.PENDING}, Registration.Status.APPROVED, "organiser"),
    "reject": (
        {Registration.Status.PENDING, Registration.Status.WAITLISTED},
        Registration.Status.REJECTED,
        "organiser",
    ),
    "cancel": (set(Registration.LIVE), Registration.Status.CANCELLED, "owner_or_organiser"),
}


@transaction.atomic
def registration_transition(*, actor, registration: Registration, action: str, now: datetime) -> Registration:
    event = lock_row(Event, registration.event_id)
    registration = lock_row(Registration, registration.pk, related=["user"])
    if action not in REGISTRATION_TRANSITIONS:
        raise ValidationError({"status": _("当前状态不能执行该操作")})
    allowed, target, who = REGISTRATION_TRANSITIONS[action]
    if not (can_manage(actor, event) or (who == "owner_or_organiser" and registration.user_id == actor.pk)):
        raise PermissionDenied("activity.manage")
    if registration.status not in allowed or registration.checked_in_at:
        raise ValidationError({"status": _("当前状态不能执行该操作")})
    before = registration.status
    registration.status, registration.waitlist_position, registration.updated_at = target, None, now
    registration.save(update_fields=["status", "waitlist_position", "updated_at"])
    audit_record(
        actor=actor, action=f"activity.{action}", target=registration, changes={"status": [before, target]}, now=now
    )
    if action in ("approve", "reject") and registration.user_id != actor.pk:
        title = (
            gettext_lazy("您的活动报名已通过:%(title)s")
            if action == "approve"
            else gettext_lazy("您的活动报名未通过:%(title)s")
        )
        notification_send(
            recipients=[registration.user],
            title=Text(title, {"title": event.title}),
            url=reverse("events:mine"),
            now=now,
        )
    if before in Registration.SEATED and target not in Registration.SEATED and event.status == Event.Status.PUBLISHED:
        _promote_waitlisted(event, now)
    _renumber_waitlist(event)
    return registration


def _renumber_waitlist(event: Event) -> None:
    """Keep the waiting list numbered 1, 2, 3… so the place a person sees is their real place."""
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("waitlist_position", "id")
    for position, row in enumerate(waiting, start=1):
        if row.waitlist_position != position:
            row.waitlist_position = position
            row.save(update_fields=["waitlist_position"])


def token_from_scan(scanned: str) -> str:
    """The token of a scanned check-in URL (…/events/checkin/<token>/) or of a token typed by hand."""
    parts = [p for p in (scanned or "").strip().split("/") if p]
    return parts[-1] if parts else ""


@transaction.atomic
def registration_check_in(*, actor, event: Event, scanned: str, now: datetime) -> Registration:
    """Check a registration in at THIS event's door.

    Organisers check in anyone's QR; anyone else may only check in their own registration.
    """
    require(actor, "activity.register")
    organiser = can_manage(actor, event)
    registration = (
        Registration.objects.select_for_update().select_related("user")
        .filter(checkin_token=token_from_scan(scanned)).first()
    )  # fmt: skip
    if registration is None or registration.event_id != event.pk:
        raise ValidationError({"token": _("签到码无效或不属于本活动")})
    if not organiser and registration.user_id != actor.pk:
        raise ValidationError({"token": _("不能使用他人的签到码签到")})
    if not event.starts_at - CHECKIN_OPENS_BEFORE <= now <= event.ends_at:
        raise ValidationError({"token": _("不在签到时间内")})
    if registration.status != Registration.Status.APPROVED:
        raise ValidationError({"token": _("该报名未获通过或已取消,不能签到")})
    if registration.checked_in_at:
        when = f"{timezone.localtime(registration.checked_in_at):%H:%M}"
        raise ValidationError({"token": _("已于 %(time)s 签到,请勿重复签到") % {"time": when}})
    registration.checked_in_at, registration.updated_at = now, now
    registration.save(update_fields=["checked_in_at", "updated_at"])
    audit_record(actor=actor, action="activity.check_in", target=registration, now=now)
    return registration


Kinds = SurveyQuestion.Kind


@transaction.atomic
def survey_questions_set(*, actor, event: Event, questions: list[dict], now: datetime) -> list[SurveyQuestion]:
    """Replace the follow-up survey's questions (dicts of text, kind, choices) while nobody has answered."""
    require_manage(actor, event)
    if SurveyAnswer.objects.filter(question__event=event).exists():
        raise ValidationError({"questions": _("问卷已有人作答,不能再修改")})
    incomplete = [q for q in questions if not str(q.get("text") or "").strip() or q.get("kind") not in Kinds.values]
    if incomplete or any(
        q["kind"] == SurveyQuestion.Kind.CHOICE and len(q.get("choices") or []) < 2 for q in questions
    ):
        raise ValidationError({"questions": _("每个问题需有题目和题型,单选题至少两个选项")})
    event.survey_questions.all().delete()
    created = SurveyQuestion.objects.bulk_create(
        [SurveyQuestion(event=event, position=i, **q) for i, q in enumerate(questions)]
    )
    audit_record(actor=actor, action="activity.survey", target=event, changes={"questions": len(created)}, now=now)
    return created


def _answer_error(question: SurveyQuestion, raw: str) -> str | None:
    if question.kind == SurveyQuestion.Kind.RATING and raw not in {"1", "2", "3", "4", "5"}:
        return _("请选择 1–5 分")
    if question.kind == SurveyQuestion.Kind.CHOICE and raw not in question.choices:
        return _("请选择一个选项")
    return None


@transaction.atomic
def survey_answer_submit(*, actor, event: Event, answers: dict, now: datetime) -> list[SurveyAnswer]:
    """An attendee who checked in answers the follow-up survey once, after the event ended.

    `answers` maps question id → the answer as text ("1"–"5" for ratings, the option for a choice).
    """
    registration = (
        Registration.objects.select_for_update()
        .filter(event=event, user=actor, checked_in_at__isnull=False).first()
    )  # fmt: skip
    if registration is None:
        raise ValidationError({"survey": _("只有签到参会的人员可以填写问卷")})
    if now < event.ends_at:
        raise ValidationError({"survey": _("活动结束后才能填写问卷")})
    if registration.survey_answers.exists():
        raise ValidationError({"survey": _("您已填写过问卷,感谢参与")})
    questions = list(event.survey_questions.all())
    errors = {}
    for q in questions:
        raw = str(answers.get(q.pk, answers.get(str(q.pk), "")) or "").strip()
        error = _answer_error(q, raw)
        if error:
            errors[f"q{q.pk}"] = error
    if errors:
        raise ValidationError(errors)
    rows = []
    for q in questions:
        raw = str(answers.get(q.pk, answers.get(str(q.pk), "")) or "").strip()
        rating = int(raw) if q.kind == SurveyQuestion.Kind.RATING else None
        rows.append(SurveyAnswer(question=q, registration=registration, rating=rating, value=raw, created_at=now))
    created = SurveyAnswer.objects.bulk_create(rows)
    audit_record(actor=actor, action="activity.survey_answer", target=registration, now=now)
    return created
