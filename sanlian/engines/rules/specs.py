"""What the engine knows about facts and parameters, and which operators each fact type allows."""

from dataclasses import dataclass

FACT_TYPES = frozenset({"number", "text", "bool", "set"})
PARAM_TYPES = frozenset({"number", "text"})

NUMBER_OPS = (">=", ">", "<=", "<", "==", "!=")
TEXT_SCALAR_OPS = ("==", "!=")
TEXT_LIST_OPS = ("in", "not in")
BOOL_OPS = ("==",)
SET_SCALAR_OPS = ("contains", "not contains")
SET_LIST_OPS = ("contains any",)

OPS_BY_TYPE = {
    "number": NUMBER_OPS,
    "text": TEXT_SCALAR_OPS + TEXT_LIST_OPS,
    "bool": BOOL_OPS,
    "set": SET_SCALAR_OPS + SET_LIST_OPS,
}


@dataclass(frozen=True)
class FactSpec:
    """A fact about an enterprise: a column of the fact table."""

    name: str
    type: str
    unit: str = ""
    label: str = ""
    source: str = ""

    def __post_init__(self):
        if self.type not in FACT_TYPES:
            raise ValueError(f"Fact '{self.name}' has type '{self.type}'; expected one of {sorted(FACT_TYPES)}.")


@dataclass(frozen=True)
class ParamSpec:
    """A named threshold that rules refer to; ``key_fact`` makes it vary by a text fact (e.g. cluster)."""

    name: str
    type: str
    unit: str = ""
    label: str = ""
    source: str = ""
    key_fact: str | None = None

    def __post_init__(self):
        if self.type not in PARAM_TYPES:
            raise ValueError(f"Parameter '{self.name}' has type '{self.type}'; expected one of {sorted(PARAM_TYPES)}.")


@dataclass
class Catalogue:
    """The facts and parameters a rule may name, by name."""

    facts: dict[str, FactSpec]
    params: dict[str, ParamSpec]
