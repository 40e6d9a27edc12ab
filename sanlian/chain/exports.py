"""The export columns of the chain lists: postings, interests, match events and their participants."""

from django.utils.translation import gettext as _

from sanlian.core.exports import Column, field, fields

from .models import Interest, MatchEvent, Participant, Posting


def _nodes(posting) -> str:
    return " ".join(node.code for node in posting.nodes.all())


def postings_columns() -> tuple[Column, ...]:
    return (
        *fields(Posting, "title", "kind"),
        Column(_("产业链环节"), _nodes),
        field(Posting, "enterprise.name", _("发布企业")),
        Column(_("镇/街道"), "enterprise.town.name"),
        *fields(Posting, "status", "quantity", "budget", "deadline_date", "published_at", "expires_date"),
        field(Posting, "description"),
    )


def interests_columns() -> tuple[Column, ...]:
    return (
        Column(_("供需信息"), "posting.title"),
        Column(_("发布企业"), "posting.enterprise.name"),
        field(Interest, "enterprise.name", _("意向企业")),
        Column(_("镇/街道"), "enterprise.town.name"),
        *fields(Interest, "note", "status", "introduced_at", "meeting_date", "signed_date", "amount"),
        *fields(Interest, "outcome_note", "updated_at"),
    )


def events_columns() -> tuple[Column, ...]:
    return (
        *fields(MatchEvent, "title", "date", "venue"),
        Column(_("主办镇"), "town.name"),
        field(MatchEvent, "status"),
    )


def participants_columns() -> tuple[Column, ...]:
    return (
        Column(_("企业名称"), "enterprise.name"),
        Column(_("统一社会信用代码"), "enterprise.uscc"),
        Column(_("镇/街道"), "enterprise.town.name"),
        *fields(Participant, "representative", "registered_at"),
    )
