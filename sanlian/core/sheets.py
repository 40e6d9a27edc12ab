"""Reading spreadsheets people fill in by hand: Django-free helpers any import can reuse.

Officers' sheets are messy: a title line above the header, full-width digits and letters typed with a
Chinese input method, stray spaces, dates as text in several spellings or as Excel serial numbers, and
blank rows left at the bottom. These functions turn such a sheet into clean text cells and dates, and
say precisely what they could not read; the caller decides what each column means.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from io import BytesIO

from python_calamine import CalamineError, CalamineWorkbook

# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29), which makes serial 1 = 1900-01-01
# wrong by a day only before March 1900 — no date an import cares about.
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 1, 2958465  # 1900-01-01 … 9999-12-31
# How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 20
_SPACES = re.compile(r"\s+")
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
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def compact(value) -> str:
    """A cell as an identifier: normalised, upper-case, without any inner space."""
    return normalise(value).replace(" ", "").upper()


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
