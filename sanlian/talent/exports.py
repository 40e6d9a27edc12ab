"""The export columns of the officers' talent lists (written and made inert by `sanlian.core.exports`).

Officers in scope see full names, but ID and phone numbers stay masked in the file as on screen: a
spreadsheet travels further than a screen, and an unmasked view must be a logged reveal.
"""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column
from sanlian.core.masking import mask_id_number, mask_phone

from .models import Route, TalentApplication


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
