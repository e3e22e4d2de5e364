"""Case conferences (Fallkonferenz): participants of the case plus guests, each guest with a legal
basis or consent; minutes with decisions that become tasks of their owners; minutes as PDF, invitation
as .ics; EBM 01682 for physicians when the Jugendamt initiated it. A guest sees only that conference
and only while the legal basis holds; outsiders learn nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import LegalBasis, Task
from schutznetz.cases.services import participation_invite, participation_respond
from schutznetz.network.models import Membership, OrganisationKind, Profession, Role
from schutznetz.notify.models import Notification
from schutznetz.people.identity import child_identity
from schutznetz.welfare import services
from schutznetz.welfare.models import CaseConference, ConferenceAttendee
from tests import factories as f
from tests.conftest import login


class World:
    def __init__(self) -> None:
        self.base = f.build_case_world()
        net = self.base.network
        self.case = self.base.case
        self.lead = self.base.lead
        self.provider = self.base.participant
        # A paediatric practice taking part in the case, with a physician.
        practice = f.make_org("Kinderarztpraxis Dr. Yilmaz (Test)", OrganisationKind.PAEDIATRIC_PRACTICE)
        self.doctor = f.make_user("dr.yilmaz", first_name="Deniz", last_name="Yilmaz")
        f.make_member(self.doctor, practice, Role.COORDINATOR, profession=Profession.PHYSICIAN)
        access = case_queries.case_get_for(self.lead, self.case.pk)
        invited = participation_invite(
            actor=self.lead,
            access=access,
            organisation=practice,
            role="medical",
            legal_basis=LegalBasis.SGB8_65,
        )
        participation_respond(actor=self.doctor, participation=invited, accept=True)
        # A school's social worker outside the case: a guest.
        school = f.make_org("Gesamtschule Nord (Test)", OrganisationKind.SCHOOL)
        self.guest = f.make_user("schulsozialarbeit", first_name="Kim", last_name="Berg")
        f.make_member(self.guest, school)
        self.outsider = self.base.outsider
        self.consultant = self.base.consultant
        _ = net

    def access(self) -> Any:
        return case_queries.case_get_for(self.lead, self.case.pk)


@pytest.fixture
def w(db: Any) -> World:
    return World()


def _input(w: World, **change: Any) -> services.ConferenceInput:
    start = timezone.now() - timedelta(hours=1)
    today = timezone.localdate()
    base: dict[str, Any] = {
        "starts_at": start,
        "ends_at": start + timedelta(minutes=50),
        "mode": "video",
        "agenda": "1. Stand nach der Gefährdungseinschätzung\n2. Schutzplan\n3. Hilfen",
        "participant_ids": [w.provider.pk, w.doctor.pk],
        "guests": [
            services.GuestInput(
                user_id=w.guest.pk,
                legal_basis=LegalBasis.CONSENT,
                access_until=today + timedelta(days=30),
                consent_by="Mutter",
                consent_on=today,
            )
        ],
    }
    return services.ConferenceInput(**(base | change))


GUEST_REFUSALS = [
    ({"legal_basis": ""}, "Rechtsgrundlage"),
    ({"legal_basis": "kkg_4_2"}, "Rechtsgrundlage"),
    ({"consent_by": ""}, "Einwilligung"),
    ({"consent_on": None}, "Einwilligung"),
    ({"access_until": None}, "Einsicht"),
]


@pytest.mark.parametrize(("change", "message"), GUEST_REFUSALS)
def test_a_guest_without_legal_basis_or_consent_is_refused(
    w: World, change: dict[str, Any], message: str
) -> None:
    today = timezone.localdate()
    guest = {
        "user_id": w.guest.pk,
        "legal_basis": LegalBasis.CONSENT,
        "access_until": today + timedelta(days=30),
        "consent_by": "Mutter",
        "consent_on": today,
    } | change
    with pytest.raises(ValidationError) as error:
        services.conference_schedule(
            actor=w.lead, access=w.access(), data=_input(w, guests=[services.GuestInput(**guest)])
        )
    assert "Gast 1" in str(error.value) and message in str(error.value)
    assert not CaseConference.objects.exists() and not ConferenceAttendee.objects.exists()


def test_api_refuses_a_guest_without_legal_basis_with_400(w: World) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(w.lead)}")
    start = timezone.now() + timedelta(days=2)
    until = timezone.localdate(start).isoformat()  # the meeting's day where it takes place
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "mode": "in_person",
        "agenda": "Fallbesprechung",
        "participants": [w.provider.pk],
        "guests": [{"user": w.guest.pk, "legal_basis": "consent", "access_until": until}],
    }
    refused = api.post(f"/api/v1/cases/{w.case.pk}/conferences/", body, content_type="application/json")
    assert refused.status_code == 400 and "Einwilligung" in str(refused.json())
    body["guests"][0] |= {"legal_basis": "sgb8_65"}
    created = api.post(f"/api/v1/cases/{w.case.pk}/conferences/", body, content_type="application/json")
    assert created.status_code == 201
    assert {a["user"] for a in created.json()["attendees"]} == {w.lead.pk, w.provider.pk, w.guest.pk}
    ends_before = body | {"ends_at": start.isoformat()}
    assert (
        api.post(
            f"/api/v1/cases/{w.case.pk}/conferences/", ends_before, content_type="application/json"
        ).status_code
        == 400
    )


def test_minutes_decisions_become_tasks_and_the_guest_reads_only_this_conference(
    client: Client, w: World
) -> None:
    conference = services.conference_schedule(actor=w.lead, access=w.access(), data=_input(w))
    other = services.conference_schedule(actor=w.lead, access=w.access(), data=_input(w, guests=[]))
    assert Notification.objects.filter(recipient=w.guest, kind="conference_invited").count() == 1
    attendees = {a.user_id: a.pk for a in conference.attendees.all()}
    login(client, w.lead)
    today = timezone.localdate()
    form = {
        "minutes": "Die Mutter nimmt die Familienhilfe an. Kita meldet Fehlzeiten.",
        f"present_{attendees[w.lead.pk]}": "on",
        f"minutes_{attendees[w.lead.pk]}": "50",
        f"present_{attendees[w.provider.pk]}": "on",
        f"present_{attendees[w.doctor.pk]}": "on",
        f"mode_{attendees[w.doctor.pk]}": "phone",
        f"minutes_{attendees[w.doctor.pk]}": "35",
        f"present_{attendees[w.guest.pk]}": "on",
        "decision_1": "Familienhilfe beginnt zweimal wöchentlich",
        "decision_1_owner": w.provider.pk,
        "decision_1_due": (today + timedelta(days=7)).isoformat(),
        "decision_2": "Gewichtskontrolle in der Praxis",
        "decision_2_owner": w.doctor.pk,
        "decision_2_due": (today + timedelta(days=14)).isoformat(),
    }
    assert client.post(f"/fallkonferenzen/{conference.pk}/protokoll/", form).status_code == 302
    assert client.post(f"/fallkonferenzen/{conference.pk}/protokoll/", form).status_code == 400  # only once
    for owner, title in ((w.provider, "Familienhilfe beginnt"), (w.doctor, "Gewichtskontrolle")):
        assert Task.objects.get(owner=owner, title__contains=title).case_id == w.case.pk
        login(client, owner)
        assert title in client.get("/aufgaben/").content.decode()
    # EBM 01682: the physician, 35 minutes by phone in a conference the Jugendamt initiated: 3 units.
    doctor_row = ConferenceAttendee.objects.get(conference=conference, user=w.doctor)
    assert (doctor_row.billing_units, doctor_row.mode) == (3, "phone")
    assert ConferenceAttendee.objects.get(conference=conference, user=w.lead).billing_units == 0

    # The guest: this conference's page, minutes PDF and .ics — not the case, not the other conference.
    login(client, w.guest)
    page = client.get(f"/fallkonferenzen/{conference.pk}/")
    assert page.status_code == 200 and "Sie nehmen als Gast teil" in page.content.decode()
    assert "Familienhilfe beginnt zweimal wöchentlich" in page.content.decode()
    pdf = client.get(f"/fallkonferenzen/{conference.pk}/protokoll.pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    ics = client.get(f"/fallkonferenzen/{conference.pk}/einladung.ics").content.decode()
    assert f"UID:conference-{conference.pk}@" in ics and w.case.child.pseudonym in ics
    child = child_identity(w.case.child)
    assert child.given_name not in ics and child.family_name not in ics  # no name in calendars
    assert AuditEvent.objects.filter(actor=w.guest, action="read", case_id=w.case.pk).exists()
    for url in (
        f"/faelle/{w.case.pk}/",
        f"/faelle/{w.case.pk}/fallkonferenzen/",
        f"/fallkonferenzen/{other.pk}/",
        f"/fallkonferenzen/{conference.pk}/protokoll/",
    ):
        assert client.get(url).status_code == 404, url
    # Once the consent's period is over, the guest learns nothing more.
    ConferenceAttendee.objects.filter(user=w.guest).update(access_until=today - timedelta(days=1))
    assert client.get(f"/fallkonferenzen/{conference.pk}/").status_code == 404
    assert client.get(f"/fallkonferenzen/{conference.pk}/protokoll.pdf").status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(w.guest)}")
    assert api.get(f"/api/v1/conferences/{conference.pk}/").status_code == 404


def test_ebm_units_per_completed_ten_minutes_at_most_eight_per_case_if_youth_office_initiated(
    w: World,
) -> None:
    def record(conference: CaseConference, minutes: int, actor: Any) -> int:
        rows = {a.user_id: a.pk for a in conference.attendees.all()}
        services.conference_record_minutes(
            actor=actor,
            access=case_queries.case_get_for(actor, w.case.pk),
            conference=conference,
            minutes="Protokoll",
            attendance={rows[w.doctor.pk]: services.AttendanceInput(present=True, minutes_attended=minutes)},
            decisions=[],
        )
        return ConferenceAttendee.objects.get(conference=conference, user=w.doctor).billing_units

    def lasting(minutes: int, **change: Any) -> services.ConferenceInput:
        start = timezone.now() - timedelta(hours=2)
        return _input(w, guests=[], starts_at=start, ends_at=start + timedelta(minutes=minutes), **change)

    first = services.conference_schedule(actor=w.lead, access=w.access(), data=lasting(70))
    assert record(first, 69, w.lead) == 6
    second = services.conference_schedule(actor=w.lead, access=w.access(), data=lasting(60))
    assert record(second, 60, w.lead) == 2  # eight per case
    # Initiated by the care provider, not the Jugendamt: no EBM 01682.
    provider_access = case_queries.case_get_for(w.provider, w.case.pk)
    third = services.conference_schedule(
        actor=w.provider, access=provider_access, data=lasting(60, participant_ids=[w.doctor.pk])
    )
    assert record(third, 60, w.provider) == 0


def test_ebm_01682_never_counts_more_than_the_conference_lasted_nor_for_a_hospital(w: World) -> None:
    """95 minutes entered for a 60-minute conference gave 8 units; a hospital's inpatient team codes
    OPS, not EBM."""
    start = timezone.now() - timedelta(hours=2)
    conference = services.conference_schedule(
        actor=w.lead,
        access=w.access(),
        data=_input(w, guests=[], starts_at=start, ends_at=start + timedelta(minutes=60)),
    )
    rows = {a.user_id: a.pk for a in conference.attendees.all()}

    def record(minutes: int) -> None:
        services.conference_record_minutes(
            actor=w.lead,
            access=w.access(),
            conference=conference,
            minutes="Protokoll",
            attendance={rows[w.doctor.pk]: services.AttendanceInput(present=True, minutes_attended=minutes)},
            decisions=[],
        )

    with pytest.raises(ValidationError, match=r"als die Fallkonferenz \(60 Minuten\)"):
        record(95)
    assert ConferenceAttendee.objects.get(conference=conference, user=w.doctor).billing_units == 0
    # The same physician attending for a hospital's child-protection team: no EBM units.
    clinic = f.make_org("Kinderklinik (Test)", OrganisationKind.CHILD_PROTECTION_TEAM)
    ConferenceAttendee.objects.filter(conference=conference, user=w.doctor).update(organisation=clinic)
    record(60)
    assert ConferenceAttendee.objects.get(conference=conference, user=w.doctor).billing_units == 0


def test_minutes_before_the_start_are_refused(w: World) -> None:
    later = timezone.now() + timedelta(days=1)
    conference = services.conference_schedule(
        actor=w.lead, access=w.access(), data=_input(w, starts_at=later, ends_at=later + timedelta(hours=1))
    )
    with pytest.raises(ValidationError, match="nach Beginn"):
        services.conference_record_minutes(
            actor=w.lead, access=w.access(), conference=conference, minutes="x", attendance={}, decisions=[]
        )


def test_outsiders_and_the_pseudonymised_consultant_learn_nothing(w: World) -> None:
    conference = services.conference_schedule(actor=w.lead, access=w.access(), data=_input(w))
    urls = [
        f"/fallkonferenzen/{conference.pk}/",
        f"/fallkonferenzen/{conference.pk}/protokoll/",
        f"/fallkonferenzen/{conference.pk}/einladung.ics",
        f"/fallkonferenzen/{conference.pk}/protokoll.pdf",
        f"/faelle/{w.case.pk}/fallkonferenzen/",
        f"/faelle/{w.case.pk}/fallkonferenzen/neu/",
    ]
    for user in (w.outsider, w.consultant):
        client = Client()
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(user)}")
        assert api.get(f"/api/v1/conferences/{conference.pk}/").status_code == 404
        assert (
            api.post(
                f"/api/v1/conferences/{conference.pk}/minutes/", {}, content_type="application/json"
            ).status_code
            == 404
        )


def test_the_guest_s_access_ends_when_consent_is_withdrawn(client: Client, w: World) -> None:
    conference = services.conference_schedule(actor=w.lead, access=w.access(), data=_input(w))
    guest_row = ConferenceAttendee.objects.get(conference=conference, user=w.guest)
    guest = Client()
    login(guest, w.guest)
    assert guest.get(f"/fallkonferenzen/{conference.pk}/").status_code == 200
    login(client, w.lead)
    url = f"/fallkonferenzen/{conference.pk}/gaeste/{guest_row.pk}/beenden/"
    assert "Einsicht beenden" in client.get(f"/fallkonferenzen/{conference.pk}/").content.decode()
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Bitte den Grund angeben" in refused
    assert guest.get(f"/fallkonferenzen/{conference.pk}/").status_code == 200
    assert client.post(url, {"reason": "Einwilligung der Mutter widerrufen"}).status_code == 302
    assert guest.get(f"/fallkonferenzen/{conference.pk}/").status_code == 404
    # Only the case's participants end a guest's access; the guest and outsiders learn nothing.
    assert guest.post(url, {"reason": "x"}).status_code == 404
    login(client, w.outsider)
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_a_guest_who_left_the_organisation_reads_no_more(w: World) -> None:
    conference = services.conference_schedule(actor=w.lead, access=w.access(), data=_input(w))
    guest = Client()
    login(guest, w.guest)
    assert guest.get(f"/fallkonferenzen/{conference.pk}/").status_code == 200
    Membership.objects.filter(user=w.guest).update(is_active=False)
    assert guest.get(f"/fallkonferenzen/{conference.pk}/").status_code == 404
