"""One kernel per criterion: a closure ``run(frame)`` giving the criterion's outcome on every row.

Each kernel is a single comparison over the column (``operator.ge`` and friends, so that the same
code serves numpy arrays and, for one-row tables, Python scalars) followed by the frame's encoding
``2 * holds + missing``: comparisons are False on missing rows (NaN, code -1, unknown set), so
adding the 0/1 missing mask lands those rows on UNKNOWN. "!=" is True on missing rows, hence
``2 * holds - missing`` for it; "not in" and "not contains" are ``2 -`` their positive form.

Numbers are compared exactly, with no tolerance: a threshold of 0.1 and a stored 0.1 are equal
because they are the same float, while a value computed as 0.30000000000000004 is not <= 0.3.
"""

import operator

from .frame import ABSENT_CODE
from .nodes import Criterion
from .specs import FactSpec, ParamSpec

COMPARE = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def make_kernel(criterion: Criterion, fact_spec: FactSpec, param_spec: ParamSpec | None):
    key_fact = param_spec.key_fact if param_spec else None
    factory = _FACTORIES[fact_spec.type]
    return factory(criterion.fact, criterion.op, criterion.value, criterion.param, key_fact)


def _number_kernel(fact: str, op: str, literal, param: str | None, key_fact: str | None):
    compare = COMPARE[op]
    negated = op == "!="
    threshold = None if literal is None else float(literal)

    def run(frame):
        column = frame.number(fact)
        if column is None:
            return frame.unknown
        values, missing = column
        t = threshold
        if param is not None:
            t = frame.number_threshold(param, key_fact, fact)
            if t is None:
                return frame.unknown
            if type(t) is tuple:  # keyed: per-row thresholds, with their own missing rows
                t, missing = t
        holds = compare(values, t)
        return frame.encode_negated(holds, missing) if negated else frame.encode(holds, missing)

    return run


def _text_kernel(fact: str, op: str, literal, param: str | None, key_fact: str | None):
    if op in ("in", "not in"):
        return _text_in_kernel(fact, literal, op == "not in")
    negated = op == "!="
    compare = COMPARE[op]

    def run(frame):
        column = frame.text(fact)
        if column is None:
            return frame.unknown
        codes, index, missing = column
        if param is None:
            code = index.get(literal, ABSENT_CODE)  # a text no row holds: known rows are simply not equal
        else:
            code = frame.text_threshold(param, key_fact, fact)
            if code is None:
                return frame.unknown
            if type(code) is tuple:
                code, missing = code
        holds = compare(codes, code)
        return frame.encode_negated(holds, missing) if negated else frame.encode(holds, missing)

    return run


def _text_in_kernel(fact: str, literals: tuple, negated: bool):
    def run(frame):
        column = frame.text(fact)
        if column is None:
            return frame.unknown
        codes, index, missing = column
        wanted = list(dict.fromkeys(index[text] for text in literals if text in index))
        out = frame.encode(frame.isin(codes, wanted, len(index)), missing) if wanted else _none_holds(frame, missing)
        return 2 - out if negated else out

    return run


def _bool_kernel(fact: str, op: str, literal, param: str | None, key_fact: str | None):
    def run(frame):
        truth = frame.truth(fact)
        if truth is None:
            return frame.unknown
        return truth if literal else 2 - truth

    return run


def _set_kernel(fact: str, op: str, literal, param: str | None, key_fact: str | None):
    tokens = (literal,) if isinstance(literal, str) else tuple(dict.fromkeys(literal))
    negated = op == "not contains"

    def run(frame):
        column = frame.members(fact)
        if column is None:
            return frame.unknown
        members, unknown = column
        present = [member for member in map(members.get, tokens) if member is not None]
        out = frame.encode(frame.any_of(present), unknown) if present else _none_holds(frame, unknown)
        return 2 - out if negated else out

    return run


def _none_holds(frame, missing):
    """The outcome when no row holds the wanted text or token: FALSE where known, UNKNOWN where missing."""
    return frame.false if missing is None else missing


_FACTORIES = {"number": _number_kernel, "text": _text_kernel, "bool": _bool_kernel, "set": _set_kernel}
