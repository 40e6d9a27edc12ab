"""Reads of the IP portfolio (知识产权): the scoped list, one enterprise's portfolio and its summary."""

from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from sanlian.core.permissions import get_scoped, scope_queryset
from sanlian.enterprises.models import Enterprise

from .models import IPAsset

Kind, Status = IPAsset.Kind, IPAsset.Status


# Lists show kinds in the order of Kind (inventions first), not alphabetically by code.
KIND_ORDER = Case(*(When(kind=kind, then=Value(i)) for i, kind in enumerate(Kind.values)), output_field=IntegerField())


def in_force_q(as_of: date) -> Q:
    """Granted (registered) by `as_of` and not past its expiry: what the policy facts count."""
    return (
        Q(status=Status.GRANTED)
        & (Q(grant_date__isnull=True) | Q(grant_date__lte=as_of))
        & (Q(expiry_date__isnull=True) | Q(expiry_date__gte=as_of))
    )


def ip_assets_visible(user, *, kind: str = "", status: str = "", search: str = "") -> QuerySet[IPAsset]:
    """The assets the user may see, filtered; grouped by enterprise."""
    assets = scope_queryset(user, IPAsset.objects.select_related("enterprise", "enterprise__town"))
    if kind:
        assets = assets.filter(kind=kind)
    if status:
        assets = assets.filter(status=status)
    search = search.strip()
    if search:
        assets = assets.filter(
            Q(number__icontains=search) | Q(title__icontains=search) | Q(enterprise__name__icontains=search)
            | Q(enterprise__uscc=search.upper())
        )  # fmt: skip
    return assets.order_by("enterprise__name", "enterprise_id", KIND_ORDER, "-filing_date", "id")


def enterprise_for_ip(user, pk: int, action: str = "ip.view") -> Enterprise:
    """The enterprise whose portfolio is opened: 403 without the action, 404 when out of scope."""
    return get_scoped(user, action, Enterprise.objects.select_related("town"), pk=pk)


def ip_asset_for(user, pk: int, action: str = "ip.view") -> IPAsset:
    return get_scoped(user, action, IPAsset.objects.select_related("enterprise", "enterprise__town"), pk=pk)


def portfolio(enterprise: Enterprise, *, kind: str = "", status: str = "") -> QuerySet[IPAsset]:
    assets = IPAsset.objects.filter(enterprise=enterprise)
    if kind:
        assets = assets.filter(kind=kind)
    if status:
        assets = assets.filter(status=status)
    return assets.order_by(KIND_ORDER, "-filing_date", "-id")


def portfolio_summary(enterprise_id: int, *, as_of: date) -> dict:
    """Counts of one enterprise's assets: {kind: {"label", "in_force", status: n …}} and the total. One query.

    Kinds without assets are left out; `total` is 0 for an empty portfolio.
    """
    rows = (
        IPAsset.objects.filter(enterprise_id=enterprise_id)
        .order_by()
        .values("kind")
        .annotate(
            in_force=Count("pk", filter=in_force_q(as_of)),
            **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        )
    )
    kinds = {row["kind"]: row for row in rows}
    ordered = [
        {"kind": kind, "label": Kind(kind).label, **{k: v for k, v in kinds[kind].items() if k != "kind"}}
        for kind in Kind.values
        if kind in kinds
    ]
    return {"kinds": ordered, "total": sum(sum(row[s] for s in Status.values) for row in ordered)}
