"""Journey of an event (活动): a person registers on the public event page, shows the personal QR code, the
organiser's check-in page takes what the QR encodes, and the attendance shows on both sides."""

import io
from datetime import timedelta

import pytest
import segno
from django.utils import timezone

from tests.browser.conftest import sign_in

TITLE = "浦江镇生物医药产业沙龙"


@pytest.fixture
def event(django_db_serialized_rollback, live_server):
    """A published event of 浦江镇 starting in an hour (so check-in is open), organised by the town officer."""
    from tests import factories
    from tests.community.event_helpers import published_event

    officer = factories.officer("pujiang", username="pj_events")
    factories.enterprise_user(factories.enterprise("pujiang", name="浦江活动生物科技有限公司"), username="ent_events")
    now = timezone.now()
    starts = now + timedelta(hours=1)
    return published_event(
        officer,
        title=TITLE,
        capacity=30,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        registration_opens_at=now - timedelta(days=7),
        registration_closes_at=starts - timedelta(minutes=10),
    )


def _figure(page, label: str) -> str:
    return page.locator("dl[aria-label=出席情况]").locator(f"dt:text-is('{label}') + dd").inner_text()


@pytest.mark.browser
def test_a_person_registers_and_the_organiser_checks_them_in_by_their_qr_code(pages, live_server, event):
    from sanlian.community.models import Registration

    person, organiser = pages.new(), pages.new()

    # Given an enterprise user who finds the event in the public list and registers
    sign_in(person, live_server, "ent_events")
    person.goto(f"{live_server.url}/events/")
    person.click(f"text={TITLE}")
    person.click("button:has-text('立即报名')")

    # Then 我的活动 shows the registration approved, with a personal QR code
    person.goto(f"{live_server.url}/events/mine/")
    card = person.locator("article.card", has_text=TITLE)
    assert "状态\n已报名" in card.inner_text()
    qr = card.locator("img[alt=签到二维码]")
    assert person.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())

    # And the QR code encodes the registration's check-in link
    token = Registration.objects.get(event=event).checkin_token
    link = f"{live_server.url}/events/checkin/{token}/"
    svg = person.request.get(live_server.url + qr.get_attribute("src")).body()
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="svg", scale=6, border=2)
    assert svg == expected.getvalue()

    # When the organiser opens the event's check-in page, where the scanner types that link, and checks in
    sign_in(organiser, live_server, "pj_events")
    organiser.goto(f"{live_server.url}/events/{event.pk}/")
    organiser.click("a:has-text('现场签到')")
    assert _figure(organiser, "已签到").startswith("0")
    organiser.fill("#id_scanned", link)
    organiser.click("main form button[type=submit]")

    # Then the attendance counts the person
    organiser.goto(f"{live_server.url}/events/{event.pk}/checkin/")
    assert _figure(organiser, "已签到").startswith("1")
    organiser.goto(f"{live_server.url}/events/{event.pk}/registrations/")
    assert "浦江活动生物科技有限公司" in organiser.locator("main").inner_text()

    # And the person's 我的活动 says when they checked in; the QR code is gone
    person.reload()
    card = person.locator("article.card", has_text=TITLE)
    assert "已于" in card.locator("dd").nth(2).inner_text() and "签到" in card.locator("dd").nth(2).inner_text()
    assert card.locator("img[alt=签到二维码]").count() == 0

    for page in (person, organiser):
        assert page.evaluate("window.__csp") == [] and page.problems == []
