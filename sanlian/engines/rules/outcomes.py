"""Kleene three-valued outcomes encoded as int8 so that the logic is plain arithmetic.

With FALSE < UNKNOWN < TRUE, "all" is the elementwise minimum, "any" the elementwise maximum and
"not" is ``2 - x`` (which leaves UNKNOWN where it is). numpy does all three without a Python loop.
"""

import numpy as np

FALSE = 0
UNKNOWN = 1
TRUE = 2

OUTCOME_NAMES = {FALSE: "not_eligible", UNKNOWN: "unknown", TRUE: "eligible"}
OUTCOME_CODES = {name: code for code, name in OUTCOME_NAMES.items()}

# The dtype of every outcome array; int8 keeps a million-row outcome at one megabyte.
OUTCOME_DTYPE = np.int8
