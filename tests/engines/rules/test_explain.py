"""Explanations: the per-row tree that says why a rule gave its outcome."""

import json

import pytest

from sanlian.engines.rules import FactTable, compile_rule, evaluate
from tests.engines.rules.support import CATALOGUE

TREE = {
    "all": [
        {"fact": "revenue", "op": ">=", "value": {"param": "floor_by_cluster"}, "label": "营业收入达标"},
        {
            "any": [
                {"fact": "certs", "op": "contains any", "value": ["高新", "小巨人"]},
                {"not": {"fact": "listed", "op": "==", "value": True}},
            ]
        },
        {"fact": "staff", "op": "<", "value": 50},
    ]
}
PARAMS = {"floor_by_cluster": {"医疗器械": 100, "*": 80}}
RECORDS = [
    {"revenue": 130.5, "staff": 20, "cluster": "医疗器械", "listed": True, "certs": ["小巨人", "高新"]},
    {"revenue": 70, "staff": None, "cluster": "服务", "listed": None, "certs": None},
    {"revenue": 90, "staff": 10, "cluster": None, "listed": False, "certs": []},
]


@pytest.fixture(params=["table", "one_row"])
def explain(request):
    """explain(row) for the rule above, over the whole table or over a one-row table of that row."""

    def run(row):
        rule = compile_rule(TREE, CATALOGUE)
        if request.param == "table":
            return evaluate([rule], FactTable.from_records(RECORDS, CATALOGUE), PARAMS).explain(0, row)
        return evaluate([rule], FactTable.from_records([RECORDS[row]], CATALOGUE), PARAMS).explain(0, 0)

    return run


def test_an_eligible_row_is_explained_criterion_by_criterion(explain):
    explanation = explain(0)
    assert explanation["kind"] == "all" and explanation["path"] == "" and explanation["outcome"] == "eligible"
    revenue, group, staff = explanation["children"]
    assert revenue == {
        "kind": "criterion",
        "path": "all[0]",
        "fact": "revenue",
        "label": "营业收入达标",
        "unit": "万元",
        "op": ">=",
        "value": 130.5,
        "threshold": 100.0,
        "param": "floor_by_cluster",
        "param_source": "集群细则",
        "margin": 30.5,
        "outcome": "eligible",
    }
    assert group["kind"] == "any" and group["path"] == "all[1]" and group["outcome"] == "eligible"
    certs, negation = group["children"]
    assert certs["value"] == ["小巨人", "高新"] and certs["threshold"] == ["高新", "小巨人"]
    assert certs["margin"] is None and certs["param"] is None and certs["param_source"] == ""
    assert negation["kind"] == "not" and negation["path"] == "all[1].any[1]" and negation["outcome"] == "not_eligible"
    assert negation["children"][0]["path"] == "all[1].any[1].not" and negation["children"][0]["value"] is True
    # without a label of its own, a criterion shows the fact's label
    assert staff["label"] == "" and staff["threshold"] == 50 and staff["margin"] == -30.0


def test_a_failed_row_shows_the_negative_margin_and_the_default_threshold(explain):
    explanation = explain(1)
    revenue = explanation["children"][0]
    assert (revenue["value"], revenue["threshold"], revenue["margin"]) == (70.0, 80.0, -10.0)
    assert revenue["outcome"] == "not_eligible" and explanation["outcome"] == "not_eligible"
    # missing facts are shown as None and make their criteria unknown
    group = explanation["children"][1]
    assert group["outcome"] == "unknown"
    assert [c["outcome"] for c in group["children"]] == ["unknown", "unknown"]
    assert explanation["children"][2]["value"] is None and explanation["children"][2]["margin"] is None


def test_a_row_without_the_parameters_key_has_no_threshold_and_an_unknown_outcome(explain):
    revenue = explain(2)["children"][0]
    assert (revenue["value"], revenue["threshold"], revenue["margin"], revenue["outcome"]) == (
        90.0,
        None,
        None,
        "unknown",
    )


def test_the_fact_label_is_used_when_the_criterion_has_none():
    rule = compile_rule({"fact": "cluster", "op": "==", "value": "服务"}, CATALOGUE)
    explanation = evaluate([rule], FactTable.from_records(RECORDS, CATALOGUE), {}).explain(0, 1)
    assert explanation["label"] == "产业集群" and explanation["path"] == "" and explanation["outcome"] == "eligible"


def test_every_explanation_is_json_serialisable(explain):
    for row in range(len(RECORDS)):
        assert json.loads(json.dumps(explain(row), ensure_ascii=False)) == explain(row)


def test_explaining_requires_an_evaluation_run_with_explain():
    rule = compile_rule(TREE, CATALOGUE)
    evaluation = evaluate([rule], FactTable.from_records(RECORDS, CATALOGUE), PARAMS, explain=False)
    assert evaluation.outcomes.tolist() == [[2, 0, 1]]
    with pytest.raises(ValueError, match="explain=True"):
        evaluation.explain(0, 0)


def test_a_row_outside_the_table_cannot_be_explained():
    evaluation = evaluate([compile_rule(TREE, CATALOGUE)], FactTable.from_records(RECORDS, CATALOGUE), PARAMS)
    with pytest.raises(IndexError):
        evaluation.explain(0, 3)


def test_counts_tally_each_outcome_of_one_rule():
    rules = [compile_rule(TREE, CATALOGUE), compile_rule({"fact": "revenue", "op": ">", "value": 0}, CATALOGUE)]
    evaluation = evaluate(rules, FactTable.from_records(RECORDS, CATALOGUE), PARAMS)
    assert evaluation.counts(0) == {"eligible": 1, "not_eligible": 1, "unknown": 1}
    assert evaluation.counts(1) == {"eligible": 3, "not_eligible": 0, "unknown": 0}
    assert evaluation.outcomes.shape == (2, 3) and str(evaluation.outcomes.dtype) == "int8"


def test_an_empty_table_evaluates_to_no_outcomes():
    evaluation = evaluate([compile_rule(TREE, CATALOGUE)], FactTable.from_records([], CATALOGUE), PARAMS)
    assert evaluation.outcomes.shape == (1, 0)
    assert evaluation.counts(0) == {"eligible": 0, "not_eligible": 0, "unknown": 0}
