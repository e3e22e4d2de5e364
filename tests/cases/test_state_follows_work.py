"""The case's state follows the work, and a step done elsewhere completes the task that waited for it:
a paediatrician's "Jugendamt informieren" is done when the Jugendamt joins, the lead moves on when
the Jugendamt takes it (§ 4 Abs. 3 KKG, § 8a SGB VIII)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries, services
from schutznetz.cases.models import (
    CaseRole,
    CaseState,
    LegalBasis,
    Task,
    TaskStatus,
    TaskTrigger,
    TimelineEntry,
)
from schutznetz.network.models import OrganisationKind
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _doctors_case(network: f.Network, trigger: str = TaskTrigger.YOUTH_OFFICE_INFORMED) -> Any:
    return services.case_create(
        actor=network.practice_doctor,
        organisation=network.practice,
        title="Hämatome unklarer Ursache",
        identity=f.child_identity(),
        first_task=services.FirstTask(
            "Jugendamt informieren", timezone.localdate() + timedelta(days=1), completes_on=trigger
        ),
    )


def _invite_youth_office(network: f.Network, access: Any) -> Any:
    return services.participation_invite(
        actor=network.practice_doctor,
        access=access,
        organisation=network.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
    )


def test_the_youth_office_joining_reports_the_case_and_completes_the_doctors_task(
    network: f.Network,
) -> None:
    case = _doctors_case(network)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    invitation = _invite_youth_office(network, access)
    case.refresh_from_db()
    assert case.state == CaseState.CONCERN_DOCUMENTED
    assert Task.objects.get(case=case).status == TaskStatus.OPEN  # invited is not informed

    services.participation_respond(actor=network.dortmund_coordinator, participation=invitation, accept=True)

    case.refresh_from_db()
    assert case.state == CaseState.REPORTED
    done = Task.objects.get(case=case, title="Jugendamt informieren")
    assert (done.status, done.note) == (
        TaskStatus.DONE,
        "Erledigt: Jugendamt Dortmund (Test) ist am Fall beteiligt.",
    )
    # The case keeps a dated next step: the lead person's.
    follow_up = Task.objects.get(case=case, status=TaskStatus.OPEN)
    assert (follow_up.title, follow_up.owner) == (services.FOLLOW_UP_TITLE, network.practice_doctor)
    texts = list(TimelineEntry.objects.filter(case=case).values_list("text", flat=True))
    assert "Stand: Mitteilung an das Jugendamt (§ 4 Abs. 3 KKG)" in texts
    assert (
        "Aufgabe „Jugendamt informieren“ erledigt: Jugendamt Dortmund (Test) ist am Fall beteiligt." in texts
    )


def test_the_youth_office_taking_the_lead_moves_the_case_to_the_risk_assessment(network: f.Network) -> None:
    case = _doctors_case(network, TaskTrigger.LEAD_HANDED_OVER)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    invitation = _invite_youth_office(network, access)
    services.participation_respond(actor=network.dortmund_coordinator, participation=invitation, accept=True)
    task = Task.objects.get(case=case, title="Jugendamt informieren")
    assert task.status == TaskStatus.OPEN  # it waits for the lead, not for the joining
    handover = services.lead_handover_request(
        actor=network.practice_doctor, access=access, to_organisation=network.dortmund
    )
    services.lead_handover_respond(
        actor=network.dortmund_coordinator,
        handover=handover,
        accept=True,
        lead_user=network.dortmund_professional,
    )
    case.refresh_from_db()
    task.refresh_from_db()
    assert case.state == CaseState.RISK_ASSESSMENT
    assert task.status == TaskStatus.DONE
    assert task.note == "Erledigt: Jugendamt Dortmund (Test) hat die Fallführung übernommen."
    follow_up = Task.objects.get(case=case, status=TaskStatus.OPEN)
    assert follow_up.owner == network.dortmund_professional  # the new lead person


def test_a_task_without_a_trigger_stays_open_and_a_case_never_moves_back(network: f.Network) -> None:
    case = _doctors_case(network, trigger="")
    access = queries.case_get_for(network.practice_doctor, case.pk)
    case.state = CaseState.MEASURES
    case.save(update_fields=["state"])
    invitation = _invite_youth_office(network, access)
    services.participation_respond(actor=network.dortmund_coordinator, participation=invitation, accept=True)
    case.refresh_from_db()
    assert case.state == CaseState.MEASURES
    assert Task.objects.get(case=case).status == TaskStatus.OPEN


def test_the_trigger_is_chosen_in_the_page_and_the_api(network: f.Network, client: Client) -> None:
    case = _doctors_case(network, trigger="")
    doctor = login(client, network.practice_doctor)
    form = doctor.get(f"/faelle/{case.pk}/aufgaben/", headers={"HX-Request": "true"})
    assert "Erledigt sich von selbst" in form.text
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = doctor.post(
        f"/faelle/{case.pk}/aufgaben/",
        {
            "task-title": "Fachberatung hinzuziehen",
            "task-owner": network.practice_doctor.pk,
            "task-due_date": due,
            "task-completes_on": TaskTrigger.SPECIALIST_CONSULTED,
        },
    )
    assert response.status_code in (200, 302)
    task = Task.objects.get(case=case, title="Fachberatung hinzuziehen")
    assert task.completes_on == TaskTrigger.SPECIALIST_CONSULTED
    assert "erledigt sich sobald eine insoweit erfahrene Fachkraft" in doctor.get(f"/faelle/{case.pk}/").text

    api = Client(headers={"Authorization": f"Token {f.api_key(network.practice_doctor)}"})
    body = {"title": "Jugendamt informieren", "due_date": due, "completes_on": "youth_office_informed"}
    created = api.post(f"/api/v1/cases/{case.pk}/tasks/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["completes_on"] == "youth_office_informed"
    wrong = api.post(
        f"/api/v1/cases/{case.pk}/tasks/",
        {**body, "completes_on": "whenever"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "completes_on" in wrong.json()


@pytest.mark.parametrize(
    ("role", "basis"),
    [
        (CaseRole.SPECIALIST, LegalBasis.SGB8_8A_4),  # a Träger's IeF under § 8a Abs. 4 SGB VIII
        (CaseRole.SPECIALIST, LegalBasis.KKG_4_2),
        (CaseRole.OTHER, LegalBasis.KKG_4_2),
    ],
)
def test_asking_an_experienced_specialist_completes_ief_hinzugezogen(
    network: f.Network, role: str, basis: str
) -> None:
    """'IeF hinzugezogen — angefragt oder am Fall beteiligt', as its label says: the request completes
    it, whichever of the specialist's role or basis names it."""
    case = _doctors_case(network, TaskTrigger.SPECIALIST_CONSULTED)
    centre = f.make_org("Kinderschutzzentrum (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    access = queries.case_get_for(network.practice_doctor, case.pk)
    services.participation_invite(
        actor=network.practice_doctor, access=access, organisation=centre, role=role, legal_basis=basis
    )
    task = Task.objects.get(case=case, completes_on=TaskTrigger.SPECIALIST_CONSULTED)
    assert task.status == TaskStatus.DONE
    assert task.note == "Erledigt: Kinderschutzzentrum (Test) ist als insoweit erfahrene Fachkraft angefragt."
    assert Task.objects.filter(case=case, status=TaskStatus.OPEN).exists()  # a dated next step remains
