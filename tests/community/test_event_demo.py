"""The events demo: the 2024-05-20 talent week with its attendance and survey, three upcoming events."""

import pytest
from django.urls import reverse

from sanlian.community import event_selectors as selectors
from sanlian.community.models import Event, Registration
from sanlian.core.models import User
from sanlian.demo import community_events
from sanlian.demo.services import demo_load, demo_unload

pytestmark = pytest.mark.django_db
SCALE = 0.1


def test_the_demo_tells_the_talent_week_and_fills_the_forum_and_a_second_load_writes_nothing(client):
    first = demo_load(scale=SCALE)

    week = Event.objects.get(title=community_events.TALENT_WEEK)
    assert week.status == Event.Status.FINISHED and week.starts_at.date().isoformat() == "2024-05-20"
    assert [s.title[:2] for s in week.sessions.all()][:3] == ["开幕", "颁发", "颁发"]
    figures = selectors.attendance(week)
    assert figures["approved"] == community_events.GUESTS + 2
    assert figures["no_show"] == community_events.NO_SHOWS
    assert selectors.respondents(week) > 10
    forum = Event.objects.get(title=community_events.FORUM)
    forum_figures = selectors.attendance(forum)
    assert (forum_figures["approved"], forum_figures["pending"], forum_figures["waitlisted"]) == (11, 1, 3)
    ent_admin = User.objects.get(username="ent_admin")
    mine = forum.registrations.get(user=ent_admin)
    assert mine.status == Registration.Status.APPROVED
    assert Event.objects.filter(is_demo=True, status=Event.Status.PUBLISHED).count() == 3
    assert first.community["events"] == 4
    issued = week.documents.all()
    assert issued.filter(kind="quality_enterprise").count() == community_events.QUALITY_CERTIFICATES
    assert issued.filter(kind="quality_enterprise", enterprise=ent_admin.enterprise).exists()
    assert issued.filter(kind="ambassador").count() == 4
    assert not issued.filter(file="").exists()

    client.force_login(User.objects.get(username="org_secretary"))
    assert client.get(reverse("events:registrations", args=[forum.pk])).status_code == 200
    client.force_login(ent_admin)
    assert client.get(reverse("events:my-qr", args=[mine.pk])).status_code == 200

    before = (Event.objects.count(), Registration.objects.count())
    second = demo_load(scale=SCALE)
    assert (second.community["events"], second.community["event_registrations"]) == (0, 0)
    assert (Event.objects.count(), Registration.objects.count()) == before

    demo_unload()
    assert not Event.objects.exists()
    assert not User.objects.filter(username__startswith=community_events.GUEST_PREFIX).exists()
