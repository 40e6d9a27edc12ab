"""Reads of officers' visits (走访): the scoped list, the latest visit per enterprise and a town's figures."""

from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from sanlian.core.models import OFFICER_ROLES, User
from sanlian.core.permissions import get_scoped, scope_queryset
from sanlian.enterprises.models import Enterprise, Region

from .models import Visit


def visits_visible(user, *, flag: str = "", officer: int | None = None, year: int | None = None) -> QuerySet[Visit]:
    """The visits an officer may see (by the enterprise's town), newest first, optionally filtered."""
    visits = scope_queryset(user, Visit.objects.select_related("enterprise", "enterprise__town", "officer"))
    if flag:
        visits = visits.filter(_has_flag(flag))
    if officer:
        visits = visits.filter(officer_id=officer)
    if year:
        visits = visits.filter(visited_date__year=year)
    return visits.order_by("-visited_date", "-id")


def visit_for(user, pk: int) -> Visit:
    """One visit the user may see: 403 for roles without visit.view, 404 when missing or out of scope."""
    return get_scoped(
        user, "visit.view", Visit.objects.select_related("enterprise", "enterprise__town", "officer"), pk=pk
    )


def latest_visits(user) -> QuerySet[Visit]:
    """The latest visit of each enterprise in the user's scope (one row per visited enterprise)."""
    latest = Visit.objects.filter(enterprise=OuterRef("enterprise")).order_by("-visited_date", "-id").values("pk")[:1]
    return visits_visible(user).filter(pk=Subquery(latest))


def latest_visit(enterprise) -> Visit | None:
    return (
        Visit.objects.filter(enterprise=enterprise).select_related("officer").order_by("-visited_date", "-id").first()
    )


def visit_officers(user) -> QuerySet[User]:
    """Officers who recorded a visit the user may see (the list's officer filter)."""
    officer_ids = scope_queryset(user, Visit.objects.all()).order_by().values("officer_id")
    return User.objects.filter(pk__in=officer_ids, role__in=OFFICER_ROLES).order_by("display_name", "username")


def visit_years(user) -> list[int]:
    dates = scope_queryset(user, Visit.objects.all()).order_by().dates("visited_date", "year", order="DESC")
    return [d.year for d in dates]


def _has_flag(flag: str) -> Q:
    """Whether a visit's flags list holds `flag`, portable to SQLite (which has no JSON `contains`).

    The service stores each flag at most once, so a list is never longer than the number of flags.
    """
    return reduce(or_, (Q(**{f"flags__{i}": flag}) for i in range(len(Visit.Flag.values))))


def visit_figures(town: Region, year: int) -> dict:
    """A town's (or any region's) visits in `year`: counts, the biomedical cluster's coverage, flags.

    Keys: visits, biomedical_visited (distinct biomedical enterprises of the region visited that year),
    biomedical_total, biomedical_share (percent, one decimal; None without biomedical enterprises),
    flags ({flag code: number of visits carrying it}). Two aggregate queries.
    """
    in_region = Q(enterprise__town__path__startswith=town.path)
    counts = (
        Visit.objects.filter(in_region, visited_date__year=year)
        .order_by()
        .aggregate(
            visits=Count("pk"),
            biomedical_visited=Count("enterprise", distinct=True, filter=Q(enterprise__is_biomedical=True)),
            **{f"flag_{flag}": Count("pk", filter=_has_flag(flag)) for flag in Visit.Flag.values},
        )
    )
    total = Enterprise.objects.filter(town__path__startswith=town.path, is_biomedical=True).count()
    visited = counts["biomedical_visited"]
    return {
        "visits": counts["visits"],
        "biomedical_visited": visited,
        "biomedical_total": total,
        "biomedical_share": round(visited / total * 100, 1) if total else None,
        "flags": {flag: counts[f"flag_{flag}"] for flag in Visit.Flag.values},
    }


def enterprise_for_visit(user, pk) -> Enterprise:
    """The enterprise a visit is recorded for: 403 without visit.record, 404 when missing or out of scope."""
    return get_scoped(user, "visit.record", Enterprise.objects.select_related("town"), pk=pk)


def enterprises_to_visit(user, search: str, limit: int = 20) -> list[Enterprise]:
    """Enterprises in the user's scope whose name or USCC matches `search`."""
    search = search.strip()
    if not search:
        return []
    found = scope_queryset(user, Enterprise.objects.select_related("town")).filter(
        Q(name__icontains=search) | Q(uscc=search.upper())
    )
    return list(found.order_by("name", "id")[:limit])
