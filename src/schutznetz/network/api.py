from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.views import BinaryRenderer, validated
from schutznetz.kit.views import stored_file
from schutznetz.network import policy, queries, services
from schutznetz.network.agreements import queries as agreement_queries
from schutznetz.network.agreements import services as agreement_services
from schutznetz.network.knowledge import queries as knowledge_queries
from schutznetz.network.knowledge import services as knowledge_services
from schutznetz.network.models import Organisation
from schutznetz.network.serializers import (
    AgreementCreateInput,
    AgreementDetailOutput,
    AgreementOutput,
    AlertChannelsOutput,
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
    MembershipCreateInput,
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
    SynonymInput,
    SynonymOutput,
    TopicOutput,
    UnitInput,
    UnitOutput,
)

GAP_DAYS = 7


@extend_schema(
    tags=["Netzwerk"],
    parameters=[DirectoryFilterInput],
    responses={200: OrganisationListOutput(many=True), **ERROR_RESPONSES},
)
class OrganisationListApi(generics.ListAPIView):
    """Organisations of the network, searchable by name, kind and place."""

    serializer_class = OrganisationListOutput

    def get_queryset(self) -> Any:
        return queries.organisation_list(**validated(DirectoryFilterInput, self.request.query_params.dict()))


class OrganisationDetailApi(APIView):
    @extend_schema(tags=["Netzwerk"], responses={200: OrganisationDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(OrganisationDetailOutput(queries.organisation_get(pk=pk)).data)

    @extend_schema(
        tags=["Netzwerk"],
        request=OrganisationUpdateInput,
        responses={200: OrganisationDetailOutput, **ERROR_RESPONSES},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        data = validated(OrganisationUpdateInput, request.data)
        services.organisation_update(actor=request.user, organisation=organisation, data=data)
        return Response(OrganisationDetailOutput(queries.organisation_get(pk=pk)).data)


class AlertChannelsApi(APIView):
    @extend_schema(tags=["Netzwerk"], responses={200: AlertChannelsOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        """How crisis alerts reach the organisation besides inbox and mail, with the webhook's signing
        key: for the organisation's coordination (set them with PATCH on the organisation)."""
        organisation = queries.organisation_get(pk=pk)
        policy.require_manage_organisation(request.user, organisation)
        return Response(AlertChannelsOutput(organisation).data)


class OnCallApi(APIView):
    @extend_schema(
        tags=["Rufbereitschaft"],
        parameters=[OnCallQueryInput],
        responses={200: OnCallOutput, **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Who is on call at the organisation now (or at ``at``), and the gaps of the next 7 days."""
        organisation = queries.organisation_get(pk=pk)
        at = validated(OnCallQueryInput, request.query_params.dict()).get("at") or timezone.now()
        plan = queries.on_call_plan(organisation, start=at, days=GAP_DAYS)
        payload = {
            "at": at,
            "on_call": plan.on_call_at(at),
            "fallback_phone": organisation.phone,
            "gaps_next_7_days": plan.gaps,
        }
        return Response(OnCallOutput(payload).data)

    @extend_schema(
        tags=["Rufbereitschaft"],
        request=OnCallShiftCreateInput,
        responses={201: OnCallShiftOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        data = validated(OnCallShiftCreateInput, request.data)
        data["membership"] = queries.membership_of(organisation, data["membership"])
        shift = services.on_call_shift_create(actor=request.user, organisation=organisation, **data)
        return Response(OnCallShiftOutput(shift).data, status=201)


class OnCallShiftCancelApi(APIView):
    @extend_schema(
        tags=["Rufbereitschaft"], request=None, responses={200: OnCallShiftOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        shift = services.on_call_shift_cancel(actor=request.user, shift=queries.on_call_shift_get(pk))
        return Response(OnCallShiftOutput(shift).data)


class JurisdictionApi(APIView):
    @extend_schema(
        tags=["Zuständigkeit"],
        parameters=[JurisdictionQueryInput],
        responses={200: JurisdictionOutput, **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The youth office competent for a postal code (and municipality, where the code is split)."""
        query = validated(JurisdictionQueryInput, request.query_params.dict())
        try:
            youth_office = queries.jurisdiction_lookup(**query)
        except queries.JurisdictionError as error:
            detail = {error.field: [error.message]}
            if error.choices:  # a split postal code: the districts to choose from
                detail["municipality_choices"] = [a.municipality or queries.OTHER_AREA for a in error.choices]
            if error.unknown:  # what to do now, wherever the child lives
                detail["emergency_contacts"] = [
                    f"{c.name}: {c.number} – {c.when}" for c in queries.NATIONWIDE_EMERGENCY
                ]
            raise ValidationError(detail, code="jurisdiction") from error
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
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        return Response(JurisdictionAreaOutput(queries.jurisdiction_areas_of(organisation), many=True).data)

    @extend_schema(
        tags=["Zuständigkeit"],
        request=JurisdictionAreaInput,
        responses={201: JurisdictionAreaOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        data = validated(JurisdictionAreaInput, request.data)
        area = services.jurisdiction_area_add(actor=request.user, youth_office=organisation, **data)
        return Response(JurisdictionAreaOutput(area).data, status=201)


class OrganisationMembersApi(APIView):
    @extend_schema(
        tags=["Netzwerk"], request=MembershipCreateInput, responses={201: MemberOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Add a person with an account (named by user name and e-mail address) to the organisation
        (coordinators of the organisation); audited, and the coordination is told."""
        organisation = queries.organisation_get(pk=pk)
        data = validated(MembershipCreateInput, request.data)
        if data["unit"] is not None:
            data["unit"] = queries.unit_of(organisation, data["unit"])
        membership = services.membership_create(actor=request.user, organisation=organisation, **data)
        return Response(MemberOutput(membership).data, status=201)


class MembershipApi(APIView):
    @extend_schema(
        tags=["Netzwerk"], request=MembershipUpdateInput, responses={200: MemberOutput, **ERROR_RESPONSES}
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Change a member's role, function, profession, phone or unit (coordinators of the
        organisation); fields not sent stay as they are."""
        membership = queries.active_membership_get(pk)
        sent = validated(MembershipUpdateInput, request.data, partial=True)
        if sent.get("unit") is not None:
            sent["unit"] = queries.unit_of(membership.organisation, sent["unit"])
        data = {
            "role": membership.role,
            "job_title": membership.job_title,
            "profession": membership.profession,
            "phone": membership.phone,
            "unit": membership.unit,
            **sent,
        }
        services.membership_update(actor=request.user, membership=membership, **data)
        return Response(MemberOutput(membership).data)


class MembershipEndApi(APIView):
    @extend_schema(tags=["Netzwerk"], request=None, responses={200: MemberOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """End a membership; the person's future on-call duty is withdrawn."""
        membership = queries.active_membership_get(pk)
        services.membership_end(actor=request.user, membership=membership)
        return Response(MemberOutput(membership).data)


class UnitApi(APIView):
    @extend_schema(tags=["Netzwerk"], request=UnitInput, responses={201: UnitOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        organisation = queries.organisation_get(pk=pk)
        unit = services.unit_add(
            actor=request.user, organisation=organisation, **validated(UnitInput, request.data)
        )
        return Response(UnitOutput(unit).data, status=201)


@extend_schema(tags=["Kooperation"], responses={200: AgreementOutput(many=True), **ERROR_RESPONSES})
class AgreementListApi(generics.GenericAPIView):
    """Cooperation agreements my organisations are party to."""

    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(agreement_queries.agreement_list_for(request.user))
        return self.get_paginated_response(AgreementOutput(page, many=True).data)

    @extend_schema(
        tags=["Kooperation"],
        request=AgreementCreateInput,
        responses={201: AgreementDetailOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(AgreementCreateInput, request.data)
        organisations = queries.active_organisations_by_id(
            {
                *data["parties"],
                *(c["responsible"] for c in data["clauses"]),
                *(r["organisation"] for r in data["crisis_roster"]),
            }
        )

        def organisation(pk: int, field: str) -> Organisation:
            if pk not in organisations:
                raise ValidationError({field: [f"Organisation {pk} nicht gefunden."]}, code="not_found")
            return organisations[pk]

        agreement = agreement_services.agreement_create(
            actor=request.user,
            title=data["title"],
            parties=[organisation(pk, "parties") for pk in data["parties"]],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            state=data["state"],
            clauses=[
                agreement_services.ClauseInput(
                    **{**c, "responsible": organisation(c["responsible"], "clauses")}
                )
                for c in data["clauses"]
            ],
            crisis_roster=[
                (organisation(r["organisation"], "crisis_roster"), r["role"]) for r in data["crisis_roster"]
            ],
        )
        return Response(
            AgreementDetailOutput(agreement_queries.agreement_get_for(request.user, agreement.pk)).data,
            status=201,
        )


class AgreementDetailApi(APIView):
    @extend_schema(tags=["Kooperation"], responses={200: AgreementDetailOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(AgreementDetailOutput(agreement_queries.agreement_get_for(request.user, pk)).data)


class ResponseTimeApi(APIView):
    @extend_schema(
        tags=["Kooperation"],
        parameters=[ResponseTimeInput],
        responses={200: ResponseTimeOutput, **ERROR_RESPONSES},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The response time and contact that apply to a hand-over, from the agreements or the default."""
        data = validated(ResponseTimeInput, request.query_params.dict())
        terms = agreement_queries.response_terms_for(
            request.user,
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
    def get(self, request: AuthenticatedRequest) -> Response:
        """German full-text search over the articles published to my organisations."""
        q = validated(KnowledgeSearchInput, request.query_params.dict())["q"]
        return Response(KnowledgeHitOutput(knowledge_queries.search(request.user, q), many=True).data)


class KnowledgeTopicsApi(APIView):
    @extend_schema(tags=["Wissen"], responses={200: TopicOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The articles published to my organisations, by their keywords."""
        return Response(TopicOutput(knowledge_queries.topics_for(request.user), many=True).data)


class SynonymListApi(APIView):
    @extend_schema(tags=["Wissen"], responses={200: SynonymOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The synonyms the search applies ("KWG" = "Kindeswohlgefährdung")."""
        return Response(SynonymOutput(knowledge_queries.synonyms(), many=True).data)

    @extend_schema(tags=["Wissen"], request=SynonymInput, responses={201: SynonymOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Add a group of synonyms (coordinations and the network administration)."""
        synonym = knowledge_services.synonym_create(
            actor=request.user, **validated(SynonymInput, request.data)
        )
        return Response(SynonymOutput(synonym).data, status=201)


class SynonymDetailApi(APIView):
    @extend_schema(tags=["Wissen"], request=SynonymInput, responses={200: SynonymOutput, **ERROR_RESPONSES})
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Replace a group's expressions (coordinations and the network administration)."""
        synonym = knowledge_queries.synonym_get(pk)
        synonym = knowledge_services.synonym_update(
            actor=request.user, synonym=synonym, **validated(SynonymInput, request.data)
        )
        return Response(SynonymOutput(synonym).data)

    @extend_schema(tags=["Wissen"], request=None, responses={204: None, **ERROR_RESPONSES})
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        synonym = knowledge_queries.synonym_get(pk)
        knowledge_services.synonym_delete(actor=request.user, synonym=synonym)
        return Response(status=204)


class ArticleCreateApi(APIView):
    @extend_schema(tags=["Wissen"], request=ArticleInput, responses={201: ArticleOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest) -> Response:
        article = knowledge_services.article_create(
            actor=request.user, **validated(ArticleInput, request.data)
        )
        return Response(ArticleOutput(article).data, status=201)


class AttachmentCreateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["Wissen"],
        request={"multipart/form-data": AttachmentInput},
        responses={201: AttachmentOutput, **ERROR_RESPONSES},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Attach a file (PDF, Office, OpenDocument, PNG, JPEG; at most 20 MB) to an article."""
        article = knowledge_queries.article_get_for(request.user, pk)
        upload = validated(AttachmentInput, request.data)["file"]
        attachment = knowledge_services.attachment_add(actor=request.user, article=article, upload=upload)
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
    def get(self, request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
        attachment = knowledge_queries.attachment_get_for(request.user, pk, attachment_pk)
        return stored_file(attachment.file, content_type=attachment.content_type, filename=attachment.name)


class ArticleDetailApi(APIView):
    @extend_schema(tags=["Wissen"], responses={200: ArticleOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(ArticleOutput(knowledge_queries.article_get_for(request.user, pk)).data)


class AgreementAcceptApi(APIView):
    @extend_schema(
        tags=["Kooperation"], request=None, responses={200: AgreementDetailOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Consent to the agreement for my organisation; with the last party's consent it takes effect."""
        agreement = agreement_queries.agreement_get_for(request.user, pk)
        agreement_services.agreement_accept(actor=request.user, agreement=agreement)
        return Response(AgreementDetailOutput(agreement_queries.agreement_get_for(request.user, pk)).data)
