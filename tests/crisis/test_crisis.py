"""The crisis protocol: a care provider raises a crisis in a case; the Jugendamt's, the child
psychiatry's and the ambulance service's people on call are alerted at the same minute (in the inbox
with the raise, by mail right after), a role without anyone on call is a gap that alerts the
coordination, each alert is a row with its state, and the answers come back to the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Participation, Task, TimelineEntry
from schutznetz.crisis import services
from schutznetz.crisis.models import Crisis, CrisisRecipient
from schutznetz.crisis.reminders import escalate_crises
from schutznetz.network.agreements.services import agreement_create
from schutznetz.network.models import CooperationAgreement, Organisation, OrganisationKind, Role
from schutznetz.notify.models import Alert, Notification
from schutznetz.notify.services import alert_deliver, deliver_due_alerts
from tests import factories as f
from tests.conftest import login
from tests.smtp import Inbox

SITUATION = "Jugendlicher droht, sich vom Balkon zu stürzen; Betreuerin vor Ort."
LOCATION = "Wohngruppe Hörde, Hörder Bahnhofstraße 5"


@dataclass
class CrisisWorld:
    case: f.CaseWorld
    clinic: Organisation
    ambulance: Organisation
    clinic_on_call: User
    ambulance_coordinator: User


def _crisis_alerts() -> Any:
    """The crisis's alerts, not the mails of the case world's other messages."""
    return Alert.objects.filter(key__startswith="crisis:")


@pytest.fixture
def world(db: Any) -> CrisisWorld:
    built = _world()
    deliver_due_alerts()  # the setup's own mails (invitations, the agreement) are out of the way
    return built


def _world() -> CrisisWorld:
    cw = f.build_case_world()
    net = cw.network
    clinic = f.make_org("KJP Dortmund (Test)", OrganisationKind.CHILD_PSYCHIATRY_CLINIC)
    ambulance = f.make_org("Rettungsdienst Dortmund (Test)", OrganisationKind.AMBULANCE_SERVICE)
    doctor = f.make_user("kjp", first_name="Kira", last_name="Jansen")
    doctor_membership = f.make_member(doctor, clinic, Role.PROFESSIONAL, phone="0231 777")
    control = f.make_user("leitstelle", first_name="Lars", last_name="Stelle")
    f.make_member(control, ambulance, Role.COORDINATOR)
    agreement = agreement_create(
        actor=net.admin,
        title="Kooperationsvereinbarung Krisen (Test)",
        parties=[net.dortmund, net.provider, clinic, ambulance],
        valid_from=timezone.localdate() - timedelta(days=30),
        crisis_roster=[(net.dortmund, "professional"), (clinic, "professional"), (ambulance, "coordinator")],
    )
    CooperationAgreement.objects.filter(pk=agreement.pk).update(in_force_since=timezone.now())
    start = timezone.now() - timedelta(hours=1)
    f.make_shift(net.admin, net.dortmund_professional_membership, start)
    f.make_shift(net.admin, doctor_membership, start)
    return CrisisWorld(cw, clinic, ambulance, doctor, control)


def _raise(world: CrisisWorld, actor: User | None = None, **change: Any) -> services.Raised:
    actor = actor or world.case.participant
    access = case_queries.case_get_for(actor, world.case.case.pk)
    data = {"urgency": "acute", "situation": SITUATION, "location": LOCATION} | change
    return services.crisis_raise(actor=actor, access=access, data=services.CrisisInput(**data))


def test_everyone_responsible_is_alerted_at_once_and_a_gap_alerts_the_coordination(
    world: CrisisWorld,
) -> None:
    net = world.case.network
    raised = _raise(world)
    crisis = raised.crisis
    assert not raised.joined
    rows = {r.organisation_id: r for r in CrisisRecipient.objects.filter(crisis=crisis)}
    # The Jugendamt and the clinic: their person on call; the ambulance service has nobody on call.
    assert (
        rows[net.dortmund.pk].user == net.dortmund_professional and rows[net.dortmund.pk].source == "on_call"
    )
    assert rows[world.clinic.pk].user == world.clinic_on_call and not rows[world.clinic.pk].gap
    assert rows[world.ambulance.pk].gap and rows[world.ambulance.pk].user == world.ambulance_coordinator
    assert (
        rows[world.clinic.pk].function == "child_psychiatry"
        and rows[world.ambulance.pk].function == "ambulance"
    )
    # The provider's coordination raised it: nobody there is alerted about their own report.
    assert not CrisisRecipient.objects.filter(crisis=crisis, user=world.case.participant).exists()
    # In the inbox at once; by mail once the mail server accepts it. One row per person and channel.
    for user in (net.dortmund_professional, world.clinic_on_call, world.ambulance_coordinator):
        assert Notification.objects.filter(recipient=user, url=f"/krisen/{crisis.pk}/").count() == 1
        assert set(_crisis_alerts().filter(recipient=user).values_list("channel", "state")) == {
            ("in_app", "accepted"),
            ("email", "pending"),
        }
    event = AuditEvent.objects.get(action="disclose", object_id=str(crisis.pk))
    assert event.details["legal_basis"] == "vital_interests"
    assert sorted(event.details["organisations"]) == sorted(rows)
    entry = TimelineEntry.objects.filter(case_id=crisis.case_id, kind="crisis").get()
    assert "Rettungsdienst Dortmund (Test): Lars Stelle (Koordination" in entry.text


def test_who_sees_the_crisis_and_who_the_case(client: Client, world: CrisisWorld) -> None:
    crisis = _raise(world).crisis
    board = f"/krisen/{crisis.pk}/"
    # The clinic's doctor on call sees the crisis but not the case.
    login(client, world.clinic_on_call)
    page = client.get(board)
    assert page.status_code == 200 and SITUATION in page.content.decode()
    assert client.get(f"/faelle/{crisis.case_id}/").status_code == 404
    assert "Zum Fall" not in page.content.decode()
    assert client.get(f"/krisen/{crisis.pk}/stand/").status_code == 200
    # The pseudonymised consultant and an office outside both learn nothing.
    for user in (world.case.consultant, world.case.outsider):
        login(client, user)
        missing = client.get("/krisen/00000000-0000-4000-8000-00000000dead/")
        hidden = client.get(board)
        assert hidden.status_code == missing.status_code == 404
        assert client.get(f"/krisen/{crisis.pk}/stand/").status_code == 404
        assert crisis.case.child.pseudonym not in client.get("/krisen/").content.decode()
    # The lead of the case sees it through the case.
    login(client, world.case.lead)
    assert client.get(board).status_code == 200
    assert "Krise vom" in client.get(f"/faelle/{crisis.case_id}/krise/").content.decode()


def test_the_mail_is_retried_until_the_server_is_back(world: CrisisWorld, smtp: Inbox, settings: Any) -> None:
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the mail server is down
    crisis = _raise(world).crisis
    mails = list(_crisis_alerts().filter(channel="email"))
    assert len(mails) == 3
    assert not any(alert_deliver(a.pk) for a in mails)
    failed = Alert.objects.get(pk=mails[0].pk)
    assert failed.state == "failed" and failed.attempts == 1 and failed.accepted_at is None
    assert failed.next_attempt_at and failed.next_attempt_at > timezone.now()
    assert smtp.messages == []
    # The in-app alert is there all the same.
    assert _crisis_alerts().filter(channel="in_app", state="accepted").count() == 3

    settings.EMAIL_PORT = port
    _crisis_alerts().filter(channel="email").update(next_attempt_at=timezone.now())
    assert deliver_due_alerts() == 3
    assert deliver_due_alerts() == 0  # nothing twice
    assert len(smtp.messages) == 3
    assert all(f"/krisen/{crisis.pk}/" in str(m.get_content()) for m in smtp.messages)  # type: ignore[attr-defined]
    assert SITUATION not in "".join(str(m.get_content()) for m in smtp.messages)  # type: ignore[attr-defined]
    assert set(_crisis_alerts().values_list("state", flat=True)) == {"accepted"}


def test_two_raising_the_same_crisis_raise_one_and_both_are_told(world: CrisisWorld) -> None:
    first = _raise(world).crisis
    second = _raise(world, actor=world.case.lead, situation="Anruf der Wohngruppe: akute Selbstgefährdung")
    assert second.joined and second.crisis.pk == first.pk
    assert Crisis.objects.count() == 1
    assert Notification.objects.filter(recipient=world.case.participant, kind="crisis_joined").exists()
    # Nobody is alerted twice.
    assert (
        Alert.objects.filter(recipient=world.case.network.dortmund_professional, channel="in_app").count()
        == 1
    )


def test_answers_come_back_to_the_board_and_a_closed_crisis_takes_none(
    client: Client, world: CrisisWorld
) -> None:
    crisis = _raise(world).crisis
    with pytest.raises(ValidationError):
        services.crisis_respond(actor=world.clinic_on_call, crisis=crisis, response="not_responsible")
    services.crisis_respond(
        actor=world.ambulance_coordinator, crisis=crisis, response="not_responsible", reason="Nur über 112"
    )
    with pytest.raises(PermissionDenied):  # sees the crisis through the case, but was not alerted
        services.crisis_respond(
            actor=world.case.network.dortmund_coordinator, crisis=crisis, response="taken"
        )
    login(client, world.clinic_on_call)
    response = client.post(f"/krisen/{crisis.pk}/rueckmeldung/", {"response": "on_the_way"})
    assert response.status_code == 302
    state = client.get(f"/krisen/{crisis.pk}/stand/").content.decode()
    assert "unterwegs" in state and "nicht zuständig" in state and "Nur über 112" in state
    assert "2 von 3" in state

    # Closing needs the debrief; afterwards no answer is taken.
    login(client, world.case.participant)
    assert client.post(f"/krisen/{crisis.pk}/abschliessen/", {"debrief": ""}).status_code == 400
    assert client.post(f"/krisen/{crisis.pk}/notruf/").status_code == 302
    assert Crisis.objects.get().emergency_call_at is not None
    done = client.post(f"/krisen/{crisis.pk}/abschliessen/", {"debrief": "In der KJP aufgenommen."})
    assert done.status_code == 302
    login(client, world.case.network.dortmund_professional)
    late = client.post(f"/krisen/{crisis.pk}/rueckmeldung/", {"response": "taken"}, follow=True)
    assert "bereits abgeschlossen" in late.content.decode()
    assert CrisisRecipient.objects.get(user=world.case.network.dortmund_professional).response == ""


def test_the_api_raises_shows_and_answers(world: CrisisWorld) -> None:
    provider = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.case.participant)}")
    url = f"/api/v1/cases/{world.case.case.pk}/crises/"
    bad = provider.post(url, {"urgency": "acute", "situation": "", "location": LOCATION}, "application/json")
    assert bad.status_code == 400
    created = provider.post(
        url, {"urgency": "acute", "situation": SITUATION, "location": LOCATION}, "application/json"
    )
    assert created.status_code == 201, created.content
    crisis_id = created.json()["id"]
    assert {r["function"] for r in created.json()["recipients"]} == {
        "youth_office",
        "child_psychiatry",
        "ambulance",
    }
    clinic = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.clinic_on_call)}")
    answered = clinic.post(f"/api/v1/crises/{crisis_id}/respond/", {"response": "taken"}, "application/json")
    assert answered.status_code == 200
    mine = next(r for r in answered.json()["recipients"] if r["function"] == "child_psychiatry")
    assert mine["response"] == "taken" and {a["channel"] for a in mine["alerts"]} == {"in_app", "email"}
    assert clinic.get(f"/api/v1/cases/{world.case.case.pk}/crises/").status_code == 404
    outsider = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.case.outsider)}")
    assert outsider.get(f"/api/v1/crises/{crisis_id}/").status_code == 404
    assert outsider.get("/api/v1/crises/").json() == []


def test_unanswered_alerts_escalate_to_the_deputy_and_the_coordination(
    world: CrisisWorld, smtp: Inbox
) -> None:
    net = world.case.network
    head = f.make_user("oberarzt", first_name="Olga", last_name="Ober")
    f.make_member(head, world.clinic, Role.COORDINATOR)
    crisis = _raise(world).crisis
    first = {r.organisation_id: r for r in CrisisRecipient.objects.filter(crisis=crisis)}
    # Without an agreement's time for a crisis, an acute alert is answered within ten minutes.
    assert first[net.dortmund.pk].respond_by == first[net.dortmund.pk].alerted_at + timedelta(minutes=10)
    assert escalate_crises() == 0

    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        assert escalate_crises() == 3
        assert escalate_crises() == 0  # each lapse escalates once
    stepped = CrisisRecipient.objects.filter(crisis=crisis, step=1)
    assert {(r.organisation_id, r.user_id) for r in stepped} == {
        (net.dortmund.pk, net.dortmund_coordinator.pk),
        (world.clinic.pk, head.pk),
    }
    for user in (net.dortmund_coordinator, head):
        assert Alert.objects.filter(recipient=user, channel="in_app", state="accepted").count() == 1
    raiser_told = Notification.objects.filter(recipient=world.case.participant, kind="crisis_escalated")
    assert raiser_told.count() == 3
    texts = list(
        TimelineEntry.objects.filter(case_id=crisis.case_id, kind="crisis").values_list("text", flat=True)
    )
    assert any("Eskalation (Stufe 1): Jugendamt Dortmund (Test)" in t for t in texts)
    assert any(
        "Rettungsdienst Dortmund (Test) hat nicht geantwortet, und dort ist niemand weiteres" in t
        for t in texts
    )

    # The mail of every step reaches the mail server, and so do the raiser's three notices.
    with time_machine.travel(later, tick=False):
        assert deliver_due_alerts() == 8
    raiser = world.case.participant.email
    assert [m["To"] for m in smtp.messages].count(raiser) == 3
    assert sorted(m["To"] for m in smtp.messages if m["To"] != raiser) == sorted(
        u.email
        for u in (
            net.dortmund_professional,
            world.clinic_on_call,
            world.ambulance_coordinator,
            net.dortmund_coordinator,
            head,
        )
    )

    # The Jugendamt answers; ten minutes later only the clinic, still silent, escalates further.
    services.crisis_respond(actor=net.dortmund_coordinator, crisis=crisis, response="taken")
    with time_machine.travel(later + timedelta(minutes=11), tick=False):
        assert escalate_crises() == 2  # the Jugendamt's step is only marked
    assert not CrisisRecipient.objects.filter(crisis=crisis, step=2, organisation=net.dortmund).exists()
    board = Client()
    login(board, world.case.participant)
    with time_machine.travel(later + timedelta(minutes=12), tick=False):
        page = board.get(f"/krisen/{crisis.pk}/stand/").content.decode()
    assert "Eskalationsstufe 1" in page and "eskaliert" in page


def test_closing_after_an_admission_brings_the_clinic_into_the_help_planning(
    client: Client, world: CrisisWorld
) -> None:
    net = world.case.network
    crisis = _raise(world).crisis
    services.crisis_respond(actor=net.dortmund_professional, crisis=crisis, response="taken")
    today = timezone.localdate()
    for wrong in (
        services.Admission(net.provider.pk, "Mutter", today),  # not a child-psychiatry clinic
        services.Admission(world.clinic.pk, "", today),
        services.Admission(world.clinic.pk, "Mutter", today + timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            services.crisis_close(
                actor=world.case.participant, crisis=crisis, debrief="Aufnahme", admission=wrong
            )
    login(client, world.case.participant)
    closed = client.post(
        f"/krisen/{crisis.pk}/abschliessen/",
        {
            "debrief": "Aufnahme in der KJP um 03:10; Jugendamt vor Ort.",
            "admitted": "on",
            "clinic": str(world.clinic.pk),
            "consent_by": "Mutter (Personensorgeberechtigte)",
            "consent_on": today.isoformat(),
        },
    )
    assert closed.status_code == 302
    crisis.refresh_from_db()
    assert crisis.status == "closed" and crisis.admitted_to == world.clinic and crisis.consent_on == today
    invitation = Participation.objects.get(case=crisis.case, organisation=world.clinic)
    assert invitation.status == "invited" and invitation.legal_basis == "consent"
    task = Task.objects.get(case=crisis.case, title=services.HELP_PLANNING_TASK)
    assert task.owner == net.dortmund_professional and task.status == "open"
    assert task.due_date > today  # the agreements' time for help planning after discharge
    assert TimelineEntry.objects.filter(
        case=crisis.case, text__contains="Einwilligung in die Beteiligung"
    ).exists()


def test_the_youth_offices_person_on_call_sees_the_parents_contact_and_records_telling_them(
    client: Client, world: CrisisWorld
) -> None:
    from schutznetz.cases.services import guardian_add
    from schutznetz.people.identity import GuardianIdentity

    net = world.case.network
    access = case_queries.case_get_for(world.case.lead, world.case.case.pk)
    mother = GuardianIdentity(given_name="Sabine", family_name="Meier", phone="0171 2233445")
    guardian_add(actor=world.case.lead, access=access, relation="custodial_parent", identity=mother)
    crisis = _raise(world).crisis
    board = f"/krisen/{crisis.pk}/"
    # The clinic alerted from outside the case does not see the parents.
    login(client, world.clinic_on_call)
    assert "0171 2233445" not in client.get(board).content.decode()
    # The Jugendamt's person on call does, and the read names them.
    login(client, net.dortmund_professional)
    page = client.get(board).content.decode()
    assert "Sabine Meier" in page and "0171 2233445" in page
    read = AuditEvent.objects.filter(
        actor=net.dortmund_professional, purpose__contains="Sorgeberechtigten"
    ).get()
    assert read.details["persons"]["guardians"] and read.details["legal_basis"] == "vital_interests"
    assert client.post(f"/krisen/{crisis.pk}/sorgeberechtigte/").status_code == 302
    crisis.refresh_from_db()
    assert crisis.guardians_informed_by == net.dortmund_professional and crisis.guardians_informed_at
    again = client.post(f"/krisen/{crisis.pk}/sorgeberechtigte/", follow=True).content.decode()
    assert "bereits festgehalten" in again
    # The clinic cannot record it (it does not see the parents).
    login(client, world.clinic_on_call)
    assert client.post(f"/krisen/{crisis.pk}/sorgeberechtigte/").status_code == 403


def test_a_crisis_before_the_young_person_is_known_and_its_later_joining_to_the_case(
    client: Client, world: CrisisWorld
) -> None:
    net = world.case.network
    provider = world.case.participant
    data = services.CrisisInput(
        urgency="acute", situation="Jugendlicher droht zu springen", location="Hauptbahnhof"
    )
    for wrong in (
        {"organisation_id": net.dortmund.pk, "subject": "Jugendlicher", "age": 15},  # not the raiser's
        {"organisation_id": net.provider.pk, "subject": " ", "age": 15},
        {"organisation_id": net.provider.pk, "subject": "Jugendlicher", "age": 40},
    ):
        with pytest.raises(ValidationError):
            services.crisis_raise_unknown(actor=provider, data=data, **wrong)  # type: ignore[arg-type]
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(provider)}")
    created = api.post(
        "/api/v1/crises/",
        {
            "organisation": net.provider.pk,
            "subject": "Jugendlicher am Hauptbahnhof",
            "age": 15,
            "urgency": "acute",
            "situation": "Droht, sich vor einen Zug zu werfen",
            "location": "Hauptbahnhof, Gleis 7",
        },
        "application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["case"] is None and "noch keinem Fall zugeordnet" in body["title"]
    # The crisis roster of the provider's agreements is alerted (there is no case yet).
    assert {r["function"] for r in body["recipients"]} == {"youth_office", "child_psychiatry", "ambulance"}
    crisis = Crisis.objects.get(pk=body["id"])
    login(client, world.clinic_on_call)
    assert "Jugendlicher am Hauptbahnhof" in client.get(f"/krisen/{crisis.pk}/").content.decode()
    login(client, world.case.outsider)
    assert client.get(f"/krisen/{crisis.pk}/").status_code == 404

    # Once it is clear who it is, the provider joins it to the case; the case's people see it now.
    login(client, provider)
    wrong = client.post(f"/krisen/{crisis.pk}/fall/", {"pseudonym": "K-0000-0000"})
    assert wrong.status_code == 400 and "Keinen Fall mit diesem Pseudonym" in wrong.content.decode()
    joined = client.post(f"/krisen/{crisis.pk}/fall/", {"pseudonym": world.case.case.child.pseudonym.lower()})
    assert joined.status_code == 302
    crisis.refresh_from_db()
    assert crisis.case_id == world.case.case.pk
    assert TimelineEntry.objects.filter(
        case_id=crisis.case_id, text__contains="diesem Fall zugeordnet"
    ).exists()
    login(client, net.dortmund_coordinator)
    assert client.get(f"/krisen/{crisis.pk}/").status_code == 200
    login(client, provider)
    again = client.post(f"/krisen/{crisis.pk}/fall/", {"pseudonym": world.case.case.child.pseudonym})
    assert "bereits einem Fall zugeordnet" in again.content.decode()


def _guardianship(world: CrisisWorld) -> tuple[Organisation, User]:
    """A Vormundschaftsverein (a Träger by kind) taking part in the case as its guardian."""
    from schutznetz.cases.services import participation_invite, participation_respond

    lead = world.case.lead
    access = case_queries.case_get_for(lead, world.case.case.pk)
    guardianship = f.make_org("Vormundschaftsverein (Test)", OrganisationKind.CARE_PROVIDER)
    guardian = f.make_user("vormund")
    f.make_member(guardian, guardianship, Role.COORDINATOR)
    invitation = participation_invite(
        actor=lead, access=access, organisation=guardianship, role="guardianship", legal_basis="own_task"
    )
    participation_respond(actor=guardian, participation=invitation, accept=True)
    return guardianship, guardian


def test_the_organisation_holding_the_guardianship_is_alerted_as_legal_representative(
    world: CrisisWorld,
) -> None:
    guardianship, guardian = _guardianship(world)
    crisis = _raise(world).crisis
    row = CrisisRecipient.objects.get(crisis=crisis, organisation=guardianship)
    assert row.function == "guardian" and row.user == guardian and row.gap  # nobody on call: its coordination


# Issue 39, item 16: the crisis in daily use.


def test_an_escalated_person_acts_in_the_part_their_organisation_was_alerted_for(world: CrisisWorld) -> None:
    """A Vormund's other member reached by the escalation is shown as Vormund, not as Träger."""
    guardianship, _ = _guardianship(world)
    colleague = f.make_user("vormund2")
    f.make_member(colleague, guardianship, Role.PROFESSIONAL)
    crisis = _raise(world).crisis
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        escalate_crises()
    escalated = CrisisRecipient.objects.get(crisis=crisis, user=colleague)
    assert escalated.step == 1 and escalated.function == "guardian"


def test_guardians_informed_is_credited_to_the_actors_own_organisation(world: CrisisWorld) -> None:
    from schutznetz.cases.services import guardian_add
    from schutznetz.people.identity import GuardianIdentity

    net = world.case.network
    access = case_queries.case_get_for(world.case.lead, world.case.case.pk)
    guardian_add(
        actor=world.case.lead,
        access=access,
        relation="custodial_parent",
        identity=GuardianIdentity("Eva", "Muster"),
    )
    crisis = _raise(world).crisis  # raised by the Träger
    services.crisis_guardians_informed(actor=net.dortmund_professional, crisis=crisis)
    entry = TimelineEntry.objects.filter(
        case_id=crisis.case_id, text__contains="Sorgeberechtigte informiert"
    ).get()
    assert entry.organisation_id == net.dortmund.pk and "Jugendamt Dortmund (Test)" in entry.text
    event = AuditEvent.objects.filter(
        object_id=str(crisis.pk), purpose="Krise: Sorgeberechtigte informiert"
    ).get()
    assert event.organisation_id == net.dortmund.pk


def test_the_alerted_see_the_open_crisis_on_their_start_page(client: Client, world: CrisisWorld) -> None:
    crisis = _raise(world).crisis
    login(client, world.clinic_on_call)
    page = client.get("/").content.decode()
    assert f'href="/krisen/{crisis.pk}/"' in page and "Ihre Rückmeldung fehlt" in page
    services.crisis_respond(actor=world.clinic_on_call, crisis=crisis, response="taken", reason="")
    page = client.get("/").content.decode()
    assert f'href="/krisen/{crisis.pk}/"' in page and "Ihre Rückmeldung fehlt" not in page
    services.crisis_close(actor=world.case.participant, crisis=crisis, debrief="Übernommen, Kind in Obhut.")
    assert f'href="/krisen/{crisis.pk}/"' not in client.get("/").content.decode()


def test_the_boards_header_updates_with_its_table_and_the_close_form_names_every_error(
    client: Client, world: CrisisWorld
) -> None:
    crisis = _raise(world).crisis
    login(client, world.case.participant)
    state = client.get(f"/krisen/{crisis.pk}/stand/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="board-status" hx-swap-oob="true"' in state and "nicht festgehalten" in state
    services.crisis_emergency_call(actor=world.case.participant, crisis=crisis)
    state = client.get(f"/krisen/{crisis.pk}/stand/", HTTP_HX_REQUEST="true").content.decode()
    assert "abgesetzt" in state
    page = client.post(
        f"/krisen/{crisis.pk}/abschliessen/", {"debrief": "", "admitted": "on"}
    ).content.decode()
    for message in (
        "Bitte die Nachbesprechung",
        "Bitte die Klinik für Kinder- und Jugendpsychiatrie",
        "wer in die Beteiligung der Klinik",
        "Bitte das Datum der Einwilligung",
    ):
        assert message in page, message
