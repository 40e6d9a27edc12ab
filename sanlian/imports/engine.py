"""The Django half of the import framework: read → map → parse → check → write, one report.

An `Importer` (one per kind, see kinds.py) declares its columns and its key, checks the parsed rows in
bulk (lookups preloaded, the registry services' own rules) and writes the valid ones in batches with
bulk audit events. `run_import` drives it: per-file problems raise ValidationError on "file"; per-row
problems land in the report as (row, column, value, reason). All-or-nothing unless `partial`: a dry
run, or a run with any rejected row, writes nothing.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from sanlian.core.exports import inert
from sanlian.core.rowpipe import Column, Mapping, ParsedRow, duplicate_keys, locate_header, parse_rows
from sanlian.core.sheets import SheetError, Table, read_table

# A 100,000-row registry sheet is ~8 MB as .xlsx, ~15 MB as CSV; a 50 MB file is refused unread.
MAX_IMPORT_BYTES = 32 * 1024 * 1024
MAX_ROWS = 200_000
PROGRESS_EVERY = 5000

REASONS = {
    "required": gettext_lazy("必填项为空"),
    "int": gettext_lazy("应为整数"),
    "decimal": gettext_lazy("应为数字"),
    "money_negative": gettext_lazy("金额不能为负数"),
    "money_fen": gettext_lazy("金额(%(unit)s)换算为元后不能小于分"),
    "money_large": gettext_lazy("金额过大"),
    "date": gettext_lazy("无法识别的日期(应为 2023-05-01、2023/5/1 或 Excel 日期)"),
    "bool": gettext_lazy("应为“是”或“否”"),
    "choice": gettext_lazy("无法识别的取值「%(value)s」"),
    "too_long": gettext_lazy("不能超过 %(max)s 个字"),
    "formula": gettext_lazy("单元格含公式:请复制后“选择性粘贴为数值”再导入"),
}


@dataclass
class RowError:
    row: int  # as Excel numbers it (1-based)
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    partial: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    applied: bool = False  # whether the changes were kept
    sheet: str = ""
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**asdict(self), "errors": [asdict(e) for e in self.errors]}


@dataclass
class Row:
    """A parsed row on its way through the importer's checks."""

    parsed: ParsedRow
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, localised reason)
    outcome: str = ""  # "created" | "updated" | "unchanged" once checked
    plan: object = None  # what the importer will write

    @property
    def number(self) -> int:
        return self.parsed.number

    @property
    def values(self) -> dict:
        return self.parsed.values

    @property
    def ok(self) -> bool:
        return not self.problems and not self.parsed.errors

    def reject(self, field_name: str, reason) -> None:
        self.problems.append((field_name, str(reason)))


class Importer:
    """One kind of import. Subclasses set the class attributes and implement check() and write()."""

    kind: str = ""
    label = ""
    permission: str = ""
    columns: tuple[Column, ...] = ()
    example: tuple = ()  # one example row of the template workbook

    def key(self, row: ParsedRow) -> tuple | None:
        raise NotImplementedError

    def key_field(self) -> str:
        return self.columns[0].field

    def shown(self, field_name: str, raw: str) -> str:
        """A cell's text as the error report shows it; importers of personal data mask it here."""
        return raw

    def check(self, rows: list[Row], *, actor, now) -> None:
        """Set each row's outcome and plan, or reject it; may read the database, never writes."""
        raise NotImplementedError

    def write(self, rows: list[Row], *, actor, now, progress: Callable[[int], None]) -> None:
        """Write the checked rows' plans (inside the caller's transaction)."""
        raise NotImplementedError

    def template_workbook(self) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(self.label))
        sheet.append([header_label(c) for c in self.columns])
        if self.example:
            sheet.append(list(self.example))
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def header_label(column: Column) -> str:
    return f"{column.label}({column.unit})" if column.kind == "money" else str(column.label)


def _file_error(message) -> ValidationError:
    return ValidationError({"file": str(message)})


def check_size(size: int) -> None:
    """Refuse an empty or oversized file by its size alone (before anything reads it)."""
    if not size:
        raise _file_error(_("文件为空"))
    if size > MAX_IMPORT_BYTES:
        raise _file_error(_("文件过大(上限 %(mb)s MB),请分批导入") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})


def read_file(data: bytes, filename: str, sheet: str = "") -> Table:
    check_size(len(data))
    try:
        return read_table(data, filename, sheet or None)
    except KeyError:
        raise _file_error(_("工作簿中没有名为「%(sheet)s」的工作表") % {"sheet": sheet}) from None
    except SheetError:
        raise _file_error(_("无法读取:文件内容不是 Excel 工作簿(.xlsx)或 CSV 文件(扩展名可能被改过)")) from None


def find_mapping(
    importer: Importer, data: bytes, table: Table, chosen: dict | None, units: dict | None, sheet: str
) -> Mapping:
    """The header mapping of the table; a file error naming the missing headers (and the sheet that
    has them, when it is not the chosen one).
    """
    mapping = locate_header(table.rows, importer.columns, chosen)
    missing = importer.columns if mapping is None else mapping.missing(importer.columns)
    if missing:
        if not sheet:
            other = _sheet_with_header(importer, data, table, chosen)
            if other:
                raise _file_error(
                    _("数据不在第一张工作表:请在“工作表”中选择「%(sheet)s」后重新提交") % {"sheet": other}
                )
        names = "、".join(header_label(c) for c in missing)
        if mapping is None:
            raise _file_error(
                _("找不到表头:工作表「%(sheet)s」须有列 %(columns)s") % {"sheet": table.sheet, "columns": names}
            )
        raise _file_error(_("缺少必需的列:%(columns)s") % {"columns": names})
    for name, unit in (units or {}).items():
        if name in mapping.positions and unit in ("元", "万元"):
            mapping.units[name] = unit
    return mapping


def _sheet_with_header(importer: Importer, data: bytes, table: Table, chosen: dict | None) -> str | None:
    for name in table.sheet_names[1:]:
        try:
            other = read_table(data, "", name)
        except (SheetError, KeyError):
            continue
        mapping = locate_header(other.rows, importer.columns, chosen)
        if mapping is not None and not mapping.missing(importer.columns):
            return name
    return None


def run_import(
    importer: Importer,
    *,
    actor,
    data: bytes,
    filename: str = "",
    sheet: str = "",
    mapping: dict | None = None,
    units: dict | None = None,
    dry_run: bool = False,
    partial: bool = False,
    now=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import one file; see the module's docstring. `actor` None is the system (the CLI without
    --user): every town is in scope. Raises ValidationError on "file" when the file is unusable.
    """
    from sanlian.core.permissions import require

    if actor is not None:
        require(actor, importer.permission)
    now = now or timezone.now()
    table = read_file(data, filename, sheet)
    header = find_mapping(importer, data, table, mapping, units, sheet)
    data_rows = len(table.rows) - header.header_row - 1
    if data_rows > MAX_ROWS:
        raise _file_error(_("数据行过多(上限 %(max)s 行),请分批导入") % {"max": MAX_ROWS})
    report = ImportReport(kind=importer.kind, dry_run=dry_run, partial=partial, sheet=table.sheet)
    # Progress counts each row twice: once read and checked, once written (or skipped).
    total = max(data_rows, 1) * 2
    notify = progress or (lambda done, total: None)
    notify(0, total)

    def parsed_progress(index: int) -> None:
        if index % PROGRESS_EVERY == 0:
            notify(index - header.header_row, total)

    parsed = list(parse_rows(table.rows, importer.columns, header, table.formulas, parsed_progress))
    del table  # the cells are in `parsed` now; free the sheet before checking
    rows = [Row(parsed=p) for p in parsed]
    repeats = duplicate_keys(parsed, importer.key)
    key_field = importer.key_field()
    for row in rows:
        if row.number in repeats:
            row.reject(
                key_field, _("与第 %(first)s 行重复(同一文件中同一记录出现两次)") % {"first": repeats[row.number]}
            )
    checkable = [row for row in rows if row.ok]
    importer.check(checkable, actor=actor, now=now)
    report.total = len(rows)
    for row in rows:
        if row.ok:
            setattr(report, row.outcome, getattr(report, row.outcome) + 1)
        else:
            report.rejected += 1
            report.errors.extend(_row_errors(row, header, importer))
    notify(len(rows), total)
    report.applied = not dry_run and (partial or not report.rejected)
    if report.applied:
        valid = [row for row in rows if row.ok and row.outcome != "unchanged"]
        with transaction.atomic():
            importer.write(valid, actor=actor, now=now, progress=lambda n: notify(len(rows) + n, total))
    notify(total, total)
    return report


def _row_errors(row: Row, header: Mapping, importer: Importer) -> list[RowError]:
    labels = {c.field: c.label for c in importer.columns}
    errors = []
    for name, code, params in row.parsed.errors:
        reason = REASONS.get(code, code)
        errors.append(_error(row, header, labels, name, str(reason) % params if params else str(reason), importer))
    for name, reason in row.problems:
        errors.append(_error(row, header, labels, name, reason, importer))
    return errors


def _error(row: Row, header: Mapping, labels: dict, name: str, reason: str, importer: Importer) -> RowError:
    column = header.headers.get(name) or str(labels.get(name, name))
    value = importer.shown(name, row.parsed.raw.get(name, ""))
    return RowError(row=row.number, column=column, value=value, reason=reason)


def error_workbook(errors) -> bytes:
    """Row errors as an .xlsx sheet (行号, 列, 值, 原因), every cell made inert against formula injection."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("导入错误"))
    sheet.append([_("行号"), _("列"), _("值"), _("原因")])
    for error in errors:
        error = error if isinstance(error, dict) else asdict(error)
        sheet.append([error["row"], inert(error["column"]), inert(error["value"]), inert(error["reason"])])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def validation_messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a service's ValidationError."""
    if hasattr(exc, "error_dict"):
        return [(name, message) for name, messages in exc.message_dict.items() for message in messages]
    return [("", message) for message in exc.messages]
