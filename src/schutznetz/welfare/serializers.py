from __future__ import annotations

from typing import Any

from rest_framework import serializers

from schutznetz.kit.rest.fields import MAX_ID, DateField, DateTimeField, StrictCharField, StrictRegexField
from schutznetz.network.models import Urgency
from schutznetz.people.models import Sex
from schutznetz.welfare.models import Intake, IntakeSource


class IntakeChildInput(serializers.Serializer):
    given_name = StrictCharField(max_length=100)
    family_name = StrictCharField(max_length=100)
    birth_date = DateField()
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NONE)
    street = StrictCharField(max_length=200, allow_blank=True, default="")
    postal_code = StrictRegexField(r"^\d{5}$", allow_blank=True, default="")
    city = StrictCharField(max_length=100, allow_blank=True, default="")


class IntakeInput(serializers.Serializer):
    youth_office = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    source = serializers.ChoiceField(choices=IntakeSource.choices)  # type: ignore[assignment]
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    account = StrictCharField(max_length=4000, allow_blank=True)
    received_at = DateTimeField(required=False, allow_null=True, default=None)
    reporter_anonymous = serializers.BooleanField(default=False)
    reporter_name = StrictCharField(max_length=200, allow_blank=True, default="")
    reporter_contact = StrictCharField(max_length=200, allow_blank=True, default="")
    reporter_organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    child = IntakeChildInput(required=False, allow_null=True)
    join_case = serializers.UUIDField(required=False, allow_null=True)
    confirm_new = serializers.BooleanField(default=False)


class IntakeOutput(serializers.ModelSerializer):
    """An intake as the list shows it: the case by pseudonym, no identity."""

    case = serializers.UUIDField(source="case_id")
    pseudonym = StrictCharField(source="case.child.pseudonym")

    class Meta:
        model = Intake
        fields = [
            "id",
            "case",
            "pseudonym",
            "youth_office",
            "received_at",
            "source",
            "urgency",
            "reporter_organisation",
            "reporter_anonymous",
            "due_at",
            "first_contact_at",
        ]


class IntakeDetailOutput(IntakeOutput):
    """The report with what was said, the child and who reported (a read on the audit trail)."""

    reporter = serializers.SerializerMethodField()
    child = serializers.SerializerMethodField()

    class Meta(IntakeOutput.Meta):
        fields = [*IntakeOutput.Meta.fields, "account", "first_contact_note", "reporter", "child"]

    def get_reporter(self, intake: Intake) -> dict[str, str] | None:
        reporter = self.context["detail"].reporter
        return None if reporter is None else {"name": reporter.name, "contact": reporter.contact}

    def get_child(self, intake: Intake) -> dict[str, Any]:
        child = self.context["detail"].child
        return {
            "given_name": child.given_name,
            "family_name": child.family_name,
            "birth_date": child.birth_date.isoformat(),
        }


class FirstContactInput(serializers.Serializer):
    note = StrictCharField(max_length=300, allow_blank=True, default="")
