"""Nothing left unanswered: an invitation into a case and a hand-over of its lead have their answer
date from the agreements, are reminded half-way and escalated when the date has passed — to the
receiving coordination, for an urgent § 4 Abs. 3 KKG invitation also to its person on call now, and
to the asking person — once each, on the timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries, reminders, services
from schutznetz.cases.models import CaseRole, LegalBasis, TimelineEntry
from schutznetz.network.models import Membership, Urgency
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _titles(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


def test_an_urgent_report_invitation_is_reminded_then_escalated_to_the_person_on_call(
    network: f.Network,
) -> None:
    case = f.make_case(network.practice_doctor, network.practice)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    on_call = Membership.objects.get(user=network.dortmund_professional, organisation=network.dortmund)
    f.make_shift(network.admin, on_call, timezone.now() - timedelta(hours=1), hours=24)
    invitation = services.participation_invite(
        actor=network.practice_doctor,
        access=access,
        organisation=network.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
        reason="Bitte um Übernahme: Hämatome unklarer Ursache beim Säugling",
        urgency=Urgency.URGENT,
    )
    # Default terms for an urgent hand-over: one hour.
    assert invitation.respond_by is not None
    assert timedelta(minutes=59) < invitation.respond_by - invitation.invited_at <= timedelta(hours=1)
    first = _titles(network.dortmund_coordinator)[-1]
    assert first == f"Einladung zur Mitarbeit im Fall {case.child.pseudonym} (dringend)"

    assert reminders.remind_open_requests() == 0  # nothing yet
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert reminders.remind_open_requests() == 1
        assert reminders.remind_open_requests() == 0  # once
        assert reminders.escalate_open_requests() == 0
    assert "wartet auf Ihre Antwort" in _titles(network.dortmund_coordinator)[-1]
    assert not any("Überfällig" in t for t in _titles(network.dortmund_professional))

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert reminders.escalate_open_requests() == 1
        assert reminders.escalate_open_requests() == 0  # once
    overdue = f"Überfällig: Einladung in den Fall {case.child.pseudonym} ist unbeantwortet (dringend)"
    assert _titles(network.dortmund_coordinator)[-1] == overdue
    assert _titles(network.dortmund_professional)[-1] == overdue  # on call now
    assert "hat die Einladung" in _titles(network.practice_doctor)[-1]
    assert TimelineEntry.objects.filter(
        case=case, text__contains="unbeantwortet: Koordination erinnert, Rufbereitschaft informiert"
    ).exists()


def test_an_answered_invitation_is_neither_reminded_nor_escalated(network: f.Network) -> None:
    case = f.make_case(network.practice_doctor, network.practice)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    invitation = services.participation_invite(
        actor=network.practice_doctor,
        access=access,
        organisation=network.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
    )
    services.participation_respond(actor=network.dortmund_coordinator, participation=invitation, accept=True)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert reminders.remind_open_requests() == 0
        assert reminders.escalate_open_requests() == 0


def test_an_invitation_into_a_case_closed_meanwhile_is_neither_reminded_nor_escalated(
    network: f.Network,
) -> None:
    case = f.make_case(network.practice_doctor, network.practice)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    services.participation_invite(
        actor=network.practice_doctor,
        access=access,
        organisation=network.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
    )
    services.case_close(
        actor=network.practice_doctor,
        access=queries.case_get_for(network.practice_doctor, case.pk),
        reason="Befund erklärt sich durch eine Gerinnungsstörung.",
        open_tasks_note="entfällt",
    )
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert reminders.remind_open_requests() == 0
        assert reminders.escalate_open_requests() == 0


def test_a_lead_handover_is_reminded_and_escalated_to_both_sides(world: f.CaseWorld) -> None:
    access = queries.case_get_for(world.lead, world.case.pk)
    handover = services.lead_handover_request(
        actor=world.lead, access=access, to_organisation=world.network.provider
    )
    assert handover.respond_by is not None  # one working day by default
    with time_machine.travel(handover.respond_by - timedelta(minutes=1)):
        assert reminders.remind_open_requests() == 1
    with time_machine.travel(handover.respond_by + timedelta(minutes=1)):
        assert reminders.escalate_open_requests() == 1
    assert "Übernahme der Fallführung" in _titles(world.participant)[-1]  # the provider's coordinator
    assert "nicht beantwortet" in _titles(world.lead)[-1]


def test_the_invited_coordination_reads_reason_urgency_and_answer_date(
    network: f.Network, client: Client
) -> None:
    case = f.make_case(network.practice_doctor, network.practice)
    doctor = login(Client(), network.practice_doctor)
    response = doctor.post(
        f"/faelle/{case.pk}/beteiligte/",
        {
            "invite-organisation": network.dortmund.pk,
            "invite-role": CaseRole.YOUTH_OFFICE,
            "invite-legal_basis": LegalBasis.KKG_4_3,
            "invite-reason": "Bitte um Beteiligung an der Gefährdungseinschätzung",
            "invite-urgency": Urgency.URGENT,
        },
    )
    assert response.status_code in (200, 302), response.content[:500]
    page = login(client, network.dortmund_coordinator).get("/faelle/einladungen/").text
    assert "Anlass: Bitte um Beteiligung an der Gefährdungseinschätzung" in page
    assert "dringend" in page and "Antwort erbeten bis" in page
    api = Client(headers={"Authorization": f"Token {f.api_key(network.dortmund_coordinator)}"})
    item = api.get("/api/v1/invitations/").json()["results"][0]
    assert item["reason"] == "Bitte um Beteiligung an der Gefährdungseinschätzung"
    assert item["urgency"] == "urgent" and item["respond_by"]


def test_a_reason_that_names_the_child_is_refused(network: f.Network) -> None:
    from django.core.exceptions import ValidationError

    case = f.make_case(network.practice_doctor, network.practice)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    with pytest.raises(ValidationError) as error:
        services.participation_invite(
            actor=network.practice_doctor,
            access=access,
            organisation=network.dortmund,
            role=CaseRole.YOUTH_OFFICE,
            legal_basis=LegalBasis.KKG_4_3,
            reason="Mia Meier hat Hämatome",
        )
    assert "reason" in error.value.message_dict
