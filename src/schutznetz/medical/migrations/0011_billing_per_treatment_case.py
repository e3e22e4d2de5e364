"""EBM 01681 once per treatment case (child, practice, quarter), not per case: each report keeps the
child's blind index; where a practice billed the same child twice in a quarter through two cases,
the earliest report stays billed and the later ones are marked as not billed."""

from django.db import migrations, models
from django.db.models import Q


def key_and_unbill_duplicates(apps, schema_editor):
    Report = apps.get_model("medical", "YouthOfficeReport")
    seen = set()
    for report in Report.objects.select_related("case__child").order_by("reported_at", "pk"):
        report.billing_child_key = report.case.child.exact_key
        fields = ["billing_child_key"]
        if report.billing_code:
            treatment = (report.from_organisation_id, report.billing_child_key, report.billing_quarter)
            if treatment in seen:
                report.billing_code = ""
                fields.append("billing_code")
            seen.add(treatment)
        report.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("medical", "0010_history_consistency"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="youthofficereport",
            name="billing_child_key",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RemoveConstraint(model_name="youthofficereport", name="report_billed_once_per_quarter"),
        migrations.RunPython(key_and_unbill_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="youthofficereport",
            constraint=models.UniqueConstraint(
                condition=~Q(billing_code=""),
                fields=("from_organisation", "billing_child_key", "billing_quarter"),
                name="report_billed_once_per_child_quarter",
            ),
        ),
    ]
