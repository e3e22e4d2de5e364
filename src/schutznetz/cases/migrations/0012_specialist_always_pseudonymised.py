"""The insoweit erfahrene Fachkraft is consulted with pseudonymised data only (§ 8a Abs. 4, § 8b,
§ 64 Abs. 2a SGB VIII; § 4 Abs. 2 KKG). A participation in that role or on that basis which was
invited with identity (the box left unticked) is made pseudonymised before the database is made to
refuse such rows."""

from django.db import migrations, models
from django.db.models import Q


def pseudonymise_specialists(apps, schema_editor):
    Participation = apps.get_model("cases", "Participation")
    Participation.objects.filter(Q(role="specialist") | Q(legal_basis="kkg_4_2"), pseudonymised=False).update(
        pseudonymised=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_case_list_open_first"),
    ]

    operations = [
        migrations.RunPython(pseudonymise_specialists, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.CheckConstraint(
                condition=Q(pseudonymised=True)
                | (~Q(role__in=["specialist"]) & ~Q(legal_basis__in=["kkg_4_2"])),
                name="participation_specialist_pseudonymised",
            ),
        ),
    ]
