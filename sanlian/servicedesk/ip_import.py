"""Importing IP portfolios from an .xlsx sheet (officers): dry run, all-or-nothing, upsert by (kind, number).

One sheet with the columns of COLUMNS (the header may sit below a title block). Each row goes through
the same service as a manual edit (`ip_asset_upsert`), inside a savepoint, so its errors are the
service's own, per field, and every created or updated asset is audited. A dry run, or a real run with
any rejected row (unless `partial`), rolls everything back; the report lists each row error with its
row, column, value and reason and can be downloaded as .xlsx. Importing the same file twice changes
nothing the second time.

The generic reading (header detection, NFKC, dates, blank rows) is in sanlian.core.sheets; what is
specific to IP is the column table and the label → code maps below.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from sanlian.core.exports import inert
from sanlian.core.permissions import require, scope_queryset
from sanlian.core.sheets import SheetError, compact, find_header, normalise, parse_date, read_first_sheet
from sanlian.enterprises.models import Enterprise

from .models import IPAsset
from .services import ip as services

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# header text → service field; the first four are required.
COLUMNS = {
    "统一社会信用代码": "uscc",
    "类型": "kind",
    "号码": "number",
    "名称": "title",
    "状态": "status",
    "申请日": "filing_date",
    "授权日": "grant_date",
    "有效期至": "expiry_date",
    "商标类别": "trademark_class",
    "共有权人": "co_owners",
}
REQUIRED = ("统一社会信用代码", "类型", "号码", "名称", "状态")
# Other spellings officers use for a column header.
COLUMN_ALIASES = {"注册日": "授权日", "授权/注册日": "授权日", "授权日/注册日": "授权日", "专利号": "号码"}
FIELD_COLUMNS = {f: c for c, f in COLUMNS.items()}
DATE_FIELDS = ("filing_date", "grant_date", "expiry_date")

Kind, Status = IPAsset.Kind, IPAsset.Status
KIND_LABELS = {
    "发明专利": Kind.INVENTION, "发明": Kind.INVENTION,
    "实用新型专利": Kind.UTILITY, "实用新型": Kind.UTILITY,
    "外观设计专利": Kind.DESIGN, "外观设计": Kind.DESIGN,
    "商标": Kind.TRADEMARK, "注册商标": Kind.TRADEMARK,
    "软件著作权": Kind.SOFTWARE, "软著": Kind.SOFTWARE, "计算机软件著作权": Kind.SOFTWARE,
    "境外/PCT专利": Kind.FOREIGN, "境外专利": Kind.FOREIGN, "PCT专利": Kind.FOREIGN, "PCT": Kind.FOREIGN,
}  # fmt: skip
STATUS_LABELS = {
    "申请中": Status.PENDING, "审查中": Status.PENDING,
    "已授权/已注册": Status.GRANTED, "已授权": Status.GRANTED, "已注册": Status.GRANTED, "授权": Status.GRANTED,
    "注册": Status.GRANTED, "有效": Status.GRANTED, "已登记": Status.GRANTED,
    "已失效": Status.LAPSED, "失效": Status.LAPSED, "无效": Status.LAPSED,
    "已驳回/撤回": Status.REFUSED, "已驳回": Status.REFUSED, "已撤回": Status.REFUSED, "驳回": Status.REFUSED,
    "撤回": Status.REFUSED,
}  # fmt: skip
FILE = gettext_lazy("文件")


@dataclass
class RowError:
    row: int  # as Excel numbers it (1-based)
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    applied: bool = False  # whether the changes were kept
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**asdict(self), "errors": [asdict(e) for e in self.errors]}


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def read_sheet(data: bytes) -> tuple[int, dict[str, int], list[list]]:
    """(header row index, {column: position}, rows) of an import file; a ValidationError on "file"."""
    if not data:
        raise _file_error(_("文件为空"))
    if len(data) > MAX_IMPORT_BYTES:
        raise _file_error(_("文件过大(上限 %(mb)s MB)") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    try:
        rows = read_first_sheet(data)
    except SheetError:
        raise _file_error(_("无法读取:文件不是有效的 Excel 工作簿(.xlsx)")) from None
    rows = [[COLUMN_ALIASES.get(normalise(c).replace(" ", ""), c) for c in row] for row in rows[:20]] + rows[20:]
    found = find_header(rows, REQUIRED)
    if found is None:
        raise _file_error(_("找不到表头:第一张工作表须有列 %(columns)s") % {"columns": "、".join(REQUIRED)})
    header, columns = found
    if len(rows) - header - 1 > MAX_ROWS:
        raise _file_error(_("数据行过多(上限 %(max)s 行),请分批导入") % {"max": MAX_ROWS})
    return header, {c: i for c, i in columns.items() if c in COLUMNS}, rows


def _cell(row: list, position: int | None):
    return row[position] if position is not None and position < len(row) else None


def _row_data(row: list, columns: dict[str, int], excel_row: int) -> tuple[dict, list[RowError]]:
    """The service's data for one sheet row, and the errors found before reaching the service."""
    data, errors = {}, []
    for column, position in columns.items():
        name, raw = COLUMNS[column], _cell(row, position)
        text = normalise(raw)
        try:
            if name in DATE_FIELDS:
                data[name] = parse_date(raw)
            elif name == "kind":
                data[name] = KIND_LABELS.get(text.replace(" ", ""), text)
            elif name == "status":
                data[name] = STATUS_LABELS.get(text.replace(" ", ""), text)
            elif name == "uscc":
                data[name] = compact(raw)
            else:
                data[name] = text
        except ValueError:
            reason = _("无法识别的日期(应为 2023-05-01、2023/5/1 或 Excel 日期)")
            errors.append(RowError(excel_row, column, text, reason))
    if "expiry_date" in data and data["expiry_date"] is None:
        del data["expiry_date"]  # a blank cell keeps the computed (or the officer's) date
    return data, errors


def _enterprise(actor, uscc: str):
    enterprises = Enterprise.objects.all() if actor is None else scope_queryset(actor, Enterprise.objects.all())
    return enterprises.filter(uscc=uscc).first() if uscc else None


def _service_errors(exc: ValidationError, data: dict, excel_row: int) -> list[RowError]:
    errors = []
    for name, messages in exc.message_dict.items():
        column = FIELD_COLUMNS.get(name, name)
        for message in messages:
            errors.append(RowError(excel_row, column, normalise(data.get(name)), message))
    return errors


def _import_row(*, actor, data: dict, excel_row: int, now: datetime) -> tuple[str | None, list[RowError]]:
    enterprise = _enterprise(actor, data.get("uscc", ""))
    if enterprise is None:
        reason = _("在您的管辖范围内找不到该统一社会信用代码的企业")
        return None, [RowError(excel_row, "统一社会信用代码", data.get("uscc", ""), reason)]
    fields = {k: v for k, v in data.items() if k != "uscc"}
    try:
        with transaction.atomic():
            _asset, outcome = services.ip_asset_upsert(actor=actor, enterprise=enterprise, data=fields, now=now)
    except ValidationError as exc:
        return None, _service_errors(exc, fields, excel_row)
    return outcome, []


def ip_import(*, actor, data: bytes, dry_run: bool = False, partial: bool = False, now=None) -> ImportReport:
    """Import an IP sheet; see the module's docstring. `actor` None is the system (the CLI): every
    enterprise is in scope. Raises ValidationError on "file" when the file itself is unusable.
    """
    if actor is not None:
        require(actor, "ip.import")
    now = now or timezone.now()
    header, columns, rows = read_sheet(data)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        for index in range(header + 1, len(rows)):
            if not any(normalise(cell) for cell in rows[index]):
                continue  # a blank row inside the data
            excel_row = index + 1
            row_data, errors = _row_data(rows[index], columns, excel_row)
            outcome = None
            if not errors:
                outcome, errors = _import_row(actor=actor, data=row_data, excel_row=excel_row, now=now)
            if errors:
                report.rejected += 1
                report.errors.extend(errors)
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
        report.applied = not dry_run and (partial or not report.rejected)
        if not report.applied:
            transaction.set_rollback(True)
    return report


def error_workbook(report: ImportReport) -> bytes:
    """The report's row errors as an .xlsx sheet (行号, 列, 值, 原因), cells made inert."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("导入错误"))
    sheet.append([_("行号"), _("列"), _("值"), _("原因")])
    for error in report.errors:
        sheet.append([error.row, inert(error.column), inert(error.value), inert(error.reason)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """An empty import sheet: the header row and one example row to overwrite."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("知识产权"))
    sheet.append(list(COLUMNS))
    sheet.append(["91310112MA1GXXXXXX", "发明专利", "ZL202310123456.6", "一种核酸检测试剂盒及其应用", "已授权",
                  "2023-03-01", "2024-09-10", "", "", ""])  # fmt: skip
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
