"""estimate_benefit: fixed amounts and rates with cap and floor, from literals or parameters."""

import numpy as np
import pytest

from sanlian.engines.rules import FactTable, RuleError, estimate_benefit
from tests.engines.rules.support import CATALOGUE

RECORDS = [
    {"revenue": 1000, "cluster": "医疗器械"},
    {"revenue": 50, "cluster": "服务"},
    {"revenue": None, "cluster": "医疗器械"},
    {"revenue": 3000, "cluster": None},
]
TABLE = FactTable.from_records(RECORDS, CATALOGUE)


def estimate(benefit, params=None):
    return estimate_benefit(benefit, TABLE, params or {}).tolist()


def same(actual, expected):
    np.testing.assert_array_equal(np.array(actual), np.array(expected, dtype=float))


def test_a_fixed_amount_is_granted_to_every_row():
    same(estimate({"fixed": 200000}), [200000.0] * 4)


def test_a_fixed_amount_may_come_from_a_parameter_keyed_by_cluster():
    same(
        estimate({"fixed": {"param": "floor_by_cluster"}}, {"floor_by_cluster": {"医疗器械": 10, "*": 5}}),
        [10, 5, 10, np.nan],
    )


def test_a_rate_is_a_fraction_of_the_fact_and_nan_where_the_fact_is_missing():
    same(estimate({"rate": 0.1, "of": "revenue"}), [100.0, 5.0, np.nan, 300.0])


def test_a_cap_limits_and_a_floor_raises_the_amount():
    same(estimate({"rate": 0.1, "of": "revenue", "cap": 200, "floor": 10}), [100.0, 10.0, np.nan, 200.0])


def test_the_cap_wins_over_a_floor_set_above_it():
    same(estimate({"rate": 0.1, "of": "revenue", "cap": 20, "floor": 30}), [20.0, 20.0, np.nan, 20.0])


def test_rate_cap_and_floor_may_all_be_parameters():
    benefit = {"rate": {"param": "revenue_floor"}, "of": "revenue", "cap": {"param": "floor_by_cluster"}}
    same(
        estimate(benefit, {"revenue_floor": 0.5, "floor_by_cluster": {"医疗器械": 400}}),
        [400.0, np.nan, np.nan, np.nan],
    )


def test_a_parameter_without_a_value_gives_nan_rather_than_zero():
    same(estimate({"rate": {"param": "revenue_floor"}, "of": "revenue"}), [np.nan] * 4)
    same(estimate({"fixed": {"param": "revenue_floor"}}), [np.nan] * 4)


def test_the_result_is_a_float64_array_with_one_amount_per_row():
    result = estimate_benefit({"fixed": 1}, TABLE, {})
    assert result.dtype == np.float64 and result.shape == (4,)


@pytest.mark.parametrize(
    ("benefit", "code", "path"),
    [
        ("lots", "bad_node", "benefit"),
        ({}, "bad_node", "benefit"),
        ({"fixed": 1, "rate": 0.1}, "bad_node", "benefit"),
        ({"rate": 0.1}, "bad_node", "benefit"),
        ({"rate": 0.1, "of": "profit"}, "unknown_fact", "benefit.of"),
        ({"rate": 0.1, "of": "cluster"}, "type_mismatch", "benefit.of"),
        ({"rate": "10%", "of": "revenue"}, "type_mismatch", "benefit.rate"),
        ({"fixed": {"param": "nowhere"}}, "unknown_param", "benefit.fixed"),
        ({"rate": 0.1, "of": "revenue", "cap": {"param": "home_town"}}, "type_mismatch", "benefit.cap"),
        ({"rate": 0.1, "of": "revenue", "floor": True}, "type_mismatch", "benefit.floor"),
    ],
)
def test_a_malformed_benefit_is_refused_with_its_path(benefit, code, path):
    with pytest.raises(RuleError) as caught:
        estimate_benefit(benefit, TABLE, {})
    assert (caught.value.code, caught.value.path) == (code, path)
