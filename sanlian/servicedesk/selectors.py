"""Reads of service requests: what a user may see, SLA state against now, and the desk's figures."""

from datetime import datetime
from statistics import mean, median

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sanlian.core.models import Role
from sanlian.core.permissions import get_scoped, has_perm, scope_queryset
from sanlian.core.selectors import region_prefixes

from .models import Attachment, Category, RoutingRule, ServiceRequest
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


def desk_figures(region, *, year: int, now: datetime) -> dict:
    """The desk's figures for a town (or, given a district, every town under it).

    open / overdue: requests not yet closed or withdrawn / past a deadline, as of `now`, whenever submitted;
    total, median_ack_days / median_resolve_days (working days from submission to acknowledgement /
    resolution), mean_rating and rated (the mean satisfaction 1–5 and how many were rated): requests
    submitted in `year`. Working days follow the holiday calendar, so the medians are taken in Python over
    the year's rows (three columns each); open and overdue are counts in the database.
    """
    tz = timezone.get_current_timezone()
    in_region = ServiceRequest.objects.filter(enterprise__town__path__startswith=region.path)
    of_year = in_region.filter(
        submitted_at__gte=datetime(year, 1, 1, tzinfo=tz), submitted_at__lt=datetime(year + 1, 1, 1, tzinfo=tz)
    )
    rows = list(of_year.values_list("submitted_at", "acknowledged_at", "resolved_at", "rating"))
    ack = [working_days_elapsed(submitted, acked) for submitted, acked, _, _ in rows if acked]
    resolve = [working_days_elapsed(submitted, resolved) for submitted, _, resolved, _ in rows if resolved]
    ratings = [rating for *_, rating in rows if rating is not None]
    counts = in_region.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN)), overdue=Count("pk", filter=overdue_q(now))
    )
    return {
        "year": year,
        "total": len(rows),
        **counts,
        "median_ack_days": median(ack) if ack else None,
        "median_resolve_days": median(resolve) if resolve else None,
        "mean_rating": round(mean(ratings), 2) if ratings else None,
        "rated": len(ratings),
    }


def routing_rules(user) -> QuerySet:
    """The routing rules of the towns in the user's scope, town by town, the default rule first."""
    rules = scope_queryset(user, RoutingRule.objects.select_related("town", "category", "officer", "officer__region"))
    return rules.order_by("town__path", F("category__sort").asc(nulls_first=True), "category__code")


def routing_rule_for(user, pk: int) -> RoutingRule:
    return get_scoped(user, "routing.edit", RoutingRule.objects.select_related("category"), pk=pk)


def routable_officers(user):
    """Officers the user may name in a rule: active town and district officers within the user's district."""
    from sanlian.core.models import User

    region = user.region
    district_path = region_prefixes(region.path)[:2][-1] if region else ""
    officers = User.objects.filter(is_active=True, role__in=(Role.TOWN_OFFICER, Role.DISTRICT_OFFICER))
    if not user.is_superuser:
        officers = officers.filter(region__path__startswith=district_path)
    return officers.select_related("region").order_by("region__path", "display_name", "username")


def categories():
    return Category.objects.all()
