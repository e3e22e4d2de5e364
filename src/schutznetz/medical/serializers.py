from __future__ import annotations

from typing import Any

from rest_framework import serializers

from schutznetz.cases.models import LegalBasis
from schutznetz.kit.rest.fields import MAX_ID, DateTimeField, StrictCharField
from schutznetz.medical import bodymap
from schutznetz.medical.models import Consultation, FamilyTalk, FindingsPhoto, FindingsShare, FindingsVersion
from schutznetz.medical.vocabulary import (
    Assessment,
    Colour,
    EstimatedAge,
    HistoryGiver,
    InjuryKind,
    Mobility,
    Pattern,
)
from schutznetz.network.models import Urgency


class InjuryInput(serializers.Serializer):
    region = serializers.ChoiceField(choices=[(r.code, r.label) for r in bodymap.REGIONS])
    kind = serializers.ChoiceField(choices=InjuryKind.choices)
    size = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    colour = serializers.ChoiceField(choices=Colour.choices, default=Colour.NOT_ASSESSABLE)
    pattern = serializers.ChoiceField(choices=Pattern.choices, default=Pattern.UNSPECIFIC)
    estimated_age = serializers.ChoiceField(choices=EstimatedAge.choices, default=EstimatedAge.UNKNOWN)
    note = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class FindingsInput(serializers.Serializer):
    examined_at = DateTimeField()
    history = StrictCharField(max_length=4000)
    history_by = serializers.ChoiceField(choices=HistoryGiver.choices)
    history_at = DateTimeField()
    mobility = serializers.ChoiceField(choices=Mobility.choices)
    injuries = serializers.ListField(child=InjuryInput(), max_length=60)
    examinations_done = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    examinations_recommended = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    assessment = serializers.ChoiceField(choices=Assessment.choices)
    assessment_note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class CorrectionInput(FindingsInput):
    change_note = StrictCharField(max_length=300)


class ShareInput(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    note = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class DiagnosticOutput(serializers.Serializer):
    what = StrictCharField()
    why = StrictCharField()


class AdviceOutput(serializers.Serializer):
    ten4_facesp = serializers.BooleanField()
    ten4_reasons = serializers.ListField(child=StrictCharField())
    sentinel = serializers.BooleanField()
    sentinel_reasons = serializers.ListField(child=StrictCharField())
    diagnostics = DiagnosticOutput(many=True)


class VersionOutput(serializers.ModelSerializer):
    author_name = StrictCharField(source="author.display_name")
    injuries = InjuryInput(many=True)
    advice = AdviceOutput()

    class Meta:
        model = FindingsVersion
        fields = [
            "number",
            "at",
            "author",
            "author_name",
            "organisation",
            "change_note",
            "examined_at",
            "history",
            "history_by",
            "history_at",
            "age_months",
            "mobility",
            "injuries",
            "examinations_done",
            "examinations_recommended",
            "assessment",
            "assessment_note",
            "advice",
        ]


class RecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    created_at = serializers.DateTimeField()
    current = VersionOutput()


class RecordDetailOutput(RecordOutput):
    versions = serializers.SerializerMethodField()

    def get_versions(self, record: Any) -> list[dict[str, Any]]:
        return VersionOutput(self.context["versions"], many=True).data  # type: ignore[return-value]


class ShareOutput(serializers.ModelSerializer):
    organisation_name = StrictCharField(source="organisation.name")

    class Meta:
        model = FindingsShare
        fields = ["id", "organisation", "organisation_name", "legal_basis", "note", "shared_by", "shared_at"]


class TalkInput(serializers.Serializer):
    held = serializers.BooleanField()
    held_at = DateTimeField(required=False, allow_null=True, default=None)
    participants = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    result = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    not_held_reason = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class TalkOutput(serializers.ModelSerializer):
    class Meta:
        model = FamilyTalk
        fields = [
            "id",
            "held",
            "held_at",
            "participants",
            "result",
            "not_held_reason",
            "recorded_by",
            "recorded_at",
        ]


class PhotoInput(serializers.Serializer):
    photo = serializers.FileField()
    caption = StrictCharField(max_length=200)
    region = serializers.ChoiceField(
        choices=[(r.code, r.label) for r in bodymap.REGIONS], required=False, default=""
    )
    shows_face = serializers.BooleanField()


class PhotoOutput(serializers.ModelSerializer):
    class Meta:
        model = FindingsPhoto
        fields = ["id", "caption", "region", "shows_face", "width", "height", "uploaded_by", "uploaded_at"]


class ConsultationInput(serializers.Serializer):
    specialist = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    question = StrictCharField(max_length=2000)


class ConsultationAnswerInput(serializers.Serializer):
    answer = StrictCharField(max_length=4000)


class ConsultationOutput(serializers.ModelSerializer):
    specialist_name = StrictCharField(source="specialist.name")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "specialist",
            "specialist_name",
            "urgency",
            "question",
            "requested_at",
            "due_at",
            "answer",
            "answered_at",
        ]


class CodedInjuryOutput(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    region_label = serializers.CharField(source="region.label")
    kind = serializers.CharField()
    size = serializers.CharField()
    colour = serializers.CharField()
    pattern = serializers.CharField()
    estimated_age = serializers.CharField()


class CodedVersionOutput(serializers.Serializer):
    examined_at = serializers.DateTimeField(source="version.examined_at")
    age_months = serializers.DecimalField(source="version.age_months", max_digits=5, decimal_places=2)
    mobility = serializers.CharField(source="version.mobility")
    assessment = serializers.CharField(source="version.assessment")
    injuries = CodedInjuryOutput(many=True)
    advice = AdviceOutput()


class CodedPhotoOutput(serializers.Serializer):
    id = serializers.UUIDField(source="photo.pk")
    record = serializers.IntegerField(source="photo.record_id")
    title = serializers.CharField(source="label")
    region = serializers.CharField(source="photo.region")


class PseudonymisedFindingsOutput(serializers.Serializer):
    pseudonym = serializers.CharField()
    sex = serializers.CharField()
    findings = CodedVersionOutput(many=True, source="versions")
    photos = CodedPhotoOutput(many=True)
