"""The requests that once answered 500 for dates at the ends of the calendar answer with a German
validation error: meeting creation, on-call creation and query, the response-time look-up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01T00:00", "9999-12-31T23:59"]


@pytest.mark.parametrize("value", EXTREMES)
def test_api(value: str, client: Client, network: f.Network) -> None:
    login(client, network.dortmund_coordinator)
    member = network.dortmund_professional_membership
    on_call = reverse("api:organisation-on-call", args=[network.dortmund.pk])
    answers = [
        client.get(on_call, {"at": value}),
        client.post(
            on_call,
            {"membership": member.pk, "starts_at": value, "ends_at": value, "phone": "0231 1"},
            content_type="application/json",
        ),
        client.post(
            reverse("api:meeting-list"),
            {
                "organiser": network.dortmund.pk,
                "kind": "round_table",
                "title": "Runder Tisch",
                "starts_at": value,
                "ends_at": value,
                "location": "Rathaus",
            },
            content_type="application/json",
        ),
        client.get(
            reverse("api:response-time"),
            {
                "sender": network.practice.pk,
                "receiver": network.dortmund.pk,
                "kind": "report_to_youth_office",
                "urgency": "urgent",
                "received_at": value,
            },
        ),
    ]
    for response in answers:
        assert response.status_code == 400, response.content
        assert "Datum" in response.content.decode()


@pytest.mark.parametrize("value", ["0001-01-01 00:00", "9999-12-31 23:59"])
def test_pages(value: str, client: Client, network: f.Network) -> None:
    login(client, network.dortmund_coordinator)
    member = network.dortmund_professional_membership
    on_call = client.post(
        reverse("network:on_call_plan", args=[network.dortmund.pk]),
        {"membership": member.pk, "starts_at": value, "ends_at": value, "phone": "0231 1"},
    )
    meeting = client.post(
        reverse("meetings:create"),
        {
            "organiser": network.dortmund.pk,
            "kind": "round_table",
            "title": "Runder Tisch",
            "starts_at": value,
            "ends_at": value,
            "location": "Rathaus",
        },
    )
    for response in (on_call, meeting):
        assert response.status_code == 400
        assert "Bitte ein Datum zwischen 1900 und 2199 angeben." in response.content.decode()
