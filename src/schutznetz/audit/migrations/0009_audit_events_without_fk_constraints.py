# The audit trail without foreign-key constraints on its actor and organisation (see the model).

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


_TRIGGER = importlib.import_module("schutznetz.audit.migrations.0005_sealed_after_commit")


def _sqlite_trigger_again(apps, schema_editor):  # type: ignore[no-untyped-def]
    """On SQLite the field changes rebuild the table, and its append-only trigger goes with the old
    one: create it again (PostgreSQL keeps the table and its trigger)."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in _TRIGGER.SQLITE_DROP + _TRIGGER.SQLITE_CREATE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_access_alert_history_reads"),
        ("network", "0016_knowledge_stems_and_synonyms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _sqlite_trigger_again),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="network.organisation",
            ),
        ),
        migrations.RunPython(_sqlite_trigger_again, migrations.RunPython.noop),
    ]
