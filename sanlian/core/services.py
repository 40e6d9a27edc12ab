"""Cross-cutting writes: the audit trail, notifications and API tokens."""

import hashlib
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .models import ApiToken, AuditEvent, Notification, NotificationPreference, Topic
from .notifications import DEFAULT, deliveries, topic_of
from .sql import copy_rows


def jsonable(value):
    """A value as it is kept in the audit trail: JSON types stay, the rest become text."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def apply_changes(instance: models.Model, data: dict) -> dict:
    """Set the fields in `data` on `instance`; return {field: [old, new]} of the ones that changed."""
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = [jsonable(old), jsonable(new)]
            setattr(instance, field, new)
    return changes


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None,
    changes: dict | None = None,
    enterprise_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    target_type: str = "",
    target_id: str = "",
    username: str = "",
) -> AuditEvent:
    """One audit event. The actor defaults to the request's user, and the client address, method and path come
    from the request context (sanlian.core.audit), so callers pass neither. Without a target (a failed login
    for an unknown username, a denied request) `target_type`/`target_id` name what was asked for; `username`
    is the one written down when there is no actor (the username a failed login tried)."""
    fields = audit.request_fields(actor)
    if username and fields["actor"] is None:
        fields["actor_username"] = username
    if target is not None:
        target_type, target_id = target._meta.label_lower, str(target.pk)
        audit.mark_audited(target_type, target_id)
    return AuditEvent.objects.create(
        action=action,
        result=result,
        target_type=target_type,
        target_id=target_id,
        enterprise_id=enterprise_id,
        changes=changes or {},
        note=str(note),  # a lazy text is written down in the language active now
        created_at=now or timezone.now(),
        **fields,
    )


def audit_records(*, actor, entries, now: datetime | None = None, batch_size: int = 2000) -> int:
    """Many audit events in bulk (imports): `entries` are (action, target, changes, enterprise_id, note)
    with the same action names and {field: [old, new]} changes as `audit_record`. Returns the count.
    Actor, address, method and path are filled in as by `audit_record`, the same for every row.
    """
    now = now or timezone.now()
    fields = audit.request_fields(actor)
    actor = fields["actor"]
    head = (actor.pk if actor is not None else None, fields["actor_username"])
    tail = (fields.get("ip"), fields.get("method", ""), fields.get("path", ""), AuditEvent.Result.SUCCESS, now)
    audited = []

    def rows():
        for action, target, changes, enterprise_id, note in entries:
            label, pk = target._meta.label_lower, str(target.pk)
            audited.append((label, pk))
            yield (*head, action, label, pk, enterprise_id, changes or {}, note, *tail)

    count = copy_rows(AuditEvent, AUDIT_COLUMNS, rows(), batch_size=batch_size)
    audit.mark_audited_many(audited)
    return count


AUDIT_COLUMNS = (
    "actor_id", "actor_username", "action", "target_type", "target_id", "enterprise_id", "changes", "note",
    "ip", "method", "path", "result", "created_at",
)  # fmt: skip


def notification_renderings(title, body="") -> tuple[str, str, dict]:
    """(title, body) in the default language and {language: {"title", "body"}} for each other language whose
    rendering differs. `title` and `body` are a Text, a lazy translation or a plain string (data such as a
    reviewer's comment, the same in every language); each is rendered with that language active."""
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = {"title": str(title).strip()[:200], "body": str(body or "").strip()}
    default = rendered.pop(settings.LANGUAGE_CODE)
    others = {code: text for code, text in rendered.items() if text != default}
    return default["title"], default["body"], others


def notification_send(
    *,
    recipients,
    title,
    body="",
    url: str = "",
    channels: tuple[str, ...] = ("inbox", "email"),
    now: datetime | None = None,
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue email/SMS delivery after commit.

    `title` and `body` are rendered in every language now (see notification_renderings: pass
    notifications.Text or gettext_lazy, never an already translated string), so each reader sees the message,
    and gets its email and SMS, in their own language.
    The message's topic follows its link; a recipient who muted the topic's inbox badge gets it filed as read,
    and email and SMS go out as the recipient chose (at once, in the daily digest, or not at all).
    """
    from .jobs import enqueue
    from .tasks import deliver_notifications

    created_at = now or timezone.now()
    topic = topic_of(url)
    recipients = list(recipients)
    chosen = deliveries([user.pk for user in recipients], [topic])
    title, body, others = notification_renderings(title, body)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, title=title, body=body, translations=others, url=url, channels=list(channels),
                topic=topic, created_at=created_at,
                read_at=None if chosen.get((user.pk, topic), DEFAULT).in_app else created_at,
            )
            for user in recipients
        ]
    )  # fmt: skip
    ids = [n.pk for n in notifications]
    if ids and set(channels) - {"inbox"}:
        enqueue(deliver_notifications, notification_ids=ids)
    return notifications


def notification_mark_read(*, user, notification_id: int | None = None, now: datetime | None = None) -> int:
    """Mark one (or, with no id, every) unread message of the user as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=now or timezone.now())


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_days(days) -> int:
    """A token's lifetime in days: the default when not given; 1 to SANLIAN_API_TOKEN_MAX_DAYS, or a
    ValidationError naming `days`."""
    if days in (None, ""):
        return settings.SANLIAN_API_TOKEN_DAYS
    longest = settings.SANLIAN_API_TOKEN_MAX_DAYS
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= longest:
        raise ValidationError({"days": _("有效期须为 1–%(max)s 天") % {"max": longest}})
    return days


@transaction.atomic
def api_token_create(
    *, user, name: str, days: int | None = None, actor=None, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token valid for `days` (the default from settings when None); the plaintext key is returned
    once and never stored. The token carries only its owner's permissions."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("请填写令牌名称(1–100 个字)")})
    days = api_token_days(days)
    now = now or timezone.now()
    key = "sl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_hash_token(key), prefix=key[:8], created_at=now,
        expires_at=now + timedelta(days=days),
    )  # fmt: skip
    audit_record(
        actor=actor or user, action="api_token.create", target=token,
        changes={"name": [None, name], "expires_at": [None, jsonable(token.expires_at)]}, now=now,
    )  # fmt: skip
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke one of the user's own tokens (404 for anyone else's); revoking twice changes nothing."""
    now = now or timezone.now()
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=user, action="api_token.revoke", target=token, changes={"revoked_at": [None, jsonable(now)]}, now=now
        )
    return token


def api_token_authenticate(*, key: str, now: datetime | None = None):
    """The active user behind a bearer key that is neither revoked nor expired, or None."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(key or ""), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def notification_preferences_save(*, user, choices: dict[str, dict], now: datetime | None = None) -> int:
    """Save the user's delivery choice per topic ({topic: {"in_app", "email", "sms"}}); returns rows changed."""
    changed = 0
    for topic, choice in choices.items():
        if topic not in Topic.values or choice.get("email") not in NotificationPreference.Email.values:
            continue  # the form only offers valid values; anything else is not the user's choice
        wanted = {"in_app": bool(choice.get("in_app")), "email": choice["email"], "sms": bool(choice.get("sms"))}
        row, created = NotificationPreference.objects.get_or_create(user=user, topic=topic, defaults=wanted)
        if created or any(getattr(row, k) != v for k, v in wanted.items()):
            NotificationPreference.objects.filter(pk=row.pk).update(**wanted)
            changed += 1
    if changed:
        audit_record(actor=user, action="notification.preferences", target=user, changes=choices, now=now)
    return changed


DIGEST_LIMIT = 50  # lines in one digest; the rest wait in the inbox, which the email links to


def notification_digests_send(*, now: datetime) -> int:
    """Email each user who takes some topic as a daily digest the unread messages of those topics not yet
    emailed; returns how many digests went out. Safe to run twice: digested messages are marked emailed."""
    from django.conf import settings
    from django.core.mail import send_mail

    topics_by_user: dict[int, list[str]] = {}
    digest = NotificationPreference.Email.DIGEST
    for user_id, topic in NotificationPreference.objects.filter(email=digest).values_list("user_id", "topic"):
        topics_by_user.setdefault(user_id, []).append(topic)
    sent = 0
    for user_id, topics in topics_by_user.items():
        waiting = Notification.objects.select_related("recipient").filter(
            recipient_id=user_id, topic__in=topics, emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now
        )
        notes = [n for n in waiting.order_by("created_at", "id") if "email" in n.channels]
        user = notes[0].recipient if notes else None
        if user is None or not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            lines = [f"· {timezone.localtime(n.created_at):%m-%d %H:%M} {n.shown_title}" for n in notes[:DIGEST_LIMIT]]
            if len(notes) > DIGEST_LIMIT:
                lines.append(_("…… 另有 %(n)s 条") % {"n": len(notes) - DIGEST_LIMIT})
            subject = _("%(site)s · 每日消息摘要(%(n)s 条)") % {"site": settings.SANLIAN_SITE_NAME, "n": len(notes)}
        inbox = f"{settings.SANLIAN_BASE_URL}/inbox/"
        send_mail(subject, "\n".join(lines) + f"\n\n{inbox}", settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
        sent += 1
    return sent


def audit_purge(*, now: datetime | None = None) -> int:
    """Delete the audit events older than SANLIAN_AUDIT_RETENTION_DAYS (at least 180, see audit.check_settings)
    and record the purge itself with the count and the cut-off; safe to run twice. Returns the count."""
    audit.check_settings()
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SANLIAN_AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        deleted, _by_model = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
        if not deleted:  # a run that removed nothing leaves the trail as it was, so a retry changes nothing
            return 0
        audit_record(
            actor=None, action="audit.purge", target=None, target_type="core.auditevent",
            changes={"deleted": deleted, "before": jsonable(cutoff), "days": settings.SANLIAN_AUDIT_RETENTION_DAYS},
            now=now,
        )  # fmt: skip
    return deleted


def user_care_mode_set(*, user, enabled: bool, now: datetime | None = None) -> bool:
    """Keep 关怀版 (care mode) on the account, so that it follows the user to every device; True if it changed."""
    from django.contrib.auth import get_user_model

    enabled = bool(enabled)
    if user.care_mode == enabled:
        return False
    get_user_model().objects.filter(pk=user.pk).update(care_mode=enabled)
    user.care_mode = enabled
    audit_record(
        actor=user, action="account.care_mode", target=user, changes={"care_mode": [not enabled, enabled]}, now=now
    )
    return True
