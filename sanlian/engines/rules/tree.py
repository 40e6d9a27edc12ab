"""Parsing and validating a rule tree, and compiling it once into a vectorised runner.

A rule is plain data (dicts and lists from YAML or JSON). ``compile_rule`` checks every node against
the catalogue, reporting the first fault as a RuleError with the path of the faulty node, and returns
a CompiledRule that evaluates any number of fact tables without looking at the data again.
"""

from .errors import RuleError
from .nodes import Criterion, Group, Leaf, leaves_of
from .program import build_runner
from .specs import NUMBER_OPS, OPS_BY_TYPE, SET_LIST_OPS, TEXT_LIST_OPS, TEXT_SCALAR_OPS, Catalogue, FactSpec, ParamSpec
from .values import describe, is_bool, is_number, is_param_ref, is_text, is_text_list

GROUP_KINDS = ("all", "any", "not")
CRITERION_KEYS = frozenset({"fact", "op", "value", "label"})
REQUIRED_KEYS = ("fact", "op", "value")


class CompiledRule:
    """A validated rule: the original data plus the runner that evaluates it over a FactTable."""

    __slots__ = ("tree", "facts", "params", "criteria", "_root", "_leaves", "_run", "_run_one_row")

    def __init__(self, tree, root, criteria: tuple[Criterion, ...], facts: frozenset, params: frozenset):
        self.tree = tree
        self.facts = facts
        self.params = params
        self.criteria = criteria
        self._root = root
        self._leaves = tuple(leaves_of(root))
        self._run = build_runner(root)
        self._run_one_row = build_runner(root, one_row=True)

    def expand(self, rows: list) -> dict:
        """The explanation tree from the compact rows kept by a stored result (see explain.compact_explanation)."""
        from .explain import expand_explanation

        return expand_explanation(self._root, rows)

    def __repr__(self) -> str:
        return f"<CompiledRule {len(self.criteria)} criteria on {sorted(self.facts)}>"


def compile_rule(tree, catalogue: Catalogue) -> CompiledRule:
    """Validate ``tree`` against ``catalogue`` and compile it; raises RuleError on the first fault."""
    parser = _Parser(catalogue)
    root = parser.node(tree, "")
    return CompiledRule(tree, root, tuple(parser.criteria), frozenset(parser.facts), frozenset(parser.params))


def join(path: str, segment: str) -> str:
    """Child paths read like attribute access: "all[1].any[0].value"; the root is ""."""
    return f"{path}.{segment}" if path else segment


def _key_list(keys) -> str:
    return ", ".join(sorted(str(key) for key in keys))


class _Parser:
    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.criteria: list[Criterion] = []
        self.facts: set[str] = set()
        self.params: set[str] = set()

    def node(self, data, path: str):
        if not isinstance(data, dict):
            raise RuleError("bad_node", path, {"reason": "not_a_mapping", "got": describe(data)})
        kinds = [kind for kind in GROUP_KINDS if kind in data]
        if len(kinds) > 1:
            raise RuleError("bad_node", path, {"reason": "several_groups", "keys": ", ".join(kinds)})
        if kinds:
            return self.group(kinds[0], data, path)
        return self.criterion(data, path)

    def group(self, kind: str, data: dict, path: str) -> Group:
        extra = set(data) - {kind}
        if extra:
            raise RuleError("bad_node", path, {"reason": "unknown_keys", "keys": _key_list(extra)})
        if kind == "not":
            return Group(kind, path, (self.node(data[kind], join(path, kind)),))
        items = data[kind]
        if not isinstance(items, list):
            raise RuleError("bad_node", join(path, kind), {"reason": "not_a_list", "got": describe(items)})
        if not items:
            raise RuleError("empty_group", path, {"group": kind})
        children = tuple(self.node(item, join(path, f"{kind}[{i}]")) for i, item in enumerate(items))
        return Group(kind, path, children)

    def criterion(self, data: dict, path: str) -> Leaf:
        extra = set(data) - CRITERION_KEYS
        if extra:
            raise RuleError("bad_node", path, {"reason": "unknown_keys", "keys": _key_list(extra)})
        missing = [key for key in REQUIRED_KEYS if key not in data]
        if missing:
            raise RuleError("bad_node", path, {"reason": "missing_keys", "keys": ", ".join(missing)})
        fact_spec = self.fact(data["fact"], join(path, "fact"))
        op = self.op(data["op"], fact_spec, join(path, "op"))
        literal, param_spec = self.value(data["value"], fact_spec, op, join(path, "value"))
        label = data.get("label")
        label = "" if label is None else label
        if not isinstance(label, str):
            raise RuleError("bad_node", join(path, "label"), {"reason": "bad_label", "got": describe(label)})
        param = param_spec.name if param_spec else None
        criterion = Criterion(path, fact_spec.name, op, literal, param, label)
        self.facts.add(fact_spec.name)
        if param_spec:
            self.params.add(param)
            if param_spec.key_fact:
                self.facts.add(param_spec.key_fact)
        self.criteria.append(criterion)
        return Leaf(len(self.criteria) - 1, criterion, fact_spec, param_spec)

    def fact(self, name, path: str) -> FactSpec:
        spec = self.catalogue.facts.get(name) if isinstance(name, str) else None
        if spec is None:
            raise RuleError("unknown_fact", path, {"fact": str(name)})
        return spec

    def op(self, op, spec: FactSpec, path: str) -> str:
        allowed = OPS_BY_TYPE[spec.type]
        if not isinstance(op, str) or op not in allowed:
            params = {"op": str(op), "fact": spec.name, "type": spec.type, "allowed": ", ".join(allowed)}
            raise RuleError("bad_op", path, params)
        return op

    def value(self, value, spec: FactSpec, op: str, path: str):
        """Return (literal or None, ParamSpec or None) after checking the value fits the operator."""
        expected, fits = _EXPECTED[(spec.type, op in TEXT_LIST_OPS + SET_LIST_OPS)]
        base = {"fact": spec.name, "op": op, "expected": expected}
        if is_param_ref(value):
            return None, self.param(value["param"], spec, op, path, base)
        if isinstance(value, dict) and "param" in value:
            raise RuleError("bad_node", path, {"reason": "bad_reference", "keys": _key_list(value)})
        if not fits(value):
            raise RuleError("type_mismatch", path, {**base, "got": describe(value)})
        if isinstance(value, list | tuple):
            return tuple(value), None
        return (bool(value) if spec.type == "bool" else value), None

    def param(self, name: str, spec: FactSpec, op: str, path: str, base: dict) -> ParamSpec:
        param_spec = self.catalogue.params.get(name)
        if param_spec is None:
            raise RuleError("unknown_param", path, {"param": name})
        # Parameters are scalars: numbers for number comparisons, text for text equality; lists,
        # booleans and set tokens are written in the rule itself.
        fits = (spec.type == "number" and op in NUMBER_OPS and param_spec.type == "number") or (
            spec.type == "text" and op in TEXT_SCALAR_OPS and param_spec.type == "text"
        )
        if not fits:
            raise RuleError("type_mismatch", path, {**base, "param": name, "got": f"{param_spec.type} parameter"})
        key_fact = param_spec.key_fact
        if key_fact is not None:
            key_spec = self.catalogue.facts.get(key_fact)
            if key_spec is None or key_spec.type != "text":
                raise RuleError("param_key_unknown", path, {"param": name, "key_fact": key_fact})
        return param_spec


# (fact type, list operator?) -> (English name of the expected value, test)
_EXPECTED = {
    ("number", False): ("a number", is_number),
    ("text", False): ("text", is_text),
    ("text", True): ("a non-empty list of text", is_text_list),
    ("bool", False): ("true or false", is_bool),
    ("set", False): ("text", is_text),
    ("set", True): ("a non-empty list of text", is_text_list),
}
