"""The export columns of the service-desk lists: requests, visits, providers and IP assets."""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, field, fields

from .models import IPAsset, Provider, ServiceRequest, Visit


def requests_columns(*, officer: bool) -> tuple[Column, ...]:
    """An enterprise sees its own requests: the enterprise and assignee columns are the officers' (as on screen)."""
    return (
        *fields(ServiceRequest, "title"),
        Column(_("类别"), "category.name"),
        *(
            (Column(_("企业名称"), "enterprise.name"), Column(_("承办人"), lambda r: str(r.assigned_to or _("未分派"))))
            if officer
            else ()
        ),
        *fields(ServiceRequest, "status", "submitted_at", "ack_due_at", "resolve_due_at", "acknowledged_at"),
        *fields(ServiceRequest, "resolved_at", "closed_at", "rating"),
    )


def visits_columns() -> tuple[Column, ...]:
    flags = dict(Visit.Flag.choices)
    return (
        field(Visit, "visited_date"),
        Column(_("企业名称"), "enterprise.name"),
        Column(_("镇/街道"), "enterprise.town.name"),
        Column(_("走访人员"), lambda v: str(v.officer or "")),
        Column(_("风险提示"), lambda v: "、".join(str(flags.get(f, f)) for f in v.flags or [])),
        *fields(Visit, "notes", "created_at"),
    )


def providers_columns() -> tuple[Column, ...]:
    return (
        *fields(Provider, "name", "kind"),
        Column(_("所在区域"), "region.name"),
        *fields(Provider, "qualifications", "switchboard", "email", "website", "status"),
        Column(_("服务项目"), lambda p: "、".join(s.name for s in getattr(p, "on_sale", []))),
        Column(_("平均评分"), "rating_avg", "number"),
        Column(_("评价数"), "rating_count", "int"),
    )


def ip_columns() -> tuple[Column, ...]:
    return (
        Column(_("企业名称"), "enterprise.name"),
        *fields(IPAsset, "kind", "number", "title", "status", "filing_date", "grant_date", "expiry_date"),
        *fields(IPAsset, "trademark_class", "co_owners"),
    )


def routing_columns() -> tuple[Column, ...]:
    return (
        Column(_("镇/街道"), "town.name"),
        Column(_("类别"), lambda rule: rule.category.name if rule.category_id else _("全部类别(默认)")),
        Column(_("承办人"), lambda rule: str(rule.officer)),
    )
