"""The export columns of the policy library, the 免申即享 grants and the calls (`sanlian.core.exports`)."""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, field, fields, yes_no

from .models import Call, Grant, PolicyVersion


def library_columns() -> tuple[Column, ...]:
    return (
        Column(_("政策编号"), "policy.code"),
        *fields(PolicyVersion, "title", "issuer", "doc_number", "effective_from_date", "effective_until_date"),
        Column(_("免申即享"), lambda v: yes_no(v.no_application)),
        Column(_("标签"), lambda v: "、".join(v.tags or [])),
        *fields(PolicyVersion, "benefit_text", "summary"),
    )


def grants_columns() -> tuple[Column, ...]:
    return (
        Column(_("企业名称"), "enterprise.name"),
        Column(_("统一社会信用代码"), "enterprise.uscc"),
        Column(_("政策"), "version.title"),
        Column(_("版本"), "version.number", "int"),
        *fields(Grant, "origin", "status", "amount", "note", "created_at", "decided_at", "decision_note"),
    )


def calls_columns() -> tuple[Column, ...]:
    return (
        *fields(Call, "code", "title", "kind", "issuer"),
        Column(_("发布区域"), "region.name"),
        *fields(Call, "open_date", "close_date", "status"),
        field(Call, "policy.code", _("政策编号")),
    )
