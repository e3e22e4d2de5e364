"""The access log for those who answer for it: the case's Zugriffsprotokoll filtered and exported,
the data-protection officer's log of the organisation across cases, and alerts on unusual access."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.audit.models import AccessAlert, AuditAction, AuditEvent
from schutznetz.audit.services import audit_record, audit_seal
from schutznetz.cases import access_log
from schutznetz.cases.models import Case
from schutznetz.network.models import Role
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def officer(world: f.CaseWorld) -> Any:
    """The data-protection officer of the lead youth office."""
    user = f.make_user("brandt", first_name="Dorothea", last_name="Brandt")
    f.make_member(user, world.network.dortmund, Role.DATA_PROTECTION)
    return user


def _read_case(client: Client, case: Any) -> None:
    assert client.get(f"/faelle/{case.pk}/").status_code == 200
    audit_seal()  # the test's transaction never commits


# The case's log -------------------------------------------------------------------------------


def test_the_case_log_filters_by_person_organisation_action_and_period(
    world: f.CaseWorld, client: Client
) -> None:
    _read_case(login(Client(), world.participant), world.case)
    coordinator = login(client, world.network.dortmund_coordinator)
    url = f"/faelle/{world.case.pk}/protokoll/"
    everyone = coordinator.get(url)
    table = everyone.text.split("<tbody")[1]
    assert everyone.status_code == 200 and "Frank Meyer" in table and "Julia Hoffmann" in table

    by_person = coordinator.get(url, {"person": world.participant.pk})
    rows = by_person.text.split("<tbody")[1]
    assert "Frank Meyer" in rows and "Julia Hoffmann" not in rows
    by_org = coordinator.get(url, {"organisation": world.network.provider.pk, "action": AuditAction.READ})
    assert "Frank Meyer" in by_org.text.split("<tbody")[1]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = coordinator.get(url, {"since": tomorrow})
    assert "Keine Einträge für diese Auswahl" in later.text

    backwards = coordinator.get(url, {"since": tomorrow, "until": timezone.localdate().isoformat()})
    assert backwards.status_code == 400 and "Das Ende des Zeitraums liegt vor seinem Beginn" in backwards.text
    refused = coordinator.get(
        url + "export.csv", {"since": tomorrow, "until": timezone.localdate().isoformat()}
    )
    assert refused.status_code == 302 and "/protokoll/?" in refused["Location"]
    assert not AuditEvent.objects.filter(purpose__contains="exportieren").exists()  # nothing was exported
    # Each look at the log is on record, with what was asked.
    looked = AuditEvent.objects.filter(actor=world.network.dortmund_coordinator, object_type="AuditEvent")
    assert looked.filter(details__person=world.participant.pk, case_id=world.case.pk).exists()


def test_the_case_log_exports_as_csv_that_no_spreadsheet_runs_as_a_formula(
    world: f.CaseWorld, client: Client
) -> None:
    audit_record(
        actor=world.participant,
        organisation=world.network.provider,
        action=AuditAction.READ,
        object_type="Case",
        object_id=world.case.pk,
        case_id=world.case.pk,
        purpose='=HYPERLINK("http://evil.invalid","Klick")',
    )
    audit_seal()
    coordinator = login(client, world.network.dortmund_coordinator)
    response = coordinator.get(
        f"/faelle/{world.case.pk}/protokoll/export.csv", {"person": world.participant.pk}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:3] == ["Position", "Zeitpunkt", "Person"]
    purposes = [row[8] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.invalid","Klick")' in purposes
    assert not any(cell.startswith(access_log.FORMULA_START) for row in rows for cell in row)
    assert all(row[2] == "Frank Meyer" for row in rows[1:])
    assert AuditEvent.objects.filter(purpose__contains="exportieren (CSV)", case_id=world.case.pk).exists()


def test_only_the_lead_coordination_reads_the_case_log_and_a_pseudonymised_participant_gets_404(
    world: f.CaseWorld,
) -> None:
    for path in (
        "/faelle/{}/protokoll/",
        "/faelle/{}/protokoll/export.csv",
        "/api/v1/cases/{}/audit/export/",
    ):
        url = path.format(world.case.pk)
        assert login(Client(), world.participant).get(url).status_code == 403
        assert login(Client(), world.consultant).get(url).status_code == 404
        assert login(Client(), world.outsider).get(url).status_code == 404


# The organisation's log -----------------------------------------------------------------------


def test_the_officer_finds_the_organisations_events_across_cases_by_person_period_and_case(
    world: f.CaseWorld, officer: Any, client: Client
) -> None:
    other = f.make_case(
        world.network.dortmund_coordinator, world.network.dortmund, f.child_identity("Leon", "Kurz")
    )
    _read_case(login(Client(), world.lead), world.case)
    _read_case(login(Client(), world.network.dortmund_coordinator), other)
    _read_case(login(Client(), world.participant), world.case)  # the care provider's, not Dortmund's
    assert login(Client(), world.lead).get("/faelle/").status_code == 200  # names no organisation
    audit_seal()

    page = login(client, officer).get("/datenschutz/zugriffsprotokoll/")
    assert page.status_code == 200
    table = page.text.split("<tbody")[1]
    assert "Julia Hoffmann" in table and "Markus Becker" in table and "Meine Fälle" in table
    assert "Frank Meyer" not in table  # another organisation's processing
    pseudonym = Case.objects.get(pk=world.case.pk).child.pseudonym
    assert pseudonym in table and "Mia" not in table and "Meier" not in table  # pseudonyms, never names

    today = timezone.localdate().isoformat()
    hers = client.get(
        "/datenschutz/zugriffsprotokoll/", {"person": world.lead.pk, "since": today, "until": today}
    ).text.split("<tbody")[1]
    assert "Julia Hoffmann" in hers and "Markus Becker" not in hers
    by_case = client.get("/datenschutz/zugriffsprotokoll/", {"case": other.child.pseudonym}).text.split(
        "<tbody"
    )[1]
    assert "Markus Becker" in by_case and "Julia Hoffmann" not in by_case

    rows = _csv(client.get("/datenschutz/zugriffsprotokoll/export.csv", {"person": world.lead.pk}))
    assert rows[1:] and all(row[2] == "Julia Hoffmann" for row in rows[1:])
    assert pseudonym in {row[7] for row in rows[1:]}
    # Reading and exporting the log are on record, with the filter.
    looked = AuditEvent.objects.filter(
        actor=officer, organisation=world.network.dortmund, object_type="AuditEvent"
    )
    assert looked.filter(purpose__contains="einsehen").exists()
    assert looked.filter(purpose__contains="exportieren", details__person=world.lead.pk).exists()


def test_the_officer_role_opens_the_log_and_no_case(world: f.CaseWorld, officer: Any, client: Client) -> None:
    login(client, officer)
    assert client.get(f"/faelle/{world.case.pk}/").status_code == 404
    assert client.get(f"/faelle/{world.case.pk}/protokoll/").status_code == 404
    assert "Hämatome" not in client.get("/faelle/").text
    # Someone else's organisation: 404, as for anyone who is no officer.
    assert (
        client.get("/datenschutz/zugriffsprotokoll/", {"organisation": world.network.bochum.pk}).status_code
        == 404
    )
    for user in (world.lead, world.network.dortmund_coordinator, world.consultant, world.outsider):
        other = login(Client(), user)
        assert other.get("/datenschutz/zugriffsprotokoll/").status_code == 404
        assert other.get("/datenschutz/zugriffsprotokoll/export.csv").status_code == 404
        assert other.get("/api/v1/access-log/").status_code == 404
        assert other.get("/api/v1/access-log/alerts/").status_code == 404
    start = client.get("/")
    assert "Datenschutzbeauftragte/r bei Jugendamt Dortmund (Test)" in start.text
    assert "/datenschutz/zugriffsprotokoll/" in start.text


def test_the_officer_log_by_api(world: f.CaseWorld, officer: Any) -> None:
    _read_case(login(Client(), world.lead), world.case)
    api = Client(headers={"Authorization": f"Token {f.api_key(officer)}"})
    body = api.get("/api/v1/access-log/", {"person": world.lead.pk}).json()
    assert body["results"] and {e["actor"] for e in body["results"]} == {"Julia Hoffmann"}
    pseudonym = Case.objects.get(pk=world.case.pk).child.pseudonym
    assert pseudonym in {e["case"] for e in body["results"]}
    assert api.get("/api/v1/access-log/", {"since": "2026-02-02", "until": "2026-01-01"}).status_code == 400
    exported = api.get("/api/v1/access-log/export/", {"person": world.lead.pk})
    assert exported.status_code == 200 and _csv(exported)[1:]
    assert api.get("/api/v1/access-log/", {"organisation": world.network.bochum.pk}).status_code == 404


# Alerts ---------------------------------------------------------------------------------------


def test_reading_more_cases_in_an_hour_than_the_limit_alerts_the_officer_once(
    world: f.CaseWorld, officer: Any, settings: Any
) -> None:
    settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR = 2
    cases = [world.case] + [
        f.make_case(world.lead, world.network.dortmund, f.child_identity(given, "Kurz"))
        for given in ("Leon", "Lea", "Ben")
    ]
    reader = login(Client(), world.lead)
    for case in cases[:2]:
        _read_case(reader, case)
        _read_case(reader, case)  # the same case again is no new case
    assert not AccessAlert.objects.exists()
    _read_case(reader, cases[2])
    alert = AccessAlert.objects.get()
    assert (alert.actor, alert.organisation, alert.count, alert.limit) == (
        world.lead,
        world.network.dortmund,
        3,
        2,
    )
    message = Notification.objects.get(recipient=officer, kind="access_alert")
    assert "Julia Hoffmann" in message.title and "3 Fälle" in message.title
    _read_case(reader, cases[3])
    assert AccessAlert.objects.count() == 1  # one an hour
    page = login(Client(), officer).get("/datenschutz/zugriffsprotokoll/")
    assert "Julia Hoffmann hat innerhalb einer Stunde 3 Fälle geöffnet (Grenze 2)" in page.text
    api = Client(headers={"Authorization": f"Token {f.api_key(officer)}"})
    alerts = api.get("/api/v1/access-log/alerts/").json()["results"]
    assert [(a["actor"], a["count"], a["limit"]) for a in alerts] == [("Julia Hoffmann", 3, 2)]
    # Nobody else hears of it.
    assert not Notification.objects.filter(kind="access_alert").exclude(recipient=officer).exists()


def test_reading_a_handed_on_case_more_often_than_the_policy_allows_alerts_the_officer(
    world: f.CaseWorld, settings: Any
) -> None:
    """The provider's part was limited to the history (the family moved): looking something up is
    allowed, reading it again and again is told to the provider's data-protection officer."""
    from schutznetz.cases.services import participation_limit_to_history

    settings.SCHUTZNETZ_AUDIT_HISTORY_READS_PER_DAY = 2
    provider = world.network.provider
    provider_officer = f.make_user("kranz", first_name="Kai", last_name="Kranz")
    f.make_member(provider_officer, provider, Role.DATA_PROTECTION)
    reader = login(Client(), world.participant)
    for _ in range(3):
        _read_case(reader, world.case)  # still a full participant: nothing unusual
    participation_limit_to_history(
        actor=world.lead,
        case=world.case,
        organisation_id=provider.pk,
        until=timezone.now() + timedelta(days=30),
    )
    _read_case(reader, world.case)
    _read_case(reader, world.case)
    assert not AccessAlert.objects.exists()
    _read_case(reader, world.case)
    alert = AccessAlert.objects.get()
    assert (alert.kind, alert.actor, alert.organisation, alert.count, alert.limit) == (
        "history_reads",
        world.participant,
        provider,
        3,
        2,
    )
    message = Notification.objects.get(kind="access_alert")
    assert message.recipient == provider_officer
    assert "Frank Meyer hat innerhalb eines Tages 3-mal Fälle gelesen, die die Organisation abgegeben" in (
        message.title
    )
    _read_case(reader, world.case)
    assert AccessAlert.objects.count() == 1  # one a day
    page = login(Client(), provider_officer).get("/datenschutz/zugriffsprotokoll/")
    assert "Frank Meyer hat innerhalb eines Tages 3-mal" in page.text
