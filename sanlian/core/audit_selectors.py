"""Reads of the audit trail: who may see which events, and the officers' search."""

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent, Role, User
from .permissions import _region_path, has_perm, scope_queryset


def visible_events(user) -> QuerySet:
    """The events an officer may read: district officers and superusers all of them; a town officer those about
    the enterprises of the town and those by the town's users (its officers and its enterprises' users)."""
    events = AuditEvent.objects.all()
    if not has_perm(user, "audit.view"):
        return events.none()
    if user.is_superuser or user.role == Role.DISTRICT_OFFICER:
        return events
    region_path = _region_path(user)
    if region_path is None:
        return events.none()
    # The registry is another app: its model is looked up by name, scoped by the one permission layer.
    enterprises = scope_queryset(user, apps.get_model("enterprises", "Enterprise")._default_manager.all())
    enterprise_ids = enterprises.values("pk")
    users = User.objects.filter(Q(region__path__startswith=region_path) | Q(enterprise__in=enterprise_ids))
    return events.filter(Q(enterprise_id__in=enterprise_ids) | Q(actor__in=users.values("pk")))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_events(
    events: QuerySet,
    *,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    enterprise_id: int | None = None,
    ip: str = "",
    result: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """Narrow `events` by the search page's filters; dates are local days, both ends included."""
    if actor:
        events = events.filter(actor_username__icontains=actor)
    if action:
        events = events.filter(action__startswith=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if enterprise_id is not None:
        events = events.filter(enterprise_id=enterprise_id)
    if ip:
        events = events.filter(ip=ip)
    if result:
        events = events.filter(result=result)
    if date_from is not None:
        events = events.filter(created_at__gte=_day_start(date_from))
    if date_to is not None:
        events = events.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return events.order_by("-created_at", "-id")
