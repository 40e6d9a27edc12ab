"""compile_rule: what it accepts, what it records, and every refusal with its path."""

import pickle

import pytest

from sanlian.engines.rules import CompiledRule, RuleError, compile_rule
from sanlian.engines.rules.specs import OPS_BY_TYPE
from tests.engines.rules.support import CATALOGUE

LITERALS = {
    ("number", False): 100,
    ("text", False): "医疗器械",
    ("text", True): ["医疗器械", "生物药"],
    ("bool", False): True,
    ("set", False): "高新",
    ("set", True): ["高新", "小巨人"],
}
FACT_OF_TYPE = {"number": "revenue", "text": "cluster", "bool": "listed", "set": "certs"}
EVERY_OP = [(kind, op) for kind, ops in OPS_BY_TYPE.items() for op in ops]


def refusal(tree) -> RuleError:
    with pytest.raises(RuleError) as caught:
        compile_rule(tree, CATALOGUE)
    return caught.value


class TestAccepted:
    @pytest.mark.parametrize(("kind", "op"), EVERY_OP)
    def test_every_operator_of_every_fact_type_compiles_with_a_fitting_literal(self, kind, op):
        # given a criterion with a value of the type the operator needs
        value = LITERALS[(kind, op in ("in", "not in", "contains any"))]
        # when it is compiled, then it is recorded as written
        rule = compile_rule({"fact": FACT_OF_TYPE[kind], "op": op, "value": value}, CATALOGUE)
        assert isinstance(rule, CompiledRule)
        assert rule.criteria[0].op == op and rule.criteria[0].param is None

    def test_a_rule_records_its_facts_params_and_criteria_in_document_order(self):
        tree = {
            "all": [
                {"fact": "revenue", "op": ">=", "value": {"param": "floor_by_cluster"}, "label": "收入门槛"},
                {
                    "any": [
                        {"fact": "listed", "op": "==", "value": False},
                        {"not": {"fact": "staff", "op": "<", "value": 5}},
                    ]
                },
            ]
        }
        rule = compile_rule(tree, CATALOGUE)
        assert rule.tree is tree
        assert [c.path for c in rule.criteria] == ["all[0]", "all[1].any[0]", "all[1].any[1].not"]
        assert [c.fact for c in rule.criteria] == ["revenue", "listed", "staff"]
        assert rule.criteria[0].param == "floor_by_cluster" and rule.criteria[0].value is None
        assert rule.criteria[0].label == "收入门槛" and rule.criteria[2].value == 5
        # the key fact of a keyed parameter is read too
        assert rule.facts == frozenset({"revenue", "listed", "staff", "cluster"})
        assert rule.params == frozenset({"floor_by_cluster"})

    def test_a_list_literal_is_kept_as_a_tuple_on_the_criterion(self):
        rule = compile_rule({"fact": "cluster", "op": "in", "value": ["a", "b"]}, CATALOGUE)
        assert rule.criteria[0].value == ("a", "b")

    @pytest.mark.parametrize(
        ("fact", "op", "param"),
        [("revenue", ">", "revenue_floor"), ("town", "==", "home_town"), ("town", "!=", "town_by_cluster")],
    )
    def test_a_parameter_of_the_fitting_type_may_stand_for_the_value(self, fact, op, param):
        rule = compile_rule({"fact": fact, "op": op, "value": {"param": param}}, CATALOGUE)
        assert rule.params == frozenset({param})


class TestRefusals:
    @pytest.mark.parametrize(
        ("tree", "path", "params"),
        [
            (["not", "a", "mapping"], "", {"reason": "not_a_mapping"}),
            ({"all": [{"fact": "revenue", "op": ">", "value": 1}], "any": []}, "", {"reason": "several_groups"}),
            ({"all": [{"fact": "revenue", "op": ">", "value": 1}], "note": "x"}, "", {"reason": "unknown_keys"}),
            ({"all": [{"fact": "revenue", "op": ">", "value": 1, "colour": "red"}]}, "all[0]", {"keys": "colour"}),
            ({"any": [{"fact": "revenue", "op": ">"}]}, "any[0]", {"reason": "missing_keys", "keys": "value"}),
            ({"all": {"fact": "revenue"}}, "all", {"reason": "not_a_list"}),
            ({"not": [{"fact": "revenue", "op": ">", "value": 1}]}, "not", {"reason": "not_a_mapping"}),
            ({"fact": "revenue", "op": ">", "value": 1, "label": 7}, "label", {"reason": "bad_label"}),
            (
                {"fact": "revenue", "op": ">", "value": {"param": "revenue_floor", "x": 1}},
                "value",
                {"reason": "bad_reference"},
            ),
        ],
    )
    def test_a_malformed_node_is_a_bad_node_at_its_path(self, tree, path, params):
        error = refusal(tree)
        assert (error.code, error.path) == ("bad_node", path)
        assert params.items() <= error.params.items()

    def test_an_empty_group_is_refused_at_the_group(self):
        error = refusal({"all": [{"fact": "revenue", "op": ">", "value": 1}, {"any": []}]})
        assert (error.code, error.path, error.params) == ("empty_group", "all[1]", {"group": "any"})

    def test_an_unknown_fact_is_refused_at_the_fact_field(self):
        error = refusal(
            {"all": [{"fact": "revenue", "op": ">", "value": 1}, {"any": [{"fact": "profit", "op": ">", "value": 1}]}]}
        )
        assert (error.code, error.path, error.params) == ("unknown_fact", "all[1].any[0].fact", {"fact": "profit"})

    def test_an_unknown_parameter_is_refused_at_the_value(self):
        error = refusal({"not": {"fact": "revenue", "op": ">", "value": {"param": "nope"}}})
        assert (error.code, error.path, error.params) == ("unknown_param", "not.value", {"param": "nope"})

    @pytest.mark.parametrize(
        ("fact", "op"), [("revenue", "contains"), ("cluster", ">="), ("listed", "!="), ("certs", "=="), ("revenue", 3)]
    )
    def test_an_operator_the_fact_type_does_not_allow_is_a_bad_op(self, fact, op):
        error = refusal({"any": [{"fact": fact, "op": op, "value": 1}]})
        assert (error.code, error.path) == ("bad_op", "any[0].op")
        assert error.params["fact"] == fact and error.params["op"] == str(op)
        assert error.params["allowed"] == ", ".join(OPS_BY_TYPE[CATALOGUE.facts[fact].type])

    @pytest.mark.parametrize(
        ("fact", "op", "value"),
        [
            ("revenue", ">=", True),  # bool is not a number
            ("revenue", ">=", "100"),
            ("revenue", ">=", float("nan")),
            ("cluster", "==", 3),
            ("cluster", "in", []),
            ("cluster", "in", "医疗器械"),
            ("cluster", "not in", ["a", 1]),
            ("listed", "==", 1),
            ("certs", "contains", ["高新"]),
            ("certs", "contains any", []),
            ("revenue", ">", {"param": "home_town"}),  # a text parameter for a number
            ("town", "==", {"param": "revenue_floor"}),
            ("town", "in", {"param": "home_town"}),  # parameters are single values
            ("certs", "contains", {"param": "home_town"}),
        ],
    )
    def test_a_value_that_does_not_fit_the_operator_is_a_type_mismatch(self, fact, op, value):
        error = refusal({"all": [{"fact": fact, "op": op, "value": value}]})
        assert (error.code, error.path) == ("type_mismatch", "all[0].value")
        assert error.params["fact"] == fact and error.params["expected"]

    @pytest.mark.parametrize("param", ["keyed_by_bool", "keyed_by_ghost"])
    def test_a_parameter_keyed_by_anything_but_a_text_fact_is_refused(self, param):
        error = refusal({"fact": "revenue", "op": ">", "value": {"param": param}})
        assert (error.code, error.path) == ("param_key_unknown", "value")
        assert error.params["param"] == param


class TestErrorMessages:
    def test_the_message_is_an_english_sentence_naming_the_path(self):
        error = RuleError("unknown_fact", "all[1].any[0].fact", {"fact": "profit"})
        assert str(error) == "Unknown fact 'profit' at 'all[1].any[0].fact'."

    def test_an_error_at_the_root_says_so(self):
        assert (
            str(RuleError("empty_group", "", {"group": "all"}))
            == "The group 'all' has no conditions at the root of the rule."
        )

    def test_a_bad_node_message_explains_the_reason_in_words(self):
        error = refusal({"all": [{"fact": "revenue", "op": ">", "value": 1, "colour": "red"}]})
        assert str(error) == "Malformed rule node (unknown keys: colour) at 'all[0]'."

    def test_missing_params_never_break_the_message(self):
        assert "?" in str(RuleError("bad_op", "op"))

    def test_an_error_survives_pickling_with_its_fields(self):
        error = pickle.loads(pickle.dumps(RuleError("unknown_param", "parameters.a", {"param": "b"})))
        assert (error.code, error.path, error.params) == ("unknown_param", "parameters.a", {"param": "b"})
