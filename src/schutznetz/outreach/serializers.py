from __future__ import annotations

from typing import Any

from rest_framework import serializers

from schutznetz.kit.rest.fields import MAX_ID, DateField, StrictCharField, StrictRegexField, year_in_range
from schutznetz.outreach.models import (
    BookingOutcome,
    ConsultationHour,
    HelpCategory,
    HelpOffer,
    Referral,
    ReferralStatus,
    ReferralUpdate,
    Weekday,
)


class ConsultationHourInput(serializers.Serializer):
    practice = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    counsellor = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Membership id of the counsellor in their organisation"
    )
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    slot_minutes = serializers.IntegerField(min_value=10, max_value=120, default=30)
    location = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    valid_from = DateField(validators=[year_in_range])
    valid_until = DateField(required=False, allow_null=True, default=None, validators=[year_in_range])


class ConsultationHourOutput(serializers.ModelSerializer):
    practice_name = StrictCharField(source="practice.name")
    counsellor_name = StrictCharField(source="counsellor.display_name")
    counsellor_organisation_name = StrictCharField(source="counsellor_organisation.name")

    class Meta:
        model = ConsultationHour
        fields = [
            "id",
            "practice",
            "practice_name",
            "counsellor",
            "counsellor_name",
            "counsellor_organisation",
            "counsellor_organisation_name",
            "status",
            "weekday",
            "start_time",
            "end_time",
            "slot_minutes",
            "location",
            "valid_from",
            "valid_until",
        ]


class SlotOutput(serializers.Serializer):
    date = DateField(source="day")
    start = serializers.TimeField()
    free = serializers.BooleanField()
    booking = serializers.SerializerMethodField(
        help_text="Only for the practice and the counsellor's organisation"
    )

    def get_booking(self, slot: Any) -> dict[str, Any] | None:
        if slot.booking is None or not slot.visible:
            return None
        return {"id": slot.booking.pk, "reference": slot.booking.reference, "topic": slot.booking.topic}


class ConsultationHourDetailOutput(serializers.Serializer):
    hour = ConsultationHourOutput()
    slots = SlotOutput(many=True)


class BookingInput(serializers.Serializer):
    date = DateField(validators=[year_in_range])
    slot_start = serializers.TimeField()
    reference = StrictCharField(max_length=40)
    topic = StrictCharField(max_length=300)
    consent_recorded = serializers.BooleanField()


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    hour = serializers.IntegerField(source="hour_id")
    date = DateField()
    slot_start = serializers.TimeField()
    reference = StrictCharField()
    topic = StrictCharField()
    status = StrictCharField()


class HelpOfferFilterInput(serializers.Serializer):
    q = StrictCharField(required=False, allow_blank=True, max_length=100, default="")
    category = serializers.ChoiceField(choices=HelpCategory.choices, required=False)
    postal_code = StrictRegexField(r"^\d{5}$", required=False)


class HelpOfferInput(serializers.Serializer):
    provider = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = StrictCharField(max_length=200)
    category = serializers.ChoiceField(choices=HelpCategory.choices)
    target_group = StrictCharField(max_length=300)
    contact = StrictCharField(max_length=200)
    description = StrictCharField(max_length=3000, required=False, allow_blank=True, default="")
    capacity_note = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    waiting_weeks = serializers.IntegerField(
        min_value=0, max_value=104, required=False, allow_null=True, default=None
    )
    postal_codes = serializers.ListField(child=StrictCharField(max_length=5), max_length=500, default=list)


class HelpOfferOutput(serializers.ModelSerializer):
    provider_name = StrictCharField(source="provider.name")
    postal_codes = serializers.SerializerMethodField()

    class Meta:
        model = HelpOffer
        fields = [
            "id",
            "provider",
            "provider_name",
            "title",
            "category",
            "target_group",
            "description",
            "contact",
            "capacity_note",
            "waiting_weeks",
            "is_active",
            "postal_codes",
        ]

    def get_postal_codes(self, offer: HelpOffer) -> list[str]:
        return sorted(a.postal_code for a in offer.areas.all())


class ReferralInput(serializers.Serializer):
    offer = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    from_organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    family_postal_code = StrictCharField(max_length=5)
    reference = StrictCharField(max_length=40)
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
    consent_recorded = serializers.BooleanField()


class ReferralStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.REFERRED]
    )
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class ReferralUpdateOutput(serializers.ModelSerializer):
    by_name = StrictCharField(source="by.display_name")

    class Meta:
        model = ReferralUpdate
        fields = ["status", "note", "by", "by_name", "organisation", "at"]


class ReferralOutput(serializers.ModelSerializer):
    offer_title = StrictCharField(source="offer.title")

    class Meta:
        model = Referral
        fields = [
            "id",
            "offer",
            "offer_title",
            "from_organisation",
            "referred_by",
            "family_postal_code",
            "reference",
            "note",
            "consent_recorded",
            "status",
            "follow_up_on",
            "created_at",
        ]


class ReferralDetailOutput(ReferralOutput):
    updates = ReferralUpdateOutput(many=True)

    class Meta(ReferralOutput.Meta):
        fields = [*ReferralOutput.Meta.fields, "updates"]


class HourAnswerInput(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: die Praxis stimmt zu; false: lehnt ab")


class BookingRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="booking.pk")
    practice = StrictCharField(source="booking.hour.practice.name")
    date = DateField(source="booking.date")
    slot_start = serializers.TimeField(source="booking.slot_start")
    reference = StrictCharField(source="booking.reference")
    topic = StrictCharField(source="booking.topic")
    outcome = StrictCharField(
        help_text="was die eigene Seite vom Ergebnis lesen darf; leer, solange keines festgehalten ist"
    )
    counsels = serializers.BooleanField(help_text="die eigene Seite hat beraten und hält das Ergebnis fest")
    may_record = serializers.BooleanField()


class BookingOutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=BookingOutcome.choices)
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
    shared = serializers.BooleanField(
        default=False, help_text="die Familie ist einverstanden, dass die Praxis das Ergebnis erfährt"
    )
