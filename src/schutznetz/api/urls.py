"""REST API wiring only: each app owns its endpoints and serializers."""

from __future__ import annotations

from django.urls import path

from schutznetz.accounts.api import MeApi
from schutznetz.network import api as network

app_name = "api"

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("organisations/", network.OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", network.OrganisationDetailApi.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/on-call/", network.OnCallApi.as_view(), name="organisation-on-call"),
    path(
        "organisations/<int:pk>/jurisdiction-areas/",
        network.JurisdictionAreaApi.as_view(),
        name="organisation-jurisdiction-areas",
    ),
    path(
        "on-call-shifts/<int:pk>/cancel/", network.OnCallShiftCancelApi.as_view(), name="on-call-shift-cancel"
    ),
    path("organisations/<int:pk>/units/", network.UnitApi.as_view(), name="organisation-units"),
    path("memberships/<int:pk>/", network.MembershipApi.as_view(), name="membership-detail"),
    path("memberships/<int:pk>/end/", network.MembershipEndApi.as_view(), name="membership-end"),
    path("jurisdiction/", network.JurisdictionApi.as_view(), name="jurisdiction"),
]
