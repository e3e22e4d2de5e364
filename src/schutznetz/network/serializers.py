from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework import serializers

from schutznetz.kit.rest.fields import MAX_ID, DateField, DateTimeField, StrictCharField
from schutznetz.network.models import (
    ContactChannel,
    FederalState,
    HandoverKind,
    JurisdictionArea,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationKind,
    OrganisationUnit,
    Profession,
    ResponseUnit,
    Role,
    Urgency,
    postal_code_validator,
)


class OrganisationListOutput(serializers.ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display")

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "kind_display", "street", "postal_code", "city", "phone"]


class UnitOutput(serializers.ModelSerializer):
    class Meta:
        model = OrganisationUnit
        fields = ["id", "name", "phone", "email"]


class ContactChannelOutput(serializers.ModelSerializer):
    class Meta:
        model = ContactChannel
        fields = ["id", "kind", "label", "value", "availability"]


class MemberOutput(serializers.ModelSerializer):
    name = StrictCharField(source="user.display_name")
    unit = StrictCharField(source="unit.name", default="", allow_blank=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "job_title", "profession", "role", "unit", "phone"]


class OrganisationDetailOutput(serializers.ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display")
    units = UnitOutput(many=True)
    contact_channels = ContactChannelOutput(many=True)
    members = MemberOutput(many=True, source="active_members")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "description",
            "street",
            "postal_code",
            "city",
            "state",
            "phone",
            "email",
            "website",
            "units",
            "contact_channels",
            "members",
        ]


class OrganisationUpdateInput(serializers.Serializer):
    description = StrictCharField(required=False, allow_blank=True, max_length=2000)
    street = StrictCharField(required=False, allow_blank=True, max_length=200)
    postal_code = StrictCharField(
        required=False, allow_blank=True, max_length=5, validators=[postal_code_validator]
    )
    city = StrictCharField(required=False, allow_blank=True, max_length=100)
    phone = StrictCharField(required=False, allow_blank=True, max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    alert_sms_gateway = StrictCharField(required=False, allow_blank=True, max_length=200)
    alert_webhook_url = StrictCharField(required=False, allow_blank=True, max_length=300)


class AlertChannelsOutput(serializers.Serializer):
    """How crisis alerts reach the organisation besides inbox and mail (for its coordination)."""

    alert_sms_gateway = StrictCharField()
    alert_webhook_url = StrictCharField()
    alert_webhook_secret = StrictCharField()


class DirectoryFilterInput(serializers.Serializer):
    q = StrictCharField(required=False, allow_blank=True, max_length=100, default="")
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, required=False, allow_blank=True, default=""
    )
    place = StrictCharField(required=False, allow_blank=True, max_length=100, default="")


class OnCallShiftOutput(serializers.ModelSerializer):
    name = StrictCharField(source="membership.user.display_name")
    job_title = StrictCharField(source="membership.job_title")

    class Meta:
        model = OnCallShift
        fields = [
            "id",
            "organisation",
            "membership",
            "name",
            "job_title",
            "phone",
            "starts_at",
            "ends_at",
            "note",
        ]


class GapOutput(serializers.Serializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField()


class OnCallOutput(serializers.Serializer):
    at = DateTimeField()
    on_call = OnCallShiftOutput(many=True)
    fallback_phone = StrictCharField(help_text="Zentrale, falls niemand in Rufbereitschaft ist")
    gaps_next_7_days = GapOutput(many=True)


MSG_AT_OUT_OF_RANGE = "Bitte einen Zeitpunkt zwischen 2000 und 2100 angeben."


class OnCallQueryInput(serializers.Serializer):
    at = DateTimeField(required=False, help_text="Zeitpunkt (ISO 8601); Standard: jetzt")

    def validate_at(self, value: datetime) -> datetime:
        # Rosters are kept for the present; far-off years also have no valid UTC offset to print.
        if not 2000 <= value.year < 2100:
            raise serializers.ValidationError(MSG_AT_OUT_OF_RANGE, code="date_range")
        return value


class OnCallShiftCreateInput(serializers.Serializer):
    membership = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    phone = StrictCharField(required=False, allow_blank=True, max_length=40, default="")
    note = StrictCharField(required=False, allow_blank=True, max_length=200, default="")


class JurisdictionQueryInput(serializers.Serializer):
    postal_code = StrictCharField(max_length=10)
    municipality = StrictCharField(required=False, allow_blank=True, max_length=100, default="")


class JurisdictionOutput(serializers.Serializer):
    postal_code = StrictCharField()
    municipality = StrictCharField()
    youth_office = OrganisationListOutput()
    on_call = OnCallShiftOutput(many=True)


class JurisdictionAreaOutput(serializers.ModelSerializer):
    class Meta:
        model = JurisdictionArea
        fields = ["id", "youth_office", "postal_code", "municipality"]


class JurisdictionAreaInput(serializers.Serializer):
    postal_code = StrictCharField(max_length=5, validators=[postal_code_validator])
    municipality = StrictCharField(required=False, allow_blank=True, max_length=100, default="")


class MembershipUpdateInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    job_title = StrictCharField(required=False, allow_blank=True, max_length=120, default="")
    profession = serializers.ChoiceField(
        choices=Profession.choices, required=False, allow_blank=True, default=""
    )
    phone = StrictCharField(required=False, allow_blank=True, max_length=40, default="")
    unit = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None
    )


class MembershipCreateInput(MembershipUpdateInput):
    username = StrictCharField(max_length=150)
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices, default=Role.PROFESSIONAL)


class UnitInput(serializers.Serializer):
    name = StrictCharField(max_length=200)
    phone = StrictCharField(required=False, allow_blank=True, max_length=40, default="")
    email = serializers.EmailField(required=False, allow_blank=True)  # no default: "" is no e-mail address


class ClauseOutput(serializers.Serializer):
    handover_kind = StrictCharField()
    urgency = StrictCharField()
    responsible = serializers.IntegerField(source="responsible_id")
    response_value = serializers.IntegerField()
    response_unit = StrictCharField()
    contact_channel = StrictCharField()


class CrisisRosterOutput(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    role = StrictCharField()


class AgreementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = StrictCharField()
    version = serializers.IntegerField()
    predecessor = serializers.IntegerField(source="predecessor_id", allow_null=True)
    parties = serializers.SerializerMethodField()
    valid_from = DateField()
    valid_until = DateField(allow_null=True)
    state = StrictCharField()
    document_sha256 = StrictCharField()
    in_force_since = DateTimeField(
        allow_null=True, help_text="null: noch nicht von allen Vertragsparteien angenommen"
    )

    def get_parties(self, agreement: Any) -> list[int]:
        return [p.pk for p in agreement.parties.all()]


class AcceptanceOutput(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    accepted_at = DateTimeField()


class AgreementDetailOutput(AgreementOutput):
    clauses = ClauseOutput(many=True)
    crisis_roster = CrisisRosterOutput(many=True)
    acceptances = AcceptanceOutput(many=True)


class ClauseInputSerializer(serializers.Serializer):
    handover_kind = serializers.ChoiceField(choices=HandoverKind.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    responsible = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    response_value = serializers.IntegerField(min_value=1, max_value=10000)
    response_unit = serializers.ChoiceField(choices=ResponseUnit.choices)
    contact_channel = StrictCharField(max_length=200, required=False, allow_blank=True, default="")


class CrisisRosterInput(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    role = serializers.ChoiceField(choices=Role.choices)


class AgreementCreateInput(serializers.Serializer):
    title = StrictCharField(max_length=200)
    parties = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=2, max_length=50
    )
    valid_from = DateField()
    valid_until = DateField(required=False, allow_null=True, default=None)
    state = serializers.ChoiceField(choices=FederalState.choices, default="NW")
    clauses = ClauseInputSerializer(many=True, default=list)
    crisis_roster = CrisisRosterInput(many=True, default=list)


class ResponseTimeInput(serializers.Serializer):
    sender = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    receiver = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=HandoverKind.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    received_at = DateTimeField(required=False)

    def validate_received_at(self, value: datetime) -> datetime:
        if not 2000 <= value.year < 2100:
            raise serializers.ValidationError(MSG_AT_OUT_OF_RANGE, code="date_range")
        return value


class ResponseTimeOutput(serializers.Serializer):
    value = serializers.IntegerField()
    unit = StrictCharField()
    deadline = DateTimeField()
    contact_channel = StrictCharField()
    agreement = serializers.IntegerField(source="agreement.pk", allow_null=True, default=None)
    is_default = serializers.BooleanField()


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = StrictCharField()
    content_type = StrictCharField()
    size = serializers.IntegerField()
    sha256 = StrictCharField()


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField()


class ArticleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = StrictCharField()
    body = StrictCharField()
    tags = serializers.ListField(child=StrictCharField())
    audiences = serializers.ListField(child=StrictCharField())
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    attachments = AttachmentOutput(many=True, source="attachments.all")


class KnowledgeHitOutput(serializers.Serializer):
    id = serializers.IntegerField(source="article.pk")
    title = StrictCharField(source="article.title")
    snippet = StrictCharField(help_text="Ausschnitt; Treffer in <mark>, sonst HTML-maskiert")


class SynonymInput(serializers.Serializer):
    expressions = serializers.ListField(
        child=StrictCharField(max_length=100),
        min_length=2,
        max_length=10,
        help_text="Begriffe, die dasselbe bedeuten",
    )


class SynonymOutput(serializers.Serializer):
    id = serializers.IntegerField()
    expressions = serializers.ListField(child=StrictCharField())
    created_at = serializers.DateTimeField()


class TopicArticleOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = StrictCharField()


class TopicOutput(serializers.Serializer):
    name = StrictCharField(help_text="Schlagwort; Artikel ohne Schlagwort unter „Allgemein“")
    articles = TopicArticleOutput(many=True)


class KnowledgeSearchInput(serializers.Serializer):
    q = StrictCharField(max_length=200)


class ArticleInput(serializers.Serializer):
    title = StrictCharField(max_length=200)
    body = StrictCharField(max_length=50000)
    tags = serializers.ListField(child=StrictCharField(max_length=50), max_length=20, default=list)
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), max_length=20, default=list
    )
