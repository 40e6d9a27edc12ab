"""Evaluate many compiled rules over a fact table in one pass, keeping what the explanations need."""

from collections.abc import Sequence

import numpy as np

from .explain import compact_rule, explain_rule
from .frame import Frame
from .one_row import OneRowFrame
from .outcomes import FALSE, OUTCOME_DTYPE, TRUE, UNKNOWN
from .table import FactTable
from .tree import CompiledRule


class Evaluation:
    """Outcomes of every rule on every row: ``outcomes[rule_index, row]`` is FALSE, UNKNOWN or TRUE."""

    def __init__(self, rules: Sequence[CompiledRule], table: FactTable, params: dict, outcomes, kept):
        self.rules = tuple(rules)
        self.table = table
        self.params = params
        self.outcomes = outcomes
        self._kept = kept  # per rule, the outcomes of each criterion (indexable by row); None without explain
        self._row_values = (None, {})  # the last row compacted and its fact values, read once for all rules

    def counts(self, rule_index: int) -> dict[str, int]:
        tally = np.bincount(self.outcomes[rule_index], minlength=3)
        return {"eligible": int(tally[TRUE]), "not_eligible": int(tally[FALSE]), "unknown": int(tally[UNKNOWN])}

    def explain(self, rule_index: int, row: int) -> dict:
        if self._kept is None:
            raise ValueError("This evaluation was run with explain=False; run it with explain=True to explain rows.")
        if not 0 <= row < self.table.n:
            raise IndexError(f"Row {row} is outside a table of {self.table.n} rows.")
        rule = self.rules[rule_index]
        return explain_rule(rule._root, self.table, self.params, self._kept[rule_index], row)

    def compact(self, rule_index: int, row: int) -> list:
        """What a stored result keeps, without building the tree: equals compact_explanation(explain(...)).

        Compacting every rule for one row before moving to the next reads each fact value once.
        """
        if self._kept is None:
            raise ValueError("This evaluation was run with explain=False; run it with explain=True to explain rows.")
        rule = self.rules[rule_index]
        if self._row_values[0] != row:
            self._row_values = (row, {})
        return compact_rule(rule._leaves, self.table, self.params, self._kept[rule_index], row, self._row_values[1])


# Rows per block. Blocking keeps the columns a rule set reads in the CPU cache while all its
# criteria run over them, and keeps every temporary small enough for the allocator to recycle
# (fresh memory from the OS costs more than the comparisons). 64K rows: 512 KiB per number column.
BLOCK_ROWS = 65_536


def evaluate(rules: Sequence[CompiledRule], table: FactTable, params: dict, explain: bool = True) -> Evaluation:
    """Run every rule over every row; a missing fact or parameter makes its criterion UNKNOWN."""
    if table.n == 1:
        return _evaluate_one_row(rules, table, params, explain)
    n = table.n
    outcomes = np.empty((len(rules), n), dtype=OUTCOME_DTYPE)
    kept = _criterion_outcomes(rules, n) if explain else None
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        frame = Frame(table, params, start, stop)
        for i, rule in enumerate(rules):
            store = kept[i][:, start:stop] if explain else None
            outcomes[i, start:stop] = rule._run(frame, store)
    return Evaluation(rules, table, params or {}, outcomes, kept)


def _criterion_outcomes(rules: Sequence[CompiledRule], n: int) -> list[np.ndarray]:
    """One (criteria, n) int8 view per rule into a single buffer: one large allocation is far
    cheaper than hundreds of row-sized ones, and the per-block results are copied into it."""
    sizes = [len(rule.criteria) for rule in rules]
    buffer = np.empty((sum(sizes), n), dtype=OUTCOME_DTYPE)
    bounds = np.cumsum([0, *sizes]).tolist()
    return [buffer[bounds[i] : bounds[i + 1]] for i in range(len(rules))]


def _evaluate_one_row(rules: Sequence[CompiledRule], table: FactTable, params: dict, explain: bool) -> Evaluation:
    """The same rules through their one-row runners (see one_row.py): outcomes are Python ints."""
    frame = OneRowFrame(table, params)
    kept = [[None] * len(rule.criteria) for rule in rules] if explain else None
    if explain:
        codes = [rule._run_one_row(frame, store) for rule, store in zip(rules, kept, strict=True)]
    else:
        codes = [rule._run_one_row(frame, None) for rule in rules]
    outcomes = np.array(codes, dtype=OUTCOME_DTYPE).reshape(len(codes), 1)
    return Evaluation(rules, table, frame.params, outcomes, kept)
