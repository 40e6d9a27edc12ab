"""Reads of the chain map: which scopes a user may look at, node figures per town or district, the edges,
a node's enterprises and the realised cooperation links between enterprises.

Every figure is an aggregate query for all nodes at once; nothing here runs one query per node.
"""

from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.http import Http404

from sanlian.core.permissions import has_perm, scope_queryset
from sanlian.enterprises.models import AnnualReport, ChainNode, Enterprise, Region

from .models import ChainEdge

try:  # written by the postings work; without it the map simply shows no realised links
    from .selectors import realised_links as _realised_links
except ImportError:  # pragma: no cover - depends on the checkout
    _realised_links = None

SCOPE_LEVELS = (Region.Level.DISTRICT, Region.Level.TOWN, Region.Level.STREET)
TOWN_LEVELS = (Region.Level.TOWN, Region.Level.STREET)
LINKS_MAX = 100


class Supply:
    """A node's local supply: enterprises, their latest approved revenue and staff."""

    __slots__ = ("enterprises", "revenue", "staff", "reported")

    def __init__(self, enterprises: int = 0, revenue: Decimal | None = None, staff: int = 0, reported: int = 0):
        self.enterprises = enterprises
        self.revenue = revenue if revenue is not None else Decimal(0)
        self.staff = staff
        self.reported = reported  # enterprises whose latest approved report is counted

    def __repr__(self):
        return f"Supply({self.enterprises}, {self.revenue}, {self.staff}, {self.reported})"


def district_of(region: Region) -> Region | None:
    """The district a town lies in (None for a district or above)."""
    if not region.is_town_level:
        return None
    parent = region.parent
    while parent is not None and parent.level != Region.Level.DISTRICT:
        parent = parent.parent
    return parent


def map_scopes(*, user) -> list[Region]:
    """The districts and towns a user may look at on the map, in region order.

    Officers: their region and the towns below it; enterprise users: their enterprise's town.
    """
    regions = Region.objects.filter(level__in=SCOPE_LEVELS).select_related("parent").order_by("path")
    if not has_perm(user, "chain.view"):
        return []
    if user.is_superuser:
        return list(regions)
    if user.is_enterprise_user:
        if not user.enterprise_id:
            return []
        return list(regions.filter(enterprises__pk=user.enterprise_id))
    return list(scope_queryset(user, regions))


def map_scope(*, user, code: str = "", scopes: list[Region] | None = None) -> Region:
    """The scope a user asks for (404 when unknown or not theirs), else their own region, else the first."""
    scopes = map_scopes(user=user) if scopes is None else scopes
    if code:
        chosen = next((r for r in scopes if r.code == code), None)
        if chosen is None:
            raise Http404
        return chosen
    own = next((r for r in scopes if r.pk == user.region_id), None)
    if own is not None:
        return own
    if not scopes:
        raise Http404
    districts = [r for r in scopes if r.level == Region.Level.DISTRICT]
    return (districts or scopes)[0]


def chain_nodes() -> list[ChainNode]:
    return list(ChainNode.objects.order_by("sort", "code"))


def chain_edges() -> list[ChainEdge]:
    return list(ChainEdge.objects.select_related("supplier", "customer").order_by("supplier__sort", "customer__sort"))


def supply_by_node(region: Region) -> dict[int, Supply]:
    """Enterprises, revenue and staff per node in a region (and below it): two aggregate queries.

    Revenue and staff come from each enterprise's latest approved annual report.
    """
    through = ChainNode.enterprises.through
    prefix = region.path
    figures: dict[int, Supply] = {}
    counts = (
        through.objects.filter(enterprise__town__path__startswith=prefix)
        .values("chainnode_id")
        .annotate(n=Count("enterprise_id"))
        .values_list("chainnode_id", "n")
    )
    for node_id, n in counts:
        figures[node_id] = Supply(enterprises=n)
    approved = AnnualReport.Status.APPROVED
    latest_year = (
        AnnualReport.objects.filter(enterprise_id=OuterRef("enterprise_id"), status=approved)
        .order_by("-year")
        .values("year")[:1]
    )
    sums = (
        AnnualReport.objects.filter(
            status=approved, enterprise__town__path__startswith=prefix, year=Subquery(latest_year)
        )
        .values("enterprise__chain_nodes")
        .annotate(revenue=Sum("revenue"), staff=Sum("employees"), reported=Count("id"))
        .values_list("enterprise__chain_nodes", "revenue", "staff", "reported")
    )
    for node_id, revenue, staff, reported in sums:
        if node_id is None:  # reports of enterprises on no node
            continue
        supply = figures.setdefault(node_id, Supply())
        supply.revenue, supply.staff, supply.reported = revenue or Decimal(0), staff or 0, reported
    return figures


def node_enterprises(*, user, node: ChainNode, region: Region) -> QuerySet[Enterprise]:
    """The enterprises at a node in the region that the user may see, in directory order."""
    return (
        scope_queryset(user, Enterprise.objects.all())
        .filter(chain_nodes=node, town__path__startswith=region.path)
        .select_related("town", "park")
        .order_by("name", "id")
    )


def latest_revenue(enterprises) -> dict[int, tuple]:
    """{enterprise id: (year, revenue, employees)} of each one's latest approved report (one query)."""
    ids = [e.pk for e in enterprises]
    if not ids:
        return {}
    approved = AnnualReport.Status.APPROVED
    latest_year = (
        AnnualReport.objects.filter(enterprise_id=OuterRef("enterprise_id"), status=approved)
        .order_by("-year")
        .values("year")[:1]
    )
    rows = AnnualReport.objects.filter(enterprise_id__in=ids, status=approved, year=Subquery(latest_year))
    return {eid: (year, revenue, staff) for eid, year, revenue, staff in rows.values_list(
        "enterprise_id", "year", "revenue", "employees"
    )}  # fmt: skip


def realised_links(*, user, region: Region, limit: int = LINKS_MAX) -> tuple[list[dict], int]:
    """The newest signed cooperation links with a side in the region (officers only), and how many there are.

    Each link also carries `supplier_node` and `customer_node`: the first chain node of each enterprise,
    where the map draws it (one query for all of them).
    """
    if _realised_links is None or not user.is_authenticated or not (user.is_officer or user.is_superuser):
        return [], 0
    links = _realised_links(town=region)
    total = len(links)
    links = links[-limit:][::-1]  # newest first
    ids = {link["supplier_id"] for link in links} | {link["customer_id"] for link in links}
    first_node: dict[int, str] = {}
    through = ChainNode.enterprises.through
    for eid, code in (
        through.objects.filter(enterprise_id__in=ids)
        .order_by("enterprise_id", "chainnode__sort", "chainnode__code")
        .values_list("enterprise_id", "chainnode__code")
    ):
        first_node.setdefault(eid, code)
    for link in links:
        link["supplier_node"] = first_node.get(link["supplier_id"], "")
        link["customer_node"] = first_node.get(link["customer_id"], "")
    return links, total
