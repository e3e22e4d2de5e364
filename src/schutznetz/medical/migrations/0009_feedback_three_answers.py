"""§ 4 Abs. 4 KKG feedback as the law has it: three answers (confirmed; became active; still active),
a fixed phrase and a callback number instead of free text. The old "tätig geworden und noch tätig"
answer becomes both booleans; the old free text is kept as ``legacy_text`` for the Jugendamt's own
record and no longer shown to the reporting side."""

from django.db import migrations, models


def split_acting(apps, schema_editor):
    Feedback = apps.get_model("medical", "ReportFeedback")
    Feedback.objects.filter(acting=True).update(became_active=True, still_active=True)


NOTE_CHOICES = [
    ("", "kein Hinweis"),
    ("follows", "Eine weitere Rückmeldung folgt."),
    ("call_back", "Für Rückfragen erreichen Sie das Jugendamt unter der angegebenen Rufnummer."),
]


class Migration(migrations.Migration):
    dependencies = [
        ("medical", "0008_legal_basis_vital_interests"),
    ]

    operations = [
        migrations.RenameField(model_name="reportfeedback", old_name="text", new_name="legacy_text"),
        migrations.AlterField(
            model_name="reportfeedback",
            name="legacy_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="reportfeedback",
            name="became_active",
            field=models.BooleanField(
                default=False, verbose_name="Das Jugendamt ist zum Schutz des Kindes tätig geworden"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportfeedback",
            name="still_active",
            field=models.BooleanField(default=False, verbose_name="Das Jugendamt ist noch tätig"),
            preserve_default=False,
        ),
        migrations.RunPython(split_acting, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reportfeedback", name="acting"),
        migrations.AddField(
            model_name="reportfeedback",
            name="note",
            field=models.CharField(blank=True, choices=NOTE_CHOICES, max_length=10, verbose_name="Hinweis"),
        ),
        migrations.AddField(
            model_name="reportfeedback",
            name="callback_phone",
            field=models.CharField(blank=True, max_length=30, verbose_name="Rückrufnummer"),
        ),
    ]
