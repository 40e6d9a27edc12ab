"""The Django-free half of every import: which sheet column is which field, and each cell as a typed value.

An importer declares its columns (field, header label, aliases, kind); this module finds the header row
(it may sit below a title block), maps the headers to fields (label, alias or field name, compared after
NFKC and without spaces; a money header may declare its unit, "注册资本(万元)"), and parses each cell:
text, int, decimal, money (元 or 万元 → Decimal yuan, exactly), date (text or Excel serial), bool and
choice. What it cannot read is a `CellError` with a reason code and parameters; the Django side turns
codes into localised messages, so this module stays pure Python (see sanlian.core.sheets for reading).
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .sheets import HEADER_SEARCH_ROWS, compact, normalise, parse_date

TEXT, INT, DECIMAL, MONEY, DATE, BOOL, CHOICE = "text", "int", "decimal", "money", "date", "bool", "choice"
YUAN, WAN_YUAN = "元", "万元"
UNIT_FACTORS = {YUAN: Decimal(1), WAN_YUAN: Decimal(10000)}
FEN = Decimal("0.01")
MAX_YUAN = Decimal(10) ** 14
# "注册资本(万元)", "营业收入(元)", "营业收入 万元": the unit a header declares, and the header without it.
_UNIT_SUFFIX = re.compile(r"^(.+?)[(\[](万元|元)[)\]]$")
_INT_TEXT = re.compile(r"^[+-]?\d+(\.0+)?$")
TRUE_WORDS = frozenset({"是", "Y", "YES", "TRUE", "1", "√", "✓", "有"})
FALSE_WORDS = frozenset({"否", "N", "NO", "FALSE", "0", "×", "✗", "无"})


class CellError(ValueError):
    """A cell the column cannot read: `code` names the reason, `params` fill its message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the canonical header, as the template workbook writes it
    kind: str = TEXT
    required: bool = False  # the header must be present and every row must fill it
    aliases: tuple[str, ...] = ()
    choices: dict | None = None  # compact(label or code) → value, for CHOICE
    unit: str = YUAN  # MONEY: the unit when the header does not declare one
    max_length: int | None = None

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.label, self.field, *self.aliases)}


def header_key(text) -> str:
    """A header as compared: normalised, without spaces, upper-case (Latin aliases), unit stripped."""
    return split_unit(compact(text))[0]


def split_unit(text: str) -> tuple[str, str | None]:
    """("注册资本", "万元") for "注册资本(万元)"; (text, None) when no unit is declared."""
    match = _UNIT_SUFFIX.match(text)
    if match:
        return match.group(1), match.group(2)
    return text, None


@dataclass
class Mapping:
    """Where each field is: {field: column index}, the unit declared per money field, the header row."""

    header_row: int
    positions: dict[str, int]
    units: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # field → the header text as written
    unknown: list[str] = field(default_factory=list)  # headers no column claims (ignored)

    def missing(self, columns: Sequence[Column]) -> list[Column]:
        return [c for c in columns if c.required and c.field not in self.positions]


def suggest_field(header, columns: Sequence[Column]) -> str | None:
    """The field a sheet header most likely means (label, alias or field name), or None."""
    key = header_key(header)
    if not key:
        return None
    for column in columns:
        if key in column.names():
            return column.field
    return None


def map_header(
    row: Sequence, columns: Sequence[Column], chosen: dict[str, str] | None = None, header_row: int = 0
) -> Mapping:
    """Map one header row. `chosen` ({header text: field or ""}) is an officer's mapping; it wins over
    the suggestion, and "" ignores a column. A field claimed twice keeps its first column.
    """
    chosen = {header_key(k): v for k, v in (chosen or {}).items()}
    known = {c.field: c for c in columns}
    mapping = Mapping(header_row=header_row, positions={})
    for position, cell in enumerate(row):
        text = normalise(cell)
        if not text:
            continue
        key = header_key(text)
        name = chosen[key] if key in chosen else suggest_field(text, columns)
        if not name or name not in known or name in mapping.positions:
            if not name:
                mapping.unknown.append(text)
            continue
        mapping.positions[name] = position
        mapping.headers[name] = text
        if known[name].kind == MONEY:
            mapping.units[name] = split_unit(compact(text))[1] or known[name].unit
    return mapping


def locate_header(
    rows: Sequence[Sequence], columns: Sequence[Column], chosen: dict[str, str] | None = None
) -> Mapping | None:
    """The mapping of the first row (within HEADER_SEARCH_ROWS) that holds every required column;
    when none does, the best partial one (most columns, at least two), or None for no header at all.
    """
    best = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = map_header(row, columns, chosen, header_row=index)
        if not mapping.missing(columns):
            return mapping
        if len(mapping.positions) >= 2 and (best is None or len(mapping.positions) > len(best.positions)):
            best = mapping
    return best


def parse_int(value) -> int | None:
    if isinstance(value, bool):
        raise CellError("int")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("int")
        return int(value)
    text = normalise(value).replace(",", "").replace(" ", "")
    if not text:
        return None
    if not _INT_TEXT.match(text):
        raise CellError("int")
    return int(Decimal(text))


def parse_decimal(value) -> Decimal | None:
    """A number exactly as typed: a float cell goes through its shortest repr (0.1 → Decimal("0.1"))."""
    if isinstance(value, bool):
        raise CellError("decimal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("decimal")
        return Decimal(repr(value))
    text = normalise(value).replace(",", "").replace(" ", "").replace("¥", "").replace("￥", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("decimal") from None
    if not number.is_finite():
        raise CellError("decimal")
    return number


def parse_money(value, unit: str = YUAN) -> Decimal | None:
    """An amount in yuan (Decimal, two places) from a cell in 元 or 万元. Refuses negatives, amounts
    finer than a fen once converted (1.234567 万元) and amounts beyond any enterprise's figures.
    """
    number = parse_decimal(value)
    if number is None:
        return None
    yuan = number * UNIT_FACTORS[unit]
    if yuan < 0:
        raise CellError("money_negative")
    # Too large first: quantizing an amount beyond the context's precision (1e30) raises InvalidOperation.
    if yuan >= MAX_YUAN:
        raise CellError("money_large")
    if yuan != yuan.quantize(FEN):
        raise CellError("money_fen", unit=unit)
    return yuan.quantize(FEN)


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = compact(value)
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("bool")


def parse_choice(value, choices: dict):
    text = compact(value)
    if not text:
        return None
    if text not in choices:
        raise CellError("choice", value=text)
    return choices[text]


def parse_cell(column: Column, value, unit: str | None = None):
    """The typed value of one cell (None for a blank non-text cell, "" for blank text)."""
    kind = column.kind
    if kind == TEXT:
        text = normalise(value)
        if column.max_length and len(text) > column.max_length:
            raise CellError("too_long", max=column.max_length)
        return text
    if kind == INT:
        return parse_int(value)
    if kind == DECIMAL:
        return parse_decimal(value)
    if kind == MONEY:
        return parse_money(value, unit or column.unit)
    if kind == DATE:
        try:
            return parse_date(value)
        except (ValueError, OverflowError):
            raise CellError("date") from None
    if kind == BOOL:
        return parse_bool(value)
    if kind == CHOICE:
        return parse_choice(value, column.choices or {})
    raise ValueError(kind)


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not normalise(value))


@dataclass
class ParsedRow:
    number: int  # as Excel numbers it (1-based)
    values: dict  # field → typed value, only the fields present in the sheet
    raw: dict  # field → the cell as text (for error reports)
    errors: list[tuple[str, str, dict]] = field(default_factory=list)  # (field, code, params)


# Each column remembers what its first distinct cells parse to (towns, codes, flags and dates repeat down
# a registry sheet): a repeated cell is normalised and checked once. Bounded, for columns of unique text.
MEMO_CELLS = 4096


def parse_rows(
    rows: Sequence[Sequence],
    columns: Sequence[Column],
    mapping: Mapping,
    formulas: Iterable[tuple[int, int]] = (),
    progress: Callable[[int], None] | None = None,
) -> Iterable[ParsedRow]:
    """Each data row below the header (blank rows skipped) parsed column by column."""
    formulas = set(formulas)
    plan = [
        (c, mapping.positions[c.field], mapping.units.get(c.field), {}) for c in columns if c.field in mapping.positions
    ]
    for index in range(mapping.header_row + 1, len(rows)):
        row = rows[index]
        if not any(not is_blank(cell) for cell in row):
            continue
        parsed = ParsedRow(number=index + 1, values={}, raw={})
        for column, position, unit, memo in plan:
            cell = row[position] if position < len(row) else None
            try:
                key = (cell.__class__, cell)  # 1, 1.0 and True are equal but do not parse alike
                outcome = memo.get(key)
            except TypeError:  # an unhashable cell: parse it, do not remember it
                key, outcome = None, None
            if outcome is None:
                outcome = _parse_cell_outcome(column, cell, unit)
                if key is not None and len(memo) < MEMO_CELLS:
                    memo[key] = outcome
            text, value, error = outcome
            parsed.raw[column.field] = text
            if formulas and (index, position) in formulas:
                parsed.errors.append((column.field, "formula", {}))
            elif error is not None:
                parsed.errors.append((column.field, error[0], error[1]))
            elif column.required and (value is None or value == ""):
                parsed.errors.append((column.field, "required", {}))
            else:
                parsed.values[column.field] = value
        if progress is not None:
            progress(index)
        yield parsed


def _parse_cell_outcome(column: Column, cell, unit: str | None) -> tuple:
    """(the cell as text, its typed value, None) or (text, None, (reason code, params))."""
    text = normalise(cell)
    try:
        if column.kind == TEXT:  # the text is already normalised: check its length only
            if column.max_length and len(text) > column.max_length:
                raise CellError("too_long", max=column.max_length)
            return text, text, None
        return text, parse_cell(column, cell, unit), None
    except CellError as exc:
        return text, None, (exc.code, exc.params)


def duplicate_keys(rows: Iterable[ParsedRow], key: Callable[[ParsedRow], tuple | None]) -> dict[int, int]:
    """{row number: the earlier row number with the same key} for every repeated key in one file."""
    first: dict[tuple, int] = {}
    repeats = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            repeats[row.number] = first[value]
        else:
            first[value] = row.number
    return repeats
