from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from schutznetz.accounts.http import AuthenticatedRequest
from schutznetz.kit.rest.exceptions import ERROR_RESPONSES
from schutznetz.network import policy
from schutznetz.network.models import Membership


class MembershipOutput(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "role", "job_title"]


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
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
