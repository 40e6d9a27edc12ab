"""Reads behind the one inbox: which topic a message belongs to and how each user wants that topic delivered.

Topics follow the page a message links to, so no module has to name its topic when it sends: every module's
messages land in the same inbox and obey the same preferences.
"""

from dataclasses import dataclass

from .models import NotificationPreference, Topic

# The first matching prefix wins.
TOPIC_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/enterprises/", Topic.REGISTRY),
    ("/cockpit/", Topic.REGISTRY),
    ("/policies/", Topic.POLICIES),
    ("/talent/", Topic.TALENT),
    ("/verify/", Topic.TALENT),
    ("/chain/", Topic.CHAIN),
    ("/desk/", Topic.DESK),
    ("/space/", Topic.SPACE),
    ("/orgs/", Topic.COMMUNITY),
    ("/events/", Topic.COMMUNITY),
    ("/news/", Topic.COMMUNITY),
)


def topic_of(url: str) -> str:
    return next((topic for prefix, topic in TOPIC_PREFIXES if (url or "").startswith(prefix)), Topic.OTHER)


@dataclass(frozen=True)
class Delivery:
    in_app: bool = True
    email: str = NotificationPreference.Email.IMMEDIATE
    sms: bool = True


DEFAULT = Delivery()


def deliveries(user_ids, topics) -> dict[tuple[int, str], Delivery]:
    """(user id, topic) → the user's choice, for the pairs that have one; the rest take DEFAULT."""
    rows = NotificationPreference.objects.filter(user_id__in=set(user_ids), topic__in=set(topics))
    return {(r.user_id, r.topic): Delivery(in_app=r.in_app, email=r.email, sms=r.sms) for r in rows}


def preference_table(user) -> list[dict]:
    """Every topic with the user's choice (or the default), in the order of Topic."""
    chosen = deliveries([user.pk], Topic.values)
    return [
        {"topic": topic, "label": label, "delivery": chosen.get((user.pk, topic), DEFAULT)}
        for topic, label in Topic.choices
    ]
