"""One inbox for every module, delivered as each user chose per topic: inbox badge, email now or in a daily
digest, SMS."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from sanlian.core import services
from sanlian.core.models import Notification, NotificationPreference, Topic
from sanlian.core.notifications import topic_of
from sanlian.core.sms import LogGateway
from sanlian.core.tasks import send_daily_digests

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


def prefer(user, topic, **choice):
    NotificationPreference.objects.create(user=user, topic=topic, **choice)


def send(user, url, title="新的企业诉求", channels=("inbox", "email"), now=None):
    return services.notification_send(recipients=[user], title=title, url=url, channels=channels, now=now)[0]


@pytest.mark.parametrize(
    ("url", "topic"),
    [("/desk/requests/3/", Topic.DESK), ("/policies/calls/1/", Topic.POLICIES), ("/events/2/", Topic.COMMUNITY),
     ("/enterprises/9/", Topic.REGISTRY), ("/space/requests/1/", Topic.SPACE), ("", Topic.OTHER)],
)  # fmt: skip
def test_a_messages_topic_follows_its_link(url, topic):
    assert topic_of(url) == topic


def test_without_a_choice_messages_are_unread_and_emailed_at_once(pujiang_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = send(pujiang_officer, "/desk/requests/1/")

    note.refresh_from_db()
    assert note.read_at is None and note.topic == Topic.DESK
    assert [m.subject for m in mail.outbox] == ["新的企业诉求"]


def test_a_muted_inbox_files_the_message_as_read_and_email_off_sends_nothing(
    pujiang_officer, django_capture_on_commit_callbacks
):
    prefer(pujiang_officer, Topic.DESK, in_app=False, email="off", sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        note = send(pujiang_officer, "/desk/requests/1/")
        other = send(pujiang_officer, "/policies/calls/1/", title="申报提醒")

    assert Notification.objects.get(pk=note.pk).read_at is not None  # kept, but no badge
    assert Notification.objects.get(pk=other.pk).read_at is None  # other topics unaffected
    assert [m.subject for m in mail.outbox] == ["申报提醒"]


def test_sms_goes_out_only_when_the_sender_asks_and_the_user_allows(
    pujiang_officer, django_capture_on_commit_callbacks
):
    pujiang_officer.phone = "13900001111"
    pujiang_officer.save()
    LogGateway.sent.clear()
    prefer(pujiang_officer, Topic.TALENT, sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(pujiang_officer, "/talent/applications/1/", title="人才申报待审", channels=("inbox", "sms"))
        send(pujiang_officer, "/desk/requests/1/", title="督办", channels=("inbox", "sms"))

    assert LogGateway.sent == [("13900001111", "督办")]


def test_the_daily_digest_gathers_unread_messages_once(pujiang_officer, django_capture_on_commit_callbacks):
    prefer(pujiang_officer, Topic.DESK, email="digest")
    yesterday = NOW - timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(pujiang_officer, "/desk/requests/1/", title="诉求一", now=yesterday)
        send(pujiang_officer, "/desk/requests/2/", title="诉求二", now=yesterday)
        read = send(pujiang_officer, "/desk/requests/3/", title="已读诉求", now=yesterday)
        send(pujiang_officer, "/desk/requests/4/", title="站内信", channels=("inbox",), now=yesterday)
    services.notification_mark_read(user=pujiang_officer, notification_id=read.pk)
    assert mail.outbox == []  # nothing went out at once

    assert services.notification_digests_send(now=NOW) == 1
    (digest,) = mail.outbox
    assert "每日消息摘要(2 条)" in digest.subject
    assert "诉求一" in digest.body and "诉求二" in digest.body and "已读诉求" not in digest.body
    assert digest.body.rstrip().endswith("/inbox/")
    assert Notification.objects.get(pk=first.pk).emailed_at == NOW
    assert services.notification_digests_send(now=NOW) == 0  # safe to run twice
    assert send_daily_digests.call_local() == 0


def test_the_preferences_page_saves_each_topic_and_the_inbox_filters_by_topic(client, enterprise_admin):
    send(enterprise_admin, "/desk/requests/1/", title="诉求已办结")
    send(enterprise_admin, "/policies/mine/", title="新符合政策")
    client.force_login(enterprise_admin)

    page = client.get(reverse("inbox-preferences"))
    assert page.status_code == 200 and "社群、活动与新闻" in page.content.decode()
    form = {f"{t}-email": "immediate" for t in Topic.values} | {f"{t}-in_app": "on" for t in Topic.values}
    form |= {"desk-email": "digest", "desk-in_app": "", "policies-sms": "on"}
    assert client.post(reverse("inbox-preferences"), form).status_code == 302
    desk = NotificationPreference.objects.get(user=enterprise_admin, topic=Topic.DESK)
    assert (desk.in_app, desk.email, desk.sms) == (False, "digest", False)
    assert NotificationPreference.objects.get(user=enterprise_admin, topic=Topic.POLICIES).sms is True

    inbox = client.get(reverse("inbox"), {"topic": "desk"})
    titles = [n.title for n in inbox.context["page"]]
    assert titles == ["诉求已办结"]
