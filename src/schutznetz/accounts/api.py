from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts import queries, services
from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.kit.rest.fields import StrictCharField
from schutznetz.kit.rest.views import validated
from schutznetz.network import policy
from schutznetz.network.models import Membership


class MembershipOutput(serializers.ModelSerializer):
    organisation_name = StrictCharField(source="organisation.name")

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "role", "job_title", "profession"]


class MeOutput(serializers.Serializer):
    username = StrictCharField()
    display_name = StrictCharField()
    memberships = MembershipOutput(many=True)


class MeApi(APIView):
    @extend_schema(tags=["Konto"], responses={200: MeOutput, **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The signed-in user and the organisations they act for."""
        user = request.user
        payload = {
            "username": user.username,
            "display_name": user.display_name,
            "memberships": policy.active_memberships(user),
        }
        return Response(MeOutput(payload).data)


class ApiTokenOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = StrictCharField()
    prefix = StrictCharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class ApiTokenIssuedOutput(ApiTokenOutput):
    token = StrictCharField(help_text="Das Token selbst: nur in dieser Antwort, nie wieder")


class ApiTokenInput(serializers.Serializer):
    name = StrictCharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=settings.API_TOKEN_LIFETIME_DAYS, required=False)


class ApiTokenListApi(APIView):
    @extend_schema(tags=["Konto"], responses={200: ApiTokenOutput(many=True), **ERROR_RESPONSES})
    def get(self, request: AuthenticatedRequest) -> Response:
        """My API tokens (revoked and expired ones too); the tokens themselves are never shown again."""
        return Response(ApiTokenOutput(queries.api_tokens_of(request.user), many=True).data)

    @extend_schema(
        tags=["Konto"], request=ApiTokenInput, responses={201: ApiTokenIssuedOutput, **ERROR_RESPONSES}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """A new API token; the answer holds it once."""
        issued = services.api_token_create(user=request.user, **validated(ApiTokenInput, request.data))
        payload = ApiTokenOutput(issued.token).data | {"token": issued.key}
        return Response(payload, status=201)


class ApiTokenRevokeApi(APIView):
    @extend_schema(tags=["Konto"], request=None, responses={200: ApiTokenOutput, **ERROR_RESPONSES})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Revoke one of my API tokens: it stops working at once."""
        token = services.api_token_revoke(actor=request.user, token=queries.api_token_of(request.user, pk))
        return Response(ApiTokenOutput(token).data)
