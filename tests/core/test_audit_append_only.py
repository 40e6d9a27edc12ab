"""The audit trail is append-only in the database itself: raw SQL cannot change an event or delete a young one.

Runs on SQLite and on PostgreSQL (CI sets DATABASE_URL): the triggers of migration core 0006 differ per vendor.
"""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sanlian.core.models import AUDIT_RETENTION_FLOOR_DAYS, AuditEvent
from sanlian.core.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(pujiang_officer):
    return audit_record(actor=pujiang_officer, action="test.act", target=pujiang_officer, changes={"a": [1, 2]})


def _refused(sql: str, params) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "test.other"), ("note", "rewritten"), ("actor_username", "someone"), ("ip", "10.0.0.1"),
     ("result", "failed"), ("changes", "{}"), ("enterprise_id", 7), ("target_id", "9")],
)  # fmt: skip
def test_raw_sql_cannot_update_an_events_content(event, column, value):
    assert _refused(f"UPDATE core_auditevent SET {column} = %s WHERE id = %s", [value, event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="test.act", note="", changes={"a": [1, 2]}).exists()


def test_raw_sql_cannot_move_the_time_or_repoint_the_actor(event, xinzhuang_officer):
    earlier = timezone.now() - timedelta(days=400)
    assert _refused("UPDATE core_auditevent SET created_at = %s WHERE id = %s", [earlier, event.pk])
    assert _refused("UPDATE core_auditevent SET actor_id = %s WHERE id = %s", [xinzhuang_officer.pk, event.pk])


def test_deleting_the_account_only_clears_the_actor_link(event, pujiang_officer):
    pujiang_officer.delete()  # Django's SET_NULL: an UPDATE of actor_id alone, which the trigger allows
    assert AuditEvent.objects.filter(pk=event.pk, actor=None, actor_username="pj_officer").exists()


def test_raw_sql_cannot_delete_an_event_younger_than_the_floor(event, pujiang_officer):
    young = audit_record(actor=pujiang_officer, action="test.young", target=pujiang_officer,
                         now=timezone.now() - timedelta(days=AUDIT_RETENTION_FLOOR_DAYS - 1))  # fmt: skip
    assert _refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert _refused("DELETE FROM core_auditevent WHERE id = %s", [young.pk])
    assert _refused("DELETE FROM core_auditevent", [])
    assert AuditEvent.objects.filter(pk__in=[event.pk, young.pk]).count() == 2


def test_an_event_older_than_the_floor_can_be_deleted(pujiang_officer):
    old = audit_record(actor=pujiang_officer, action="test.old", target=pujiang_officer,
                       now=timezone.now() - timedelta(days=AUDIT_RETENTION_FLOOR_DAYS + 1))  # fmt: skip
    assert not _refused("DELETE FROM core_auditevent WHERE id = %s", [old.pk])
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_the_orm_bulk_paths_are_refused_too(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="bulk")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


def test_the_triggers_exist_after_all_migrations():
    """A later migration that rebuilds core_auditevent on SQLite would drop them: this fails then."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
            expected = {"core_auditevent_no_update", "core_auditevent_no_early_delete"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass AND NOT tgisinternal"
            )
            expected = {"core_auditevent_append_only"}
        assert {row[0] for row in cursor.fetchall()} == expected
