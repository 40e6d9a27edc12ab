"""Why a rule gave its outcome for one row: a JSON-serialisable tree mirroring the rule.

Criterion outcomes are read from the arrays kept by evaluate(explain=True); group outcomes are
combined from them with the same Kleene arithmetic, and values, thresholds and margins are read for
the one row. So an explanation costs O(criteria), whatever the size of the table.
"""

from .nodes import Group, Leaf
from .outcomes import OUTCOME_NAMES
from .params import keyed_value, number_or_none, text_or_none
from .table import FactTable


def explain_rule(root, table: FactTable, params: dict, outcomes: list, row: int) -> dict:
    return _Explainer(table, params or {}, outcomes, row).node(root)[0]


def compact_rule(leaves, table: FactTable, params: dict, outcomes: list, row: int, values: dict | None = None) -> list:
    """The compact rows of a rule's leaves (in document order) for one row.

    `values` may carry the row's fact values from an earlier call for the same row (filled as read).
    """
    explainer = _Explainer(table, params or {}, outcomes, row, values)
    return [explainer.compact(leaf) for leaf in leaves]


class _Explainer:
    def __init__(self, table: FactTable, params: dict, outcomes: list, row: int, values: dict | None = None):
        self.table = table
        self.params = params
        self.outcomes = outcomes
        self.row = row
        self.values = {} if values is None else values

    def node(self, node) -> tuple[dict, int]:
        """(explanation, outcome code)."""
        if isinstance(node, Leaf):
            code = int(self.outcomes[node.index][self.row])
            return self.criterion(node, code), code
        return self.group(node)

    def group(self, group: Group) -> tuple[dict, int]:
        explained = [self.node(child) for child in group.children]
        codes = [code for _, code in explained]
        if group.kind == "all":
            code = min(codes)
        elif group.kind == "any":
            code = max(codes)
        else:
            code = 2 - codes[0]
        children = [explanation for explanation, _ in explained]
        return {"kind": group.kind, "path": group.path, "outcome": OUTCOME_NAMES[code], "children": children}, code

    def compact(self, leaf: Leaf) -> list:
        criterion, spec, param_spec = leaf.criterion, leaf.fact_spec, leaf.param_spec
        if criterion.param is None:
            threshold = list(criterion.value) if isinstance(criterion.value, tuple) else criterion.value
        else:
            threshold = self.threshold(criterion.param, param_spec.type, param_spec.key_fact)
        return [self.value(criterion.fact, spec.type), threshold, int(self.outcomes[leaf.index][self.row])]

    def criterion(self, leaf: Leaf, code: int) -> dict:
        criterion, spec, param_spec = leaf.criterion, leaf.fact_spec, leaf.param_spec
        value = self.value(criterion.fact, spec.type)
        if criterion.param is None:
            value_in_rule = criterion.value
            threshold = list(value_in_rule) if isinstance(value_in_rule, tuple) else value_in_rule
        else:
            threshold = self.threshold(criterion.param, param_spec.type, param_spec.key_fact)
        return criterion_explanation(leaf, code, value, threshold)

    def value(self, fact: str, kind: str):
        """The row's value, or None when missing or when the table holds the fact as another type
        (the evaluation then gave UNKNOWN for the same reason)."""
        key = (fact, kind)
        if key not in self.values:
            column = self.table.column(fact)
            self.values[key] = None if column is None or column.type != kind else column.value(self.row)
        return self.values[key]

    def threshold(self, param: str, kind: str, key_fact: str | None):
        """The parameter's value for this row, exactly as Frame resolves it for the whole column."""
        value = self.params.get(param)
        if isinstance(value, dict):
            key = self.value(key_fact, "text") if key_fact else None
            value = None if key is None else keyed_value(value, key)
        return number_or_none(value) if kind == "number" else text_or_none(value)


def criterion_explanation(leaf: Leaf, code: int, value, threshold) -> dict:
    criterion, spec, param_spec = leaf.criterion, leaf.fact_spec, leaf.param_spec
    margin = None
    if spec.type == "number" and value is not None and threshold is not None:
        margin = value - float(threshold)
    return {
        "kind": "criterion",
        "path": criterion.path,
        "fact": criterion.fact,
        "label": criterion.label or spec.label,
        "unit": spec.unit,
        "op": criterion.op,
        "value": value,
        "threshold": threshold,
        "param": criterion.param,
        "param_source": param_spec.source if param_spec else "",
        "margin": margin,
        "outcome": OUTCOME_NAMES[code],
    }


# Stored results keep only what varies per enterprise: [value, threshold, outcome code] per criterion in
# document order. The rule version is frozen, so the full tree can always be rebuilt from it.

CODES = {name: code for code, name in OUTCOME_NAMES.items()}


def compact_explanation(tree: dict) -> list:
    """[[value, threshold, outcome code], …] of the criteria of an explanation tree, in document order."""
    if tree["kind"] == "criterion":
        return [[tree["value"], tree["threshold"], CODES[tree["outcome"]]]]
    return [row for child in tree["children"] for row in compact_explanation(child)]


def expand_explanation(root, rows: list) -> dict:
    """The explanation tree rebuilt from compact rows and the compiled rule's tree."""

    def node(item) -> tuple[dict, int]:
        if isinstance(item, Leaf):
            value, threshold, code = rows[item.index]
            return criterion_explanation(item, code, value, threshold), code
        explained = [node(child) for child in item.children]
        codes = [code for _, code in explained]
        code = min(codes) if item.kind == "all" else max(codes) if item.kind == "any" else 2 - codes[0]
        children = [explanation for explanation, _ in explained]
        return {"kind": item.kind, "path": item.path, "outcome": OUTCOME_NAMES[code], "children": children}, code

    return node(root)[0]
