"""The cockpit figures in /api/v1: `GET /stats`, the same object as `sanlian stats --json`."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sanlian.core.api import ERRORS, MoneyOut
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises import selectors as registry
from sanlian.enterprises.models import Region

from . import selectors

router = Router(tags=["stats"])


class StatsQuery(Schema):
    town: str = Field("", description="镇/街道代码或名称;默认为本人所属镇 / town code or name")
    year: int | None = Field(
        None, ge=1990, le=2100, description="年度;默认为最近有审核通过年报的年度 / year, the latest approved by default"
    )


class RevenueYear(Schema):
    year: int
    revenue_yuan: MoneyOut
    reports: int
    growth: float | None


class EnterprisesYear(Schema):
    year: int
    enterprises: int
    growth: float | None


class ClusterRow(Schema):
    code: str
    name: str
    enterprises: int
    revenue_yuan: MoneyOut


class ParkRow(Schema):
    name: str
    enterprises: int
    revenue_yuan: MoneyOut


class KeyEnterprisesYear(Schema):
    year: int
    total: int
    biomedical: int
    other: int
    biomedical_share: float | None


class TopEnterprise(Schema):
    enterprise_id: int
    name: str
    cluster: str
    revenue_yuan: MoneyOut
    employees: int


class TalentLevelRow(Schema):
    code: str
    name: str
    talents: int


class TalentIndustryRow(Schema):
    code: str = Field(
        description="集群代码;other = 其他产业;空 = 生物医药(未归类)/ cluster code, other, or empty: unclassified"
    )
    name: str
    biomedical: bool
    talents: int


class TalentsYear(Schema):
    year: int
    talents: int
    biomedical: int
    other: int


class StatsOut(Schema):
    town: str
    year: int
    biomedical_enterprises: int
    biomedical_revenue_yuan: MoneyOut
    revenue_reports: int
    district: str
    district_biomedical_enterprises: int
    district_share: float | None
    gene_related: int
    gene_related_share: float | None
    key_enterprises: int
    key_enterprises_biomedical: int
    talents: int = Field(description="春申人才:当年度计划已认定、用人单位在本镇的申报数 / certified talents")
    talents_biomedical: int = Field(description="其中用人单位为生物医药企业 / with a biomedical employer")
    clusters: dict[str, int] = Field(description="集群名称 → 企业数 / cluster name → enterprises")
    revenue_by_year: list[RevenueYear]
    enterprises_by_year: list[EnterprisesYear]
    by_cluster: list[ClusterRow]
    by_park: list[ParkRow]
    key_enterprises_by_year: list[KeyEnterprisesYear]
    top_enterprises: list[TopEnterprise]
    talents_by_level: list[TalentLevelRow]
    talents_by_industry: list[TalentIndustryRow]
    talents_by_year: list[TalentsYear]


def _town(user, value: str) -> Region:
    """The town named by code or name (default: the officer's own town), which must be in scope."""
    value = value.strip()
    if not value:
        if user.region_id and user.region.is_town_level:
            return user.region
        raise ValidationError({"town": _("请指定镇/街道")})
    town = selectors.town_lookup(value)
    if town is None:
        raise ValidationError({"town": _("未知的代码:%(code)s") % {"code": value}})
    return town


@router.get("/stats", response={200: StatsOut, **ERRORS}, summary="产业驾驶舱指标 / cockpit figures of a town and year")
def stats(request, query: Query[StatsQuery]):
    user = request.auth
    require(user, "stats.view")
    town = _town(user, query.town)
    if not has_perm(user, "region.view", town):
        # Another officer's town: answered like a missing one.
        raise Http404
    return selectors.stats(town, query.year or registry.latest_report_year())
