"""Writes of interest in postings and of the introductions officers broker between the two sides.

An interest moves pending → introduced → meeting_held → signed | no_deal, or pending → declined, or is
withdrawn by the interested enterprise while pending. Officers of the posting owner's town broker it
(`interest_broker`); a signed interest is a realised cooperation link on the chain map.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.locks import lock_row, refuse_unless
from sanlian.core.permissions import require
from sanlian.core.services import audit_record, jsonable

from ..models import Interest, Posting
from .postings import clean_money, enterprise_users, is_live, notify, parse_date, plain_text, posting_url, town_officers

__all__ = ["BROKER_ACTIONS", "NOTE_MAX", "interest_express", "interest_broker", "interest_withdraw"]

I = Interest.Status  # noqa: E741
NOTE_MAX = 1000

# action → (statuses it may leave from, status it leads to)
BROKER_ACTIONS = {
    "introduce": (frozenset({I.PENDING}), I.INTRODUCED),
    "decline": (frozenset({I.PENDING}), I.DECLINED),
    "meeting_held": (frozenset({I.INTRODUCED}), I.MEETING_HELD),
    "signed": (frozenset({I.INTRODUCED, I.MEETING_HELD}), I.SIGNED),
    "no_deal": (frozenset({I.INTRODUCED, I.MEETING_HELD}), I.NO_DEAL),
}
NOTE_REQUIRED = frozenset({"decline"})


def _clean_note(note) -> str:
    if note is not None and not isinstance(note, str):
        raise ValidationError({"note": _("请输入文本")})
    text = plain_text(note or "")
    if len(text) > NOTE_MAX:
        message = _("说明不能超过 %(n)s 个字(当前 %(count)s 个字)") % {"n": NOTE_MAX, "count": len(text)}
        raise ValidationError({"note": message})
    return text


def _lock(interest: Interest) -> Interest:
    return lock_row(
        Interest, interest.pk, related=["posting", "posting__enterprise", "posting__enterprise__town", "enterprise"]
    )


@transaction.atomic
def interest_express(*, actor, posting: Posting, note: str = "", now: datetime | None = None) -> Interest:
    """The actor's enterprise is interested in another enterprise's published posting.

    The posting's owner and the officers of its town hear of it; an officer then brokers the introduction.
    An enterprise that withdrew its interest may express it again (the same row is reopened).
    """
    require(actor, "interest.create")
    if not getattr(actor, "enterprise_id", None):
        raise PermissionDenied("interest.create")
    now = now or timezone.now()
    today = timezone.localdate(now)
    posting = lock_row(Posting, posting.pk, related=["enterprise", "enterprise__town"])
    if posting.enterprise_id == actor.enterprise_id:
        raise ValidationError({"posting": _("不能对本企业发布的信息表达意向")})
    if not is_live(posting, today):
        if posting.status in (Posting.Status.PUBLISHED, Posting.Status.EXPIRED):
            raise ValidationError({"posting": _("该信息已过期,不能再表达意向")})
        raise ValidationError({"posting": _("该信息未发布或已关闭,不能表达意向")})
    note = _clean_note(note)
    existing = Interest.objects.select_for_update().filter(posting=posting, enterprise_id=actor.enterprise_id).first()
    if existing is not None and existing.status != I.WITHDRAWN:
        message = _("贵企业已对该信息表达过意向(%(status)s)") % {"status": existing.get_status_display()}
        raise ValidationError({"posting": message})
    if existing is not None:
        interest = existing
        interest.status, interest.note, interest.updated_at = I.PENDING, note, now
        interest.created_by = actor if getattr(actor, "pk", None) else None
        interest.save(update_fields=["status", "note", "updated_at", "created_by"])
        changes = {"status": [I.WITHDRAWN, I.PENDING]}
    else:
        try:
            with transaction.atomic():  # a concurrent second click fails here, not the whole transaction
                interest = Interest.objects.create(
                    posting=posting,
                    enterprise_id=actor.enterprise_id,
                    note=note,
                    status=I.PENDING,
                    created_by=actor if getattr(actor, "pk", None) else None,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError as exc:
            raise ValidationError({"posting": _("贵企业已对该信息表达过意向")}) from exc
        changes = {"status": [None, I.PENDING], "posting": [None, posting.title]}
    audit_record(
        actor=actor,
        action="interest.express",
        target=interest,
        enterprise_id=interest.enterprise_id,
        changes=changes,
        note=note,
        now=now,
    )
    names = {"enterprise": actor.enterprise.name, "title": posting.title, "owner": posting.enterprise.name}
    notify(
        enterprise_users(posting.enterprise_id),
        Text(gettext_lazy("%(enterprise)s 对您发布的「%(title)s」表达了对接意向"), names),
        body=note,
        url=posting_url(posting),
        now=now,
    )
    notify(
        town_officers(posting.enterprise.town),
        Text(gettext_lazy("%(enterprise)s 对 %(owner)s 的「%(title)s」表达了对接意向,待撮合"), names),
        body=note,
        url=posting_url(posting),
        now=now,
    )
    return interest


def _past_or_today(value, field: str, today: date, *, required: str | None = None) -> date | None:
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None
    if day is None:
        if required:
            raise ValidationError({field: required})
        return None
    if day > today:
        raise ValidationError({field: _("日期不能晚于今天(%(today)s)") % {"today": today.isoformat()}})
    return day


@transaction.atomic
def interest_broker(
    *,
    actor,
    interest: Interest,
    action: str,
    now: datetime | None = None,
    meeting_date=None,
    signed_date=None,
    amount=None,
    note: str = "",
) -> Interest:
    """An officer of the posting owner's town moves an interest on and records what came of it.

    introduce: both sides are put in touch (and told); decline: the introduction is not made (note
    required); meeting_held: the two met (meeting_date, not in the future); signed: they signed
    (signed_date required, not in the future; amount in yuan, optional, not negative); no_deal.
    """
    if action not in BROKER_ACTIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target = BROKER_ACTIONS[action]
    interest = _lock(interest)
    require(actor, "interest.broker", interest)
    refuse_unless(interest, allowed=sources)
    now = now or timezone.now()
    today = timezone.localdate(now)
    note = _clean_note(note)
    if action in NOTE_REQUIRED and not note:
        raise ValidationError({"note": _("请填写不予引荐的原因")})
    old = interest.status
    changes: dict = {"status": [old, target]}
    if action == "introduce":
        interest.broker = actor if getattr(actor, "pk", None) else None
        interest.introduced_at = now
    elif action == "meeting_held":
        day = _past_or_today(meeting_date, "meeting_date", today, required=_("请填写洽谈日期"))
        changes["meeting_date"] = [jsonable(interest.meeting_date), day.isoformat()]
        interest.meeting_date = day
    elif action == "signed":
        day = _past_or_today(signed_date, "signed_date", today, required=_("请填写签约日期"))
        try:
            money = clean_money(amount)
        except ValueError as exc:
            raise ValidationError({"amount": str(exc)}) from None
        meeting = _past_or_today(meeting_date, "meeting_date", today)
        if meeting is not None:
            interest.meeting_date = meeting
        if interest.meeting_date and day < interest.meeting_date:
            raise ValidationError({"signed_date": _("签约日期不能早于洽谈日期")})
        changes["signed_date"] = [None, day.isoformat()]
        if money is not None:
            changes["amount"] = [None, jsonable(money)]
        interest.signed_date, interest.amount = day, money
    if note:
        interest.outcome_note = note
    interest.status = target
    interest.updated_at = now
    interest.save()
    audit_record(
        actor=actor,
        action=f"interest.{action}",
        target=interest,
        enterprise_id=interest.enterprise_id,
        changes=changes,
        note=note,
        now=now,
    )
    _notify_broker(interest=interest, action=action, now=now)
    return interest


def _notify_broker(*, interest: Interest, action: str, now: datetime) -> None:
    posting = interest.posting
    names = {"owner": posting.enterprise.name, "other": interest.enterprise.name, "title": posting.title}
    owners, others = enterprise_users(posting.enterprise_id), enterprise_users(interest.enterprise_id)
    url = posting_url(posting)
    if action == "introduce":
        notify(owners, Text(gettext_lazy("已为您引荐 %(other)s,对接「%(title)s」"), names), url=url, now=now)
        notify(others, Text(gettext_lazy("已为您引荐 %(owner)s,对接「%(title)s」"), names), url=url, now=now)
    elif action == "decline":
        body = interest.outcome_note
        notify(others, Text(gettext_lazy("您对「%(title)s」的对接意向暂未引荐"), names), body=body, url=url, now=now)
    elif action == "signed":
        notify(
            owners + others,
            Text(gettext_lazy("%(owner)s 与 %(other)s 就「%(title)s」的合作已登记为签约"), names),
            url=url,
            now=now,
        )
    elif action == "no_deal":
        title = Text(gettext_lazy("%(owner)s 与 %(other)s 就「%(title)s」的对接已登记为未成交"), names)
        notify(owners + others, title, url=url, now=now)


@transaction.atomic
def interest_withdraw(*, actor, interest: Interest, now: datetime | None = None) -> Interest:
    """The interested enterprise takes back its interest while no officer has acted on it yet."""
    require(actor, "interest.create")
    interest = _lock(interest)
    if not actor.is_superuser and getattr(actor, "enterprise_id", None) != interest.enterprise_id:
        raise PermissionDenied("interest.create")
    if interest.status != I.PENDING:
        raise ValidationError(
            {"status": _("当前状态「%(status)s」不能撤回") % {"status": interest.get_status_display()}}
        )
    now = now or timezone.now()
    interest.status = I.WITHDRAWN
    interest.updated_at = now
    interest.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="interest.withdraw",
        target=interest,
        enterprise_id=interest.enterprise_id,
        changes={"status": [I.PENDING, I.WITHDRAWN]},
        now=now,
    )
    return interest
