"""Personal data encrypted at rest survives a key rotation: `sanlian rotate_keys` moves every value to the
first key, so that the old key can then be removed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from sanlian.core.keys import keys_rotate, looks_like_token
from sanlian.core.models import User
from sanlian.enterprises.models import Contact
from sanlian.enterprises.services import contact_save

pytestmark = pytest.mark.django_db

KEY_A = {"SECRET_KEY": "secret-a-" + "x" * 40, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": ["salt-a"]}
KEY_B_THEN_A = {"SECRET_KEY": "secret-a-" + "x" * 40, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": ["salt-b", "salt-a"]}
KEY_B = {"SECRET_KEY": "secret-a-" + "x" * 40, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": ["salt-b"]}


def raw(model, pk, column) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def rotate(*args) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def written_under_a(pujiang_enterprise, enterprise_admin):
    with override_settings(**KEY_A):
        contact = contact_save(
            actor=enterprise_admin, enterprise=pujiang_enterprise,
            data={"name": "王芳", "title": "总经理", "phone": "13812345678", "email": "wang@example.cn"},
        )  # fmt: skip
        user = User.objects.create(username="phone_owner", phone="13900001111")
    return contact, user


def test_values_written_under_key_a_read_back_under_key_b_after_rotation(written_under_a):
    contact, user = written_under_a
    before = raw(Contact, contact.pk, "phone")
    assert looks_like_token(before) and "13812345678" not in before

    with override_settings(**KEY_B):  # the old key alone is gone: without rotation the values are lost
        assert Contact.objects.get(pk=contact.pk).phone != "13812345678"

    with override_settings(**KEY_B_THEN_A):
        output = rotate()
        assert "enterprises.Contact" in output
        assert raw(Contact, contact.pk, "phone") != before

    with override_settings(**KEY_B):
        again = Contact.objects.get(pk=contact.pk)
        assert (again.phone, again.email) == ("13812345678", "wang@example.cn")
        assert User.objects.get(pk=user.pk).phone == "13900001111"


def test_a_second_run_writes_nothing_and_counts_per_model(written_under_a):
    with override_settings(**KEY_B_THEN_A):
        first = keys_rotate()
        assert first["enterprises.Contact"].rotated == 2
        assert first["core.User"].rotated >= 1
        second = keys_rotate()
    assert all(c.written == 0 for c in second.values())
    assert second["enterprises.Contact"].current == 2


def test_a_dry_run_counts_but_writes_nothing(written_under_a):
    contact, _user = written_under_a
    before = raw(Contact, contact.pk, "email")
    with override_settings(**KEY_B_THEN_A):
        output = rotate("--dry-run")
        assert keys_rotate(dry_run=True)["enterprises.Contact"].rotated == 2
    assert raw(Contact, contact.pk, "email") == before
    assert "enterprises.Contact" in output


def test_rotating_the_secret_key_through_the_fallbacks_works_too(written_under_a):
    contact, _user = written_under_a
    new_secret = {"SECRET_KEY": "secret-b-" + "y" * 40, "SALT_KEY": ["salt-a"]}
    with override_settings(**new_secret, SECRET_KEY_FALLBACKS=[KEY_A["SECRET_KEY"]]):
        rotate()
    with override_settings(**new_secret, SECRET_KEY_FALLBACKS=[]):
        assert Contact.objects.get(pk=contact.pk).phone == "13812345678"


def test_a_plaintext_left_in_an_encrypted_column_gets_encrypted(written_under_a):
    contact, _user = written_under_a
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Contact._meta.db_table} SET phone = %s WHERE id = %s", ["13700002222", contact.pk])  # noqa: S608
    with override_settings(**KEY_A):
        assert keys_rotate()["enterprises.Contact"].encrypted == 1
        assert looks_like_token(raw(Contact, contact.pk, "phone"))
        assert Contact.objects.get(pk=contact.pk).phone == "13700002222"


def test_values_under_a_key_no_longer_configured_are_left_alone_and_reported(written_under_a):
    contact, _user = written_under_a
    before = raw(Contact, contact.pk, "phone")
    with override_settings(**KEY_B), pytest.raises(CommandError, match="^3 "):
        rotate()
    assert raw(Contact, contact.pk, "phone") == before
