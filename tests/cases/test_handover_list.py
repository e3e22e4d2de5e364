"""A lead hand-over waiting for my organisation is one click from the start page: listed with the
invitations, with a link to the case, where it is answered; nobody else sees it there."""

from __future__ import annotations

import pytest
from django.test import Client

from schutznetz.cases import queries, services
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_waiting_handover_is_linked_from_the_start_page_and_listed_without_identity(
    client: Client, world: f.CaseWorld
) -> None:
    services.lead_handover_request(
        actor=world.lead,
        access=queries.case_get_for(world.lead, world.case.pk),  # type: ignore[attr-defined]
        to_organisation=world.network.provider,
        note="Mia Meier zieht nach Essen",
    )
    pseudonym = world.case.child.pseudonym  # type: ignore[attr-defined]

    login(client, world.participant)  # coordination of the care provider asked to take over
    start = client.get("/").text
    assert 'href="/faelle/einladungen/#uebergaben"><span class="counter">1</span> Übergabe der' in start
    listing = client.get("/faelle/einladungen/").text
    assert f"Fall {pseudonym}" in listing and f'href="/faelle/{world.case.pk}/"' in listing  # type: ignore[attr-defined]
    assert f"{world.network.dortmund.name} bittet {world.network.provider.name}" in listing
    # The list names the case by its pseudonym, the reason is read in the case: no identity here.
    assert "Meier" not in listing and "Essen" not in listing

    for other in (world.outsider, world.consultant):
        login(client, other)
        assert pseudonym not in client.get("/faelle/einladungen/").text
        assert "Keine offenen Übergaben." in client.get("/faelle/einladungen/").text


def test_a_member_who_cannot_answer_is_told_who_can(client: Client, world: f.CaseWorld) -> None:
    from schutznetz.network.models import Role

    services.lead_handover_request(
        actor=world.lead,
        access=queries.case_get_for(world.lead, world.case.pk),  # type: ignore[attr-defined]
        to_organisation=world.network.provider,
    )
    colleague = f.make_user("kollege")
    f.make_member(colleague, world.network.provider, Role.PROFESSIONAL)
    login(client, colleague)
    listing = client.get("/faelle/einladungen/").text
    assert f'href="/faelle/{world.case.pk}/">Zur Fallakte</a>' in listing  # type: ignore[attr-defined]
    assert "Beantworten kann die Koordination Ihrer Organisation." in listing
    assert "dort annehmen oder ablehnen" not in listing


def test_the_api_lists_waiting_handovers_to_my_organisations_and_who_may_answer(world: f.CaseWorld) -> None:
    from schutznetz.network.models import Role
    from tests.cases.test_api import api_for

    services.lead_handover_request(
        actor=world.lead,
        access=queries.case_get_for(world.lead, world.case.pk),  # type: ignore[attr-defined]
        to_organisation=world.network.provider,
        note="Mia Meier zieht nach Essen",
    )
    colleague = f.make_user("kollege")
    f.make_member(colleague, world.network.provider, Role.PROFESSIONAL)

    listed = api_for(colleague).get("/api/v1/handovers/")
    assert listed.status_code == 200
    (entry,) = listed.json()["results"]
    assert entry["case"] == str(world.case.pk)  # type: ignore[attr-defined]
    assert entry["pseudonym"] == world.case.child.pseudonym  # type: ignore[attr-defined]
    assert (entry["from_organisation"], entry["to_organisation"]) == (
        world.network.dortmund.pk,
        world.network.provider.pk,
    )
    assert entry["requested_by"] == world.lead.display_name
    assert entry["can_answer"] is False  # a professional: the coordination answers
    assert "Meier" not in listed.text and "Essen" not in listed.text  # no identity, no reason

    coordination = api_for(world.participant)
    (entry,) = coordination.get("/api/v1/handovers/").json()["results"]
    assert entry["can_answer"] is True
    answered = coordination.post(
        f"/api/v1/cases/{entry['case']}/handover/{entry['id']}/answer/",
        {"accept": True},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    assert coordination.get("/api/v1/handovers/").json()["results"] == []  # answered: gone

    for other in (world.outsider, world.consultant, world.lead):
        assert api_for(other).get("/api/v1/handovers/").json()["results"] == []
