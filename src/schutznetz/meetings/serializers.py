from __future__ import annotations

from typing import Any

from rest_framework import serializers

from schutznetz.cases.serializers import TaskOutput
from schutznetz.kit.rest.fields import MAX_ID, DateField, DateTimeField, StrictCharField, year_in_range
from schutznetz.meetings.models import Meeting, MeetingAttendee, MeetingKind
from schutznetz.meetings.queries import MeetingDetail

INVITE_FIELDS = {"invitees": "p", "invite_units": "u", "invite_organisations": "o"}


def ids_field(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=200,
        default=list,
        help_text=help_text,
    )


class InviteesInput(serializers.Serializer):
    """Whom to invite: people, teams, whole organisations (``queries.invitees_for``)."""

    invitees = ids_field("Ids of memberships (a person in an organisation) to invite")
    invite_units = ids_field("Ids of teams (organisation units) whose active members are invited")
    invite_organisations = ids_field(
        "Ids of organisations whose active members (not their data-protection officers) are invited"
    )


class MeetingCreateInput(InviteesInput):
    organiser = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = StrictCharField(max_length=200)
    starts_at = DateTimeField(validators=[year_in_range])
    ends_at = DateTimeField(validators=[year_in_range])
    location = StrictCharField(max_length=200)
    agenda = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    published = serializers.BooleanField(default=False)


class MeetingInviteInput(InviteesInput):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs[name] for name in INVITE_FIELDS):
            raise serializers.ValidationError(
                {"invitees": ["Bitte mindestens eine Person, ein Team oder eine Organisation angeben."]}
            )
        return attrs


class InvitableOutput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("p", "person"), ("u", "unit"), ("o", "organisation")],
        help_text="p: a person (id of the membership), u: a team, o: an organisation",
    )
    id = serializers.IntegerField(source="pk")
    token = serializers.CharField()
    name = serializers.CharField(source="label")
    detail = serializers.CharField(help_text="Organisation and function, or the number of people invited")


class ResponseInput(serializers.Serializer):
    accept = serializers.BooleanField()


class AttendanceInput(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=500,
        help_text="Ids of the attendees who were there; all others are recorded as absent",
    )


class MinutesInput(serializers.Serializer):
    minutes = StrictCharField(max_length=20000, allow_blank=True)
    decisions = StrictCharField(max_length=5000, allow_blank=True, required=False, default="")


class ActionItemInput(serializers.Serializer):
    title = StrictCharField(max_length=200)
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_date = DateField(validators=[year_in_range])


class ActionItemCompleteInput(serializers.Serializer):
    note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class AttendeeOutput(serializers.ModelSerializer):
    name = StrictCharField(source="user.display_name")
    organisation_name = StrictCharField(source="organisation.name")

    class Meta:
        model = MeetingAttendee
        fields = ["id", "user", "name", "organisation", "organisation_name", "response", "attended"]


class MeetingOutput(serializers.ModelSerializer):
    organiser_name = StrictCharField(source="organiser.name")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "organiser",
            "organiser_name",
            "starts_at",
            "ends_at",
            "location",
            "agenda",
            "published",
            "sequence",
            "cancelled_at",
            "cancel_reason",
        ]


class MeetingDetailOutput(serializers.Serializer):
    """The announcement for everybody who sees the meeting; ``full`` is False for a published
    meeting seen from outside, and then attendees, minutes and action items are empty."""

    meeting = MeetingOutput(source="access.meeting")
    full = serializers.BooleanField(source="access.full")
    attendees = AttendeeOutput(many=True)
    minutes = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    action_items = TaskOutput(many=True)

    def get_minutes(self, detail: MeetingDetail) -> str:
        access = detail.access
        return access.meeting.minutes if access.full else ""

    def get_decisions(self, detail: MeetingDetail) -> str:
        access = detail.access
        return access.meeting.decisions if access.full else ""


class RescheduleInput(serializers.Serializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    location = StrictCharField(max_length=200)


class CancelInput(serializers.Serializer):
    reason = StrictCharField(max_length=300, help_text="Grund der Absage; die Eingeladenen erfahren ihn")
