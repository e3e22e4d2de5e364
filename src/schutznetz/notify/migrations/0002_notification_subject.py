from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="notification", old_name="case_id", new_name="subject_id"),
    ]
