"""Reads of service requests: what a user may see, SLA state against now, and the desk's figures."""

from datetime import datetime
from statistics import mean, median

from django.db.models import Q, QuerySet
from django.utils import timezone

from sanlian.core.models import Role
from sanlian.core.permissions import get_scoped, has_perm, scope_queryset

from .models import Attachment, ServiceRequest
from .services.requests import OPEN, UNRESOLVED, working_days_elapsed

Status = ServiceRequest.Status


def visible_requests(user) -> QuerySet:
    """An enterprise's own requests; an officer's in the region; nothing for anyone else."""
    if not has_perm(user, "request.view"):
        return ServiceRequest.objects.none()
    return scope_queryset(user, ServiceRequest.objects.select_related("enterprise", "category", "assigned_to"))


def overdue_q(now: datetime) -> Q:
    """Unresolved and past the resolve deadline, or unacknowledged and past the acknowledge deadline."""
    return Q(status__in=UNRESOLVED, resolve_due_at__lt=now) | Q(status=Status.SUBMITTED, ack_due_at__lt=now)


def officer_requests(
    user, *, now: datetime, status: str = "", category: str = "", overdue: bool = False, mine: bool = False
) -> QuerySet:
    requests = visible_requests(user)
    if status in Status.values:
        requests = requests.filter(status=status)
    if category:
        requests = requests.filter(category__code=category)
    if overdue:
        requests = requests.filter(overdue_q(now))
    if mine:
        requests = requests.filter(assigned_to=user)
    return requests


def request_for(user, pk: int) -> ServiceRequest:
    queryset = ServiceRequest.objects.select_related(
        "enterprise", "enterprise__town", "category", "assigned_to", "submitted_by", "provider", "provider_service"
    )
    return get_scoped(user, "request.view", queryset, pk=pk)


def attachment_for(user, pk: int) -> Attachment:
    return get_scoped(user, "request.view", Attachment.objects.select_related("request"), pk=pk)


def _clock(due: datetime, done: datetime | None, now: datetime) -> dict:
    """One deadline: met or missed once done; otherwise working days left (剩余) or over (超期)."""
    if done is not None:
        return {"due": due, "done": True, "late": done > due, "overdue": False, "days": 0}
    if now <= due:
        return {"due": due, "done": False, "late": False, "overdue": False, "days": working_days_elapsed(now, due)}
    # Working days begun since the deadline passed (the day after a 18:00 deadline is the first).
    return {"due": due, "done": False, "late": True, "overdue": True, "days": working_days_elapsed(due, now) + 1}


def sla_state(request: ServiceRequest, now: datetime) -> dict:
    """The acknowledge and resolve clocks of a request as of `now`."""
    stopped = request.status in (Status.WITHDRAWN,)
    ack_done = request.acknowledged_at or (now if stopped else None)
    resolve_done = request.resolved_at or request.closed_at or (now if stopped else None)
    state = {
        "ack": _clock(request.ack_due_at, ack_done, now),
        "resolve": _clock(request.resolve_due_at, resolve_done, now),
    }
    state["overdue"] = state["ack"]["overdue"] or state["resolve"]["overdue"]
    return state


def is_overdue(request: ServiceRequest, now: datetime) -> bool:
    if request.status not in UNRESOLVED:
        return False
    return request.resolve_due_at < now or (request.status == Status.SUBMITTED and request.ack_due_at < now)


def assignable_officers(request: ServiceRequest):
    from sanlian.core.models import User

    officers = User.objects.filter(is_active=True, role__in=(Role.TOWN_OFFICER, Role.DISTRICT_OFFICER))
    return [user for user in officers.select_related("region") if has_perm(user, "request.handle", request)]


def desk_figures(town, year: int, now: datetime) -> dict:
    """The desk's figures for a town (or, given a district, every town under it) and a year.

    open / overdue: requests of the year not yet closed or withdrawn / past a deadline now; median_ack_days /
    median_resolve_days: median working days from submission to acknowledgement / resolution; mean_rating and
    rated: the mean satisfaction (1–5) and how many requests were rated.
    """
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    requests = ServiceRequest.objects.filter(
        enterprise__town__path__startswith=town.path, submitted_at__gte=start, submitted_at__lt=end
    )
    rows = list(requests.values("status", "submitted_at", "acknowledged_at", "resolved_at", "rating"))
    ack = [working_days_elapsed(r["submitted_at"], r["acknowledged_at"]) for r in rows if r["acknowledged_at"]]
    resolve = [working_days_elapsed(r["submitted_at"], r["resolved_at"]) for r in rows if r["resolved_at"]]
    ratings = [r["rating"] for r in rows if r["rating"] is not None]
    return {
        "total": len(rows),
        "open": sum(r["status"] in OPEN for r in rows),
        "overdue": requests.filter(overdue_q(now)).count(),
        "median_ack_days": median(ack) if ack else None,
        "median_resolve_days": median(resolve) if resolve else None,
        "mean_rating": round(mean(ratings), 2) if ratings else None,
        "rated": len(ratings),
    }
