"""The event pages: public list and detail, registering, my QR, organiser pages and their scope."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from sanlian.community.models import Event, Registration
from sanlian.community.services import events as services
from tests import factories

from .event_helpers import NOW, STARTS, event_data, published_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(pujiang_officer):
    return published_event(
        pujiang_officer, capacity=1,
        sessions=[{"starts_at": STARTS, "title": "开幕式", "speaker": "镇领导", "room": "主会场"}],
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def test_anonymous_visitors_see_the_list_and_the_detail_with_agenda_and_seats(client, event):
    listing = client.get(reverse("events:list"))
    page = client.get(reverse("events:detail", args=[event.pk]))

    assert event.title in listing.content.decode()
    body = page.content.decode()
    assert "开幕式" in body and "剩余 1 / 共 1" in body and "登录后报名" in body


def test_drafts_are_hidden_from_everyone_but_their_organisers(client, pujiang_officer, xinzhuang_officer):
    draft = services.event_create(actor=pujiang_officer, data=event_data(title="草稿活动"), now=NOW)

    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404
    client.force_login(xinzhuang_officer)
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404
    client.force_login(pujiang_officer)
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 200


def test_registering_through_the_page_shows_my_qr_and_a_full_event_offers_the_waiting_list(
    client, event, enterprise_admin, xinzhuang_enterprise
):
    client.force_login(enterprise_admin)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "报名成功" in response.content.decode()
    registration = Registration.objects.get(user=enterprise_admin)

    mine = client.get(reverse("events:mine")).content.decode()
    qr = client.get(reverse("events:my-qr", args=[registration.pk]))

    assert reverse("events:my-qr", args=[registration.pk]) in mine
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert qr["Content-Security-Policy"] == "sandbox" and qr["X-Content-Type-Options"] == "nosniff"
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))
    assert "名额已满,加入候补" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_nobody_else_can_fetch_my_qr(client, event, enterprise_admin, xinzhuang_enterprise):
    registration = register(enterprise_admin, event)
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))

    assert client.get(reverse("events:my-qr", args=[registration.pk])).status_code == 404


def test_a_scanned_qr_opens_a_confirm_page_for_the_organiser_and_is_refused_for_strangers(
    client, event, pujiang_officer, enterprise_admin, xinzhuang_enterprise
):
    registration = register(enterprise_admin, event)
    url = reverse("events:scan", args=[registration.checkin_token])

    client.force_login(pujiang_officer)
    assert "确认签到" in client.get(url).content.decode()
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))
    refused = client.get(url, follow=True)
    assert "不能使用他人的签到码签到" in refused.content.decode()


def test_the_organiser_checks_in_at_the_door_page(client, event, pujiang_officer, enterprise_admin):
    registration = register(enterprise_admin, event)

    with mock.patch("django.utils.timezone.now", return_value=STARTS):
        client.force_login(pujiang_officer)  # sessions idle out: log in on the day itself
        response = client.post(
            reverse("events:check-in", args=[event.pk]), {"scanned": registration.checkin_token}, follow=True
        )

    assert "签到成功" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at == STARTS


def test_the_organiser_creates_an_event_with_its_agenda_through_the_form(client, pujiang_officer):
    client.force_login(pujiang_officer)
    form = {
        "title": "生物医药合规培训", "kind": "training", "venue": "浦江镇会议中心", "capacity": "50",
        "starts_at": "2026-06-25T14:00", "ends_at": "2026-06-25T17:00",
        "registration_opens_at": "2026-06-01T09:00", "registration_closes_at": "2026-06-24T18:00",
        "agenda": "14:00|药品注册申报要点|审评专家\n15:30|答疑", "description": "",
    }  # fmt: skip

    response = client.post(reverse("events:new"), form)

    event = Event.objects.get(title="生物医药合规培训")
    assert response.status_code == 302 and event.status == Event.Status.DRAFT
    assert [s.title for s in event.sessions.all()] == ["药品注册申报要点", "答疑"]


def test_a_bad_agenda_line_is_shown_on_its_field_and_nothing_is_saved(client, pujiang_officer):
    client.force_login(pujiang_officer)

    response = client.post(reverse("events:new"), {"title": "x", "agenda": "下午|开幕"})

    assert "第 1 行的时间应为 时:分" in response.content.decode()
    assert not Event.objects.exists()


def test_organiser_pages_answer_404_out_of_scope_and_403_to_enterprises(
    client, event, xinzhuang_officer, enterprise_admin
):
    pages = ["events:registrations", "events:check-in", "events:edit", "events:survey-results"]

    client.force_login(xinzhuang_officer)
    assert {client.get(reverse(name, args=[event.pk])).status_code for name in pages} == {404}
    client.force_login(enterprise_admin)
    assert client.get(reverse("events:manage")).status_code == 403


def test_a_secretary_of_another_organisation_cannot_manage_the_event(client, pujiang_officer):
    from sanlian.community.services.organisations import organisation_create

    town = pujiang_officer.region
    ours, theirs = factories.org_secretary(username="ours"), factories.org_secretary(username="theirs")
    alliance = organisation_create(
        actor=pujiang_officer, data={"code": "a", "name": "联盟", "kind": "alliance", "region": town},
        secretaries=[ours], now=NOW,
    )  # fmt: skip
    organisation_create(
        actor=pujiang_officer, data={"code": "b", "name": "商会", "kind": "chamber", "region": town},
        secretaries=[theirs], now=NOW,
    )  # fmt: skip
    event = published_event(ours, organisation=alliance)
    pending = register(factories.officer(), event)

    client.force_login(theirs)
    assert client.get(reverse("events:registrations", args=[event.pk])).status_code == 404
    assert (
        client.post(reverse("events:registration-decide", args=[pending.pk]), {"action": "cancel"}).status_code == 404
    )
    client.force_login(ours)
    assert client.get(reverse("events:registrations", args=[event.pk])).status_code == 200


def test_the_registrations_page_shows_the_attendance_figures_and_approves(client, pujiang_officer, enterprise_admin):
    event = published_event(pujiang_officer, requires_approval=True, registration_closes_at=STARTS - timedelta(hours=1))
    pending = register(enterprise_admin, event)
    client.force_login(pujiang_officer)

    page = client.get(reverse("events:registrations", args=[event.pk])).content.decode()
    client.post(reverse("events:registration-decide", args=[pending.pk]), {"action": "approve"})

    assert "待审核" in page and "已签到" in page
    assert "未到场" not in page  # before the start nobody is a no-show yet
    pending.refresh_from_db()
    assert pending.status == Registration.Status.APPROVED


def test_the_organiser_writes_the_survey_questions_on_the_results_page(client, event, pujiang_officer):
    client.force_login(pujiang_officer)
    url = reverse("events:survey-results", args=[event.pk])

    bad = client.post(url, {"questions": "打分|满意度"})
    client.post(url, {"questions": "评分|总体满意度\n单选|最有收获的环节|开幕式|圆桌对话\n文字|建议"})

    assert "第 1 行应以 评分、单选 或 文字 开头" in bad.content.decode()
    questions = list(event.survey_questions.values_list("kind", "text", "choices"))
    assert questions == [
        ("rating", "总体满意度", []),
        ("choice", "最有收获的环节", ["开幕式", "圆桌对话"]),
        ("text", "建议", []),
    ]


def test_a_finished_event_says_so_instead_of_the_registration_window(client, event, pujiang_officer):
    after = event.ends_at + timedelta(hours=1)
    services.event_transition(actor=pujiang_officer, event=event, action="finish", now=after)

    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()

    assert "活动已结束" in html and "当前不在报名时间内" not in html
