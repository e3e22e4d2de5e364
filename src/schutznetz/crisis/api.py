"""REST endpoints of the crisis protocol. Same queries and services as the pages."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.cases import queries as case_queries
from schutznetz.crisis import policy, queries, services
from schutznetz.crisis import serializers as s
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.views import validated

TAGS = ["Krisenprotokoll"]


def _board(request: AuthenticatedRequest, pk: UUID, status: int = 200) -> Response:
    crisis = queries.crisis_get_for(request.user, pk)
    services.crisis_record_read(actor=request.user, crisis=crisis)
    board = queries.board(request.user, crisis)
    contacts = queries.guardian_contacts(
        request.user, crisis, board=board, sees_case=queries.sees_case(request.user, crisis)
    )
    services.crisis_record_guardian_read(actor=request.user, crisis=crisis, contacts=contacts)
    context = {"board": board, "contacts": contacts}
    return Response(s.CrisisBoardOutput(crisis, context=context).data, status=status)


class CaseCrisisApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.CrisisOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The case's crises, the newest first."""
        access = case_queries.case_get_for(request.user, pk)
        policy.require_read_case_crises(request.user, access)
        return Response(s.CrisisOutput(queries.crises_of_case(access), many=True).data)

    @extend_schema(tags=TAGS, request=s.CrisisInput, responses={201: s.CrisisBoardOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Raise a crisis: everyone responsible is alerted at once. If one is already open for the
        case, the report joins it (200 instead of 201)."""
        access = case_queries.case_get_for(request.user, pk)
        data = validated(s.CrisisInput, request.data)
        raised = services.crisis_raise(actor=request.user, access=access, data=services.CrisisInput(**data))
        return _board(request, raised.crisis.pk, status=200 if raised.joined else 201)


class CrisisListApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.CrisisOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The crises the user raised, was alerted for, or sees through the case: open ones first."""
        return Response(s.CrisisOutput(queries.crisis_list_for(request.user), many=True).data)

    @extend_schema(
        tags=TAGS, request=s.UnknownCrisisInput, responses={201: s.CrisisBoardOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Raise a crisis for a young person not yet known to the system (short label without a name,
        age); the crisis roster of the organisation's agreements is alerted."""
        data = validated(s.UnknownCrisisInput, request.data)
        crisis = services.crisis_raise_unknown(
            actor=request.user,
            organisation_id=data.pop("organisation"),
            subject=data.pop("subject"),
            age=data.pop("age"),
            data=services.CrisisInput(**data),
        )
        return _board(request, crisis.pk, status=201)


class CrisisJoinApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.CrisisJoinInput, responses={200: s.CrisisBoardOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Join a crisis raised without a case to the case it concerns."""
        crisis = queries.crisis_get_for(request.user, pk)
        data = validated(s.CrisisJoinInput, request.data)
        access = case_queries.case_get_for(request.user, data["case"])
        services.crisis_join_case(actor=request.user, crisis=crisis, access=access)
        return _board(request, pk)


class CrisisDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.CrisisBoardOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The board: who was alerted when, on which channel, with what result, who answered."""
        return _board(request, pk)


class CrisisRespondApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.CrisisRespondInput, responses={200: s.CrisisBoardOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The alerted person answers: taken over, on the way, or not responsible (with a reason)."""
        crisis = queries.crisis_get_for(request.user, pk)
        data = validated(s.CrisisRespondInput, request.data)
        services.crisis_respond(
            actor=request.user, crisis=crisis, response=data["response"], reason=data["reason"]
        )
        return _board(request, pk)


class CrisisEmergencyCallApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.CrisisBoardOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Record when the emergency call (112) was made."""
        crisis = queries.crisis_get_for(request.user, pk)
        services.crisis_emergency_call(actor=request.user, crisis=crisis)
        return _board(request, pk)


class CrisisGuardiansInformedApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.CrisisBoardOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Record that the persons with custody have been told (the Jugendamt's alerted people and the
        case's participants, who see their contact)."""
        crisis = queries.crisis_get_for(request.user, pk)
        services.crisis_guardians_informed(actor=request.user, crisis=crisis)
        return _board(request, pk)


class CrisisCloseApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.CrisisCloseInput, responses={200: s.CrisisBoardOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Close the crisis with its debrief; with ``admission``, the clinic joins the help planning (on
        the recorded consent) and the Jugendamt gets the task to prepare the help-plan meeting."""
        crisis = queries.crisis_get_for(request.user, pk)
        data = validated(s.CrisisCloseInput, request.data)
        admitted = data.get("admission")
        admission = (
            services.Admission(admitted["clinic"], admitted["consent_by"], admitted["consent_on"])
            if admitted
            else None
        )
        services.crisis_close(actor=request.user, crisis=crisis, debrief=data["debrief"], admission=admission)
        return _board(request, pk)
