"""The export columns of the community's event and news lists (`sanlian.core.exports`)."""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, field, fields

from .models import Article, Event, IssuedDocument, Registration


def events_columns(*, manage: bool = False) -> tuple[Column, ...]:
    return (
        *fields(Event, "title", "kind", "starts_at", "ends_at", "venue"),
        Column(_("主办组织"), "organisation.name"),
        *fields(Event, "capacity"),
        *((Column(_("已占名额"), "seats_taken", "int"), field(Event, "status")) if manage else ()),
    )


def my_registrations_columns() -> tuple[Column, ...]:
    return (
        Column(_("活动名称"), "event.title"),
        Column(_("开始时间"), "event.starts_at", "datetime"),
        Column(_("地点"), "event.venue"),
        *fields(Registration, "status", "waitlist_position", "created_at", "checked_in_at"),
    )


def registrations_columns() -> tuple[Column, ...]:
    return (
        Column(_("参会人"), lambda r: str(r.user)),
        Column(_("企业名称"), "enterprise.name"),
        *fields(Registration, "created_at", "status", "waitlist_position", "checked_in_at"),
    )


def documents_columns() -> tuple[Column, ...]:
    return (
        *fields(IssuedDocument, "number", "kind"),
        Column(_("获颁对象"), lambda d: d.person_name or (d.enterprise.name if d.enterprise_id else "")),
        *fields(IssuedDocument, "issued_at", "revoked_at", "revoke_reason"),
    )


def articles_columns() -> tuple[Column, ...]:
    return (
        *fields(Article, "title", "kind"),
        Column(_("发布范围"), "region.name"),
        Column(_("作者"), lambda a: str(a.author)),
        *fields(Article, "status", "published_at", "updated_at", "summary"),
    )
