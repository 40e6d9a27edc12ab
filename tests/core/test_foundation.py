from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from huey import RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

from sanlian.core import masking, services
from sanlian.core.fields import MoneyField, to_yuan
from sanlian.core.models import Notification
from sanlian.core.sms import LogGateway
from sanlian.core.tasks import deliver_notifications
from sanlian.core.validators import UsccCheck, check_uscc, uscc_from_serial, validate_id_number
from tests import factories


class TestMoney:
    @given(st.decimals(min_value=0, max_value=Decimal("99999999999999.99"), places=2))
    def test_money_round_trips_exactly_through_fen(self, amount):
        field = MoneyField()
        assert field.from_db_value(field.get_prep_value(amount), None, None) == amount

    @pytest.mark.parametrize("bad", ["-0.01", "abc", "1e400", 1.5, "NaN"])
    def test_negative_float_and_non_numeric_money_is_refused(self, bad):
        with pytest.raises(ValidationError):
            to_yuan(bad)


class TestIdentifiers:
    @given(st.integers(min_value=0, max_value=9_999_999))
    def test_generated_codes_always_pass_python_stdnum(self, serial):
        assert check_uscc(uscc_from_serial(serial)).checksum_ok

    def test_a_lowercase_code_with_spaces_is_normalised(self):
        code = uscc_from_serial(42)
        assert check_uscc(f" {code[:9].lower()} {code[9:]} ").code == code

    @given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV -a", min_size=16, max_size=20))
    def test_any_code_is_judged_exactly_as_python_stdnum_judges_it(self, code):
        # Given any code, well formed or not; when checked; then the outcome is stdnum's own verdict.
        try:
            expected = stdnum_uscc.validate(code)
        except InvalidChecksum:
            assert check_uscc(code) == UsccCheck(code=stdnum_uscc.compact(code), checksum_ok=False)
        except StdnumError:
            with pytest.raises(ValidationError):
                check_uscc(code)
        else:
            assert check_uscc(code) == UsccCheck(code=expected, checksum_ok=True)

    @given(st.integers(min_value=0, max_value=9_999_999), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    def test_a_wrong_check_character_is_reported_as_stdnum_reports_it(self, serial, last):
        code = uscc_from_serial(serial)[:17] + last
        assert check_uscc(code).checksum_ok == (stdnum_uscc.calc_check_digit(code) == last)

    def test_an_id_number_needs_a_real_birth_date_and_check_character(self):
        assert validate_id_number("11010519491231002X") == "11010519491231002X"
        with pytest.raises(ValidationError):
            validate_id_number("110105194913310021")


class TestMasking:
    def test_masks_keep_only_what_identifies_nothing(self):
        assert masking.mask_phone("13812345678") == "138****5678"
        assert masking.mask_id_number("11010519491231002X") == "110105********002X"
        assert masking.mask_email("wang@example.cn") == "w***@example.cn"
        assert masking.mask_name("王小明") == "王**"


@pytest.mark.django_db
class TestNotifications:
    def test_a_message_lands_in_the_inbox_then_goes_out_by_email_and_sms_once(
        self, pujiang_officer, django_capture_on_commit_callbacks, settings
    ):
        pujiang_officer.phone = "13900001111"
        pujiang_officer.save()
        LogGateway.sent.clear()
        with django_capture_on_commit_callbacks(execute=True):
            (note,) = services.notification_send(
                recipients=[pujiang_officer],
                title="测试通知",
                body="正文",
                url="/inbox/",
                channels=("inbox", "email", "sms"),
            )
        note.refresh_from_db()
        assert note.emailed_at and note.sms_sent_at and mail.outbox[0].subject == "测试通知"
        assert LogGateway.sent == [("13900001111", "测试通知")]
        assert mail.outbox[0].body.endswith(f"{settings.SANLIAN_BASE_URL}/inbox/")
        assert deliver_notifications.call_local(notification_ids=[note.pk]) == 0  # safe to run twice
        assert len(mail.outbox) == 1

    def test_an_inbox_only_message_sends_nothing(self, pujiang_officer, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.notification_send(recipients=[pujiang_officer], title="站内信", channels=("inbox",))
        assert callbacks == [] and mail.outbox == []

    def test_marking_read_touches_only_the_users_own_messages(self, pujiang_officer, xinzhuang_officer):
        (mine,) = services.notification_send(recipients=[pujiang_officer], title="a", channels=("inbox",))
        (theirs,) = services.notification_send(recipients=[xinzhuang_officer], title="b", channels=("inbox",))
        assert services.notification_mark_read(user=pujiang_officer, notification_id=theirs.pk) == 0
        assert services.notification_mark_read(user=pujiang_officer) == 1
        assert Notification.objects.get(pk=mine.pk).read_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_configured_huey_storage_carries_a_real_job(pujiang_officer):
    """Huey on SQLite by default, on Redis when REDIS_URL is set: enqueue, dequeue and run for real."""
    assert isinstance(HUEY, RedisHuey if settings.REDIS_URL else SqliteHuey)
    HUEY.immediate = False
    try:
        HUEY.flush()
        (note,) = services.notification_send(recipients=[pujiang_officer], title="队列测试")
        assert HUEY.pending_count() == 1 and Notification.objects.get(pk=note.pk).emailed_at is None
        HUEY.execute(HUEY.dequeue())
    finally:
        HUEY.immediate = True
    assert Notification.objects.get(pk=note.pk).emailed_at is not None


def test_redis_is_reachable_and_round_trips_a_job(redis_url):
    huey = RedisHuey("sanlian-test", url=redis_url)
    huey.flush()

    @huey.task()
    def add(a, b):
        return a + b

    result = add(2, 3)
    huey.execute(huey.dequeue())
    assert result.get() == 5
    huey.flush()


@pytest.mark.django_db
def test_api_tokens_are_stored_hashed_and_revocable(pujiang_officer):
    token, key = services.api_token_create(user=pujiang_officer, name="集成")
    assert key not in token.key_hash and services.api_token_authenticate(key=key) == pujiang_officer
    token.revoked_at = token.created_at
    token.save()
    assert services.api_token_authenticate(key=key) is None
    assert services.api_token_authenticate(key="sl_wrong") is None


@pytest.mark.django_db
def test_each_role_lands_where_its_work_is(client, pujiang_officer, enterprise_admin, pujiang_enterprise):
    client.force_login(pujiang_officer)
    assert client.get("/").url == "/cockpit/"
    client.force_login(enterprise_admin)
    assert client.get("/").url == f"/enterprises/{pujiang_enterprise.pk}/"
    client.force_login(factories.UserFactory(role="talent"))
    assert client.get("/").url == "/talent/"
    client.force_login(factories.UserFactory(role="ambassador"))
    assert client.get("/").url == "/talent/ambassadors/leads/"
    client.force_login(factories.UserFactory(role="org_secretary"))
    assert client.get("/").url == "/inbox/"


@pytest.mark.django_db
def test_the_care_mode_switch_enlarges_type_and_is_remembered(client, pujiang_officer):
    client.force_login(pujiang_officer)
    client.post("/care-mode/", {"next": "/inbox/"})
    assert 'class="care-mode"' in client.get("/inbox/").content.decode()
    client.post("/care-mode/", {"next": "/inbox/"})
    assert 'class="care-mode"' not in client.get("/inbox/").content.decode()


@pytest.mark.django_db
def test_pages_carry_a_strict_script_policy_and_landmarks(client):
    response = client.get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '<main id="main"' in html and 'href="#main"' in html and 'lang="zh-Hans"' in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_chooses(client):
    assert 'lang="zh-Hans"' in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert 'lang="en"' in client.get("/login/").content.decode()


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login_with_a_localised_page(client, settings, pujiang_officer):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": pujiang_officer.username, "password": "wrong"})
    response = client.post("/login/", {"username": pujiang_officer.username, "password": "pw-123456"})
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
