"""Cockpit figures of a town, computed from records by a few grouped aggregate queries.

Definitions (the README repeats them):
- an enterprise counts "as of year Y" when it was founded by 31 Dec Y (or its founding date is unknown);
- revenue of a year is the sum of the approved annual reports of that year;
- the district of a town is its parent region; the share is the town's biomedical enterprises over the
  district's, both as of year Y;
- key enterprises are holders of the 春申 key-enterprise certification of year Y (all industries);
- talents are the approved applications of year Y's 春申 round whose employer is in the town; biomedical
  talents are those with a biomedical employer (sanlian.talent.stats).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, gettext, override

from sanlian.core.permissions import require
from sanlian.core.selectors import registry_version
from sanlian.enterprises.models import AnnualReport, Certification, CertificationType, Cluster, Enterprise, Region
from sanlian.enterprises.selectors import KEY_ENTERPRISE_TYPE, latest_report_year, towns_for
from sanlian.talent import stats as talent_stats

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

    @property
    def counted_years(self) -> list[int]:
        """The years of the series and the year itself (a year before FIRST_YEAR has no series)."""
        return sorted({*self.years, self.year})


def _founded_by(year: int) -> Q:
    return Q(founded_date__isnull=True) | Q(founded_date__lte=date(year, 12, 31))


def biomedical_enterprises(town: Region, year: int) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(_founded_by(year), town=town, is_biomedical=True)


def _biomedical_reports(town: Region) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(enterprise__town=town, enterprise__is_biomedical=True, status=APPROVED)


def _total(rows: list[dict], column: str, start=0, **match):
    """The sum of `column` over the grouped rows whose values equal every one of `match`."""
    return sum((row[column] for row in rows if all(row[key] == value for key, value in match.items())), start)


def _growth(value, previous) -> float | None:
    return round(float((value - previous) / previous), 4) if previous else None


@dataclass
class TownTotals:
    """A town's biomedical revenue and enterprise counts, each read by one grouped query and summed here.

    One join of the approved reports with the town's enterprises per figure took 50–100 ms each at 100k
    enterprises; grouped once, they come back as a few dozen rows that every figure sums from.
    """

    town: Region
    years: list[int]

    @cached_property
    def revenue_rows(self) -> list[dict]:
        """Approved reports of the years by (year, cluster, park): revenue and number of reports."""
        rows = (
            _biomedical_reports(self.town)
            .filter(year__in=self.years)
            .values("year", cluster=F("enterprise__cluster"), park=F("enterprise__park"))
            # COUNT(*), not COUNT(id): the index of approved reports by enterprise then covers the query.
            .annotate(revenue=Sum("revenue"), reports=Count("*"))
        )
        return list(rows)

    @cached_property
    def enterprise_rows(self) -> list[dict]:
        """Biomedical enterprises by (cluster, park, gene-related), with `y<year>`: how many exist as of that year."""
        rows = (
            Enterprise.objects.filter(town=self.town, is_biomedical=True)
            .values("cluster", "park", "is_gene_related")
            .annotate(**{f"y{year}": Count("id", filter=_founded_by(year)) for year in self.years})
        )
        return list(rows)

    def revenue(self, year: int, **match) -> Decimal:
        return _total(self.revenue_rows, "revenue", Decimal("0.00"), year=year, **match)

    def reports(self, year: int) -> int:
        return _total(self.revenue_rows, "reports", year=year)

    def enterprises(self, year: int, **match) -> int:
        return _total(self.enterprise_rows, f"y{year}", **match)

    def headline(self, year: int) -> dict:
        district = self.town.parent
        district_total = Enterprise.objects.filter(_founded_by(year), is_biomedical=True, town__parent=district).count()
        town_total, gene_related = self.enterprises(year), self.enterprises(year, is_gene_related=True)
        return {
            "biomedical_enterprises": town_total,
            "biomedical_revenue_yuan": self.revenue(year),
            "revenue_reports": self.reports(year),
            "district": str(district) if district else "",
            "district_biomedical_enterprises": district_total,
            "district_share": round(town_total / district_total, 4) if district_total else None,
            "gene_related": gene_related,
            "gene_related_share": round(gene_related / town_total, 4) if town_total else None,
        }

    def revenue_by_year(self, years: list[int]) -> list[dict]:
        result, previous = [], None
        for year in years:
            revenue = self.revenue(year)
            growth = _growth(revenue, previous)
            result.append({"year": year, "revenue_yuan": revenue, "reports": self.reports(year), "growth": growth})
            previous = revenue
        return result

    def enterprises_by_year(self, years: list[int]) -> list[dict]:
        result, previous = [], None
        for year in years:
            count = self.enterprises(year)
            result.append({"year": year, "enterprises": count, "growth": _growth(count, previous)})
            previous = count
        return result

    def by_cluster(self, year: int) -> list[dict]:
        places = [(c.pk, c.code, str(c)) for c in Cluster.objects.all()]
        if self.enterprises(year, cluster=None):
            places.append((None, "", gettext("未归类")))
        return [
            {
                "code": code,
                "name": name,
                "enterprises": self.enterprises(year, cluster=pk),
                "revenue_yuan": self.revenue(year, cluster=pk),
            }
            for pk, code, name in places
        ]

    def by_park(self, year: int) -> list[dict]:
        places = [(park.pk, str(park)) for park in self.town.parks.all()]
        if self.enterprises(year, park=None):
            places.append((None, gettext("园区外")))
        return [
            {"name": name, "enterprises": self.enterprises(year, park=pk), "revenue_yuan": self.revenue(year, park=pk)}
            for pk, name in places
        ]


def headline(town: Region, year: int) -> dict:
    """Counts of the town and its district as of the year, and the year's revenue."""
    return TownTotals(town, [year]).headline(year)


def revenue_by_year(town: Region, years: list[int]) -> list[dict]:
    return TownTotals(town, years).revenue_by_year(years)


def enterprises_by_year(town: Region, years: list[int]) -> list[dict]:
    """Biomedical enterprises existing at the end of each year, with year-on-year growth."""
    return TownTotals(town, years).enterprises_by_year(years)


def by_cluster(town: Region, year: int) -> list[dict]:
    return TownTotals(town, [year]).by_cluster(year)


def by_park(town: Region, year: int) -> list[dict]:
    return TownTotals(town, [year]).by_park(year)


def key_enterprises(town: Region, years: list[int]) -> list[dict]:
    """春申 key enterprises of the town per year, split biomedical / other."""
    # The type's id rather than a join on its code: PostgreSQL then estimates the certifications
    # (thousands, not hundreds) and hashes the town's enterprises instead of probing them one by one.
    key_type = list(CertificationType.objects.filter(code=KEY_ENTERPRISE_TYPE).values_list("pk", flat=True))
    rows = (
        Certification.objects.filter(type__in=key_type, year__in=years, enterprise__town=town)
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
    totals = TownTotals(town, scope.counted_years)
    key = key_enterprises(town, scope.years)
    this_year_key = next((row for row in key if row["year"] == year), None) or {"total": 0, "biomedical": 0}
    return {
        "town": str(town),
        "year": year,
        **totals.headline(year),
        "key_enterprises": this_year_key["total"],
        "key_enterprises_biomedical": this_year_key["biomedical"],
        "revenue_by_year": totals.revenue_by_year(scope.years),
        "enterprises_by_year": totals.enterprises_by_year(scope.years),
        "by_cluster": totals.by_cluster(year),
        "by_park": totals.by_park(year),
        "key_enterprises_by_year": key,
        "top_enterprises": top_enterprises(town, year),
        # talents, talents_biomedical, talents_by_level, talents_by_industry, talents_by_year
        **talent_stats.cockpit_figures(town, year),
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
