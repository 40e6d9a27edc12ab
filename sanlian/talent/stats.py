"""Talent figures: certified talents by town, year, level, type, industry and employer.

Definitions (the cockpit and `sanlian talent stats` repeat them):
- the talents of a town and year are the approved applications of that year's round whose employer is
  registered in the town (FACTS.md: 浦江镇 2023 = 496);
- biomedical talents are those whose employer is a biomedical enterprise (浦江镇 2023 = 117);
- the industry of a talent is the biomedical cluster of the employer, "生物医药(未归类)" for a biomedical
  employer without one, and "其他产业" for every other employer.

Each function is one grouped aggregate query (plus the cluster names for the industry split).
"""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from sanlian.enterprises.models import Cluster, Region

from .models import Level, Round, TalentApplication

APPROVED = TalentApplication.Status.APPROVED


def _town_filter(prefix: str, town: Region | None) -> Q:
    return Q(**{f"{prefix}employer__town": town}) if town is not None else Q()


def certified(year: int, town: Region | None = None) -> QuerySet[TalentApplication]:
    """The approved applications of the year's round (in the town, when given)."""
    return TalentApplication.objects.filter(_town_filter("", town), round__year=year, status=APPROVED)


def _shares(total: int, part: int) -> float | None:
    return round(part / total, 4) if total else None


def by_level(year: int, town: Region | None = None) -> list[dict]:
    """Every level of the round in its order, with its talents (0 included)."""
    counted = Q(applications__status=APPROVED) & _town_filter("applications__", town)
    rows = (
        Level.objects.filter(round__year=year)
        .annotate(talents=Count("applications", filter=counted))
        .order_by("order", "code")
        .values("code", "name", "talents")
    )
    return list(rows)


def by_type(year: int, town: Region | None = None) -> list[dict]:
    """The round's talent types with their talents; empty for a round without types (2025)."""
    round_ = Round.objects.filter(year=year).only("types").first()
    if round_ is None or not round_.types:
        return []
    counts = dict(
        certified(year, town)
        .order_by()
        .values_list("talent_type")
        .annotate(n=Count("*"))
        .values_list("talent_type", "n")
    )
    rows = [{"code": t["code"], "name": t["name"], "talents": counts.pop(t["code"], 0)} for t in round_.types]
    leftover = sum(counts.values())  # a type removed from the round after approval
    if leftover:
        rows.append({"code": "", "name": gettext("未分类"), "talents": leftover})
    return rows


def by_industry(year: int, town: Region | None = None) -> list[dict]:
    """Talents by the employer's biomedical cluster (every cluster, 0 included), then the other industries."""
    grouped = (
        certified(year, town)
        .order_by()
        .values_list("employer__is_biomedical", "employer__cluster")
        .annotate(n=Count("*"))
    )
    counts: dict = {}
    for biomedical, cluster, n in grouped:
        key = cluster if biomedical else "other"
        counts[key] = counts.get(key, 0) + n
    rows = [
        {"code": c.code, "name": str(c), "biomedical": True, "talents": counts.pop(c.pk, 0)}
        for c in Cluster.objects.all()
    ]
    other = counts.pop("other", 0)
    unclassified = sum(counts.values())  # biomedical employers without a cluster
    if unclassified:
        rows.append({"code": "", "name": gettext("生物医药(未归类)"), "biomedical": True, "talents": unclassified})
    rows.append({"code": "other", "name": gettext("其他产业"), "biomedical": False, "talents": other})
    return rows


def totals(industry_rows: list[dict]) -> dict:
    """talents and talents_biomedical, summed from `by_industry` rows (no extra query)."""
    total = sum(row["talents"] for row in industry_rows)
    biomedical = sum(row["talents"] for row in industry_rows if row["biomedical"])
    return {"talents": total, "talents_biomedical": biomedical, "biomedical_share": _shares(total, biomedical)}


def by_employer(year: int, town: Region | None = None, limit: int | None = None) -> list[dict]:
    """Employers with talents, most first."""
    rows = (
        certified(year, town)
        .order_by()
        .values("employer_id", "employer__uscc", "employer__name", "employer__town__name", "employer__is_biomedical")
        .annotate(talents=Count("*"))
        .order_by("-talents", "employer__name", "employer_id")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "enterprise_id": row["employer_id"],
            "uscc": row["employer__uscc"],
            "name": row["employer__name"],
            "town": row["employer__town__name"],
            "is_biomedical": row["employer__is_biomedical"],
            "talents": row["talents"],
        }
        for row in rows
    ]


def by_town(year: int) -> list[dict]:
    """Towns with talents in the year, most first."""
    rows = (
        certified(year)
        .order_by()
        .values("employer__town__code", "employer__town__name")
        .annotate(talents=Count("*"), biomedical=Count("id", filter=Q(employer__is_biomedical=True)))
        .order_by("-talents", "employer__town__code")
    )
    return [
        {
            "code": row["employer__town__code"],
            "name": row["employer__town__name"],
            "talents": row["talents"],
            "biomedical": row["biomedical"],
        }
        for row in rows
    ]


def by_year(town: Region | None, up_to: int) -> list[dict]:
    """Every round up to the year, with its talents and biomedical talents (0 included)."""
    counted = Q(applications__status=APPROVED) & _town_filter("applications__", town)
    biomedical = counted & Q(applications__employer__is_biomedical=True)
    rows = (
        Round.objects.filter(year__lte=up_to)
        .annotate(talents=Count("applications", filter=counted), biomedical=Count("applications", filter=biomedical))
        .order_by("year")
        .values("year", "talents", "biomedical")
    )
    return [{**row, "other": row["talents"] - row["biomedical"]} for row in rows]


def cockpit_figures(town: Region, year: int) -> dict:
    """The talent figures of the cockpit and `sanlian stats` (four queries)."""
    industry = by_industry(year, town)
    figures = totals(industry)
    return {
        "talents": figures["talents"],
        "talents_biomedical": figures["talents_biomedical"],
        "talents_by_level": by_level(year, town),
        "talents_by_industry": industry,
        "talents_by_year": by_year(town, year),
    }


def talent_stats(year: int, town: Region | None = None) -> dict | None:
    """Everything `sanlian talent stats` prints, or None when there is no round of that year."""
    round_ = Round.objects.filter(year=year).first()
    if round_ is None:
        return None
    industry = by_industry(year, town)
    return {
        "year": year,
        "round": round_.name,
        "town": town.name if town is not None else None,
        **totals(industry),
        "by_level": by_level(year, town),
        "by_type": by_type(year, town),
        "by_industry": industry,
        "by_town": by_town(year) if town is None else [],
        "by_employer": by_employer(year, town),
    }
