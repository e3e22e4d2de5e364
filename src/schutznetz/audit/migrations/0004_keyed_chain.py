"""The chain becomes keyed: each event names the audit key of its MAC (HMAC-SHA256). Events of the
first version keep their unkeyed SHA-256 and an empty key id; the first keyed event's MAC covers the
last of them, so they stay anchored. No row is rewritten."""

import importlib

from django.db import migrations, models

trigger = importlib.import_module("schutznetz.audit.migrations.0002_append_only_trigger")


def restore_sqlite_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    # SQLite rebuilds the table to add a column, and the table's trigger goes with the old one.
    if schema_editor.connection.vendor == "sqlite":
        for statement in trigger.SQLITE_DROP + trigger.SQLITE_CREATE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_refuse_action")]

    operations = [
        migrations.RenameField(model_name="auditevent", old_name="prev_hash", new_name="prev_mac"),
        migrations.RenameField(model_name="auditevent", old_name="hash", new_name="mac"),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(restore_sqlite_trigger, restore_sqlite_trigger),
    ]
