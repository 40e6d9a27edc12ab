"""The cockpit (产业驾驶舱) and its .xlsx exports: parse the query, ask the permission layer, call the selectors."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanlian.core import formats
from sanlian.core.downloads import download
from sanlian.core.permissions import require
from sanlian.servicedesk import selectors as desk_selectors
from sanlian.servicedesk import visit_selectors
from sanlian.space import selectors as space_selectors

from . import exports, selectors
from .forms import CockpitForm, ExportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The charts of the page, in reading order; each is also a figure of `exports.FIGURES`.
CHARTS = (
    "revenue_by_year",
    "enterprises_by_year",
    "by_cluster",
    "by_park",
    "key_enterprises_by_year",
    "gene_related",
    "top_enterprises",
    "talents_by_level",
    "talents_by_industry",
    "talents_by_year",
)
WIDE_CHARTS = {"revenue_by_year"}


yuan_cn = formats.money  # money in the page's language: 1.88亿元 / CNY 188.00 million


def percent(ratio, digits: int = 1, signed: bool = False) -> str:
    return formats.percent(None if ratio is None else Decimal(str(ratio)), digits, signed)


def _cell(value, kind: str) -> dict:
    if value is None:
        return {"text": "—", "num": kind != "text"}
    if kind == "money":
        text = formats.number(value, places=2)
    elif kind == "ratio":
        text = percent(value, digits=2)
    elif kind == "int":
        text = formats.number(value)
    else:
        text = str(value)
    return {"text": text, "num": kind != "text"}


@dataclass
class Selection:
    form: CockpitForm
    towns: list
    town: object
    year: int
    years: list[int]

    def query(self, **extra) -> str:
        return urlencode({"town": self.town.code, "year": self.year, **extra})


def _select(request, form_class) -> Selection:
    """Who may look (403 for all but officers), at which town (404 unknown, 403 out of scope) and year."""
    user = request.user
    require(user, "cockpit.view")
    years = selectors.available_years()
    form = form_class(request.GET, years=years)
    valid = form.is_valid()
    towns = selectors.cockpit_towns(user=user)
    data = form.cleaned_data if valid else {}
    town = selectors.cockpit_town(user=user, code=data.get("town") or "", towns=towns)
    return Selection(form=form, towns=towns, town=town, year=data.get("year") or years[-1], years=years)


def _summaries(figures: dict) -> dict[str, str]:
    """One sentence per chart: the chart's accessible name (role="img")."""
    year, first = figures["year"], selectors.FIRST_YEAR
    revenue = next(row for row in figures["revenue_by_year"] if row["year"] == year)
    count = next(row for row in figures["enterprises_by_year"] if row["year"] == year)
    key = next(row for row in figures["key_enterprises_by_year"] if row["year"] == year)
    top = figures["top_enterprises"]

    def listing(rows):
        return _("、").join(
            _("%(name)s %(n)s家(%(revenue)s)")
            % {"name": r["name"], "n": r["enterprises"], "revenue": yuan_cn(r["revenue_yuan"])}
            for r in rows
        )

    talents = next((row for row in figures["talents_by_year"] if row["year"] == year), None)

    def counted(rows):
        return _("、").join(_("%(name)s %(n)s人") % {"name": r["name"], "n": r["talents"]} for r in rows)

    return {
        "revenue_by_year": _(
            "%(first)s–%(year)s年生物医药企业营业收入柱状图:%(year)s年为%(revenue)s,同比增长%(growth)s。"
        )
        % {
            "first": first,
            "year": year,
            "revenue": yuan_cn(revenue["revenue_yuan"]),
            "growth": percent(revenue["growth"]),
        },
        "enterprises_by_year": _("%(first)s–%(year)s年生物医药企业数柱状图:%(year)s年末为%(n)s家。")
        % {"first": first, "year": year, "n": count["enterprises"]},
        "by_cluster": _("%(year)s年各产业集群的企业数与营业收入:%(list)s。")
        % {"year": year, "list": listing(figures["by_cluster"])},
        "by_park": _("%(year)s年各园区的企业数与营业收入:%(list)s。")
        % {"year": year, "list": listing(figures["by_park"])},
        "key_enterprises_by_year": _(
            "%(first)s–%(year)s年春申重点企业堆叠柱状图:%(year)s年共%(total)s家,其中生物医药%(bio)s家。"
        )
        % {"first": first, "year": year, "total": key["total"], "bio": key["biomedical"]},
        "gene_related": _("基因相关企业饼图:%(n)s家,占生物医药企业的%(share)s。")
        % {"n": figures["gene_related"], "share": percent(figures["gene_related_share"])},
        "top_enterprises": (
            _("%(year)s年营业收入前%(n)s位企业条形图,第一位是%(name)s(%(revenue)s)。")
            % {"year": year, "n": len(top), "name": top[0]["name"], "revenue": yuan_cn(top[0]["revenue_yuan"])}
            if top
            else _("%(year)s年暂无已审核的营业收入数据。") % {"year": year}
        ),
        "talents_by_level": (
            _("%(year)s年春申人才层次柱状图:共%(n)s人,%(list)s。")
            % {"year": year, "n": figures["talents"], "list": counted(figures["talents_by_level"])}
            if figures["talents_by_level"]
            else _("%(year)s年没有春申人才计划。") % {"year": year}
        ),
        "talents_by_industry": _("%(year)s年春申人才产业分布饼图:%(list)s。")
        % {"year": year, "list": counted(figures["talents_by_industry"])},
        "talents_by_year": (
            _("历年春申人才堆叠柱状图:%(year)s年%(n)s人,其中生物医药产业%(bio)s人。")
            % {"year": year, "n": talents["talents"], "bio": talents["biomedical"]}
            if talents
            else _("%(year)s年没有春申人才计划。") % {"year": year}
        ),
    }


def _cards(figures: dict, selection: Selection) -> list[dict]:
    summaries = _summaries(figures)
    export_url = reverse("dashboard:export")
    cards = []
    for key in CHARTS:
        figure, rows = exports.figure_table(figures, key)
        table = [[_cell(value, kind) for value, kind in row] for row in rows]
        if key == "top_enterprises":
            name_col = [c.key for c in figure.columns].index("name")
            for cells, row in zip(table, figures["top_enterprises"], strict=True):
                cells[name_col]["url"] = reverse("enterprises:detail", args=[row["enterprise_id"]])
        cards.append(
            {
                "key": key,
                "wide": key in WIDE_CHARTS,
                "title": figure.title,
                "summary": summaries[key],
                "headers": [{"text": c.header, "num": c.numeric} for c in figure.columns],
                "rows": table,
                "export_url": f"{export_url}?{selection.query(figure=key)}",
            }
        )
    return cards


def _tiles(figures: dict) -> list[dict]:
    year = figures["year"]
    revenue = next(row for row in figures["revenue_by_year"] if row["year"] == year)
    key = next(row for row in figures["key_enterprises_by_year"] if row["year"] == year)
    return [
        {
            "label": _("生物医药企业"),
            "value": formats.number(figures["biomedical_enterprises"]),
            "unit": _("家"),
            "note": _("截至%(year)s年底") % {"year": year},
        },
        {
            "label": _("%(year)s年营业收入") % {"year": year},
            "value": yuan_cn(figures["biomedical_revenue_yuan"]),
            "note": _("已审核年报 %(n)s 份") % {"n": figures["revenue_reports"]},
        },
        {
            "label": _("营业收入同比增长"),
            "value": percent(revenue["growth"], signed=True),
            "note": _("较%(year)s年") % {"year": year - 1},
        },
        {
            "label": _("占%(district)s生物医药企业") % {"district": figures["district"] or _("全区")},
            "value": percent(figures["district_share"]),
            "note": _("全区 %(n)s 家") % {"n": figures["district_biomedical_enterprises"]},
        },
        {
            "label": _("基因相关企业占比"),
            "value": percent(figures["gene_related_share"]),
            "note": _("%(n)s 家") % {"n": figures["gene_related"]},
        },
        {
            "label": _("%(year)s年春申重点企业") % {"year": year},
            "value": formats.number(figures["key_enterprises"]),
            "unit": _("家"),
            "note": _("其中生物医药 %(n)s 家(%(share)s)")
            % {"n": figures["key_enterprises_biomedical"], "share": percent(key["biomedical_share"])},
        },
        {
            "label": _("%(year)s年春申人才") % {"year": year},
            "value": formats.number(figures["talents"]),
            "unit": _("人"),
            "note": _("其中生物医药产业 %(n)s 人(%(share)s)")
            % {
                "n": figures["talents_biomedical"],
                "share": percent(figures["talents_biomedical"] / figures["talents"] if figures["talents"] else None),
            },
        },
    ]


def _chart_data(figures: dict) -> dict:
    """What static/js/cockpit.js draws; money travels as exact decimal strings, labels already translated."""
    top = [
        {**row, "url": reverse("enterprises:detail", args=[row["enterprise_id"]])} for row in figures["top_enterprises"]
    ]
    gene = [
        {"name": row["category"], "value": row["enterprises"]} for row in exports.FIGURES["gene_related"].rows(figures)
    ]
    return {
        "labels": {
            "revenue": _("营业收入"),
            "growth": _("同比增长"),
            "enterprises": _("企业数"),
            "count_unit": _("家"),
            # The money units the charts step through, largest first (亿元/万元/元; CNY billion/million).
            "money_units": formats.chart_money_units(),
            "biomedical": _("生物医药"),
            "other": _("其他行业"),
            "talents": _("人才数"),
            "person_unit": _("人"),
            "other_industries": _("其他产业"),
        },
        "figures": {
            "revenue_by_year": figures["revenue_by_year"],
            "enterprises_by_year": figures["enterprises_by_year"],
            "by_cluster": figures["by_cluster"],
            "by_park": figures["by_park"],
            "key_enterprises_by_year": figures["key_enterprises_by_year"],
            "gene_related": gene,
            "top_enterprises": top,
            "talents_by_level": figures["talents_by_level"],
            "talents_by_industry": figures["talents_by_industry"],
            "talents_by_year": figures["talents_by_year"],
        },
    }


def _days(value) -> str:
    return "—" if value is None else f"{value:g}"


def _service_tiles(town, now) -> list[dict]:
    """The service desk and visits as of today (not the selected year: they are live work)."""
    desk = desk_selectors.desk_figures(town, year=now.year, now=now)
    visits = visit_selectors.visit_figures(town, now.year)
    requests_url = reverse("servicedesk:requests")
    rating = desk["mean_rating"]
    share = None if visits["biomedical_share"] is None else visits["biomedical_share"] / 100
    return [
        {"label": _("未办结诉求"), "value": formats.number(desk["open"]), "unit": _("件"), "url": requests_url,
         "note": _("待受理、办理中或待企业确认")},
        {"label": _("超期诉求"), "value": formats.number(desk["overdue"]), "unit": _("件"),
         "url": f"{requests_url}?overdue=on", "note": _("超过受理或办结时限"), "alert": desk["overdue"] > 0},
        {"label": _("受理用时中位数"), "value": _days(desk["median_ack_days"]), "unit": _("个工作日"),
         "note": _("%(year)s年提交的 %(n)s 件诉求") % {"year": desk["year"], "n": desk["total"]}},
        {"label": _("办结用时中位数"), "value": _days(desk["median_resolve_days"]), "unit": _("个工作日"),
         "note": _("从提交到办结答复")},
        {"label": _("满意度"), "value": "—" if rating is None else f"{rating:.2f}", "unit": "/ 5",
         "note": _("%(n)s 件已评价") % {"n": desk["rated"]}},
        {"label": _("%(year)s年走访覆盖") % {"year": now.year}, "value": percent(share),
         "url": reverse("servicedesk:visits"),
         "note": _("已走访生物医药企业 %(visited)s / %(total)s 家")
         % {"visited": visits["biomedical_visited"], "total": visits["biomedical_total"]}},
    ]  # fmt: skip


@require_GET
def cockpit(request):
    selection = _select(request, CockpitForm)
    context = {
        "form": selection.form,
        "towns": selection.towns,
        "town": selection.town,
        "year": selection.year,
        "years": list(reversed(selection.years)),
    }
    if not selection.form.is_valid():
        return render(request, "dashboard/cockpit.html", context, status=400)
    figures = selectors.cockpit_summary(selection.town, selection.year)
    context.update(
        {
            "figures": figures,
            "tiles": _tiles(figures),
            "cards": _cards(figures, selection),
            "data": _chart_data(figures),
            "service_tiles": _service_tiles(selection.town, timezone.now()),
            "export_all_url": f"{reverse('dashboard:export')}?{selection.query()}",
            "space_parks": space_selectors.park_figures(
                selection.town, selection.year, current_year=timezone.localdate().year
            ),
            "space_year": timezone.localdate().year,
        }
    )
    return render(request, "dashboard/cockpit.html", context)


@require_GET
def export(request):
    """Every figure (or `?figure=<key>`) as one .xlsx workbook, under the same permission check as the page."""
    selection = _select(request, ExportForm)
    form = selection.form
    if not form.is_valid():
        lines = [f"{form.fields[field].label}: {' '.join(errors)}" for field, errors in form.errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    figure = form.cleaned_data.get("figure") or ""
    figures = selectors.cockpit_summary(selection.town, selection.year)
    content = exports.workbook_bytes(figures, [figure] if figure else None)
    filename = f"cockpit-{selection.town.code}-{selection.year}{'-' + figure if figure else ''}.xlsx"
    return download(content, filename=f"{filename}", content_type=XLSX)
