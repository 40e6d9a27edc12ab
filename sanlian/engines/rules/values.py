"""Type tests for literal values, shared by rules, parameters, fact tables and test cases.

One definition per type keeps "what counts as a number" identical everywhere: bool is never a number
(YAML's ``true`` must not compare as 1), NaN is never a value, and Decimal (what Django's
DecimalField returns) is accepted wherever data arrives from the database.
"""

import math
import numbers
from decimal import Decimal

import numpy as np

_BOOLS = (bool, np.bool_)  # a tuple: isinstance is measurably faster with it than with a union


def is_number(value, allow_decimal: bool = False) -> bool:
    if isinstance(value, _BOOLS):
        return False
    if isinstance(value, Decimal):
        return allow_decimal and value.is_finite()
    return isinstance(value, numbers.Real) and not math.isnan(value)


def is_text(value) -> bool:
    return isinstance(value, str)


def is_text_list(value) -> bool:
    """A non-empty list of strings (a tuple is accepted too: it is what Python code naturally writes)."""
    return isinstance(value, list | tuple) and len(value) > 0 and all(isinstance(item, str) for item in value)


def is_bool(value) -> bool:
    return isinstance(value, _BOOLS)


def is_param_ref(value) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get("param"), str)


def describe(value) -> str:
    """A short English name for a value's type, for the ``got`` of a type_mismatch."""
    if value is None:
        return "nothing"
    if is_bool(value):
        return "true/false"
    if isinstance(value, numbers.Number | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
