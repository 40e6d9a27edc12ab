"""Writes of supply–demand postings (供需对接): drafting, review, publication, expiry, renewal, closing.

A posting moves draft → pending (submitted) → published | rejected (→ pending again after an edit);
a published one expires on its expiry date (the daily job `postings_expire`) and can be renewed by its
owner when it has expired or is about to; owner or officer close it. Nothing here reads the clock except
through `now`. Every check raises ValidationError naming the field, before anything is written.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanlian.core.fields import to_yuan
from sanlian.core.i18n import Text
from sanlian.core.locks import lock_row
from sanlian.core.models import Role, User
from sanlian.core.permissions import has_perm, require
from sanlian.core.selectors import officers_covering
from sanlian.core.services import audit_record, jsonable, notification_send
from sanlian.enterprises.models import ChainNode
from sanlian.search.services import document_refresh

from ..models import Posting

__all__ = [
    "POSTING_DAYS",
    "RENEW_WINDOW_DAYS",
    "OFFER_KINDS",
    "REQUEST_KINDS",
    "EDITABLE",
    "SUBMITTABLE",
    "CLOSABLE",
    "posting_create",
    "posting_save",
    "posting_submit",
    "posting_review",
    "posting_renew",
    "posting_close",
    "postings_expire",
    "is_live",
    "can_renew",
]

S = Posting.Status
K = Posting.Kind

# How long a published posting without a deadline stays listed, and how long a renewal adds.
POSTING_DAYS = 90
# A published posting may be renewed this many days before it expires (and at any time after).
RENEW_WINDOW_DAYS = 14

TITLE_MIN, TITLE_MAX = 4, 100
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 4000
QUANTITY_MAX = 100
MAX_NODES = 5

# The side that supplies: for an offer the poster, for a request (and an R&D cooperation sought) the
# enterprise that answers it.
OFFER_KINDS = frozenset({K.BUSINESS_OFFER, K.TECH_OFFER})
REQUEST_KINDS = frozenset({K.BUSINESS_REQUEST, K.TECH_REQUEST, K.RD_COOPERATION})

EDITABLE = frozenset({S.DRAFT, S.REJECTED})
SUBMITTABLE = frozenset({S.DRAFT, S.REJECTED})
CLOSABLE = frozenset({S.DRAFT, S.PENDING, S.PUBLISHED, S.REJECTED, S.EXPIRED})
FIELDS = ("kind", "title", "description", "nodes", "quantity", "budget", "deadline_date")
REQUIRED = ("kind", "title", "description", "nodes")


# Validation ------------------------------------------------------------------------------------------


def plain_text(value) -> str:
    """Text as typed, trimmed; line ends unified and NUL characters (refused by PostgreSQL) dropped.

    Traditional characters, full-width punctuation and English stay exactly as they are.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError
    return value.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_text(value, *, empty: str, short: str, long: str, lo: int, hi: int) -> str:
    try:
        text = plain_text(value)
    except TypeError:
        raise ValueError(_("请输入文本")) from None
    if not text:
        raise ValueError(empty)
    if len(text) < lo:
        raise ValueError(short % {"n": lo, "count": len(text)})
    if len(text) > hi:
        raise ValueError(long % {"n": hi, "count": len(text)})
    return text


def _clean_kind(value) -> str:
    if value in (None, ""):
        raise ValueError(_("请选择信息类型"))
    if value not in K.values:
        raise ValueError(_("未知的信息类型:%(kind)s") % {"kind": value})
    return value


def _clean_nodes(value) -> list[ChainNode]:
    """Chain nodes from codes (or nodes): at least one, at most MAX_NODES; unknown codes are named."""
    if value is None or isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        if isinstance(value, str) and value.strip():
            value = [part for part in value.replace(",", ",").split(",")]
        else:
            raise ValueError(_("请至少选择一个产业链环节"))
    codes: list[str] = []
    for item in value:
        code = item.code if isinstance(item, ChainNode) else item
        if not isinstance(code, str):
            raise ValueError(_("产业链环节应为代码,如 U1、M5"))
        code = code.replace("\x00", "").strip().upper()
        if code and code not in codes:
            codes.append(code)
    if not codes:
        raise ValueError(_("请至少选择一个产业链环节"))
    nodes = {node.code: node for node in ChainNode.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in nodes]
    if missing:
        raise ValueError(_("未知的产业链环节:%(codes)s") % {"codes": "、".join(missing)})
    if len(codes) > MAX_NODES:
        raise ValueError(_("最多选择 %(n)s 个产业链环节") % {"n": MAX_NODES})
    return [nodes[code] for code in codes]


def clean_money(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return to_yuan(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None


def parse_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(_("请输入有效日期(YYYY-MM-DD)")) from None


def _clean_deadline(value, today: date) -> date | None:
    deadline = parse_date(value)
    if deadline is not None and deadline < today:
        raise ValueError(_("截止日期不能早于今天(%(today)s)") % {"today": today.isoformat()})
    return deadline


def _clean_quantity(value) -> str:
    try:
        text = plain_text(value)
    except TypeError:
        raise ValueError(_("请输入文本")) from None
    if len(text) > QUANTITY_MAX:
        raise ValueError(_("数量/规模不能超过 %(n)s 个字") % {"n": QUANTITY_MAX})
    return text


def clean_posting_data(data: dict, *, today: date, partial: bool) -> dict:
    """The posting's fields checked and normalised (nodes as ChainNode objects); every error at once.

    With `partial`, only the fields given are checked (an edit); otherwise the required ones must be there.
    """
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(FIELDS)
    for field in sorted(unknown):
        errors[field] = [_("未知字段")]
    cleaners = {
        "kind": _clean_kind,
        "title": lambda v: _clean_text(
            v,
            empty=_("请填写标题"),
            short=_("标题至少 %(n)s 个字"),
            long=_("标题不能超过 %(n)s 个字(当前 %(count)s 个字)"),
            lo=TITLE_MIN,
            hi=TITLE_MAX,
        ),
        "description": lambda v: _clean_text(
            v,
            empty=_("请填写描述"),
            short=_("描述至少 %(n)s 个字,请写明具体的产品、技术或需求"),
            long=_("描述不能超过 %(n)s 个字(当前 %(count)s 个字)"),
            lo=DESCRIPTION_MIN,
            hi=DESCRIPTION_MAX,
        ),
        "nodes": _clean_nodes,
        "quantity": _clean_quantity,
        "budget": clean_money,
        "deadline_date": lambda v: _clean_deadline(v, today),
    }
    cleaned = {}
    for field in FIELDS:
        if field not in data:
            if not partial and field in REQUIRED:
                try:
                    cleaners[field](None)
                except ValueError as exc:
                    errors[field] = [str(exc)]
            continue
        try:
            cleaned[field] = cleaners[field](data[field])
        except ValueError as exc:
            errors[field] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned


# Helpers shared with the interests' services ---------------------------------------------------------


def town_officers(town) -> list[User]:
    """Active town officers whose region covers the town: they review and broker its postings."""
    return officers_covering(town.path, Role.TOWN_OFFICER)


def enterprise_users(enterprise_id: int) -> list[User]:
    return list(User.objects.filter(enterprise_id=enterprise_id, is_active=True))


def notify(recipients, title, *, url: str, body: str = "", now: datetime) -> None:
    recipients = [user for user in recipients if user is not None]
    if recipients:
        notification_send(recipients=recipients, title=title, body=body, url=url, now=now)


def posting_url(posting: Posting) -> str:
    return reverse("chain:posting", kwargs={"pk": posting.pk})


def is_live(posting: Posting, today: date) -> bool:
    """Published and not past its expiry date (the daily job may not have run yet today)."""
    return posting.status == S.PUBLISHED and (posting.expires_date is None or posting.expires_date >= today)


def can_renew(posting: Posting, today: date) -> bool:
    if posting.status == S.EXPIRED:
        return True
    return (
        posting.status == S.PUBLISHED
        and posting.expires_date is not None
        and posting.expires_date <= today + timedelta(days=RENEW_WINDOW_DAYS)
    )


def _lock(posting: Posting) -> Posting:
    return lock_row(Posting, posting.pk, related=["enterprise", "enterprise__town"])


def _status_error(posting: Posting) -> ValidationError:
    return ValidationError(
        {"status": _("当前状态「%(status)s」不能执行该操作") % {"status": posting.get_status_display()}}
    )


def _node_codes(nodes) -> list[str]:
    return [node.code for node in nodes]


# Drafting --------------------------------------------------------------------------------------------


@transaction.atomic
def posting_create(*, actor, enterprise, data: dict, now: datetime | None = None) -> Posting:
    """A draft posting of the actor's own enterprise."""
    require(actor, "posting.edit", enterprise)
    now = now or timezone.now()
    cleaned = clean_posting_data(data, today=timezone.localdate(now), partial=False)
    nodes = cleaned.pop("nodes")
    posting = Posting.objects.create(
        enterprise=enterprise,
        status=S.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        updated_at=now,
        **cleaned,
    )
    posting.nodes.set(nodes)
    changes = {field: [None, jsonable(value)] for field, value in cleaned.items() if value not in (None, "")}
    changes["nodes"] = [None, _node_codes(nodes)]
    changes["status"] = [None, S.DRAFT]
    audit_record(
        actor=actor, action="posting.create", target=posting, enterprise_id=enterprise.pk, changes=changes, now=now
    )
    document_refresh(kind="posting", object_id=posting.pk)
    return posting


@transaction.atomic
def posting_save(*, actor, posting: Posting, data: dict, now: datetime | None = None) -> Posting:
    """Edit a draft (or rejected) posting; only the fields given change."""
    posting = _lock(posting)
    require(actor, "posting.edit", posting)
    if posting.status not in EDITABLE:
        raise ValidationError({"status": _("「%(status)s」的信息不能修改") % {"status": posting.get_status_display()}})
    now = now or timezone.now()
    cleaned = clean_posting_data(data, today=timezone.localdate(now), partial=True)
    changes = {}
    nodes = cleaned.pop("nodes", None)
    if nodes is not None:
        old = _node_codes(posting.nodes.order_by("sort", "code"))
        new = _node_codes(nodes)
        if sorted(old) != sorted(new):
            changes["nodes"] = [old, new]
            posting.nodes.set(nodes)
    for field, value in cleaned.items():
        old = getattr(posting, field)
        if old != value:
            changes[field] = [jsonable(old), jsonable(value)]
            setattr(posting, field, value)
    if not changes:
        return posting
    posting.updated_at = now
    posting.save()
    audit_record(
        actor=actor,
        action="posting.update",
        target=posting,
        enterprise_id=posting.enterprise_id,
        changes=changes,
        now=now,
    )
    document_refresh(kind="posting", object_id=posting.pk)
    return posting


def _check_complete(posting: Posting, today: date) -> None:
    """What a posting needs before review or publication: the same rules as when it was written."""
    data = {
        "kind": posting.kind,
        "title": posting.title,
        "description": posting.description,
        "nodes": _node_codes(posting.nodes.all()),
        "quantity": posting.quantity,
        "budget": posting.budget,
        "deadline_date": posting.deadline_date,
    }
    clean_posting_data(data, today=today, partial=False)


@transaction.atomic
def posting_submit(*, actor, posting: Posting, now: datetime | None = None) -> Posting:
    """Send a draft (or a rejected posting after its edit) to the town's officers for review."""
    posting = _lock(posting)
    require(actor, "posting.edit", posting)
    if posting.status not in SUBMITTABLE:
        raise _status_error(posting)
    now = now or timezone.now()
    _check_complete(posting, timezone.localdate(now))
    old = posting.status
    posting.status = S.PENDING
    posting.updated_at = now
    posting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="posting.submit",
        target=posting,
        enterprise_id=posting.enterprise_id,
        changes={"status": [old, S.PENDING]},
        now=now,
    )
    names = {"enterprise": posting.enterprise.name, "title": posting.title}
    notify(
        town_officers(posting.enterprise.town),
        Text(gettext_lazy("%(enterprise)s 提交了供需信息「%(title)s」,待审核"), names),
        url=posting_url(posting),
        now=now,
    )
    document_refresh(kind="posting", object_id=posting.pk)
    return posting


# Review ----------------------------------------------------------------------------------------------

REVIEW_ACTIONS = ("publish", "reject")


@transaction.atomic
def posting_review(*, actor, posting: Posting, action: str, comment: str = "", now: datetime | None = None) -> Posting:
    """An officer of the posting's town (or above) publishes or rejects a pending posting.

    Publishing lists it until its deadline, or for POSTING_DAYS when it has none; a rejection says why.
    """
    if action not in REVIEW_ACTIONS:
        raise ValidationError({"action": _("未知操作")})
    posting = _lock(posting)
    require(actor, "posting.review", posting)
    if posting.status != S.PENDING:
        raise _status_error(posting)
    comment = plain_text(comment) if isinstance(comment, str) else ""
    now = now or timezone.now()
    today = timezone.localdate(now)
    old = posting.status
    if action == "reject":
        if not comment:
            raise ValidationError({"comment": _("请填写不通过的原因")})
        posting.status = S.REJECTED
    else:
        _check_complete(posting, today)
        posting.status = S.PUBLISHED
        posting.published_at = now
        posting.expires_date = posting.deadline_date or today + timedelta(days=POSTING_DAYS)
    posting.review_comment = comment
    posting.reviewed_at = now
    posting.reviewed_by = actor if getattr(actor, "pk", None) else None
    posting.updated_at = now
    posting.save()
    changes = {"status": [old, posting.status]}
    if action == "publish":
        changes["expires_date"] = [None, posting.expires_date.isoformat()]
    audit_record(
        actor=actor,
        action=f"posting.{action}",
        target=posting,
        enterprise_id=posting.enterprise_id,
        changes=changes,
        note=comment,
        now=now,
    )
    names = {"title": posting.title, "date": posting.expires_date.isoformat() if posting.expires_date else ""}
    title = (
        Text(gettext_lazy("您的供需信息「%(title)s」已审核发布,有效期至 %(date)s"), names)
        if action == "publish"
        else Text(gettext_lazy("您的供需信息「%(title)s」未通过审核,请修改后重新提交"), names)
    )
    notify(enterprise_users(posting.enterprise_id), title, body=comment, url=posting_url(posting), now=now)
    document_refresh(kind="posting", object_id=posting.pk)
    return posting


# Expiry, renewal, closing ----------------------------------------------------------------------------


@transaction.atomic
def posting_renew(*, actor, posting: Posting, now: datetime | None = None) -> Posting:
    """The owner keeps an expired (or soon expiring) posting listed for another POSTING_DAYS.

    The days are added to the current expiry date (or to today, once it has passed); a posting never
    stays listed past its own deadline.
    """
    posting = _lock(posting)
    require(actor, "posting.edit", posting)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if posting.status not in (S.PUBLISHED, S.EXPIRED):
        raise _status_error(posting)
    if not can_renew(posting, today):
        raise ValidationError(
            {
                "status": _("有效期至 %(date)s,到期前 %(n)s 天内才能续期")
                % {"date": posting.expires_date.isoformat(), "n": RENEW_WINDOW_DAYS}
            }
        )
    start = max(today, posting.expires_date or today)
    if posting.status == S.EXPIRED:
        start = today
    expires = start + timedelta(days=POSTING_DAYS)
    if posting.deadline_date is not None:
        if posting.deadline_date <= start:
            raise ValidationError(
                {
                    "deadline_date": _("截止日期为 %(date)s,有效期不能延长到截止日期之后;如仍有需要,请发布新的信息")
                    % {"date": posting.deadline_date.isoformat()}
                }
            )
        expires = min(expires, posting.deadline_date)
    old_status, old_expires = posting.status, posting.expires_date
    posting.status = S.PUBLISHED
    posting.expires_date = expires
    posting.renewals += 1
    posting.updated_at = now
    posting.save(update_fields=["status", "expires_date", "renewals", "updated_at"])
    changes = {
        "expires_date": [jsonable(old_expires), expires.isoformat()],
        "renewals": [posting.renewals - 1, posting.renewals],
    }
    if old_status != posting.status:
        changes["status"] = [old_status, posting.status]
    audit_record(
        actor=actor,
        action="posting.renew",
        target=posting,
        enterprise_id=posting.enterprise_id,
        changes=changes,
        now=now,
    )
    document_refresh(kind="posting", object_id=posting.pk)
    return posting


@transaction.atomic
def posting_close(*, actor, posting: Posting, no_local_partner: bool = False, now: datetime | None = None) -> Posting:
    """The owner or an officer in scope takes a posting off the list.

    A request closed with `no_local_partner` found no partner in the town: it counts as unmet local demand
    in the chain-gap analysis.
    """
    posting = _lock(posting)
    if not (has_perm(actor, "posting.edit", posting) or has_perm(actor, "posting.review", posting)):
        require(actor, "posting.edit", posting)  # raises
    if posting.status not in CLOSABLE:
        raise _status_error(posting)
    no_local_partner = bool(no_local_partner)
    if no_local_partner and posting.kind not in REQUEST_KINDS:
        raise ValidationError({"no_local_partner": _("只有需求类信息才能标记“本地无合适伙伴”")})
    now = now or timezone.now()
    old = posting.status
    posting.status = S.CLOSED
    posting.no_local_partner = no_local_partner
    posting.updated_at = now
    posting.save(update_fields=["status", "no_local_partner", "updated_at"])
    changes = {"status": [old, S.CLOSED]}
    if no_local_partner:
        changes["no_local_partner"] = [False, True]
    audit_record(
        actor=actor,
        action="posting.close",
        target=posting,
        enterprise_id=posting.enterprise_id,
        changes=changes,
        now=now,
    )
    if getattr(actor, "enterprise_id", None) != posting.enterprise_id:
        notify(
            enterprise_users(posting.enterprise_id),
            Text(gettext_lazy("您的供需信息「%(title)s」已由工作人员关闭"), {"title": posting.title}),
            url=posting_url(posting),
            now=now,
        )
    document_refresh(kind="posting", object_id=posting.pk)
    return posting


@transaction.atomic
def postings_expire(*, now: datetime) -> int:
    """Published postings past their expiry date become expired; the owners are told they may renew.

    Safe to run twice (and by two consumers at once): rows are locked and only published ones move.
    """
    today = timezone.localdate(now)
    due = list(
        Posting.objects.select_for_update(skip_locked=True)
        .filter(status=S.PUBLISHED, expires_date__lt=today)
        .order_by("pk")
    )
    for posting in due:
        document_refresh(kind="posting", object_id=posting.pk)
        posting.status = S.EXPIRED
        posting.updated_at = now
        posting.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None,
            action="posting.expire",
            target=posting,
            enterprise_id=posting.enterprise_id,
            changes={"status": [S.PUBLISHED, S.EXPIRED]},
            now=now,
        )
        notify(
            enterprise_users(posting.enterprise_id),
            Text(gettext_lazy("您的供需信息「%(title)s」已过期,如仍有需要可以续期"), {"title": posting.title}),
            url=posting_url(posting),
            now=now,
        )
    return len(due)
