from __future__ import annotations

from typing import Any

from rest_framework import serializers

from schutznetz.crisis.models import Crisis, CrisisRecipient, CrisisResponse, CrisisUrgency
from schutznetz.kit.rest.fields import MAX_ID, DateField, StrictCharField
from schutznetz.notify.models import Alert


class CrisisInput(serializers.Serializer):
    urgency = serializers.ChoiceField(choices=CrisisUrgency.choices)
    situation = StrictCharField(max_length=1000)
    location = StrictCharField(max_length=200)
    emergency_called = serializers.BooleanField(default=False)


class UnknownCrisisInput(CrisisInput):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    subject = StrictCharField(max_length=60)
    age = serializers.IntegerField(min_value=0, max_value=27, required=False, allow_null=True, default=None)


class CrisisJoinInput(serializers.Serializer):
    case = serializers.UUIDField()


class CrisisRespondInput(serializers.Serializer):
    response = serializers.ChoiceField(choices=CrisisResponse.choices)
    reason = StrictCharField(max_length=500, allow_blank=True, default="")


class CrisisAdmissionInput(serializers.Serializer):
    clinic = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    consent_by = StrictCharField(max_length=200)
    consent_on = DateField()


class CrisisCloseInput(serializers.Serializer):
    debrief = StrictCharField(max_length=4000)
    admission = CrisisAdmissionInput(required=False)


class CrisisAlertOutput(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["channel", "state", "attempts", "created_at", "accepted_at", "next_attempt_at"]


class CrisisRecipientOutput(serializers.ModelSerializer):
    organisation_name = StrictCharField(source="organisation.name")
    person = serializers.SerializerMethodField()
    alerts = serializers.SerializerMethodField()

    class Meta:
        model = CrisisRecipient
        fields = [
            "id",
            "function",
            "organisation",
            "organisation_name",
            "user",
            "person",
            "phone",
            "source",
            "gap",
            "alerted_at",
            "response",
            "response_reason",
            "responded_at",
            "alerts",
        ]

    def get_person(self, obj: CrisisRecipient) -> str:
        return obj.user.display_name if obj.user else ""

    def get_alerts(self, obj: CrisisRecipient) -> list[dict[str, Any]]:
        alerts = self.context.get("alerts", {}).get(obj.pk, [])
        return list(CrisisAlertOutput(alerts, many=True).data)


class CrisisOutput(serializers.ModelSerializer):
    title = StrictCharField(source="label")
    organisation_name = StrictCharField(source="organisation.name")

    class Meta:
        model = Crisis
        fields = [
            "id",
            "case",
            "title",
            "subject",
            "age",
            "organisation",
            "organisation_name",
            "raised_at",
            "urgency",
            "situation",
            "location",
            "emergency_call_at",
            "status",
            "closed_at",
            "debrief",
            "admitted_to",
            "consent_by",
            "consent_on",
        ]


class CrisisGuardianOutput(serializers.Serializer):
    id = serializers.IntegerField(source="guardian_id")
    relation = StrictCharField()
    name = StrictCharField(source="identity.full_name")
    phone = StrictCharField(source="identity.phone")


class CrisisBoardOutput(CrisisOutput):
    recipients = serializers.SerializerMethodField()
    guardians = serializers.SerializerMethodField()

    class Meta(CrisisOutput.Meta):
        fields = [*CrisisOutput.Meta.fields, "guardians_informed_at", "recipients", "guardians"]

    def get_guardians(self, obj: Crisis) -> list[dict[str, Any]]:
        """Only for the Jugendamt's alerted people and the case's participants (empty otherwise)."""
        return list(CrisisGuardianOutput(self.context.get("contacts", []), many=True).data)

    def get_recipients(self, obj: Crisis) -> list[dict[str, Any]]:
        board = self.context["board"]
        alerts = {row.recipient.pk: row.alerts for row in board.rows}
        rows = [row.recipient for row in board.rows]
        return list(CrisisRecipientOutput(rows, many=True, context={"alerts": alerts}).data)
