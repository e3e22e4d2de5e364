from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.models import User
from schutznetz.cases.serializers import TaskOutput
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.meetings import documents, queries, services
from schutznetz.meetings import serializers as s
from schutznetz.meetings.queries import MeetingAccess
from schutznetz.network.models import Membership, Organisation

TAGS = ["Netzwerktreffen"]


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _memberships(ids: list[int]) -> list[Membership]:
    found = {m.pk: m for m in Membership.objects.filter(pk__in=ids).select_related("user", "organisation")}
    missing = [i for i in ids if i not in found]
    if missing:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({"invitees": [f"Unbekannte Mitgliedschaft: {missing[0]}"]})
    return [found[i] for i in ids]


def _involved(request: Request, pk: int) -> MeetingAccess:
    access = queries.meeting_get_for(request.user, pk)  # type: ignore[arg-type]
    if not access.full:
        raise Http404(queries.NOT_FOUND)
    return access


def _detail(access: MeetingAccess) -> dict[str, Any]:
    return s.MeetingDetailOutput(queries.meeting_detail(access)).data  # type: ignore[return-value]


class MeetingListApi(generics.GenericAPIView):
    @extend_schema(tags=TAGS, responses={200: s.MeetingOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: Request) -> Response:
        """Meetings of my organisations and those published to the network, newest first."""
        page = self.paginate_queryset(queries.meeting_list_for(request.user))  # type: ignore[arg-type]
        return self.get_paginated_response(s.MeetingOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.MeetingCreateInput, responses={201: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request) -> Response:
        data = _valid(s.MeetingCreateInput, request.data)
        organiser = get_object_or_404(Organisation, pk=data.pop("organiser"), is_active=True)
        invitees = _memberships(data.pop("invitees"))
        meeting = services.meeting_create(actor=request.user, organiser=organiser, invitees=invitees, **data)  # type: ignore[arg-type]
        return Response(_detail(queries.meeting_get_for(request.user, meeting.pk)), status=201)  # type: ignore[arg-type]


class MeetingDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(queries.meeting_get_for(request.user, pk)))  # type: ignore[arg-type]


class MeetingInviteApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.InviteInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: int) -> Response:
        access = _involved(request, pk)
        data = _valid(s.InviteInput, request.data)
        services.meeting_invite(
            actor=request.user, meeting=access.meeting, invitees=_memberships(data["invitees"])
        )  # type: ignore[arg-type]
        return Response(_detail(access))


class MeetingResponseApi(APIView):
    @extend_schema(tags=TAGS, request=s.ResponseInput, responses={200: s.AttendeeOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        access = _involved(request, pk)
        data = _valid(s.ResponseInput, request.data)
        attendee = services.meeting_respond(actor=request.user, meeting=access.meeting, accept=data["accept"])  # type: ignore[arg-type]
        return Response(s.AttendeeOutput(attendee).data)


class MeetingAttendanceApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.AttendanceInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: int) -> Response:
        access = _involved(request, pk)
        data = _valid(s.AttendanceInput, request.data)
        services.meeting_attendance_record(
            actor=request.user, meeting=access.meeting, present=data["present"]
        )  # type: ignore[arg-type]
        return Response(_detail(access))


class MeetingMinutesApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.MinutesInput, responses={200: s.MeetingDetailOutput, **ERROR_RESPONSES}
    )
    def put(self, request: Request, pk: int) -> Response:
        access = _involved(request, pk)
        data = _valid(s.MinutesInput, request.data)
        services.meeting_minutes_save(actor=request.user, meeting=access.meeting, **data)  # type: ignore[arg-type]
        return Response(_detail(access))


class ActionItemApi(APIView):
    @extend_schema(tags=TAGS, request=s.ActionItemInput, responses={201: TaskOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        access = _involved(request, pk)
        data = _valid(s.ActionItemInput, request.data)
        owner = User.objects.filter(pk=data.pop("owner"), is_active=True).first()
        if owner is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"owner": [services.MSG_ITEM_OWNER]})
        task = services.action_item_create(actor=request.user, meeting=access.meeting, owner=owner, **data)  # type: ignore[arg-type]
        return Response(TaskOutput(task).data, status=201)


class ActionItemCompleteApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.ActionItemCompleteInput, responses={200: TaskOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: int, task_pk: int) -> Response:
        access = _involved(request, pk)
        data = _valid(s.ActionItemCompleteInput, request.data)
        task = services.action_item_complete(
            actor=request.user,  # type: ignore[arg-type]
            meeting=access.meeting,
            task_id=task_pk,
            note=data["note"],
        )
        return Response(TaskOutput(task).data)


class _FileRenderer(BaseRenderer):
    format = "file"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        # Only errors pass through a renderer here (the file itself is an HttpResponse).
        return JSONRenderer().render(data)


class CalendarRenderer(_FileRenderer):
    media_type = "text/calendar"


class PdfRenderer(_FileRenderer):
    media_type = "application/pdf"


class MeetingIcsApi(APIView):
    renderer_classes = [JSONRenderer, CalendarRenderer]

    @extend_schema(
        tags=TAGS,
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY, description="iCalendar (RFC 5545)"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        detail = queries.meeting_detail(queries.meeting_get_for(request.user, pk))  # type: ignore[arg-type]
        response = HttpResponse(documents.meeting_ics(detail), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="treffen-{pk}.ics"'
        return response


class MinutesPdfApi(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        tags=TAGS,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Protokoll als PDF"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        detail = queries.meeting_detail(_involved(request, pk))
        response = HttpResponse(documents.minutes_pdf(detail), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="protokoll-treffen-{pk}.pdf"'
        return response
