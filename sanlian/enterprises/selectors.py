"""Reads of the registry that are more than a `get`, always through the permission layer."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.models import AuditEvent
from sanlian.core.permissions import get_scoped, require, scope_queryset

from .models import (
    AnnualReport,
    Certification,
    CertificationType,
    ChainNode,
    Cluster,
    Enterprise,
    Park,
    Region,
)

# Revenue bands of the directory filter, in yuan: (code, label, lower bound, upper bound).
REVENUE_BANDS = [
    ("lt10m", gettext_lazy("1000万元以下"), Decimal(0), Decimal(10_000_000)),
    ("10m-50m", gettext_lazy("1000万–5000万元"), Decimal(10_000_000), Decimal(50_000_000)),
    ("50m-200m", gettext_lazy("5000万–2亿元"), Decimal(50_000_000), Decimal(200_000_000)),
    ("200m-1b", gettext_lazy("2亿–10亿元"), Decimal(200_000_000), Decimal(1_000_000_000)),
    ("ge1b", gettext_lazy("10亿元及以上"), Decimal(1_000_000_000), None),
]
KEY_ENTERPRISE_TYPE = "chunshen-key"


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    town: str = ""  # region code
    park: str = ""
    cluster: str = ""
    chain_node: str = ""
    certification: str = ""  # certification type code, held on `as_of`
    revenue_band: str = ""
    revenue_year: int | None = None
    key_year: int | None = None
    biomedical: bool | None = None
    as_of: date | None = None


def reference_lookup(model, field: str, code: str):
    """Resolve a reference code (town, park, cluster, chain node, certification type) or name the field."""
    if not code:
        return None
    try:
        return model.objects.get(code=code)
    except model.DoesNotExist:
        raise ValidationError({field: _("未知的代码:%(code)s") % {"code": code}}) from None


def chain_nodes_lookup(codes) -> list[ChainNode]:
    codes = [c.strip().upper() for c in codes if c and c.strip()]
    nodes = list(ChainNode.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {n.code for n in nodes})
    if missing:
        raise ValidationError({"chain_nodes": _("未知的产业链环节:%(codes)s") % {"codes": _("、").join(missing)}})
    return nodes


def _revenue_band(code: str):
    for band in REVENUE_BANDS:
        if band[0] == code:
            return band
    raise ValidationError({"revenue_band": _("未知的营收区间:%(code)s") % {"code": code}})


def enterprise_directory(*, user, filters: DirectoryFilters) -> QuerySet[Enterprise]:
    """The scoped, filtered directory; the query count of a page does not depend on its rows."""
    qs = scope_queryset(user, Enterprise.objects.all())
    f = filters
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(uscc=f.q.upper()) | Q(name_en__icontains=f.q))
    if f.town:
        qs = qs.filter(town=reference_lookup(Region, "town", f.town))
    if f.park:
        qs = qs.filter(park=reference_lookup(Park, "park", f.park))
    if f.cluster:
        qs = qs.filter(cluster=reference_lookup(Cluster, "cluster", f.cluster))
    if f.chain_node:
        node = reference_lookup(ChainNode, "chain_node", f.chain_node.upper())
        qs = qs.filter(Exists(Enterprise.chain_nodes.through.objects.filter(enterprise=OuterRef("pk"), chainnode=node)))
    if f.biomedical is not None:
        qs = qs.filter(is_biomedical=f.biomedical)
    if f.certification:
        cert_type = reference_lookup(CertificationType, "certification", f.certification)
        on = f.as_of or date.today()
        held = Certification.objects.filter(enterprise=OuterRef("pk"), type=cert_type).filter(
            Q(valid_from_date__isnull=True) | Q(valid_from_date__lte=on),
            Q(valid_until_date__isnull=True) | Q(valid_until_date__gte=on),
        )
        qs = qs.filter(Exists(held))
    if f.key_year:
        qs = qs.filter(
            Exists(
                Certification.objects.filter(enterprise=OuterRef("pk"), type__code=KEY_ENTERPRISE_TYPE, year=f.key_year)
            )
        )
    # Without a year, the latest year with approved reports, resolved inside the SQL (no extra query).
    year = f.revenue_year or Subquery(
        AnnualReport.objects.filter(status=AnnualReport.Status.APPROVED).order_by("-year").values("year")[:1]
    )
    if f.revenue_band:
        _code, _label, low, high = _revenue_band(f.revenue_band)
        reports = AnnualReport.objects.filter(
            enterprise=OuterRef("pk"),
            status=AnnualReport.Status.APPROVED,
            revenue__gte=low,
            year=year,
        )
        if high is not None:
            reports = reports.filter(revenue__lt=high)
        qs = qs.filter(Exists(reports))
    return (
        qs.select_related("town", "park", "cluster")
        .prefetch_related(Prefetch("chain_nodes", queryset=ChainNode.objects.only("code", "name", "name_en")))
        .order_by("name", "id")
    )


def with_revenue(enterprises, *, year: int, chunk_size: int = 2000):
    """Yield the enterprises with `revenue_of_year` (approved revenue of `year`), one query per chunk.

    Fetched for the rows at hand rather than annotated in the directory's SQL, where PostgreSQL would
    also compute it for every row an OFFSET skips.
    """
    rows = enterprises.iterator(chunk_size=chunk_size) if isinstance(enterprises, QuerySet) else iter(enterprises)
    while batch := list(islice(rows, chunk_size)):
        revenues = dict(
            AnnualReport.objects.filter(
                enterprise_id__in=[e.pk for e in batch], year=year, status=AnnualReport.Status.APPROVED
            ).values_list("enterprise_id", "revenue")
        )
        for enterprise in batch:
            enterprise.revenue_of_year = revenues.get(enterprise.pk)
            yield enterprise


def latest_report_year() -> int:
    """The newest year with an approved report (the default year of revenue figures)."""
    year = (
        AnnualReport.objects.filter(status=AnnualReport.Status.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year or date.today().year - 1


def enterprise_profile(*, user, pk: int) -> Enterprise:
    """One profile with everything it shows; 404 when missing or outside the user's scope."""
    return get_scoped(
        user,
        "enterprise.view",
        Enterprise.objects.select_related("town", "park", "cluster").prefetch_related(
            "chain_nodes",
            "contacts",
            Prefetch("certifications", queryset=Certification.objects.select_related("type")),
            Prefetch("annual_reports", queryset=AnnualReport.objects.select_related("reviewed_by", "submitted_by")),
        ),
        pk=pk,
    )


ACTION_LABELS = {
    "enterprise.create": gettext_lazy("登记企业"),
    "enterprise.update": gettext_lazy("修改档案"),
    "contact.create": gettext_lazy("添加联系人"),
    "contact.update": gettext_lazy("修改联系人"),
    "contact.reveal": gettext_lazy("查看联系人完整信息"),
    "certification.add": gettext_lazy("添加资质"),
    "report.create": gettext_lazy("填报年报"),
    "report.update": gettext_lazy("修改年报"),
    "report.submit": gettext_lazy("提交年报"),
    "report.approve": gettext_lazy("年报审核通过"),
    "report.return": gettext_lazy("年报退回"),
    "ip.create": gettext_lazy("添加知识产权"),
    "ip.update": gettext_lazy("修改知识产权"),
}


def _readable(field, value):
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(map(str, value)) or "∅"
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def _model_of(label: str):
    """The model an audit event names (any app's, e.g. an IP asset), for its field labels and choices."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def enterprise_history(*, enterprise: Enterprise, limit: int = 100) -> list[dict]:
    """The profile's timeline: who, when, what, with field labels and readable old → new values."""
    rows = []
    for event in AuditEvent.objects.filter(enterprise_id=enterprise.pk).select_related("actor")[:limit]:
        model = _model_of(event.target_type)
        fields = {f.name: f for f in model._meta.get_fields()} if model else {}
        changes = []
        for name, value in event.changes.items():
            field = fields.get(name)
            label = getattr(field, "verbose_name", name)
            # Registry edits record [old, new]; other modules' events may record a single value.
            old, new = value if isinstance(value, list | tuple) and len(value) == 2 else (None, value)
            changes.append({"field": str(label), "old": _readable(field, old), "new": _readable(field, new)})
        rows.append({"event": event, "action": ACTION_LABELS.get(event.action, event.action), "changes": changes})
    return rows


def reports_for_review(*, user) -> QuerySet[AnnualReport]:
    """Submitted reports in scope, oldest first, with last year's approved revenue for comparison."""
    require(user, "report.review")
    last_year = AnnualReport.objects.filter(
        enterprise=OuterRef("enterprise"), year=OuterRef("year") - 1, status=AnnualReport.Status.APPROVED
    ).values("revenue")[:1]
    return (
        scope_queryset(user, AnnualReport.objects.filter(status=AnnualReport.Status.SUBMITTED))
        .select_related("enterprise", "enterprise__town")
        .annotate(previous_revenue=Subquery(last_year, output_field=AnnualReport._meta.get_field("revenue")))
        .order_by("submitted_at", "id")
    )


def annual_reports_scoped(*, user, year: int | None = None, status: str = "") -> QuerySet[AnnualReport]:
    qs = scope_queryset(user, AnnualReport.objects.all()).select_related("enterprise")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "enterprise_id")


def regions_scoped(*, user) -> QuerySet[Region]:
    return scope_queryset(user, Region.objects.all()).order_by("path")


def parks_scoped(*, user) -> QuerySet[Park]:
    return scope_queryset(user, Park.objects.select_related("town")).order_by("code")


def towns_for(*, user) -> QuerySet[Region]:
    return regions_scoped(user=user).filter(level__in=[Region.Level.TOWN, Region.Level.STREET])


def town_of(*, enterprise: Enterprise) -> QuerySet[Region]:
    return Region.objects.filter(pk=enterprise.town_id)


def chain_nodes_with_counts(*, user) -> QuerySet[ChainNode]:
    """Chain nodes with the number of enterprises in the user's scope on each (one query)."""
    in_scope = scope_queryset(user, Enterprise.objects.all()).values("pk")
    return ChainNode.objects.annotate(
        enterprises_in_scope=Count("enterprises", filter=Q(enterprises__in=in_scope))
    ).order_by("sort", "code")


def enterprise_by_uscc(uscc: str) -> Enterprise | None:
    """The registered enterprise with this 统一社会信用代码 (spaces and case ignored), if any."""
    from stdnum.cn import uscc as uscc_format

    return Enterprise.objects.select_related("town").filter(uscc=uscc_format.compact(uscc or "").upper()).first()
