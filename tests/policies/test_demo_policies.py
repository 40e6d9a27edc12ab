"""The policy part of the demo: parameters with history, the policy library, calls and applications.

The full demo is loaded once for the module on a fixed demo date, inside a transaction that is rolled
back at the end (so nothing is left behind and no after-commit job runs).
"""

from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sanlian.core.models import User
from sanlian.demo import policies as policy_demo
from sanlian.demo.services import demo_load
from sanlian.engines.rules import load_yaml
from sanlian.enterprises.models import Certification, Enterprise
from sanlian.policies import rules, selectors, services
from sanlian.policies.models import (
    Application,
    Call,
    EligibilityResult,
    Grant,
    Outcome,
    Parameter,
    ParameterValue,
    Policy,
    PolicyVersion,
)
from sanlian.policies.services.policies import version_document, version_from_document

pytestmark = pytest.mark.django_db

DEMO_DAY = date(2026, 6, 15)
DEMO_NOW = datetime(2026, 6, 15, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    traveller = time_machine.travel(DEMO_NOW, tick=False)
    traveller.start()
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            result = demo_load()
            yield result
            transaction.set_rollback(True)
    finally:
        media.disable()
        traveller.stop()
        # Rolled-back ids are handed out again; compiled rules are cached by version id.
        rules._COMPILED.clear()


def in_force() -> list[PolicyVersion]:
    return selectors.versions_in_force(as_of=DEMO_DAY)


def test_the_demo_has_at_least_twelve_published_policies_one_of_them_expired(demo):
    published = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
    assert demo.policies.policies == Policy.objects.count() >= 12
    assert published.count() == Policy.objects.count()
    expired = selectors.policy_library(filters=selectors.LibraryFilters(status="expired"), as_of=DEMO_DAY)
    assert [v.policy.code for v in expired] == ["mh-relief-2022"]
    assert len(in_force()) == published.count() - 1


def test_district_policies_are_published_by_the_district_officer_and_town_ones_by_the_town(demo):
    for version in PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).select_related("policy"):
        expected = {"minhang": "mh_officer", "pujiang": "pj_officer"}[version.policy.region.code]
        assert version.published_by.username == expected, version.policy.code
        assert "示例" in version.doc_number
        assert version.handbook_target and version.handbook_conditions
        assert version.handbook_deadline and version.handbook_materials
        assert version.tags


def test_two_policies_have_an_earlier_version_with_another_threshold(demo):
    for code in ("mh-hnte-award", "mh-growth-award"):
        v1, v2 = PolicyVersion.objects.filter(policy__code=code).order_by("number")
        assert (v1.status, v2.status) == (PolicyVersion.Status.SUPERSEDED, PolicyVersion.Status.PUBLISHED)
        assert v1.published_at < v2.published_at
        thresholds = [[c.get("value") for c in v.rule["all"] if "fact" in c] for v in (v1, v2)]
        assert thresholds[0] != thresholds[1]
    assert selectors.published_history(Policy.objects.get(code="mh-hnte-award"))[0].number == 2


def test_policies_mix_town_and_district_scope_parameters_groups_and_no_application(demo):
    versions = list(PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).select_related("policy"))
    catalogue = rules.current_catalogue()
    compiled = {v.policy.code: rules.compile_or_error(v.rule, catalogue) for v in versions}
    regions = {v.policy.region.code for v in versions}
    assert regions == {"minhang", "pujiang"}
    assert sum(1 for rule in compiled.values() if rule.params) >= 4
    assert sum(1 for v in versions if v.no_application) >= 2
    text = {v.policy.code: str(v.rule) for v in versions}
    assert any("'any'" in t for t in text.values()) and any("'not'" in t for t in text.values())
    assert compiled["mh-rd-subsidy"].params == {"rd_ratio_min", "rd_spend_floor"}
    assert versions_by_code()["mh-rd-subsidy"].benefit == {"rate": 0.1, "of": "rd_spend_last_year", "cap": 500000}
    assert {"fact": "key_enterprise_years", "op": "contains", "value": "2024", "label": "2024年度春申重点企业"} in (
        versions_by_code()["pj-chunshen-key"].rule["all"]
    )


def versions_by_code() -> dict[str, PolicyVersion]:
    published = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).select_related("policy")
    return {v.policy.code: v for v in published}


def test_parameters_have_keys_history_and_a_reference(demo):
    keyed = Parameter.objects.get(name="rd_ratio_min")
    assert keyed.key_fact == "cluster"
    assert set(keyed.values.values_list("key", flat=True)) == {"*", "devices", "pharma-bio", "health-services"}
    changed = ParameterValue.objects.filter(parameter__name="rd_spend_floor").order_by("effective_date")
    assert [(v.value, v.effective_date) for v in changed] == [(300000, date(2023, 1, 1)), (500000, date(2025, 1, 1))]
    assert all(v.recorded_by.username == "mh_officer" and v.note for v in changed)
    assert ParameterValue.objects.get(parameter__name="gene_rd_floor").value == {"param": "rd_spend_floor"}

    before, now = rules.params_as_of(date(2024, 6, 1)), rules.params_as_of(DEMO_DAY)
    assert (before["rd_spend_floor"], now["rd_spend_floor"]) == (300000, 500000)
    assert now["gene_rd_floor"] == now["rd_spend_floor"]
    assert (before["rd_ratio_min"]["pharma-bio"], now["rd_ratio_min"]["pharma-bio"]) == (10, 8)
    assert now["rd_ratio_min"]["*"] == 4
    rows = {row["parameter"].name: row for row in selectors.parameters_with_values(as_of=DEMO_DAY)}
    assert len(rows["ip_invention_award"]["history"]) == 2


def test_every_version_s_test_cases_pass_and_cover_the_three_outcomes(demo):
    for version in PolicyVersion.objects.select_related("policy"):
        report = services.tests_report(version)
        assert 2 <= len(report) <= 4, version
        assert all(case["passed"] for case in report), (version, [c for c in report if not c["passed"]])
        assert {case["expected"] for case in report} >= {"eligible", "unknown"}, version
        assert "not_eligible" in {case["expected"] for case in report}, version


def test_every_policy_in_force_finds_some_eligible_and_some_not_eligible_enterprises(demo):
    versions = in_force()
    admin = User.objects.get(username="admin")
    counts = selectors.policy_counts(user=admin, policy_ids=[v.policy_id for v in versions])
    enterprises = Enterprise.objects.count()
    for version in versions:
        row = counts[version.policy_id]
        assert row[Outcome.ELIGIBLE] >= 1 and row[Outcome.NOT_ELIGIBLE] >= 1, (version.policy.code, row)
        assert sum(row.values()) == enterprises
        assert row[Outcome.ELIGIBLE] < enterprises / 2, (version.policy.code, row)  # targeted, not for all
    unknown = sum(row[Outcome.UNKNOWN] for row in counts.values())
    assert 0 < unknown < 0.1 * enterprises * len(versions)
    assert not EligibilityResult.objects.filter(policy__code="mh-relief-2022").exists()


def test_no_application_policies_put_their_eligible_enterprises_on_the_confirmation_list(demo):
    for version in PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED, no_application=True):
        eligible = EligibilityResult.objects.filter(
            policy=version.policy, outcome=Outcome.ELIGIBLE, superseded_at__isnull=True
        )
        grants = Grant.objects.filter(policy=version.policy, status=Grant.Status.PENDING, origin=Grant.Origin.AUTO)
        assert grants.count() == eligible.count() > 0


def test_gmp_and_first_launch_policies_have_realistic_holders(demo):
    holders = Certification.objects.filter(type__code__in=["gmp", "device-license", "iso13485"])
    assert holders.exists() and not holders.filter(enterprise__is_demo=False).exists()
    first_launch = EligibilityResult.objects.filter(
        policy__code="mh-first-launch", outcome=Outcome.ELIGIBLE, superseded_at__isnull=True
    )
    for result in first_launch[:20]:
        codes = set(Certification.objects.filter(enterprise=result.enterprise_id).values_list("type__code", flat=True))
        assert codes & {"gmp", "device-license"}
    showcase = User.objects.get(username="ent_admin").enterprise
    assert {"device-license", "iso13485"} <= set(
        Certification.objects.filter(enterprise=showcase).values_list("type__code", flat=True)
    )


def test_four_calls_are_open_on_the_demo_date_and_one_closes_in_three_days(demo):
    calls = list(Call.objects.all())
    assert len([c for c in calls if c.is_open_on(DEMO_DAY)]) >= 4
    assert {c.kind for c in calls} >= {"high_tech", "srdi", "little_giant", "district_project"}
    assert min((c.close_date - DEMO_DAY).days for c in calls) == 3
    for call in calls:
        assert call.rule and call.materials and call.form_fields
        assert str(DEMO_DAY.year) in call.title


def test_applications_exist_in_each_state_for_the_showcase_and_other_enterprises(demo):
    showcase = User.objects.get(username="ent_admin").enterprise
    applications = Application.objects.select_related("enterprise")
    assert {a.status for a in applications} >= {"draft", "submitted", "returned", "recommended"}
    assert applications.filter(enterprise=showcase).count() == 3
    assert applications.exclude(enterprise=showcase).count() >= 3
    returned = applications.get(status="returned")
    assert returned.review_comment and returned.reviewed_by.username == "pj_officer"
    assert applications.filter(status="recommended").exclude(reviewed_by=None).count() >= 1
    for application in applications:
        assert application.materials.exists()
        for material in application.materials.all():
            content = Path(material.file.path).read_bytes()
            assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    for other in applications.exclude(enterprise=showcase):
        user = other.enterprise.users.get()
        assert user.username.startswith(policy_demo.APPLICANT_PREFIX) and not user.has_usable_password()


def test_the_policy_files_are_what_the_importer_reads(demo):
    for path in sorted(policy_demo.POLICIES_DIR.glob("*.yaml")):
        document = load_yaml(path.read_text(encoding="utf-8"))
        document.pop("demo", None)
        version = versions_by_code()[path.stem]
        code, region, data = version_from_document(document)
        stored = version_from_document(version_document(version))
        assert (code, region, data) == stored


def policy_rows() -> tuple[int, ...]:
    models = (ParameterValue, PolicyVersion, Call, Application, Certification, EligibilityResult, Grant)
    return tuple(model.objects.count() for model in models)


def test_loading_again_writes_nothing(demo):
    users = {u.username: u for u in User.objects.exclude(region=None) | User.objects.exclude(enterprise=None)}
    before = policy_rows()
    result = policy_demo.load(users=users)
    assert not result.changed
    assert policy_rows() == before


def test_unloading_removes_the_policy_data_and_the_applicant_accounts(demo):
    removed = policy_demo.unload()
    assert removed["policies"] >= 12 and removed["calls"] == 4 and removed["applicants"] >= 3
    for model in (Policy, PolicyVersion, Parameter, ParameterValue, Call, Application, Grant, EligibilityResult):
        assert not model.objects.exists(), model
    assert not User.objects.filter(username__startswith=policy_demo.APPLICANT_PREFIX).exists()
