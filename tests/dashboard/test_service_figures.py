"""The cockpit's service panel (企业服务): the desk and the visits as of today, computed from their records."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sanlian.servicedesk.services import requests as desk
from sanlian.servicedesk.services.visits import visit_record
from tests import factories

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
COCKPIT = reverse("dashboard:cockpit")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def submit(user, now, title="咨询研发费用加计扣除"):
    data = {"category": "policy", "title": title, "body": "请说明今年研发费用加计扣除的申报口径和时间。"}
    return desk.request_submit(actor=user, data=data, now=now)


def tiles_by_label(response) -> dict[str, dict]:
    assert response.status_code == 200
    return {str(tile["label"]): tile for tile in response.context["service_tiles"]}


@pytest.fixture
def desk_history(enterprise_admin, pujiang_officer):
    """Two requests of 2026 (one handled in a working day, one waiting) and one of 2025 still unanswered."""
    submit(enterprise_admin, at(2025, 12, 29, 10, 0), title="去年的诉求尚未受理")
    handled = submit(enterprise_admin, at(2026, 3, 2, 9, 0))  # a Monday
    desk.request_transition(actor=pujiang_officer, request=handled, action="acknowledge", now=at(2026, 3, 2, 15, 0))
    desk.request_transition(
        actor=pujiang_officer, request=handled, action="resolve", note="已提供政策解读", now=at(2026, 3, 3, 11, 0)
    )
    desk.request_transition(actor=enterprise_admin, request=handled, action="confirm", rating=4, now=at(2026, 3, 4, 9))
    submit(enterprise_admin, at(2026, 3, 5, 9, 0), title="今年的第二件诉求")


def test_the_cockpit_shows_open_overdue_medians_satisfaction_and_visit_coverage(
    client, pujiang_officer, pujiang_enterprise, desk_history
):
    other = factories.enterprise("pujiang", name="浦江另一家生物科技有限公司")
    factories.enterprise("pujiang", name="浦江第三家生物科技有限公司")
    notes = "走访了解产能利用情况与用工需求。"
    visit_record(
        actor=pujiang_officer, enterprise=other, data={"visited_date": date(2026, 3, 3), "notes": notes},
        now=at(2026, 3, 3, 17, 0),
    )  # fmt: skip
    client.force_login(pujiang_officer)

    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        tiles = tiles_by_label(client.get(COCKPIT))

    assert tiles["未办结诉求"]["value"] == "2"  # last year's and this year's second, whenever submitted
    assert tiles["超期诉求"]["value"] == "2" and tiles["超期诉求"]["alert"]
    assert tiles["受理用时中位数"]["value"] == "0"  # acknowledged on the day it came in
    assert "2 件诉求" in tiles["受理用时中位数"]["note"]  # 2026's two; 2025's is not in this year's medians
    assert tiles["办结用时中位数"]["value"] == "1"
    assert tiles["满意度"]["value"] == "4.00" and "1 件已评价" in tiles["满意度"]["note"]
    coverage = tiles["2026年走访覆盖"]
    assert coverage["value"] == "33.3%" and "1 / 3" in coverage["note"]


def test_another_towns_requests_do_not_count(client, xinzhuang_officer, desk_history):
    client.force_login(xinzhuang_officer)

    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        tiles = tiles_by_label(client.get(COCKPIT))

    assert tiles["未办结诉求"]["value"] == "0" and not tiles["超期诉求"]["alert"]
    assert tiles["满意度"]["value"] == "—"


def test_the_navigation_offers_the_desk_to_both_sides_and_visits_to_officers_only(
    client, pujiang_officer, enterprise_admin
):
    client.force_login(enterprise_admin)
    html = client.get(reverse("servicedesk:requests")).content.decode()
    assert "企业诉求" in html and reverse("servicedesk:visits") not in html

    client.force_login(pujiang_officer)
    html = client.get(reverse("servicedesk:requests")).content.decode()
    assert reverse("servicedesk:requests") in html and reverse("servicedesk:visits") in html
