"""FactTable: records and columns give the same table; values come back as Python values."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanlian.engines.rules import FactTable, RuleError, compile_rule, evaluate
from tests.engines.rules.support import CATALOGUE

TEXTS = ["医疗器械", "生物药", "服务"]
TOKENS = ["高新", "专精特新", "小巨人"]

records = st.fixed_dictionaries(
    {},
    optional={
        "revenue": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.integers(-1000, 1000)),
        "cluster": st.one_of(st.none(), st.just(""), st.sampled_from(TEXTS)),
        "listed": st.one_of(st.none(), st.booleans()),
        "certs": st.one_of(st.none(), st.lists(st.sampled_from(TOKENS), max_size=3)),
    },
)


def columns_of(rows: list[dict]) -> dict:
    """The same data in the columnar formats of from_columns."""
    n = len(rows)
    revenue = np.array([np.nan if r.get("revenue") is None else float(r["revenue"]) for r in rows], dtype=np.float64)
    cluster = np.array([r.get("cluster") for r in rows], dtype=object)
    listed = np.array([-1 if r.get("listed") is None else int(r["listed"]) for r in rows], dtype=np.int8)
    known = np.array([r.get("certs") is not None for r in rows], dtype=bool)
    members = {t: np.array([t in (r.get("certs") or ()) for r in rows], dtype=bool) for t in TOKENS}
    columns = {"revenue": revenue, "cluster": cluster, "listed": listed, "certs": {"members": members, "known": known}}
    assert all(len(c) == n for c in (revenue, cluster, listed))
    return columns


RULES = [
    compile_rule(tree, CATALOGUE)
    for tree in [
        {"fact": "revenue", "op": ">", "value": 0},
        {"fact": "cluster", "op": "in", "value": ["医疗器械", "服务"]},
        {"fact": "listed", "op": "==", "value": False},
        {"fact": "certs", "op": "contains any", "value": ["高新", "小巨人"]},
        {"not": {"fact": "certs", "op": "contains", "value": "专精特新"}},
    ]
]


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(records, min_size=0, max_size=10))
def test_from_columns_equals_from_records(rows):
    # given the same enterprises as records and as columns
    by_records = FactTable.from_records(rows, CATALOGUE)
    by_columns = FactTable.from_columns(len(rows), columns_of(rows), CATALOGUE)
    # then every row reads back the same and every rule gives the same outcomes
    for i in range(len(rows)):
        expected = {
            name: value
            for name, value in by_records.row(i).items()
            if name in ("revenue", "cluster", "listed", "certs")
        }
        assert by_columns.row(i) == expected
    assert (evaluate(RULES, by_records, {}).outcomes == evaluate(RULES, by_columns, {}).outcomes).all()


def test_a_row_reads_back_python_values_with_none_for_missing():
    table = FactTable.from_records(
        [{"revenue": Decimal("1.5"), "cluster": "服务", "listed": True, "certs": {"高新", "小巨人"}, "staff": None}],
        CATALOGUE,
    )
    assert table.row(0) == {
        "revenue": 1.5,
        "staff": None,
        "cluster": "服务",
        "town": None,
        "listed": True,
        "certs": ["小巨人", "高新"],
    }


def test_ids_are_kept_and_default_to_row_numbers():
    assert list(FactTable.from_records([{}, {}], CATALOGUE, ids=["a", "b"]).ids) == ["a", "b"]
    assert list(FactTable.from_records([{}, {}], CATALOGUE).ids) == [0, 1]
    assert FactTable.from_columns(3, {}, CATALOGUE).n == 3
    with pytest.raises(ValueError, match="ids"):
        FactTable.from_records([{}], CATALOGUE, ids=[1, 2])


def test_keys_and_columns_outside_the_catalogue_are_ignored():
    assert "name" not in FactTable.from_records([{"name": "澜屿"}], CATALOGUE).row(0)
    assert "name" not in FactTable.from_columns(1, {"name": np.array(["澜屿"])}, CATALOGUE).row(0)


def test_a_boolean_array_is_accepted_as_a_fully_known_bool_column():
    table = FactTable.from_columns(2, {"listed": np.array([True, False])}, CATALOGUE)
    assert [table.row(i)["listed"] for i in range(2)] == [True, False]


def test_a_text_column_of_unicode_strings_treats_the_empty_string_as_missing():
    table = FactTable.from_columns(3, {"cluster": np.array(["服务", "", "服务"])}, CATALOGUE)
    assert [table.row(i)["cluster"] for i in range(3)] == ["服务", None, "服务"]


def test_a_set_column_without_known_mask_is_known_on_every_row():
    table = FactTable.from_columns(
        2, {"certs": {"members": {"高新": np.array([True, False])}, "known": None}}, CATALOGUE
    )
    assert [table.row(i)["certs"] for i in range(2)] == [["高新"], []]


@pytest.mark.parametrize(
    ("record", "fact"),
    [
        ({"revenue": "100"}, "revenue"),
        ({"revenue": True}, "revenue"),
        ({"cluster": 3}, "cluster"),
        ({"listed": 1}, "listed"),
        ({"certs": "高新"}, "certs"),
        ({"certs": [1, 2]}, "certs"),
        ({"certs": 5}, "certs"),
    ],
)
def test_a_record_value_of_the_wrong_type_is_a_type_mismatch_at_its_record(record, fact):
    with pytest.raises(RuleError) as caught:
        FactTable.from_records([{}, record], CATALOGUE)
    assert (caught.value.code, caught.value.path) == ("type_mismatch", f"records[1].{fact}")


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"revenue": np.zeros(3)}, "shape"),
        ({"cluster": np.array([1, 2])}, "not text"),
        ({"listed": np.array([0, 2], dtype=np.int8)}, "1, 0 or -1"),
        ({"certs": {"高新": np.zeros(2, dtype=bool)}}, "members"),
    ],
)
def test_malformed_columns_are_refused(columns, message):
    with pytest.raises(ValueError, match=message):
        FactTable.from_columns(2, columns, CATALOGUE)
