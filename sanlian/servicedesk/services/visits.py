"""Writes of officers' visits (走访): recording a visit with its notes and red flags.

A visit is recorded by an officer whose scope covers the enterprise's town. When another officer
visited the same enterprise within RECENT_DAYS of the new visit's date, the first attempt is refused
with a warning (code "recent_visit") and goes through only when the caller acknowledges it. Any red
flag notifies the town's other officers.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.i18n import Text
from sanlian.core.models import OFFICER_ROLES, User
from sanlian.core.permissions import require
from sanlian.core.services import audit_record, notification_send

from ..models import Visit

RECENT_DAYS = 30
NOTES_MIN = 10
NOTES_MAX = 4000


def _clean_date(value, errors: dict) -> date | None:
    if value in (None, ""):
        errors["visited_date"] = _("请填写走访日期")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors["visited_date"] = _("日期格式应为 YYYY-MM-DD")
        return None


def _clean_flags(value, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        errors["flags"] = _("风险提示格式不正确")
        return []
    chosen = {str(v) for v in value if v not in (None, "")}
    unknown = sorted(chosen - set(Visit.Flag.values))
    if unknown:
        errors["flags"] = _("未知的风险提示「%(value)s」") % {"value": "、".join(unknown)}
        return []
    return [flag for flag in Visit.Flag.values if flag in chosen]  # the model's order, no duplicates


def clean_visit_data(enterprise, data: dict, today: date) -> dict:
    """The visit's fields, checked; ValidationError names every faulty field."""
    errors: dict[str, str] = {}
    visited_date = _clean_date(data.get("visited_date"), errors)
    if visited_date is not None:
        if visited_date > today:
            errors["visited_date"] = _("走访日期不能晚于今天")
        elif enterprise.founded_date and visited_date < enterprise.founded_date:
            errors["visited_date"] = _("走访日期不能早于企业成立日期(%(date)s)") % {
                "date": enterprise.founded_date.isoformat()
            }
    notes = str(data.get("notes") or "").strip()
    if not NOTES_MIN <= len(notes) <= NOTES_MAX:
        errors["notes"] = _("走访记录应为 %(min)s–%(max)s 个字") % {"min": NOTES_MIN, "max": NOTES_MAX}
    flags = _clean_flags(data.get("flags"), errors)
    if errors:
        raise ValidationError(errors)
    return {"visited_date": visited_date, "notes": notes, "flags": flags}


def recent_visit_by_other(*, actor, enterprise, visited_date: date) -> Visit | None:
    """The latest visit of another officer within RECENT_DAYS of `visited_date`, if any."""
    window = timedelta(days=RECENT_DAYS)
    return (
        Visit.objects.filter(
            enterprise=enterprise,
            visited_date__gte=visited_date - window,
            visited_date__lte=visited_date + window,
        )
        .exclude(officer=actor)
        .select_related("officer")
        .order_by("-visited_date", "-id")
        .first()
    )


def _visit_url(visit: Visit) -> str:
    try:
        return reverse("servicedesk:visit", kwargs={"pk": visit.pk})
    except NoReverseMatch:  # the routes are not mounted (e.g. a URLconf without the desk)
        return ""


def _notify_flags(*, actor, visit: Visit, enterprise, now: datetime) -> None:
    recipients = list(
        User.objects.filter(region_id=enterprise.town_id, role__in=OFFICER_ROLES, is_active=True).exclude(pk=actor.pk)
    )
    if not recipients:
        return
    labels = [Visit.Flag(flag).label for flag in visit.flags]  # joined in the reader's language
    notification_send(
        recipients=recipients,
        title=Text(
            gettext_lazy("走访风险提示:%(enterprise)s(%(flags)s)"), {"enterprise": enterprise.name, "flags": labels}
        ),
        body=Text(
            gettext_lazy("%(officer)s 于 %(date)s 走访时记录了风险提示。"),
            {"officer": str(actor), "date": visit.visited_date.isoformat()},
        ),
        url=_visit_url(visit),
        now=now,
    )


@transaction.atomic
def visit_record(
    *, actor, enterprise, data: dict, now: datetime | None = None, acknowledge_recent: bool = False
) -> Visit:
    """Record an officer's visit to an enterprise in their scope.

    `data`: visited_date (date or YYYY-MM-DD), notes (10–4,000 characters), flags (Visit.Flag values).
    """
    require(actor, "visit.record", enterprise)
    now = now or timezone.now()
    # The enterprise's row serialises concurrent records, so two officers cannot both miss each other's visit.
    enterprise = type(enterprise).objects.select_for_update().get(pk=enterprise.pk)
    clean = clean_visit_data(enterprise, data, timezone.localdate(now))
    recent = recent_visit_by_other(actor=actor, enterprise=enterprise, visited_date=clean["visited_date"])
    if recent is not None and not acknowledge_recent:
        message = _("该企业已于 %(date)s 由 %(officer)s 走访") % {
            "date": recent.visited_date.isoformat(),
            "officer": str(recent.officer) if recent.officer else _("其他人员"),
        }
        raise ValidationError({"visited_date": [ValidationError(message, code="recent_visit")]})
    visit = Visit.objects.create(enterprise=enterprise, officer=actor, created_at=now, **clean)
    audit_record(
        actor=actor,
        action="visit.record",
        target=visit,
        enterprise_id=enterprise.pk,
        changes={
            "visited_date": clean["visited_date"].isoformat(),
            "flags": clean["flags"],
            "acknowledged_recent_visit": recent.pk if recent is not None else None,
        },
        now=now,
    )
    if visit.flags:
        _notify_flags(actor=actor, visit=visit, enterprise=enterprise, now=now)
    return visit
