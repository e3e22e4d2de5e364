"""REST endpoints of the youth-welfare pathway (intake, assessment, protection, help plan). Same queries
and services as the pages."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.cases import queries as case_queries
from schutznetz.cases.feedback import FeedbackInput
from schutznetz.cases.policy import CaseAccess
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.views import validated
from schutznetz.people.identity import ChildIdentity
from schutznetz.welfare import queries, services
from schutznetz.welfare import serializers as s

TAGS = ["Meldungseingang (§ 8a SGB VIII)"]


def _detail(request: AuthenticatedRequest, pk: UUID, status: int = 200) -> Response:
    detail = queries.intake_detail(queries.intake_get_for(request.user, pk))
    services.intake_record_read(actor=request.user, detail=detail, purpose="Meldung lesen (API)")
    return Response(s.IntakeDetailOutput(detail.intake, context={"detail": detail}).data, status=status)


class IntakeListApi(generics.GenericAPIView):
    @extend_schema(tags=TAGS, responses={200: s.IntakeOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The intake of the user's Jugendämter, without first contact first (by deadline); a page at a
        time, like every list."""
        page = self.paginate_queryset(queries.intake_list_for(request.user)) or []
        return self.get_paginated_response(s.IntakeOutput(page, many=True).data)

    @extend_schema(tags=TAGS, request=s.IntakeInput, responses={201: s.IntakeDetailOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Record a report: it opens a case (a likely duplicate is refused unless confirmed) or joins one."""
        data = validated(s.IntakeInput, request.data)
        child = data.pop("child", None)
        intake = services.intake_record(
            actor=request.user,
            data=services.IntakeInput(
                youth_office_id=data.pop("youth_office"),
                reporter_organisation_id=data.pop("reporter_organisation", None),
                child=ChildIdentity(**child) if child else None,
                **data,
            ),
        )
        return _detail(request, intake.pk, status=201)


class IntakeDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.IntakeDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        return _detail(request, pk)


class IntakeFirstContactApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.FirstContactInput, responses={200: s.IntakeDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """First contact made: the deadline is met."""
        intake = queries.intake_get_for(request.user, pk)
        note = validated(s.FirstContactInput, request.data)["note"]
        services.intake_first_contact(actor=request.user, intake=intake, note=note)
        return _detail(request, pk)


class IntakeFeedbackApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.IntakeFeedbackInput, responses={200: s.IntakeDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """§ 4 Abs. 4 KKG feedback to a reporting professional's organisation (refused for others):
        three answers, a fixed phrase and a callback number, no free text."""
        intake = queries.intake_get_for(request.user, pk)
        data = validated(s.IntakeFeedbackInput, request.data)
        services.intake_feedback(actor=request.user, intake=intake, data=FeedbackInput(**data))
        return _detail(request, pk)


ASSESSMENT_TAGS = ["Gefährdungseinschätzung (§ 8a SGB VIII)"]


class AssessmentListApi(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS, responses={200: s.AssessmentVersionOutput(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's risk assessments, each as its current version with its signatures."""
        access = case_queries.case_get_for(request.user, pk)
        versions = [a.current for a in queries.assessments_for(request.user, access) if a.current]
        return Response(s.AssessmentVersionOutput(versions, many=True).data)

    @extend_schema(
        tags=ASSESSMENT_TAGS,
        request=s.AssessmentInput,
        responses={201: s.AssessmentVersionOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Record an assessment (or correct one: a new version); the author signs it, a second
        professional of the Jugendamt must sign before it counts."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.AssessmentInput, request.data)
        corrected = data.pop("assessment", None)
        change_note = data.pop("change_note")
        assessment = queries.assessment_get_for(request.user, access, corrected) if corrected else None
        areas = {code: dict(value) for code, value in data.pop("areas").items()}
        version = services.assessment_record(
            actor=request.user,
            access=access,
            data=services.AssessmentInput(areas=areas, **data),
            assessment=assessment,
            change_note=change_note,
        )
        version = queries.version_get_for(request.user, access, version.pk)
        return Response(s.AssessmentVersionOutput(version).data, status=201)


class AssessmentSignApi(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS, request=None, responses={200: s.AssessmentVersionOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, version_pk: int) -> Response:
        """Sign the current version as a further professional of the Jugendamt."""
        access = case_queries.case_get_for(request.user, pk)
        version = queries.version_get_for(request.user, access, version_pk)
        services.assessment_sign(actor=request.user, access=access, version=version)
        return Response(
            s.AssessmentVersionOutput(queries.version_get_for(request.user, access, version_pk)).data
        )


PROTECTION_TAGS = ["Schutzmaßnahmen (§ 8a Abs. 2, § 42 SGB VIII)"]


def _protection(request: AuthenticatedRequest, pk: UUID, status: int = 200) -> Response:
    access = case_queries.case_get_for(request.user, pk)
    return Response(s.ProtectionOutput(queries.protection_for(request.user, access)).data, status=status)


class ProtectionApi(APIView):
    @extend_schema(tags=PROTECTION_TAGS, responses={200: s.ProtectionOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's safety plans, family-court referrals and takings into care."""
        return _protection(request, pk)


class SafetyPlanApi(APIView):
    @extend_schema(
        tags=PROTECTION_TAGS,
        request=s.SafetyPlanInput,
        responses={201: s.ProtectionOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """A safety plan: each measure becomes a task of the person who follows it up, and a check task."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.SafetyPlanInput, request.data)
        measures = [
            services.MeasureInput(
                measure=m["measure"],
                responsible=m["responsible"],
                owner_id=m["owner"],
                due_date=m["due_date"],
                check_date=m["check_date"],
            )
            for m in data["measures"]
        ]
        services.safety_plan_record(
            actor=request.user,
            access=access,
            data=services.SafetyPlanInput(
                agreed_on=data["agreed_on"], agreed_with=data["agreed_with"], measures=measures
            ),
        )
        return _protection(request, pk, status=201)


class CourtReferralApi(APIView):
    @extend_schema(
        tags=PROTECTION_TAGS,
        request=s.CourtReferralInput,
        responses={201: s.ProtectionOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Call on the family court (§ 8a Abs. 2 SGB VIII, § 1666 BGB)."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.CourtReferralInput, request.data)
        services.court_referral_record(
            actor=request.user,
            access=access,
            data=services.CourtReferralInput(court_id=data.pop("court"), **data),
        )
        return _protection(request, pk, status=201)


class CareTakingApi(APIView):
    @extend_schema(
        tags=PROTECTION_TAGS,
        request=s.CareTakingInput,
        responses={201: s.ProtectionOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Record a taking into care (§ 42 SGB VIII)."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.CareTakingInput, request.data)
        services.care_taking_record(actor=request.user, access=access, data=services.CareTakingInput(**data))
        return _protection(request, pk, status=201)


class CareTakingEndApi(APIView):
    @extend_schema(
        tags=PROTECTION_TAGS,
        request=s.CareTakingEndInput,
        responses={200: s.ProtectionOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, care_pk: int) -> Response:
        """The taking into care ends, or the family court has decided on it."""
        access = case_queries.case_get_for(request.user, pk)
        care = queries.care_taking_get_for(request.user, access, care_pk)
        data = validated(s.CareTakingEndInput, request.data)
        services.care_taking_end(actor=request.user, access=access, care=care, **data)
        return _protection(request, pk)


HELP_PLAN_TAGS = ["Hilfeplan (§ 36 SGB VIII)"]


def _plan(request: AuthenticatedRequest, access: CaseAccess, plan_pk: int, status: int) -> Response:
    plan = queries.help_plan_get_for(request.user, access, plan_pk)
    return Response(s.HelpPlanOutput(plan).data, status=status)


class HelpPlanListApi(APIView):
    @extend_schema(tags=HELP_PLAN_TAGS, responses={200: s.HelpPlanOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's help plans (a provider or clinic sees those it works in)."""
        access = case_queries.case_get_for(request.user, pk)
        return Response(s.HelpPlanOutput(queries.help_plans_for(request.user, access), many=True).data)

    @extend_schema(
        tags=HELP_PLAN_TAGS, request=s.HelpPlanInput, responses={201: s.HelpPlanOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Draw up a help plan; the provider is asked into the case, the review becomes a task."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.HelpPlanInput, request.data)
        plan = services.help_plan_record(
            actor=request.user,
            access=access,
            data=services.HelpPlanInput(provider_id=data.pop("provider"), **data),
        )
        return _plan(request, access, plan.pk, 201)


class HelpPlanReviewApi(APIView):
    @extend_schema(
        tags=HELP_PLAN_TAGS,
        request=s.HelpPlanReviewInput,
        responses={200: s.HelpPlanOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, plan_pk: int) -> Response:
        """Review the help plan and carry it forward to the next review date."""
        access = case_queries.case_get_for(request.user, pk)
        plan = queries.help_plan_get_for(request.user, access, plan_pk)
        data = validated(s.HelpPlanReviewInput, request.data)
        services.help_plan_review(actor=request.user, access=access, plan=plan, **data)
        return _plan(request, access, plan_pk, 200)


class HelpPlanClinicApi(APIView):
    @extend_schema(
        tags=HELP_PLAN_TAGS,
        request=s.HelpPlanClinicInput,
        responses={201: s.HelpPlanOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID, plan_pk: int) -> Response:
        """After discharge, the child-psychiatry clinic joins help planning on recorded consent."""
        access = case_queries.case_get_for(request.user, pk)
        plan = queries.help_plan_get_for(request.user, access, plan_pk)
        data = validated(s.HelpPlanClinicInput, request.data)
        services.help_plan_add_clinic(
            actor=request.user,
            access=access,
            plan=plan,
            data=services.ClinicInput(clinic_id=data.pop("clinic"), **data),
        )
        return _plan(request, access, plan_pk, 201)


CONFERENCE_TAGS = ["Fallkonferenzen"]


def _conference(request: AuthenticatedRequest, pk: UUID, status: int = 200) -> Response:
    found = queries.conference_get_for(request.user, pk)
    detail = queries.conference_detail(found)
    services.conference_record_read(actor=request.user, found=found, purpose="Fallkonferenz lesen (API)")
    return Response(
        s.ConferenceDetailOutput(found.conference, context={"detail": detail}).data, status=status
    )


class ConferenceListApi(APIView):
    @extend_schema(tags=CONFERENCE_TAGS, responses={200: s.ConferenceOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's conferences, newest first."""
        access = case_queries.case_get_for(request.user, pk)
        return Response(s.ConferenceOutput(queries.conferences_for(request.user, access), many=True).data)

    @extend_schema(
        tags=CONFERENCE_TAGS,
        request=s.ConferenceInput,
        responses={201: s.ConferenceDetailOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Plan a case conference: people of the case's organisations and guests on a legal basis or
        consent, each guest with the day until which the minutes stay readable."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.ConferenceInput, request.data)
        guests = [
            services.GuestInput(
                user_id=g["user"],
                legal_basis=g["legal_basis"],
                access_until=g["access_until"],
                consent_by=g["consent_by"],
                consent_on=g["consent_on"],
            )
            for g in data.pop("guests")
        ]
        conference = services.conference_schedule(
            actor=request.user,
            access=access,
            data=services.ConferenceInput(participant_ids=data.pop("participants"), guests=guests, **data),
        )
        return _conference(request, conference.pk, status=201)


class ConferenceDetailApi(APIView):
    @extend_schema(tags=CONFERENCE_TAGS, responses={200: s.ConferenceDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """A conference, for the case's participants and for its guests while their access holds."""
        return _conference(request, pk)


class ConferenceMinutesApi(APIView):
    @extend_schema(
        tags=CONFERENCE_TAGS,
        request=s.ConferenceMinutesInput,
        responses={200: s.ConferenceDetailOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Attendance, minutes and decisions (each a task of its owner)."""
        found, access = queries.conference_in_case_get_for(request.user, pk)
        data = validated(s.ConferenceMinutesInput, request.data)
        services.conference_record_minutes(
            actor=request.user,
            access=access,
            conference=found.conference,
            minutes=data["minutes"],
            attendance={
                a["attendee"]: services.AttendanceInput(
                    present=a["present"], mode=a["mode"], minutes_attended=a["minutes_attended"]
                )
                for a in data["attendance"]
            },
            decisions=[
                services.DecisionInput(text=d["text"], owner_id=d["owner"], due_date=d["due_date"])
                for d in data["decisions"]
            ],
        )
        return _conference(request, pk)


MOVE_TAGS = ["Übergabe bei Wegzug (§ 8a Abs. 6 SGB VIII)"]


def _move(request: AuthenticatedRequest, pk: UUID, status: int = 200) -> Response:
    detail = queries.move_detail(queries.move_get_for(request.user, pk))
    services.move_record_read(actor=request.user, detail=detail, purpose="Übergabe bei Wegzug lesen (API)")
    return Response(s.MoveOutput(detail.move).data, status=status)


class MoveOfferApi(APIView):
    @extend_schema(tags=MOVE_TAGS, request=s.MoveInput, responses={201: s.MoveOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The family moved: record the new address and offer the case to the Jugendamt competent for it."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.MoveInput, request.data)
        move = services.move_offer(actor=request.user, access=access, data=services.MoveInput(**data))
        return _move(request, move.pk, status=201)


class MoveDetailApi(APIView):
    @extend_schema(tags=MOVE_TAGS, responses={200: s.MoveOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        return _move(request, pk)


class MoveAnswerApi(APIView):
    @extend_schema(
        tags=MOVE_TAGS, request=s.MoveAnswerInput, responses={200: s.MoveOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The offered Jugendamt takes the case over or declines with a reason."""
        move = queries.move_get_for(request.user, pk)
        data = validated(s.MoveAnswerInput, request.data)
        services.move_respond(actor=request.user, move=move, accept=data["accept"], reason=data["reason"])
        return _move(request, pk)
