from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts import queries as account_queries
from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.cases.serializers import TaskOutput
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.throttling import WriteScopedThrottle
from schutznetz.kit.rest.views import CalendarRenderer, PdfRenderer, validated
from schutznetz.kit.views import download
from schutznetz.meetings import documents, queries, services
from schutznetz.meetings import serializers as s
from schutznetz.meetings.queries import MeetingAccess
from schutznetz.network import queries as network_queries
from schutznetz.network.models import Membership

TAGS = ["Netzwerktreffen"]


def _invitees(data: dict[str, Any]) -> list[Membership]:
    """The people that the request's persons, teams and organisations invite (the fields leave
    ``data``)."""
    tokens = [f"{kind}{pk}" for name, kind in s.INVITE_FIELDS.items() for pk in data.pop(name)]
    return queries.invitees_for(tokens)


class InvitablesApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="meetings_invitables",
        parameters=[OpenApiParameter("q", str, description="Words of the name (at least two letters)")],
        responses={200: s.InvitableOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """People, teams and organisations to invite to a meeting whose names contain every word of
        ``q``; at most eight of each."""
        results = network_queries.invitables_search(request.query_params.get("q", "")[:100])
        return Response(s.InvitableOutput(results, many=True).data)


def _detail(access: MeetingAccess) -> dict[str, Any]:
    return s.MeetingDetailOutput(queries.meeting_detail(access)).data


class MeetingListApi(generics.GenericAPIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(tags=TAGS, responses={200: s.MeetingOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """Meetings of my organisations and those published to the network, newest first."""
        page = self.paginate_queryset(queries.meeting_list_for(request.user))
        return self.get_paginated_response(s.MeetingOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.MeetingCreateInput, responses={201: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(s.MeetingCreateInput, request.data)
        organiser = network_queries.active_organisation_get(data.pop("organiser"))
        invitees = _invitees(data)
        meeting = services.meeting_create(actor=request.user, organiser=organiser, invitees=invitees, **data)
        return Response(_detail(queries.meeting_get_for(request.user, meeting.pk)), status=201)


class MeetingDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(_detail(queries.meeting_get_for(request.user, pk)))


class MeetingInviteApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.MeetingInviteInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.MeetingInviteInput, request.data)
        services.meeting_invite(actor=request.user, meeting=access.meeting, invitees=_invitees(data))
        return Response(_detail(access))


class MeetingRescheduleApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.RescheduleInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.RescheduleInput, request.data)
        services.meeting_reschedule(actor=request.user, meeting=access.meeting, **data)
        return Response(_detail(queries.meeting_get_for(request.user, pk)))


class MeetingCancelApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.CancelInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.CancelInput, request.data)
        services.meeting_cancel(actor=request.user, meeting=access.meeting, **data)
        return Response(_detail(queries.meeting_get_for(request.user, pk)))


class MeetingResponseApi(APIView):
    @extend_schema(tags=TAGS, request=s.ResponseInput, responses={200: s.AttendeeOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.ResponseInput, request.data)
        attendee = services.meeting_respond(actor=request.user, meeting=access.meeting, accept=data["accept"])
        return Response(s.AttendeeOutput(attendee).data)


class MeetingAttendanceApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.AttendanceInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.AttendanceInput, request.data)
        services.meeting_attendance_record(
            actor=request.user, meeting=access.meeting, present=data["present"]
        )
        return Response(_detail(access))


class MeetingMinutesApi(APIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(
        tags=TAGS, request=s.MinutesInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.MinutesInput, request.data)
        services.meeting_minutes_save(actor=request.user, meeting=access.meeting, **data)
        return Response(_detail(access))


class ActionItemApi(APIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(tags=TAGS, request=s.ActionItemInput, responses={201: TaskOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.ActionItemInput, request.data)
        owner = account_queries.active_user_get(data.pop("owner"))
        if owner is None:
            raise ValidationError({"owner": [services.MSG_ITEM_OWNER]}, code="not_found")
        task = services.action_item_create(actor=request.user, meeting=access.meeting, owner=owner, **data)
        return Response(TaskOutput(task).data, status=201)


class ActionItemCompleteApi(APIView):
    throttle_classes = [WriteScopedThrottle]
    throttle_scope = "free_text"

    @extend_schema(
        tags=TAGS, request=s.ActionItemCompleteInput, responses={200: TaskOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int, task_pk: int) -> Response:
        access = queries.meeting_involved_get_for(request.user, pk)
        data = validated(s.ActionItemCompleteInput, request.data)
        task = services.action_item_complete(
            actor=request.user,
            meeting=access.meeting,
            task_id=task_pk,
            note=data["note"],
        )
        return Response(TaskOutput(task).data)


class MeetingIcsApi(APIView):
    renderer_classes = [JSONRenderer, CalendarRenderer]

    @extend_schema(
        tags=TAGS,
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY, description="iCalendar (RFC 5545)"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        detail = queries.meeting_detail(queries.meeting_get_for(request.user, pk))
        return download(
            documents.meeting_ics(detail),
            content_type="text/calendar; charset=utf-8",
            filename=f"treffen-{pk}.ics",
        )


class MinutesPdfApi(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        tags=TAGS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Protokoll als PDF"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        detail = queries.meeting_detail(queries.meeting_involved_get_for(request.user, pk))
        return download(
            documents.minutes_pdf(detail),
            content_type="application/pdf",
            filename=f"protokoll-treffen-{pk}.pdf",
        )
