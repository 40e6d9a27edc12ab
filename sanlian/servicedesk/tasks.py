"""Scheduled jobs of the service desk; each is safe to run twice (escalation is once per request)."""

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from sanlian.core.schedules import local_crontab


@db_periodic_task(local_crontab(minute="10"), retries=2, retry_delay=300)
def escalate_overdue_requests():
    """Every hour at :10 — escalate unresolved requests past their deadlines to the district's officers."""
    from .services.requests import requests_escalate

    return requests_escalate(now=timezone.now())


@db_periodic_task(local_crontab(hour="1", minute="30"), retries=2, retry_delay=300)
def autoclose_resolved_requests():
    """Every night at 01:30 — close resolved requests not confirmed within 5 working days (超时自动办结)."""
    from .services.requests import requests_autoclose

    return requests_autoclose(now=timezone.now())
