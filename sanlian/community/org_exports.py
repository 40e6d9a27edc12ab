"""The member directory's export columns for an organisation's managers (`sanlian.core.exports`).

A person's mobile stays masked as on screen — a file travels further than a screen.
"""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, fields
from sanlian.core.masking import mask_phone

from .models import JoinApplication, Organisation


def members_columns() -> tuple[Column, ...]:
    return (
        Column(_("会员名称"), "display_name"),
        Column(_("会员类型"), "get_kind_display"),
        Column(_("会内职务"), "get_role_display"),
        Column(_("职务"), "person_title"),
        Column(_("工作单位"), lambda m: m.employer or (m.enterprise.name if m.enterprise_id else "")),
        Column(_("手机号"), lambda m: mask_phone(m.mobile or "")),
        Column(_("入会日期"), "joined_date", "date"),
    )


def organisations_columns() -> tuple[Column, ...]:
    return (
        *fields(Organisation, "name", "code", "kind"),
        Column(_("所在区域"), "region.name"),
        *fields(Organisation, "founded_date"),
        Column(_("会员数"), "member_count", "int"),
    )


def applications_columns() -> tuple[Column, ...]:
    """An organisation's joining applications; the applicant's mobile is not shown on the page, nor here."""
    return (
        Column(_("申请人"), lambda a: a.display_name),
        *fields(JoinApplication, "kind", "person_title", "employer", "statement", "status", "created_at"),
        Column(_("处理人"), lambda a: a.decided_by.display_name if a.decided_by_id else ""),
        *fields(JoinApplication, "decided_at", "comment"),
    )
