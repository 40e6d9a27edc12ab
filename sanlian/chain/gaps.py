"""Chain-gap analysis (强链 · 补链 · 延链) and the 招商 target list.

Everything is "local" to a scope: a town (its enterprises and postings) or a district (all its towns).

Per chain node:

- SUPPLY: the enterprises at the node (count); their revenue, summed from each enterprise's latest approved
  annual report; their staff (employees of the same reports) as a proxy for capacity.
- DEMAND: the customer side — enterprises and revenue at the nodes this node supplies (ChainEdge
  supplier → customer; an enterprise on two customer nodes counts at each); the open requests at the node
  (published business and technology requests, not past their expiry date); the requests that found no
  local partner (Posting.no_local_partner) at the node. A request's nodes are read as what it asks for.

Scoring (`gap_score`, a pure function over plain numbers): every quantity x becomes a level in [0, 1) by
saturation, level = x / (x + h), where the half-point h is the value that scores 0.5:

    term                       side     weight  half-point h
    enterprises at the node    supply   0.5     average enterprises per node in the scope
    revenue at the node        supply   0.3     average revenue per node in the scope
    staff at the node          supply   0.2     average staff per node in the scope
    enterprises at customers   demand   0.25    average enterprises per node in the scope
    revenue at customers       demand   0.15    average revenue per node in the scope
    open requests              demand   0.3     2 requests
    requests without partner   demand   0.3     1 request

    supply S = Σ weight × level over the supply terms      (0 ≤ S < 1)
    demand D = Σ weight × level over the demand terms      (0 ≤ D < 1)
    gap score = round(100 × D × (1 − S))                  (0 … 100)

So a node scores high when much local demand meets little local supply; the half-points follow the scope,
so a town and a district are each measured against their own average node.

Classification (`classify`), first rule that holds:

    强链 (strong: strengthen)  S ≥ 0.5, i.e. at least an average node's supply
    补链 (fill)                 S < 0.5 and gap score ≥ 20: demand that weak or no local supply leaves open
    延链 (extend)               S < 0.25, gap score < 20 and the node is adjacent (either direction of an
                                edge) to a 强链 node: little local supply or demand yet, next to a strong link
    稳链 (steady)               otherwise: supply and demand roughly in balance; not on the target list

The 招商 target list holds the 补链 and 延链 nodes ranked by gap score (补链 first among equals), each with the
profile of the enterprise wanted: the node, its typical products or services (the node's description, else
what its edges say it supplies), the certifications that the requests at the node ask for (else the
quality certifications usual at the node), and a target size taken from the customer side (the average
revenue and staff of the enterprises at its customer nodes).

The database reads are a handful of aggregate queries for the whole analysis, never one per node.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core import formats
from sanlian.core.exports import Column, workbook_bytes
from sanlian.enterprises.models import Certification, CertificationType, ChainNode, Region

from .map_selectors import Supply, chain_edges, chain_nodes, district_of, supply_by_node
from .models import ChainEdge, Posting

# ---------------------------------------------------------------------------------------------------
# The pure scoring: plain numbers in, plain numbers out; nothing in this part touches Django.

SUPPLY_WEIGHTS = {"enterprises": 0.5, "revenue": 0.3, "staff": 0.2}
DEMAND_WEIGHTS = {"customer_enterprises": 0.25, "customer_revenue": 0.15, "open_requests": 0.3, "unmet_requests": 0.3}
REQUEST_HALF = 2.0
UNMET_HALF = 1.0
STRONG_SUPPLY = 0.5
WEAK_SUPPLY = 0.25
FILL_SCORE = 20

STRONG, FILL, EXTEND, STEADY = "strong", "fill", "extend", "steady"
CLASSES = (STRONG, FILL, EXTEND, STEADY)
TARGET_CLASSES = (FILL, EXTEND)


@dataclass(frozen=True)
class NodeNumbers:
    """One node's local figures; money in yuan (any real number type)."""

    enterprises: int = 0
    revenue: float = 0.0
    staff: int = 0
    customer_enterprises: int = 0
    customer_revenue: float = 0.0
    open_requests: int = 0
    unmet_requests: int = 0


@dataclass(frozen=True)
class HalfPoints:
    """The values that score 0.5: the scope's average node (enterprises, revenue, staff)."""

    enterprises: float
    revenue: float
    staff: float


@dataclass(frozen=True)
class Term:
    key: str
    side: str  # "supply" or "demand"
    weight: float
    value: float
    half: float
    level: float  # value / (value + half), in [0, 1)
    contribution: float  # weight × level


@dataclass(frozen=True)
class Score:
    score: int
    supply: float
    demand: float
    terms: tuple[Term, ...]

    def term(self, key: str) -> Term:
        return next(t for t in self.terms if t.key == key)


def saturation(value: float, half: float) -> float:
    """value / (value + half): 0 at nothing, 0.5 at the half-point, towards 1 beyond it."""
    value = max(float(value), 0.0)
    half = float(half)
    if value == 0:
        return 0.0
    if half <= 0:
        return 1.0
    return value / (value + half)


def half_points(rows: list[NodeNumbers]) -> HalfPoints:
    """The average node of a scope (at least 1 of each, so an empty scope does not divide by zero)."""
    n = max(len(rows), 1)
    return HalfPoints(
        enterprises=max(sum(r.enterprises for r in rows) / n, 1.0),
        revenue=max(sum(float(r.revenue) for r in rows) / n, 1.0),
        staff=max(sum(r.staff for r in rows) / n, 1.0),
    )


def gap_score(numbers: NodeNumbers, half: HalfPoints) -> Score:
    """The gap score 0–100 of one node with every term that made it (see the module docstring)."""
    specs = (
        ("enterprises", "supply", SUPPLY_WEIGHTS["enterprises"], numbers.enterprises, half.enterprises),
        ("revenue", "supply", SUPPLY_WEIGHTS["revenue"], float(numbers.revenue), half.revenue),
        ("staff", "supply", SUPPLY_WEIGHTS["staff"], numbers.staff, half.staff),
        (
            "customer_enterprises",
            "demand",
            DEMAND_WEIGHTS["customer_enterprises"],
            numbers.customer_enterprises,
            half.enterprises,
        ),
        (
            "customer_revenue",
            "demand",
            DEMAND_WEIGHTS["customer_revenue"],
            float(numbers.customer_revenue),
            half.revenue,
        ),
        ("open_requests", "demand", DEMAND_WEIGHTS["open_requests"], numbers.open_requests, REQUEST_HALF),
        ("unmet_requests", "demand", DEMAND_WEIGHTS["unmet_requests"], numbers.unmet_requests, UNMET_HALF),
    )
    terms = []
    for key, side, weight, value, h in specs:
        level = saturation(value, h)
        terms.append(Term(key, side, weight, float(value), float(h), level, weight * level))
    supply = sum(t.contribution for t in terms if t.side == "supply")
    demand = sum(t.contribution for t in terms if t.side == "demand")
    score = int(Decimal(100 * demand * (1 - supply)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Score(score=max(0, min(100, score)), supply=supply, demand=demand, terms=tuple(terms))


def classify(score: Score, *, adjacent_strong: bool) -> str:
    """强链 / 补链 / 延链 / 稳链 by the rule of the module docstring."""
    if score.supply >= STRONG_SUPPLY:
        return STRONG
    if score.score >= FILL_SCORE:
        return FILL
    if score.supply < WEAK_SUPPLY and adjacent_strong:
        return EXTEND
    return STEADY


def classify_all(scores: dict, edges: list[tuple]) -> dict:
    """Classes of every node: `scores` maps a node key to its Score, `edges` are (supplier, customer) keys."""
    strong = {key for key, s in scores.items() if s.supply >= STRONG_SUPPLY}
    neighbours: dict = {key: set() for key in scores}
    for supplier, customer in edges:
        neighbours.setdefault(supplier, set()).add(customer)
        neighbours.setdefault(customer, set()).add(supplier)
    return {key: classify(s, adjacent_strong=bool(neighbours.get(key, set()) & strong)) for key, s in scores.items()}


def rank_targets(items: list[tuple]) -> list[tuple]:
    """(key, class, score, sort) of target nodes → ranked: gap score first, 补链 before 延链, then node order."""
    wanted = [item for item in items if item[1] in TARGET_CLASSES]
    return sorted(wanted, key=lambda item: (-item[2], TARGET_CLASSES.index(item[1]), item[3]))


# ---------------------------------------------------------------------------------------------------
# The analysis over the database.

CLASS_LABELS = {
    STRONG: gettext_lazy("强链"),
    FILL: gettext_lazy("补链"),
    EXTEND: gettext_lazy("延链"),
    STEADY: gettext_lazy("稳链"),
}
CLASS_HINTS = {
    STRONG: gettext_lazy("本地供给充足:巩固优势、做强链主"),
    FILL: gettext_lazy("本地有需求而供给薄弱:招引补齐"),
    EXTEND: gettext_lazy("本地供给与需求都还很少,紧邻强链环节:向外延伸"),
    STEADY: gettext_lazy("供需大致平衡:保持稳定,暂不列入招商目标"),
}
TERM_LABELS = {
    "enterprises": gettext_lazy("本环节企业数"),
    "revenue": gettext_lazy("本环节营业收入"),
    "staff": gettext_lazy("本环节从业人数(产能)"),
    "customer_enterprises": gettext_lazy("下游需求环节企业数"),
    "customer_revenue": gettext_lazy("下游需求环节营业收入"),
    "open_requests": gettext_lazy("在征集的需求"),
    "unmet_requests": gettext_lazy("未找到本地伙伴的需求"),
}
MONEY_TERMS = {"revenue", "customer_revenue"}
REQUEST_KINDS = (Posting.Kind.BUSINESS_REQUEST, Posting.Kind.TECH_REQUEST)
# Quality and licensing certifications describe what a supplier must hold; programme designations do not.
QUALITY_CERTIFICATIONS = ("gmp", "iso13485", "device-license")
CERTIFICATION_ALIASES = {
    "gmp": ("GMP",),
    "iso13485": ("ISO13485", "13485"),
    "device-license": ("医疗器械生产许可", "器械生产许可证", "医疗器械注册证", "器械注册证"),
    "hnte": ("高新技术企业", "高企"),
}
YI, WAN = Decimal(100_000_000), Decimal(10_000)


def yuan_text(amount) -> str:
    """Money for sentences: 12.3亿元, 850万元, 900元 (coarser than a table); in English as the engine writes it."""
    amount = Decimal(amount or 0)
    if formats.lang() == "en":
        return formats.money(amount)  # CNY 1.23 billion, CNY 8.50 million, CNY 900
    if abs(amount) >= YI:
        return _("%(n)s亿元") % {"n": f"{(amount / YI).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"}
    if abs(amount) >= WAN:
        return _("%(n)s万元") % {"n": f"{(amount / WAN).quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"}
    return _("%(n)s元") % {"n": f"{amount.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"}


@dataclass
class Demand:
    open_requests: int = 0
    unmet_requests: int = 0
    budget: Decimal = Decimal(0)  # of the open requests that state one


@dataclass
class Profile:
    """The enterprise wanted at a target node."""

    products: str
    certifications: list[str]
    certifications_source: str  # "requests", "usual" or ""
    size: str
    avg_revenue: Decimal | None
    avg_staff: int | None


@dataclass
class NodeGap:
    node: ChainNode
    supply: Supply
    demand: Demand
    numbers: NodeNumbers
    score: Score
    klass: str
    customers: list[tuple[ChainNode, Supply]]
    suppliers: list[ChainNode]
    adjacent_strong: list[ChainNode] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    profile: Profile | None = None
    comparison: Supply | None = None  # the district's figures when the scope is a town
    rank: int | None = None

    @property
    def class_label(self) -> str:
        return str(CLASS_LABELS[self.klass])

    @property
    def class_hint(self) -> str:
        return str(CLASS_HINTS[self.klass])

    @property
    def class_rule(self) -> str:
        """Which rule of the classification decided, with this node's numbers."""
        values = {
            "supply": f"{self.score.supply:.2f}",
            "score": self.score.score,
            "strong": STRONG_SUPPLY,
            "weak": WEAK_SUPPLY,
            "fill": FILL_SCORE,
        }
        if self.klass == STRONG:
            return _("供给指数 %(supply)s ≥ %(strong)s") % values
        if self.klass == FILL:
            return _("供给指数 %(supply)s < %(strong)s,缺口评分 %(score)s ≥ %(fill)s") % values
        if self.klass == EXTEND:
            return _("供给指数 %(supply)s < %(weak)s,缺口评分 %(score)s < %(fill)s,紧邻强链环节") % values
        return _("供给指数 %(supply)s < %(strong)s,缺口评分 %(score)s < %(fill)s") % values

    @property
    def certifications_text(self) -> str:
        profile = self.profile
        if profile is None or not profile.certifications:
            return ""
        listing = _("、").join(profile.certifications)
        if profile.certifications_source == "usual":
            return _("%(list)s(本环节企业常见)") % {"list": listing}
        return _("%(list)s(需求方提出)") % {"list": listing}

    def term_rows(self) -> list[dict]:
        """The terms of the score, ready for a table: label, value, half-point, level, weight, contribution."""
        rows = []
        for t in self.score.terms:
            money = t.key in MONEY_TERMS
            rows.append(
                {
                    "key": t.key,
                    "side": t.side,
                    "label": str(TERM_LABELS[t.key]),
                    "value": yuan_text(Decimal(str(t.value))) if money else f"{t.value:,.0f}",
                    "half": yuan_text(Decimal(str(t.half))) if money else f"{t.half:,.1f}".rstrip("0").rstrip("."),
                    "level": round(t.level, 2),
                    "weight": t.weight,
                    "contribution": round(t.contribution, 3),
                }
            )
        return rows


@dataclass
class GapAnalysis:
    region: Region
    comparison_region: Region | None
    nodes: list[NodeGap]
    edges: list[ChainEdge]
    half: HalfPoints
    today: date | None

    @property
    def targets(self) -> list[NodeGap]:
        return sorted((n for n in self.nodes if n.rank is not None), key=lambda n: n.rank)

    def by_code(self) -> dict[str, NodeGap]:
        return {n.node.code: n for n in self.nodes}

    def of_class(self, klass: str) -> list[NodeGap]:
        return [n for n in self.nodes if n.klass == klass]


def demand_by_node(region: Region, *, today: date | None) -> dict[int, Demand]:
    """Open requests, their stated budgets and requests without a local partner per node: one query."""
    through = Posting.nodes.through
    open_request = Q(posting__status=Posting.Status.PUBLISHED, posting__kind__in=REQUEST_KINDS)
    if today is not None:
        open_request &= Q(posting__expires_date__isnull=True) | Q(posting__expires_date__gte=today)
    rows = (
        through.objects.filter(posting__enterprise__town__path__startswith=region.path)
        .values("chainnode_id")
        .annotate(
            open=Count("posting_id", filter=open_request),
            unmet=Count("posting_id", filter=Q(posting__no_local_partner=True)),
            budget=Sum("posting__budget", filter=open_request),
        )
        .values_list("chainnode_id", "open", "unmet", "budget")
    )
    return {node_id: Demand(o, u, budget or Decimal(0)) for node_id, o, u, budget in rows}


def _normalised(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


def _patterns(types: list[CertificationType]) -> dict[str, tuple[str, ...]]:
    patterns = {}
    for t in types:
        words = {t.code, t.name, t.name_en, *CERTIFICATION_ALIASES.get(t.code, ())}
        patterns[t.code] = tuple(_normalised(w) for w in words if w and len(_normalised(w)) >= 3)
    return patterns


def certifications_asked(region: Region, node_ids: list[int], *, today: date | None) -> dict[int, list[str]]:
    """Certification type codes that the requests at each node name in their text, most asked first."""
    if not node_ids:
        return {}
    types = list(CertificationType.objects.all())
    patterns = _patterns(types)
    asked = Q(posting__no_local_partner=True) | Q(posting__status=Posting.Status.PUBLISHED)
    if today is not None:
        asked &= (
            Q(posting__no_local_partner=True)
            | Q(posting__expires_date__isnull=True)
            | Q(posting__expires_date__gte=today)
        )
    rows = (
        Posting.nodes.through.objects.filter(
            asked,
            chainnode_id__in=node_ids,
            posting__kind__in=REQUEST_KINDS,
            posting__enterprise__town__path__startswith=region.path,
        )
        .values_list("chainnode_id", "posting__title", "posting__description")
        .order_by("chainnode_id", "posting_id")[:5000]
    )
    counts: dict[int, Counter] = {}
    for node_id, title, description in rows:
        text = _normalised(f"{title} {description}")
        for code, words in patterns.items():
            if any(w in text for w in words):
                counts.setdefault(node_id, Counter())[code] += 1
    return {node_id: [code for code, _n in c.most_common()] for node_id, c in counts.items()}


def certifications_usual(node_ids: list[int]) -> dict[int, list[str]]:
    """The quality certifications that enterprises at each node hold anywhere, most frequent first (one query)."""
    if not node_ids:
        return {}
    rows = (
        Certification.objects.filter(type__code__in=QUALITY_CERTIFICATIONS, enterprise__chain_nodes__in=node_ids)
        .values("enterprise__chain_nodes", "type__code")
        .annotate(n=Count("enterprise_id", distinct=True))
        .values_list("enterprise__chain_nodes", "type__code", "n")
    )
    counts: dict[int, Counter] = {}
    for node_id, code, n in rows:
        counts.setdefault(node_id, Counter())[code] = n
    return {node_id: [code for code, _n in c.most_common(2)] for node_id, c in counts.items()}


def _reasons(gap: NodeGap, region: Region) -> list[str]:
    """The 为什么 of one node, in sentences built from the terms."""
    supply = gap.supply
    reasons = []
    demand_level = gap.score.term("customer_enterprises").level
    if gap.customers:
        strength = _("强") if demand_level >= 0.5 else (_("一般") if demand_level >= 0.25 else _("弱"))
        listing = _("、").join(
            _("%(code)s %(n)s 家") % {"code": node.code, "n": customer.enterprises} for node, customer in gap.customers
        )
        total_revenue = sum((customer.revenue for _node, customer in gap.customers), Decimal(0))
        reasons.append(
            _("需求方(下游 %(list)s,营收合计 %(revenue)s)%(strength)s")
            % {"list": listing, "revenue": yuan_text(total_revenue), "strength": strength}
        )
    else:
        reasons.append(_("没有以本环节为供给方的下游环节"))
    if supply.enterprises:
        reasons.append(
            _("本地供给 %(n)s 家(营收 %(revenue)s,从业 %(staff)s 人)")
            % {"n": supply.enterprises, "revenue": yuan_text(supply.revenue), "staff": f"{supply.staff:,}"}
        )
    else:
        reasons.append(_("%(region)s暂无本环节企业") % {"region": region.name})
    if gap.demand.open_requests and gap.demand.budget:
        reasons.append(
            _("%(n)s 条需求在征集(预算合计 %(budget)s)")
            % {"n": gap.demand.open_requests, "budget": yuan_text(gap.demand.budget)}
        )
    elif gap.demand.open_requests:
        reasons.append(_("%(n)s 条需求在征集") % {"n": gap.demand.open_requests})
    if gap.demand.unmet_requests:
        reasons.append(_("%(n)s 条需求未找到本地伙伴") % {"n": gap.demand.unmet_requests})
    if gap.klass == EXTEND and gap.adjacent_strong:
        reasons.append(
            _("紧邻强链环节 %(list)s") % {"list": _("、").join(f"{n.code} {n.name}" for n in gap.adjacent_strong)}
        )
    return reasons


def _products(node: ChainNode, edges: list[ChainEdge]) -> str:
    if node.description.strip():
        return node.description.strip()
    notes = []
    for edge in edges:
        if edge.supplier_id == node.pk and edge.note and edge.note not in notes:
            notes.append(edge.note)
    return _(";").join(notes) if notes else node.name


def _profile(gap: NodeGap, edges, asked, usual, cert_names, comparison) -> Profile:
    codes, source = asked.get(gap.node.pk, []), "requests"
    if not codes:
        codes, source = usual.get(gap.node.pk, []), ("usual" if usual.get(gap.node.pk) else "")
    reported = sum(s.reported for _n, s in gap.customers)
    avg_revenue = avg_staff = None
    if reported:
        avg_revenue = (sum((s.revenue for _n, s in gap.customers), Decimal(0)) / reported).quantize(Decimal(1))
        avg_staff = round(sum(s.staff for _n, s in gap.customers) / reported)
        size = _("与下游客户规模相当:年营收约 %(revenue)s,从业约 %(staff)s 人(下游 %(n)s 家已审年报企业的平均值)") % {
            "revenue": yuan_text(avg_revenue),
            "staff": avg_staff,
            "n": reported,
        }
    elif comparison is not None and comparison.reported:
        avg_revenue = (comparison.revenue / comparison.reported).quantize(Decimal(1))
        avg_staff = round(comparison.staff / comparison.reported)
        size = _("参照全区本环节企业平均:年营收约 %(revenue)s,从业约 %(staff)s 人") % {
            "revenue": yuan_text(avg_revenue),
            "staff": avg_staff,
        }
    else:
        size = _("暂无可参照的规模数据")
    return Profile(
        products=_products(gap.node, edges),
        certifications=[cert_names.get(code, code) for code in codes],
        certifications_source=source,
        size=size,
        avg_revenue=avg_revenue,
        avg_staff=avg_staff,
    )


def gap_analysis(*, region: Region, today: date | None = None, compare: bool = True) -> GapAnalysis:
    """The gap analysis of a town or district; `today` decides which requests are still open."""
    nodes = chain_nodes()
    edges = chain_edges()
    supply = supply_by_node(region)
    demand = demand_by_node(region, today=today)
    comparison_region = district_of(region) if compare else None
    comparison = supply_by_node(comparison_region) if comparison_region is not None else {}
    by_id = {n.pk: n for n in nodes}
    customers_of: dict[int, list[ChainNode]] = {n.pk: [] for n in nodes}
    suppliers_of: dict[int, list[ChainNode]] = {n.pk: [] for n in nodes}
    for edge in edges:
        customers_of.setdefault(edge.supplier_id, []).append(by_id[edge.customer_id])
        suppliers_of.setdefault(edge.customer_id, []).append(by_id[edge.supplier_id])

    rows = []
    for node in nodes:
        s, d = supply.get(node.pk, Supply()), demand.get(node.pk, Demand())
        customers = [(c, supply.get(c.pk, Supply())) for c in customers_of[node.pk]]
        numbers = NodeNumbers(
            enterprises=s.enterprises,
            revenue=float(s.revenue),
            staff=s.staff,
            customer_enterprises=sum(c.enterprises for _n, c in customers),
            customer_revenue=float(sum((c.revenue for _n, c in customers), Decimal(0))),
            open_requests=d.open_requests,
            unmet_requests=d.unmet_requests,
        )
        rows.append((node, s, d, customers, numbers))
    half = half_points([numbers for *_rest, numbers in rows])
    gaps = [
        NodeGap(
            node=node,
            supply=s,
            demand=d,
            numbers=numbers,
            score=gap_score(numbers, half),
            klass=STEADY,
            customers=customers,
            suppliers=suppliers_of[node.pk],
            comparison=comparison.get(node.pk, Supply()) if comparison_region is not None else None,
        )
        for node, s, d, customers, numbers in rows
    ]
    classes = classify_all({g.node.pk: g.score for g in gaps}, [(e.supplier_id, e.customer_id) for e in edges])
    strong = {pk for pk, klass in classes.items() if klass == STRONG}
    for gap in gaps:
        gap.klass = classes[gap.node.pk]
        neighbours = [*customers_of[gap.node.pk], *suppliers_of[gap.node.pk]]
        gap.adjacent_strong = [n for n in dict.fromkeys(neighbours) if n.pk in strong]
        gap.reasons = _reasons(gap, region)

    ranked = rank_targets([(g.node.pk, g.klass, g.score.score, g.node.sort) for g in gaps])
    target_ids = [pk for pk, *_rest in ranked]
    asked = certifications_asked(region, target_ids, today=today)
    usual = certifications_usual([pk for pk in target_ids if pk not in asked])
    cert_names = dict(CertificationType.objects.values_list("code", "name")) if target_ids else {}
    by_pk = {g.node.pk: g for g in gaps}
    for rank, pk in enumerate(target_ids, start=1):
        gap = by_pk[pk]
        gap.rank = rank
        gap.profile = _profile(gap, edges, asked, usual, cert_names, gap.comparison)
    return GapAnalysis(
        region=region, comparison_region=comparison_region, nodes=gaps, edges=edges, half=half, today=today
    )


# ---------------------------------------------------------------------------------------------------
# The target list as a workbook.


def _customers_text(gap) -> str:
    return _("、").join(f"{n.code} {n.name}" for n, _s in gap.customers)


def _wanted(gap, name: str) -> str:
    return getattr(gap.profile, name) if gap.profile else ""


def targets_columns() -> tuple[Column, ...]:
    """The 招商 target list with the profile wanted."""
    return (
        Column(_("排名"), "rank", "int"),
        Column(_("代码"), "node.code"),
        Column(_("产业链环节"), "node.name"),
        Column(_("类型"), "class_label"),
        Column(_("缺口评分"), "score.score", "number"),
        Column(_("为什么"), lambda gap: _(";").join(gap.reasons)),
        Column(_("目标企业:产品与服务"), lambda gap: _wanted(gap, "products")),
        Column(_("目标企业:资质要求"), "certifications_text"),
        Column(_("目标企业:规模"), lambda gap: _wanted(gap, "size")),
        Column(_("服务的本地下游"), _customers_text),
    )


def nodes_columns() -> tuple[Column, ...]:
    """Every node's analysis with its weighted terms."""
    weights = SUPPLY_WEIGHTS | DEMAND_WEIGHTS
    return (
        Column(_("代码"), "node.code"),
        Column(_("产业链环节"), "node.name"),
        Column(_("类型"), "class_label"),
        Column(_("缺口评分"), "score.score", "number"),
        Column(_("供给指数"), lambda gap: round(gap.score.supply, 3), "number"),
        Column(_("需求指数"), lambda gap: round(gap.score.demand, 3), "number"),
        Column(_("企业数"), "numbers.enterprises", "int"),
        Column(_("营业收入(元)"), "supply.revenue", "money"),
        Column(_("从业人数"), "numbers.staff", "int"),
        Column(_("下游企业数"), "numbers.customer_enterprises", "int"),
        Column(_("下游营业收入(元)"), lambda gap: sum((s.revenue for _n, s in gap.customers), Decimal(0)), "money"),
        Column(_("在征集需求"), "numbers.open_requests", "int"),
        Column(_("未找到本地伙伴"), "numbers.unmet_requests", "int"),
        *[
            Column(
                _("%(term)s(权重 %(weight)s)") % {"term": TERM_LABELS[k], "weight": weights[k]},
                lambda gap, key=k: round(gap.score.term(key).level, 3),
                "number",
            )
            for k in weights
        ],
        Column(_("为什么"), lambda gap: _(";").join(gap.reasons)),
    )


def workbook_sheets(analysis: GapAnalysis) -> list:
    """Two sheets for `sanlian.core.exports`: the 招商 targets, then every node's analysis."""
    return [(_("招商目标"), targets_columns(), analysis.targets), (_("缺口分析"), nodes_columns(), analysis.nodes)]


def targets_workbook(analysis: GapAnalysis) -> bytes:
    return workbook_bytes(workbook_sheets(analysis))
