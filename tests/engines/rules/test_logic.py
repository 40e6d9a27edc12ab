"""Kleene three-valued logic, and the vectorised engine against a plain scalar reference evaluator."""

import operator
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanlian.engines.rules import FALSE, OUTCOME_NAMES, TRUE, UNKNOWN, FactTable, compile_rule, evaluate
from sanlian.engines.rules import evaluation as evaluation_module
from tests.engines.rules.support import CATALOGUE, outcomes_of

E, N, U = TRUE, FALSE, UNKNOWN
# A criterion on "revenue" (A) and one on "staff" (B), each made TRUE, FALSE or UNKNOWN by the record.
A = {"fact": "revenue", "op": ">=", "value": 10}
B = {"fact": "staff", "op": ">=", "value": 10}
VALUE_FOR = {E: 20, N: 5, U: None}

ALL_TABLE = {(E, E): E, (E, N): N, (E, U): U, (N, E): N, (N, N): N, (N, U): N, (U, E): U, (U, N): N, (U, U): U}
ANY_TABLE = {(E, E): E, (E, N): E, (E, U): E, (N, E): E, (N, N): N, (N, U): U, (U, E): E, (U, N): U, (U, U): U}
NOT_TABLE = {E: N, N: E, U: U}


def records_for(pairs):
    return [{"revenue": VALUE_FOR[a], "staff": VALUE_FOR[b]} for a, b in pairs]


class TestTruthTables:
    @pytest.mark.parametrize(("kind", "table"), [("all", ALL_TABLE), ("any", ANY_TABLE)])
    def test_all_and_any_follow_kleene_truth_tables(self, kind, table):
        # given the nine combinations of two criteria's outcomes
        pairs = list(table)
        # when combined by the group, then each row gets the Kleene outcome
        assert outcomes_of({kind: [A, B]}, records_for(pairs)) == [table[p] for p in pairs]

    @pytest.mark.parametrize(("kind", "table"), [("all", ALL_TABLE), ("any", ANY_TABLE)])
    def test_one_row_tables_follow_the_same_truth_tables(self, kind, table):
        for pair, expected in table.items():
            assert outcomes_of({kind: [A, B]}, records_for([pair])) == [expected]

    def test_not_swaps_true_and_false_and_keeps_unknown(self):
        outcomes = [E, N, U]
        assert outcomes_of({"not": A}, [{"revenue": VALUE_FOR[o]} for o in outcomes]) == [
            NOT_TABLE[o] for o in outcomes
        ]

    def test_a_group_of_three_combines_all_of_its_children(self):
        records = [{"revenue": 20, "staff": 20, "listed": None}, {"revenue": 20, "staff": 20, "listed": True}]
        tree = {"all": [A, B, {"fact": "listed", "op": "==", "value": True}]}
        assert outcomes_of(tree, records) == [U, E]
        assert outcomes_of(
            {"any": [{"not": A}, {"not": B}, {"fact": "listed", "op": "==", "value": False}]}, records
        ) == [U, N]


# ---------------------------------------------------------------------------------------------
# Random rules over random tables, checked row by row against a scalar evaluator written here.

TEXTS = ["医疗器械", "生物药", "服务", "t3", "t4", "t5", "t6", "t7", "t8"]
TOKENS = ["高新", "专精特新", "小巨人"]
NUMBERS = [-3, 0, 1, 2.5, 10]

SCALAR_OPS = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def reference(node, record, params):
    """The outcome of ``node`` for one record, computed the obvious way, one value at a time."""
    if "all" in node:
        return min(reference(child, record, params) for child in node["all"])
    if "any" in node:
        return max(reference(child, record, params) for child in node["any"])
    if "not" in node:
        return 2 - reference(node["not"], record, params)
    value = record.get(node["fact"])
    value = None if value == "" else value
    threshold = node["value"]
    if isinstance(threshold, dict):
        spec = CATALOGUE.params[threshold["param"]]
        threshold = params.get(spec.name)
        if isinstance(threshold, dict):
            key = record.get(spec.key_fact) or None
            threshold = None if key is None else threshold.get(key, threshold.get("*"))
        if threshold is None or threshold == "":
            return U
    if value is None:
        return U
    op = node["op"]
    if op in SCALAR_OPS:
        holds = SCALAR_OPS[op](value, threshold)
    elif op in ("in", "not in"):
        holds = (value in threshold) == (op == "in")
    elif op == "contains any":
        holds = any(token in value for token in threshold)
    else:
        holds = (threshold in value) == (op == "contains")
    return E if holds else N


texts = st.sampled_from(TEXTS + ["外星"])
text_lists = st.lists(texts, min_size=1, max_size=10)
token_lists = st.lists(st.sampled_from(TOKENS + ["外"]), min_size=1, max_size=4)
number_values = st.one_of(
    st.sampled_from(NUMBERS), st.sampled_from([{"param": "revenue_floor"}, {"param": "floor_by_cluster"}])
)
text_values = st.one_of(texts, st.sampled_from([{"param": "home_town"}, {"param": "town_by_cluster"}]))


def criterion(facts, ops, values):
    return st.builds(
        lambda f, o, v: {"fact": f, "op": o, "value": v}, st.sampled_from(facts), st.sampled_from(ops), values
    )


criteria = st.one_of(
    criterion(["revenue", "staff"], list(SCALAR_OPS), number_values),
    criterion(["cluster", "town"], ["==", "!="], text_values),
    criterion(["cluster", "town"], ["in", "not in"], text_lists),
    criterion(["listed"], ["=="], st.booleans()),
    criterion(["certs"], ["contains", "not contains"], st.sampled_from(TOKENS + ["外"])),
    criterion(["certs"], ["contains any"], token_lists),
)
trees = st.recursive(
    criteria,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        children.map(lambda child: {"not": child}),
    ),
    max_leaves=8,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "revenue": st.one_of(st.none(), st.sampled_from(NUMBERS)),
        "staff": st.one_of(st.none(), st.sampled_from(NUMBERS)),
        "cluster": st.one_of(st.none(), st.just(""), st.sampled_from(TEXTS)),
        "town": st.one_of(st.none(), st.sampled_from(TEXTS)),
        "listed": st.one_of(st.none(), st.booleans()),
        "certs": st.one_of(st.none(), st.lists(st.sampled_from(TOKENS), max_size=3)),
    },
)
keyed_numbers = st.dictionaries(st.sampled_from(TEXTS[:4] + ["*"]), st.sampled_from(NUMBERS), max_size=4)
keyed_texts = st.dictionaries(st.sampled_from(TEXTS[:4] + ["*"]), st.sampled_from(TEXTS + [""]), max_size=4)
params = st.fixed_dictionaries(
    {},
    optional={
        "revenue_floor": st.sampled_from(NUMBERS),
        "floor_by_cluster": st.one_of(keyed_numbers, st.sampled_from(NUMBERS)),
        "home_town": st.sampled_from(TEXTS + [""]),
        "town_by_cluster": keyed_texts,
    },
)


def explained_outcomes(explanation, node, record, values):
    """Check every node of an explanation against the reference, recursively."""
    assert explanation["outcome"] == OUTCOME_NAMES[reference(node, record, values)]
    for kind in ("all", "any"):
        for child_explanation, child in zip(explanation.get("children", []), node.get(kind, []), strict=False):
            explained_outcomes(child_explanation, child, record, values)
    if "not" in node:
        explained_outcomes(explanation["children"][0], node["not"], record, values)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule_trees=st.lists(trees, min_size=1, max_size=3),
    rows=st.lists(records, min_size=1, max_size=12),
    values=params,
    block_rows=st.sampled_from([1, 2, 5, 65_536]),
)
def test_vectorised_evaluation_equals_the_scalar_reference_on_every_row(rule_trees, rows, values, block_rows):
    # given random rules, a random table with missing values and random parameters
    rules = [compile_rule(tree, CATALOGUE) for tree in rule_trees]
    table = FactTable.from_records(rows, CATALOGUE)
    # when they are evaluated together, in blocks of any size
    with mock.patch.object(evaluation_module, "BLOCK_ROWS", block_rows):
        evaluation = evaluate(rules, table, values)
    # then every outcome, and every node of every explanation, is the reference's
    for r, tree in enumerate(rule_trees):
        expected = [reference(tree, row, values) for row in rows]
        assert evaluation.outcomes[r].tolist() == expected
        for i, row in enumerate(rows):
            explained_outcomes(evaluation.explain(r, i), tree, row, values)


@settings(max_examples=150, deadline=None)
@given(rule_trees=st.lists(trees, min_size=1, max_size=3), row=records, values=params)
def test_the_one_row_path_equals_the_scalar_reference(rule_trees, row, values):
    # given one enterprise (the one-row path, on Python scalars)
    rules = [compile_rule(tree, CATALOGUE) for tree in rule_trees]
    evaluation = evaluate(rules, FactTable.from_records([row], CATALOGUE), values)
    # then its outcomes and explanations are the reference's as well
    for r, tree in enumerate(rule_trees):
        assert evaluation.outcomes[r].tolist() == [reference(tree, row, values)]
        explained_outcomes(evaluation.explain(r, 0), tree, row, values)
