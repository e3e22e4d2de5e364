# "Meine Fälle" lists open cases first on PostgreSQL too (a descending index puts NULL first there),
# then the most recently closed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_case_join"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_list_order",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-closed_at", "-created_at"], name="case_list_order"),
        ),
    ]
