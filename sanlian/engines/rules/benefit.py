"""Estimated benefit per row: a fixed amount, or a rate of a number fact with an optional cap and floor.

    {"fixed": 200000}
    {"rate": 0.1, "of": "rd_spend", "cap": {"param": "rd_cap"}, "floor": 10000}

``rate`` is a fraction (0.1 = 10 %). The floor is applied before the cap, so the cap is a hard
ceiling even when a floor is set above it. A row whose fact is missing, or whose parameter has no
value for its key, gets NaN: an estimate that cannot be computed is never shown as 0.
"""

import numpy as np

from .errors import RuleError
from .frame import Frame
from .params import number_or_none
from .table import FactTable
from .values import describe, is_number, is_param_ref

FIXED_KEYS = frozenset({"fixed"})
RATE_KEYS = frozenset({"rate", "of", "cap", "floor"})


def estimate_benefit(benefit: dict, table: FactTable, params: dict) -> np.ndarray:
    if not isinstance(benefit, dict) or not benefit:
        raise RuleError("bad_node", "benefit", {"reason": "bad_benefit", "got": describe(benefit)})
    frame = Frame(table, params)
    if "fixed" in benefit:
        _check_keys(benefit, FIXED_KEYS, ("fixed",))
        return np.zeros(table.n) + _operand(benefit["fixed"], "benefit.fixed", frame)
    _check_keys(benefit, RATE_KEYS, ("rate", "of"))
    result = _base(benefit["of"], frame) * _operand(benefit["rate"], "benefit.rate", frame)
    if "floor" in benefit:
        result = np.maximum(result, _operand(benefit["floor"], "benefit.floor", frame))
    if "cap" in benefit:
        result = np.minimum(result, _operand(benefit["cap"], "benefit.cap", frame))
    return result


def _check_keys(benefit: dict, allowed: frozenset, required: tuple):
    extra = set(benefit) - allowed
    if extra:
        keys = ", ".join(sorted(map(str, extra)))
        raise RuleError("bad_node", "benefit", {"reason": "unknown_keys", "keys": keys})
    missing = [key for key in required if key not in benefit]
    if missing:
        raise RuleError("bad_node", "benefit", {"reason": "missing_keys", "keys": ", ".join(missing)})


def _base(fact, frame: Frame) -> np.ndarray:
    spec = frame.table.catalogue.facts.get(fact) if isinstance(fact, str) else None
    if spec is None:
        raise RuleError("unknown_fact", "benefit.of", {"fact": str(fact)})
    if spec.type != "number":
        raise RuleError("type_mismatch", "benefit.of", {"fact": fact, "expected": "a number fact", "got": spec.type})
    column = frame.number(fact)
    return np.full(frame.n, np.nan) if column is None else column[0]


def _operand(value, path: str, frame: Frame):
    """A float, or a float array for a keyed parameter; NaN where there is no value."""
    if is_number(value):
        return float(value)
    if not is_param_ref(value):
        raise RuleError("type_mismatch", path, {"expected": "a number", "got": describe(value)})
    name = value["param"]
    spec = frame.table.catalogue.params.get(name)
    if spec is None:
        raise RuleError("unknown_param", path, {"param": name})
    if spec.type != "number":
        raise RuleError("type_mismatch", path, {"param": name, "expected": "a number", "got": f"{spec.type} parameter"})
    resolved = frame.params.get(name)
    if isinstance(resolved, dict):
        per_row = frame.keyed_numbers(resolved, spec.key_fact)
        return np.nan if per_row is None else per_row
    number = number_or_none(resolved)
    return np.nan if number is None else number
