"""The OpenFisca side of bench/policy.py: the same 50 policies as OpenFisca variables (needs the `bench` extra).

One entity (an enterprise, a person-style entity). OpenFisca has no null, so every fact is an input variable plus a
`<fact>__known` boolean input; text facts are Enum variables (OpenFisca's categorical type, int16 codes) and a set fact
is one boolean input per token (`<fact>__<token>`). Each criterion is a formula variable returning the Kleene value
0 (false), 1 (unknown) or 2 (true) — kept in the simulation's cache, it is what explains an outcome, the counterpart
of `explain=True` — and each policy is a formula variable combining its criteria with min (all), max (any) and 2 - x
(not). The variable classes are generated from the same rule trees as the engine's; parameters are the resolved
values (`policy.EXPECTED_PARAMS`, which the Sanlian run checks `resolve_params` against), captured in the formulas.

Semantics mirrored from the engine's contract: a missing fact, a parameter absent from the resolved set, a keyed
parameter without a value (nor "*" default) for the row's key, or a missing key fact make the criterion UNKNOWN.
"""

from __future__ import annotations

import functools
import gc
import re
import time

import numpy
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from bench import policy

PERIOD = "2024"
FALSE, UNKNOWN, TRUE = 0, 1, 2
NUMBER_OPS = {
    ">=": numpy.greater_equal,
    ">": numpy.greater,
    "<=": numpy.less_equal,
    "<": numpy.less,
    "==": numpy.equal,
    "!=": numpy.not_equal,
}


def _ident(word: str) -> str:
    return re.sub(r"\W", "_", word)


def _known(name: str) -> str:
    return f"{name}__known"


def _member(fact: str, token: str) -> str:
    return f"{fact}__{_ident(token)}"


class System:
    """A TaxBenefitSystem generated from the rule trees, with the names to feed and to compute."""

    def __init__(self, policies: list[tuple[str, dict]], params: dict[str, object]):
        self.entity = build_entity("enterprise", "enterprises", "An enterprise", is_person=True)
        self.tbs = TaxBenefitSystem([self.entity])
        self.params = params
        self.enums = {
            fact: Enum(fact.title().replace("_", ""), [(_ident(w), w) for w in words] + [("missing__", "")])
            for fact, words in policy.TEXT_VOCABULARY.items()
        }
        self.codes = {fact: {w: i for i, w in enumerate(words)} for fact, words in policy.TEXT_VOCABULARY.items()}
        self.inputs: list[str] = []
        self._add_inputs()
        self.criteria: list[str] = []
        self.policies: list[str] = []
        for i, (_, tree) in enumerate(policies):
            name = f"policy_{i:02d}"
            self._add(name, int, formula=self._policy_formula(tree, name))
            self.policies.append(name)

    def _add(self, name: str, value_type, formula=None, **attrs) -> None:
        body = {"value_type": value_type, "entity": self.entity, "definition_period": DateUnit.YEAR, **attrs}
        if formula is not None:
            body["formula"] = formula
        self.tbs.add_variable(type(name, (Variable,), body))

    def _add_inputs(self) -> None:
        for fact, (kind, _, label) in policy.FACTS.items():
            if kind == "number":
                self._add(fact, int if fact in policy.INTEGER_FACTS else float, label=label)
                self.inputs.append(fact)
            elif kind == "text":
                enum = self.enums[fact]
                self._add(fact, Enum, possible_values=enum, default_value=enum.missing__, label=label)
                self.inputs.append(fact)
            elif kind == "bool":
                self._add(fact, bool, label=label)
                self.inputs.append(fact)
            else:
                for token in policy.SET_VOCABULARY[fact]:
                    self._add(_member(fact, token), bool)
                    self.inputs.append(_member(fact, token))
            self._add(_known(fact), bool, label=f"{label}（已知）")
            self.inputs.append(_known(fact))

    # --- Formulas ---------------------------------------------------------------------------------------------------

    def _policy_formula(self, tree: dict, prefix: str):
        combine = self._node(tree, prefix, [0])

        def formula(enterprise, period):
            return combine(enterprise, period)

        return formula

    def _node(self, tree: dict, prefix: str, counter: list[int]):
        if "all" in tree or "any" in tree:
            reduce = numpy.minimum if "all" in tree else numpy.maximum
            children = [self._node(child, prefix, counter) for child in tree.get("all", tree.get("any"))]
            return lambda e, p: functools.reduce(reduce, (child(e, p) for child in children))
        if "not" in tree:
            child = self._node(tree["not"], prefix, counter)
            return lambda e, p: TRUE - child(e, p)
        name = f"{prefix}_c{counter[0]:02d}"
        counter[0] += 1
        self._add(name, int, formula=self._criterion_formula(tree), label=tree.get("label", ""))
        self.criteria.append(name)
        return lambda e, p: e(name, p)

    def _threshold(self, fact: str, value):
        """(kind, payload): ("literal", v), ("missing", None) or ("keyed", (key fact, values, has) by key code)."""
        if not (isinstance(value, dict) and "param" in value):
            return "literal", value
        name = value["param"]
        if name not in self.params:
            return "missing", None
        resolved = self.params[name]
        key_fact = policy.PARAMS[name][3]
        if key_fact is None:
            return "literal", resolved
        words = policy.TEXT_VOCABULARY[key_fact]
        keyed = [resolved.get(w, resolved.get("*")) for w in words] + [None]  # the last code is "missing"
        has = numpy.array([v is not None for v in keyed])
        if policy.PARAMS[name][0] == "number":
            values = numpy.array([numpy.nan if v is None else v for v in keyed], dtype=numpy.float64)
        else:
            values = numpy.array([self.codes[fact].get(v, -2) if v is not None else -2 for v in keyed])
        return "keyed", (key_fact, values, has)

    def _criterion_formula(self, criterion: dict):
        fact, op, value = criterion["fact"], criterion["op"], criterion["value"]
        kind = policy.FACTS[fact][0]
        known_name = _known(fact)

        if kind == "set":
            tokens = [value] if isinstance(value, str) else list(value)
            members = [_member(fact, t) for t in tokens if t in policy.SET_VOCABULARY[fact]]
            negate = op == "not contains"

            def formula(enterprise, period):
                hit = numpy.zeros(enterprise.count, dtype=bool)
                for name in members:
                    hit = hit | enterprise(name, period)
                if negate:
                    hit = ~hit
                return numpy.where(enterprise(known_name, period), numpy.where(hit, TRUE, FALSE), UNKNOWN)

            return formula

        if kind == "bool":

            def formula(enterprise, period):
                hit = enterprise(fact, period) == value
                return numpy.where(enterprise(known_name, period), numpy.where(hit, TRUE, FALSE), UNKNOWN)

            return formula

        how, threshold = self._threshold(fact, value)
        if how == "missing":
            return lambda enterprise, period: numpy.full(enterprise.count, UNKNOWN)

        if kind == "text":
            codes = self.codes[fact]
            if op in ("in", "not in"):
                wanted = [codes[w] for w in threshold if w in codes]
                negate = op == "not in"

                def formula(enterprise, period):
                    hit = numpy.isin(numpy.asarray(enterprise(fact, period)), wanted, invert=negate)
                    return numpy.where(enterprise(known_name, period), numpy.where(hit, TRUE, FALSE), UNKNOWN)

                return formula
            compare = numpy.equal if op == "==" else numpy.not_equal
            if how == "literal":
                code = codes.get(threshold, -2)

                def formula(enterprise, period):
                    hit = compare(numpy.asarray(enterprise(fact, period)), code)
                    return numpy.where(enterprise(known_name, period), numpy.where(hit, TRUE, FALSE), UNKNOWN)

                return formula
            key_fact, values, has = threshold

            def formula(enterprise, period):
                key = numpy.asarray(enterprise(key_fact, period))
                known = enterprise(known_name, period) & enterprise(_known(key_fact), period) & has[key]
                hit = compare(numpy.asarray(enterprise(fact, period)), values[key])
                return numpy.where(known, numpy.where(hit, TRUE, FALSE), UNKNOWN)

            return formula

        compare = NUMBER_OPS[op]
        if how == "literal":

            def formula(enterprise, period):
                hit = compare(enterprise(fact, period), threshold)
                return numpy.where(enterprise(known_name, period), numpy.where(hit, TRUE, FALSE), UNKNOWN)

            return formula
        key_fact, values, has = threshold

        def formula(enterprise, period):
            key = numpy.asarray(enterprise(key_fact, period))
            known = enterprise(known_name, period) & enterprise(_known(key_fact), period) & has[key]
            hit = compare(enterprise(fact, period), values[key])
            return numpy.where(known, numpy.where(hit, TRUE, FALSE), UNKNOWN)

        return formula

    # --- Data -------------------------------------------------------------------------------------------------------

    def input_arrays(self, n: int, columns: dict[str, object]) -> dict[str, numpy.ndarray]:
        """The generated columns as OpenFisca inputs: value arrays plus `__known` flags."""
        arrays: dict[str, numpy.ndarray] = {}
        for fact, (kind, _, _) in policy.FACTS.items():
            column = columns[fact]
            if kind == "number":
                known = ~numpy.isnan(column)
                values = numpy.where(known, column, 0)
                arrays[fact] = values.astype(numpy.int32) if fact in policy.INTEGER_FACTS else values
            elif kind == "text":
                enum = self.enums[fact]
                codes = numpy.full(n, enum.missing__.index, dtype=numpy.int16)
                for word, code in self.codes[fact].items():
                    codes[column == word] = code
                known = codes != enum.missing__.index
                arrays[fact] = EnumArray(codes, enum)
            elif kind == "bool":
                known = column >= 0
                arrays[fact] = column == 1
            else:
                known = numpy.ones(n, dtype=bool) if column["known"] is None else numpy.asarray(column["known"])
                for token in policy.SET_VOCABULARY[fact]:
                    arrays[_member(fact, token)] = numpy.asarray(column["members"][token], dtype=bool) & known
            arrays[_known(fact)] = known
        return arrays

    def simulation(self, n: int, inputs: dict[str, numpy.ndarray]):
        simulation = SimulationBuilder().build_default_simulation(self.tbs, n)
        for name in self.inputs:
            simulation.set_input(name, PERIOD, inputs[name])
        return simulation


def run(n: int, seed: int, repeats: int) -> tuple[dict, numpy.ndarray]:
    facts = policy.generate_facts(n, seed)
    policies = policy.generate_policies(seed)
    rss_data = policy._peak_rss_mb()

    started = time.perf_counter()
    system = System(policies, policy.EXPECTED_PARAMS)
    system_s = time.perf_counter() - started
    assert len(system.criteria) == policy.criteria_count(policies)

    started = time.perf_counter()
    inputs = system.input_arrays(n, facts)
    convert_s = time.perf_counter() - started

    samples, loads = [], []
    outcomes = None
    for _ in range(repeats):
        outcomes = None
        gc.collect()
        started = time.perf_counter()
        simulation = system.simulation(n, inputs)
        loads.append(time.perf_counter() - started)
        rss_loaded = policy._peak_rss_mb()
        gc.collect()
        started = time.perf_counter()
        results = [simulation.calculate(name, PERIOD) for name in system.policies]
        samples.append(time.perf_counter() - started)
        outcomes = numpy.stack(results).astype(numpy.int8)
        del simulation, results

    stats = {
        "ms": policy._median_ms(samples),
        "samples_ms": [round(s * 1000, 3) for s in samples],
        "system_ms": round(system_s * 1000, 3),
        "convert_ms": round(convert_s * 1000, 3),
        "load_ms": policy._median_ms(loads),
        "variables": len(system.tbs.variables),
        "rss_after_data_mb": round(rss_data, 1),
        "rss_after_load_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(policy._peak_rss_mb(), 1),
    }
    return stats, outcomes
