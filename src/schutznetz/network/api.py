from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.network import agreements, knowledge, queries, services
from schutznetz.network.models import Membership, OnCallShift, Organisation, OrganisationUnit
from schutznetz.network.serializers import (
    AgreementCreateInput,
    AgreementDetailOutput,
    AgreementOutput,
    ArticleInput,
    ArticleOutput,
    AttachmentInput,
    AttachmentOutput,
    DirectoryFilterInput,
    JurisdictionAreaInput,
    JurisdictionAreaOutput,
    JurisdictionOutput,
    JurisdictionQueryInput,
    KnowledgeHitOutput,
    KnowledgeSearchInput,
    MemberOutput,
    MembershipUpdateInput,
    OnCallOutput,
    OnCallQueryInput,
    OnCallShiftCreateInput,
    OnCallShiftOutput,
    OrganisationDetailOutput,
    OrganisationListOutput,
    OrganisationUpdateInput,
    ResponseTimeInput,
    ResponseTimeOutput,
    UnitInput,
    UnitOutput,
)

GAP_WINDOW = timedelta(days=7)


class BinaryRenderer(BaseRenderer):
    """Lets a client ask for a file; the file itself is a FileResponse, errors are JSON."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return JSONRenderer().render(data)


def _validated(serializer_class: type, data: Any) -> dict[str, Any]:
    """Validate input; query strings come as plain dicts, so that `?at=` is an error, not "absent"."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(
    tags=["Netzwerk"],
    parameters=[DirectoryFilterInput],
    responses={200: OrganisationListOutput(many=True), **ERROR_RESPONSES},
)
class OrganisationListApi(generics.ListAPIView):
    """Organisations of the network, searchable by name, kind and place."""

    serializer_class = OrganisationListOutput

    def get_queryset(self) -> Any:
        return queries.organisation_list(**_validated(DirectoryFilterInput, self.request.query_params.dict()))


class OrganisationDetailApi(APIView):
    @extend_schema(tags=["Netzwerk"], responses={200: OrganisationDetailOutput, **ERROR_RESPONSES})
    def get(self, request: Request, pk: int) -> Response:
        return Response(OrganisationDetailOutput(queries.organisation_get(pk=pk)).data)

    @extend_schema(
        tags=["Netzwerk"],
        request=OrganisationUpdateInput,
        responses={200: OrganisationDetailOutput, **ERROR_RESPONSES},
    )
    def patch(self, request: Request, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        data = _validated(OrganisationUpdateInput, request.data)
        services.organisation_update(actor=request.user, organisation=organisation, data=data)  # type: ignore[arg-type]
        return Response(OrganisationDetailOutput(queries.organisation_get(pk=pk)).data)


class OnCallApi(APIView):
    @extend_schema(
        tags=["Rufbereitschaft"],
        parameters=[OnCallQueryInput],
        responses={200: OnCallOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, pk: int) -> Response:
        """Who is on call at the organisation now (or at ``at``), and the gaps of the next 7 days."""
        organisation = queries.organisation_get(pk=pk)
        at = _validated(OnCallQueryInput, request.query_params.dict()).get("at") or timezone.now()
        shifts = queries.on_call_shifts_between(organisation=organisation, start=at, end=at + GAP_WINDOW)
        payload = {
            "at": at,
            "on_call": [s for s in shifts if s.starts_at <= at],
            "fallback_phone": organisation.phone,
            "gaps_next_7_days": queries.on_call_gaps(shifts, start=at, end=at + GAP_WINDOW),
        }
        return Response(OnCallOutput(payload).data)

    @extend_schema(
        tags=["Rufbereitschaft"],
        request=OnCallShiftCreateInput,
        responses={201: OnCallShiftOutput, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        data = _validated(OnCallShiftCreateInput, request.data)
        data["membership"] = get_object_or_404(Membership, pk=data["membership"], organisation=organisation)
        shift = services.on_call_shift_create(actor=request.user, organisation=organisation, **data)  # type: ignore[arg-type]
        return Response(OnCallShiftOutput(shift).data, status=201)


class OnCallShiftCancelApi(APIView):
    @extend_schema(
        tags=["Rufbereitschaft"], request=None, responses={200: OnCallShiftOutput, **ERROR_RESPONSES}
    )
    def post(self, request: Request, pk: int) -> Response:
        shift = get_object_or_404(
            OnCallShift.objects.select_related("organisation", "membership__user"),
            pk=pk,
            organisation__is_active=True,
        )
        shift = services.on_call_shift_cancel(actor=request.user, shift=shift)  # type: ignore[arg-type]
        return Response(OnCallShiftOutput(shift).data)


class JurisdictionApi(APIView):
    @extend_schema(
        tags=["Zuständigkeit"],
        parameters=[JurisdictionQueryInput],
        responses={200: JurisdictionOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """The youth office competent for a postal code (and municipality, where the code is split)."""
        query = _validated(JurisdictionQueryInput, request.query_params.dict())
        try:
            youth_office = queries.jurisdiction_lookup(**query)
        except queries.JurisdictionError as error:
            raise ValidationError({error.field: [error.message]}) from error
        payload = {
            **query,
            "youth_office": youth_office,
            "on_call": queries.on_call_at(organisation_ids=[youth_office.pk], at=timezone.now()),
        }
        return Response(JurisdictionOutput(payload).data)


class JurisdictionAreaApi(APIView):
    @extend_schema(
        tags=["Zuständigkeit"], responses={200: JurisdictionAreaOutput(many=True), **ERROR_RESPONSES}
    )
    def get(self, request: Request, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        return Response(JurisdictionAreaOutput(organisation.jurisdiction_areas.all(), many=True).data)

    @extend_schema(
        tags=["Zuständigkeit"],
        request=JurisdictionAreaInput,
        responses={201: JurisdictionAreaOutput, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        organisation: Organisation = queries.organisation_get(pk=pk)
        data = _validated(JurisdictionAreaInput, request.data)
        area = services.jurisdiction_area_add(actor=request.user, youth_office=organisation, **data)  # type: ignore[arg-type]
        return Response(JurisdictionAreaOutput(area).data, status=201)


def _active_membership(pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation", "unit"),
        pk=pk,
        is_active=True,
        organisation__is_active=True,
    )


class MembershipApi(APIView):
    @extend_schema(
        tags=["Netzwerk"], request=MembershipUpdateInput, responses={200: MemberOutput, **ERROR_RESPONSES}
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change a member's role, function, phone or unit (coordinators of the organisation)."""
        membership = _active_membership(pk)
        data = _validated(MembershipUpdateInput, request.data)
        if data["unit"] is not None:
            data["unit"] = get_object_or_404(
                OrganisationUnit, pk=data["unit"], organisation=membership.organisation
            )
        services.membership_update(actor=request.user, membership=membership, **data)  # type: ignore[arg-type]
        return Response(MemberOutput(membership).data)


class MembershipEndApi(APIView):
    @extend_schema(tags=["Netzwerk"], request=None, responses={200: MemberOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        """End a membership; the person's future on-call duty is withdrawn."""
        membership = _active_membership(pk)
        services.membership_end(actor=request.user, membership=membership)  # type: ignore[arg-type]
        return Response(MemberOutput(membership).data)


class UnitApi(APIView):
    @extend_schema(tags=["Netzwerk"], request=UnitInput, responses={201: UnitOutput, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        unit = services.unit_add(
            actor=request.user, organisation=organisation, **_validated(UnitInput, request.data)
        )  # type: ignore[arg-type]
        return Response(UnitOutput(unit).data, status=201)


@extend_schema(tags=["Kooperation"], responses={200: AgreementOutput(many=True), **ERROR_RESPONSES})
class AgreementListApi(generics.ListAPIView):
    """Cooperation agreements my organisations are party to."""

    serializer_class = AgreementOutput

    def get_queryset(self) -> Any:
        return queries.agreement_list_for(self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        tags=["Kooperation"],
        request=AgreementCreateInput,
        responses={201: AgreementDetailOutput, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = _validated(AgreementCreateInput, request.data)
        organisations = {
            o.pk: o
            for o in Organisation.objects.filter(
                pk__in={
                    *data["parties"],
                    *(c["responsible"] for c in data["clauses"]),
                    *(r["organisation"] for r in data["crisis_roster"]),
                },
                is_active=True,
            )
        }

        def organisation(pk: int, field: str) -> Organisation:
            if pk not in organisations:
                raise ValidationError({field: [f"Organisation {pk} nicht gefunden."]})
            return organisations[pk]

        agreement = agreements.agreement_create(
            actor=request.user,  # type: ignore[arg-type]
            title=data["title"],
            parties=[organisation(pk, "parties") for pk in data["parties"]],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            state=data["state"],
            clauses=[
                agreements.ClauseInput(**{**c, "responsible": organisation(c["responsible"], "clauses")})
                for c in data["clauses"]
            ],
            crisis_roster=[
                (organisation(r["organisation"], "crisis_roster"), r["role"]) for r in data["crisis_roster"]
            ],
        )
        return Response(
            AgreementDetailOutput(queries.agreement_get_for(request.user, agreement.pk)).data,  # type: ignore[arg-type]
            status=201,
        )


class AgreementDetailApi(APIView):
    @extend_schema(tags=["Kooperation"], responses={200: AgreementDetailOutput, **ERROR_RESPONSES})
    def get(self, request: Request, pk: int) -> Response:
        return Response(AgreementDetailOutput(queries.agreement_get_for(request.user, pk)).data)  # type: ignore[arg-type]


class ResponseTimeApi(APIView):
    @extend_schema(
        tags=["Kooperation"],
        parameters=[ResponseTimeInput],
        responses={200: ResponseTimeOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """The response time and contact that apply to a hand-over, from the agreements or the default."""
        data = _validated(ResponseTimeInput, request.query_params.dict())
        terms = agreements.response_terms(
            sender=queries.organisation_get(pk=data["sender"]),
            receiver=queries.organisation_get(pk=data["receiver"]),
            kind=data["kind"],
            urgency=data["urgency"],
            received_at=data.get("received_at"),
        )
        return Response(ResponseTimeOutput(terms).data)


class KnowledgeSearchApi(APIView):
    @extend_schema(
        tags=["Wissen"],
        parameters=[KnowledgeSearchInput],
        responses={200: KnowledgeHitOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        """German full-text search over the articles published to my organisations."""
        q = _validated(KnowledgeSearchInput, request.query_params.dict())["q"]
        return Response(KnowledgeHitOutput(knowledge.search(request.user, q), many=True).data)  # type: ignore[arg-type]


class ArticleCreateApi(APIView):
    @extend_schema(tags=["Wissen"], request=ArticleInput, responses={201: ArticleOutput, **ERROR_RESPONSES})
    def post(self, request: Request) -> Response:
        article = knowledge.article_create(actor=request.user, **_validated(ArticleInput, request.data))  # type: ignore[arg-type]
        return Response(ArticleOutput(article).data, status=201)


class AttachmentCreateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["Wissen"],
        request={"multipart/form-data": AttachmentInput},
        responses={201: AttachmentOutput, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Attach a file (PDF, Office, OpenDocument, PNG, JPEG; at most 20 MB) to an article."""
        article = knowledge.article_get_for(request.user, pk)  # type: ignore[arg-type]
        upload = _validated(AttachmentInput, request.data)["file"]
        attachment = knowledge.attachment_add(actor=request.user, article=article, upload=upload)  # type: ignore[arg-type]
        return Response(AttachmentOutput(attachment).data, status=201)


class AttachmentDownloadApi(APIView):
    renderer_classes = [JSONRenderer, BinaryRenderer]

    @extend_schema(
        tags=["Wissen"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="the file"),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request, pk: int, attachment_pk: int) -> FileResponse:
        attachment = knowledge.attachment_get_for(request.user, pk, attachment_pk)  # type: ignore[arg-type]
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )


class ArticleDetailApi(APIView):
    @extend_schema(tags=["Wissen"], responses={200: ArticleOutput, **ERROR_RESPONSES})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ArticleOutput(knowledge.article_get_for(request.user, pk)).data)  # type: ignore[arg-type]
