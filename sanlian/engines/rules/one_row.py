"""The frame of a one-row table: the same questions as Frame, answered with Python scalars.

Evaluating one enterprise against every rule is the common interactive case. On a 1-element array
each numpy call costs ~0.5 µs of dispatch, four per criterion; on Python scalars the same kernel
(``operator.ge`` works on both) costs a fraction of that. The kernels and their semantics are the
same ones: only the representation of a "column" changes, from an array to its single value.

Missing values keep their encoding: NaN compares False (and True for "!="), code -1 never equals a
code of the vocabulary, and the missing flag is 0 or 1, so ``2 * holds + missing`` is unchanged.
"""

import math

from .frame import ABSENT_CODE, NO_VALUE_CODE
from .params import keyed_value, number_or_none, text_or_none
from .table import BoolColumn, FactTable, NumberColumn, SetColumn, TextColumn


class OneRowFrame:
    __slots__ = ("table", "params", "n", "_numbers", "_texts", "_sets", "_thresholds")
    unknown = 1
    false = 0

    def __init__(self, table: FactTable, params: dict | None):
        self.table = table
        self.params = params or {}
        self.n = 1
        self._numbers: dict = {}
        self._texts: dict = {}
        self._sets: dict = {}
        self._thresholds: dict = {}

    @staticmethod
    def encode(holds, missing):
        return holds + holds + missing

    @staticmethod
    def encode_negated(holds, missing):
        return holds + holds - missing

    @staticmethod
    def isin(code, wanted: list, vocab_size: int):
        return code in wanted

    @staticmethod
    def any_of(members: list):
        return any(members)

    def _load(self, cache: dict, fact: str, column_type, scalar_form):
        """The scalar form of the column, computed once per call; None when the table lacks it."""
        column = self.table.column(fact)
        found = cache[fact] = scalar_form(column) if type(column) is column_type else None
        return found

    def number(self, fact: str):
        try:
            return self._numbers[fact]
        except KeyError:
            return self._load(self._numbers, fact, NumberColumn, _number)

    def text(self, fact: str):
        try:
            return self._texts[fact]
        except KeyError:
            return self._load(self._texts, fact, TextColumn, _text)

    def truth(self, fact: str):
        column = self.table.column(fact)
        return int(column.truth[0]) if type(column) is BoolColumn else None

    def members(self, fact: str):
        try:
            return self._sets[fact]
        except KeyError:
            return self._load(self._sets, fact, SetColumn, _set)

    def _key(self, key_fact: str | None):
        """The row's text for the key fact, or None."""
        keys = self.text(key_fact) if key_fact else None
        if keys is None or keys[0] < 0:
            return None
        return self.table.column(key_fact).vocab[keys[0]]

    def number_threshold(self, param: str, key_fact: str | None, fact: str):
        key = (param, fact)
        try:
            return self._thresholds[key]
        except KeyError:
            found = self._thresholds[key] = self._number_threshold(param, key_fact, fact)
            return found

    def _number_threshold(self, param: str, key_fact: str | None, fact: str):
        value = self.params.get(param)
        if not isinstance(value, dict):
            return number_or_none(value)
        if key_fact is None or self.text(key_fact) is None:
            return None  # as Frame: no key column, no threshold for any row
        threshold = number_or_none(keyed_value(value, key) if (key := self._key(key_fact)) is not None else None)
        missing = self.number(fact)[1]
        return (math.nan, 1) if threshold is None else (threshold, missing)

    def text_threshold(self, param: str, key_fact: str | None, fact: str):
        key = (param, fact)
        try:
            return self._thresholds[key]
        except KeyError:
            found = self._thresholds[key] = self._text_threshold(param, key_fact, fact)
            return found

    def _text_threshold(self, param: str, key_fact: str | None, fact: str):
        value = self.params.get(param)
        _, index, missing = self.text(fact)
        if not isinstance(value, dict):
            text = text_or_none(value)
            return None if text is None else index.get(text, ABSENT_CODE)
        if key_fact is None or self.text(key_fact) is None:
            return None
        threshold = text_or_none(keyed_value(value, key) if (key := self._key(key_fact)) is not None else None)
        return (NO_VALUE_CODE, 1) if threshold is None else (index.get(threshold, ABSENT_CODE), missing)


def _number(column: NumberColumn):
    value = float(column.values[0])
    return value, int(value != value)


def _text(column: TextColumn):
    code = int(column.codes[0])
    return code, column.index, int(code < 0)


def _set(column: SetColumn):
    members = {token: bool(member[0]) for token, member in column.members.items()}
    return members, 0 if column.known is None else int(not column.known[0])


_SCALAR_FORMS = {"number": _number, "text": _text, "set": _set}
