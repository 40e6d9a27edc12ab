"""Scheduled jobs of the space service; each is safe to run twice (a reminder goes out once per period)."""

from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from sanlian.core.schedules import local_crontab


@db_periodic_task(local_crontab(hour="0", minute="40"), retries=2, retry_delay=300)
def expire_space_listings():
    """Every night at 00:40: remind landlords of listings expiring soon, expire the unconfirmed ones."""
    from .services.listings import listings_expire

    return listings_expire(now=timezone.now())
