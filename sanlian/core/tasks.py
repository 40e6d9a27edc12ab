"""Huey jobs of the core. Tasks take ids as keyword arguments and are safe to run twice."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Notification, NotificationPreference
from .notifications import DEFAULT, deliveries
from .schedules import local_crontab
from .sms import get_gateway

log = logging.getLogger("sanlian.notifications")


@db_task(retries=3, retry_delay=60)
def deliver_notifications(*, notification_ids: list[int]) -> int:
    """Send the email and SMS copies of inbox messages not sent yet, as each recipient chose; returns how many."""
    notes = list(Notification.objects.select_related("recipient").filter(pk__in=notification_ids))
    chosen = deliveries([n.recipient_id for n in notes], [n.topic for n in notes])
    sent = 0
    gateway = None
    for note in notes:
        user, delivery = note.recipient, chosen.get((note.recipient_id, note.topic), DEFAULT)
        wants_email = delivery.email == NotificationPreference.Email.IMMEDIATE
        title, body = note.in_language(user.language)  # the recipient's language, or the default
        if "email" in note.channels and wants_email and note.emailed_at is None and user.email:
            link = f"{settings.SANLIAN_BASE_URL}{note.url}" if note.url.startswith("/") else note.url
            send_mail(title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
            sent += 1
        if "sms" in note.channels and delivery.sms and note.sms_sent_at is None and user.phone:
            gateway = gateway or get_gateway()
            gateway.send(user.phone, title)
            Notification.objects.filter(pk=note.pk).update(sms_sent_at=timezone.now())
            sent += 1
    return sent


@db_periodic_task(local_crontab(hour="8", minute="5"), retries=2, retry_delay=300)
def send_daily_digests() -> int:
    """Every morning: one email per user with the unread messages of the topics they take as a digest."""
    from .services import notification_digests_send

    return notification_digests_send(now=timezone.now())


@db_periodic_task(local_crontab(hour="3", minute="17"), retries=2, retry_delay=300)
def purge_audit_events() -> int:
    """Every night: delete the audit events older than the retention (SANLIAN_AUDIT_RETENTION_DAYS)."""
    from .services import audit_purge

    return audit_purge(now=timezone.now())


@db_periodic_task(crontab(minute="*"), retries=2, retry_delay=60)
def flush_outbox() -> int:
    """Every minute: hand the follow-up jobs that could not be queued at commit (queue down) to the queue."""
    from .jobs import outbox_flush

    return outbox_flush()["handed_over"]
