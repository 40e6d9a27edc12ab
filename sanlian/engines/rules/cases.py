"""Worked examples attached to a rule: each case's facts must give its expected outcome."""

from .errors import RuleError
from .evaluation import evaluate
from .outcomes import OUTCOME_CODES, OUTCOME_NAMES
from .specs import Catalogue
from .table import FactTable, coerce_value
from .tree import CompiledRule
from .values import describe


def run_cases(rule: CompiledRule, cases: list[dict], catalogue: Catalogue, params: dict) -> list[dict]:
    """Every case is checked before any is run, so a bad case fails the whole set with its path."""
    records = [_check_case(case, i, catalogue) for i, case in enumerate(cases)]
    table = FactTable.from_records(records, catalogue)
    evaluation = evaluate([rule], table, params, explain=True)
    results = []
    for i, case in enumerate(cases):
        actual = OUTCOME_NAMES[int(evaluation.outcomes[0, i])]
        results.append(
            {
                "name": str(case.get("name") or f"tests[{i}]"),
                "expected": case["expected"],
                "actual": actual,
                "passed": actual == case["expected"],
                "explanation": evaluation.explain(0, i),
            }
        )
    return results


def _check_case(case, i: int, catalogue: Catalogue) -> dict:
    path = f"tests[{i}]"
    if not isinstance(case, dict):
        raise RuleError("bad_node", path, {"reason": "bad_case", "got": describe(case)})
    facts = case.get("facts") or {}
    if not isinstance(facts, dict):
        raise RuleError("bad_node", f"{path}.facts", {"reason": "bad_case", "got": describe(facts)})
    for name, value in facts.items():
        spec = catalogue.facts.get(name) if isinstance(name, str) else None
        if spec is None:
            raise RuleError("unknown_fact", f"{path}.facts.{name}", {"fact": str(name)})
        try:
            coerce_value(spec, value)
        except TypeError:
            params = {"fact": name, "expected": spec.type, "got": describe(value)}
            raise RuleError("type_mismatch", f"{path}.facts.{name}", params) from None
    expected = case.get("expected")
    if not isinstance(expected, str) or expected not in OUTCOME_CODES:
        allowed = ", ".join(OUTCOME_NAMES.values())
        raise RuleError("bad_expected", f"{path}.expected", {"expected": str(expected), "allowed": allowed})
    return facts
