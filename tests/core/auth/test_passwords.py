"""Password rules: 8+ characters from 3 of 4 classes, not common, not like the user; the change page."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanlian.core.account_services import user_password_change
from sanlian.core.models import AuditEvent
from sanlian.core.passwords import ComplexityValidator, character_classes
from sanlian.demo.accounts import DEMO_PASSWORD
from tests import factories


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abcdEF1!", 4), ("密码abcd1234", 3), ("ab cd", 2)],
)
def test_character_classes_count_lower_upper_digit_and_anything_else_as_symbol(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize("password", ["Sanlian-demo1", "Pj2026!!", "qwer#7890", "ABCD-efgh"])
def test_passwords_with_eight_characters_from_three_classes_pass(password, db):
    validate_password(password, factories.UserFactory.build(username="zhoumin", email="zm@example.cn"))


@pytest.mark.parametrize(
    ("password", "code"),
    [("Ab1!xyz", "password_too_short"), ("sanlian-demo", "password_too_simple"), ("abcdefgh1", "password_too_simple")],
)
def test_our_validator_names_the_rule_that_failed(password, code):
    with pytest.raises(ValidationError) as exc:
        ComplexityValidator().validate(password)
    assert code in [e.code for e in exc.value.error_list]


def test_the_old_demo_password_fails_and_the_new_one_passes(db):
    with pytest.raises(ValidationError):
        validate_password("sanlian-demo")
    validate_password(DEMO_PASSWORD)


def test_common_and_similar_passwords_are_refused_even_when_complex_enough(db):
    user = factories.UserFactory.build(username="zhoumin2026", email="zhoumin@example.cn")
    with pytest.raises(ValidationError) as common:
        validate_password("Password1", user)  # in Django's list of common passwords
    assert [e.code for e in common.value.error_list] == ["password_too_common"]
    with pytest.raises(ValidationError) as similar:
        validate_password("Zhoumin2026", user)
    assert [e.code for e in similar.value.error_list] == ["password_too_similar"]


def test_the_rules_are_explained_in_english_too(db, settings):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        ComplexityValidator().validate("abc")
    text = " ".join(exc.value.messages)
    assert "at least 8 characters" in text and "at least 3 of" in text


def test_setting_a_password_stamps_when_it_changed(db):
    user = factories.UserFactory(password_changed_at=None)
    user.set_password("Other-pass1")
    assert user.password_changed_at is not None
    user.save()
    user.refresh_from_db()
    assert abs((timezone.now() - user.password_changed_at).total_seconds()) < 60


def test_the_service_refuses_a_weak_password_naming_the_field_and_saves_nothing(db):
    user = factories.UserFactory()
    before = user.password
    with pytest.raises(ValidationError) as exc:
        user_password_change(user=user, password="short")
    assert list(exc.value.message_dict) == ["password"]
    user.refresh_from_db()
    assert user.password == before
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


def test_every_user_changes_their_password_on_the_page_and_it_is_audited_without_the_password(client, db):
    # Given an enterprise user, signed in
    user = factories.UserFactory(username="ent_user")
    client.force_login(user)

    # When they change their password on the page linked from the header
    assert 'href="/account/password/"' in client.get("/inbox/").content.decode()
    response = client.post(
        "/account/password/",
        {"old_password": "pw-123456", "new_password1": "Neues-Pass9", "new_password2": "Neues-Pass9"},
    )

    # Then it is changed, the session stays signed in and the change is audited, without the password
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neues-Pass9")
    assert client.get("/inbox/").status_code == 200
    event = AuditEvent.objects.get(action="user.password_change", target_id=str(user.pk))
    assert "Neues-Pass9" not in str(event.changes) + event.note
    assert list(event.changes) == ["password_changed_at"]


def test_a_weak_new_password_is_refused_on_the_page_with_the_rule(client, db):
    user = factories.UserFactory(username="ent_user")
    client.force_login(user)
    response = client.post(
        "/account/password/", {"old_password": "pw-123456", "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert response.status_code == 200
    assert "四类中的至少 3 类" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("pw-123456")


# ---------------------------------------------------------------- rotation


def test_an_officer_with_a_password_older_than_90_days_is_sent_to_change_it(client, rules_on, db):
    # Given a town officer whose second factor is done but whose password is 91 days old
    officer = factories.officer("pujiang", username="pj_old")
    officer.password_changed_at = timezone.now() - timezone.timedelta(days=91)
    officer.save()
    rules_on.SANLIAN_OTP_REQUIRED = False
    client.force_login(officer)

    # When he opens the cockpit, he is sent to the password page (which says why)
    response = client.get("/cockpit/")
    assert response.status_code == 302 and response.url.startswith("/account/password/?next=")
    page = client.get(response.url)
    assert page.status_code == 200 and "90 天" in page.content.decode()

    # And only logout, the language switch, static files and healthz pass meanwhile
    assert client.get("/healthz").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.get("/inbox/").url.startswith("/account/password/")
    assert client.get("/api/v1/me").status_code == 403

    # When he changes it, the cockpit opens again
    client.post(
        "/account/password/",
        {"old_password": "pw-123456", "new_password1": "Neues-Pass9", "new_password2": "Neues-Pass9"},
    )
    assert client.get("/cockpit/").status_code == 200


def test_a_password_of_89_days_still_works_and_enterprise_users_never_rotate(client, rules_on, db):
    rules_on.SANLIAN_OTP_REQUIRED = False
    officer = factories.officer("pujiang", username="pj_recent")
    officer.password_changed_at = timezone.now() - timezone.timedelta(days=89)
    officer.save()
    client.force_login(officer)
    assert client.get("/inbox/").status_code == 200

    ent = factories.UserFactory(username="ent_old", password_changed_at=None)
    ent.password_changed_at = timezone.now() - timezone.timedelta(days=900)
    ent.save()
    client.force_login(ent)
    assert client.get("/inbox/").status_code == 200


def test_a_superuser_without_a_recorded_change_must_change_the_password(client, rules_on, db):
    rules_on.SANLIAN_OTP_REQUIRED = False
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    admin.password_changed_at = None
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/").url.startswith("/account/password/")
