"""Every operator of every fact type over known and missing values, through every evaluation path."""

from unittest import mock

import numpy as np
import pytest

from sanlian.engines.rules import FALSE, TRUE, UNKNOWN, FactTable, compile_rule, evaluate
from sanlian.engines.rules import evaluation as evaluation_module
from tests.engines.rules.support import CATALOGUE, outcomes_of

E, N, U = TRUE, FALSE, UNKNOWN
# Row 0 and row 1 hold known values; row 2 has every fact missing.
RECORDS = [
    {"revenue": 100, "cluster": "医疗器械", "listed": True, "certs": ["高新", "小巨人"]},
    {"revenue": 50.5, "cluster": "生物药", "listed": False, "certs": []},
    {"revenue": None, "cluster": None, "listed": None, "certs": None},
]

CASES = [
    ("revenue", ">=", 100, [E, N, U]),
    ("revenue", ">", 100, [N, N, U]),
    ("revenue", "<=", 50.5, [N, E, U]),
    ("revenue", "<", 100, [N, E, U]),
    ("revenue", "==", 100, [E, N, U]),
    ("revenue", "!=", 100, [N, E, U]),
    ("cluster", "==", "医疗器械", [E, N, U]),
    ("cluster", "!=", "医疗器械", [N, E, U]),
    ("cluster", "==", "没有的集群", [N, N, U]),
    ("cluster", "!=", "没有的集群", [E, E, U]),
    ("cluster", "in", ["医疗器械", "服务"], [E, N, U]),
    ("cluster", "not in", ["医疗器械", "服务"], [N, E, U]),
    ("cluster", "in", ["没有的集群"], [N, N, U]),
    ("cluster", "not in", ["没有的集群"], [E, E, U]),
    ("listed", "==", True, [E, N, U]),
    ("listed", "==", False, [N, E, U]),
    ("certs", "contains", "高新", [E, N, U]),
    ("certs", "not contains", "高新", [N, E, U]),
    ("certs", "contains", "没有的资质", [N, N, U]),
    ("certs", "not contains", "没有的资质", [E, E, U]),
    ("certs", "contains any", ["专精特新", "小巨人"], [E, N, U]),
    ("certs", "contains any", ["没有的资质", "高新"], [E, N, U]),
]


def one_row_outcomes(tree, records, params=None):
    return [outcomes_of(tree, [record], params)[0] for record in records]


def small_block_outcomes(tree, records, params=None):
    with mock.patch.object(evaluation_module, "BLOCK_ROWS", 2):
        return outcomes_of(tree, records, params)


PATHS = [outcomes_of, one_row_outcomes, small_block_outcomes]


@pytest.mark.parametrize("path", PATHS, ids=["vector", "one_row", "blocks_of_two"])
@pytest.mark.parametrize(("fact", "op", "value", "expected"), CASES, ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES])
def test_each_operator_gives_true_false_on_known_rows_and_unknown_on_missing_ones(path, fact, op, value, expected):
    # given rows with known and missing values, when one criterion is evaluated, then
    assert path({"fact": fact, "op": op, "value": value}, RECORDS) == expected


@pytest.mark.parametrize("path", PATHS, ids=["vector", "one_row", "blocks_of_two"])
@pytest.mark.parametrize(("op", "expected"), [("in", [E, E, N, U]), ("not in", [N, N, E, U])])
def test_a_long_in_list_gives_the_same_outcomes_as_a_short_one(path, op, expected):
    # given more wanted texts than the equality chain handles, the lookup-table path takes over
    clusters = [f"集群{i}" for i in range(12)]
    records = [{"cluster": "集群3"}, {"cluster": "集群11"}, {"cluster": "其他"}, {"cluster": None}]
    records += [{"cluster": c} for c in clusters]  # every wanted text is in the vocabulary
    tree = {"fact": "cluster", "op": op, "value": clusters}
    assert path(tree, records)[:4] == expected


def test_numbers_are_compared_exactly_without_tolerance():
    # given a value computed with float rounding error, when compared with the written threshold
    tree = {"fact": "revenue", "op": "<=", "value": 0.3}
    # then only the exact float passes
    assert outcomes_of(tree, [{"revenue": 0.1 + 0.2}, {"revenue": 0.3}]) == [N, E]


def test_an_integer_and_a_decimal_record_value_compare_as_numbers():
    from decimal import Decimal

    assert outcomes_of({"fact": "revenue", "op": "==", "value": 12.5}, [{"revenue": Decimal("12.5")}]) == [E]


def test_an_empty_text_is_missing_like_none():
    assert outcomes_of({"fact": "cluster", "op": "!=", "value": "x"}, [{"cluster": ""}]) == [U]


def test_a_known_empty_set_contains_nothing_while_an_unknown_set_is_unknown():
    tree = {"fact": "certs", "op": "contains any", "value": ["高新"]}
    assert outcomes_of(tree, [{"certs": []}, {"certs": None}, {}]) == [N, U, U]


@pytest.mark.parametrize("n", [1, 3])
def test_a_fact_the_table_lacks_entirely_is_unknown_on_every_row(n):
    # given a table built from columns without the rule's fact
    table = FactTable.from_columns(n, {"staff": np.ones(n)}, CATALOGUE)
    rules = [
        compile_rule({"fact": kind_fact, "op": op, "value": value}, CATALOGUE) for kind_fact, op, value, _ in CASES
    ]
    # when every operator is evaluated, then every criterion is unknown
    assert (evaluate(rules, table, {}).outcomes == U).all()


def test_a_column_held_as_another_type_than_the_rule_expects_is_unknown():
    # given a rule compiled while "staff" was a text fact, and a table where it is a number
    from sanlian.engines.rules import Catalogue, FactSpec

    text_catalogue = Catalogue(facts={"staff": FactSpec("staff", "text")}, params={})
    rule = compile_rule({"fact": "staff", "op": "==", "value": "many"}, text_catalogue)
    table = FactTable.from_records([{"staff": 5}, {"staff": 6}], CATALOGUE)
    assert evaluate([rule], table, {}).outcomes.tolist() == [[U, U]]
