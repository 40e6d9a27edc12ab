"""IP facts for the policy rules: counts in force on a date, and re-evaluation when a portfolio changes."""

from datetime import date

import pytest
import time_machine

from sanlian.policies.facts import FACTS_BY_NAME, enterprise_fact_records
from sanlian.policies.models import EligibilityResult
from sanlian.servicedesk.services import ip as services
from tests.policies.helpers import committed, published_policy

from .ip_helpers import NOW, invention, patent_number, trademark

pytestmark = pytest.mark.django_db
IP_FACTS = ("invention_patents", "utility_patents", "design_patents", "trademarks", "software_copyrights")


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def facts_of(enterprise, as_of) -> dict:
    _ids, records = enterprise_fact_records(as_of=as_of, enterprise_ids=[enterprise.pk])
    return records[0]


def test_the_ip_facts_are_in_the_catalogue_with_unit_and_source():
    for name in IP_FACTS:
        fact = FACTS_BY_NAME[name]
        assert fact.type == "number" and str(fact.unit) == "件" and str(fact.source) == "知识产权档案"
    assert "invention_patents_3y" in FACTS_BY_NAME  # the annual reports' figure stays


def test_an_enterprise_without_ip_records_has_the_ip_facts_missing(pujiang_enterprise):
    facts = facts_of(pujiang_enterprise, date(2026, 6, 1))
    assert not set(IP_FACTS) & facts.keys()


def test_counts_are_what_is_in_force_on_the_date_and_lapsed_or_pending_assets_do_not_count(
    pujiang_enterprise, enterprise_admin
):
    def add(data):
        return services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=data)

    add(invention())  # granted 2024-09-10
    add(invention(number=patent_number("invention", 2, 2004), filing_date=date(2004, 5, 1),
                  grant_date=date(2006, 1, 1)))  # fmt: skip  # term ended 2024-04-30
    lapsed = add(invention(number=patent_number("invention", 3), title="已放弃的专利"))
    services.ip_asset_lapse(actor=enterprise_admin, asset=lapsed)
    add(invention(number=patent_number("invention", 4, 2025), filing_date=date(2025, 1, 2), grant_date=None,
                  status="pending"))  # fmt: skip
    add(trademark())

    today = {k: facts_of(pujiang_enterprise, date(2026, 6, 1))[k] for k in IP_FACTS}
    assert today == {"invention_patents": 1, "utility_patents": 0, "design_patents": 0, "trademarks": 1,
                     "software_copyrights": 0}  # fmt: skip
    in_2023 = {k: facts_of(pujiang_enterprise, date(2023, 6, 1))[k] for k in IP_FACTS}
    assert in_2023["invention_patents"] == 1  # the old patent, not yet expired; the new one not yet granted
    assert in_2023["trademarks"] == 1


IP_RULE = {"all": [{"fact": "invention_patents", "op": ">=", "value": 1}]}
IP_TESTS = [
    {"name": "有一件有效发明专利", "facts": {"invention_patents": 1}, "expected": "eligible"},
    {"name": "没有有效发明专利", "facts": {"invention_patents": 0}, "expected": "not_eligible"},
    {"name": "未登记知识产权", "facts": {}, "expected": "unknown"},
]


def outcome(enterprise, policy) -> str:
    return EligibilityResult.objects.get(enterprise=enterprise, policy=policy, superseded_at__isnull=True).outcome


def test_a_portfolio_change_re_evaluates_the_policies_that_read_ip_facts(
    pujiang_enterprise, enterprise_admin, pujiang_officer
):
    policy = published_policy(pujiang_officer, code="pj-ip", rule=IP_RULE, tests=IP_TESTS).policy
    assert outcome(pujiang_enterprise, policy) == "unknown"

    with committed():
        asset = services.ip_asset_add(actor=enterprise_admin, enterprise=pujiang_enterprise, data=invention())
    assert outcome(pujiang_enterprise, policy) == "eligible"

    with committed():
        services.ip_asset_lapse(actor=enterprise_admin, asset=asset)
    assert outcome(pujiang_enterprise, policy) == "not_eligible"
