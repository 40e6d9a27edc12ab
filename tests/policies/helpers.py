"""Policy test data, made through the real services."""

from datetime import date

from django.test import TestCase

from sanlian.enterprises import services as registry
from sanlian.enterprises.models import AnnualReport
from sanlian.policies import services
from sanlian.policies.models import Parameter
from tests import factories


def committed():
    """Run the on-commit follow-ups (re-evaluation, notifications) as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def approved_report(enterprise, year: int, officer, **overrides) -> AnnualReport:
    """A report filed by the enterprise and approved by the officer."""
    admin = enterprise.users.first() or factories.enterprise_user(enterprise)
    report = registry.annual_report_save(
        actor=admin, enterprise=enterprise, year=year, data=factories.report_data(**overrides)
    )
    registry.annual_report_transition(actor=admin, report=report, action="submit")
    with committed():
        return registry.annual_report_transition(actor=officer, report=report, action="approve")


def number_parameter(officer, name="rd_ratio_min", value=4, effective=date(2020, 1, 1), **fields) -> Parameter:
    parameter = services.parameter_create(
        actor=officer,
        data={"name": name, "label": "研发投入占比下限", "type": "number", "unit": "%",
              "source_clause": "示例政策第三条", **fields},
    )  # fmt: skip
    if value is not None:
        with committed():
            services.parameter_value_record(actor=officer, parameter=parameter, value=value, effective_date=effective)
    return parameter


RD_RULE = {
    "all": [
        {"fact": "town", "op": "==", "value": "pujiang"},
        {"fact": "rd_ratio", "op": ">=", "value": {"param": "rd_ratio_min"}},
    ]
}
RD_TESTS = [
    {"name": "研发占比达标", "facts": {"town": "pujiang", "rd_ratio": 5}, "expected": "eligible"},
    {"name": "研发占比不足", "facts": {"town": "pujiang", "rd_ratio": 3}, "expected": "not_eligible"},
    {"name": "缺少年报", "facts": {"town": "pujiang"}, "expected": "unknown"},
]


def version_data(**overrides) -> dict:
    data = {
        "title": "浦江镇研发投入奖励",
        "issuer": "浦江镇人民政府",
        "doc_number": "浦府〔2026〕示例1号",
        "summary": "对研发投入占比达标的企业给予奖励",
        "benefit": {"rate": 0.1, "of": "rd_spend_last_year", "cap": 500000},
        "effective_from_date": date(2024, 1, 1),
        "tags": ["研发"],
        "rule": RD_RULE,
        "tests": RD_TESTS,
    }
    data.update(overrides)
    return data


def published_policy(officer, code="pj-rd-award", **overrides):
    version = services.policy_create(actor=officer, code=code, region=officer.region, data=version_data(**overrides))
    with committed():
        return services.policy_publish(actor=officer, policy=version.policy)
