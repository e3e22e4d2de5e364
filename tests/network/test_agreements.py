"""Response times: table-driven, with weekends, public holidays of NRW and Brandenburg, and the
default that applies without an agreement."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from schutznetz.network.agreements import services as agreements
from schutznetz.network.agreements.queries import deadline, response_terms
from schutznetz.network.agreements.services import ClauseInput
from schutznetz.network.models import HandoverKind, OrganisationKind, ResponseUnit, Urgency
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login
from tests.factories import api_key

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=BERLIN)


DEADLINES = [
    # received, value, unit, Land, due
    (at("2026-11-23", 10), 1, ResponseUnit.HOURS, "NW", at("2026-11-23", 11)),  # Monday
    (
        at("2026-11-27", 23, 30),
        2,
        ResponseUnit.HOURS,
        "NW",
        at("2026-11-28", 1, 30),
    ),  # hours run over weekends
    (at("2026-11-23", 10), 1, ResponseUnit.WORKING_DAYS, "NW", at("2026-11-24", 10)),  # Mon -> Tue
    (at("2026-11-27", 15), 1, ResponseUnit.WORKING_DAYS, "NW", at("2026-11-30", 15)),  # Fri -> Mon
    (at("2026-11-28", 12), 1, ResponseUnit.WORKING_DAYS, "NW", at("2026-12-01", 8)),  # Sat: from Mon 08:00
    (at("2026-11-27", 15), 3, ResponseUnit.WORKING_DAYS, "NW", at("2026-12-02", 15)),
    # Fronleichnam (Thu 4 June 2026) is a holiday in NRW, not in Brandenburg
    (at("2026-06-03", 9), 1, ResponseUnit.WORKING_DAYS, "NW", at("2026-06-05", 9)),
    (at("2026-06-03", 9), 1, ResponseUnit.WORKING_DAYS, "BB", at("2026-06-04", 9)),
    # Reformationstag (Sat 31 Oct 2026 in BB) and Allerheiligen (Sun 1 Nov, NRW) fall on a weekend
    (at("2026-10-30", 9), 1, ResponseUnit.WORKING_DAYS, "BB", at("2026-11-02", 9)),
    # Christmas: Thu 24 Dec is a working day, 25/26 are holidays everywhere
    (at("2026-12-24", 11), 1, ResponseUnit.WORKING_DAYS, "NW", at("2026-12-28", 11)),
    (at("2026-12-24", 11), 2, ResponseUnit.CALENDAR_DAYS, "NW", at("2026-12-26", 11)),
    # Easter Monday 2026 (6 April): received on Good Friday, counted from Tuesday 08:00
    (at("2026-04-03", 14), 1, ResponseUnit.WORKING_DAYS, "NW", at("2026-04-08", 8)),
    # Reformationstag 2025 (Fri 31 Oct) is a holiday in Brandenburg only
    (at("2025-10-30", 16), 1, ResponseUnit.WORKING_DAYS, "BB", at("2025-11-03", 16)),
    (at("2025-10-30", 16), 1, ResponseUnit.WORKING_DAYS, "NW", at("2025-10-31", 16)),
]


@pytest.mark.parametrize(("received", "value", "unit", "state", "due"), DEADLINES)
def test_deadlines(received: datetime, value: int, unit: str, state: str, due: datetime) -> None:
    assert deadline(received, value, unit, state) == due


@pytest.fixture
def parties(network: f.Network):  # type: ignore[no-untyped-def]
    clinic = f.make_org(
        "Klinik für Kinder- und Jugendpsychiatrie (Test)", OrganisationKind.CHILD_PSYCHIATRY_CLINIC
    )
    f.make_member(f.make_user("kjp"), clinic, "coordinator")
    return network.dortmund, network.practice, clinic


def mekids_like(network: f.Network, youth_office, practice, accepted: bool = True, **kwargs):  # type: ignore[no-untyped-def]
    """Recorded by the youth office's coordinator; in force once the practice has accepted it too."""
    agreement = agreements.agreement_create(
        actor=network.dortmund_coordinator,
        title="Medizin trifft Jugendhilfe",
        parties=[youth_office, practice],
        valid_from=date(2026, 1, 1),
        clauses=[
            ClauseInput(
                HandoverKind.REPORT_TO_YOUTH_OFFICE,
                Urgency.URGENT,
                youth_office,
                30,
                "hours",
                "Rufbereitschaft",
            ),
            ClauseInput(HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.NORMAL, youth_office, 2, "working_days"),
        ],
        **kwargs,
    )
    if accepted:
        agreements.agreement_accept(actor=network.practice_doctor, agreement=agreement)
        agreement.refresh_from_db()
    return agreement


class TestResponseTerms:
    def test_the_agreement_decides(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        agreement = mekids_like(network, youth_office, practice)
        terms = response_terms(
            sender=practice,
            receiver=youth_office,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.NORMAL,
            received_at=at("2026-11-27", 15),
        )
        assert (terms.agreement, terms.label, terms.deadline) == (
            agreement,
            "2 Arbeitstage",
            at("2026-12-01", 15),
        )
        urgent = response_terms(
            sender=practice,
            receiver=youth_office,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.URGENT,
            received_at=at("2026-11-27", 15),
        )
        assert urgent.deadline == at("2026-11-28", 21) and urgent.contact_channel == "Rufbereitschaft"

    def test_without_agreement_the_documented_default_applies(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, _, clinic = parties
        urgent = response_terms(
            sender=clinic,
            receiver=youth_office,
            kind=HandoverKind.MEDICAL_ASSESSMENT,
            urgency=Urgency.URGENT,
            received_at=at("2026-11-27", 15),
        )
        normal = response_terms(
            sender=clinic,
            receiver=youth_office,
            kind=HandoverKind.MEDICAL_ASSESSMENT,
            urgency=Urgency.NORMAL,
            received_at=at("2026-11-27", 15),
        )
        assert urgent.is_default and urgent.deadline == at("2026-11-27", 16)
        assert normal.is_default and normal.deadline == at("2026-11-30", 15)
        # A crisis alert is answered within minutes: ten when acute, thirty otherwise.
        crisis = [
            response_terms(
                sender=clinic,
                receiver=youth_office,
                kind=HandoverKind.CRISIS,
                urgency=u,
                received_at=at("2026-11-27", 15),
            ).deadline
            for u in (Urgency.URGENT, Urgency.NORMAL)
        ]
        assert crisis == [
            at("2026-11-27", 15) + timedelta(minutes=10),
            at("2026-11-27", 15) + timedelta(minutes=30),
        ]

    def test_agreement_not_yet_or_no_longer_in_force_does_not_apply(
        self, network: f.Network, parties
    ) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        mekids_like(network, youth_office, practice)
        terms = response_terms(
            sender=practice,
            receiver=youth_office,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.NORMAL,
            received_at=at("2025-12-31", 10),
        )
        assert terms.is_default

    def test_a_new_version_applies_from_its_date_and_the_old_stays_readable(
        self, network: f.Network, parties
    ) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        old = mekids_like(network, youth_office, practice)
        new = agreements.agreement_revise(
            actor=network.dortmund_coordinator,
            agreement=old,
            valid_from=date(2026, 7, 1),
            clauses=[
                ClauseInput(
                    HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.NORMAL, youth_office, 1, "working_days"
                )
            ],
        )
        old.refresh_from_db()
        # Until the practice agrees to the new version, the old one stays in force unchanged.
        assert old.valid_until is None and new.in_force_since is None
        agreements.agreement_accept(actor=network.practice_doctor, agreement=new)
        old.refresh_from_db()
        assert (old.valid_until, new.version, new.predecessor) == (date(2026, 6, 30), 2, old)
        before = response_terms(
            sender=practice,
            receiver=youth_office,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.NORMAL,
            received_at=at("2026-06-29", 10),
        )
        after = response_terms(
            sender=practice,
            receiver=youth_office,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.NORMAL,
            received_at=at("2026-07-01", 10),
        )
        assert (before.agreement, before.value) == (old, 2)
        assert (after.agreement, after.value) == (new, 1)
        with pytest.raises(ValidationError):
            agreements.agreement_revise(
                actor=network.dortmund_coordinator, agreement=old, valid_from=date(2026, 8, 1), clauses=[]
            )


class TestBadInput:
    def test_overlapping_agreement_is_refused(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        mekids_like(network, youth_office, practice)
        with pytest.raises(ValidationError) as error:
            mekids_like(network, youth_office, practice)
        assert "regelt dieselbe Übergabe" in error.value.message_dict["valid_from"][0]

    def test_same_promise_to_another_practice_is_no_overlap(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        mekids_like(network, youth_office, practice)
        other_practice = f.make_org("Kinderarztpraxis Nord (Test)", OrganisationKind.PAEDIATRIC_PRACTICE)
        other_doctor = f.make_user("nord")
        f.make_member(other_doctor, other_practice, "coordinator")
        second = mekids_like(network, youth_office, other_practice, accepted=False)
        agreements.agreement_accept(actor=other_doctor, agreement=second)
        terms = response_terms(
            sender=other_practice,
            receiver=youth_office,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.URGENT,
            received_at=at("2026-03-02", 10),
        )
        assert terms.agreement == second

    def test_response_time_must_be_positive(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        with pytest.raises(ValidationError) as error:
            agreements.agreement_create(
                actor=network.dortmund_coordinator,
                title="X",
                parties=[youth_office, practice],
                valid_from=date(2026, 1, 1),
                clauses=[ClauseInput(HandoverKind.CRISIS, Urgency.URGENT, youth_office, 0, "hours")],
            )
        assert error.value.message_dict["clauses"] == [agreements.MSG_RESPONSE_VALUE]

    def test_end_before_start_and_single_party(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        with pytest.raises(ValidationError):
            agreements.agreement_create(
                actor=network.dortmund_coordinator,
                title="X",
                parties=[youth_office, practice],
                valid_from=date(2026, 2, 1),
                valid_until=date(2026, 1, 1),
            )
        with pytest.raises(ValidationError):
            agreements.agreement_create(
                actor=network.dortmund_coordinator,
                title="X",
                parties=[youth_office],
                valid_from=date(2026, 1, 1),
            )

    def test_only_a_party_may_record_it(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        with pytest.raises(PermissionDenied):
            agreements.agreement_create(
                actor=network.bochum_coordinator,
                title="X",
                parties=[youth_office, practice],
                valid_from=date(2026, 1, 1),
            )

    def test_signed_document_must_be_a_pdf_and_gets_a_checksum(
        self, network: f.Network, parties, settings, tmp_path
    ) -> None:  # type: ignore[no-untyped-def]
        settings.MEDIA_ROOT = tmp_path
        youth_office, practice, _ = parties
        with pytest.raises(ValidationError) as error:
            mekids_like(network, youth_office, practice, document=SimpleUploadedFile("v.pdf", b"<html>"))
        assert error.value.message_dict["document"] == [agreements.MSG_NOT_PDF]
        pdf = b"%PDF-1.4\n% Vereinbarung\n"
        agreement = mekids_like(network, youth_office, practice, document=SimpleUploadedFile("v.pdf", pdf))
        import hashlib

        assert agreement.document_sha256 == hashlib.sha256(pdf).hexdigest()


class TestApi:
    def body(self, youth_office, practice) -> dict:  # type: ignore[no-untyped-def]
        return {
            "title": "Medizin trifft Jugendhilfe",
            "parties": [youth_office.pk, practice.pk],
            "valid_from": "2026-01-01",
            "clauses": [
                {
                    "handover_kind": "report_to_youth_office",
                    "urgency": "urgent",
                    "responsible": youth_office.pk,
                    "response_value": 1,
                    "response_unit": "hours",
                    "contact_channel": "Rufbereitschaft",
                }
            ],
            "crisis_roster": [{"organisation": youth_office.pk, "role": "coordinator"}],
        }

    def test_party_creates_reads_and_asks_the_response_time(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        from tests.network.test_api import Client

        youth_office, practice, _ = parties
        api = Client(headers={"Authorization": f"Token {api_key(network.dortmund_coordinator)}"})
        created = api.post(
            "/api/v1/agreements/", self.body(youth_office, practice), content_type="application/json"
        )
        assert created.status_code == 201
        agreement_id = created.json()["id"]
        assert (
            api.get(f"/api/v1/agreements/{agreement_id}/").json()["crisis_roster"][0]["role"] == "coordinator"
        )
        # In force once the practice has agreed too.
        doctor = Client(headers={"Authorization": f"Token {api_key(network.practice_doctor)}"})
        assert doctor.post(f"/api/v1/agreements/{agreement_id}/accept/").json()["in_force_since"]
        terms = api.get(
            "/api/v1/response-time/",
            {
                "sender": practice.pk,
                "receiver": youth_office.pk,
                "kind": "report_to_youth_office",
                "urgency": "urgent",
                "received_at": "2026-11-27T15:00:00+01:00",
            },
        ).json()
        assert terms["agreement"] == agreement_id and terms["deadline"] == "2026-11-27T16:00:00+01:00"

    def test_outsider_gets_404_and_bad_input_400(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        from tests.network.test_api import Client

        youth_office, practice, _ = parties
        agreement = mekids_like(network, youth_office, practice)
        outsider = Client(headers={"Authorization": f"Token {api_key(network.bochum_coordinator)}"})
        assert outsider.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 404
        assert outsider.get("/api/v1/agreements/").json()["count"] == 0
        api = Client(headers={"Authorization": f"Token {api_key(network.dortmund_coordinator)}"})
        bad = self.body(youth_office, practice) | {"valid_from": "2027-01-01"}
        bad["clauses"][0]["response_value"] = 0
        response = api.post("/api/v1/agreements/", bad, content_type="application/json")
        assert response.status_code == 400 and "clauses" in response.json()
        overlap = api.post(
            "/api/v1/agreements/", self.body(youth_office, practice), content_type="application/json"
        )
        assert overlap.status_code == 400 and "regelt dieselbe Übergabe" in overlap.json()["valid_from"][0]


class TestPages:
    def test_create_in_the_ui_with_clauses_then_the_outsider_gets_404(
        self, network: f.Network, parties
    ) -> None:  # type: ignore[no-untyped-def]
        from django.test import Client

        from schutznetz.network.models import CooperationAgreement
        from tests.conftest import login

        youth_office, _, clinic = parties
        client = login(Client(), network.dortmund_coordinator)
        data = {
            "title": "Kooperation Jugendamt – KJP",
            "parties": [youth_office.pk, clinic.pk],
            "valid_from": "2026-01-01",
            "state": "NW",
            "clause-TOTAL_FORMS": "3",
            "clause-INITIAL_FORMS": "0",
            "clause-0-handover_kind": "discharge_help_planning",
            "clause-0-urgency": "normal",
            "clause-0-responsible": youth_office.pk,
            "clause-0-response_value": "3",
            "clause-0-response_unit": "working_days",
            "clause-0-contact_channel": "ASD-Sekretariat",
            "roster-TOTAL_FORMS": "2",
            "roster-INITIAL_FORMS": "0",
            "roster-0-organisation": clinic.pk,
            "roster-0-role": "coordinator",
        }
        response = client.post("/netzwerk/vereinbarungen/neu/", data)
        assert response.status_code == 302
        agreement = CooperationAgreement.objects.get()
        page = client.get(f"/netzwerk/vereinbarungen/{agreement.pk}/")
        assert "Hilfeplanung nach Entlassung" in page.text and "3 Arbeitstage" in page.text
        outsider = login(Client(), network.bochum_coordinator)
        assert outsider.get(f"/netzwerk/vereinbarungen/{agreement.pk}/").status_code == 404
        assert outsider.get(f"/netzwerk/vereinbarungen/{agreement.pk}/dokument/").status_code == 404

    def test_zero_response_time_is_a_german_error(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        from django.test import Client

        from tests.conftest import login

        youth_office, practice, _ = parties
        client = login(Client(), network.dortmund_coordinator)
        response = client.post(
            "/netzwerk/vereinbarungen/neu/",
            {
                "title": "X",
                "parties": [youth_office.pk, practice.pk],
                "valid_from": "2026-01-01",
                "state": "NW",
                "clause-TOTAL_FORMS": "1",
                "clause-INITIAL_FORMS": "0",
                "clause-0-handover_kind": "crisis",
                "clause-0-urgency": "urgent",
                "clause-0-responsible": youth_office.pk,
                "clause-0-response_value": "0",
                "clause-0-response_unit": "hours",
                "roster-TOTAL_FORMS": "0",
                "roster-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 400 and "größer oder gleich 1" in response.text


class TestWhatOthersAgreed:
    """What two other organisations agreed is theirs: no look-up, no name in an error."""

    def test_response_time_only_for_ones_own_handovers(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        from tests.network.test_api import Client

        youth_office, practice, _ = parties
        mekids_like(network, youth_office, practice)
        query = {
            "sender": practice.pk,
            "receiver": youth_office.pk,
            "kind": "report_to_youth_office",
            "urgency": "urgent",
        }
        outsider = Client(headers={"Authorization": f"Token {api_key(network.bochum_coordinator)}"})
        response = outsider.get("/api/v1/response-time/", query)
        assert response.status_code == 403
        assert "Medizin trifft Jugendhilfe" not in response.text and "30" not in response.text
        doctor = Client(headers={"Authorization": f"Token {api_key(network.practice_doctor)}"})
        assert doctor.get("/api/v1/response-time/", query).json()["value"] == 30

    def test_an_overlap_names_the_other_agreement_only_to_its_parties(
        self, network: f.Network, parties
    ) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, clinic = parties
        mekids_like(network, youth_office, practice)
        # The clinic's coordinator proposes an agreement with both; the overlap is not theirs to read.
        clinic_coordinator = clinic.memberships.get().user
        with pytest.raises(ValidationError) as error:
            agreements.agreement_create(
                actor=clinic_coordinator,
                title="Dreiervereinbarung",
                parties=[youth_office, practice, clinic],
                valid_from=date(2026, 3, 1),
                clauses=[
                    ClauseInput(HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.URGENT, youth_office, 30, "days")
                ],
            )
        message = error.value.message_dict["valid_from"][0]
        assert message == agreements.MSG_OVERLAP_UNNAMED and "Medizin trifft" not in message


class TestConsentOfEveryParty:
    """An agreement binds only those who agreed: it takes effect with the last party's consent."""

    def _terms(self, sender, receiver):  # type: ignore[no-untyped-def]
        return response_terms(
            sender=sender,
            receiver=receiver,
            kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
            urgency=Urgency.URGENT,
            received_at=at("2026-11-27", 15),
        )

    def test_a_third_party_cannot_change_what_two_others_promise(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, clinic = parties
        clinic_coordinator = clinic.memberships.get().user
        forged = agreements.agreement_create(
            actor=clinic_coordinator,
            title="Großzügige Fristen",
            parties=[youth_office, practice, clinic],
            valid_from=date(2026, 1, 1),
            clauses=[
                ClauseInput(HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.URGENT, youth_office, 30, "days")
            ],
        )
        assert forged.in_force_since is None
        assert self._terms(practice, youth_office).is_default
        assert Notification.objects.filter(recipient=network.dortmund_coordinator, kind="agreement_proposed")

    def test_the_last_consent_puts_it_in_force_in_the_ui(
        self, network: f.Network, parties, client: Client
    ) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        agreement = mekids_like(network, youth_office, practice, accepted=False)
        assert self._terms(practice, youth_office).is_default
        login(client, network.practice_doctor)
        page = client.get(reverse("network:agreement", args=[agreement.pk]))
        assert "Zustimmung ausstehend" in page.text and "Für meine Organisation zustimmen" in page.text
        client.post(reverse("network:agreement_accept", args=[agreement.pk]))
        agreement.refresh_from_db()
        assert agreement.in_force_since is not None
        terms = self._terms(practice, youth_office)
        assert (terms.agreement, terms.value) == (agreement, 30)
        again = client.post(reverse("network:agreement_accept", args=[agreement.pk]), follow=True)
        assert agreements.MSG_NOTHING_TO_ACCEPT in again.text

    def test_by_the_api(self, network: f.Network, parties) -> None:  # type: ignore[no-untyped-def]
        youth_office, practice, _ = parties
        agreement = mekids_like(network, youth_office, practice, accepted=False)
        api = Client(headers={"Authorization": f"Token {api_key(network.practice_doctor)}"})
        body = api.post(f"/api/v1/agreements/{agreement.pk}/accept/").json()
        assert body["in_force_since"] and {a["organisation"] for a in body["acceptances"]} == {
            youth_office.pk,
            practice.pk,
        }
