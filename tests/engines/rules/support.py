"""A small catalogue and helpers shared by the rule-engine tests."""

from sanlian.engines.rules import Catalogue, FactSpec, FactTable, ParamSpec, compile_rule, evaluate

FACTS = [
    FactSpec("revenue", "number", unit="万元", label="营业收入", source="年报"),
    FactSpec("staff", "number", unit="人"),
    FactSpec("cluster", "text", label="产业集群"),
    FactSpec("town", "text"),
    FactSpec("listed", "bool", label="上市"),
    FactSpec("certs", "set", label="资质"),
]
PARAMS = [
    ParamSpec("revenue_floor", "number", unit="万元", source="沪府规〔2024〕1号"),
    ParamSpec("floor_by_cluster", "number", unit="万元", source="集群细则", key_fact="cluster"),
    ParamSpec("home_town", "text"),
    ParamSpec("town_by_cluster", "text", key_fact="cluster"),
    ParamSpec("keyed_by_bool", "number", key_fact="listed"),
    ParamSpec("keyed_by_ghost", "number", key_fact="nowhere"),
]
CATALOGUE = Catalogue(facts={f.name: f for f in FACTS}, params={p.name: p for p in PARAMS})


def outcomes_of(tree, records, params=None, catalogue=CATALOGUE):
    """Given a rule and records, the rule's outcome codes as a list (one per record)."""
    rule = compile_rule(tree, catalogue)
    table = FactTable.from_records(records, catalogue)
    return evaluate([rule], table, params or {}).outcomes[0].tolist()
