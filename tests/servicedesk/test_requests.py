"""Service requests: SLA clocks on the working-day calendar, routing, the workflow, escalation and auto-close."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanlian.core.models import AuditEvent, Notification
from sanlian.servicedesk import selectors
from sanlian.servicedesk.models import Attachment, Category, RequestEvent, RoutingRule, ServiceRequest
from sanlian.servicedesk.services import requests as services
from tests import factories

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
Status = ServiceRequest.Status


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def data(**overrides):
    return {"category": "policy", "title": "申请研发补贴咨询", "body": "请问本年度研发投入补贴如何申报?", **overrides}


def submit(user, now, **overrides):
    attachments = overrides.pop("attachments", ())
    return services.request_submit(actor=user, data=data(**overrides), attachments=attachments, now=now)


@pytest.fixture
def frozen():
    """Freeze the clock so nothing reads a real 'now' behind the services' backs."""
    with time_machine.travel(at(2025, 9, 27, 11, 0), tick=False):
        yield


# -- SLA across the 2025 National Day holiday ---------------------------------------------------------------


def test_deadlines_skip_the_national_day_holiday_and_count_the_make_up_saturday(enterprise_admin, frozen):
    now = timezone.now()  # Saturday 2025-09-27 11:00: counts from the make-up Sunday 09-28
    request = submit(enterprise_admin, now)

    assert timezone.localtime(request.ack_due_at) == at(2025, 9, 29, 18, 0)
    # 09-29, 09-30, (10-01…10-08 holiday), 10-09, 10-10, 10-11 (make-up Saturday)
    assert timezone.localtime(request.resolve_due_at) == at(2025, 10, 11, 18, 0)


def test_a_request_just_before_the_holiday_is_due_after_it(enterprise_admin):
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        request = submit(enterprise_admin, timezone.now(), category="space")  # ack 1, resolve 10

    assert timezone.localtime(request.ack_due_at) == at(2025, 10, 9, 18, 0)
    # 10-09, 10-10, 10-11 (Sat, working), 10-13 … 10-17, 10-20, 10-21
    assert timezone.localtime(request.resolve_due_at) == at(2025, 10, 21, 18, 0)


def test_a_date_the_calendar_does_not_cover_falls_back_to_weekdays_and_says_so(enterprise_admin):
    with time_machine.travel(at(2031, 3, 3, 10, 0), tick=False):  # a Monday
        request = submit(enterprise_admin, timezone.now())

    assert timezone.localtime(request.ack_due_at) == at(2031, 3, 4, 18, 0)
    assert timezone.localtime(request.resolve_due_at) == at(2031, 3, 10, 18, 0)
    assert "周一至周五" in request.events.get(action="submit").note


def test_sla_state_shows_days_left_and_days_over(enterprise_admin, frozen):
    request = submit(enterprise_admin, timezone.now())

    state = selectors.sla_state(request, at(2025, 9, 29, 9, 0))
    assert state["ack"] == {**state["ack"], "overdue": False, "days": 0}
    assert state["resolve"]["days"] == 4  # 09-30, 10-09, 10-10, 10-11
    late = selectors.sla_state(request, at(2025, 10, 9, 10, 0))
    assert late["ack"]["overdue"] and late["ack"]["days"] == 2  # 09-30 and 10-09 begun since the deadline
    assert selectors.is_overdue(request, at(2025, 10, 9, 10, 0))


# -- routing --------------------------------------------------------------------------------------------------


def test_routing_picks_the_category_rule_then_the_towns_default(enterprise_admin, pujiang_officer, frozen):
    town = enterprise_admin.enterprise.town
    specialist = factories.officer("pujiang", username="pj_space")
    RoutingRule.objects.create(category=Category.objects.get(code="space"), town=town, officer=specialist)
    RoutingRule.objects.create(category=None, town=town, officer=pujiang_officer)
    now = timezone.now()

    assert submit(enterprise_admin, now, category="space").assigned_to == specialist
    assert submit(enterprise_admin, now, category="ip").assigned_to == pujiang_officer
    assert Notification.objects.filter(recipient=specialist).count() == 1


def test_without_a_rule_the_request_is_unassigned_and_the_towns_officers_hear_of_it(enterprise_admin, frozen):
    pj = factories.officer("pujiang", username="pj_a")
    xz = factories.officer("xinzhuang", username="xz_a")

    request = submit(enterprise_admin, timezone.now())

    assert request.assigned_to is None
    assert Notification.objects.filter(recipient=pj).exists() and not Notification.objects.filter(recipient=xz).exists()


# -- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("body", "", "必填"), ("body", "短", "至少 10"), ("body", "字" * 4001, "最多 4000"), ("title", "abc", "至少 4")],
)
def test_bad_text_is_refused_naming_the_field(enterprise_admin, frozen, field, value, message):
    with pytest.raises(ValidationError) as exc:
        submit(enterprise_admin, timezone.now(), **{field: value})

    assert message in " ".join(exc.value.message_dict[field])
    assert not ServiceRequest.objects.exists()


def test_an_attachment_refused_by_content_saves_nothing(enterprise_admin, frozen):
    fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")

    with pytest.raises(ValidationError) as exc:
        submit(enterprise_admin, timezone.now(), attachments=[pdf(), fake])

    assert "不支持的文件类型" in " ".join(exc.value.message_dict["attachments"])
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()


def test_more_than_five_attachments_are_refused(enterprise_admin, frozen):
    with pytest.raises(ValidationError) as exc:
        submit(enterprise_admin, timezone.now(), attachments=[pdf(f"{n}.pdf") for n in range(6)])
    assert "attachments" in exc.value.message_dict


def test_a_failing_notification_does_not_lose_the_request(enterprise_admin, pujiang_officer, frozen, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(services, "notification_send", broken)

    request = submit(enterprise_admin, timezone.now(), attachments=[pdf()])

    assert ServiceRequest.objects.filter(pk=request.pk).exists()
    assert request.attachments.count() == 1 and request.events.filter(action="submit").exists()
    assert AuditEvent.objects.filter(action="request.submit", target_id=str(request.pk)).exists()


# -- assignment ------------------------------------------------------------------------------------------------


def test_of_two_officers_assigning_at_once_the_second_is_told_who_won(enterprise_admin, frozen):
    first = factories.officer("pujiang", username="pj_first", display_name="王专员")
    second = factories.officer("pujiang", username="pj_second", display_name="李专员")
    request = submit(enterprise_admin, timezone.now())
    seen_by_both = request.assigned_to_id  # both pages showed "unassigned"

    services.request_assign(
        actor=first, request=request, officer=first, expected_assignee_id=seen_by_both, now=timezone.now()
    )
    with pytest.raises(services.RequestConflict) as exc:
        services.request_assign(
            actor=second, request=request, officer=second, expected_assignee_id=seen_by_both, now=timezone.now()
        )

    assert "已由 王专员 于 2025年9月27日 11:00 分派/接手" in exc.value.conflict_message
    request.refresh_from_db()
    assert request.assigned_to == first


def test_an_officer_of_another_town_cannot_be_assigned(enterprise_admin, pujiang_officer, xinzhuang_officer, frozen):
    request = submit(enterprise_admin, timezone.now())
    with pytest.raises(ValidationError) as exc:
        services.request_assign(
            actor=pujiang_officer, request=request, officer=xinzhuang_officer, expected_assignee_id=None,
            now=timezone.now(),
        )  # fmt: skip
    assert "assigned_to" in exc.value.message_dict


# -- workflow --------------------------------------------------------------------------------------------------


def move(actor, request, action, **kwargs):
    return services.request_transition(actor=actor, request=request, action=action, now=timezone.now(), **kwargs)


def resolved(enterprise_admin, officer):
    request = submit(enterprise_admin, timezone.now())
    move(officer, request, "acknowledge")
    return move(officer, request, "resolve", note="已电话答复并提供申报指南")


def test_only_the_enterprise_closes_by_confirming(enterprise_admin, pujiang_officer, frozen):
    request = resolved(enterprise_admin, pujiang_officer)

    with pytest.raises(PermissionDenied):
        move(pujiang_officer, request, "confirm")
    closed = move(enterprise_admin, request, "confirm", rating=5, comment="很及时")

    assert closed.status == Status.CLOSED and closed.rating == 5 and closed.assigned_to == pujiang_officer
    assert list(closed.events.values_list("action", flat=True)) == ["submit", "acknowledge", "resolve", "confirm"]
    assert Notification.objects.filter(recipient=pujiang_officer, title__contains="已办结").exists()
    with pytest.raises(ValidationError) as exc:
        move(enterprise_admin, closed, "rate", rating=4)
    assert "不能重复评价" in " ".join(exc.value.message_dict["rating"])


def test_resolve_needs_a_note_and_a_bad_rating_is_refused(enterprise_admin, pujiang_officer, frozen):
    request = submit(enterprise_admin, timezone.now())
    move(pujiang_officer, request, "acknowledge")
    with pytest.raises(ValidationError) as exc:
        move(pujiang_officer, request, "resolve")
    assert "note" in exc.value.message_dict
    move(pujiang_officer, request, "resolve", note="已答复")
    with pytest.raises(ValidationError) as exc:
        move(enterprise_admin, request, "confirm", rating=9)
    assert "rating" in exc.value.message_dict


def test_confirm_then_rate_once(enterprise_admin, pujiang_officer, frozen):
    request = move(enterprise_admin, resolved(enterprise_admin, pujiang_officer), "confirm")
    rated = move(enterprise_admin, request, "rate", rating=3, comment="一般")
    assert rated.rating == 3 and rated.rating_comment == "一般"


def test_reopen_needs_a_note_counts_and_restarts_the_resolve_clock(enterprise_admin, pujiang_officer, frozen):
    request = resolved(enterprise_admin, pujiang_officer)
    with pytest.raises(ValidationError):
        move(enterprise_admin, request, "reopen")

    with time_machine.travel(at(2025, 10, 10, 9, 0), tick=False):
        reopened = move(enterprise_admin, request, "reopen", note="问题仍未解决")

    assert reopened.status == Status.ACKNOWLEDGED and reopened.reopened == 1 and reopened.resolved_at is None
    # five working days from Friday 10-10: 10-11 (Sat, make-up), 10-13, 10-14, 10-15, 10-16
    assert timezone.localtime(reopened.resolve_due_at) == at(2025, 10, 16, 18, 0)


def test_a_request_closed_over_30_days_ago_cannot_be_reopened(enterprise_admin, pujiang_officer, frozen):
    request = move(enterprise_admin, resolved(enterprise_admin, pujiang_officer), "confirm")
    with time_machine.travel(at(2025, 11, 10, 9, 0), tick=False), pytest.raises(ValidationError) as exc:
        move(enterprise_admin, request, "reopen", note="又出问题了")
    assert "30 天" in " ".join(exc.value.message_dict["status"])


def test_withdraw_and_no_reply_after_it(enterprise_admin, pujiang_officer, frozen):
    request = submit(enterprise_admin, timezone.now())
    services.request_reply(actor=pujiang_officer, request=request, body="请补充材料", now=timezone.now())
    move(enterprise_admin, request, "withdraw")
    with pytest.raises(ValidationError):
        services.request_reply(actor=enterprise_admin, request=request, body="补充", now=timezone.now())
    assert Notification.objects.filter(recipient=enterprise_admin, title__contains="新回复").exists()


def test_an_officer_of_another_town_cannot_act(enterprise_admin, xinzhuang_officer, frozen):
    request = submit(enterprise_admin, timezone.now())
    with pytest.raises(PermissionDenied):
        move(xinzhuang_officer, request, "acknowledge")


# -- escalation and auto-close ---------------------------------------------------------------------------------


def test_escalation_happens_once_and_reaches_the_district(enterprise_admin, pujiang_officer, district_officer, frozen):
    request = submit(enterprise_admin, timezone.now())  # ack due 2025-09-29 18:00

    assert services.requests_escalate(now=at(2025, 9, 29, 17, 0)) == 0
    assert services.requests_escalate(now=at(2025, 9, 29, 19, 0)) == 1
    assert services.requests_escalate(now=at(2025, 9, 30, 19, 0)) == 0

    request.refresh_from_db()
    assert request.escalated_at == at(2025, 9, 29, 19, 0)
    assert RequestEvent.objects.filter(request=request, action="escalate").count() == 1
    assert Notification.objects.filter(recipient=district_officer, title__startswith="督办").count() == 1


def test_resolved_requests_close_themselves_after_five_working_days(enterprise_admin, pujiang_officer, frozen):
    request = resolved(enterprise_admin, pujiang_officer)  # resolved Saturday 09-27 11:00
    # deadline: 5 working days after 09-28 (make-up Sunday) → 09-29, 09-30, 10-09, 10-10, 10-11 18:00

    assert services.requests_autoclose(now=at(2025, 10, 11, 17, 0)) == 0
    assert services.requests_autoclose(now=at(2025, 10, 11, 19, 0)) == 1
    assert services.requests_autoclose(now=at(2025, 10, 12, 19, 0)) == 0

    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert request.events.get(action="autoclose").note == "超时自动办结"


def test_the_tasks_run(enterprise_admin, frozen):
    from sanlian.servicedesk import tasks

    submit(enterprise_admin, timezone.now())
    with time_machine.travel(at(2025, 10, 9, 9, 0), tick=False):
        assert tasks.escalate_overdue_requests.call_local() == 1
        assert tasks.autoclose_resolved_requests.call_local() == 0


# -- selectors -------------------------------------------------------------------------------------------------


def test_visibility_and_desk_figures(enterprise_admin, pujiang_officer, xinzhuang_officer, frozen):
    other = factories.enterprise_user(factories.enterprise("pujiang"))
    mine = resolved(enterprise_admin, pujiang_officer)
    move(enterprise_admin, mine, "confirm", rating=4)
    submit(other, timezone.now())

    assert list(selectors.visible_requests(enterprise_admin)) == [mine]
    assert selectors.visible_requests(pujiang_officer).count() == 2
    assert not selectors.visible_requests(xinzhuang_officer).exists()

    figures = selectors.desk_figures(enterprise_admin.enterprise.town, year=2025, now=at(2025, 10, 9, 9, 0))
    assert figures["open"] == 1 and figures["overdue"] == 1
    assert figures["median_ack_days"] == 0 and figures["median_resolve_days"] == 0
    assert figures["mean_rating"] == 4 and figures["rated"] == 1
