"""load_yaml and dump_yaml: safe loading, error positions, Chinese text."""

import pytest

from sanlian.engines.rules import RuleError, RuleSyntaxError, compile_rule, dump_yaml, load_yaml
from tests.engines.rules.support import CATALOGUE

RULE_YAML = """\
all:
  - fact: revenue
    op: ">="
    value: {param: revenue_floor}
    label: 营业收入不低于门槛
  - fact: cluster
    op: in
    value: [医疗器械, 生物药]
"""


def test_a_rule_written_in_yaml_loads_and_compiles():
    tree = load_yaml(RULE_YAML)
    assert tree["all"][0]["label"] == "营业收入不低于门槛"
    assert compile_rule(tree, CATALOGUE).criteria[1].value == ("医疗器械", "生物药")


def test_chinese_text_round_trips_and_stays_readable():
    data = {
        "名称": "高新技术企业认定奖励",
        "all": [{"fact": "cluster", "op": "==", "value": "化学药物与生物制品"}],
        "额度": 1.5,
    }
    text = dump_yaml(data)
    assert "高新技术企业认定奖励" in text and "\\u" not in text
    assert load_yaml(text) == data
    assert list(load_yaml(text)) == ["名称", "all", "额度"]  # key order is kept


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("all:\n  - fact: revenue\n    op: [>=]\n", 3, 10),  # ">" cannot start a plain value in [...]
        ("all:\n  - fact: revenue\n   op: '>='\n", 3, 4),  # bad indentation
        ("a: 1\nb: : 2\n", 2, 4),
        ("key: 'unterminated\n", 2, 1),  # found at the end of the text
        ("a: 1\n\tb: 2\n", 2, 1),  # a tab used for indentation
        ("value: [医疗器械, 生物药\nop: in\n", 2, 3),  # an unclosed list, columns count characters
    ],
)
def test_malformed_yaml_reports_a_one_based_line_and_column(text, line, column):
    with pytest.raises(RuleSyntaxError) as caught:
        load_yaml(text)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert error.message and isinstance(error, RuleError) and error.code == "yaml_syntax"
    assert error.params == {"line": line, "column": column, "message": error.message}
    assert str(error).startswith(f"YAML syntax error at line {line}, column {column}: ")


def test_yaml_that_would_build_python_objects_is_refused():
    with pytest.raises(RuleSyntaxError):
        load_yaml("!!python/object/apply:os.system ['true']")


def test_an_empty_document_loads_as_none():
    assert load_yaml("") is None
