"""Writes of a recognised talent's benefits: requested → granted → paid, or rejected.

A benefit is requested by the talent or the employer's HR on an approved application whose certificate
stands, for a kind the level offers (housing purchase and rent up to the level's caps, rent as a monthly
amount; schooling and the medical green channel as services without an amount). Officers decide it
through `benefit_transition`, which locks the row, checks the step and records it.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.fields import to_yuan
from sanlian.core.i18n import Text, choice_label
from sanlian.core.locks import lock_row, refuse_unless
from sanlian.core.models import Role, User
from sanlian.core.permissions import require
from sanlian.core.selectors import officers_covering
from sanlian.core.services import audit_record, notification_send

from ..certificate_selectors import MONEY_KINDS, benefit_cap, benefit_kinds_offered
from ..models import Benefit, Certificate, TalentApplication

__all__ = ["ACTION_LABELS", "BENEFIT_TRANSITIONS", "OPEN_STATUSES", "benefit_request", "benefit_transition"]

S = Benefit.Status
OPEN_STATUSES = frozenset({S.REQUESTED, S.GRANTED})
# action → (statuses it may leave from, status it leads to)
BENEFIT_TRANSITIONS = {
    "grant": (frozenset({S.REQUESTED}), S.GRANTED),
    "reject": (frozenset({S.REQUESTED, S.GRANTED}), S.REJECTED),
    "pay": (frozenset({S.GRANTED}), S.PAID),
}
ACTION_LABELS = {"grant": gettext_lazy("批准"), "reject": gettext_lazy("不予批准"), "pay": gettext_lazy("发放")}


def _amount(value, field: str = "amount") -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = to_yuan(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    if amount <= 0:
        raise ValidationError({field: _("金额必须大于 0")})
    return amount


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _live_certificate(application: TalentApplication) -> Certificate:
    certificate = Certificate.objects.filter(application_id=application.pk).first()
    if certificate is None:
        raise ValidationError({"application": _("该申报尚未颁发证书,不能申请待遇")})
    if certificate.revoked_at is not None:
        raise ValidationError({"application": _("该人才证书已撤销,不能申请或发放待遇")})
    return certificate


def _town_officers(application: TalentApplication) -> list[User]:
    """Active town officers whose region covers the employer's town (they handle the benefit first)."""
    return officers_covering(application.employer.town.path, Role.TOWN_OFFICER)


def _url() -> str:
    return reverse("talent:benefits")


@transaction.atomic
def benefit_request(
    *, actor, application: TalentApplication, kind: str, amount=None, note: str = "", now: datetime
) -> Benefit:
    """Request a benefit the application's level offers; money kinds need an amount within the cap."""
    application = (
        TalentApplication.objects.select_for_update(of=("self",))
        .select_related("level", "round", "employer", "employer__town")
        .get(pk=application.pk)
    )
    require(actor, "benefit.request", application)
    if application.status != TalentApplication.Status.APPROVED:
        raise ValidationError({"application": _("只有已认定的人才才能申请待遇")})
    _live_certificate(application)
    if kind not in Benefit.Kind.values:
        raise ValidationError({"kind": _("未知的待遇类型")})
    level = application.level
    label = Benefit.Kind(kind).label
    if kind not in benefit_kinds_offered(level):
        raise ValidationError({"kind": _("「%(level)s」层次不享受%(kind)s") % {"level": level.name, "kind": label}})
    amount = _amount(amount)
    if kind in MONEY_KINDS:
        cap = benefit_cap(level, kind)
        if amount is None:
            raise ValidationError({"amount": _("请填写申请金额(元)")})
        if amount > cap:
            if kind == Benefit.Kind.RENT:
                message = _("租房补贴每月不超过 %(cap)s 元") % {"cap": _money(cap)}
            else:
                message = _("%(kind)s不超过 %(cap)s 元") % {"kind": label, "cap": _money(cap)}
            raise ValidationError({"amount": message})
    elif amount is not None:
        raise ValidationError({"amount": _("%(kind)s无需填写金额") % {"kind": label}})
    if Benefit.objects.filter(application=application, kind=kind, status__in=OPEN_STATUSES).exists():
        raise ValidationError({"kind": _("已有一笔办理中的%(kind)s,请待其办结后再申请") % {"kind": label}})
    benefit = Benefit.objects.create(
        application=application,
        kind=kind,
        amount_requested=amount,
        note=(note or "").strip(),
        requested_at=now,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="benefit.request",
        target=benefit,
        enterprise_id=application.employer_id,
        changes={
            "status": [None, benefit.status],
            "kind": [None, kind],
            "amount_requested": [None, str(amount) if amount is not None else None],
        },
        note=benefit.note,
        now=now,
    )
    officers = _town_officers(application)
    if officers:
        notification_send(
            recipients=officers,
            title=Text(
                gettext_lazy("%(name)s(%(employer)s)申请%(kind)s,待审批"),
                {"name": application.name, "employer": application.employer.name, "kind": label},
            ),
            url=_url(),
            now=now,
        )
    return benefit


def _check_grant(benefit: Benefit, amount: Decimal | None) -> Decimal | None:
    if benefit.kind not in MONEY_KINDS:
        if amount is not None:
            raise ValidationError({"amount": _("%(kind)s无需填写金额") % {"kind": benefit.get_kind_display()}})
        return None
    amount = amount if amount is not None else benefit.amount_requested
    if amount > benefit.amount_requested:
        raise ValidationError(
            {"amount": _("批准金额不能超过申请金额 %(amount)s 元") % {"amount": _money(benefit.amount_requested)}}
        )
    return amount


def _check_pay(benefit: Benefit, amount: Decimal | None, paid_date: date | None, today: date) -> Decimal | None:
    if paid_date is None:
        raise ValidationError({"paid_date": _("请填写发放日期")})
    if not isinstance(paid_date, date) or isinstance(paid_date, datetime):
        raise ValidationError({"paid_date": _("发放日期无效")})
    if paid_date > today:
        raise ValidationError({"paid_date": _("发放日期不能晚于今天(%(today)s)") % {"today": today.isoformat()}})
    if benefit.kind not in MONEY_KINDS:
        if amount is not None:
            raise ValidationError({"amount": _("%(kind)s无需填写金额") % {"kind": benefit.get_kind_display()}})
        return None
    amount = amount if amount is not None else benefit.amount_granted
    if amount > benefit.amount_granted:
        raise ValidationError(
            {"amount": _("发放金额不能超过批准金额 %(amount)s 元") % {"amount": _money(benefit.amount_granted)}}
        )
    return amount


@transaction.atomic
def benefit_transition(
    *,
    actor,
    benefit: Benefit,
    action: str,
    amount=None,
    paid_date: date | None = None,
    note: str = "",
    now: datetime,
) -> Benefit:
    """Grant (amount ≤ requested), reject (with a note) or pay (amount ≤ granted, on a date not in the future).

    An omitted amount grants what was requested, or pays what was granted.
    """
    if action not in BENEFIT_TRANSITIONS:
        raise ValidationError({"action": _("未知操作")})
    sources, target = BENEFIT_TRANSITIONS[action]
    related = ["application", "application__employer__town", "requested_by", "application__applicant"]
    benefit = lock_row(Benefit, benefit.pk, related=related)
    require(actor, "benefit.decide", benefit)
    refuse_unless(benefit, allowed=sources)
    note = (note or "").strip()
    amount = _amount(amount)
    application = benefit.application
    old_status = benefit.status
    changes: dict = {"status": [old_status, target]}
    if action == "reject":
        if not note:
            raise ValidationError({"note": _("请填写不予批准的理由")})
        benefit.decided_at, benefit.decided_by = now, actor
    else:
        _live_certificate(application)
        if action == "grant":
            granted = _check_grant(benefit, amount)
            benefit.amount_granted = granted
            benefit.decided_at, benefit.decided_by = now, actor
            changes["amount_granted"] = [None, str(granted) if granted is not None else None]
        else:
            paid = _check_pay(benefit, amount, paid_date, timezone.localdate(now))
            benefit.amount_paid, benefit.paid_date = paid, paid_date
            changes["amount_paid"] = [None, str(paid) if paid is not None else None]
            changes["paid_date"] = [None, paid_date.isoformat()]
    benefit.status = target
    if note:
        # The model has one note: decisions are appended under their name, so the requester sees why.
        line = f"{ACTION_LABELS[action]}:{note}"
        benefit.note = f"{benefit.note}\n{line}" if benefit.note else line
    benefit.save()
    audit_record(
        actor=actor,
        action=f"benefit.{action}",
        target=benefit,
        enterprise_id=application.employer_id,
        changes=changes,
        note=note,
        now=now,
    )
    _notify(benefit, action, note, now)
    return benefit


def _notify(benefit: Benefit, action: str, note: str, now: datetime) -> None:
    recipients = []
    for user in (benefit.requested_by, benefit.application.applicant):
        if user is not None and user.is_active and user.pk not in {u.pk for u in recipients}:
            recipients.append(user)
    if not recipients:
        return
    names = {"name": benefit.application.name, "kind": choice_label(benefit, "kind")}
    titles = {
        "grant": gettext_lazy("%(name)s 的%(kind)s申请已批准"),
        "reject": gettext_lazy("%(name)s 的%(kind)s申请未获批准"),
        "pay": gettext_lazy("%(name)s 的%(kind)s已发放"),
    }
    url = ""
    certificate = Certificate.objects.filter(application_id=benefit.application_id).only("pk").first()
    if certificate is not None:
        url = reverse("talent:certificate", kwargs={"pk": certificate.pk})
    notification_send(recipients=recipients, title=Text(titles[action], names), body=note, url=url, now=now)
