"""Officers author rules as data: validated on save with the faulty path, YAML in and out, tested before publishing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanlian.engines.rules import load_yaml
from sanlian.policies import services
from sanlian.policies.models import Policy, PolicyVersion
from tests import factories

from .helpers import RD_RULE, committed, number_parameter, published_policy, version_data

pytestmark = pytest.mark.django_db


def create(officer, **overrides):
    return services.policy_create(actor=officer, code="pj-test", region=officer.region, data=version_data(**overrides))


def rule_error(officer, rule) -> str:
    with pytest.raises(ValidationError) as exc:
        create(officer, rule=rule, tests=[])
    assert not Policy.objects.filter(code="pj-test").exists()  # nothing half-saved
    return " ".join(exc.value.message_dict["rule"])


@pytest.mark.parametrize(
    ("rule", "path", "words"),
    [
        ({"all": [{"fact": "town", "op": "==", "value": "pujiang"}, {"fact": "profit", "op": ">", "value": 1}]},
         "all[1].fact", "profit"),
        ({"all": [{"fact": "rd_ratio", "op": ">=", "value": {"param": "nope"}}]}, "all[0].value", "nope"),
        ({"all": [{"fact": "employees", "op": ">=", "value": "many"}]}, "all[0].value", "类型"),
        ({"all": [{"fact": "town", "op": "==", "value": "pujiang"}, {"any": []}]}, "all[1]", "不能为空"),
        ({"all": [{"fact": "chain_nodes", "op": ">=", "value": 3}]}, "all[0].op", ">="),
    ],
    ids=["unknown fact", "unknown parameter", "type mismatch", "empty group", "operator for another type"],
)  # fmt: skip
def test_a_faulty_rule_is_refused_with_the_path_of_the_faulty_node(pujiang_officer, rule, path, words):
    number_parameter(pujiang_officer)

    message = rule_error(pujiang_officer, rule)

    assert path in message and words in message


def test_a_test_case_naming_an_unknown_fact_is_refused(pujiang_officer):
    number_parameter(pujiang_officer)
    bad = [{"name": "x", "facts": {"town": "pujiang", "profit": 3}, "expected": "eligible"}]

    with pytest.raises(ValidationError) as exc:
        create(pujiang_officer, tests=bad)

    assert "tests[0].facts.profit" in " ".join(exc.value.message_dict["tests"])


def test_publishing_needs_passing_test_cases(pujiang_officer):
    number_parameter(pujiang_officer)
    wrong = [{"name": "错误预期", "facts": {"town": "pujiang", "rd_ratio": 1}, "expected": "eligible"}]
    version = create(pujiang_officer, tests=wrong)

    with pytest.raises(ValidationError) as exc:
        services.policy_publish(actor=pujiang_officer, policy=version.policy)

    assert "错误预期" in " ".join(exc.value.message_dict["tests"])
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.DRAFT

    empty = services.policy_create(actor=pujiang_officer, code="pj-empty", region=pujiang_officer.region,
                                   data=version_data(tests=[]))  # fmt: skip
    with pytest.raises(ValidationError, match="至少需要一个测试用例"):
        services.policy_publish(actor=pujiang_officer, policy=empty.policy)


def test_editing_a_published_policy_makes_a_new_draft_and_keeps_every_version(pujiang_officer):
    number_parameter(pujiang_officer)
    v1 = published_policy(pujiang_officer)

    draft = services.policy_draft_save(
        actor=pujiang_officer, policy=v1.policy, data={"title": "浦江镇研发投入奖励(修订)"}
    )
    with committed():
        v2 = services.policy_publish(actor=pujiang_officer, policy=v1.policy)

    v1.refresh_from_db()
    assert draft.pk == v2.pk and v2.number == 2 and v2.status == "published"
    assert v1.status == "superseded" and v1.title == "浦江镇研发投入奖励"
    assert v2.rule == RD_RULE  # carried over from the published version


def test_yaml_export_and_import_round_trip(pujiang_officer):
    number_parameter(pujiang_officer)
    v1 = published_policy(pujiang_officer)
    text = services.version_document(v1)
    from sanlian.engines.rules import dump_yaml

    yaml_text = dump_yaml(text).replace("浦江镇研发投入奖励", "浦江镇研发投入奖励(导入)")

    draft = services.policy_import_yaml(actor=pujiang_officer, text=yaml_text, default_region=pujiang_officer.region)

    assert draft.policy == v1.policy and draft.status == "draft" and draft.number == 2
    assert draft.title == "浦江镇研发投入奖励(导入)" and draft.rule == v1.rule and draft.tests == v1.tests
    assert load_yaml(yaml_text)["effective_from"] == "2024-01-01"


def test_malformed_yaml_is_refused_with_its_line_number(pujiang_officer):
    text = "code: pj-bad\ntitle: 测试\nrule:\n  all: [\n    {fact: town\n"

    with pytest.raises(ValidationError) as exc:
        services.policy_import_yaml(actor=pujiang_officer, text=text, default_region=pujiang_officer.region)

    assert "第 " in exc.value.message_dict["yaml"][0] and "行" in exc.value.message_dict["yaml"][0]
    assert not Policy.objects.filter(code="pj-bad").exists()


def test_a_town_officer_cannot_author_a_district_policy(pujiang_officer):
    district = factories.region("minhang")

    with pytest.raises(PermissionDenied):
        services.policy_create(actor=pujiang_officer, code="mh-x", region=district, data=version_data())


def test_an_enterprise_user_cannot_record_parameter_values(enterprise_admin, pujiang_officer):
    parameter = number_parameter(pujiang_officer)

    with pytest.raises(PermissionDenied):
        services.parameter_value_record(actor=enterprise_admin, parameter=parameter, value=1,
                                        effective_date=date(2026, 1, 1))  # fmt: skip
    assert parameter.values.count() == 1
