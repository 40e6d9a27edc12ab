"""Schedules of periodic jobs in the platform's time zone.

Huey keeps its schedule in UTC (its default `utc=True`), while "every morning at 8" means 08:00 in the
platform's time zone (Asia/Shanghai): `local_crontab` reads the schedule in local time.
"""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY


def local_crontab(**schedule):
    """A crontab whose hours and days are those of the platform's time zone, whatever Huey's clock is."""
    matches = crontab(**schedule)

    def validate(moment: datetime.datetime) -> bool:
        if HUEY.utc:  # Huey passes naive UTC datetimes
            moment = timezone.localtime(moment.replace(tzinfo=datetime.UTC)).replace(tzinfo=None)
        return matches(moment)

    return validate
