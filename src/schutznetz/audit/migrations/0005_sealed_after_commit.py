"""Events are written with one INSERT and sealed into the chain afterwards: ``seq``, ``prev_mac``,
``key_id`` and ``mac`` stay empty until the sealer sets them, once. The append-only triggers let
exactly that update through and refuse every other."""

from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    -- Sealing: an unsealed event gets its position and MAC once; nothing else may change.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
       AND NEW.action = OLD.action AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
       AND NEW.purpose = OLD.purpose AND NEW.details = OLD.details THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' is not allowed';
END;
$$ LANGUAGE plpgsql;
"""
PG_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' is not allowed';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update;"]
SQLITE_CREATE = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
    "WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.id = OLD.id AND NEW.at = OLD.at "
    "AND NEW.actor_id IS OLD.actor_id AND NEW.organisation_id IS OLD.organisation_id "
    "AND NEW.action = OLD.action AND NEW.object_type = OLD.object_type "
    "AND NEW.object_id = OLD.object_id AND NEW.case_id IS OLD.case_id "
    "AND NEW.purpose = OLD.purpose AND NEW.details = OLD.details) "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE is not allowed'); END;",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
    elif schema_editor.connection.vendor == "sqlite":
        # The table was rebuilt by the field changes above, and its trigger went with the old one.
        for statement in SQLITE_DROP + SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_BEFORE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_keyed_chain")]

    operations = [
        migrations.RemoveIndex(model_name="auditevent", name="audit_case_seq"),
        migrations.AlterField(
            model_name="auditevent", name="seq", field=models.BigIntegerField(null=True, unique=True)
        ),
        migrations.AlterField(
            model_name="auditevent", name="prev_mac", field=models.CharField(blank=True, max_length=64)
        ),
        migrations.AlterField(
            model_name="auditevent", name="mac", field=models.CharField(blank=True, max_length=64)
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["case_id", "-id"], name="audit_case_id"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["id"], condition=models.Q(("seq__isnull", True)), name="audit_unsealed"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
