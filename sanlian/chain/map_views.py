"""The chain map (产业链图谱), a node's page, editing the chain graph and the gap analysis with its
招商 target list: parse input → one selector or service call → render."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanlian.core import formats
from sanlian.core.exports import xlsx_response
from sanlian.core.forms import apply_service_errors
from sanlian.core.pagination import IdsFirstPaginator
from sanlian.core.permissions import has_perm, require
from sanlian.enterprises.models import ChainNode

from . import gaps as gap_module
from . import map_selectors as selectors
from .map_forms import SIZES, EdgeForm, ScopeForm
from .models import ChainEdge
from .services.edges import edge_add, edge_remove

PAGE_SIZE = 25
# Colours of the classes on the map (also the legend); readable on white and distinct for colour-blind
# readers by lightness as well as hue.
CLASS_COLOURS = {
    gap_module.STRONG: "#1f7a3a",
    gap_module.FILL: "#b3261e",
    gap_module.EXTEND: "#f0a500",
    gap_module.STEADY: "#5b8db8",
}


def _scope(request, *, action: str):
    """(form, scopes, region) of a page: 403 for a role that may never look, 404 for a scope not theirs."""
    user = request.user
    require(user, action)
    scopes = selectors.map_scopes(user=user)
    sizes = SIZES if _sees_money(user) else SIZES[:1]
    form = ScopeForm(request.GET or None, scopes=scopes, sizes=sizes)
    code = (request.GET.get("scope") or "").strip()
    region = selectors.map_scope(user=user, code=code, scopes=scopes)
    return form, scopes, region


def _sees_money(user) -> bool:
    """Revenue per node can reveal one enterprise's figures where a node has few: officers only."""
    return user.is_superuser or user.is_officer


def _query(region, **extra) -> str:
    return urlencode({"scope": region.code, **extra})


def _money_text(amount) -> str:
    return gap_module.yuan_text(amount) if amount is not None else "—"


def _summary(analysis, region) -> str:
    """One sentence for the chart's accessible name."""
    by_class = {klass: [g.node.code for g in analysis.of_class(klass)] for klass in gap_module.CLASSES}
    parts = [
        _("%(label)s %(codes)s") % {"label": gap_module.CLASS_LABELS[klass], "codes": _("、").join(codes)}
        for klass, codes in by_class.items()
        if codes
    ]
    return _("%(region)s生物医药产业链图谱:%(nodes)s 个环节、%(edges)s 条供需关系;%(classes)s。") % {
        "region": region.name,
        "nodes": len(analysis.nodes),
        "edges": len(analysis.edges),
        "classes": _(";").join(parts),
    }


def _map_data(analysis, region, *, size: str, money: bool, links: list[dict]) -> dict:
    """What static/js/chain-map.js draws; money travels as exact decimal strings in yuan."""
    nodes = []
    for gap in analysis.nodes:
        comparison = gap.comparison
        nodes.append(
            {
                "code": gap.node.code,
                "name": gap.node.name,
                "stage": gap.node.stage,
                "enterprises": gap.supply.enterprises,
                "revenue_yuan": str(gap.supply.revenue) if money else None,
                "district_enterprises": comparison.enterprises if comparison is not None else None,
                "class": gap.klass,
                "class_label": gap.class_label,
                "score": gap.score.score if money else None,
                "url": f"{reverse('chain:node', args=[gap.node.code])}?{_query(region)}",
            }
        )
    return {
        "size": size,
        "money": money,
        "labels": {
            "enterprises": _("企业数"),
            "revenue": _("营业收入"),
            "score": _("缺口评分"),
            "district": _("全区"),
            "count_unit": _("家"),
            # The money units of the tooltips, largest first (亿元/万元/元; CNY billion/million).
            "money_units": formats.chart_money_units(),
            "realised": _("已签约合作"),
            "edge": _("供需关系"),
            "enterprise": _("企业"),
        },
        "stages": {
            "upstream": _("上游"),
            "midstream": _("中游"),
            "downstream": _("下游"),
            "support": _("支撑"),
        },
        "classes": [
            {"key": klass, "label": str(gap_module.CLASS_LABELS[klass]), "color": CLASS_COLOURS[klass]}
            for klass in gap_module.CLASSES
        ],
        "nodes": nodes,
        "edges": [{"source": e.supplier.code, "target": e.customer.code, "note": e.note} for e in analysis.edges],
        "links": [
            {
                "supplier": {"id": link["supplier_id"], "name": link["supplier_name"], "node": link["supplier_node"]},
                "customer": {"id": link["customer_id"], "name": link["customer_name"], "node": link["customer_node"]},
                "title": link["title"],
                "amount_yuan": str(link["amount"]) if link.get("amount") is not None else None,
                "signed_date": link["signed_date"].isoformat() if link.get("signed_date") else None,
                "signed_day": formats.day(link["signed_date"]) if link.get("signed_date") else None,
            }
            for link in links
        ],
    }


@require_GET
def chain_map(request):
    user = request.user
    form, scopes, region = _scope(request, action="chain.view")
    money = _sees_money(user)
    size = form.cleaned("size", "enterprises") if money else "enterprises"
    analysis = gap_module.gap_analysis(region=region, today=timezone.localdate())
    links, links_total = selectors.realised_links(user=user, region=region)
    return render(
        request,
        "chain/map/map.html",
        {
            "form": form,
            "scopes": scopes,
            "region": region,
            "size": size,
            "sizes": SIZES if money else SIZES[:1],
            "money": money,
            "analysis": analysis,
            "summary": _summary(analysis, region),
            "links": links,
            "links_total": links_total,
            "data": _map_data(analysis, region, size=size, money=money, links=links),
            "class_colours": [
                (gap_module.CLASS_LABELS[k], gap_module.CLASS_HINTS[k], k, CLASS_COLOURS[k]) for k in gap_module.CLASSES
            ],
            "can_edit": has_perm(user, "chain.edit"),
            "can_see_gaps": has_perm(user, "gap.view"),
            "query": _query(region),
        },
    )


@require_GET
def node_detail(request, code):
    user = request.user
    form, scopes, region = _scope(request, action="chain.view")
    node = get_object_or_404(ChainNode, code=code)
    money = _sees_money(user)
    enterprises = selectors.node_enterprises(user=user, node=node, region=region)
    page = IdsFirstPaginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    reports = selectors.latest_revenue(page.object_list)
    rows = [{"enterprise": e, "report": reports.get(e.pk)} for e in page.object_list]
    supply = selectors.supply_by_node(region)
    edges = selectors.chain_edges()

    def neighbour(other, edge):
        figures = supply.get(other.pk, selectors.Supply())
        return {
            "node": other,
            "note": edge.note,
            "enterprises": figures.enterprises,
            "revenue": _money_text(figures.revenue) if money else None,
            "url": f"{reverse('chain:node', args=[other.code])}?{_query(region)}",
        }

    suppliers = [neighbour(e.supplier, e) for e in edges if e.customer_id == node.pk]
    customers = [neighbour(e.customer, e) for e in edges if e.supplier_id == node.pk]
    gap = None
    if has_perm(user, "gap.view"):
        gap = gap_module.gap_analysis(region=region, today=timezone.localdate()).by_code().get(node.code)
    own = supply.get(node.pk, selectors.Supply())
    return render(
        request,
        "chain/map/node.html",
        {
            "node": node,
            "region": region,
            "scopes": scopes,
            "form": form,
            "page": page,
            "rows": rows,
            "money": money,
            "own": own,
            "own_revenue": _money_text(own.revenue) if money else None,
            "suppliers": suppliers,
            "customers": customers,
            "gap": gap,
            "can_edit": has_perm(user, "chain.edit"),
            "query": _query(region),
            "querystring": _query(region),
        },
    )


def edges(request):
    """Officers list, add and remove the supplier → customer edges of the chain graph."""
    user = request.user
    require(user, "chain.edit")
    form = EdgeForm(request.POST if request.POST.get("action") == "add" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            if form.is_valid():
                try:
                    edge = edge_add(
                        actor=user,
                        supplier=form.cleaned_data["supplier"],
                        customer=form.cleaned_data["customer"],
                        note=form.cleaned_data["note"],
                        now=timezone.now(),
                    )
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("已添加 %(supplier)s → %(customer)s")
                        % {"supplier": edge.supplier.code, "customer": edge.customer.code},
                    )
                    return redirect("chain:edges")
            status = 400
        elif action == "remove":
            edge = get_object_or_404(
                ChainEdge.objects.select_related("supplier", "customer"), pk=_int(request.POST.get("edge"))
            )
            label = f"{edge.supplier.code} → {edge.customer.code}"
            try:
                edge_remove(actor=user, edge=edge, now=timezone.now())
            except ValidationError as exc:
                messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
            else:
                messages.success(request, _("已删除 %(edge)s") % {"edge": label})
            return redirect("chain:edges")
        else:
            return HttpResponse(_("未知的操作"), status=400, content_type="text/plain; charset=utf-8")
    return render(
        request,
        "chain/map/edges.html",
        {"form": form, "edges": selectors.chain_edges()},
        status=status,
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_GET
def gaps(request):
    form, scopes, region = _scope(request, action="gap.view")
    analysis = gap_module.gap_analysis(region=region, today=timezone.localdate())
    return render(
        request,
        "chain/map/gaps.html",
        {
            "form": form,
            "scopes": scopes,
            "region": region,
            "analysis": analysis,
            "weights": _weights(analysis),
            "rules": {
                "strong": gap_module.STRONG_SUPPLY,
                "weak": gap_module.WEAK_SUPPLY,
                "fill": gap_module.FILL_SCORE,
            },
            "can_edit": has_perm(request.user, "chain.edit"),
            "query": _query(region),
        },
    )


def _weights(analysis) -> list[dict]:
    """The terms of the score with their weights and half-points, for the page's 评分规则."""
    half = analysis.half
    halves = {
        "enterprises": _("%(n)s 家(各环节平均)") % {"n": f"{half.enterprises:.1f}"},
        "revenue": _("%(v)s(各环节平均)") % {"v": gap_module.yuan_text(Decimal(str(round(half.revenue))))},
        "staff": _("%(n)s 人(各环节平均)") % {"n": f"{half.staff:.0f}"},
        "customer_enterprises": _("%(n)s 家(各环节平均)") % {"n": f"{half.enterprises:.1f}"},
        "customer_revenue": _("%(v)s(各环节平均)") % {"v": gap_module.yuan_text(Decimal(str(round(half.revenue))))},
        "open_requests": _("%(n)s 条") % {"n": f"{gap_module.REQUEST_HALF:g}"},
        "unmet_requests": _("%(n)s 条") % {"n": f"{gap_module.UNMET_HALF:g}"},
    }
    rows = []
    for side, weights in (("supply", gap_module.SUPPLY_WEIGHTS), ("demand", gap_module.DEMAND_WEIGHTS)):
        for key, weight in weights.items():
            rows.append(
                {
                    "side": _("供给") if side == "supply" else _("需求"),
                    "label": gap_module.TERM_LABELS[key],
                    "weight": weight,
                    "half": halves[key],
                }
            )
    return rows


@require_GET
def gaps_export(request):
    _form, _scopes, region = _scope(request, action="gap.view")
    analysis = gap_module.gap_analysis(region=region, today=timezone.localdate())
    (title, columns, targets), *nodes = gap_module.workbook_sheets(analysis)
    return xlsx_response(
        request, list_name="chain.gaps", title=title, filename=f"chain-targets-{region.code}.xlsx",
        columns=columns, rows=targets, extra_sheets=nodes, target=region,
    )  # fmt: skip
