"""The engine's two exceptions.

The Django side localises a RuleError from ``code`` and ``params`` alone; ``str(err)`` is an English
sentence (with the path) meant for logs, the command line and tests.
"""

# One English template per code; the params fill it in. Missing params show as "?" rather than crash,
# because a message must never hide the error it reports.
MESSAGES = {
    "bad_node": "Malformed rule node ({reason}{keys_note})",
    "empty_group": "The group '{group}' has no conditions",
    "unknown_fact": "Unknown fact '{fact}'",
    "unknown_param": "Unknown parameter '{param}'",
    "bad_op": "The operator '{op}' cannot be used with the {type} fact '{fact}' (allowed: {allowed})",
    "type_mismatch": "The value does not fit: expected {expected}, got {got}",
    "param_key_unknown": "The parameter '{param}' is keyed by '{key_fact}', which is not a text fact",
    "param_cycle": "The parameters refer to each other in a cycle: {cycle}",
    "bad_expected": "The expected outcome '{expected}' is not one of {allowed}",
    "yaml_syntax": "YAML syntax error at line {line}, column {column}: {message}",
}


# The English wording of bad_node's machine-readable "reason".
REASONS = {
    "not_a_mapping": "expected a mapping",
    "unknown_keys": "unknown keys",
    "several_groups": "more than one of all/any/not",
    "missing_keys": "missing keys",
    "not_a_list": "expected a list of conditions",
    "bad_label": "the label must be text",
    "bad_reference": "a parameter reference is written {param: name}",
    "bad_benefit": "a benefit is {fixed: amount} or {rate: r, of: fact, cap: c, floor: f}",
    "bad_case": "a test case is {name: ..., facts: {...}, expected: ...}",
}


class _Lenient(dict):
    def __missing__(self, key):
        return "?"


class RuleError(Exception):
    """A rule, parameter set, benefit or test case that the engine refuses, located by ``path``."""

    def __init__(self, code: str, path: str = "", params: dict | None = None):
        self.code = code
        self.path = path
        self.params = dict(params or {})
        super().__init__(code, path, self.params)

    def __str__(self) -> str:
        values = _Lenient(self.params)
        keys = self.params.get("keys")
        values["keys_note"] = f": {keys}" if keys else ""
        if "reason" in self.params:
            values["reason"] = REASONS.get(self.params["reason"], self.params["reason"])
        values["code"] = self.code
        text = MESSAGES.get(self.code, "Rule error '{code}'").format_map(values)
        where = f"at '{self.path}'" if self.path else "at the root of the rule"
        return f"{text} {where}."

    def __reduce__(self):
        # Exceptions pickle their args; rebuild from the three fields instead (task queues pickle errors).
        return (type(self), (self.code, self.path, self.params))


class RuleSyntaxError(RuleError):
    """Malformed YAML; ``line`` and ``column`` are 1-based, as an editor shows them."""

    def __init__(self, line: int, column: int, message: str):
        self.line = line
        self.column = column
        self.message = message
        super().__init__("yaml_syntax", "", {"line": line, "column": column, "message": message})

    def __str__(self) -> str:
        return f"YAML syntax error at line {self.line}, column {self.column}: {self.message}."

    def __reduce__(self):
        return (type(self), (self.line, self.column, self.message))
