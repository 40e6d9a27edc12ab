"""Scheduled jobs of declarations; each is safe to run twice (schedules in local time: core.schedules)."""

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from sanlian.core.schedules import local_crontab


@db_periodic_task(local_crontab(hour="8", minute="0"), retries=2, retry_delay=300)
def remind_call_deadlines():
    """Every morning at 08:00: remind enterprises whose application is not submitted that a call closes soon."""
    from .services.calls import call_reminders_send

    return call_reminders_send(now=timezone.now())
