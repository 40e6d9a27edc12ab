"""`sanlian policies evaluate` and `sanlian policies test` on a small demo."""

import json
from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from sanlian.core.models import User
from sanlian.demo.services import demo_load
from sanlian.enterprises.models import Enterprise
from sanlian.policies import selectors, services
from sanlian.policies.models import EligibilityResult, Policy

pytestmark = pytest.mark.django_db

DEMO_NOW = datetime(2026, 6, 15, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def small_demo(tmp_path):
    with time_machine.travel(DEMO_NOW, tick=False), override_settings(MEDIA_ROOT=tmp_path):
        demo_load(scale=0.05)
        yield


def run(*args) -> str:
    out = StringIO()
    call_command("policies", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_evaluate_json_counts_every_enterprise_once_per_policy_in_force(small_demo):
    stored = EligibilityResult.objects.count()

    report = json.loads(run("evaluate", "--json"))

    assert report["as_of"] == "2026-06-15"
    codes = [row["code"] for row in report["policies"]]
    assert codes == [v.policy.code for v in selectors.versions_in_force(as_of=date(2026, 6, 15))]
    assert len(codes) >= 12 and "mh-relief-2022" not in codes
    enterprises = Enterprise.objects.count()
    for row in report["policies"]:
        assert set(row) == {"code", "title", "version", "eligible", "not_eligible", "unknown"}
        assert row["eligible"] + row["not_eligible"] + row["unknown"] == enterprises
    assert {row["code"]: row["version"] for row in report["policies"]}["mh-hnte-award"] == 2
    assert EligibilityResult.objects.count() == stored  # nothing stored


def test_evaluate_as_of_a_past_date_uses_the_policies_in_force_then(small_demo):
    report = json.loads(run("evaluate", "--as-of", "2022-09-01", "--json"))
    assert [row["code"] for row in report["policies"]] == ["mh-relief-2022"]
    assert json.loads(run("evaluate", "--as-of", "2010-01-01", "--json")) == {"as_of": "2010-01-01", "policies": []}


def test_evaluate_uses_the_parameters_in_force_on_the_date(small_demo):
    """The R&D spend floor rose from 300,000 to 500,000 yuan on 2025-01-01: fewer qualify afterwards."""
    policy = Policy.objects.get(code="mh-rd-subsidy")
    version = selectors.published_of(policy)
    counts = {}
    for day in (date(2024, 12, 31), date(2025, 1, 1)):
        _table, evaluation, _benefits = services.evaluate_versions(versions=[version], as_of=day, explain=False)
        counts[day] = evaluation.counts(0)["eligible"]
    rows = {}
    for day in counts:
        report = json.loads(run("evaluate", "--as-of", day.isoformat(), "--json"))
        rows[day] = next(row for row in report["policies"] if row["code"] == "mh-rd-subsidy")["eligible"]
    assert rows == counts
    assert counts[date(2024, 12, 31)] > counts[date(2025, 1, 1)]


def test_evaluate_prints_a_table_by_default(small_demo):
    text = run("evaluate")
    assert "mh-rd-subsidy" in text and "闵行区生物医药企业研发费用补贴" in text
    assert "符合" in text and "待补充信息" in text
    assert f"{Enterprise.objects.count()} 家企业" in text


def test_evaluate_refuses_a_malformed_date(small_demo):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("evaluate", "--as-of", "2026-13-01")


def test_policies_test_passes_on_the_demo(small_demo):
    text = run("test")
    assert "mh-hnte-award v2" in text and "✓" in text and "✗" not in text
    assert "0 个未通过" in text


def test_policies_test_fails_when_a_draft_case_fails(small_demo):
    officer = User.objects.get(username="mh_officer")
    policy = Policy.objects.get(code="mh-growth-award")
    tests = selectors.published_of(policy).tests
    broken = [dict(tests[0], expected="not_eligible"), *tests[1:]]
    with time_machine.travel(DEMO_NOW, tick=False):
        services.policy_draft_save(actor=officer, policy=policy, data={"tests": broken})

    out = StringIO()
    with pytest.raises(CommandError, match="1 个未通过"):
        call_command("policies", "test", stdout=out)
    assert "✗ " + tests[0]["name"] in out.getvalue()
    assert "mh-growth-award v3" in out.getvalue()
