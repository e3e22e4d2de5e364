from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schutznetz.cases.models import LegalBasis
from schutznetz.cases.serializers import FEEDBACK_OUTPUT_FIELDS, FeedbackInputSerializer
from schutznetz.kit.rest.fields import MAX_ID, DateField, DateTimeField, StrictCharField, StrictRegexField
from schutznetz.network.models import Urgency
from schutznetz.people.models import Sex
from schutznetz.welfare.models import (
    AreaRating,
    AssessmentSignature,
    AssessmentVersion,
    CareReason,
    CareTaking,
    CaseConference,
    ConferenceAttendee,
    ConferenceDecision,
    ConferenceMode,
    CourtReferral,
    DangerFrom,
    Endangerment,
    HelpPlan,
    HelpPlanClinic,
    HelpPlanReview,
    HelpType,
    Intake,
    IntakeFeedback,
    IntakeSource,
    MoveHandover,
    Outcome,
    SafetyMeasure,
    SafetyPlan,
)


class IntakeChildInput(serializers.Serializer):
    given_name = StrictCharField(max_length=100)
    family_name = StrictCharField(max_length=100)
    birth_date = DateField()
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NONE)
    street = StrictCharField(max_length=200, allow_blank=True, default="")
    postal_code = StrictRegexField(r"^(\d{5})?$", allow_blank=True, default="")
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


class IntakeFeedbackOutput(serializers.ModelSerializer):
    class Meta:
        model = IntakeFeedback
        fields = [*FEEDBACK_OUTPUT_FIELDS, "given_by"]


class IntakeDetailOutput(IntakeOutput):
    """The report with what was said, the child and who reported (a read on the audit trail), and the
    feedback given to a reporting professional (§ 4 Abs. 4 KKG)."""

    reporter = serializers.SerializerMethodField()
    child = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    class Meta(IntakeOutput.Meta):
        fields = [*IntakeOutput.Meta.fields, "account", "first_contact_note", "reporter", "child", "feedback"]

    @extend_schema_field(IntakeFeedbackOutput(many=True))
    def get_feedback(self, intake: Intake) -> Any:
        return IntakeFeedbackOutput(self.context["detail"].feedback, many=True).data

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


class AreaInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=AreaRating.choices)
    note = StrictCharField(max_length=1000, allow_blank=True, default="")


class AssessmentInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    areas = serializers.DictField(child=AreaInput(), default=dict)
    endangerments = serializers.ListField(
        child=serializers.ChoiceField(choices=Endangerment.choices), default=list
    )
    danger_from = serializers.ListField(
        child=serializers.ChoiceField(choices=DangerFrom.choices), default=list
    )
    home_visit_at = DateTimeField(required=False, allow_null=True, default=None)
    child_seen_at = DateTimeField(required=False, allow_null=True, default=None)
    child_seen_by = StrictCharField(max_length=200, allow_blank=True, default="")
    sources = StrictCharField(max_length=2000, allow_blank=True, default="")
    participants = StrictCharField(max_length=500, allow_blank=True, default="")
    reporter_involved = serializers.BooleanField(default=False)
    repeat_report = serializers.BooleanField(default=False)
    # A correction of an assessment (a new version) names it and says why.
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    change_note = StrictCharField(max_length=300, allow_blank=True, default="")


class SignatureOutput(serializers.ModelSerializer):
    signed_by_name = StrictCharField(source="signed_by.display_name")

    class Meta:
        model = AssessmentSignature
        fields = ["signed_by", "signed_by_name", "signed_at"]


class AssessmentVersionOutput(serializers.ModelSerializer):
    signatures = SignatureOutput(many=True, read_only=True)
    valid = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentVersion
        fields = [
            "id",
            "assessment",
            "number",
            "at",
            "author",
            "change_note",
            "outcome",
            "endangerments",
            "danger_from",
            "areas",
            "home_visit_at",
            "child_seen_at",
            "child_seen_by",
            "sources",
            "participants",
            "reporter_involved",
            "repeat_report",
            "signatures",
            "valid",
        ]

    def get_valid(self, version: AssessmentVersion) -> bool:
        """Signed by at least two professionals (four eyes)."""
        return len(version.signatures.all()) >= 2


class MeasureInput(serializers.Serializer):
    measure = StrictCharField(max_length=500)
    responsible = StrictCharField(max_length=200)
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_date = DateField()
    check_date = DateField()


class SafetyPlanInput(serializers.Serializer):
    agreed_on = DateField()
    agreed_with = StrictCharField(max_length=200, allow_blank=True, default="")
    measures = serializers.ListField(child=MeasureInput(), allow_empty=False, max_length=20)


class MeasureOutput(serializers.ModelSerializer):
    owner_name = StrictCharField(source="owner.display_name")
    done = serializers.SerializerMethodField()
    checked = serializers.SerializerMethodField()

    class Meta:
        model = SafetyMeasure
        fields = [
            "measure",
            "responsible",
            "owner",
            "owner_name",
            "due_date",
            "check_date",
            "done",
            "checked",
        ]

    def get_done(self, measure: SafetyMeasure) -> bool:
        return bool(measure.task.status == "done")

    def get_checked(self, measure: SafetyMeasure) -> bool:
        return bool(measure.check_task.status == "done")


class SafetyPlanOutput(serializers.ModelSerializer):
    measures = MeasureOutput(many=True, read_only=True)

    class Meta:
        model = SafetyPlan
        fields = ["id", "agreed_on", "agreed_with", "created_by", "created_at", "measures"]


class CourtReferralInput(serializers.Serializer):
    court = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    referred_on = DateField()
    reason = StrictCharField(max_length=4000)
    urgent = serializers.BooleanField(default=False)
    follow_up_date = DateField(required=False, allow_null=True, default=None)


class CourtReferralOutput(serializers.ModelSerializer):
    court_name = StrictCharField(source="court.name")

    class Meta:
        model = CourtReferral
        fields = [
            "id",
            "court",
            "court_name",
            "referred_on",
            "urgent",
            "reason",
            "follow_up_date",
            "created_by",
            "created_at",
        ]


class CareTakingInput(serializers.Serializer):
    begins_at = DateTimeField()
    place = StrictCharField(max_length=200)
    reason = serializers.ChoiceField(choices=CareReason.choices)
    reason_note = StrictCharField(max_length=4000)
    ends_at = DateTimeField(required=False, allow_null=True, default=None)
    court_decision_on = DateField(required=False, allow_null=True, default=None)


class CareTakingEndInput(serializers.Serializer):
    ends_at = DateTimeField(required=False, allow_null=True, default=None)
    court_decision_on = DateField(required=False, allow_null=True, default=None)


class CareTakingOutput(serializers.ModelSerializer):
    class Meta:
        model = CareTaking
        fields = [
            "id",
            "begins_at",
            "ends_at",
            "place",
            "reason",
            "reason_note",
            "court_decision_on",
            "created_by",
            "created_at",
        ]


class ProtectionOutput(serializers.Serializer):
    safety_plans = SafetyPlanOutput(many=True, source="plans")
    court_referrals = CourtReferralOutput(many=True, source="referrals")
    care_takings = CareTakingOutput(many=True)


class HelpPlanInput(serializers.Serializer):
    help_type = serializers.ChoiceField(choices=HelpType.choices)
    goals = StrictCharField(max_length=4000)
    provider = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    starts_on = DateField()
    review_on = DateField()
    young_person_involved = serializers.BooleanField()
    guardians_involved = StrictCharField(max_length=200)


class HelpPlanReviewInput(serializers.Serializer):
    held_on = DateField()
    result = StrictCharField(max_length=4000)
    next_review_on = DateField()


class HelpPlanClinicInput(serializers.Serializer):
    clinic = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    discharged_on = DateField()
    consent_on = DateField()
    consent_by = StrictCharField(max_length=200)


class HelpPlanClinicOutput(serializers.ModelSerializer):
    clinic_name = StrictCharField(source="clinic.name")

    class Meta:
        model = HelpPlanClinic
        fields = ["clinic", "clinic_name", "discharged_on", "consent_on", "consent_by", "added_at"]


class HelpPlanReviewOutput(serializers.ModelSerializer):
    class Meta:
        model = HelpPlanReview
        fields = ["held_on", "result", "next_review_on", "recorded_by", "recorded_at"]


class HelpPlanOutput(serializers.ModelSerializer):
    provider_name = StrictCharField(source="provider.name")
    clinics = HelpPlanClinicOutput(many=True, read_only=True)
    reviews = HelpPlanReviewOutput(many=True, read_only=True)

    class Meta:
        model = HelpPlan
        fields = [
            "id",
            "help_type",
            "goals",
            "provider",
            "provider_name",
            "starts_on",
            "review_on",
            "young_person_involved",
            "guardians_involved",
            "created_by",
            "created_at",
            "clinics",
            "reviews",
        ]


class ConferenceGuestInput(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    access_until = DateField()
    consent_by = StrictCharField(max_length=200, allow_blank=True, default="")
    consent_on = DateField(required=False, allow_null=True, default=None)


class ConferenceInput(serializers.Serializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    mode = serializers.ChoiceField(choices=ConferenceMode.choices)
    location = StrictCharField(max_length=200, allow_blank=True, default="")
    agenda = StrictCharField(max_length=4000)
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), default=list, max_length=100
    )
    guests = serializers.ListField(child=ConferenceGuestInput(), default=list, max_length=20)


class ConferenceAttendanceInput(serializers.Serializer):
    attendee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    present = serializers.BooleanField()
    mode = serializers.ChoiceField(choices=ConferenceMode.choices, allow_blank=True, default="")
    minutes_attended = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True, default=None
    )


class ConferenceDecisionInput(serializers.Serializer):
    text = StrictCharField(max_length=500)
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_date = DateField()


class ConferenceMinutesInput(serializers.Serializer):
    minutes = StrictCharField(max_length=20000)
    attendance = serializers.ListField(child=ConferenceAttendanceInput(), default=list, max_length=100)
    decisions = serializers.ListField(child=ConferenceDecisionInput(), default=list, max_length=50)


class ConferenceAttendeeOutput(serializers.ModelSerializer):
    user_name = StrictCharField(source="user.display_name")
    organisation_name = StrictCharField(source="organisation.name")

    class Meta:
        model = ConferenceAttendee
        fields = [
            "id",
            "user",
            "user_name",
            "organisation",
            "organisation_name",
            "guest",
            "legal_basis",
            "consent_by",
            "consent_on",
            "access_until",
            "physician",
            "present",
            "mode",
            "minutes_attended",
            "billing_units",
        ]


class ConferenceDecisionOutput(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="task.owner_id")
    due_date = DateField(source="task.due_date")
    done = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceDecision
        fields = ["position", "text", "task", "owner", "due_date", "done"]

    def get_done(self, decision: ConferenceDecision) -> bool:
        return bool(decision.task.status == "done")


class ConferenceOutput(serializers.ModelSerializer):
    class Meta:
        model = CaseConference
        fields = ["id", "case", "organiser", "starts_at", "ends_at", "mode", "location", "minutes_at"]


class ConferenceDetailOutput(serializers.ModelSerializer):
    attendees = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = CaseConference
        fields = [
            "id",
            "case",
            "organiser",
            "starts_at",
            "ends_at",
            "mode",
            "location",
            "agenda",
            "minutes",
            "minutes_at",
            "attendees",
            "decisions",
        ]

    @extend_schema_field(ConferenceAttendeeOutput(many=True))
    def get_attendees(self, conference: CaseConference) -> Any:
        return ConferenceAttendeeOutput(self.context["detail"].attendees, many=True).data

    @extend_schema_field(ConferenceDecisionOutput(many=True))
    def get_decisions(self, conference: CaseConference) -> Any:
        return ConferenceDecisionOutput(self.context["detail"].decisions, many=True).data


class IntakeFeedbackInput(FeedbackInputSerializer):
    pass


class MoveInput(serializers.Serializer):
    street = StrictCharField(max_length=200)
    postal_code = StrictRegexField(r"^\d{5}$")
    city = StrictCharField(max_length=100)
    information = StrictCharField(max_length=4000)


class MoveAnswerInput(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = StrictCharField(max_length=500, allow_blank=True, default="")


class MoveOutput(serializers.ModelSerializer):
    from_office_name = StrictCharField(source="from_office.name")
    to_office_name = StrictCharField(source="to_office.name")

    class Meta:
        model = MoveHandover
        fields = [
            "id",
            "case",
            "from_office",
            "from_office_name",
            "to_office",
            "to_office_name",
            "requested_at",
            "due_at",
            "information",
            "status",
            "responded_at",
            "decline_reason",
        ]
