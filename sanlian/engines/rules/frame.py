"""What one evaluate() call derives from the table and the parameters, each computed at most once.

The kernels (kernels.py) never touch a table directly: they ask a frame for a column, a threshold,
and for the two encoding steps. Two frames answer the same questions:

* ``Frame``: numpy arrays over a block of rows (``start:stop``, views into the table's columns);
* ``OneRowFrame`` (one_row.py): the same answers as Python scalars for a one-row table, where
  numpy's per-call overhead (~0.5 µs per operation on a 1-element array) would dominate.

Several criteria usually read the same fact (and several rules the same keyed parameter), so the
missing-value masks and per-row thresholds are cached for the duration of the call. Arrays handed
out by the frame are read-only for the kernels; only arrays a kernel has just created are modified
in place.
"""

import numpy as np

from .outcomes import OUTCOME_DTYPE
from .params import keyed_value, number_or_none, text_or_none
from .table import BoolColumn, FactTable, NumberColumn, SetColumn, TextColumn

I8 = OUTCOME_DTYPE
# Threshold codes of a keyed text parameter: a value absent from the compared column's vocabulary can
# never be equal (-2); a row whose key has no value at all is unknown (-3). Neither collides with -1.
ABSENT_CODE = -2
NO_VALUE_CODE = -3
# Up to this many wanted codes, "in" is a chain of equality tests (one SIMD pass each); beyond, a
# lookup table indexed by code (one gather, slower per row but independent of the list length).
# np.isin is not used: it rebuilds its own table or sorts on every call, ~15x slower at 1M rows.
CHAIN_LIMIT = 6


def _or_missing(a, b):
    """Union of two 0/1 int8 missing masks, either of which may be None (= nothing missing)."""
    if a is None:
        return b
    return a if b is None else a | b


class _Members:
    """The member arrays of a set column, sliced to the frame's rows on first use."""

    __slots__ = ("_members", "_rows", "_sliced")

    def __init__(self, members: dict, rows: slice):
        self._members = members
        self._rows = rows
        self._sliced: dict = {}

    def get(self, token: str):
        sliced = self._sliced.get(token)
        if sliced is None:
            member = self._members.get(token)
            if member is None:
                return None
            sliced = self._sliced[token] = member[self._rows]
        return sliced


class Frame:
    __slots__ = (
        "table",
        "params",
        "n",
        "rows",
        "_numbers",
        "_texts",
        "_sets",
        "_keyed",
        "_thresholds",
        "_unknown",
        "_false",
    )

    def __init__(self, table: FactTable, params: dict | None, start: int = 0, stop: int | None = None):
        self.table = table
        self.params = params or {}
        stop = table.n if stop is None else stop
        self.n = stop - start
        self.rows = slice(start, stop)
        # One cache per kind, so that a fact read as two different types by two catalogues cannot mix.
        self._numbers: dict = {}
        self._texts: dict = {}
        self._sets: dict = {}
        self._keyed: dict = {}  # param -> per-row values, shared by every fact compared with it
        self._thresholds: dict = {}  # (param, fact) -> threshold and the combined missing mask
        self._unknown = None
        self._false = None

    @property
    def unknown(self) -> np.ndarray:
        """UNKNOWN on every row: what a criterion gives when its column or parameter is absent."""
        if self._unknown is None:
            self._unknown = np.ones(self.n, dtype=I8)
        return self._unknown

    @property
    def false(self) -> np.ndarray:
        if self._false is None:
            self._false = np.zeros(self.n, dtype=I8)
        return self._false

    # The two encoding steps: outcome = 2 * holds + missing (holds must be a fresh array: it is
    # reused in place). Comparisons are False on missing rows except the negated ones ("!=", not in),
    # which are True there, hence the subtraction for them.

    @staticmethod
    def encode(holds, missing):
        v = holds.view(I8)
        v += v
        if missing is not None:
            v += missing
        return v

    @staticmethod
    def encode_negated(holds, missing):
        v = holds.view(I8)
        v += v
        if missing is not None:
            v -= missing
        return v

    @staticmethod
    def isin(codes, wanted: list, vocab_size: int):
        """Fresh bool array: codes is one of ``wanted`` (a non-empty list of codes >= 0)."""
        if len(wanted) <= CHAIN_LIMIT:
            holds = codes == wanted[0]
            for code in wanted[1:]:
                holds |= codes == code
            return holds
        lookup = np.zeros(vocab_size + 1, dtype=bool)  # code -1 reads the extra last slot: False
        lookup[wanted] = True
        return lookup[codes]

    @staticmethod
    def any_of(members: list):
        """Fresh bool array: any of the (shared, read-only) member arrays."""
        holds = members[0].copy()
        for member in members[1:]:
            holds |= member
        return holds

    def number(self, fact: str):
        """(values, missing as int8 0/1 or None when none is) or None when the table has no number column."""
        try:
            return self._numbers[fact]
        except KeyError:
            column = self.table.column(fact)
            found = None
            if type(column) is NumberColumn:
                values = column.values[self.rows]
                missing = np.isnan(values)
                found = (values, missing.view(I8) if missing.any() else None)
            self._numbers[fact] = found
            return found

    def text(self, fact: str):
        """(codes, code of each text, missing as int8 0/1 or None) or None."""
        try:
            return self._texts[fact]
        except KeyError:
            column = self.table.column(fact)
            found = None
            if type(column) is TextColumn:
                codes = column.codes[self.rows]
                missing = codes < 0
                found = (codes, column.index, missing.view(I8) if missing.any() else None)
            self._texts[fact] = found
            return found

    def truth(self, fact: str):
        """The outcome of ``fact == true`` (stored that way by the table) or None."""
        column = self.table.column(fact)
        return column.truth[self.rows] if type(column) is BoolColumn else None

    def members(self, fact: str):
        """(token -> bool array, read with .get(), unknown as int8 0/1 or None when all rows are known)
        or None."""
        try:
            return self._sets[fact]
        except KeyError:
            column = self.table.column(fact)
            found = None
            if type(column) is SetColumn:
                unknown = None if column.known is None else np.logical_not(column.known[self.rows]).view(I8)
                found = (_Members(column.members, self.rows), unknown)
            self._sets[fact] = found
            return found

    def number_threshold(self, param: str, key_fact: str | None, fact: str):
        """None (no usable value: UNKNOWN), a float, or for a keyed value (per-row thresholds,
        missing mask of the fact and of the threshold combined). Call only when number(fact) is set."""
        key = (param, fact)
        try:
            return self._thresholds[key]
        except KeyError:
            value = self.params.get(param)
            keyed = isinstance(value, dict)
            found = self._keyed_numbers(value, key_fact, fact, param) if keyed else number_or_none(value)
            self._thresholds[key] = found
            return found

    def _keyed_numbers(self, value: dict, key_fact: str | None, fact: str, param: str):
        per_row = self._keyed.get(param)
        if per_row is None:
            thresholds = self.keyed_numbers(value, key_fact)
            no_value = None if thresholds is None else np.isnan(thresholds)
            if no_value is not None:
                no_value = no_value.view(I8) if no_value.any() else None
            per_row = self._keyed[param] = (thresholds, no_value)
        thresholds, no_value = per_row
        if thresholds is None:
            return None
        return thresholds, _or_missing(self.number(fact)[1], no_value)

    def keyed_numbers(self, value: dict, key_fact: str | None):
        """Per-row numbers of a keyed parameter (NaN where the row's key has no value), or None
        when the table has no key column."""
        keys = self.text(key_fact) if key_fact else None
        if keys is None:
            return None
        key_codes, key_index, _ = keys
        by_code = np.full(len(key_index) + 1, np.nan)  # the extra last slot is code -1: no key, no value
        for text, code in key_index.items():
            number = number_or_none(keyed_value(value, text))
            if number is not None:
                by_code[code] = number
        return by_code[key_codes]  # fancy indexing: ~2x faster than .take() for int32 codes

    def text_threshold(self, param: str, key_fact: str | None, fact: str):
        """None, the code of the text in the column ``fact``, or for a keyed value
        (per-row codes, combined missing mask). Call only when text(fact) is set."""
        key = (param, fact)
        try:
            return self._thresholds[key]
        except KeyError:
            value = self.params.get(param)
            _, index, missing = self.text(fact)
            if not isinstance(value, dict):
                text = text_or_none(value)
                found = None if text is None else index.get(text, ABSENT_CODE)
            else:
                found = self._keyed_texts(value, key_fact, index, missing)
            self._thresholds[key] = found
            return found

    def _keyed_texts(self, value: dict, key_fact: str | None, index: dict, missing):
        keys = self.text(key_fact) if key_fact else None
        if keys is None:
            return None
        key_codes, key_index, _ = keys
        by_code = np.full(len(key_index) + 1, NO_VALUE_CODE, dtype=np.int32)
        for text, code in key_index.items():
            threshold = text_or_none(keyed_value(value, text))
            if threshold is not None:
                by_code[code] = index.get(threshold, ABSENT_CODE)
        codes = by_code[key_codes]
        no_value = codes == NO_VALUE_CODE
        return codes, _or_missing(missing, no_value.view(I8) if no_value.any() else None)
