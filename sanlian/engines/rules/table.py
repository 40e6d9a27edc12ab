"""The columnar fact table: one numpy array per fact, built once and evaluated against many rules.

Internal encodings, chosen so that each criterion is one comparison over a column:

* number: float64, NaN = missing.
* text: int32 category codes into ``vocab``, -1 = missing (so ``lookup_table.take(codes)`` maps a
  missing row to the table's last slot).
* bool: stored directly as the outcome of ``fact == true`` (2 true, 0 false, 1 missing); the two
  possible criteria are then that array itself or ``2 - array``.
* set: one boolean array per token, False wherever the set is unknown, plus the ``known`` mask
  (None when every row is known).
"""

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .errors import RuleError
from .specs import Catalogue, FactSpec
from .values import describe, is_bool, is_number

# Index by the 1/0/-1 boolean encoding of from_columns; -1 lands on the last slot (missing).
_BOOL_TO_TRUTH = np.array([0, 2, 1], dtype=np.int8)


class NumberColumn:
    __slots__ = ("values",)
    type = "number"

    def __init__(self, values: np.ndarray):
        self.values = values

    def value(self, i: int):
        v = float(self.values[i])
        return None if math.isnan(v) else v


class TextColumn:
    __slots__ = ("codes", "vocab", "index")
    type = "text"

    def __init__(self, codes: np.ndarray, vocab: list[str]):
        self.codes = codes
        self.vocab = vocab
        self.index = {text: code for code, text in enumerate(vocab)}

    def value(self, i: int):
        code = int(self.codes[i])
        return None if code < 0 else self.vocab[code]


class BoolColumn:
    __slots__ = ("truth",)
    type = "bool"

    def __init__(self, truth: np.ndarray):
        self.truth = truth

    def value(self, i: int):
        t = int(self.truth[i])
        return None if t == 1 else t == 2


class SetColumn:
    __slots__ = ("members", "known")
    type = "set"

    def __init__(self, members: dict[str, np.ndarray], known: np.ndarray | None):
        self.members = members
        self.known = known

    def value(self, i: int):
        if self.known is not None and not self.known[i]:
            return None
        return sorted(token for token, member in self.members.items() if member[i])


def coerce_value(spec: FactSpec, value):
    """One record value in its canonical Python form (None = missing); TypeError when it does not fit."""
    if value is None:
        return None
    kind = spec.type
    if kind == "number":
        if isinstance(value, float) and math.isnan(value):
            return None
        if is_number(value, allow_decimal=True):
            return float(value)
    elif kind == "text":
        if isinstance(value, str):
            return value or None  # "" is missing, as in from_columns
    elif kind == "bool":
        if is_bool(value):
            return bool(value)
    elif not isinstance(value, str | bytes | Mapping):  # set: any iterable of text, but not a bare string
        try:
            tokens = frozenset(value)
        except TypeError:
            tokens = None
        if tokens is not None and all(isinstance(token, str) for token in tokens):
            return tokens
    raise TypeError(f"{describe(value)} does not fit the {kind} fact '{spec.name}'")


class FactTable:
    """Facts of ``n`` enterprises (rows), one column per fact of the catalogue."""

    __slots__ = ("n", "ids", "catalogue", "_columns")

    def __init__(self, n: int, columns: dict, catalogue: Catalogue, ids: Sequence | None):
        if ids is not None and len(ids) != n:
            raise ValueError(f"{len(ids)} ids for {n} rows.")
        self.n = n
        self.ids = range(n) if ids is None else ids
        self.catalogue = catalogue
        self._columns = columns

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, object]], catalogue: Catalogue, ids: Sequence | None = None):
        """One mapping per enterprise; None or an absent key is missing. Keys outside the catalogue
        are ignored (records are often whole enterprise dicts); a value of the wrong type raises
        RuleError("type_mismatch") at "records[i].<fact>"."""
        n = len(records)
        columns = {}
        for name, spec in catalogue.facts.items():
            values = [_coerce_record(spec, record, i) for i, record in enumerate(records)]
            columns[name] = _BUILDERS[spec.type](values, n)
        return cls(n, columns, catalogue, ids)

    @classmethod
    def from_columns(cls, n: int, columns: dict[str, object], catalogue: Catalogue, ids: Sequence | None = None):
        """The fast path for large data; see the module docstring of the package for the formats.
        Arrays are used without copying where their dtype already fits."""
        built = {}
        for name, data in columns.items():
            spec = catalogue.facts.get(name)
            if spec is not None:
                built[name] = _COLUMN_BUILDERS[spec.type](name, data, n)
        return cls(n, built, catalogue, ids)

    def column(self, fact: str):
        return self._columns.get(fact)

    def value(self, fact: str, i: int):
        """The Python value of ``fact`` on row ``i``; None when missing or when the table lacks it."""
        column = self._columns.get(fact)
        return None if column is None else column.value(i)

    def row(self, i: int) -> dict:
        if not 0 <= i < self.n:
            raise IndexError(f"Row {i} is outside a table of {self.n} rows.")
        return {name: column.value(i) for name, column in self._columns.items()}

    def __len__(self) -> int:
        return self.n


def _coerce_record(spec: FactSpec, record: Mapping, i: int):
    try:
        return coerce_value(spec, record.get(spec.name))
    except TypeError:
        params = {"fact": spec.name, "expected": spec.type, "got": describe(record.get(spec.name))}
        raise RuleError("type_mismatch", f"records[{i}].{spec.name}", params) from None


# Builders from lists of canonical values (from_records).


def _numbers_from_values(values: list, n: int) -> NumberColumn:
    return NumberColumn(np.array([math.nan if v is None else v for v in values], dtype=np.float64))


def _texts_from_values(values: list, n: int) -> TextColumn:
    index: dict[str, int] = {}
    codes = [-1 if v is None else index.setdefault(v, len(index)) for v in values]
    return TextColumn(np.array(codes, dtype=np.int32), list(index))


def _bools_from_values(values: list, n: int) -> BoolColumn:
    return BoolColumn(np.array([1 if v is None else 2 * v for v in values], dtype=np.int8))


def _sets_from_values(values: list, n: int) -> SetColumn:
    members: dict[str, np.ndarray] = {}
    for i, tokens in enumerate(values):
        for token in tokens or ():
            if token not in members:
                members[token] = np.zeros(n, dtype=bool)
            members[token][i] = True
    known = np.array([v is not None for v in values], dtype=bool)
    return SetColumn(members, None if known.all() else known)


_BUILDERS = {
    "number": _numbers_from_values,
    "text": _texts_from_values,
    "bool": _bools_from_values,
    "set": _sets_from_values,
}


# Builders from arrays (from_columns).


def _shaped(name: str, array: np.ndarray, n: int) -> np.ndarray:
    if array.shape != (n,):
        raise ValueError(f"Column '{name}' has shape {array.shape}; expected ({n},).")
    return array


def _number_column(name: str, data, n: int) -> NumberColumn:
    return NumberColumn(_shaped(name, np.asarray(data, dtype=np.float64), n))


class _Codes(dict):
    """Category codes in order of first appearance; None and "" are pre-seeded as missing (-1)."""

    def __missing__(self, key):
        code = self[key] = len(self) - 2
        return code


def _text_column(name: str, data, n: int) -> TextColumn:
    array = _shaped(name, np.asarray(data), n)
    lookup = _Codes({None: -1, "": -1})
    # dict lookups in C through map(); this builds the table once, it is not on the evaluation path.
    codes = np.fromiter(map(lookup.__getitem__, array.tolist()), dtype=np.int32, count=n)
    vocab = [key for key in lookup if key is not None and key != ""]
    if not all(isinstance(text, str) for text in vocab):
        raise ValueError(f"Text column '{name}' holds values that are not text.")
    return TextColumn(codes, vocab)


def _bool_column(name: str, data, n: int) -> BoolColumn:
    array = _shaped(name, np.asarray(data), n)
    if array.dtype == bool:
        return BoolColumn(array.view(np.int8) * np.int8(2))
    array = array.astype(np.int8, copy=False)
    if array.size and (array.min() < -1 or array.max() > 1):
        raise ValueError(f"Bool column '{name}' must hold 1, 0 or -1.")
    return BoolColumn(_BOOL_TO_TRUTH.take(array))


def _set_column(name: str, data, n: int) -> SetColumn:
    if not isinstance(data, Mapping) or "members" not in data:
        raise ValueError(f"Set column '{name}' must be {{'members': {{token: bool array}}, 'known': ...}}.")
    known = data.get("known")
    if known is not None:
        known = _shaped(name, np.asarray(known, dtype=bool), n)
        known = None if known.all() else known
    members = {}
    for token, member in data["members"].items():
        member = _shaped(name, np.asarray(member, dtype=bool), n)
        # Normalise once here so that evaluation can trust "member" to be False on unknown rows.
        members[str(token)] = member if known is None else member & known
    return SetColumn(members, known)


_COLUMN_BUILDERS = {"number": _number_column, "text": _text_column, "bool": _bool_column, "set": _set_column}
