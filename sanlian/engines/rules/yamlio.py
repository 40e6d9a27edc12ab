"""YAML in and out, for rules written by hand: safe loading only, errors located by line and column."""

import yaml

from .errors import RuleSyntaxError

# libyaml's C loader and dumper when the wheel has them (same results, several times faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> object:
    """yaml.safe_load, raising RuleSyntaxError with a 1-based line and column on malformed YAML."""
    try:
        return yaml.load(text, Loader=_Loader)  # nosec B506  # _Loader is yaml's (C)SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RuleSyntaxError(line, column, error.problem or error.context or str(error)) from None
    except yaml.YAMLError as error:  # e.g. a character YAML does not allow; no line is known
        raise RuleSyntaxError(1, 1, str(error)) from None


def dump_yaml(obj) -> str:
    """Block-style YAML that keeps Chinese text readable and keys in their given order."""
    return yaml.dump(obj, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
