"""Policies in /api/v1: the library, eligibility with explanations (scoped), YAML import and publishing."""

from decimal import Decimal

import pytest

from tests import factories
from tests.policies.helpers import RD_RULE, approved_report, committed, number_parameter, published_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(pujiang_officer):
    number_parameter(pujiang_officer)
    return published_policy(pujiang_officer).policy


def test_the_library_lists_published_policies_with_filters(api_as, enterprise_admin, policy):
    client = api_as(enterprise_admin)

    listed = client.get("/policies", q="研发").json()
    detail = client.get(f"/policies/{policy.code}").json()

    assert [p["code"] for p in listed["items"]] == [policy.code]
    assert client.get("/policies", q="无此政策").json()["count"] == 0
    assert detail["rule"] == RD_RULE and detail["versions"] == [1]


def test_an_enterprise_reads_its_eligibility_with_explanations(api_as, pujiang_officer, policy):
    enterprise = factories.enterprise("pujiang")
    user = factories.enterprise_user(enterprise)
    approved_report(enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("900000"))

    rows = api_as(user).get(f"/enterprises/{enterprise.pk}/eligibility").json()

    assert [(r["policy"], r["outcome"], r["benefit_estimate"]) for r in rows] == [(policy.code, "eligible", "90000.00")]
    criterion = rows[0]["explanation"]["children"][1]
    assert criterion["value"] == 9.0 and criterion["threshold"] == 4 and criterion["outcome"] == "eligible"


def test_another_enterprises_eligibility_is_not_found(api_as, enterprise_admin, xinzhuang_enterprise, policy):
    response = api_as(enterprise_admin).get(f"/enterprises/{xinzhuang_enterprise.pk}/eligibility")

    assert response.status_code == 404


def test_an_officer_imports_yaml_and_publishes(api_as, pujiang_officer, policy):
    client = api_as(pujiang_officer)
    text = (
        "code: pj-yaml\ntitle: 浦江镇测试政策\nissuer: 浦江镇人民政府\neffective_from: 2024-01-01\n"
        "rule: {all: [{fact: town, op: '==', value: pujiang}]}\n"
        "tests: [{name: 浦江, facts: {town: pujiang}, expected: eligible}]\n"
    )

    created = client.post("/policies/import", {"yaml": text})
    with committed():
        published = client.post("/policies/pj-yaml/publish")

    assert created.status_code == 201 and created.json()["title"] == "浦江镇测试政策"
    assert published.status_code == 200 and published.json()["versions"] == [1]


def test_malformed_yaml_answers_422_naming_the_line(api_as, pujiang_officer):
    response = api_as(pujiang_officer).post("/policies/import", {"yaml": "code: x\nrule: [\n"})

    assert response.status_code == 422 and "行" in response.json()["errors"]["yaml"][0]


def test_enterprises_may_not_read_parameters_or_publish(api_as, enterprise_admin, policy):
    client = api_as(enterprise_admin)

    assert client.get("/parameters").status_code == 403
    assert client.post(f"/policies/{policy.code}/publish").status_code == 403
