"""Scheduled jobs of the industry chain; each is safe to run twice.

Schedules are read in the platform's time zone (Asia/Shanghai) through the policies' `local_crontab`.
"""

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from sanlian.core.schedules import local_crontab


@db_periodic_task(local_crontab(hour="0", minute="20"), retries=2, retry_delay=300)
def expire_postings():
    """Every night at 00:20: published postings past their expiry date become expired."""
    from .services.postings import postings_expire

    return postings_expire(now=timezone.now())
