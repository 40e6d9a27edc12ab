"""Applicant facts that a round's criteria read, computed from an application on a date.

The criteria are rule trees in the policy engine's format (sanlian.engines.rules), so an officer
configures "under 35", "contract of at least 3 years" or "employer registered in the district" as data,
and an applicant is told criterion by criterion what fails before submitting.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from sanlian.engines.rules import Catalogue, FactSpec, FactTable

# Highest degree first; the codes are what rules compare against.
DEGREES = {"doctor": _("博士"), "master": _("硕士"), "bachelor": _("学士"), "other": _("其他")}
DEGREE_RANK = {code: rank for rank, code in enumerate(reversed(list(DEGREES)))}
# A contract without an end date is open-ended: longer than any rule asks for.
OPEN_ENDED_YEARS = 99.0


@dataclass(frozen=True)
class ApplicantFact:
    name: str
    type: str
    label: object
    unit: object = ""


FACTS = (
    ApplicantFact("age", "number", _("年龄(按基准日)"), _("岁")),
    ApplicantFact("degree", "text", _("最高学位")),
    ApplicantFact("talent_type", "text", _("人才类型")),
    ApplicantFact("position", "text", _("岗位")),
    ApplicantFact("titles", "set", _("已获人才称号")),
    ApplicantFact("is_founder", "bool", _("企业创始人")),
    ApplicantFact("contract_years", "number", _("劳动合同期限"), _("年")),
    ApplicantFact("contract_months_left", "number", _("劳动合同剩余期限"), _("个月")),
    ApplicantFact("social_insurance_months", "number", _("社保缴纳月数"), _("个月")),
    ApplicantFact("tax_record_months", "number", _("个税缴纳月数"), _("个月")),
    ApplicantFact("employer_in_district", "bool", _("用人单位在本区注册")),
    ApplicantFact("employer_key_enterprise", "bool", _("用人单位为本年度重点企业")),
    ApplicantFact("employer_biomedical", "bool", _("用人单位为生物医药企业")),
)
FACTS_BY_NAME = {f.name: f for f in FACTS}


def catalogue() -> Catalogue:
    facts = {f.name: FactSpec(f.name, f.type, str(f.unit), str(f.label), str(_("申报信息"))) for f in FACTS}
    return Catalogue(facts=facts, params={})


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day` (a birthday on `day` counts)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _months_between(start: date, end: date) -> int:
    """Whole months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def highest_degree(education: list) -> str | None:
    degrees = [row.get("degree") for row in education or [] if row.get("degree") in DEGREES]
    return max(degrees, key=DEGREE_RANK.__getitem__) if degrees else None


def applicant_facts(application, *, as_of: date, employer_in_district: bool, employer_key_enterprise: bool) -> dict:
    """The facts of one application on `as_of`; missing ones are left out (the engine says unknown)."""
    a = application
    facts = {
        "talent_type": a.talent_type or None,
        "position": a.position or None,
        "titles": list(a.titles or []),
        "is_founder": bool(a.is_founder),
        "degree": highest_degree(a.education),
        "employer_in_district": employer_in_district,
        "employer_key_enterprise": employer_key_enterprise,
        "employer_biomedical": bool(a.employer.is_biomedical) if a.employer_id else None,
        "social_insurance_months": a.social_insurance_months,
        "tax_record_months": a.tax_record_months,
    }
    if a.birth_date:
        facts["age"] = age_on(a.birth_date, a.round.age_reference_date)
    if a.contract_start_date:
        end = a.contract_end_date
        # The end date is the contract's last day: 2023-06-01 … 2026-05-31 is three years.
        facts["contract_years"] = (
            OPEN_ENDED_YEARS
            if end is None
            else round(_months_between(a.contract_start_date, end + timedelta(days=1)) / 12, 2)
        )
        facts["contract_months_left"] = 12 * OPEN_ENDED_YEARS if end is None else _months_between(as_of, end)
    return {key: value for key, value in facts.items() if value is not None}


def fact_table(records: list[dict]) -> FactTable:
    return FactTable.from_records(records, catalogue())
