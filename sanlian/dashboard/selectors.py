"""Cockpit figures of a town, each computed from records by one aggregate query.

Definitions (the README repeats them):
- an enterprise counts "as of year Y" when it was founded by 31 Dec Y (or its founding date is unknown);
- revenue of a year is the sum of the approved annual reports of that year;
- the district of a town is its parent region; the share is the town's biomedical enterprises over the
  district's, both as of year Y;
- key enterprises are holders of the 春申 key-enterprise certification of year Y (all industries).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, gettext, override

from sanlian.core.permissions import require
from sanlian.core.selectors import registry_version
from sanlian.enterprises.models import AnnualReport, Certification, Cluster, Enterprise, Region
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE, latest_report_year, towns_for

FIRST_YEAR = 2019
COCKPIT_CACHE_SECONDS = 600
TOP_N = 10
APPROVED = AnnualReport.Status.APPROVED


@dataclass(frozen=True)
class CockpitScope:
    town: Region
    year: int

    @property
    def years(self) -> list[int]:
        return list(range(FIRST_YEAR, self.year + 1))


def _existing(qs: QuerySet, year: int, prefix: str = "") -> QuerySet:
    founded = f"{prefix}founded_date"
    return qs.filter(Q(**{f"{founded}__isnull": True}) | Q(**{f"{founded}__lte": date(year, 12, 31)}))


def biomedical_enterprises(town: Region, year: int) -> QuerySet[Enterprise]:
    return _existing(Enterprise.objects.filter(town=town, is_biomedical=True), year)


def _biomedical_reports(town: Region) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(enterprise__town=town, enterprise__is_biomedical=True, status=APPROVED)


def headline(town: Region, year: int) -> dict:
    """Counts of the town and its district in one query, and the year's revenue in another."""
    district = town.parent
    counts = _existing(Enterprise.objects.filter(is_biomedical=True, town__parent=district), year).aggregate(
        district_total=Count("id"),
        town_total=Count("id", filter=Q(town=town)),
        gene_related=Count("id", filter=Q(town=town, is_gene_related=True)),
    )
    revenue = _biomedical_reports(town).filter(year=year).aggregate(total=Sum("revenue"), reports=Count("id"))
    town_total, district_total = counts["town_total"], counts["district_total"]
    return {
        "biomedical_enterprises": town_total,
        "biomedical_revenue_yuan": revenue["total"] or Decimal("0.00"),
        "revenue_reports": revenue["reports"],
        "district": str(district) if district else "",
        "district_biomedical_enterprises": district_total,
        "district_share": round(town_total / district_total, 4) if district_total else None,
        "gene_related": counts["gene_related"],
        "gene_related_share": round(counts["gene_related"] / town_total, 4) if town_total else None,
    }


def revenue_by_year(town: Region, years: list[int]) -> list[dict]:
    rows = (
        _biomedical_reports(town)
        .filter(year__in=years)
        .values("year")
        .annotate(revenue=Sum("revenue"), reports=Count("id"))
        .order_by("year")
    )
    by_year = {row["year"]: row for row in rows}
    result, previous = [], None
    for year in years:
        revenue = by_year.get(year, {}).get("revenue") or Decimal("0.00")
        growth = round(float((revenue - previous) / previous), 4) if previous else None
        result.append(
            {
                "year": year,
                "revenue_yuan": revenue,
                "reports": by_year.get(year, {}).get("reports", 0),
                "growth": growth,
            }
        )
        previous = revenue
    return result


def enterprises_by_year(town: Region, years: list[int]) -> list[dict]:
    """Biomedical enterprises existing at the end of each year, with year-on-year growth (one query)."""
    qs = Enterprise.objects.filter(town=town, is_biomedical=True).aggregate(
        **{
            f"y{year}": Count("id", filter=Q(founded_date__isnull=True) | Q(founded_date__lte=date(year, 12, 31)))
            for year in years
        }
    )
    result, previous = [], None
    for year in years:
        count = qs[f"y{year}"]
        growth = round((count - previous) / previous, 4) if previous else None
        result.append({"year": year, "enterprises": count, "growth": growth})
        previous = count
    return result


def by_cluster(town: Region, year: int) -> list[dict]:
    counts = dict(
        biomedical_enterprises(town, year).values_list("cluster").annotate(n=Count("id")).values_list("cluster", "n")
    )
    revenue = dict(
        _biomedical_reports(town)
        .filter(year=year)
        .values_list("enterprise__cluster")
        .annotate(total=Sum("revenue"))
        .values_list("enterprise__cluster", "total")
    )
    clusters = list(Cluster.objects.all())
    rows = [
        {
            "code": c.code,
            "name": str(c),
            "enterprises": counts.get(c.pk, 0),
            "revenue_yuan": revenue.get(c.pk) or Decimal("0.00"),
        }
        for c in clusters
    ]
    if counts.get(None):
        rows.append(
            {
                "code": "",
                "name": gettext("未归类"),
                "enterprises": counts[None],
                "revenue_yuan": revenue.get(None) or Decimal("0.00"),
            }
        )
    return rows


def by_park(town: Region, year: int) -> list[dict]:
    counts = dict(
        biomedical_enterprises(town, year).values_list("park").annotate(n=Count("id")).values_list("park", "n")
    )
    revenue = dict(
        _biomedical_reports(town)
        .filter(year=year)
        .values_list("enterprise__park")
        .annotate(total=Sum("revenue"))
        .values_list("enterprise__park", "total")
    )
    places = [(park.pk, str(park)) for park in town.parks.all()]
    if counts.get(None):
        places.append((None, gettext("园区外")))
    return [
        {"name": name, "enterprises": counts.get(pk, 0), "revenue_yuan": revenue.get(pk) or Decimal("0.00")}
        for pk, name in places
    ]


def key_enterprises(town: Region, years: list[int]) -> list[dict]:
    """春申 key enterprises of the town per year, split biomedical / other (one query)."""
    rows = (
        Certification.objects.filter(type__code=KEY_ENTERPRISE_TYPE, year__in=years, enterprise__town=town)
        .values("year")
        .annotate(
            total=Count("enterprise", distinct=True),
            biomedical=Count("enterprise", distinct=True, filter=Q(enterprise__is_biomedical=True)),
        )
        .order_by("year")
    )
    by_year = {row["year"]: row for row in rows}
    result = []
    for year in years:
        row = by_year.get(year, {"total": 0, "biomedical": 0})
        total = row["total"]
        result.append(
            {
                "year": year,
                "total": total,
                "biomedical": row["biomedical"],
                "other": total - row["biomedical"],
                "biomedical_share": round(row["biomedical"] / total, 4) if total else None,
            }
        )
    return result


def top_enterprises(town: Region, year: int, limit: int = TOP_N) -> list[dict]:
    rows = (
        _biomedical_reports(town)
        .filter(year=year)
        .select_related("enterprise", "enterprise__cluster")
        .order_by("-revenue", "enterprise_id")[:limit]
    )
    return [
        {
            "enterprise_id": r.enterprise_id,
            "name": r.enterprise.name,
            "cluster": str(r.enterprise.cluster) if r.enterprise.cluster else "",
            "revenue_yuan": r.revenue,
            "employees": r.employees,
        }
        for r in rows
    ]


def cockpit(town: Region, year: int) -> dict:
    """Every figure of the cockpit for one town and year."""
    scope = CockpitScope(town=town, year=year)
    key = key_enterprises(town, scope.years)
    this_year_key = next((row for row in key if row["year"] == year), None) or {"total": 0, "biomedical": 0}
    return {
        "town": str(town),
        "year": year,
        **headline(town, year),
        "key_enterprises": this_year_key["total"],
        "key_enterprises_biomedical": this_year_key["biomedical"],
        "revenue_by_year": revenue_by_year(town, scope.years),
        "enterprises_by_year": enterprises_by_year(town, scope.years),
        "by_cluster": by_cluster(town, year),
        "by_park": by_park(town, year),
        "key_enterprises_by_year": key,
        "top_enterprises": top_enterprises(town, year),
    }


def cockpit_summary(town: Region, year: int) -> dict:
    """The cockpit as a stored summary: computed once per registry version, then read from the cache.

    Every write through a service records an audit event, so the newest audit id identifies the state
    of the registry; bulk loaders (demo, benchmark) end with such an event or start on a fresh process.
    The timeout bounds staleness from edits outside the services (reference data in the admin).
    """
    key = f"sanlian:cockpit:{town.pk}:{year}:{get_language()}:{registry_version()}"
    figures = cache.get(key)
    if figures is None:
        figures = cockpit(town, year)
        cache.set(key, figures, COCKPIT_CACHE_SECONDS)
    return figures


def stats(town: Region, year: int) -> dict:
    """The figures of `sanlian stats`: the cockpit plus `clusters` as cluster name → count (money stays Decimal)."""
    # The official figures keep the names of the default language, whatever the caller's.
    with override(settings.LANGUAGE_CODE):
        figures = cockpit(town, year)
    figures["clusters"] = {row["name"]: row["enterprises"] for row in figures["by_cluster"]}
    return figures


def available_years() -> list[int]:
    """Years the cockpit offers: FIRST_YEAR up to the newest year with an approved report (the default)."""
    return list(range(FIRST_YEAR, max(latest_report_year(), FIRST_YEAR) + 1))


def cockpit_towns(*, user) -> list[Region]:
    """Towns and streets the user may open in the cockpit, in region order, each with `biomedical` (a count)."""
    towns = list(towns_for(user=user).select_related("parent"))
    # Grouping the enterprises (not joining them to the towns) lets PostgreSQL count from the
    # (town, is_biomedical) index alone.
    counts = dict(
        Enterprise.objects.filter(is_biomedical=True, town__in=[t.pk for t in towns])
        .values_list("town")
        .annotate(n=Count("id"))
        .values_list("town", "n")
    )
    for town in towns:
        town.biomedical = counts.get(town.pk, 0)
    return towns


def cockpit_town(*, user, code: str = "", towns: list[Region] | None = None) -> Region:
    """The town a user asks for: unknown → 404, out of scope → 403 (through the permission layer).

    Without a code: the user's own town, else the town in scope with most biomedical enterprises.
    """
    if code:
        towns_only = Region.objects.select_related("parent").filter(level__in=(Region.Level.TOWN, Region.Level.STREET))
        town = get_object_or_404(towns_only, code=code)
        require(user, "cockpit.view", town)
        return town
    towns = cockpit_towns(user=user) if towns is None else towns
    own = next((t for t in towns if t.pk == user.region_id), None)
    if own is not None:
        return own
    if not towns:
        raise PermissionDenied("cockpit.view")
    return max(towns, key=lambda t: t.biomedical)  # the first of equals: region order


def town_lookup(value: str) -> Region | None:
    """A town or street by its code or its Chinese name (for the command line), or None."""
    value = (value or "").strip()
    if not value:
        return None
    towns = Region.objects.filter(level__in=(Region.Level.TOWN, Region.Level.STREET))
    return towns.filter(code=value).first() or towns.filter(name=value).first()
