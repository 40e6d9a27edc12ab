"""Writes of matchmaking events (对接会) and their one-to-one meetings (b2match style).

An officer of the town creates the event, opens it and generates its time slots; enterprises register
(one participant per enterprise) and ask each other for a meeting in a slot. The recipient accepts or
declines; an accepted meeting holds the slot for both sides through two Booking rows, and the unique
(slot, participant) constraint is what guarantees that nobody is booked twice: the service checks
nothing before inserting them, it asks the database and turns its refusal into a clear message.
Requests nobody answered lapse at `expires_at` (the event's time to live, never after the slot starts)
through `meeting_requests_expire`, run every 15 minutes by chain/event_tasks.py.

Nothing here reads the clock except through `now`.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.models import ENTERPRISE_ROLES, User
from sanlian.core.permissions import has_perm, require
from sanlian.core.services import apply_changes, audit_record, jsonable, notification_send

from ..models import Booking, MatchEvent, MeetingRequest, Participant, Slot

__all__ = [
    "EVENT_FIELDS",
    "EVENT_TRANSITIONS",
    "SLOT_MINUTES",
    "TTL_HOURS",
    "event_register",
    "event_save",
    "event_set_status",
    "meeting_answer",
    "meeting_cancel",
    "meeting_request",
    "meeting_requests_expire",
    "slots_generate",
]

E = MatchEvent.Status
M = MeetingRequest.Status
EVENT_FIELDS = ("title", "venue", "date", "description", "request_ttl_hours", "town")
REQUIRED_FIELDS = ("title", "venue", "date")
TEXT_LIMITS = {"title": 200, "venue": 200, "description": 5000}
MESSAGE_LIMIT = 300
REPRESENTATIVE_LIMIT = 64
TTL_HOURS = (1, 168)
SLOT_MINUTES = (10, 120)
# status → the statuses an event may move to from it. A closed event reopens only while its day is ahead.
EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    E.DRAFT: frozenset({E.OPEN, E.CLOSED}),
    E.OPEN: frozenset({E.CLOSED}),
    E.CLOSED: frozenset({E.OPEN}),
}


# Helpers ---------------------------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _slot_label(slot: Slot) -> str:
    start, end = _local(slot.start_at), _local(slot.end_at)
    return f"{start:%m-%d %H:%M}–{end:%H:%M}"


def _enterprise_users(enterprise_ids) -> dict[int, list[User]]:
    """The active enterprise logins of each enterprise: the people told about its meetings."""
    users: dict[int, list[User]] = {}
    for user in User.objects.filter(enterprise_id__in=set(enterprise_ids), is_active=True, role__in=ENTERPRISE_ROLES):
        users.setdefault(user.enterprise_id, []).append(user)
    return users


def _tell(enterprise_id: int, *, title, body="", event: MatchEvent, now: datetime) -> None:
    recipients = _enterprise_users([enterprise_id]).get(enterprise_id, [])
    if recipients:
        notification_send(
            recipients=recipients, title=title, body=body, url=reverse("chain:event", args=[event.pk]), now=now
        )


def _as_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError({field: _("请输入有效日期(YYYY-MM-DD)")}) from None


def _as_time(value, field: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        if not isinstance(value, str) or not value.strip():
            raise ValueError
        return time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise ValidationError({field: _("请输入有效时间(HH:MM)")}) from None


def _as_int(value, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: message})
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not low <= number <= high:
        raise ValidationError({field: message})
    return number


def _participant_of(actor, event: MatchEvent) -> Participant | None:
    enterprise_id = getattr(actor, "enterprise_id", None)
    if not enterprise_id:
        return None
    return Participant.objects.select_related("enterprise").filter(event=event, enterprise_id=enterprise_id).first()


def _lock_event(event: MatchEvent) -> MatchEvent:
    return MatchEvent.objects.select_for_update(of=("self",)).select_related("town").get(pk=event.pk)


def _lock_meeting(meeting: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "slot", "requester__enterprise", "recipient__enterprise")
        .get(pk=meeting.pk)
    )


def _require_open(event: MatchEvent, field: str = "event") -> None:
    if event.status != E.OPEN:
        raise ValidationError({field: _("对接会当前不在报名中(状态:%(status)s)") % {"status": E(event.status).label}})


# Events ----------------------------------------------------------------------------------------------


def _event_fields(data: dict) -> dict:
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in sorted(unknown)})
    fields = {}
    for name, value in data.items():
        if name in TEXT_LIMITS:
            value = "" if value is None else str(value).strip()
            if len(value) > TEXT_LIMITS[name]:
                raise ValidationError(
                    {name: _("不能超过 %(limit)s 个字(当前 %(n)s 个)") % {"limit": TEXT_LIMITS[name], "n": len(value)}}
                )
        elif name == "date":
            value = _as_date(value, "date")
        elif name == "request_ttl_hours":
            message = _("邀约有效时长须为 %(low)s–%(high)s 小时的整数") % {"low": TTL_HOURS[0], "high": TTL_HOURS[1]}
            value = _as_int(value, name, *TTL_HOURS, message)
        fields[name] = value
    return fields


def _default_town(actor):
    region = getattr(actor, "region", None)
    return region if region is not None and region.is_town_level else None


@transaction.atomic
def event_save(*, actor, data: dict, event: MatchEvent | None = None, now: datetime) -> MatchEvent:
    """Create a matchmaking event (as a draft) or edit one; officers of the event's town.

    `data`: title, venue, date, description, request_ttl_hours (1–168) and, optionally, town (a Region;
    a town officer's own town when left out). The date cannot move once slots exist (they sit on it).
    """
    require(actor, "event.edit")
    fields = _event_fields(data)
    if event is None:
        town = fields.pop("town", None) or _default_town(actor)
        if town is None:
            raise ValidationError({"town": _("请选择主办镇(街道)")})
        event = MatchEvent(town=town, organiser=_user(actor), status=E.DRAFT, created_at=now)
        changes = {}
        for name, value in fields.items():
            setattr(event, name, value)
            changes[name] = [None, jsonable(value)]
        changes["town"] = [None, town.code]
        old_date = None
    else:
        event = _lock_event(event)
        require(actor, "event.edit", event)
        if event.status == E.CLOSED:
            raise ValidationError({"status": _("已结束的对接会不能修改")})
        old_date, old_town = event.date, event.town
        if "town" in fields and fields["town"] is None:
            del fields["town"]
        changes = apply_changes(event, fields)
        if "town" in changes:
            if event.participants.exists():
                raise ValidationError({"town": _("已有企业报名,不能更换主办镇")})
            changes["town"] = [old_town.code, event.town.code]
    errors = {name: [_("此项为必填项")] for name in REQUIRED_FIELDS if getattr(event, name) in (None, "")}
    if errors:
        raise ValidationError(errors)
    if not event.town.is_town_level:
        raise ValidationError({"town": _("请选择镇或街道")})
    if not has_perm(actor, "event.edit", event):
        raise ValidationError({"town": _("该镇(街道)不在您的管辖范围内")})
    if event.date != old_date:
        if event.date < timezone.localdate(now):
            raise ValidationError({"date": _("举办日期不能早于今天")})
        if old_date is not None and event.slots.exists():
            raise ValidationError({"date": _("已生成洽谈时段,不能修改日期;请先重新生成时段或另建对接会")})
    if not changes:
        return event
    event.save()
    action = "event.update" if old_date is not None else "event.create"
    audit_record(actor=actor, action=action, target=event, changes=changes, now=now)
    return event


def _expire(meetings: list[MeetingRequest], *, now: datetime, reason) -> int:
    """Mark pending requests expired (if still pending) and tell each requester; returns how many lapsed."""
    if not meetings:
        return 0
    count = MeetingRequest.objects.filter(pk__in=[m.pk for m in meetings], status=M.REQUESTED).update(status=M.EXPIRED)
    users = _enterprise_users(m.requester.enterprise_id for m in meetings)
    for meeting in meetings:
        recipients = users.get(meeting.requester.enterprise_id, [])
        if recipients:
            notification_send(
                recipients=recipients,
                title=Text(
                    gettext_lazy("您向%(name)s发出的洽谈邀约(%(slot)s)已过期"),
                    {"name": meeting.recipient.enterprise.name, "slot": _slot_label(meeting.slot)},
                ),
                body=reason,
                url=reverse("chain:event", args=[meeting.event_id]),
                now=now,
            )
        audit_record(
            actor=None,
            action="meeting.expire",
            target=meeting,
            changes={"status": [M.REQUESTED, M.EXPIRED]},
            enterprise_id=meeting.requester.enterprise_id,
            note=reason,
            now=now,
        )
    return count


@transaction.atomic
def event_set_status(*, actor, event: MatchEvent, status: str, now: datetime) -> MatchEvent:
    """Open, close or reopen an event (officers of its town). Closing lets the pending requests lapse."""
    event = _lock_event(event)
    require(actor, "event.edit", event)
    if status not in E.values:
        raise ValidationError({"status": _("未知状态")})
    if status == event.status:
        return event
    if status not in EVENT_TRANSITIONS[event.status]:
        raise ValidationError(
            {
                "status": _("对接会状态「%(from)s」不能变为「%(to)s」")
                % {"from": E(event.status).label, "to": E(status).label}
            }
        )
    if status == E.OPEN and event.date < timezone.localdate(now):
        raise ValidationError({"status": _("对接会日期已过,不能开放报名")})
    old = event.status
    event.status = status
    event.save(update_fields=["status"])
    if status == E.CLOSED:
        pending = list(
            MeetingRequest.objects.select_for_update(of=("self",))
            .select_related("slot", "requester__enterprise", "recipient__enterprise")
            .filter(event=event, status=M.REQUESTED)
        )
        _expire(pending, now=now, reason=gettext_lazy("对接会已结束,未回复的邀约自动失效"))
    audit_record(actor=actor, action="event.status", target=event, changes={"status": [old, status]}, now=now)
    return event


# Slots -----------------------------------------------------------------------------------------------


@transaction.atomic
def slots_generate(
    *, actor, event: MatchEvent, start, end, minutes, now: datetime, replace: bool = False
) -> list[Slot]:
    """Cut the event's day from `start` to `end` (local time) into back-to-back slots of `minutes` (10–120).

    Slots that would overlap existing ones are refused, unless `replace` is set: then the existing slots
    in the window are removed first, which is refused when one of them holds an accepted meeting or a
    pending request. Returns the new slots in time order.
    """
    event = _lock_event(event)
    require(actor, "event.edit", event)
    if event.status == E.CLOSED:
        raise ValidationError({"event": _("已结束的对接会不能再生成时段")})
    message = _("时段长度须为 %(low)s–%(high)s 分钟的整数") % {"low": SLOT_MINUTES[0], "high": SLOT_MINUTES[1]}
    minutes = _as_int(minutes, "minutes", *SLOT_MINUTES, message)
    start, end = _as_time(start, "start"), _as_time(end, "end")
    if end <= start:
        raise ValidationError({"end": _("结束时间须晚于开始时间")})
    tz = timezone.get_default_timezone()
    window_start = datetime.combine(event.date, start, tzinfo=tz)
    window_end = datetime.combine(event.date, end, tzinfo=tz)
    length = timedelta(minutes=minutes)
    count = int((window_end - window_start) / length)
    if count == 0:
        raise ValidationError({"minutes": _("开始与结束之间放不下一个 %(m)s 分钟的时段") % {"m": minutes}})
    if window_start <= now:
        raise ValidationError({"start": _("不能生成已经开始的时段")})
    existing = list(Slot.objects.filter(event=event, start_at__lt=window_end, end_at__gt=window_start))
    if existing and not replace:
        raise ValidationError(
            {
                "start": _("与已有时段 %(slot)s 等 %(n)s 个时段重叠;如需重新生成,请选择替换已有时段")
                % {"slot": _slot_label(existing[0]), "n": len(existing)}
            }
        )
    if existing:
        held = (
            MeetingRequest.objects.filter(slot__in=existing, status__in=(M.ACCEPTED, M.REQUESTED))
            .select_related("slot")
            .order_by("slot__start_at")
        )
        for meeting in held:
            if meeting.status == M.ACCEPTED:
                text = _("时段 %(slot)s 已有确认的洽谈,不能更改")
            else:
                text = _("时段 %(slot)s 有待回复的洽谈邀约,不能更改")
            raise ValidationError({"start": text % {"slot": _slot_label(meeting.slot)}})
        Slot.objects.filter(pk__in=[s.pk for s in existing]).delete()
    slots = Slot.objects.bulk_create(
        [
            Slot(event=event, start_at=window_start + i * length, end_at=window_start + (i + 1) * length)
            for i in range(count)
        ]
    )
    audit_record(
        actor=actor,
        action="event.slots",
        target=event,
        changes={"slots": [len(existing), count]},
        note=f"{start:%H:%M}–{end:%H:%M} / {minutes} min",
        now=now,
    )
    return slots


# Registration ----------------------------------------------------------------------------------------


@transaction.atomic
def event_register(*, actor, event: MatchEvent, representative: str = "", now: datetime) -> Participant:
    """Register the actor's enterprise for an open event, once; `representative` defaults to the actor."""
    require(actor, "event.join")
    enterprise_id = getattr(actor, "enterprise_id", None)
    if not enterprise_id:
        raise PermissionDenied("event.join")
    event = _lock_event(event)
    _require_open(event)
    if event.date < timezone.localdate(now):
        raise ValidationError({"event": _("对接会已举办,不能再报名")})
    representative = (representative or "").strip() or (getattr(actor, "display_name", "") or actor.get_username())
    if len(representative) > REPRESENTATIVE_LIMIT:
        message = _("参会代表不能超过 %(limit)s 个字") % {"limit": REPRESENTATIVE_LIMIT}
        raise ValidationError({"representative": message})
    if Participant.objects.filter(event=event, enterprise_id=enterprise_id).exists():
        raise ValidationError({"event": _("贵企业已报名本次对接会")})
    participant = Participant(
        event=event, enterprise_id=enterprise_id, representative=representative, registered_at=now
    )
    try:
        with transaction.atomic():
            participant.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"event": _("贵企业已报名本次对接会")}) from None
    audit_record(
        actor=actor,
        action="event.register",
        target=participant,
        enterprise_id=enterprise_id,
        changes={"representative": [None, representative]},
        now=now,
    )
    return participant


# Meetings --------------------------------------------------------------------------------------------


def _whose(participant: Participant, viewer: Participant) -> str:
    return _("贵企业") if participant.pk == viewer.pk else participant.enterprise.name


def _taken_error(slot: Slot, holders: list[Participant], viewer: Participant) -> ValidationError:
    whose = "、".join(_whose(p, viewer) for p in holders)
    return ValidationError(
        {
            "slot": _("该时段已被占用:%(whose)s在 %(slot)s 已有确认的洽谈,请另选时段")
            % {"whose": whose, "slot": _slot_label(slot)}
        }
    )


def _holders(slot: Slot, participants: list[Participant]) -> list[Participant]:
    """Which of `participants` already hold `slot`, in the order given."""
    taken = set(
        Booking.objects.filter(slot=slot, participant__in=[p.pk for p in participants]).values_list(
            "participant_id", flat=True
        )
    )
    return [p for p in participants if p.pk in taken]


@transaction.atomic
def meeting_request(
    *, actor, event: MatchEvent, recipient: Participant, slot: Slot, message: str = "", now: datetime
) -> MeetingRequest:
    """Ask another participant of an open event for a one-to-one meeting in `slot`.

    The requester is the actor's enterprise's participant. Refused: an event not open, an enterprise not
    registered, oneself, a slot of another event or already begun, a slot either side has already booked,
    and a second pending request between the same two enterprises for the same slot. The request lapses
    after the event's time to live, and never later than the start of the slot.
    """
    require(actor, "event.join")
    event = MatchEvent.objects.select_related("town").get(pk=event.pk)
    _require_open(event)
    requester = _participant_of(actor, event)
    if requester is None:
        raise ValidationError({"event": _("贵企业尚未报名本次对接会,请先报名")})
    # Serialise the requester's own requests, so two clicks do not make two pending requests.
    Participant.objects.select_for_update().only("pk").get(pk=requester.pk)
    recipient = (
        Participant.objects.select_related("enterprise").filter(pk=getattr(recipient, "pk", None), event=event).first()
    )
    if recipient is None:
        raise ValidationError({"recipient": _("对方企业未报名本次对接会")})
    if recipient.pk == requester.pk:
        raise ValidationError({"recipient": _("不能向本企业发起洽谈")})
    slot = Slot.objects.filter(pk=getattr(slot, "pk", None), event=event).first()
    if slot is None:
        raise ValidationError({"slot": _("请选择本次对接会的洽谈时段")})
    if slot.start_at <= now:
        raise ValidationError({"slot": _("该时段已经开始,不能再预约")})
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise ValidationError({"message": _("留言不能超过 %(limit)s 个字") % {"limit": MESSAGE_LIMIT}})
    holders = _holders(slot, [requester, recipient])
    if holders:
        raise _taken_error(slot, holders, requester)
    pending = MeetingRequest.objects.filter(slot=slot, status=M.REQUESTED)
    if pending.filter(requester=requester, recipient=recipient).exists():
        raise ValidationError({"slot": _("您已向该企业发出该时段的邀约,请等待对方回复")})
    if pending.filter(requester=recipient, recipient=requester).exists():
        raise ValidationError({"slot": _("对方已邀约贵企业在该时段洽谈,请直接在“收到的邀约”中回复")})
    meeting = MeetingRequest.objects.create(
        event=event,
        slot=slot,
        requester=requester,
        recipient=recipient,
        message=message,
        status=M.REQUESTED,
        expires_at=min(now + timedelta(hours=event.request_ttl_hours), slot.start_at),
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="meeting.request",
        target=meeting,
        enterprise_id=requester.enterprise_id,
        changes={"recipient": [None, recipient.enterprise.name], "slot": [None, _slot_label(slot)]},
        now=now,
    )
    _tell(
        recipient.enterprise_id,
        title=Text(
            gettext_lazy("%(name)s邀请贵企业在 %(slot)s 洽谈"),
            {"name": requester.enterprise.name, "slot": _slot_label(slot)},
        ),
        body=message,
        event=event,
        now=now,
    )
    return meeting


def _decline_collisions(meeting: MeetingRequest, *, actor, now: datetime) -> int:
    """Decline the other pending requests of the slot that involve either side of the accepted meeting."""
    sides = (meeting.requester_id, meeting.recipient_id)
    colliding = list(
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("slot", "requester__enterprise", "recipient__enterprise")
        .filter(slot=meeting.slot, status=M.REQUESTED)
        .filter(Q(requester_id__in=sides) | Q(recipient_id__in=sides))
        .exclude(pk=meeting.pk)
    )
    if not colliding:
        return 0
    MeetingRequest.objects.filter(pk__in=[m.pk for m in colliding]).update(status=M.DECLINED, answered_at=now)
    names = {side.pk: side.enterprise.name for side in (meeting.requester, meeting.recipient)}
    users = _enterprise_users(p.enterprise_id for m in colliding for p in (m.requester, m.recipient))
    actor_enterprise = getattr(actor, "enterprise_id", None)
    for other in colliding:
        busy = names.get(other.recipient_id) or names.get(other.requester_id)
        note = Text(gettext_lazy("%(name)s已确认该时段的其他洽谈,此邀约由系统自动婉拒"), {"name": busy})
        audit_record(
            actor=actor,
            action="meeting.auto_decline",
            target=other,
            enterprise_id=other.requester.enterprise_id,
            changes={"status": [M.REQUESTED, M.DECLINED]},
            note=note,
            now=now,
        )
        title = Text(
            gettext_lazy("%(requester)s → %(recipient)s 的洽谈邀约(%(slot)s)已自动婉拒"),
            {
                "requester": other.requester.enterprise.name,
                "recipient": other.recipient.enterprise.name,
                "slot": _slot_label(other.slot),
            },
        )
        recipients = [
            user
            for side in (other.requester, other.recipient)
            if side.enterprise_id != actor_enterprise
            for user in users.get(side.enterprise_id, [])
        ]
        if recipients:
            notification_send(
                recipients=recipients,
                title=title,
                body=note,
                url=reverse("chain:event", args=[other.event_id]),
                now=now,
            )
    return len(colliding)


@transaction.atomic
def meeting_answer(*, actor, request: MeetingRequest, accept: bool, now: datetime) -> MeetingRequest:
    """The recipient accepts or declines a pending request.

    Accepting books the slot for both sides (two Booking rows). When the database refuses them because
    one side took the slot meanwhile, the answer is a ValidationError naming who holds it and nothing
    changes. Other pending requests of that slot involving either side are then declined automatically.
    """
    require(actor, "event.join")
    meeting = _lock_meeting(request)
    if getattr(actor, "enterprise_id", None) != meeting.recipient.enterprise_id:
        raise PermissionDenied("event.join")
    if meeting.status != M.REQUESTED:
        raise ValidationError({"status": _("该邀约%(status)s,不能再回复") % {"status": M(meeting.status).label}})
    if meeting.expires_at <= now:
        raise ValidationError({"status": _("该邀约已过回复截止时间")})
    _require_open(meeting.event)
    old = meeting.status
    declined = 0
    if accept:
        if meeting.slot.start_at <= now:
            raise ValidationError({"slot": _("该时段已经开始,不能再确认")})
        try:
            with transaction.atomic():
                Booking.objects.bulk_create(
                    [
                        Booking(slot=meeting.slot, participant=side, meeting=meeting)
                        for side in (meeting.requester, meeting.recipient)
                    ]
                )
        except IntegrityError:
            holders = _holders(meeting.slot, [meeting.recipient, meeting.requester])
            if not holders:
                raise
            raise _taken_error(meeting.slot, holders, meeting.recipient) from None
        meeting.status = M.ACCEPTED
    else:
        meeting.status = M.DECLINED
    meeting.answered_at = now
    meeting.save(update_fields=["status", "answered_at"])
    if accept:
        declined = _decline_collisions(meeting, actor=actor, now=now)
    audit_record(
        actor=actor,
        action="meeting.answer",
        target=meeting,
        enterprise_id=meeting.recipient.enterprise_id,
        changes={"status": [old, meeting.status]},
        note=_("同时自动婉拒 %(n)s 个冲突邀约") % {"n": declined} if declined else "",
        now=now,
    )
    title = (
        gettext_lazy("%(name)s接受了您的洽谈邀约(%(slot)s)")
        if accept
        else gettext_lazy("%(name)s婉拒了您的洽谈邀约(%(slot)s)")
    )
    _tell(
        meeting.requester.enterprise_id,
        title=Text(title, {"name": meeting.recipient.enterprise.name, "slot": _slot_label(meeting.slot)}),
        event=meeting.event,
        now=now,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, request: MeetingRequest, reason: str = "", now: datetime) -> MeetingRequest:
    """Either side calls off an accepted meeting before its slot starts; both sides' slot is free again."""
    require(actor, "event.join")
    meeting = _lock_meeting(request)
    enterprise_id = getattr(actor, "enterprise_id", None)
    if enterprise_id not in (meeting.requester.enterprise_id, meeting.recipient.enterprise_id):
        raise PermissionDenied("event.join")
    if meeting.status != M.ACCEPTED:
        raise ValidationError({"status": _("只有已接受的洽谈可以取消")})
    if meeting.slot.start_at <= now:
        raise ValidationError({"slot": _("洽谈时段已经开始,不能取消")})
    reason = (reason or "").strip()
    if len(reason) > MESSAGE_LIMIT:
        raise ValidationError({"reason": _("取消原因不能超过 %(limit)s 个字") % {"limit": MESSAGE_LIMIT}})
    Booking.objects.filter(meeting=meeting).delete()
    meeting.status = M.CANCELLED
    meeting.save(update_fields=["status"])
    mine, other = (
        (meeting.requester, meeting.recipient)
        if enterprise_id == meeting.requester.enterprise_id
        else (meeting.recipient, meeting.requester)
    )
    audit_record(
        actor=actor,
        action="meeting.cancel",
        target=meeting,
        enterprise_id=enterprise_id,
        changes={"status": [M.ACCEPTED, M.CANCELLED]},
        note=reason,
        now=now,
    )
    _tell(
        other.enterprise_id,
        title=Text(
            gettext_lazy("%(name)s取消了 %(slot)s 的洽谈"),
            {"name": mine.enterprise.name, "slot": _slot_label(meeting.slot)},
        ),
        body=reason,
        event=meeting.event,
        now=now,
    )
    return meeting


def meeting_requests_expire(*, now: datetime) -> int:
    """Pending requests whose reply deadline has passed become expired; the requesters are told.

    Safe to run twice and alongside answers: each row is locked and moves only if it is still pending.
    """
    with transaction.atomic():
        due = list(
            MeetingRequest.objects.select_for_update(of=("self",))
            .select_related("slot", "requester__enterprise", "recipient__enterprise")
            .filter(status=M.REQUESTED, expires_at__lte=now)
            .order_by("expires_at", "pk")
        )
        return _expire(due, now=now, reason=gettext_lazy("对方未在回复截止时间前回复,邀约已自动过期"))
