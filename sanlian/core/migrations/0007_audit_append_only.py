"""The audit trail becomes append-only in the database itself, whatever client sends the SQL.

UPDATE may change nothing but `actor_id` to NULL (Django's SET_NULL when an account is deleted; the username
stays in `actor_username`). DELETE is refused for rows younger than 180 days, the legal floor
(core.models.AUDIT_RETENTION_FLOOR_DAYS); `sanlian audit_purge` deletes only rows older than the configured
retention, which is never lower. On SQLite the DELETE trigger also asks `sanlian_audit_guard()`, a function the
platform registers on its own connections (see sanlian.core.audit): other clients cannot delete young rows.

Note for later migrations: on SQLite, Django rebuilds a table to alter it, which drops its triggers. A migration
that alters core_auditevent must run these statements again (tests/core/test_audit_append_only.py checks).
"""

from django.db import migrations

CONTENT = (
    "id", "actor_username", "action", "result", "target_type", "target_id", "enterprise_id", "changes", "note",
    "ip", "method", "path", "created_at",
)  # fmt: skip
FLOOR_DAYS = 180

SQLITE_SAME = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in CONTENT)
SQLITE = [
    f"""CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    WHEN NOT ({SQLITE_SAME} AND (NEW.actor_id IS NULL OR NEW.actor_id IS OLD.actor_id))
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    f"""CREATE TRIGGER core_auditevent_no_early_delete BEFORE DELETE ON core_auditevent
    WHEN OLD.created_at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{FLOOR_DAYS} days') AND sanlian_audit_guard()
    BEGIN SELECT RAISE(ABORT, 'audit events younger than {FLOOR_DAYS} days cannot be deleted'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_early_delete",
]

PG_NEW = ", ".join(f'NEW."{c}"' for c in CONTENT)
PG_OLD = ", ".join(f'OLD."{c}"' for c in CONTENT)
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.created_at > now() - interval '{FLOOR_DAYS} days' THEN
            RAISE EXCEPTION 'audit events younger than {FLOOR_DAYS} days cannot be deleted (id %)', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF ({PG_NEW}) IS DISTINCT FROM ({PG_OLD})
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
        RAISE EXCEPTION 'audit events are append-only (id %)', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$""",
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
]

BACKFILL = """UPDATE core_auditevent SET actor_username = (
    SELECT username FROM core_user WHERE core_user.id = core_auditevent.actor_id
) WHERE actor_id IS NOT NULL"""


def _run(statements):
    def run(apps, schema_editor):
        by_vendor = statements.get(schema_editor.connection.vendor, [])
        for sql in by_vendor:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_context_fields")]

    operations = [
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
