"""Scheduled jobs of matchmaking events; each is safe to run twice.

Imported from the chain app's ready() so that Huey registers the schedule.
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"), retries=2, retry_delay=300)
def expire_meeting_requests() -> int:
    """Every 15 minutes: pending meeting requests past their reply deadline become expired."""
    from .services.events import meeting_requests_expire

    return meeting_requests_expire(now=timezone.now())
