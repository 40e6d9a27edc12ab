"""Reading spreadsheets people fill in by hand: Django-free helpers any import can reuse.

Officers' sheets are messy: a title line above the header, full-width digits and letters typed with a
Chinese input method, stray spaces, dates as text in several spellings or as Excel serial numbers, and
blank rows left at the bottom. These functions turn such a sheet into clean text cells and dates, and
say precisely what they could not read; the caller decides what each column means.
"""

import csv
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO, StringIO

from python_calamine import CalamineError, CalamineWorkbook

# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29), which makes serial 1 = 1900-01-01
# wrong by a day only before March 1900 — no date an import cares about.
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 1, 2958465  # 1900-01-01 … 9999-12-31
# How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 20
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class SheetError(ValueError):
    """The file is not a workbook that can be read (wrong type, damaged, no sheet)."""


def normalise(value) -> str:
    """A cell as clean text: NFKC (full-width → half-width), spaces collapsed and trimmed; None → "".

    Whole floats lose their ".0" (a number typed into a text column arrives as 2023.0).
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def compact(value) -> str:
    """A cell as an identifier: normalised, upper-case, without any inner space."""
    text = normalise(value).replace(" ", "").upper()
    # Upper-casing can decompose a character (ŗ → R + combining cedilla): compose again, so that compacting
    # twice changes nothing.
    return text if text.isascii() else unicodedata.normalize("NFKC", text).replace(" ", "")


def parse_date(value) -> date | None:
    """A date from a cell: a date, an Excel serial number, or text such as 2023-05-01, 2023/5/1,
    2023.05.01, 2023年5月1日 or 20230501 (full-width digits too). Blank → None.

    Raises ValueError when the cell holds something else or an impossible date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return _from_serial(value)
    text = normalise(value)
    if not text:
        return None
    for pattern in (_DATE_TEXT, _DATE_COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)  # ValueError for 2023-02-30
    if _NUMBER.match(text):
        return _from_serial(float(text))
    raise ValueError(text)


def _from_serial(number: float) -> date:
    if not (SERIAL_MIN <= number <= SERIAL_MAX) or not float(number).is_integer():
        raise ValueError(number)
    return EXCEL_EPOCH + timedelta(days=int(number))


def trim_blank_rows(rows: Iterable[Sequence]) -> list[list]:
    """The rows without the blank ones at the end (blank rows inside are kept, so row numbers stay true)."""
    rows = [list(row) for row in rows]
    while rows and not any(normalise(cell) for cell in rows[-1]):
        rows.pop()
    return rows


def find_header(rows: Sequence[Sequence], required: Iterable[str]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, {column name: column index}) of the first row, within the first
    HEADER_SEARCH_ROWS, that holds every required name (compared after normalisation); None if none does.
    """
    required = {normalise(name) for name in required}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for position, cell in enumerate(row):
            name = normalise(cell).replace(" ", "")
            if name and name not in columns:
                columns[name] = position
        if required <= columns.keys():
            return index, columns
    return None


def read_first_sheet(data: bytes) -> list[list]:
    """The cells of the workbook's first sheet (.xlsx, .xls, .ods), trailing blank rows dropped.

    Raises SheetError when the bytes are not a readable workbook.
    """
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
        if not workbook.sheet_names:
            raise SheetError("no sheet")
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise SheetError(str(exc)) from exc
    except (ValueError, TypeError, OSError) as exc:  # calamine raises plain errors for some damaged files
        raise SheetError(str(exc)) from exc
    return trim_blank_rows(rows)


# --- Whole workbooks and CSV files, as an import reads them ------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[ >/]', re.DOTALL
)
_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"')
_REL_ENTRY = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_REL_ENTRY_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Table:
    """One sheet of a workbook (or a CSV file) as an import sees it.

    `rows` are the cells as Python values (str, float, int, bool, date, datetime; "" when empty), with
    every merged region filled with its top-left value and the blank rows at the end dropped.
    `formulas` holds the (row index, column index) of cells that hold a formula: the value in `rows` is
    the one Excel cached when it last saved the file (none when a program wrote the formula without
    computing it), so an import reports them instead of trusting it.
    """

    sheet: str
    sheet_names: list[str]
    rows: list[list]
    formulas: set[tuple[int, int]] = field(default_factory=set)
    format: str = "xlsx"


def sniff_format(data: bytes, filename: str = "") -> str:
    """ "xlsx", "xls" or "csv" by the file's content (the name only separates CSV from other text).

    Raises SheetError for anything else, e.g. a PDF or an image renamed .xlsx.
    """
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    if filename.lower().endswith((".csv", ".txt")) and b"\x00" not in data[:8192]:
        return "csv"
    raise SheetError("not a workbook")


def decode_csv(data: bytes) -> str:
    """CSV text in UTF-8 (with or without BOM) or GB18030 (what Excel writes on a Chinese Windows)."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("unknown text encoding")


def read_table(data: bytes, filename: str = "", sheet: str | int | None = None) -> Table:
    """The chosen sheet (by name or index; the first by default) of a .xlsx/.xls/.ods or .csv file.

    Raises SheetError when the file cannot be read and KeyError when the named sheet does not exist.
    """
    kind = sniff_format(data, filename)
    if kind == "csv":
        text = decode_csv(data)
        rows = list(csv.reader(StringIO(text, newline="")))
        return Table(sheet="", sheet_names=[""], rows=trim_blank_rows(rows), format="csv")
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
        names = list(workbook.sheet_names)
        if not names:
            raise SheetError("no sheet")
        index = _sheet_index(names, sheet)
        calamine_sheet = workbook.get_sheet_by_index(index)
        rows = calamine_sheet.to_python(skip_empty_area=False)
        merged = calamine_sheet.merged_cell_ranges or []
    except CalamineError as exc:
        raise SheetError(str(exc)) from exc
    except (ValueError, TypeError, OSError) as exc:  # calamine raises plain errors for some damaged files
        raise SheetError(str(exc)) from exc
    rows = fill_merged(rows, merged)
    formulas = formula_cells(data, index) if kind == "xlsx" else set()
    return Table(sheet=names[index], sheet_names=names, rows=trim_blank_rows(rows), formulas=formulas, format=kind)


def _sheet_index(names: list[str], sheet: str | int | None) -> int:
    if sheet is None or sheet == "":
        return 0
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise KeyError(sheet)
        return sheet
    wanted = normalise(sheet)
    for index, name in enumerate(names):
        if normalise(name) == wanted:
            return index
    raise KeyError(sheet)


def fill_merged(rows: list[list], ranges) -> list[list]:
    """Every cell of a merged region gets the region's top-left value (Excel keeps it there only).

    `ranges` are ((first row, first column), (last row, last column)), zero-based and inclusive.
    """
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    row[c] = value
    return rows


def column_index(letters: str) -> int:
    """Zero-based index of an Excel column name: A → 0, Z → 25, AA → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letters(index: int) -> str:
    """The Excel name of a zero-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def formula_cells(data: bytes, sheet_index: int) -> set[tuple[int, int]]:
    """(row index, column index) of the sheet's cells that hold a formula, read from the .xlsx XML.

    The sheet is scanned once for any formula tag; only a sheet that has one is searched cell by cell,
    so a plain 100,000-row sheet costs one pass over its XML.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            path = _sheet_path(archive, sheet_index)
            if path is None:
                return set()
            xml = archive.read(path)
    except (zipfile.BadZipFile, KeyError, OSError):
        return set()
    if not _FORMULA_TAG.search(xml):
        return set()
    return {(int(row) - 1, column_index(letters.decode())) for letters, row in _FORMULA_CELL.findall(xml)}


def _sheet_path(archive: zipfile.ZipFile, sheet_index: int) -> str | None:
    sheets = _SHEET_ENTRY.findall(archive.read("xl/workbook.xml"))
    if sheet_index >= len(sheets):
        return None
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    rels = dict(_REL_ENTRY.findall(rels_xml))
    rels.update({rid: target for target, rid in _REL_ENTRY_REVERSED.findall(rels_xml)})
    target = rels.get(sheets[sheet_index][1])
    if target is None:
        return None
    target = target.decode()
    return target.lstrip("/") if target.startswith("/") else "xl/" + target
