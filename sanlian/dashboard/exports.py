"""Cockpit figures as tables and as an .xlsx workbook (openpyxl, built in memory), one sheet per figure.

`FIGURES` describes every figure once (title, columns, how to read its rows from `selectors.cockpit()`),
so the page's data tables, the workbook and any later export show the same columns and numbers.
Money stays Decimal up to the cell: openpyxl writes a Decimal as an exact number literal.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from sanlian.core.exports import inert

RATIO_FORMAT = "0.00%"
INT_FORMAT = "#,##0"
YEAR_FORMAT = "0"
NUMBER_FORMATS = {"ratio": RATIO_FORMAT, "int": INT_FORMAT, "year": YEAR_FORMAT}


def money_format() -> str:
    """Yuan with two decimals and the unit in the reader's language: 1,234.00元 or 1,234.00 yuan."""
    return f'#,##0.00"{_("元")}"'


_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | int | year | money | ratio | auto (the row's own "kind")

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[dict], list[dict]]


def _year_row(figures: dict, key: str) -> dict:
    return next((row for row in figures[key] if row["year"] == figures["year"]), {})


def _overview_rows(f: dict) -> list[dict]:
    key = _year_row(f, "key_enterprises_by_year")
    return [
        {"metric": _("镇/街道"), "value": f["town"], "kind": "text"},
        {"metric": _("年度"), "value": f["year"], "kind": "year"},
        {"metric": _("生物医药企业数"), "value": f["biomedical_enterprises"], "kind": "int"},
        {"metric": _("生物医药企业营业收入(元)"), "value": f["biomedical_revenue_yuan"], "kind": "money"},
        {"metric": _("已审核年报数"), "value": f["revenue_reports"], "kind": "int"},
        {"metric": _("营业收入同比增长"), "value": _year_row(f, "revenue_by_year").get("growth"), "kind": "ratio"},
        {"metric": _("全区生物医药企业数"), "value": f["district_biomedical_enterprises"], "kind": "int"},
        {"metric": _("占全区生物医药企业比重"), "value": f["district_share"], "kind": "ratio"},
        {"metric": _("基因相关企业数"), "value": f["gene_related"], "kind": "int"},
        {"metric": _("基因相关企业占比"), "value": f["gene_related_share"], "kind": "ratio"},
        {"metric": _("春申重点企业数"), "value": f["key_enterprises"], "kind": "int"},
        {"metric": _("其中生物医药企业"), "value": f["key_enterprises_biomedical"], "kind": "int"},
        {"metric": _("重点企业中生物医药占比"), "value": key.get("biomedical_share"), "kind": "ratio"},
        {"metric": _("春申人才数"), "value": f["talents"], "kind": "int"},
        {"metric": _("其中生物医药产业人才"), "value": f["talents_biomedical"], "kind": "int"},
        {"metric": _("人才中生物医药占比"), "value": _ratio(f["talents_biomedical"], f["talents"]), "kind": "ratio"},
    ]


def _ratio(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def _talent_year_rows(f: dict) -> list[dict]:
    return [{**row, "biomedical_share": _ratio(row["biomedical"], row["talents"])} for row in f["talents_by_year"]]


def _talent_share_rows(key: str):
    def rows(f: dict) -> list[dict]:
        total = sum(row["talents"] for row in f[key])
        return [{**row, "share": _ratio(row["talents"], total)} for row in f[key]]

    return rows


def _gene_rows(f: dict) -> list[dict]:
    total, gene = f["biomedical_enterprises"], f["gene_related"]
    return [
        {"category": _("基因相关"), "enterprises": gene, "share": f["gene_related_share"]},
        {
            "category": _("其他生物医药企业"),
            "enterprises": total - gene,
            "share": round((total - gene) / total, 4) if total else None,
        },
    ]


def _top_rows(f: dict) -> list[dict]:
    return [{"rank": rank, **row} for rank, row in enumerate(f["top_enterprises"], start=1)]


REVENUE = Column("revenue_yuan", _("营业收入(元)"), "money")
ENTERPRISES = Column("enterprises", _("生物医药企业数"), "int")
YEAR = Column("year", _("年度"), "year")
TALENTS = Column("talents", _("人才数"), "int")
SHARE = Column("share", _("占比"), "ratio")

FIGURES: dict[str, Figure] = {
    figure.key: figure
    for figure in (
        Figure(
            "overview",
            _("核心指标"),
            (Column("metric", _("指标")), Column("value", _("数值"), "auto")),
            _overview_rows,
        ),
        Figure(
            "revenue_by_year",
            _("历年营业收入"),
            (YEAR, REVENUE, Column("reports", _("已审核年报数"), "int"), Column("growth", _("同比增长"), "ratio")),
            lambda f: f["revenue_by_year"],
        ),
        Figure(
            "enterprises_by_year",
            _("历年生物医药企业数"),
            (YEAR, ENTERPRISES, Column("growth", _("同比增长"), "ratio")),
            lambda f: f["enterprises_by_year"],
        ),
        Figure(
            "by_cluster",
            _("产业集群分布"),
            (Column("name", _("产业集群")), ENTERPRISES, REVENUE),
            lambda f: f["by_cluster"],
        ),
        Figure(
            "by_park",
            _("园区分布"),
            (Column("name", _("园区")), ENTERPRISES, REVENUE),
            lambda f: f["by_park"],
        ),
        Figure(
            "key_enterprises_by_year",
            _("春申重点企业"),
            (
                YEAR,
                Column("total", _("重点企业数"), "int"),
                Column("biomedical", _("其中生物医药"), "int"),
                Column("other", _("其他行业"), "int"),
                Column("biomedical_share", _("生物医药占比"), "ratio"),
            ),
            lambda f: f["key_enterprises_by_year"],
        ),
        Figure(
            "gene_related",
            _("基因相关企业占比"),
            (Column("category", _("类别")), ENTERPRISES, Column("share", _("占比"), "ratio")),
            _gene_rows,
        ),
        Figure(
            "top_enterprises",
            _("营业收入前十企业"),
            (
                Column("rank", _("排名"), "int"),
                Column("name", _("企业名称")),
                Column("cluster", _("产业集群")),
                REVENUE,
                Column("employees", _("从业人数"), "int"),
            ),
            _top_rows,
        ),
        Figure(
            "talents_by_level",
            _("春申人才层次分布"),
            (Column("name", _("层次")), TALENTS, SHARE),
            _talent_share_rows("talents_by_level"),
        ),
        Figure(
            "talents_by_industry",
            _("春申人才产业分布"),
            (Column("name", _("产业")), TALENTS, SHARE),
            _talent_share_rows("talents_by_industry"),
        ),
        Figure(
            "talents_by_year",
            _("历年春申人才"),
            (
                YEAR,
                TALENTS,
                Column("biomedical", _("其中生物医药"), "int"),
                Column("other", _("其他产业"), "int"),
                Column("biomedical_share", _("生物医药占比"), "ratio"),
            ),
            _talent_year_rows,
        ),
    )
}


def figure_table(figures: dict, key: str) -> tuple[Figure, list[list[tuple[object, str]]]]:
    """A figure's rows as lists of (value, kind) cells, in column order."""
    figure = FIGURES[key]
    rows = []
    for row in figure.rows(figures):
        rows.append([(row.get(c.key), row.get("kind", "text") if c.kind == "auto" else c.kind) for c in figure.columns])
    return figure, rows


def _write_cell(cell, value, kind: str) -> None:
    if value is None:
        return
    if kind == "money":
        cell.value = value if isinstance(value, Decimal) else Decimal(value)
    elif kind in NUMBER_FORMATS:
        cell.value = value
    else:
        cell.value = inert(str(value))  # a name typed as "=…" stays text, never a formula
        return
    cell.number_format = money_format() if kind == "money" else NUMBER_FORMATS[kind]
    cell.alignment = Alignment(horizontal="right")


def _sheet_title(title: str) -> str:
    return str(title).translate(_SHEET_TITLE_FORBIDDEN)[:31]


def _display_width(text: str) -> int:
    # CJK characters take about two columns in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def workbook_bytes(figures: dict, keys: Iterable[str] | None = None) -> bytes:
    """One .xlsx workbook with a sheet per figure (all of `FIGURES` unless `keys` is given), as bytes."""
    keys = list(FIGURES) if keys is None else list(keys)
    unknown = [key for key in keys if key not in FIGURES]
    if unknown:
        raise KeyError(", ".join(unknown))
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"{figures['town']} {figures['year']} {_('产业驾驶舱')}"
    wb.properties.creator = str(_("三链产业集群公共服务平台"))
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="EEF2F6")
    for key in keys:
        figure, rows = figure_table(figures, key)
        ws = wb.create_sheet(_sheet_title(figure.title))
        widths = []
        for col, column in enumerate(figure.columns, start=1):
            cell = ws.cell(row=1, column=col, value=str(column.header))
            cell.font, cell.fill = header_font, header_fill
            widths.append(_display_width(str(column.header)))
        for r, row in enumerate(rows, start=2):
            for col, (value, kind) in enumerate(row, start=1):
                _write_cell(ws.cell(row=r, column=col), value, kind)
                shown = f"{value:,.2f}{_('元')}" if kind == "money" and value is not None else str(value or "")
                widths[col - 1] = max(widths[col - 1], _display_width(shown))
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = min(max(width + 2, 10), 60)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.oddHeader.center.text = f"{figures['town']} {figures['year']} {figure.title}"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
