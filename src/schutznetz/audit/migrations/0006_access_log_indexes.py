"""The access log is read by organisation and by person, newest first: their indexes pair the key
with the id (and the single-column index on case_id, covered by audit_case_id, goes)."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

_previous = import_module("schutznetz.audit.migrations.0005_sealed_after_commit")


def restore_sqlite_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        # SQLite rebuilt the table for the field changes above; its trigger went with the old one.
        for statement in _previous.SQLITE_DROP + _previous.SQLITE_CREATE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_sealed_after_commit"),
        ("network", "0007_agreement_consent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(model_name="auditevent", name="case_id", field=models.UUIDField(null=True)),
        migrations.AlterField(
            model_name="auditevent",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="network.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "-id"], name="audit_organisation"),
        ),
        migrations.AddIndex(
            model_name="auditevent", index=models.Index(fields=["actor", "-id"], name="audit_actor")
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
