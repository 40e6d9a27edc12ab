"""Reads of the officers' talent pages (rounds, the application list, notices, key enterprises) and of
the public notice pages; every read goes through the permission layer, and nothing here writes."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.masking import mask_name
from sanlian.core.permissions import scope_queryset
from sanlian.core.selectors import region_prefixes
from sanlian.enterprises.models import Certification, CertificationType, Enterprise
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE

from .facts import DEGREES, FACTS_BY_NAME
from .models import Notice, ReviewAssignment, Round, Route, TalentApplication
from .services.reviews import scoring_complete

Status = TalentApplication.Status
STATUS_ORDER = [s.value for s in Status]
ROUND_STATUS_ORDER = [s.value for s in Round.Status]
# Applications a public notice keeps listing: still on notice, or recognised after it.
NOTICE_LISTED = (Status.NOTICE, Status.APPROVED)
OP_TEXT = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "==": "=",
    "!=": "≠",
    "in": "∈",
    "not in": "∉",
    "contains": "∋",
    "not contains": "∌",
    "contains any": "∋",
}
GROUPS = {
    "all": gettext_lazy("以下条件全部满足"),
    "any": gettext_lazy("以下条件满足其一"),
    "not": gettext_lazy("不满足以下条件"),
}


# Rounds ---------------------------------------------------------------------------------------------


def _round_visibility(user) -> Q | None:
    """Rounds of the officer's region or above it (a town sees its district's rounds); None: none."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Q()
    if not user.is_officer or not user.region_id:
        return None
    path = user.region.path
    return Q(region__path__startswith=path) | Q(region__path__in=region_prefixes(path))


def rounds_visible(user) -> QuerySet[Round]:
    where = _round_visibility(user)
    if where is None:
        return Round.objects.none()
    return Round.objects.filter(where).select_related("region").order_by("-year")


def round_visible(user, year: int) -> Round:
    """One round the officer may see; 404 otherwise (missing and out of sight look the same)."""
    round_ = rounds_visible(user).prefetch_related("levels", "quotas", "scoring_items").filter(year=year).first()
    if round_ is None:
        raise Http404
    return round_


def latest_round() -> Round | None:
    return Round.objects.select_related("region").order_by("-year").first()


def round_counts(user, round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Applications in the user's scope per round and status, in one aggregate query."""
    rows = (
        scope_queryset(user, TalentApplication.objects.filter(round_id__in=round_ids))
        .order_by()
        .values_list("round_id", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {}
    for round_id, status, n in rows:
        counts.setdefault(round_id, {})[status] = n
    return counts


def status_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) in workflow order, only statuses that occur."""
    return [(s, Status(s).label, counts[s]) for s in STATUS_ORDER if counts.get(s)]


def _fact_label(name: str) -> str:
    fact = FACTS_BY_NAME.get(name)
    return str(fact.label) if fact else name


def _value_text(fact_name: str, value) -> str:
    if isinstance(value, dict) and "param" in value:
        return _("参数 %(p)s") % {"p": value["param"]}
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if fact_name == "degree":
        if isinstance(value, list):
            return "、".join(str(DEGREES.get(v, v)) for v in value)
        return str(DEGREES.get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    fact = FACTS_BY_NAME.get(fact_name)
    unit = str(fact.unit) if fact and fact.unit else ""
    return f"{value} {unit}".strip()


def rule_rows(tree, depth: int = 0) -> list[dict]:
    """A round's or level's criteria as table rows: groups as headings, criteria as label · op · value."""
    if not tree or not isinstance(tree, dict):
        return []
    for kind in ("all", "any"):
        if kind in tree:
            rows = [{"kind": "group", "depth": depth, "text": str(GROUPS[kind])}]
            for child in tree[kind] or []:
                rows.extend(rule_rows(child, depth + 1))
            return rows
    if "not" in tree:
        return [{"kind": "group", "depth": depth, "text": str(GROUPS["not"])}, *rule_rows(tree["not"], depth + 1)]
    fact = str(tree.get("fact", ""))
    return [
        {
            "kind": "criterion",
            "depth": depth,
            "label": tree.get("label") or _fact_label(fact),
            "fact": _fact_label(fact),
            "op": OP_TEXT.get(tree.get("op"), tree.get("op", "")),
            "value": _value_text(fact, tree.get("value")),
        }
    ]


def round_overview(round_: Round) -> dict:
    """Everything a round configures, ready for its page."""
    return {
        "routes": [(code, Route(code).label if code in Route.values else code) for code in round_.routes],
        "rule": rule_rows(round_.rule),
        "levels": [{"level": level, "criteria": rule_rows(level.rule)} for level in round_.levels.all()],
        "quotas": list(round_.quotas.all()),
        "scoring": list(round_.scoring_items.all()),
        "scoring_total": sum(item.max_score for item in round_.scoring_items.all()),
        "materials": round_.materials,
        "types": round_.types,
    }


# Applications ---------------------------------------------------------------------------------------


def applications_for_officer(
    user, *, year: int | None = None, status: str = "", level: str = "", town: str = "", q: str = ""
) -> QuerySet[TalentApplication]:
    """The officer's applications (scope of the permission layer), filtered; ordered for paging."""
    applications = scope_queryset(user, TalentApplication.objects.all())
    if year:
        applications = applications.filter(round__year=year)
    if status:
        applications = applications.filter(status=status)
    if level:
        applications = applications.filter(level__code=level)
    if town:
        applications = applications.filter(employer__town__code=town)
    if q:
        applications = applications.filter(employer__name__icontains=q)
    return applications.select_related("round", "level", "employer", "employer__town").order_by(
        "-round__year", "-updated_at", "-id"
    )


def status_counts(applications: QuerySet) -> dict[str, int]:
    return dict(applications.order_by().values_list("status").annotate(n=Count("pk")))


def type_names(round_: Round) -> dict[str, str]:
    return {t["code"]: t["name"] for t in round_.types or []}


def application_rows(applications) -> list[dict]:
    """Rows of the officers' list: the name masked, the rest as the list shows it."""
    return [
        {
            "application": a,
            "name": mask_name(a.name),
            "talent_type": type_names(a.round).get(a.talent_type, a.talent_type),
        }
        for a in applications
    ]


def level_codes(user) -> list[tuple[str, str]]:
    """(code, name) of every level of the rounds the officer sees, for the filter."""
    seen: dict[str, str] = {}
    for code, name in (
        rounds_visible(user).values_list("levels__code", "levels__name").order_by("-year", "levels__order")
    ):
        if code and code not in seen:
            seen[code] = name
    return list(seen.items())


# Notices --------------------------------------------------------------------------------------------


def notice_candidates(user, round_: Round) -> list[TalentApplication]:
    """The round's applications in district review, in the officer's scope, whose scoring is complete."""
    applications = (
        scope_queryset(user, TalentApplication.objects.filter(round=round_, status=Status.DISTRICT_REVIEW))
        .select_related("level", "employer", "employer__town")
        .prefetch_related("reviews")
        .order_by("-score", "pk")
    )
    return [a for a in applications if scoring_complete(a)]


def candidate_rows(round_: Round, candidates: list[TalentApplication], chosen) -> list[dict]:
    chosen = {str(pk) for pk in chosen}
    types = type_names(round_)
    return [
        {
            "application": a,
            "name": mask_name(a.name),
            "talent_type": types.get(a.talent_type, a.talent_type),
            "reviews": sum(1 for r in a.reviews.all() if r.status == ReviewAssignment.Status.SUBMITTED),
            "checked": str(a.pk) in chosen,
        }
        for a in candidates
    ]


def in_district_review(user, round_: Round) -> int:
    applications = scope_queryset(user, TalentApplication.objects.filter(round=round_, status=Status.DISTRICT_REVIEW))
    return applications.count()


def notices_public() -> QuerySet[Notice]:
    return (
        Notice.objects.select_related("round")
        .annotate(listed=Count("applications", filter=Q(applications__status__in=NOTICE_LISTED)))
        .order_by("-start_date", "-id")
    )


def notice_public(pk: int) -> Notice:
    notice = Notice.objects.select_related("round").filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_rows(notice: Notice) -> list[dict]:
    """What the public may know of each listed person: masked name, employer, level, talent type."""
    types = type_names(notice.round)
    applications = (
        notice.applications.filter(status__in=NOTICE_LISTED)
        .select_related("level", "employer")
        .order_by("level__order", "employer__name", "pk")
    )
    return [
        {
            "name": mask_name(a.name),
            "employer": a.employer.name,
            "level": a.level.name,
            "talent_type": types.get(a.talent_type, a.talent_type),
        }
        for a in applications
    ]


# Key enterprises ------------------------------------------------------------------------------------


def key_designations(user, *, year: int, town: str = "") -> QuerySet[Certification]:
    """The year's key-enterprise designations (registry certifications) in the officer's scope."""
    key_type = CertificationType.objects.filter(code=KEY_ENTERPRISE_TYPE).values("pk")
    designations = scope_queryset(user, Certification.objects.filter(type__in=key_type, year=year))
    if town:
        designations = designations.filter(enterprise__town__code=town)
    return designations.select_related("enterprise", "enterprise__town", "talent_terms").order_by(
        "enterprise__name", "id"
    )


def designation_totals(designations: QuerySet[Certification]) -> dict:
    totals = designations.order_by().aggregate(
        total=Count("enterprise", distinct=True),
        biomedical=Count("enterprise", distinct=True, filter=Q(enterprise__is_biomedical=True)),
    )
    totals["share"] = round(totals["biomedical"] / totals["total"] * 100, 1) if totals["total"] else None
    return totals


def designation_years(user) -> list[int]:
    key_type = CertificationType.objects.filter(code=KEY_ENTERPRISE_TYPE).values("pk")
    years = scope_queryset(user, Certification.objects.filter(type__in=key_type, year__isnull=False))
    return sorted(set(years.order_by().values_list("year", flat=True).distinct()), reverse=True)


def designation_for(user, pk: int) -> Certification:
    key_type = CertificationType.objects.filter(code=KEY_ENTERPRISE_TYPE).values("pk")
    certification = (
        scope_queryset(user, Certification.objects.filter(type__in=key_type))
        .select_related("enterprise", "enterprise__town")
        .filter(pk=pk)
        .first()
    )
    if certification is None:
        raise Http404
    return certification


def enterprises_matching(user, text: str, limit: int = 20) -> list[Enterprise]:
    """Enterprises in the officer's scope whose USCC is `text` or whose name contains it."""
    text = (text or "").strip()
    if not text:
        return []
    enterprises = scope_queryset(user, Enterprise.objects.all()).select_related("town")
    exact = list(enterprises.filter(Q(uscc=text.upper()) | Q(name=text))[:2])
    if len(exact) == 1:
        return exact
    return list(enterprises.filter(name__icontains=text).order_by("name", "id")[:limit])
