"""The export columns of the officers' talent lists (written and made inert by `sanlian.core.exports`).

Officers in scope see full names, but ID and phone numbers stay masked in the file as on screen: a
spreadsheet travels further than a screen, and an unmasked view must be a logged reveal.
"""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, field, fields, yes_no
from sanlian.core.masking import mask_id_number, mask_phone

from .models import Ambassador, Benefit, Certificate, Lead, Notice, Route, TalentApplication


def _talent_type(application) -> str:
    types = {t["code"]: t["name"] for t in application.round.types or []}
    return types.get(application.talent_type, application.talent_type)


def applications_columns() -> tuple[Column, ...]:
    """One row per application of the (already scoped and filtered) queryset."""
    statuses = dict(TalentApplication.Status.choices)
    genders = dict(TalentApplication.Gender.choices)
    routes = dict(Route.choices)
    return (
        Column(_("年度"), "round.year", "year"),
        Column(_("姓名"), "name"),
        Column(_("性别"), lambda a: genders.get(a.gender, "")),
        Column(_("身份证号"), lambda a: mask_id_number(a.id_number or "")),
        Column(_("手机号"), lambda a: mask_phone(a.phone or "")),
        Column(_("申报层次"), "level.name"),
        Column(_("人才类型"), _talent_type),
        Column(_("认定方式"), lambda a: routes.get(a.route, a.route)),
        Column(_("用人单位"), "employer.name"),
        Column(_("统一社会信用代码"), "employer.uscc"),
        Column(_("镇/街道"), "employer.town.name"),
        Column(_("状态"), lambda a: statuses.get(a.status, a.status)),
        Column(_("评审平均分"), "score", "number"),
        Column(_("提交时间"), "submitted_at", "datetime"),
    )


def certificates_columns() -> tuple[Column, ...]:
    return (
        field(Certificate, "number"),
        Column(_("姓名"), "application.name"),
        Column(_("年度"), "application.round.year", "year"),
        Column(_("人才层次"), "application.level.name"),
        Column(_("用人单位"), "application.employer.name"),
        field(Certificate, "issued_at"),
        Column(_("状态"), lambda c: _("已撤销") if c.revoked_at else _("有效")),
        *fields(Certificate, "revoked_at", "revoked_reason"),
    )


def benefits_columns() -> tuple[Column, ...]:
    return (
        Column(_("人才"), "application.name"),
        Column(_("人才层次"), "application.level.name"),
        Column(_("用人单位"), "application.employer.name"),
        *fields(Benefit, "kind", "status", "amount_requested", "amount_granted", "amount_paid", "paid_date"),
        *fields(Benefit, "requested_at", "decided_at", "note"),
    )


def ambassadors_columns() -> tuple[Column, ...]:
    return (
        *fields(Ambassador, "name", "organisation", "field", "overseas_region"),
        Column(_("聘任镇(街道)"), "town.name"),
        *fields(Ambassador, "letter_number", "appointed_date", "term_start_date", "term_end_date"),
    )


def leads_columns() -> tuple[Column, ...]:
    return (
        *fields(Lead, "name", "kind", "field"),
        Column(_("引才大使"), "ambassador.name"),
        *fields(Lead, "status", "landing"),
        Column(_("落地企业"), "enterprise.name"),
        *fields(Lead, "note", "created_at", "updated_at", "landed_at", "certified_at"),
    )


def leaderboard_columns() -> tuple[Column, ...]:
    return (
        Column(_("名次"), "rank", "int"),
        Column(_("引才大使"), "name"),
        Column(_("聘任镇(街道)"), "town.name"),
        Column(_("线索"), "leads_count", "int"),
        Column(_("已考察"), "visited", "int"),
        Column(_("已落地"), "landed", "int"),
        Column(_("已认定"), "certified", "int"),
    )


def key_enterprises_columns() -> tuple[Column, ...]:
    """The year's key-enterprise designations (certifications) with their talent terms."""
    return (
        Column(_("企业名称"), "enterprise.name"),
        Column(_("统一社会信用代码"), "enterprise.uscc"),
        Column(_("镇/街道"), "enterprise.town.name"),
        Column(_("生物医药"), lambda c: yes_no(c.enterprise.is_biomedical)),
        Column(_("认定依据"), "source_document"),
        Column(_("证书编号"), "number"),
        Column(_("生效日期"), "valid_from_date", "date"),
        Column(_("截止日期"), "valid_until_date", "date"),
        Column(_("申报名额"), lambda c: _terms(c, "quota"), "int"),
        Column(_("可自主认定本单位人才"), lambda c: yes_no(_terms(c, "can_certify_staff"))),
    )


def _terms(designation, name: str):
    terms = getattr(designation, "talent_terms", None)  # no terms: the reverse one-to-one raises AttributeError
    return getattr(terms, name, None) if terms is not None else None


def notices_columns() -> tuple[Column, ...]:
    return (Column(_("年度"), "round.year", "year"), *fields(Notice, "title", "start_date", "end_date", "published_at"))
