"""REST endpoints for cases. Same queries and services as the pages; outsiders get 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts import queries as account_queries
from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.cases import access_log, policy, queries, services
from schutznetz.cases import serializers as s
from schutznetz.cases.advice import queries as advice_queries
from schutznetz.cases.advice import services as advice_services
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.throttling import ScopedThrottle
from schutznetz.kit.rest.views import validated
from schutznetz.network import queries as network_queries
from schutznetz.people.identity import ChildIdentity, GuardianIdentity

TAGS = ["Fälle"]


def _first_task(data: dict[str, Any]) -> services.FirstTask:
    owner = account_queries.user_get(data["owner"]) if data.get("owner") else None
    return services.FirstTask(data["title"], data["due_date"], owner, data.get("completes_on", ""))


def _detail(access: policy.CaseAccess, status: int = 200) -> Response:
    return Response(s.CaseDetailOutput(queries.case_detail(access)).data, status=status)


class CaseListApi(generics.GenericAPIView):
    @extend_schema(
        tags=TAGS,
        parameters=[s.CaseListInput],
        responses={200: s.CaseSummaryOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """'Meine Fälle': cases one of my organisations takes part in; with ``only_mine=true`` the
        cases I lead or hold an open task in (the web page's default)."""
        only_mine = validated(s.CaseListInput, request.query_params.dict())["only_mine"]
        keys = queries.case_list_keys(request.user, only_mine=only_mine)
        rows = queries.case_rows(request.user, self.paginate_queryset(keys) or [])
        services.case_list_record_read(actor=request.user, rows=rows, purpose="Meine Fälle (API)")
        return self.get_paginated_response(s.CaseSummaryOutput(rows, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.CaseCreateInput, responses={201: s.CaseDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(s.CaseCreateInput, request.data)
        case = services.case_create(
            actor=request.user,
            organisation=network_queries.active_organisation_get(data["organisation"]),
            title=data["title"],
            identity=ChildIdentity(**data["child"]),
            first_task=_first_task(data["first_task"]),
        )
        return _detail(queries.case_get_for(request.user, case.pk), status=201)


class CaseDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.CaseDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)
        detail = queries.case_detail(access)
        services.case_record_read(
            actor=request.user, access=access, purpose="Fallakte einsehen (API)", persons=detail.persons_shown
        )
        return Response(s.CaseDetailOutput(detail).data)


class GuardianApi(APIView):
    @extend_schema(tags=TAGS, request=s.GuardianInput, responses={201: s.CaseDetailOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)
        data = validated(s.GuardianInput, request.data)
        relation = data.pop("relation")
        services.guardian_add(
            actor=request.user, access=access, relation=relation, identity=GuardianIdentity(**data)
        )
        return _detail(access, status=201)


class CaseInviteApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.InviteInput, responses={201: s.ParticipationOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)
        data = validated(s.InviteInput, request.data)
        data["organisation"] = network_queries.active_organisation_get(data["organisation"])
        participation = services.participation_invite(actor=request.user, access=access, **data)
        return Response(s.ParticipationOutput(participation).data, status=201)


@extend_schema(tags=TAGS, responses={200: s.InvitationOutput(many=True), **ERROR_RESPONSES})
class InvitationListApi(generics.GenericAPIView):
    # Invitations to my organisations (only the coordination can answer them).
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(queries.invitations_for(request.user))
        return self.get_paginated_response(s.InvitationOutput(page, many=True).data)


@extend_schema(tags=TAGS, responses={200: s.PendingHandoverOutput(many=True), **ERROR_RESPONSES})
class HandoverListApi(generics.GenericAPIView):
    # Lead hand-overs waiting for my organisations, answered at cases/{case}/handover/{id}/answer/.
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(queries.handovers_for(request.user)) or []
        answerable = policy.answerable_handovers(request.user, page)
        data = s.PendingHandoverOutput(page, many=True, context={"answerable": answerable}).data
        return self.get_paginated_response(data)


class InvitationAnswerApi(APIView):
    @extend_schema(
        tags=TAGS, request=s.AnswerInput, responses={200: s.ParticipationOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        participation = queries.invitation_get_for(request.user, pk)
        accept = validated(s.AnswerInput, request.data)["accept"]
        participation = services.participation_respond(
            actor=request.user, participation=participation, accept=accept
        )
        return Response(s.ParticipationOutput(participation).data)


class TaskCreateApi(APIView):
    @extend_schema(tags=TAGS, request=s.TaskInput, responses={201: s.TaskOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)
        first = _first_task(validated(s.TaskInput, request.data))
        task = services.task_create(
            actor=request.user,
            access=access,
            title=first.title,
            owner=first.owner or request.user,
            due_date=first.due_date,
            completes_on=first.completes_on,
        )
        return Response(s.TaskOutput(task).data, status=201)


class TaskCompleteApi(APIView):
    @extend_schema(tags=TAGS, request=s.TaskCompleteInput, responses={200: s.TaskOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, task_pk: int) -> Response:
        access = queries.case_get_for(request.user, pk)
        task = queries.task_get_for(access, task_pk)
        data = validated(s.TaskCompleteInput, request.data)
        next_task = data.get("next_task")
        task = services.task_complete(
            actor=request.user,
            access=access,
            task=task,
            note=data["note"],
            next_task=_first_task(next_task) if next_task else None,
        )
        return Response(s.TaskOutput(task).data)


class TaskReassignApi(APIView):
    @extend_schema(tags=TAGS, request=s.TaskReassignInput, responses={200: s.TaskOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, task_pk: int) -> Response:
        access = queries.case_get_for(request.user, pk)
        task = queries.task_get_for(access, task_pk)
        data = validated(s.TaskReassignInput, request.data)
        task = services.task_reassign(
            actor=request.user,
            access=access,
            task=task,
            owner=account_queries.user_get(data["owner"]),
            due_date=data.get("due_date"),
        )
        return Response(s.TaskOutput(task).data)


@extend_schema(tags=TAGS, responses={200: s.MyTaskOutput(many=True), **ERROR_RESPONSES})
class MyTasksApi(generics.GenericAPIView):
    def get(self, request: AuthenticatedRequest) -> Response:
        """'Meine Aufgaben': open tasks, overdue first."""
        page = self.paginate_queryset(queries.task_list_for(request.user)) or []
        services.task_list_record_read(actor=request.user, tasks=list(page), purpose="Meine Aufgaben (API)")
        return self.get_paginated_response(s.MyTaskOutput(page, many=True).data)


class HandoverApi(APIView):
    @extend_schema(tags=TAGS, request=s.HandoverInput, responses={201: s.HandoverOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)
        data = validated(s.HandoverInput, request.data)
        handover = services.lead_handover_request(
            actor=request.user,
            access=access,
            to_organisation=network_queries.active_organisation_get(data["to_organisation"]),
            note=data["note"],
        )
        return Response(s.HandoverOutput(handover).data, status=201)


class HandoverAnswerApi(APIView):
    @extend_schema(tags=TAGS, request=s.AnswerInput, responses={200: s.HandoverOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, handover_pk: int) -> Response:
        access = queries.case_get_for(request.user, pk)
        handover = queries.handover_get_for(request.user, handover_pk, case=access.case)
        accept = validated(s.AnswerInput, request.data)["accept"]
        handover = services.lead_handover_respond(actor=request.user, handover=handover, accept=accept)
        return Response(s.HandoverOutput(handover).data)


class CaseCloseApi(APIView):
    @extend_schema(tags=TAGS, request=s.CloseInput, responses={200: s.CaseDetailOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        access = queries.case_get_for(request.user, pk)
        services.case_close(actor=request.user, access=access, **validated(s.CloseInput, request.data))
        return _detail(queries.case_get_for(request.user, pk))


def _log_filter(data: dict[str, Any], *, case_log: bool) -> access_log.LogFilter:
    return access_log.LogFilter(
        person=data.get("person"),
        organisation=data.get("organisation") if case_log else None,
        action=data.get("action", ""),
        since=data.get("since"),
        until=data.get("until"),
        case="" if case_log else data.get("case", "").strip(),
    )


CSV_RESPONSE: dict[Any, Any] = {(200, "text/csv"): OpenApiTypes.STR, **ERROR_RESPONSES}


def _case_log(request: AuthenticatedRequest, pk: UUID, purpose: str) -> tuple[policy.CaseAccess, Any]:
    """The case's filtered log for its lead coordination (403 for other participants, 404 for
    everyone else); the look at it is on record."""
    access = queries.case_get_for(request.user, pk)
    policy.require_view_audit(request.user, access)
    f = _log_filter(validated(s.AccessLogInput, request.query_params.dict()), case_log=True)
    access_log.case_log_read_record(actor=request.user, access=access, purpose=purpose, f=f)
    return access, access_log.case_log(access, f)


def _organisation_log(request: AuthenticatedRequest, purpose: str) -> Any:
    """The officer's organisation's filtered log (404 for anyone who is not its officer); the look
    at it is on record."""
    data = validated(s.AccessLogInput, request.query_params.dict())
    organisation = access_log.officer_organisation_get(request.user, data.get("organisation"))
    f = _log_filter(data, case_log=False)
    access_log.log_read_record(actor=request.user, organisation_id=organisation.pk, purpose=purpose, f=f)
    return access_log.organisation_log(organisation, f)


class CaseAuditApi(generics.GenericAPIView):
    @extend_schema(
        tags=TAGS,
        parameters=[s.AccessLogInput],
        responses={200: s.AuditEventOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """Who accessed the case, when, for which purpose (the lead organisation's coordination);
        filtered by person, acting organisation, action and period."""
        _, events = _case_log(request, pk, "Zugriffsprotokoll des Falls einsehen (API)")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.AuditEventOutput(page, many=True).data)


class CaseAuditExportApi(APIView):
    @extend_schema(tags=TAGS, parameters=[s.AccessLogInput], responses=CSV_RESPONSE)
    def get(self, request: AuthenticatedRequest, pk: UUID) -> StreamingHttpResponse:
        """The case's access log as CSV (semicolons; cells that a spreadsheet would run as a formula
        begin with an apostrophe)."""
        access, events = _case_log(request, pk, "Zugriffsprotokoll des Falls exportieren (CSV, API)")
        return access_log.csv_response(events, f"zugriffsprotokoll-{access.case.child.pseudonym}.csv")


PRIVACY_TAGS = ["Datenschutz"]


class AccessLogApi(generics.GenericAPIView):
    @extend_schema(
        tags=PRIVACY_TAGS,
        parameters=[s.AccessLogInput],
        responses={200: s.OrganisationAuditEventOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The organisation's access log across all cases, for its data-protection officers
        (``organisation``: which of theirs; others get 404). Reading it is on record too."""
        events = _organisation_log(request, "Zugriffsprotokoll der Organisation einsehen (Datenschutz, API)")
        page = self.paginate_queryset(events) or []
        context = {"pseudonyms": access_log.case_pseudonyms(page)}
        return self.get_paginated_response(
            s.OrganisationAuditEventOutput(page, many=True, context=context).data
        )


class AccessLogExportApi(APIView):
    @extend_schema(tags=PRIVACY_TAGS, parameters=[s.AccessLogInput], responses=CSV_RESPONSE)
    def get(self, request: AuthenticatedRequest) -> StreamingHttpResponse:
        """The organisation's access log as CSV, for its data-protection officers."""
        purpose = "Zugriffsprotokoll der Organisation exportieren (CSV, Datenschutz, API)"
        return access_log.csv_response(_organisation_log(request, purpose), "zugriffsprotokoll.csv")


class AccessAlertListApi(generics.GenericAPIView):
    @extend_schema(
        tags=PRIVACY_TAGS,
        parameters=[s.OrganisationInput],
        responses={200: s.AccessAlertOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """Unusual access in the organisation (one person opening more cases in an hour than the
        limit), newest first, for its data-protection officers."""
        data = validated(s.OrganisationInput, request.query_params.dict())
        organisation = access_log.officer_organisation_get(request.user, data.get("organisation"))
        page = self.paginate_queryset(access_log.organisation_alerts(organisation))
        return self.get_paginated_response(s.AccessAlertOutput(page, many=True).data)


class ChildSearchApi(APIView):
    throttle_classes = [ScopedThrottle]
    throttle_scope = "child_search"

    @extend_schema(
        tags=TAGS,
        parameters=[s.ChildSearchInput],
        responses={200: s.ChildMatchOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """Children in my cases matching exactly or by sound (Kölner Phonetik) and birth month."""
        data = validated(s.ChildSearchInput, request.query_params.dict())
        matches = queries.child_search_for(request.user, **data)
        services.child_search_record(
            actor=request.user,
            purpose="Kind suchen (API)",
            shown=[m.child.pseudonym for m in matches],
            **data,
        )
        return Response(s.ChildMatchOutput(matches, many=True).data)


class DuplicateListApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.DuplicateOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """My organisation's other open cases that are likely about this case's child (exact or
        phonetic match of the identity vault), not yet decided on."""
        access = queries.case_get_for(request.user, pk)
        duplicates = queries.duplicates_for(access)
        if duplicates:
            services.record_read(
                actor=request.user,
                object_type="Case",
                purpose=f"Hinweis auf möglichen Doppelfall zu Fall {access.case.child.pseudonym} (API)",
                shown=[str(case.pk) for case in duplicates],
            )
        return Response(s.DuplicateOutput(duplicates, many=True).data)


class DuplicateCompareApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="v1_cases_duplicates_compare",
        responses={200: s.DuplicateSideOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest, pk: UUID, other_pk: UUID) -> Response:
        """Both cases side by side (each read is on record with the persons shown)."""
        access, other = queries.duplicate_pair_for(request.user, pk, other_pk)
        sides = [queries.case_detail(side) for side in (access, other)]
        for detail in sides:
            services.case_record_read(
                actor=request.user,
                access=detail.access,
                purpose="Möglichen Doppelfall vergleichen (API)",
                what="duplicate",
                persons=detail.persons_shown,
            )
        return Response(s.DuplicateSideOutput(sides, many=True).data)


class DuplicateJoinApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={201: s.CaseJoinOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, other_pk: UUID) -> Response:
        """Join the newer of the two cases into the older, for my organisation (its coordination)."""
        access, other = queries.duplicate_pair_for(request.user, pk, other_pk)
        join = services.case_join(actor=request.user, access=access, other=other)
        return Response(s.CaseJoinOutput(join).data, status=201)


class DuplicateDistinctApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={201: s.CaseJoinOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, other_pk: UUID) -> Response:
        """Record that the two cases are not about the same child."""
        access, other = queries.duplicate_pair_for(request.user, pk, other_pk)
        decision = services.case_mark_distinct(actor=request.user, access=access, other=other)
        return Response(s.CaseJoinOutput(decision).data, status=201)


class JoinListApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.JoinsOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """My organisation's joins around this case: the case it was joined into, the cases joined
        into it."""
        access = queries.case_get_for(request.user, pk)
        joins = queries.joins_for(request.user, access)
        return Response(s.JoinsOutput({"into": joins.into, "joined": [j.join for j in joins.joined]}).data)


class JoinUndoApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.CaseJoinOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: UUID, join_pk: int) -> Response:
        """Take a join (or a "not a duplicate") back; joins within 30 days."""
        access = queries.case_get_for(request.user, pk)
        join = services.case_join_undo(
            actor=request.user, access=access, join=queries.join_get_for(access, join_pk)
        )
        return Response(s.CaseJoinOutput(join).data)


class SpecialistAdviceApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.SpecialistAdviceOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The advice of the insoweit erfahrene Fachkraft: all of it for those who know the child
        (once a specialist is asked), its own for the specialist."""
        access = queries.case_get_for(request.user, pk)
        advice = advice_queries.advice_for(request.user, access)
        advice_services.advice_record_read(
            actor=request.user, access=access, advice=advice, purpose="Beratungsergebnis lesen (API)"
        )
        return Response(s.SpecialistAdviceOutput(advice, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.SpecialistAdviceInput,
        responses={201: s.SpecialistAdviceOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        """The specialist, taking part pseudonymised, records its advice (screened for identifying data)."""
        access = queries.case_get_for(request.user, pk)
        data = validated(s.SpecialistAdviceInput, request.data)
        advice = advice_services.advice_record(actor=request.user, access=access, **data)
        return Response(s.SpecialistAdviceOutput(advice).data, status=201)
