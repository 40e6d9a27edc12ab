"""resolve_params, and how parameters (plain and keyed) reach the criteria."""

from decimal import Decimal

import pytest

from sanlian.engines.rules import FALSE, TRUE, UNKNOWN, RuleError, resolve_params
from tests.engines.rules.support import CATALOGUE, outcomes_of

E, N, U = TRUE, FALSE, UNKNOWN


def refusal(raw) -> RuleError:
    with pytest.raises(RuleError) as caught:
        resolve_params(raw, CATALOGUE)
    return caught.value


class TestResolution:
    def test_plain_values_come_back_unchanged(self):
        assert resolve_params({"revenue_floor": 500, "home_town": "浦江镇"}, CATALOGUE) == {
            "revenue_floor": 500,
            "home_town": "浦江镇",
        }

    def test_a_decimal_from_the_database_becomes_a_float(self):
        assert resolve_params({"revenue_floor": Decimal("12.5")}, CATALOGUE) == {"revenue_floor": 12.5}

    def test_references_are_followed_through_a_chain(self):
        raw = {"a": {"param": "b"}, "b": {"param": "revenue_floor"}, "revenue_floor": 300}
        assert resolve_params(raw, CATALOGUE) == {"a": 300, "b": 300, "revenue_floor": 300}

    def test_a_keyed_parameter_keeps_its_default_and_may_reference_a_plain_one(self):
        raw = {"revenue_floor": 100, "floor_by_cluster": {"医疗器械": {"param": "revenue_floor"}, "*": 50}}
        resolved = resolve_params(raw, CATALOGUE)
        assert resolved["floor_by_cluster"] == {"医疗器械": 100, "*": 50}

    def test_a_keyed_parameter_given_one_value_keeps_that_value_for_every_key(self):
        assert resolve_params({"floor_by_cluster": 70}, CATALOGUE) == {"floor_by_cluster": 70}


class TestRefusals:
    def test_a_two_step_cycle_is_reported_with_its_members_in_order(self):
        error = refusal({"a": {"param": "b"}, "b": {"param": "a"}})
        assert (error.code, error.path, error.params) == ("param_cycle", "parameters.a", {"cycle": "a → b → a"})

    def test_a_parameter_referring_to_itself_is_a_cycle(self):
        error = refusal({"revenue_floor": {"param": "revenue_floor"}})
        assert error.params == {"cycle": "revenue_floor → revenue_floor"}

    def test_a_cycle_entered_from_outside_is_reported_where_it_starts(self):
        error = refusal({"c": {"param": "a"}, "a": {"param": "b"}, "b": {"param": "a"}})
        assert (error.path, error.params["cycle"]) == ("parameters.a", "a → b → a")

    def test_a_cycle_through_a_keyed_entry_is_found(self):
        error = refusal({"floor_by_cluster": {"医疗器械": {"param": "x"}}, "x": {"param": "floor_by_cluster"}})
        assert error.code == "param_cycle" and "floor_by_cluster → x → floor_by_cluster" in error.params["cycle"]

    def test_a_reference_to_an_undefined_name_is_an_unknown_param_at_the_referrer(self):
        error = refusal({"revenue_floor": {"param": "nowhere"}})
        assert (error.code, error.path, error.params) == (
            "unknown_param",
            "parameters.revenue_floor",
            {"param": "nowhere"},
        )

    def test_a_keyed_entry_referring_to_an_undefined_name_names_its_key(self):
        error = refusal({"floor_by_cluster": {"医疗器械": {"param": "nowhere"}}})
        assert (error.code, error.path) == ("unknown_param", "parameters.floor_by_cluster.医疗器械")

    @pytest.mark.parametrize(
        ("raw", "path"),
        [
            ({"revenue_floor": "500"}, "parameters.revenue_floor"),
            ({"revenue_floor": True}, "parameters.revenue_floor"),
            ({"home_town": 3}, "parameters.home_town"),
            ({"revenue_floor": {"a": 1}}, "parameters.revenue_floor"),  # only keyed parameters take a mapping
            ({"floor_by_cluster": {"医疗器械": "high"}}, "parameters.floor_by_cluster.医疗器械"),
            ({"floor_by_cluster": {"医疗器械": {"param": "k"}}, "k": {"x": 1}}, "parameters.floor_by_cluster.医疗器械"),
        ],
    )
    def test_a_value_of_the_wrong_type_is_a_type_mismatch_at_its_path(self, raw, path):
        error = refusal(raw)
        assert (error.code, error.path) == ("type_mismatch", path)


RECORDS = [
    {"revenue": 120, "cluster": "医疗器械", "town": "浦江镇"},
    {"revenue": 120, "cluster": "生物药", "town": "莘庄镇"},
    {"revenue": 120, "cluster": None, "town": "浦江镇"},
    {"revenue": None, "cluster": "医疗器械", "town": None},
]


class TestParametersInRules:
    def test_a_plain_number_parameter_is_the_threshold_for_every_row(self):
        tree = {"fact": "revenue", "op": ">=", "value": {"param": "revenue_floor"}}
        assert outcomes_of(tree, RECORDS, {"revenue_floor": 100}) == [E, E, E, U]

    def test_a_keyed_parameter_uses_the_rows_key_then_the_default(self):
        tree = {"fact": "revenue", "op": ">=", "value": {"param": "floor_by_cluster"}}
        params = {"floor_by_cluster": {"医疗器械": 200, "*": 100}}
        # 医疗器械 -> 200 (not met); 生物药 -> default 100 (met); no cluster -> unknown, default or not
        assert outcomes_of(tree, RECORDS, params) == [N, E, U, U]

    def test_a_keyed_parameter_without_a_default_is_unknown_for_keys_it_does_not_list(self):
        tree = {"fact": "revenue", "op": "!=", "value": {"param": "floor_by_cluster"}}
        assert outcomes_of(tree, RECORDS, {"floor_by_cluster": {"医疗器械": 120}}) == [N, U, U, U]

    def test_a_keyed_parameter_given_one_value_applies_it_even_without_a_key(self):
        tree = {"fact": "revenue", "op": ">", "value": {"param": "floor_by_cluster"}}
        assert outcomes_of(tree, RECORDS, {"floor_by_cluster": 100}) == [E, E, E, U]

    def test_a_text_parameter_and_a_keyed_text_parameter_are_compared_with_text_facts(self):
        assert outcomes_of(
            {"fact": "town", "op": "==", "value": {"param": "home_town"}}, RECORDS, {"home_town": "浦江镇"}
        ) == [
            E,
            N,
            E,
            U,
        ]
        tree = {"fact": "town", "op": "==", "value": {"param": "town_by_cluster"}}
        params = {"town_by_cluster": {"医疗器械": "浦江镇", "*": "闵行"}}
        assert outcomes_of(tree, RECORDS, params) == [E, N, U, U]

    @pytest.mark.parametrize("params", [{}, {"revenue_floor": None}, {"revenue_floor": "oops"}])
    def test_a_parameter_missing_from_the_resolved_values_makes_the_criterion_unknown(self, params):
        tree = {"any": [{"fact": "revenue", "op": ">=", "value": {"param": "revenue_floor"}}]}
        assert outcomes_of(tree, RECORDS, params) == [U, U, U, U]
        assert outcomes_of(tree, RECORDS[:1], params) == [U]

    def test_the_output_of_resolve_params_drives_evaluation(self):
        params = resolve_params(
            {"revenue_floor": 100, "floor_by_cluster": {"*": {"param": "revenue_floor"}}}, CATALOGUE
        )
        tree = {"fact": "revenue", "op": ">=", "value": {"param": "floor_by_cluster"}}
        assert outcomes_of(tree, RECORDS, params) == [E, E, U, U]
