"""A notification reads in its reader's language: the inbox and the API in the language of the page, emails and
SMS in the language the recipient last chose while signed in.

Senders hand over Text / gettext_lazy; notification_send renders each language once, at send time.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as lazy  # not a makemessages keyword: the msgids come from sanlian/

from sanlian.core import services
from sanlian.core.i18n import Text, choice_label
from sanlian.core.models import Notification, NotificationPreference, Topic, User
from sanlian.core.sms import LogGateway
from tests import factories
from tests.core.test_i18n import compiled_catalogue  # noqa: F401 (compiles the catalogue for these tests too)
from tests.dashboard.conftest import approved_report

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "pw-123456"  # tests/factories.py


@pytest.fixture(autouse=True)
def no_language_left_active():
    yield
    translation.deactivate()


def send(user, **kwargs):
    kwargs.setdefault("url", "/enterprises/1/")
    return services.notification_send(recipients=[user], **kwargs)[0]


def approval_title():
    return Text(lazy("您的%(year)s年度年报已审核通过"), {"year": 2024})


class TestRenderingAtSendTime:
    def test_a_lazy_message_is_kept_in_chinese_and_in_english(self, pujiang_officer):
        note = send(pujiang_officer, title=approval_title(), body=lazy("系统"))

        note.refresh_from_db()
        assert (note.title, note.body) == ("您的2024年度年报已审核通过", "系统")
        assert note.translations == {"en": {"title": "Your 2024 annual report has been approved", "body": "System"}}
        assert note.in_language("en") == ("Your 2024 annual report has been approved", "System")
        assert note.in_language("") == note.in_language("zh-hans") == ("您的2024年度年报已审核通过", "系统")

    def test_the_senders_language_does_not_decide_the_stored_texts(self, pujiang_officer):
        with translation.override("en"):
            note = send(pujiang_officer, title=approval_title())
        assert note.title == "您的2024年度年报已审核通过"
        assert note.translations["en"]["title"] == "Your 2024 annual report has been approved"

    def test_data_such_as_a_reviewers_comment_stays_as_written_in_every_language(self, pujiang_officer):
        note = send(pujiang_officer, title=approval_title(), body="营业收入与税务数据不一致")
        assert note.translations["en"]["body"] == "营业收入与税务数据不一致"
        plain = send(pujiang_officer, title="浦江镇生物医药知新会")
        assert plain.translations == {}  # nothing differs, nothing is stored twice

    def test_choice_labels_and_lists_in_a_message_follow_the_reader(self, pujiang_officer, pujiang_enterprise):
        # A choice label (as get_role_display would give it) and a list joined with the language's separator.
        member = factories.enterprise_user(pujiang_enterprise)
        title = Text(lazy("会内职务:%(role)s"), {"role": choice_label(member, "role")})
        body = Text(lazy("新符合政策:%(names)s"), {"names": ["甲政策", "乙政策"]})
        note = send(pujiang_officer, title=title, body=body)
        assert note.title.endswith(str(member.get_role_display())) and "甲政策、乙政策" in note.body
        with translation.override("en"):
            english_role = str(member.get_role_display())
        assert english_role in note.translations["en"]["title"] and english_role != note.title[-len(english_role) :]
        assert note.translations["en"]["body"].endswith("甲政策, 乙政策")

    def test_a_real_sender_the_annual_report_review_writes_both_languages(
        self, pujiang_officer, pujiang_enterprise, enterprise_admin
    ):
        approved_report(pujiang_enterprise, 2023, "150000000.00", officer=pujiang_officer)

        submitted = Notification.objects.get(recipient=pujiang_officer)
        approved = Notification.objects.get(recipient=enterprise_admin)
        assert approved.title == "您的2023年度年报已审核通过"
        assert approved.in_language("en")[0] == "Your 2023 annual report has been approved"
        assert "2023" in submitted.in_language("en")[0] and not _has_chinese(
            submitted.in_language("en")[0].replace(pujiang_enterprise.name, "")
        )


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class TestReadingInTheReadersLanguage:
    def test_the_inbox_shows_each_message_in_the_language_of_the_page(self, client, pujiang_officer):
        send(pujiang_officer, title=approval_title())
        client.force_login(pujiang_officer)

        assert "您的2024年度年报已审核通过" in client.get(reverse("inbox")).content.decode()
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = client.get(reverse("inbox")).content.decode()
        assert "Your 2024 annual report has been approved" in html and "年度年报" not in html

    def test_the_api_answers_in_the_language_the_client_chose(self, api_as, pujiang_officer):
        send(pujiang_officer, title=approval_title())
        api = api_as(pujiang_officer)

        assert api.get("/inbox").json()["items"][0]["title"] == "您的2024年度年报已审核通过"
        api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the site ignores Accept-Language
        assert api.get("/inbox").json()["items"][0]["title"] == "Your 2024 annual report has been approved"


class TestTheRecipientsLanguage:
    def test_choosing_english_while_signed_in_is_remembered_on_the_account(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert User.objects.get(pk=pujiang_officer.pk).language == "en"
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        assert User.objects.get(pk=pujiang_officer.pk).language == "zh-hans"

    def test_an_unknown_language_and_a_visitors_choice_store_nothing(self, client, pujiang_officer):
        client.force_login(pujiang_officer)
        client.post(reverse("set_language"), {"language": "fr", "next": "/"})
        assert User.objects.get(pk=pujiang_officer.pk).language == ""
        client.logout()
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302 and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    def test_emails_and_sms_go_out_in_each_recipients_language(
        self, pujiang_officer, xinzhuang_officer, django_capture_on_commit_callbacks
    ):
        User.objects.filter(pk=pujiang_officer.pk).update(language="en", phone="13800000001")
        User.objects.filter(pk=xinzhuang_officer.pk).update(phone="13800000002")  # never chose: the default
        LogGateway.sent.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.notification_send(
                recipients=User.objects.filter(pk__in=[pujiang_officer.pk, xinzhuang_officer.pk]).order_by("pk"),
                title=approval_title(),
                body=lazy("系统"),
                url="/enterprises/1/",
                channels=("inbox", "email", "sms"),
            )

        by_address = {m.to[0]: m for m in mail.outbox}
        assert by_address[pujiang_officer.email].subject == "Your 2024 annual report has been approved"
        assert by_address[pujiang_officer.email].body.startswith("System")
        assert by_address[xinzhuang_officer.email].subject == "您的2024年度年报已审核通过"
        assert sorted(text for _phone, text in LogGateway.sent) == [
            "Your 2024 annual report has been approved",
            "您的2024年度年报已审核通过",
        ]

    def test_the_daily_digest_is_written_in_the_recipients_language(self, pujiang_officer):
        User.objects.filter(pk=pujiang_officer.pk).update(language="en")
        NotificationPreference.objects.create(user=pujiang_officer, topic=Topic.REGISTRY, email="digest")
        send(pujiang_officer, title=approval_title(), now=NOW)

        assert services.notification_digests_send(now=NOW) == 1
        [digest] = mail.outbox
        assert "Your 2024 annual report has been approved" in digest.body
        assert not _has_chinese(digest.subject) and not _has_chinese(digest.body)
