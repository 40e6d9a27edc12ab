"""Cross-cutting writes: the audit trail, notifications and API tokens."""

import hashlib
import secrets
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from .models import ApiToken, AuditEvent, Notification


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
    target: models.Model,
    changes: dict | None = None,
    enterprise_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        enterprise_id=enterprise_id,
        changes=changes or {},
        note=note,
        created_at=now or timezone.now(),
    )


def notification_send(
    *,
    recipients,
    title: str,
    body: str = "",
    url: str = "",
    channels: tuple[str, ...] = ("inbox", "email"),
    now: datetime | None = None,
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue email/SMS delivery after commit."""
    from .tasks import deliver_notifications

    created_at = now or timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, title=title, body=body, url=url, channels=list(channels), created_at=created_at
            )
            for user in recipients
        ]
    )
    ids = [n.pk for n in notifications]
    if ids and set(channels) - {"inbox"}:
        transaction.on_commit(lambda: deliver_notifications(notification_ids=ids))
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
def api_token_create(*, user, name: str, actor=None, now: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token; the plaintext key is returned once and never stored."""
    key = "sl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_hash_token(key), prefix=key[:8], created_at=now or timezone.now()
    )
    audit_record(actor=actor or user, action="api_token.create", target=token, changes={"name": [None, name]})
    return token, key


def api_token_authenticate(*, key: str, now: datetime | None = None):
    """The active user behind a bearer key, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(key or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now or timezone.now())
    return token.user
