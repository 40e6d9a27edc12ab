"""The service desk's pages: submitting, the thread and actions, the officers' queue, scoped downloads."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanlian.servicedesk.models import Attachment, ServiceRequest
from sanlian.servicedesk.services import requests as services
from tests import factories
from tests.downloads import assert_safe_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

SH = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
FORM = {"category": "policy", "title": "研发补贴咨询", "body": "请问本年度研发投入补贴如何申报?"}


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2025, 9, 29, 10, 0, tzinfo=SH), tick=False):
        yield


def pdf(name="营业执照.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def submitted(user):
    return services.request_submit(actor=user, data=FORM, attachments=[pdf()], now=timezone.now())


def test_an_enterprise_submits_with_an_attachment_and_sees_its_deadlines(client, enterprise_admin):
    client.force_login(enterprise_admin)
    assert "提交诉求" in client.get("/desk/requests/").content.decode()

    response = client.post("/desk/requests/new/", {**FORM, "attachments": [pdf()]})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "研发补贴咨询" in page and "营业执照.pdf" in page
    assert "剩余 1 个工作日" in page  # acknowledge by 09-30 18:00
    assert "2025年10月13日 18:00" in page  # resolve: 09-30, 10-09, 10-10, 10-11 (make-up Saturday), 10-13
    assert ServiceRequest.objects.get().attachments.count() == 1


def test_an_empty_or_oversized_body_is_refused_naming_the_field(client, enterprise_admin):
    client.force_login(enterprise_admin)

    empty = client.post("/desk/requests/new/", {**FORM, "body": ""})
    long = client.post("/desk/requests/new/", {**FORM, "body": "字" * 4001})

    assert empty.status_code == 400 and long.status_code == 400
    assert 'role="alert"' in empty.content.decode() and "诉求内容:此项为必填项" in empty.content.decode()
    assert "诉求内容:最多 4000 个字" in long.content.decode()
    assert FORM["title"] in long.content.decode()  # input kept
    assert not ServiceRequest.objects.exists()


def test_a_file_refused_by_content_shows_an_error_and_saves_nothing(client, enterprise_admin):
    client.force_login(enterprise_admin)
    fake = SimpleUploadedFile("报告.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")

    response = client.post("/desk/requests/new/", {**FORM, "attachments": [fake]})

    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()


def test_another_enterprise_gets_404_on_the_request_and_its_attachment(client, enterprise_admin, xinzhuang_enterprise):
    request = submitted(enterprise_admin)
    attachment = request.attachments.get()
    client.force_login(factories.enterprise_user(xinzhuang_enterprise))

    assert client.get(f"/desk/requests/{request.pk}/").status_code == 404
    assert client.get(f"/desk/attachments/{attachment.pk}/").status_code == 404
    assert client.post(f"/desk/requests/{request.pk}/move/", {"action": "withdraw"}).status_code == 404
    assert client.post(f"/desk/requests/{request.pk}/reply/", {"body": "hi"}).status_code == 404
    assert request.title not in client.get("/desk/requests/").content.decode()


def test_the_attachment_downloads_as_an_attachment_with_nosniff(client, enterprise_admin, pujiang_officer):
    attachment = submitted(enterprise_admin).attachments.get()
    client.force_login(pujiang_officer)

    response = client.get(f"/desk/attachments/{attachment.pk}/")

    assert_safe_download(response)
    assert b"".join(response.streaming_content) == PDF


def test_an_officer_filters_the_queue_acknowledges_replies_and_resolves(client, enterprise_admin, pujiang_officer):
    request = submitted(enterprise_admin)
    client.force_login(pujiang_officer)

    assert request.title in client.get("/desk/requests/?status=submitted").content.decode()
    assert request.title not in client.get("/desk/requests/?status=closed").content.decode()
    assert request.title not in client.get("/desk/requests/?overdue=on").content.decode()
    assert request.title not in client.get("/desk/requests/?mine=on").content.decode()
    client.post(f"/desk/requests/{request.pk}/move/", {"action": "acknowledge"})
    assert request.title in client.get("/desk/requests/?mine=on").content.decode()
    client.post(f"/desk/requests/{request.pk}/reply/", {"body": "已收到,正在核实"})
    refused = client.post(f"/desk/requests/{request.pk}/move/", {"action": "resolve"}, follow=True)
    assert "请填写说明" in refused.content.decode()
    client.post(f"/desk/requests/{request.pk}/move/", {"action": "resolve", "note": "已答复"})

    request.refresh_from_db()
    assert request.status == "resolved" and request.assigned_to == pujiang_officer
    page = client.get(f"/desk/requests/{request.pk}/").content.decode()
    assert "已收到,正在核实" in page and "办结答复" in page


def test_the_second_of_two_assignments_is_told_who_won(client, enterprise_admin):
    first = factories.officer("pujiang", username="pj_first", display_name="王专员")
    second = factories.officer("pujiang", username="pj_second", display_name="李专员")
    request = submitted(enterprise_admin)
    form = {"action": "assign", "expected_assignee": ""}

    client.force_login(first)
    client.post(f"/desk/requests/{request.pk}/move/", {**form, "officer": first.pk})
    client.force_login(second)
    page = client.post(f"/desk/requests/{request.pk}/move/", {**form, "officer": second.pk}, follow=True)

    assert "已由 王专员 于 2025年9月29日 10:00 分派/接手" in page.content.decode()
    request.refresh_from_db()
    assert request.assigned_to == first


def test_the_enterprise_confirms_with_a_rating_and_an_officer_cannot(client, enterprise_admin, pujiang_officer):
    request = submitted(enterprise_admin)
    now = timezone.now()
    services.request_transition(actor=pujiang_officer, request=request, action="acknowledge", now=now)
    services.request_transition(actor=pujiang_officer, request=request, action="resolve", note="已处理", now=now)

    client.force_login(pujiang_officer)
    client.post(f"/desk/requests/{request.pk}/move/", {"action": "confirm"})
    request.refresh_from_db()
    assert request.status == "resolved"
    client.force_login(enterprise_admin)
    assert "确认办结" in client.get(f"/desk/requests/{request.pk}/").content.decode()
    client.post(f"/desk/requests/{request.pk}/move/", {"action": "confirm", "rating": "5", "comment": "满意"})

    request.refresh_from_db()
    assert request.status == "closed" and request.rating == 5


def test_the_answer_stays_on_top_until_the_enterprise_reopens(client, enterprise_admin, pujiang_officer):
    request = submitted(enterprise_admin)
    now = timezone.now()
    services.request_transition(actor=pujiang_officer, request=request, action="acknowledge", now=now)
    services.request_transition(
        actor=pujiang_officer, request=request, action="resolve", note="已协调供电公司排期施工", now=now
    )
    client.force_login(enterprise_admin)

    assert client.get(f"/desk/requests/{request.pk}/").context["answer"].note == "已协调供电公司排期施工"
    client.post(f"/desk/requests/{request.pk}/move/", {"action": "reopen", "note": "施工仍未排期"})
    assert client.get(f"/desk/requests/{request.pk}/").context["answer"] is None


def test_the_queue_is_paginated_without_more_queries_per_page(client, enterprise_admin, pujiang_officer):
    for i in range(55):
        data = {**FORM, "title": f"研发补贴咨询 {i:02d}"}
        services.request_submit(actor=enterprise_admin, data=data, now=timezone.now())
    client.force_login(pujiang_officer)

    with CaptureQueriesContext(connection) as first:
        page1 = client.get("/desk/requests/?category=policy")
    with CaptureQueriesContext(connection) as second:
        page2 = client.get("/desk/requests/?category=policy&page=2")

    assert len(page1.context["rows"]) == 50 and len(page2.context["rows"]) == 5
    assert "category=policy&amp;page=2" in page1.content.decode()
    assert len(second) == len(first)


def test_the_new_request_page_points_space_seekers_to_the_space_service(client, enterprise_admin):
    client.force_login(enterprise_admin)
    assert 'href="/space/requests/new/"' in client.get("/desk/requests/new/").content.decode()
