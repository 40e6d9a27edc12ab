"""Stored results keep compact rows; the rule rebuilds exactly the explanation the engine gave."""

from sanlian.engines.rules import Catalogue, FactSpec, FactTable, ParamSpec, compact_explanation, compile_rule, evaluate

CATALOGUE = Catalogue(
    facts={
        "rd_ratio": FactSpec("rd_ratio", "number", "%"),
        "cluster": FactSpec("cluster", "text"),
        "certifications": FactSpec("certifications", "set"),
    },
    params={"rd_min": ParamSpec("rd_min", "number", "%", source="第三条", key_fact="cluster")},
)
RULE = {
    "all": [
        {"fact": "rd_ratio", "op": ">=", "value": {"param": "rd_min"}},
        {"any": [
            {"fact": "certifications", "op": "contains", "value": "hnte"},
            {"not": {"fact": "cluster", "op": "in", "value": ["a", "b"]}},
        ]},
    ]
}  # fmt: skip


def test_expanding_compact_rows_gives_back_the_engines_explanation_for_every_row():
    rule = compile_rule(RULE, CATALOGUE)
    records = [
        {"rd_ratio": 3.8, "cluster": "a", "certifications": ["hnte"]},
        {"rd_ratio": 5, "cluster": "c", "certifications": []},
        {"cluster": "b", "certifications": None},
        {},
    ]
    table = FactTable.from_records(records, CATALOGUE)
    evaluation = evaluate([rule], table, {"rd_min": {"a": 4, "*": 3}})

    for row in range(table.n):
        tree = evaluation.explain(0, row)
        rows = compact_explanation(tree)
        assert len(rows) == len(rule.criteria)
        assert rule.expand(rows) == tree
        assert evaluation.compact(0, row) == rows
