"""Issue 39, item 10: every read of a case's content is on the audit trail, not only the reads of
identity. The former Jugendamt after a move read the assessment, protection, help-plan, conference,
move and crisis sections with full content and no event; now every section a reader opens is on
record (``cases.read_audit``), once per request, beside the events views write themselves."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases import sections
from schutznetz.welfare import services as welfare
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


def _reads(user: Any, case: Any) -> int:
    return AuditEvent.objects.filter(actor=user, action="read", case_id=case.pk).count()


def test_the_former_youth_office_reads_no_section_of_the_case_off_the_record(
    client: Client, world: f.CaseWorld
) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    move = welfare.move_offer(
        actor=world.lead,
        access=access,
        data=welfare.MoveInput(
            street="Kortumstraße 12", postal_code="44787", city="Bochum", information="Schutzplan läuft."
        ),
    )
    welfare.move_respond(actor=world.network.bochum_coordinator, move=move, accept=True)
    login(client, world.lead)
    shown = 0
    for section in sections._SECTIONS.values():
        url = reverse(section.url_name, args=[world.case.pk])
        before = _reads(world.lead, world.case)
        response = client.get(url, HTTP_HX_REQUEST="true")
        if response.status_code != 200:
            continue
        shown += 1
        assert _reads(world.lead, world.case) > before, f"{section.key}: read without an event"
        latest = AuditEvent.objects.filter(actor=world.lead, case_id=world.case.pk).latest("id")
        assert latest.details.get("history_only"), section.key  # counted for the alert on repeated reads
    assert shown >= 5  # the history, assessment, protection, help plan, conferences, move ...


def test_one_event_per_read_and_none_for_a_refused_one(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    before = _reads(world.lead, world.case)
    assert client.get(f"/faelle/{world.case.pk}/").status_code == 200
    assert _reads(world.lead, world.case) == before + 1  # the case page's own event, not a second
    url = f"/faelle/{world.case.pk}/hilfeplan/"
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    event = AuditEvent.objects.filter(actor=world.lead, case_id=world.case.pk).latest("id")
    assert (event.action, event.purpose) == ("read", "Fallinhalt angezeigt")
    assert event.details["route"] == "welfare:help_plan"
    outsider = f.make_user()
    f.make_member(outsider, f.make_org("Jugendamt Essen (Test)", "youth_office"))
    login(client, outsider)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert not AuditEvent.objects.filter(actor=outsider, case_id=world.case.pk).exists()


def test_the_api_reads_are_on_record_too(world: f.CaseWorld) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    before = _reads(world.lead, world.case)
    assert api.get(f"/api/v1/cases/{world.case.pk}/protection/").status_code == 200
    assert _reads(world.lead, world.case) == before + 1
