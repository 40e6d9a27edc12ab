"""Reads of the global talent ambassadors and their leads, narrowed by the permission layer.

Officers see the ambassadors of their region and every lead of them; an ambassador sees only their own
profile and leads. Figures (an ambassador's pipeline, the leaderboard) are aggregate queries: the
number of queries does not grow with the number of ambassadors or leads.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, Rank
from django.utils import timezone

from sanlian.core.masking import mask_name
from sanlian.core.permissions import get_scoped, has_perm, scope_queryset

from .models import Ambassador, Lead, LeadEvent, TalentApplication

PIPELINE = [s.value for s in Lead.Status]
# Officers (and superusers) appoint ambassadors and see the leaderboard; ambassadors see their own.
OFFICER_ACTION = "ambassador.edit"


def is_ambassador_officer(user) -> bool:
    return has_perm(user, OFFICER_ACTION)


def ambassadors_visible(*, user, q: str = "", town: str = "") -> QuerySet[Ambassador]:
    """The ambassadors a user may see, newest appointment first; `q` searches name, organisation, field."""
    if not has_perm(user, "ambassador.view"):
        return Ambassador.objects.none()
    ambassadors = scope_queryset(user, Ambassador.objects.select_related("town", "user"))
    if q:
        ambassadors = ambassadors.filter(
            Q(name__icontains=q) | Q(organisation__icontains=q) | Q(field__icontains=q) | Q(letter_number__iexact=q)
        )
    if town:
        ambassadors = ambassadors.filter(town__code=town)
    return ambassadors.order_by("-appointed_date", "name", "pk")


def ambassador_scoped(*, user, pk: int, action: str = "ambassador.view") -> Ambassador:
    """One ambassador the user may act on; 404 when out of scope, 403 when the role never may."""
    return get_scoped(user, action, Ambassador.objects.select_related("town", "user"), pk=pk)


def ambassador_of(user) -> Ambassador | None:
    """The user's own ambassador profile, if they are an ambassador."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Ambassador.objects.select_related("town").filter(user=user).first()


def leads_visible(*, user, ambassador: Ambassador | None = None, status: str = "") -> QuerySet[Lead]:
    """The leads a user may see (of one ambassador when given), most recently moved first."""
    if not has_perm(user, "lead.view"):
        return Lead.objects.none()
    leads = scope_queryset(user, Lead.objects.select_related("ambassador", "ambassador__town", "enterprise"))
    if ambassador is not None:
        leads = leads.filter(ambassador=ambassador)
    if status:
        leads = leads.filter(status=status)
    return leads.order_by("-updated_at", "-id")


def leads_of(*, user, ambassador: Ambassador, status: str = "") -> QuerySet[Lead]:
    return leads_visible(user=user, ambassador=ambassador, status=status)


def lead_scoped(*, user, pk: int, action: str = "lead.view") -> Lead:
    """One lead the user may act on; another ambassador's lead answers 404 like a missing one."""
    queryset = Lead.objects.select_related("ambassador", "ambassador__town", "ambassador__user", "enterprise",
                                           "application", "application__level")  # fmt: skip
    return get_scoped(user, action, queryset, pk=pk)


def lead_events(*, lead: Lead) -> QuerySet[LeadEvent]:
    return lead.events.select_related("actor").order_by("created_at", "id")


def certifiable_applications(*, lead: Lead) -> list[dict]:
    """Approved talent applications of the lead's enterprise no other lead claims, with masked names.

    What an ambassador sees of them is what the public verification page shows (masked name, level,
    year), enough to pick the talent they referred.
    """
    if not lead.enterprise_id:
        return []
    claimed = Lead.objects.filter(application__isnull=False).exclude(pk=lead.pk).values("application_id")
    applications = (
        TalentApplication.objects.filter(employer_id=lead.enterprise_id, status=TalentApplication.Status.APPROVED)
        .exclude(pk__in=claimed)
        .select_related("round", "level")
        .order_by("-round__year", "name", "pk")
    )
    return [
        {"pk": a.pk, "label": f"{mask_name(a.name)} · {a.round.year} · {a.level.name}", "application": a}
        for a in applications
    ]


# Figures --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmbassadorStats:
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    landed: int = 0  # leads that ever landed (certified ones included)
    certified: int = 0

    @property
    def conversion(self) -> Decimal | None:
        """Share of the leads that landed, as a percentage with one decimal; None without leads."""
        if not self.total:
            return None
        return (Decimal(self.landed) * 100 / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in pipeline order, every status included."""
        return [(s, Lead.Status(s).label, self.by_status.get(s, 0)) for s in PIPELINE]


def ambassador_stats(ambassador: Ambassador) -> AmbassadorStats:
    """An ambassador's pipeline in one aggregate query."""
    figures = Lead.objects.filter(ambassador=ambassador).aggregate(
        total=Count("pk"),
        landed_ever=Count("pk", filter=Q(landed_at__isnull=False)),
        certified_ever=Count("pk", filter=Q(certified_at__isnull=False)),
        **{f"status_{s}": Count("pk", filter=Q(status=s)) for s in PIPELINE},
    )
    return AmbassadorStats(
        total=figures["total"],
        by_status={s: figures[f"status_{s}"] for s in PIPELINE},
        landed=figures["landed_ever"],
        certified=figures["certified_ever"],
    )


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _count(queryset: QuerySet, group: str, counted: str) -> Coalesce:
    """A correlated count per ambassador, 0 when there is none."""
    counts = queryset.order_by().values(group).annotate(n=Count(counted, distinct=True)).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def leaderboard(user, year: int | None = None) -> QuerySet[Ambassador]:
    """The ambassadors the user may see, ranked by certified, then landed, then visited leads.

    With a year, a lead counts in the year it was certified, landed or (first) visited, and the board
    lists the ambassadors whose term overlaps the year or who scored in it. Each row carries `leads`,
    `visited`, `landed`, `certified` and `rank` (equal figures share a rank), all from one query.
    """
    mine = OuterRef("pk")
    leads = Lead.objects.filter(ambassador=mine)
    visits = LeadEvent.objects.filter(lead__ambassador=mine, to_status=Lead.Status.VISITED)
    landed = leads.filter(landed_at__isnull=False)
    certified = leads.filter(certified_at__isnull=False)
    created = leads
    if year is not None:
        start, end = _year_bounds(year)
        visits = visits.filter(created_at__gte=start, created_at__lt=end)
        landed = landed.filter(landed_at__gte=start, landed_at__lt=end)
        certified = certified.filter(certified_at__gte=start, certified_at__lt=end)
        created = leads.filter(created_at__gte=start, created_at__lt=end)
    board = ambassadors_visible(user=user).annotate(
        leads_count=_count(created, "ambassador", "pk"),
        visited=_count(visits, "lead__ambassador", "lead"),
        landed=_count(landed, "ambassador", "pk"),
        certified=_count(certified, "ambassador", "pk"),
    )
    if year is not None:
        term = Q(term_start_date__year__lte=year, term_end_date__year__gte=year)
        board = board.filter(term | Q(certified__gt=0) | Q(landed__gt=0) | Q(visited__gt=0) | Q(leads_count__gt=0))
    ranking = [F("certified").desc(), F("landed").desc(), F("visited").desc()]
    return board.annotate(rank=Window(expression=Rank(), order_by=ranking)).order_by(
        "rank", "-leads_count", "name", "pk"
    )


def stats_by_ambassador(ambassador_ids) -> dict[int, dict[str, int]]:
    """{ambassador id: {"leads", "landed", "certified"}} of several ambassadors in one grouped query."""
    rows = (
        Lead.objects.filter(ambassador_id__in=list(ambassador_ids))
        .order_by()
        .values("ambassador_id")
        .annotate(
            leads=Count("pk"),
            landed=Count("pk", filter=Q(landed_at__isnull=False)),
            certified=Count("pk", filter=Q(certified_at__isnull=False)),
        )
    )
    return {row.pop("ambassador_id"): row for row in rows}
