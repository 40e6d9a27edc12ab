"""Events made through the real services for the event tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sanlian.community.services import events as services

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=TZ)
STARTS = datetime(2026, 6, 20, 9, 0, tzinfo=TZ)


def event_data(**overrides) -> dict:
    return {
        "title": "浦江镇生物医药会员论坛", "kind": "forum", "venue": "浦江镇会议中心",
        "starts_at": STARTS, "ends_at": STARTS + timedelta(hours=4), "capacity": 2,
        "registration_opens_at": NOW - timedelta(days=1), "registration_closes_at": STARTS - timedelta(days=1),
        **overrides,
    }  # fmt: skip


def published_event(organiser, sessions=(), **overrides):
    event = services.event_create(actor=organiser, data=event_data(**overrides), sessions=sessions, now=NOW)
    return services.event_transition(actor=organiser, event=event, action="publish", now=NOW)


def register(user, event, now=NOW):
    return services.registration_create(actor=user, event=event, now=now)
