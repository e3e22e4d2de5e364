"""REST endpoints for cases. Same queries and services as the pages; outsiders get 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.models import User
from schutznetz.cases import policy, queries, services
from schutznetz.cases import serializers as s
from schutznetz.cases.models import Task
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.network.models import Organisation
from schutznetz.people.identity import ChildIdentity, GuardianIdentity

TAGS = ["Fälle"]


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _first_task(data: dict[str, Any] | None) -> services.FirstTask | None:
    if not data:
        return None
    owner = get_object_or_404(User, pk=data["owner"]) if data.get("owner") else None
    return services.FirstTask(data["title"], data["due_date"], owner)


def _detail(request: Request, access: policy.CaseAccess) -> Response:
    return Response(s.CaseDetailOutput(queries.case_detail(access)).data)


@extend_schema(tags=TAGS, responses={200: s.CaseSummaryOutput(many=True), **ERROR_RESPONSES})
class CaseListApi(generics.GenericAPIView):
    def get(self, request: Request) -> Response:
        """'Meine Fälle': cases one of my organisations takes part in."""
        page = self.paginate_queryset(queries.case_list_for(request.user))  # type: ignore[arg-type]
        rows = queries.case_rows(list(page or []))
        services.record_read(
            actor=request.user,  # type: ignore[arg-type]
            object_type="CaseList",
            purpose="Meine Fälle (API)",
            cases=[str(r.case.pk) for r in rows],
        )
        return self.get_paginated_response(s.CaseSummaryOutput(rows, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.CaseCreateInput, responses={201: s.CaseDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request) -> Response:
        data = _valid(s.CaseCreateInput, request.data)
        organisation = get_object_or_404(Organisation, pk=data["organisation"], is_active=True)
        first = _first_task(data["first_task"])
        assert first is not None
        case = services.case_create(
            actor=request.user,
            organisation=organisation,
            title=data["title"],  # type: ignore[arg-type]
            identity=ChildIdentity(**data["child"]),
            first_task=first,
        )
        response = _detail(request, queries.case_get_for(request.user, case.pk))  # type: ignore[arg-type]
        response.status_code = 201
        return response


class CaseDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.CaseDetailOutput, **ERROR_RESPONSES})
    def get(self, request: Request, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        services.case_record_read(actor=request.user, access=access, purpose="Fallakte einsehen (API)")  # type: ignore[arg-type]
        return _detail(request, access)


class GuardianApi(APIView):
    @extend_schema(tags=TAGS, request=s.GuardianInput, responses={201: s.CaseDetailOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        data = _valid(s.GuardianInput, request.data)
        relation = data.pop("relation")
        services.guardian_add(
            actor=request.user,
            access=access,
            relation=relation,  # type: ignore[arg-type]
            identity=GuardianIdentity(**data),
        )
        response = _detail(request, access)
        response.status_code = 201
        return response


class CaseInviteApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.InviteInput, responses={201: s.ParticipationOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        data = _valid(s.InviteInput, request.data)
        data["organisation"] = get_object_or_404(Organisation, pk=data["organisation"], is_active=True)
        participation = services.participation_invite(actor=request.user, access=access, **data)  # type: ignore[arg-type]
        return Response(s.ParticipationOutput(participation).data, status=201)


@extend_schema(tags=TAGS, responses={200: s.InvitationOutput(many=True), **ERROR_RESPONSES})
class InvitationListApi(generics.ListAPIView):
    serializer_class = s.InvitationOutput

    def get_queryset(self) -> Any:
        return queries.invitations_for(self.request.user)  # type: ignore[arg-type]


class InvitationAnswerApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.AnswerInput, responses={200: s.ParticipationOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: int) -> Response:
        participation = queries.invitation_get_for(request.user, pk)  # type: ignore[arg-type]
        accept = _valid(s.AnswerInput, request.data)["accept"]
        participation = services.participation_respond(
            actor=request.user, participation=participation, accept=accept
        )  # type: ignore[arg-type]
        return Response(s.ParticipationOutput(participation).data)


class TaskCreateApi(APIView):
    @extend_schema(tags=TAGS, request=s.TaskInput, responses={201: s.TaskOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        first = _first_task(_valid(s.TaskInput, request.data))
        assert first is not None
        task = services.task_create(
            actor=request.user,
            access=access,
            title=first.title,  # type: ignore[arg-type]
            owner=first.owner or request.user,
            due_date=first.due_date,
        )  # type: ignore[arg-type]
        return Response(s.TaskOutput(task).data, status=201)


def _case_task(request: Request, pk: UUID, task_pk: int) -> tuple[policy.CaseAccess, Task]:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    return access, get_object_or_404(Task, pk=task_pk, case=access.case)


class TaskCompleteApi(APIView):
    @extend_schema(tags=TAGS, request=s.TaskCompleteInput, responses={200: s.TaskOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID, task_pk: int) -> Response:
        access, task = _case_task(request, pk, task_pk)
        data = _valid(s.TaskCompleteInput, request.data)
        task = services.task_complete(
            actor=request.user,
            access=access,
            task=task,
            note=data["note"],  # type: ignore[arg-type]
            next_task=_first_task(data.get("next_task")),
        )
        return Response(s.TaskOutput(task).data)


class TaskReassignApi(APIView):
    @extend_schema(tags=TAGS, request=s.TaskReassignInput, responses={200: s.TaskOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID, task_pk: int) -> Response:
        access, task = _case_task(request, pk, task_pk)
        data = _valid(s.TaskReassignInput, request.data)
        owner = get_object_or_404(User, pk=data["owner"])
        task = services.task_reassign(
            actor=request.user,
            access=access,
            task=task,
            owner=owner,  # type: ignore[arg-type]
            due_date=data.get("due_date"),
        )
        return Response(s.TaskOutput(task).data)


@extend_schema(tags=TAGS, responses={200: s.MyTaskOutput(many=True), **ERROR_RESPONSES})
class MyTasksApi(generics.ListAPIView):
    """'Meine Aufgaben': open tasks, overdue first."""

    serializer_class = s.MyTaskOutput

    def get_queryset(self) -> Any:
        return queries.task_list_for(self.request.user)  # type: ignore[arg-type]


class HandoverApi(APIView):
    @extend_schema(tags=TAGS, request=s.HandoverInput, responses={201: s.HandoverOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        data = _valid(s.HandoverInput, request.data)
        to = get_object_or_404(Organisation, pk=data["to_organisation"], is_active=True)
        handover = services.lead_handover_request(
            actor=request.user,
            access=access,
            to_organisation=to,  # type: ignore[arg-type]
            note=data["note"],
        )
        return Response(s.HandoverOutput(handover).data, status=201)


class HandoverAnswerApi(APIView):
    @extend_schema(tags=TAGS, request=s.AnswerInput, responses={200: s.HandoverOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID, handover_pk: int) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        handover = queries.handover_get_for(request.user, handover_pk)  # type: ignore[arg-type]
        if handover.case_id != access.case.pk:
            raise Http404("Übergabe nicht gefunden.")
        accept = _valid(s.AnswerInput, request.data)["accept"]
        handover = services.lead_handover_respond(actor=request.user, handover=handover, accept=accept)  # type: ignore[arg-type]
        return Response(s.HandoverOutput(handover).data)


class CaseCloseApi(APIView):
    @extend_schema(tags=TAGS, request=s.CloseInput, responses={200: s.CaseDetailOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        services.case_close(actor=request.user, access=access, **_valid(s.CloseInput, request.data))  # type: ignore[arg-type]
        return _detail(request, queries.case_get_for(request.user, pk))  # type: ignore[arg-type]


class CaseAuditApi(generics.GenericAPIView):
    @extend_schema(tags=TAGS, responses={200: s.AuditEventOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: Request, pk: UUID) -> Response:
        """Who accessed the case, when, for which purpose (the lead organisation's coordination)."""
        access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
        if not policy.can_view_audit(request.user, access):  # type: ignore[arg-type]
            raise PermissionDenied(
                "Das Zugriffsprotokoll sieht die Koordination der fallführenden Organisation."
            )
        services.case_record_read(
            actor=request.user, access=access, purpose="Zugriffsprotokoll (API)", what="audit"
        )  # type: ignore[arg-type]
        page = self.paginate_queryset(queries.audit_events_for(access))
        return self.get_paginated_response(s.AuditEventOutput(page, many=True).data)


class ChildSearchApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[s.ChildSearchInput],
        responses={200: s.ChildMatchOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """Children in my cases matching exactly or by sound (Kölner Phonetik) and birth month."""
        data = _valid(s.ChildSearchInput, request.query_params.dict())
        matches = queries.child_search_for(request.user, **data)  # type: ignore[arg-type]
        services.record_read(
            actor=request.user,  # type: ignore[arg-type]
            object_type="Child",
            purpose="Kind suchen (API)",
            hits=len(matches),
        )
        return Response(s.ChildMatchOutput(matches, many=True).data)
