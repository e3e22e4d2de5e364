from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schutznetz.cases.models import LegalBasis
from schutznetz.cases.serializers import FEEDBACK_OUTPUT_FIELDS, FeedbackInputSerializer
from schutznetz.kit.rest.fields import MAX_ID, DateField, DateTimeField, StrictCharField
from schutznetz.medical import bodymap
from schutznetz.medical.models import (
    AffectedNotice,
    Consultation,
    FamilyTalk,
    FindingsPhoto,
    FindingsShare,
    FindingsVersion,
    NotDoneReason,
    ReportFeedback,
    YouthOfficeReport,
)
from schutznetz.medical.vocabulary import (
    Assessment,
    Colour,
    EstimatedAge,
    HistoryConsistency,
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
    history_consistency = serializers.ChoiceField(
        choices=HistoryConsistency.choices,
        help_text="Schlüssig, nicht schlüssig, wechselnd oder fehlend: ein Warnzeichen erweitert die "
        "empfohlene Diagnostik",
    )
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
    code = StrictCharField(default="", help_text="Kennung der Empfehlung (leer bei älteren Fassungen)")
    what = StrictCharField()
    why = StrictCharField()


class AdviceOutput(serializers.Serializer):
    ten4_facesp = serializers.BooleanField()
    ten4_reasons = serializers.ListField(child=StrictCharField())
    sentinel = serializers.BooleanField()
    sentinel_reasons = serializers.ListField(child=StrictCharField())
    diagnostics = DiagnosticOutput(many=True)
    history_warning = serializers.CharField(
        default="", help_text="Warum die Anamnese die Diagnostik erweitert"
    )


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
            "history_consistency",
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
        choices=[(r.code, r.label) for r in bodymap.REGIONS], required=False, allow_blank=True, default=""
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


class ReportInput(serializers.Serializer):
    youth_office = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    affected_notice = serializers.ChoiceField(
        choices=AffectedNotice.choices,
        help_text="§ 4 Abs. 3 KKG: ob die Betroffenen vorab auf die Mitteilung hingewiesen wurden.",
    )
    notice_omitted_reason = StrictCharField(max_length=1000, allow_blank=True, default="")
    indications = StrictCharField(max_length=4000, allow_blank=True)
    measures_taken = StrictCharField(max_length=2000, allow_blank=True, default="")
    other_bodies = StrictCharField(max_length=1000, allow_blank=True, default="")
    override_reason = StrictCharField(max_length=500, allow_blank=True, default="")
    confirm_repeat = serializers.BooleanField(default=False)


class ReportFeedbackOutput(serializers.ModelSerializer):
    given_by_name = StrictCharField(source="given_by.display_name")

    class Meta:
        model = ReportFeedback
        fields = ["id", *FEEDBACK_OUTPUT_FIELDS, "given_by_name"]


class ReportOutput(serializers.ModelSerializer):
    """A report as lists show it: the case by pseudonym, no identity."""

    case = serializers.UUIDField(source="case_id")
    pseudonym = StrictCharField(source="case.child.pseudonym")
    from_organisation_name = StrictCharField(source="from_organisation.name")
    youth_office_name = StrictCharField(source="youth_office.name")

    class Meta:
        model = YouthOfficeReport
        fields = [
            "id",
            "case",
            "pseudonym",
            "from_organisation",
            "from_organisation_name",
            "youth_office",
            "youth_office_name",
            "legal_basis",
            "urgency",
            "reported_at",
            "due_at",
            "escalated_at",
            "acknowledged_at",
            "feedback_due_at",
            "reporter_involved_at",
            "billing_code",
            "billing_quarter",
        ]


class ReportChildOutput(serializers.Serializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    birth_date = DateField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()


class ReportGuardianOutput(serializers.Serializer):
    relation = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class ReportDetailOutput(ReportOutput):
    """The whole Meldebogen with the identities it names."""

    child = serializers.SerializerMethodField()
    guardians = serializers.SerializerMethodField()
    reporter_name = StrictCharField(source="reported_by.display_name")
    competent_youth_office = serializers.IntegerField(source="competent_youth_office_id", allow_null=True)
    feedback = serializers.SerializerMethodField()
    feedback_given = serializers.SerializerMethodField()

    class Meta(ReportOutput.Meta):
        fields = [
            *ReportOutput.Meta.fields,
            "competent_youth_office",
            "override_reason",
            "reporter_name",
            "affected_notice",
            "notice_omitted_reason",
            "indications",
            "measures_taken",
            "other_bodies",
            "findings_summary",
            "talk_summary",
            "child",
            "guardians",
            "feedback",
            "feedback_given",
        ]

    def _detail(self) -> Any:
        return self.context["detail"]

    def get_child(self, report: YouthOfficeReport) -> dict[str, Any]:
        return ReportChildOutput(self._detail().child).data

    def get_guardians(self, report: YouthOfficeReport) -> list[dict[str, str]]:
        return [
            {"relation": relation, "name": person.full_name, "phone": person.phone, "address": person.address}
            for relation, person, _ in self._detail().guardians
        ]

    @extend_schema_field(ReportFeedbackOutput(many=True))
    def get_feedback(self, report: YouthOfficeReport) -> Any:
        """§ 4 Abs. 4 KKG: for the reporting doctor, their organisation's coordination and the
        Jugendamt; empty for the other doctors of the reporting organisation."""
        return ReportFeedbackOutput(self._detail().feedback, many=True).data

    def get_feedback_given(self, report: YouthOfficeReport) -> bool:
        """Whether the Jugendamt has given feedback, also for those who do not read it."""
        return bool(self._detail().feedback_given)


class ReportInboxOutput(serializers.Serializer):
    received = ReportOutput(many=True)
    awaiting_feedback = ReportOutput(many=True)
    answered = ReportOutput(many=True)


class ReportInvolveInput(serializers.Serializer):
    due_date = DateField()
    note = StrictCharField(max_length=120, allow_blank=True, default="")


class ReportFeedbackInput(FeedbackInputSerializer):
    pass


class DiagnosticStatusOutput(serializers.Serializer):
    """A recommended examination of the record's current version and how it was marked."""

    code = StrictCharField()
    what = StrictCharField()
    why = StrictCharField()
    done = serializers.BooleanField(source="status.done", allow_null=True, default=None)
    reason = StrictCharField(source="status.reason", allow_null=True, default=None)
    marked_at = DateTimeField(source="status.marked_at", allow_null=True, default=None)


class DiagnosticInput(serializers.Serializer):
    code = StrictCharField(max_length=40, help_text="Kennung der Empfehlung (``code`` der Liste)")
    done = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=NotDoneReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Pflicht, wenn nicht durchgeführt",
    )
