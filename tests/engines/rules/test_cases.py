"""run_cases: worked examples attached to a rule."""

import pytest

from sanlian.engines.rules import RuleError, compile_rule, run_cases
from tests.engines.rules.support import CATALOGUE

RULE = compile_rule(
    {
        "all": [
            {"fact": "revenue", "op": ">=", "value": {"param": "revenue_floor"}},
            {"fact": "listed", "op": "==", "value": False},
        ]
    },
    CATALOGUE,
)
PARAMS = {"revenue_floor": 100}


def test_each_case_reports_expected_actual_and_whether_it_passed():
    cases = [
        {"name": "达标的非上市企业", "facts": {"revenue": 150, "listed": False}, "expected": "eligible"},
        {"name": "上市企业", "facts": {"revenue": 150, "listed": True}, "expected": "eligible"},
        {"name": "缺少上市信息", "facts": {"revenue": 150}, "expected": "unknown"},
    ]
    results = run_cases(RULE, cases, CATALOGUE, PARAMS)
    assert [(r["name"], r["expected"], r["actual"], r["passed"]) for r in results] == [
        ("达标的非上市企业", "eligible", "eligible", True),
        ("上市企业", "eligible", "not_eligible", False),
        ("缺少上市信息", "unknown", "unknown", True),
    ]


def test_each_result_carries_the_explanation_of_its_case():
    [result] = run_cases(
        RULE, [{"name": "x", "facts": {"revenue": 90, "listed": False}, "expected": "not_eligible"}], CATALOGUE, PARAMS
    )
    revenue = result["explanation"]["children"][0]
    assert (revenue["value"], revenue["threshold"], revenue["margin"]) == (90.0, 100.0, -10.0)
    assert result["explanation"]["outcome"] == "not_eligible"


def test_a_single_case_runs_through_the_one_row_path_with_the_same_result():
    case = {"name": "x", "facts": {"revenue": 100, "listed": False}, "expected": "eligible"}
    assert run_cases(RULE, [case], CATALOGUE, PARAMS)[0]["passed"] is True
    assert run_cases(RULE, [case, case], CATALOGUE, PARAMS)[1]["passed"] is True


def test_no_cases_give_no_results():
    assert run_cases(RULE, [], CATALOGUE, PARAMS) == []


@pytest.mark.parametrize(
    ("case", "code", "path"),
    [
        ({"name": "x", "facts": {"profit": 1}, "expected": "eligible"}, "unknown_fact", "tests[1].facts.profit"),
        (
            {"name": "x", "facts": {"revenue": "lots"}, "expected": "eligible"},
            "type_mismatch",
            "tests[1].facts.revenue",
        ),
        ({"name": "x", "facts": {}, "expected": "yes"}, "bad_expected", "tests[1].expected"),
        ({"name": "x", "facts": {}}, "bad_expected", "tests[1].expected"),
        ({"name": "x", "facts": ["revenue"], "expected": "eligible"}, "bad_node", "tests[1].facts"),
        ("not a case", "bad_node", "tests[1]"),
    ],
)
def test_a_bad_case_is_refused_with_its_path_before_any_case_runs(case, code, path):
    good = {"name": "ok", "facts": {"revenue": 1}, "expected": "not_eligible"}
    with pytest.raises(RuleError) as caught:
        run_cases(RULE, [good, case], CATALOGUE, PARAMS)
    assert (caught.value.code, caught.value.path) == (code, path)


def test_a_bad_expected_value_lists_the_allowed_ones():
    with pytest.raises(RuleError) as caught:
        run_cases(RULE, [{"name": "x", "facts": {}, "expected": "maybe"}], CATALOGUE, PARAMS)
    assert caught.value.params == {"expected": "maybe", "allowed": "not_eligible, unknown, eligible"}
