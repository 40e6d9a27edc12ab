"""Parameters: named thresholds that rules refer to as ``{"param": name}``.

``resolve_params`` turns the raw parameter section of a policy into plain values once; evaluation then
only ever sees numbers, text, or (for a keyed parameter) a dict key -> value with an optional "*"
default. The helpers at the bottom are the single definition of "the threshold this row gets",
shared by the vectorised evaluation and the explanations so that the two cannot disagree.
"""

from .errors import RuleError
from .specs import Catalogue
from .values import describe, is_number, is_param_ref

DEFAULT_KEY = "*"


def resolve_params(raw: dict[str, object], catalogue: Catalogue) -> dict[str, object]:
    """Follow references and check types. Names outside the catalogue are resolved but not type-checked."""
    resolver = _Resolver(raw, catalogue)
    return {name: resolver.resolve(name, ()) for name in raw}


class _Resolver:
    def __init__(self, raw: dict, catalogue: Catalogue):
        self.raw = raw
        self.catalogue = catalogue
        self.done: dict[str, object] = {}

    def resolve(self, name: str, chain: tuple[str, ...]):
        if name in self.done:
            return self.done[name]
        if name in chain:
            cycle = chain[chain.index(name) :] + (name,)
            raise RuleError("param_cycle", f"parameters.{cycle[0]}", {"cycle": " → ".join(cycle)})
        value = self.raw[name]
        chain = chain + (name,)
        path = f"parameters.{name}"
        if is_param_ref(value):
            result = self.follow(value["param"], chain, path)
        elif isinstance(value, dict):
            result = {key: self.entry(name, key, entry, chain) for key, entry in value.items()}
        else:
            result = value
        self.done[name] = result = self.check(name, result, path)
        return result

    def follow(self, target: str, chain: tuple, path: str):
        if target not in self.raw:
            raise RuleError("unknown_param", path, {"param": target})
        return self.resolve(target, chain)

    def entry(self, name: str, key, entry, chain: tuple):
        """One value of a keyed parameter; a reference must lead to a single (unkeyed) value."""
        path = f"parameters.{name}.{key}"
        value = self.follow(entry["param"], chain, path) if is_param_ref(entry) else entry
        if isinstance(value, dict):
            raise RuleError("type_mismatch", path, {"param": name, "expected": "a single value", "got": "a mapping"})
        return value

    def check(self, name: str, value, path: str):
        spec = self.catalogue.params.get(name)
        if spec is None:
            return value
        if isinstance(value, dict):
            if spec.key_fact is None:
                raise RuleError("type_mismatch", path, {"param": name, "expected": spec.type, "got": "a mapping"})
            return {key: self.scalar(name, spec.type, entry, f"{path}.{key}") for key, entry in value.items()}
        # A keyed parameter given one value applies it to every key.
        return self.scalar(name, spec.type, value, path)

    @staticmethod
    def scalar(name: str, kind: str, value, path: str):
        if kind == "number" and is_number(value, allow_decimal=True):
            return value if isinstance(value, int | float) else float(value)
        if kind == "text" and isinstance(value, str):
            return value
        raise RuleError("type_mismatch", path, {"param": name, "expected": kind, "got": describe(value)})


# Shared by evaluation and explanations.


def number_or_none(value) -> float | None:
    return float(value) if is_number(value, allow_decimal=True) else None


def text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None


def keyed_value(mapping: dict, key):
    """The value for ``key``, else the "*" default, else None (no value: the criterion is UNKNOWN)."""
    if key in mapping:
        return mapping[key]
    return mapping.get(DEFAULT_KEY)
