"""Space matching: hard constraints filter listings, preferences score them, every term explains itself.

Pure Python (no Django): the space app's adapter turns listings and requests into `Space` and `Need`.
Each ranked space carries one `Reason` per term the request asked for (met or missed, with the offered
and asked values and the margin) and each excluded space the hard constraints it failed, so pages can
write sentences such as "洁净等级 GMP B 级,优于要求的 C 级" without knowing the rules.
"""

from .grades import GRADES, Grade, grade_satisfies
from .rank import (
    BOOL_SPECS,
    PREFERENCE_WEIGHTS,
    Excluded,
    Need,
    Ranked,
    Reason,
    Result,
    Space,
    Specs,
    rank,
)

__all__ = [
    "BOOL_SPECS",
    "GRADES",
    "PREFERENCE_WEIGHTS",
    "Excluded",
    "Grade",
    "Need",
    "Ranked",
    "Reason",
    "Result",
    "Space",
    "Specs",
    "grade_satisfies",
    "rank",
]
