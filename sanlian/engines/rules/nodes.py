"""The compiled shape of a rule: criteria (leaves) and groups, shared by the runner and the explanations."""

from dataclasses import dataclass

from .specs import FactSpec, ParamSpec


@dataclass(frozen=True)
class Criterion:
    """One comparison of a rule, in document order. ``value`` is the literal (a tuple for list
    operators) or None when the threshold is the parameter ``param``."""

    path: str
    fact: str
    op: str
    value: object
    param: str | None
    label: str


class Leaf:
    """A criterion placed in the tree; ``index`` is its position in CompiledRule.criteria."""

    __slots__ = ("index", "criterion", "fact_spec", "param_spec")

    def __init__(self, index: int, criterion: Criterion, fact_spec: FactSpec, param_spec: ParamSpec | None):
        self.index = index
        self.criterion = criterion
        self.fact_spec = fact_spec
        self.param_spec = param_spec


class Group:
    __slots__ = ("kind", "path", "children")

    def __init__(self, kind: str, path: str, children: tuple):
        self.kind = kind
        self.path = path
        self.children = children


def leaves_of(node) -> list[Leaf]:
    """The criteria under a node, in document order."""
    if isinstance(node, Leaf):
        return [node]
    return [leaf for child in node.children for leaf in leaves_of(child)]
