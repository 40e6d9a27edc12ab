"""Every list's .xlsx export: one column spec, one writer, one response, one audit record.

A list view hands its own queryset (the same selector and permission scope as the page, without the page
slice) and a tuple of `Column`s to `xlsx_response`. Rows are read with `.iterator(chunk_size=CHUNK)`, so a
district's 100,000-row directory never sits in memory; openpyxl's write-only mode spools each row to a
temporary file, the finished workbook is a temporary file too, and the response streams it in blocks.

Cells are typed: numbers and money stay numbers (Decimal is written as an exact literal), dates and
times are Excel dates in the local time zone. Text typed by users is made inert: a cell that starts with
= + - @ (also after leading spaces) or with a tab / carriage return is prefixed with an apostrophe, so a
spreadsheet shows it as typed and never evaluates it. Personal data is masked by the column's getter with
`sanlian.core.masking`, exactly as on screen: a file travels further than a screen.
"""

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .downloads import download
from .services import audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000  # rows per database round trip (a server-side cursor on PostgreSQL)
BLOCK = 64 * 1024  # bytes per streamed block
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
NUMBER_FORMATS = {
    "int": "#,##0",
    "year": "0",
    "number": "#,##0.###",
    "money": "#,##0.00",
    "ratio": "0.00%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def inert(value):
    """A cell value that a spreadsheet shows as typed, never evaluates (formula / CSV injection)."""
    if isinstance(value, str) and (value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def yes_no(value) -> str:
    return _("是") if value else _("否")


@dataclass(frozen=True)
class Column:
    """One column: its (translated) header, how to read the value from a row, and its cell type.

    `value` is a dotted attribute path ("enterprise.town.name"; a missing link gives "") or a callable
    taking the row. `kind` picks the number format (int, year, number, money, ratio, date, datetime);
    whatever the kind, numbers and dates stay typed and any text is made inert.
    """

    header: Any
    value: str | Callable[[Any], Any]
    kind: str = "text"

    def __post_init__(self):
        object.__setattr__(self, "_path", None if callable(self.value) else tuple(self.value.split(".")))

    def read(self, row):
        if self._path is None:
            return self.value(row)
        for name in self._path:
            row = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
            if row is None:
                return ""
        return row() if callable(row) else row


_KINDS = {
    "DateTimeField": "datetime",
    "DateField": "date",
    "IntegerField": "int",
    "PositiveIntegerField": "int",
    "PositiveSmallIntegerField": "int",
    "SmallIntegerField": "int",
    "BigIntegerField": "int",
    "FloatField": "number",
}


def field(model, path: str, header=None) -> Column:
    """A column for a model field (or a dotted path through relations): its verbose name as the header,
    its choices shown by their labels, its type picking the cell format."""
    names = path.split(".")
    for name in names[:-1]:
        model = model._meta.get_field(name).related_model
    model_field = model._meta.get_field(names[-1])
    kind = _KINDS.get(model_field.get_internal_type(), "text")
    if model_field.get_internal_type() == "DecimalField":
        kind = "money" if model_field.decimal_places == 2 else "number"
    value: str | Callable = path
    if model_field.choices:
        labels = dict(model_field.flatchoices)

        def value(row, _path=path, _labels=labels):
            raw = Column("", _path).read(row)
            return _labels.get(raw, raw)

    return Column(header if header is not None else model_field.verbose_name, value, kind)


def fields(model, *paths: str) -> tuple[Column, ...]:
    return tuple(field(model, path) for path in paths)


def cell_value(value):
    """A Python value as it is written: numbers and dates typed, text inert, times local and naive."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float | Decimal):
        return value
    return inert(str(value))


def sheet_title(title) -> str:
    return str(title).translate(_SHEET_TITLE_FORBIDDEN)[:31] or "Sheet"


def write_sheet(workbook: Workbook, *, title, columns: Sequence[Column], rows: Iterable) -> int:
    """Append a header and one line per row to a new write-only sheet; return the number of rows."""
    sheet = workbook.create_sheet(sheet_title(title))
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=inert(str(column.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in columns]
    count = 0
    for row in rows:
        line = []
        for column, number_format in zip(columns, formats, strict=True):
            value = cell_value(column.read(row))
            if number_format and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                value = cell
            line.append(value)
        sheet.append(line)
        count += 1
    return count


def chunked(rows):
    """A queryset read in chunks from the database (prefetches run per chunk); anything else as it is."""
    return rows.iterator(chunk_size=CHUNK) if isinstance(rows, QuerySet) else rows


def workbook_file(sheets: Sequence[tuple[Any, Sequence[Column], Iterable]]):
    """The workbook of (title, columns, rows) sheets in a temporary file at offset 0, and its row count."""
    workbook = Workbook(write_only=True)
    count = sum(write_sheet(workbook, title=t, columns=c, rows=chunked(r)) for t, c, r in sheets)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes (and so deletes) it
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, count


def workbook_bytes(sheets) -> bytes:
    handle, _count = workbook_file(sheets)
    with handle:
        return handle.read()


def xlsx_response(
    request,
    *,
    list_name: str,
    filename: str,
    columns: Sequence[Column],
    rows: Iterable,
    title=None,
    target=None,
    extra_sheets: Sequence[tuple[Any, Sequence[Column], Iterable]] = (),
):
    """The list's rows as a streamed .xlsx attachment, audited with who, which list, which filter, how many.

    `rows` is the page's queryset (already scoped by the permission layer and filtered) without its page.
    `filename` may be Chinese: Django writes it as RFC 5987 `filename*=utf-8''…` with an ASCII fallback.
    """
    user = request.user
    if not user.is_authenticated:
        # A bulk copy is always someone's: public lists are open to read, their export needs a login.
        return redirect_to_login(request.get_full_path())
    handle, count = workbook_file([(title or list_name, columns, rows), *extra_sheets])
    audit_record(
        actor=user,
        action="list.export",
        target=target if target is not None else user,
        changes={"list": list_name, "filter": export_filter(request), "rows": count},
    )
    response = download(handle, filename=filename, content_type=XLSX)
    response.block_size = BLOCK
    return response


def export_filter(request) -> str:
    """The list's filter as the page shows it: its query string without page number and format."""
    query = request.GET.copy()
    for key in ("page", "format", "export"):
        query.pop(key, None)
    return query.urlencode()


def wants_xlsx(request) -> bool:
    """A list page's `?format=xlsx`: the same view and filter, the rows as a spreadsheet."""
    return request.GET.get("format") == "xlsx" or request.GET.get("export") == "xlsx"  # the latter: old links
