"""Policies find enterprises: facts, stored results, incremental refresh, history and notifications."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanlian.core.models import Notification
from sanlian.enterprises import services as registry
from sanlian.enterprises.models import CertificationType
from sanlian.policies import selectors, services
from sanlian.policies.facts import enterprise_fact_records
from sanlian.policies.models import EligibilityResult, Grant, Parameter
from tests import factories

from .helpers import approved_report, committed, number_parameter, published_policy

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_default_timezone())


def facts_of(enterprise, as_of=date(2026, 6, 1)) -> dict:
    ids, records = enterprise_fact_records(as_of=as_of, enterprise_ids=[enterprise.pk])
    return records[0]


def current(enterprise, policy) -> EligibilityResult:
    result = EligibilityResult.objects.get(enterprise=enterprise, policy=policy, superseded_at__isnull=True)
    result.tree = selectors.explained([result])[0][1]
    return result


@time_machine.travel(TODAY, tick=False)
def test_facts_come_from_the_latest_approved_report_and_valid_certifications(pujiang_enterprise, pujiang_officer):
    approved_report(pujiang_enterprise, 2022, pujiang_officer, patents_invention=2)
    approved_report(pujiang_enterprise, 2024, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("380000"))
    approved_report(pujiang_enterprise, 2025, pujiang_officer, revenue=Decimal("20000000"), rd_spend=Decimal("800000"),
                    patents_invention=7)  # fmt: skip
    hnte = CertificationType.objects.get(code="hnte")
    registry.certification_add(
        actor=pujiang_officer,
        enterprise=pujiang_enterprise,
        data={
            "type": hnte,
            "issuer": "上海市科委",
            "valid_from_date": date(2023, 1, 1),
            "valid_until_date": date(2025, 12, 31),
        },
    )

    facts = facts_of(pujiang_enterprise)

    assert facts["report_year"] == 2025
    assert facts["revenue_last_year"] == 20_000_000
    assert facts["rd_ratio"] == 4.0
    assert facts["revenue_growth"] == 100.0
    assert facts["invention_patents_3y"] == 5  # 7 held in 2025, 2 held in 2022
    assert facts["town"] == "pujiang" and facts["chain_nodes"] == ["M5"]
    assert "hnte" not in facts["certifications"]  # expired on 2025-12-31
    assert "hnte" in facts_of(pujiang_enterprise, as_of=date(2025, 6, 1))["certifications"]


@time_machine.travel(TODAY, tick=False)
def test_an_enterprise_without_a_recent_report_has_missing_figures(pujiang_enterprise, pujiang_officer):
    approved_report(pujiang_enterprise, 2022, pujiang_officer)

    facts = facts_of(pujiang_enterprise)

    assert "revenue_last_year" not in facts and "rd_ratio" not in facts


@time_machine.travel(TODAY, tick=False)
def test_publishing_stores_three_valued_results_with_explanations(pujiang_officer):
    rich = factories.enterprise("pujiang", name="达标企业")
    poor = factories.enterprise("pujiang", name="未达标企业")
    silent = factories.enterprise("pujiang", name="未报年报企业")
    approved_report(rich, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("500000"))
    approved_report(poor, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("380000"))
    number_parameter(pujiang_officer)

    policy = published_policy(pujiang_officer).policy

    assert current(rich, policy).outcome == "eligible"
    assert current(rich, policy).benefit_estimate == Decimal("50000.00")  # 10 % of 500,000 yuan
    assert current(silent, policy).outcome == "unknown"
    poor_result = current(poor, policy)
    assert poor_result.outcome == "not_eligible"
    criterion = poor_result.tree["children"][1]
    assert criterion["fact"] == "rd_ratio" and criterion["value"] == 3.8 and criterion["threshold"] == 4
    assert criterion["param"] == "rd_ratio_min" and criterion["param_source"] == "示例政策第三条"
    assert criterion["margin"] == pytest.approx(-0.2)


@time_machine.travel(TODAY, tick=False)
def test_a_second_refresh_with_nothing_changed_writes_nothing(pujiang_enterprise, pujiang_officer):
    number_parameter(pujiang_officer)
    published_policy(pujiang_officer)
    before = EligibilityResult.objects.count()

    summary = services.eligibility_refresh()

    assert summary.changed == 0 and EligibilityResult.objects.count() == before


@time_machine.travel(TODAY, tick=False)
def test_an_approved_report_re_evaluates_only_that_enterprise_and_notifies_it(pujiang_enterprise, pujiang_officer):
    admin = factories.enterprise_user(pujiang_enterprise)
    other = factories.enterprise("pujiang")
    number_parameter(pujiang_officer)
    policy = published_policy(pujiang_officer).policy
    first = current(pujiang_enterprise, policy)
    other_first = current(other, policy)
    assert first.outcome == "unknown"

    approved_report(pujiang_enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("900000"))

    now = current(pujiang_enterprise, policy)
    assert now.outcome == "eligible" and now.pk != first.pk
    first.refresh_from_db()
    assert first.superseded_at is not None  # kept, not overwritten
    assert current(other, policy).pk == other_first.pk
    note = Notification.objects.filter(recipient=admin, title__startswith="新符合政策").get()
    assert "浦江镇研发投入奖励" in note.title


def test_what_an_enterprise_was_told_on_a_past_date_is_answerable(pujiang_enterprise, pujiang_officer):
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=timezone.get_default_timezone()), tick=False):
        number_parameter(pujiang_officer)
        policy = published_policy(pujiang_officer).policy
    with time_machine.travel(TODAY, tick=False):
        approved_report(pujiang_enterprise, 2025, pujiang_officer, rd_spend=Decimal("900000"))

    march = selectors.enterprise_results_on(
        enterprise_id=pujiang_enterprise.pk, moment=datetime(2026, 4, 1, tzinfo=timezone.get_default_timezone())
    )
    june = selectors.enterprise_results_on(
        enterprise_id=pujiang_enterprise.pk, moment=datetime(2026, 6, 2, tzinfo=timezone.get_default_timezone())
    )
    assert [(r.policy_id, r.outcome, r.version.number) for r in march] == [(policy.pk, "unknown", 1)]
    assert [(r.policy_id, r.outcome) for r in june] == [(policy.pk, "eligible")]


@time_machine.travel(TODAY, tick=False)
def test_a_parameter_change_re_evaluates_the_policies_that_read_it(pujiang_enterprise, pujiang_officer):
    approved_report(pujiang_enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("450000"))
    parameter = number_parameter(pujiang_officer)
    policy = published_policy(pujiang_officer).policy
    assert current(pujiang_enterprise, policy).outcome == "eligible"

    with committed():
        services.parameter_value_record(
            actor=pujiang_officer, parameter=parameter, value=5, effective_date=date(2026, 5, 1)
        )

    assert current(pujiang_enterprise, policy).outcome == "not_eligible"
    assert current(pujiang_enterprise, policy).tree["children"][1]["threshold"] == 5


@time_machine.travel(TODAY, tick=False)
def test_a_future_parameter_value_does_not_apply_yet_and_past_values_can_be_replayed(pujiang_officer):
    from sanlian.policies.rules import raw_params_as_of

    parameter = number_parameter(pujiang_officer)
    services.parameter_value_record(
        actor=pujiang_officer, parameter=parameter, value=6, effective_date=date(2027, 1, 1)
    )

    assert raw_params_as_of(date(2026, 6, 1))["rd_ratio_min"] == 4
    assert raw_params_as_of(date(2027, 1, 1))["rd_ratio_min"] == 6
    assert (
        raw_params_as_of(date(2027, 1, 1), known_at=datetime(2026, 1, 1, tzinfo=timezone.get_default_timezone())) == {}
    )


@time_machine.travel(TODAY, tick=False)
def test_a_keyed_parameter_uses_the_enterprises_cluster(pujiang_officer):
    devices = factories.enterprise("pujiang")  # cluster "devices"
    approved_report(devices, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("450000"))
    parameter = number_parameter(pujiang_officer, value=None, key_fact="cluster")
    services.parameter_value_record(actor=pujiang_officer, parameter=parameter, key="devices", value=5,
                                    effective_date=date(2020, 1, 1))  # fmt: skip
    services.parameter_value_record(actor=pujiang_officer, parameter=parameter, key="*", value=3,
                                    effective_date=date(2020, 1, 1))  # fmt: skip

    keyed_tests = [
        {"name": "器械 5%", "facts": {"town": "pujiang", "cluster": "devices", "rd_ratio": 5}, "expected": "eligible"},
        {"name": "其他 3%", "facts": {"town": "pujiang", "cluster": "pharma-bio", "rd_ratio": 3},
         "expected": "eligible"},
        {"name": "器械 4.5%", "facts": {"town": "pujiang", "cluster": "devices", "rd_ratio": 4.5},
         "expected": "not_eligible"},
    ]  # fmt: skip
    policy = published_policy(pujiang_officer, tests=keyed_tests).policy

    result = current(devices, policy)
    assert result.outcome == "not_eligible" and result.tree["children"][1]["threshold"] == 5


@time_machine.travel(TODAY, tick=False)
def test_parameter_references_that_form_a_cycle_are_refused(pujiang_officer):
    a = number_parameter(pujiang_officer, name="a_min", value=1)
    number_parameter(pujiang_officer, name="b_min", value={"param": "a_min"})

    with pytest.raises(ValidationError) as exc:
        services.parameter_value_record(actor=pujiang_officer, parameter=a, value={"param": "b_min"},
                                        effective_date=date(2026, 1, 1))  # fmt: skip

    assert "a_min" in str(exc.value) and "循环" in str(exc.value)
    assert a.values.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_no_application_policies_put_newly_eligible_enterprises_on_the_officers_list(
    pujiang_enterprise, pujiang_officer
):
    admin = factories.enterprise_user(pujiang_enterprise)
    approved_report(pujiang_enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("900000"))
    number_parameter(pujiang_officer)
    published_policy(pujiang_officer, no_application=True)

    grant = Grant.objects.get(enterprise=pujiang_enterprise)
    assert grant.origin == "auto" and grant.amount == Decimal("90000.00")
    assert list(selectors.grants_for_officer(user=pujiang_officer)) == [grant]

    with pytest.raises(ValidationError) as exc:
        services.grant_decide(actor=pujiang_officer, grant=grant, confirm=False)
    assert "decision_note" in exc.value.message_dict
    with committed():
        services.grant_decide(actor=pujiang_officer, grant=grant, confirm=True, note="已拨付")

    grant.refresh_from_db()
    assert grant.status == "confirmed"
    assert Notification.objects.filter(recipient=admin, title__startswith="政策兑现已确认").exists()


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_result_can_ask_for_a_quick_application_once(pujiang_enterprise, pujiang_officer):
    admin = factories.enterprise_user(pujiang_enterprise)
    number_parameter(pujiang_officer)
    version = published_policy(pujiang_officer)

    services.grant_request_quick(actor=admin, enterprise=pujiang_enterprise, version=version, note="2025年报审核中")
    with pytest.raises(ValidationError):
        services.grant_request_quick(actor=admin, enterprise=pujiang_enterprise, version=version, note="again")

    assert Grant.objects.filter(enterprise=pujiang_enterprise, origin="quick").count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_preview_lists_who_becomes_eligible_and_who_drops_out(pujiang_officer):
    strong = factories.enterprise("pujiang", name="强研发企业")
    medium = factories.enterprise("pujiang", name="中等研发企业")
    approved_report(strong, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("900000"))
    approved_report(medium, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal("450000"))
    number_parameter(pujiang_officer)
    number_parameter(pujiang_officer, name="rd_ratio_high", value=8)
    policy = published_policy(pujiang_officer).policy
    stricter = {"all": [{"fact": "town", "op": "==", "value": "pujiang"},
                        {"fact": "rd_ratio", "op": ">=", "value": {"param": "rd_ratio_high"}}]}  # fmt: skip
    draft = services.policy_draft_save(
        actor=pujiang_officer, policy=policy,
        data={"rule": stricter,
              "tests": [{"name": "高", "facts": {"town": "pujiang", "rd_ratio": 9}, "expected": "eligible"}]},
    )  # fmt: skip

    preview = services.draft_preview(draft=draft, as_of=date(2026, 6, 1))

    assert [e["name"] for e in preview.lost] == ["中等研发企业"]
    assert preview.gained == []
    assert preview.counts["draft"]["eligible"] == 1 and preview.counts["published"]["eligible"] == 2


def test_results_are_stored_exactly_whatever_the_number_of_statements(pujiang_officer, monkeypatch):
    """The refresh writes in plain SQL: amounts, explanations and times must read back as the ORM wrote them."""
    from sanlian.policies.services import eligibility

    monkeypatch.setattr(eligibility, "BATCH", 2)  # five enterprises: three insert statements, two updates
    spends = ["456789.10", "500000.00", "888888.88", "100000.00", "612345.67"]
    with time_machine.travel(TODAY, tick=False):
        enterprises = [factories.enterprise("pujiang", name=f"企业{i}") for i in range(len(spends))]
        for enterprise, spend in zip(enterprises, spends, strict=True):
            approved_report(enterprise, 2025, pujiang_officer, revenue=Decimal("10000000"), rd_spend=Decimal(spend))
        number_parameter(pujiang_officer)
        policy = published_policy(pujiang_officer).policy

    first = {r.enterprise_id: r for r in EligibilityResult.objects.filter(policy=policy)}
    assert {first[e.pk].benefit_estimate for e in enterprises} == {
        Decimal("45678.91"), Decimal("50000.00"), Decimal("88888.89"), None, Decimal("61234.57")
    }  # fmt: skip
    assert {(r.evaluated_at, r.facts_as_of, r.superseded_at) for r in first.values()} == {
        (TODAY, date(2026, 6, 1), None)
    }
    assert first[enterprises[0].pk].explanation == [["pujiang", "pujiang", 2], [4.57, 4, 2]]

    later = datetime(2026, 6, 2, 10, 30, 15, 123456, tzinfo=timezone.get_default_timezone())
    parameter = Parameter.objects.get(name="rd_ratio_min")
    with time_machine.travel(later, tick=False), committed():  # the threshold moves for everyone
        services.parameter_value_record(
            actor=pujiang_officer, parameter=parameter, value=5, effective_date=later.date()
        )

    for enterprise in enterprises:
        old = EligibilityResult.objects.get(pk=first[enterprise.pk].pk)
        new = current(enterprise, policy)
        assert old.superseded_at == later and new.evaluated_at == later and new.facts_as_of == date(2026, 6, 2)
    assert current(enterprises[0], policy).outcome == "not_eligible"
    assert current(enterprises[2], policy).benefit_estimate == Decimal("88888.89")
