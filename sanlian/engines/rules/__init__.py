"""Rules as data: eligibility rules written as plain trees, checked once, evaluated over many rows.

Pure Python + numpy + PyYAML; nothing here imports Django or the apps.

Outcomes
    Kleene three-valued logic in int8: FALSE=0 ("not_eligible"), UNKNOWN=1 ("unknown"),
    TRUE=2 ("eligible"). "all" is the minimum, "any" the maximum, "not" is 2 - x. A criterion whose
    fact is missing on a row, or whose parameter has no value for that row, is UNKNOWN.

A rule (YAML shown; JSON or Python dicts are the same data)::

    all:
      - fact: revenue                   # a number fact
        op: ">="
        value: {param: revenue_floor}   # a parameter instead of a literal
        label: 营业收入达到门槛
      - any:
          - {fact: cluster, op: in, value: [医疗器械与设备, 化学药物与生物制品]}
          - {fact: certifications, op: contains, value: 高新技术企业}
      - not: {fact: in_blacklist, op: "==", value: true}

    Groups: {all: [node, ...]}, {any: [node, ...]} (non-empty), {not: node}. A criterion is
    {fact, op, value, label (optional)}; no other keys are accepted.

    fact type  operators                          value
    number     >=  >  <=  <  ==  !=               a number (not true/false), or a number parameter
    text       ==  !=                             text, or a text parameter
    text       in  not in                         a non-empty list of text
    bool       ==                                 true or false
    set        contains  not contains             text
    set        contains any                       a non-empty list of text

    Numbers are compared exactly (no tolerance): write thresholds as the values are stored.

Paths
    Errors and explanations locate nodes as "all[1].any[0].value": the root is "", the child of a
    "not" is "not", a criterion's fields are ".fact", ".op", ".value", ".label" after the criterion's
    own path (so just "value" for a rule that is a single criterion).

Errors
    RuleError(code, path, params); str(err) is an English sentence with the path, and the Django side
    localises from code + params. Codes: bad_node, empty_group, unknown_fact, unknown_param, bad_op,
    type_mismatch, param_key_unknown (compile_rule); param_cycle, unknown_param, type_mismatch
    (resolve_params, at "parameters.<name>"); unknown_fact, type_mismatch, bad_expected, bad_node
    (run_cases, at "tests[i].facts.<name>" / "tests[i].expected"); bad_node, unknown_fact,
    unknown_param, type_mismatch (estimate_benefit, at "benefit.<key>"); type_mismatch
    (FactTable.from_records, at "records[i].<fact>"). RuleSyntaxError (code "yaml_syntax") is a
    RuleError with 1-based ``line`` and ``column``.

Parameters
    resolve_params(raw, catalogue): raw[name] is a value, {param: other}, or for a parameter with a
    ``key_fact`` a mapping {key: value or {param: other}, "*": default}. References are followed,
    cycles and references to names absent from ``raw`` are errors. A keyed parameter given a single
    value applies it to every key. A row whose key fact is missing has no value (UNKNOWN), even when
    a "*" default exists: the default is for keys without their own value, not for unknown keys.

Fact tables
    FactTable.from_records(records, catalogue, ids=None): None or an absent key is missing; keys
    outside the catalogue are ignored. FactTable.from_columns(n, columns, catalogue, ids=None):
    number float64 (NaN missing); text array of str/object (None or "" missing); bool int8 1/0/-1
    (or a bool array, all known); set {"members": {token: bool array}, "known": bool array or None}.
    A fact a rule reads but the table lacks is UNKNOWN on every row (so is a column whose type differs
    from the rule's catalogue).

Evaluation
    evaluate(rules, table, params, explain=True) runs every criterion as one numpy comparison over
    its column; Evaluation.outcomes is int8 (len(rules), n), counts(i) tallies one rule and
    explain(i, row) returns the tree of a rule for one row (with explain=True only): groups as
    {kind, path, outcome, children}, criteria as {kind: "criterion", path, fact, label, unit, op,
    value, threshold, param, param_source, margin, outcome}; margin = value - threshold for numbers.

Benefits, test cases, YAML
    estimate_benefit({"fixed": a} | {"rate": r, "of": fact, "cap": c, "floor": f}, table, params)
    gives float64 per row (NaN when it cannot be computed; floor first, then cap).
    run_cases(rule, [{"name", "facts", "expected"}], catalogue, params) checks worked examples.
    load_yaml / dump_yaml read and write YAML safely, keeping Chinese text as is.
"""

from .benefit import estimate_benefit
from .cases import run_cases
from .errors import RuleError, RuleSyntaxError
from .evaluation import Evaluation, evaluate
from .explain import compact_explanation
from .nodes import Criterion
from .outcomes import FALSE, OUTCOME_NAMES, TRUE, UNKNOWN
from .params import resolve_params
from .specs import Catalogue, FactSpec, ParamSpec
from .table import FactTable
from .tree import CompiledRule, compile_rule
from .yamlio import dump_yaml, load_yaml

__all__ = [
    "compact_explanation",
    "FactSpec",
    "ParamSpec",
    "Catalogue",
    "RuleError",
    "RuleSyntaxError",
    "CompiledRule",
    "Criterion",
    "FactTable",
    "Evaluation",
    "compile_rule",
    "resolve_params",
    "evaluate",
    "run_cases",
    "estimate_benefit",
    "load_yaml",
    "dump_yaml",
    "FALSE",
    "UNKNOWN",
    "TRUE",
    "OUTCOME_NAMES",
]
