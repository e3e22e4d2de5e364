"""Handover when the family moves (§ 8a Abs. 6 SGB VIII): from Dortmund to Bochum. Bochum is found
from the new address and offered the case with what it needs to assess the risk; Dortmund keeps the
lead until Bochum accepts; afterwards Dortmund reads the history, nothing more, for the configured
days, every read on the audit trail; then its access ends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Case, Participation, ParticipationStatus, Task
from schutznetz.cases.reminders import end_lapsed_read_access
from schutznetz.people.identity import child_identity
from schutznetz.welfare import services
from schutznetz.welfare.models import MoveHandover
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


def _offer(world: f.CaseWorld, **change: Any) -> MoveHandover:
    data = {
        "street": "Kortumstraße 12",
        "postal_code": "44787",
        "city": "Bochum",
        "information": "Latente Gefährdung (Vernachlässigung); Schutzplan mit Familienhilfe läuft.",
    } | change
    access = case_queries.case_get_for(world.lead, world.case.pk)
    return services.move_offer(actor=world.lead, access=access, data=services.MoveInput(**data))


def test_move_to_bochum_lead_stays_until_accepted_then_dortmund_reads_for_a_while(
    client: Client, world: f.CaseWorld
) -> None:
    bochum = world.network.bochum_coordinator
    login(client, world.lead)
    url = f"/faelle/{world.case.pk}/wegzug/neu/"
    form = {
        "street": "Kortumstraße 12",
        "postal_code": "44787",
        "city": "Bochum",
        "information": "Schutzplan läuft.",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    move = MoveHandover.objects.get()
    assert move.to_office == world.network.bochum and move.status == "pending"
    case = Case.objects.get(pk=world.case.pk)
    assert case.lead_organisation == world.network.dortmund  # until Bochum accepts
    assert child_identity(case.child).city == "Bochum"
    assert AuditEvent.objects.filter(
        action="disclose", case_id=case.pk, details__legal_basis="sgb8_8a_6"
    ).exists()

    # Bochum sees the offer (with the child) in its intake, but not yet the case.
    login(client, bochum)
    assert move.case.child.pseudonym in client.get("/meldungen/").content.decode()
    page = client.get(f"/uebergaben/{move.pk}/").content.decode()
    assert "Schutzplan läuft." in page and "Fall übernehmen" in page
    assert client.get(f"/faelle/{case.pk}/").status_code == 404
    assert AuditEvent.objects.filter(actor=bochum, action="read", case_id=case.pk).exists()
    # Dortmund cannot answer its own offer.
    login(client, world.lead)
    assert client.post(f"/uebergaben/{move.pk}/uebernehmen/").status_code == 404

    login(client, bochum)
    assert client.post(f"/uebergaben/{move.pk}/uebernehmen/").status_code == 302
    case.refresh_from_db()
    assert case.lead_organisation == world.network.bochum and case.lead_user == bochum
    old = Participation.objects.get(case=case, organisation=world.network.dortmund, status="active")
    assert old.read_only and old.valid_until is not None
    # Dortmund's open steps now lie with Bochum's lead person; nothing is left with a reader.
    assert not Task.objects.filter(
        case=case, status="open", owner_organisation=world.network.dortmund
    ).exists()
    assert Task.objects.filter(case=case, status="open", owner=bochum).count() >= 2
    assert timezone.now() + timedelta(days=89) < old.valid_until <= timezone.now() + timedelta(days=91)

    # Dortmund reads the history, every read audited — and writes nothing.
    login(client, world.lead)
    reads = AuditEvent.objects.filter(actor=world.lead, action="read", case_id=case.pk).count()
    assert client.get(f"/faelle/{case.pk}/").status_code == 200
    assert AuditEvent.objects.filter(actor=world.lead, action="read", case_id=case.pk).count() == reads + 1
    access = case_queries.case_get_for(world.lead, case.pk)
    assert not access.is_lead
    with pytest.raises((PermissionDenied, ValidationError)):
        from schutznetz.cases.services import task_create

        task_create(
            actor=world.lead,
            access=access,
            title="Noch etwas",
            owner=world.lead,
            due_date=timezone.localdate(),
        )
    assert client.get(f"/faelle/{case.pk}/schutz/schutzplan/").status_code == 403

    # After the period, Dortmund learns nothing more of the case.
    Participation.objects.filter(pk=old.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/faelle/{case.pk}/").status_code == 404
    assert end_lapsed_read_access() == 1
    assert Participation.objects.get(pk=old.pk).status == ParticipationStatus.ENDED


@override_settings(MOVE_HISTORY_READ_DAYS=7)
def test_the_read_period_is_configurable_and_bochum_may_decline_with_a_reason(world: f.CaseWorld) -> None:
    bochum = world.network.bochum_coordinator
    move = _offer(world)
    with pytest.raises(ValidationError):
        services.move_respond(actor=bochum, move=move, accept=False, reason=" ")
    services.move_respond(actor=bochum, move=move, accept=False, reason="Die Familie ist nach Herne gezogen.")
    assert Case.objects.get(pk=world.case.pk).lead_organisation == world.network.dortmund
    with pytest.raises(ValidationError):
        services.move_respond(actor=bochum, move=move, accept=True)
    second = _offer(world)
    services.move_respond(actor=bochum, move=second, accept=True)
    old = Participation.objects.get(case=world.case, organisation=world.network.dortmund, status="active")
    assert old.valid_until is not None and old.valid_until <= timezone.now() + timedelta(days=7)


BAD = [
    ({"postal_code": "99999"}, "postal_code"),
    ({"postal_code": "44135", "city": "Dortmund"}, "postal_code"),  # still Dortmund's
    ({"information": " "}, "information"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_offers_are_refused_and_nothing_changes(
    world: f.CaseWorld, change: dict[str, str], field: str
) -> None:
    before = child_identity(Case.objects.get(pk=world.case.pk).child)
    with pytest.raises(ValidationError) as error:
        _offer(world, **change)
    assert field in error.value.message_dict
    assert not MoveHandover.objects.exists()
    assert child_identity(Case.objects.get(pk=world.case.pk).child) == before


def test_only_the_two_youth_offices_see_the_offer_and_only_the_lead_offers(world: f.CaseWorld) -> None:
    move = _offer(world)
    with pytest.raises(ValidationError):
        _offer(world)  # one pending offer at a time
    for user in (world.participant, world.consultant, world.network.practice_doctor):
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(user)}")
        assert api.get(f"/api/v1/moves/{move.pk}/").status_code == 404
        assert (
            api.post(
                f"/api/v1/moves/{move.pk}/answer/", {"accept": True}, content_type="application/json"
            ).status_code
            == 404
        )
    provider_api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.participant)}")
    body = {"street": "A 1", "postal_code": "44787", "city": "Bochum", "information": "x"}
    assert (
        provider_api.post(
            f"/api/v1/cases/{world.case.pk}/moves/", body, content_type="application/json"
        ).status_code
        == 404
    )
    bochum_api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.network.bochum_coordinator)}")
    answered = bochum_api.post(
        f"/api/v1/moves/{move.pk}/answer/", {"accept": True}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"


def test_an_unanswered_move_offer_is_counted_reminded_and_escalated_once(
    client: Client, world: f.CaseWorld
) -> None:
    """Every request for an answer has a deadline, a reminder and an escalation: the move offer waits
    on the receiving Jugendamt's start page, is reminded at half its time and escalated when over."""
    from schutznetz.notify.models import Notification
    from schutznetz.welfare.reminders import escalate_move_offers, remind_move_offers

    bochum = world.network.bochum_coordinator
    move = _offer(world)
    login(client, bochum)
    assert "1</span> Übergabe bei Wegzug an mein Jugendamt" in client.get("/").text
    handovers = client.get("/faelle/einladungen/").text  # listed beside the lead hand-overs
    assert (
        "Übergaben bei Wegzug an mein Jugendamt" in handovers
        and f'href="/uebergaben/{move.pk}/"' in handovers
    )
    half = move.requested_at + (move.due_at - move.requested_at) / 2
    assert remind_move_offers(now=half - timedelta(minutes=1)) == 0
    assert remind_move_offers(now=half + timedelta(minutes=1)) == 1
    assert remind_move_offers(now=half + timedelta(minutes=2)) == 0  # once
    assert Notification.objects.filter(recipient=bochum, kind="move_reminder").count() == 1
    assert escalate_move_offers(now=move.due_at - timedelta(minutes=1)) == 0
    assert escalate_move_offers(now=move.due_at + timedelta(minutes=1)) == 1
    assert escalate_move_offers(now=move.due_at + timedelta(hours=1)) == 0  # once
    overdue = Notification.objects.filter(kind="move_overdue")
    assert {n.recipient_id for n in overdue} == {bochum.pk, world.lead.pk}
    assert world.case.timeline.filter(kind="move", text__contains="unbeantwortet").count() == 1
    # Answered: off the start page, nothing more to remind.
    services.move_respond(actor=bochum, move=move, accept=False, reason="Familie lebt noch in Dortmund.")
    assert "Übergabe bei Wegzug an mein Jugendamt" not in client.get("/").text
    assert f'href="/uebergaben/{move.pk}/"' not in client.get("/faelle/einladungen/").text
