"""A consultation hour takes place in a practice only with the practice's consent: the practice sets
it up, an agreement between the two organisations covers it, or the practice accepts the request."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.network.agreements import services as agreements
from schutznetz.network.agreements.services import ClauseInput
from schutznetz.network.models import HandoverKind, Urgency
from schutznetz.notify.models import Notification
from schutznetz.outreach import queries, services
from schutznetz.outreach.models import HourStatus
from tests import factories as f
from tests.conftest import login
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def _propose(network: f.Network):  # type: ignore[no-untyped-def]
    """The youth office's coordinator asks to hold a consultation hour in the practice."""
    return services.consultation_hour_create(
        actor=network.dortmund_coordinator,
        practice=network.practice,
        counsellor=network.dortmund_professional_membership,
        weekday=3,
        start_time=time(14),
        end_time=time(16),
        valid_from=timezone.localdate(),
    )


def test_another_organisation_only_proposes_and_the_practice_decides(
    network: f.Network, client: Client
) -> None:
    hour = _propose(network)
    assert hour.status == HourStatus.PROPOSED
    assert hour not in queries.consultation_hours_current()
    assert Notification.objects.filter(recipient=network.practice_doctor, kind="consultation_hour_proposed")
    with pytest.raises(ValidationError):
        services.booking_create(
            actor=network.dortmund_professional,
            hour=hour,
            day=timezone.localdate() + timedelta(days=7),
            slot_start=time(14),
            reference="Pat.-Nr. 1",
            topic="Beratung",
            consent_recorded=True,
        )
    # Nobody else learns of the request.
    login(client, network.outsider)
    assert client.get(reverse("outreach:hour", args=[hour.pk])).status_code == 404
    # The practice agrees on the hour's page.
    login(client, network.practice_doctor)
    page = client.get(reverse("outreach:hour", args=[hour.pk]))
    assert "Sprechstunde zustimmen" in page.text
    client.post(reverse("outreach:hour_answer", args=[hour.pk]), {"answer": "accept"})
    hour.refresh_from_db()
    assert hour.status == HourStatus.ACTIVE and hour.answered_by == network.practice_doctor
    assert hour in queries.consultation_hours_current()
    assert Notification.objects.filter(
        recipient=network.dortmund_coordinator, kind="consultation_hour_answered"
    )
    assert AuditEvent.objects.filter(purpose="Sprechstunde beantworten", object_id=str(hour.pk)).exists()


def test_only_the_practice_answers_and_only_once(network: f.Network) -> None:
    hour = _propose(network)
    proposer = Client(headers={"Authorization": f"Token {api_key(network.dortmund_coordinator)}"})
    url = reverse("api:consultation-hour-answer", args=[hour.pk])
    assert proposer.post(url, {"accept": True}, content_type="application/json").status_code == 403
    practice = Client(headers={"Authorization": f"Token {api_key(network.practice_doctor)}"})
    declined = practice.post(url, {"accept": False}, content_type="application/json")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = practice.post(url, {"accept": True}, content_type="application/json")
    assert again.status_code == 400 and services.MSG_HOUR_ANSWERED in again.text


def test_an_agreement_between_them_is_the_consent(network: f.Network) -> None:
    agreement = agreements.agreement_create(
        actor=network.dortmund_coordinator,
        title="Sprechstunden in Praxen",
        parties=[network.dortmund, network.practice],
        valid_from=date(2026, 1, 1),
        clauses=[
            ClauseInput(HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.URGENT, network.dortmund, 1, "hours")
        ],
    )
    agreements.agreement_accept(actor=network.practice_doctor, agreement=agreement)
    assert _propose(network).status == HourStatus.ACTIVE


def test_the_practice_sets_up_its_own_hour(network: f.Network) -> None:
    hour = services.consultation_hour_create(
        actor=network.practice_doctor,
        practice=network.practice,
        counsellor=network.dortmund_professional_membership,
        weekday=1,
        start_time=time(9),
        end_time=time(10),
        valid_from=timezone.localdate(),
    )
    assert hour.status == HourStatus.ACTIVE
