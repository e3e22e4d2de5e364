"""The Jugendamt's intake (Meldungseingang, § 8a SGB VIII): a report of any source with the federal
statistics' categories opens a case or joins one (likely duplicates are shown first); the first contact
is due within the agreements' time; who reported is sealed; only the Jugendamt sees any of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import inbox
from schutznetz.cases.models import Case, Task
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import HandoverKind, OrganisationKind, Role
from schutznetz.welfare.models import Intake
from tests import factories as f
from tests.cases.test_query_counts import queries_for
from tests.conftest import login

ACCOUNT = "Tom kommt seit Wochen ohne Frühstück und in zu dünner Kleidung in die Schule."


@pytest.fixture
def net(db: Any) -> f.Network:
    return f.build_network()


def _form(net: f.Network, **extra: str) -> dict[str, str]:
    return {
        "youth_office": str(net.dortmund.pk),
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "source": "school",
        "urgency": "normal",
        "account": ACCOUNT,
        "reporter_name": "Klassenlehrerin Berg",
        "reporter_contact": "0231 777-12",
        "family_name": "Kaminski",
        "given_name": "Tom",
        "birth_date": "2016-03-14",
        "sex": "male",
        "street": "Bornstraße 3",
        "postal_code": "44145",
        "city": "Dortmund",
    } | extra


def test_a_school_report_opens_a_case_led_by_the_youth_office(client: Client, net: f.Network) -> None:
    worker = net.dortmund_professional
    login(client, worker)
    response = client.post("/meldungen/neu/", _form(net))
    intake = Intake.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meldungen/{intake.pk}/"
    case = intake.case
    assert case.lead_organisation == net.dortmund and case.lead_user == worker
    assert Task.objects.filter(case=case, title__startswith="Erstkontakt", owner=worker).exists()
    expected = response_terms(
        sender=net.dortmund,
        receiver=net.dortmund,
        kind=HandoverKind.REPORT_TO_YOUTH_OFFICE,
        urgency="normal",
        received_at=intake.received_at,
    )
    assert intake.due_at == expected.deadline
    assert b"Berg" not in bytes(intake.reporter_sealed)  # sealed
    page = client.get(f"/meldungen/{intake.pk}/").content.decode()
    assert "Klassenlehrerin Berg, 0231 777-12" in page and "Tom Kaminski" in page and ACCOUNT in page
    read = AuditEvent.objects.get(action="read", object_type="Intake")
    assert read.details["persons"] == {"child": case.child.pseudonym, "reporter": True}
    listing = client.get("/meldungen/").content.decode()
    assert case.child.pseudonym in listing and "Schule" in listing


def test_a_likely_duplicate_is_shown_and_the_report_joins_the_known_case(
    client: Client, net: f.Network
) -> None:
    login(client, net.dortmund_professional)
    client.post("/meldungen/neu/", _form(net))
    known = Case.objects.get()
    again = client.post("/meldungen/neu/", _form(net, given_name="Thom", source="acquaintances"))
    assert again.status_code == 400
    text = again.content.decode()
    assert "Möglicherweise ist das Kind bereits bekannt" in text and known.child.pseudonym in text
    assert f'<option value="{known.pk}">' in text  # offered to join
    joined = client.post("/meldungen/neu/", _form(net, given_name="Thom", join_case=str(known.pk)))
    assert joined.status_code == 302
    assert Case.objects.count() == 1 and Intake.objects.filter(case=known).count() == 2
    assert Task.objects.filter(case=known, title__startswith="Erstkontakt").count() == 2
    # Or, confirmed as another child: a new case.
    other = client.post("/meldungen/neu/", _form(net, given_name="Thom", confirm_new="on"))
    assert other.status_code == 302 and Case.objects.count() == 2


def test_bad_input_is_refused_in_german_and_saves_nothing(client: Client, net: f.Network) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.dortmund_professional)}")
    child = {"given_name": "Tom", "family_name": "Kaminski", "birth_date": "2016-03-14"}
    good = {
        "youth_office": net.dortmund.pk,
        "source": "school",
        "urgency": "urgent",
        "account": ACCOUNT,
        "reporter_name": "Frau Berg",
        "child": child,
    }
    future = (timezone.now() + timedelta(days=1)).isoformat()
    cases = [
        ({"account": " "}, "account", "was mitgeteilt wurde"),
        ({"reporter_name": ""}, "reporter_name", "anonym"),
        ({"youth_office": net.bochum.pk}, "youth_office", "für das Sie tätig sind"),
        ({"youth_office": net.practice.pk}, "youth_office", "für das Sie tätig sind"),
        ({"received_at": future}, "received_at", "Zukunft"),
        ({"child": None}, "join_case", "Bitte das Kind angeben"),
        ({"source": "nachbarschaft"}, "source", ""),
    ]
    for change, field, text in cases:
        response = api.post("/api/v1/intakes/", good | change, content_type="application/json")
        assert response.status_code == 400, (change, response.content)
        assert text in str(response.json()[field]), response.json()
    assert not Intake.objects.exists() and not Case.objects.exists()
    anonymous = good | {"source": "anonymous", "reporter_name": ""}
    created = api.post("/api/v1/intakes/", anonymous, content_type="application/json")
    assert created.status_code == 201 and created.json()["reporter"] is None
    assert created.json()["reporter_anonymous"] is True


def test_only_the_youth_office_sees_its_intake(client: Client, net: f.Network) -> None:
    login(client, net.dortmund_professional)
    client.post("/meldungen/neu/", _form(net))
    intake = Intake.objects.get()
    for outsider in (net.bochum_coordinator, net.practice_doctor, net.outsider):
        login(client, outsider)
        assert client.get(f"/meldungen/{intake.pk}/").status_code == 404
        assert client.post(f"/meldungen/{intake.pk}/erstkontakt/").status_code == 404
        listing = client.get("/meldungen/").content.decode()
        assert intake.case.child.pseudonym not in listing
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(outsider)}")
        assert api.get(f"/api/v1/intakes/{intake.pk}/").status_code == 404
        assert api.get("/api/v1/intakes/").json()["results"] == []
    # The youth office's own list is paginated like every list.
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.dortmund_professional)}")
    listed = api.get("/api/v1/intakes/").json()
    assert listed["count"] == 1 and [row["id"] for row in listed["results"]] == [str(intake.pk)]
    assert api.get("/api/v1/intakes/?page=2").status_code == 404
    # A doctor cannot record a report into the Jugendamt's intake.
    login(client, net.practice_doctor)
    assert client.post("/meldungen/neu/", _form(net)).status_code == 400
    assert Intake.objects.count() == 1


def test_overdue_reports_lead_the_list_and_first_contact_is_noted_once(
    client: Client, net: f.Network
) -> None:
    login(client, net.dortmund_professional)
    two_days_ago = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post("/meldungen/neu/", _form(net))
    client.post(
        "/meldungen/neu/",
        _form(net, given_name="Lea", family_name="Yilmaz", received_at=two_days_ago, urgency="urgent"),
    )
    fresh, overdue = Intake.objects.order_by("-received_at")
    listing = client.get("/meldungen/").content.decode()
    assert listing.index(overdue.case.child.pseudonym) < listing.index(fresh.case.child.pseudonym)
    assert "überfällig" in listing
    noted = client.post(f"/meldungen/{overdue.pk}/erstkontakt/", {"note": "Hausbesuch erfolgt"})
    assert noted.status_code == 302
    overdue.refresh_from_db()
    assert overdue.first_contact_at and overdue.first_contact_by == net.dortmund_professional
    again = client.post(f"/meldungen/{overdue.pk}/erstkontakt/", {"note": ""})
    assert again.status_code == 400 and "bereits vermerkt" in again.content.decode()
    listing = client.get("/meldungen/").content.decode()
    assert listing.index(fresh.case.child.pseudonym) < listing.index(overdue.case.child.pseudonym)


def test_intake_list_stays_constant(client: Client, net: f.Network) -> None:
    school = f.make_org("Grundschule Test", OrganisationKind.SCHOOL)
    f.make_member(f.make_user("schule"), school, Role.COORDINATOR)
    _doctors_report(net)
    login(client, net.dortmund_professional)
    for n in range(2):
        client.post(
            "/meldungen/neu/",
            _form(net, given_name=f"Kind{n}", reporter_organisation=str(school.pk), confirm_new="on"),
        )
    small = queries_for(client, "/meldungen/")
    for n in range(2, 20):
        client.post("/meldungen/neu/", _form(net, given_name=f"Kind{n}", confirm_new="on"))
    assert Intake.objects.count() == 20
    for _ in range(3):
        _doctors_report(net)
    assert queries_for(client, "/meldungen/") == small


def test_the_intake_list_comes_a_page_at_a_time_the_waiting_ones_first(
    client: Client, net: f.Network
) -> None:
    """A big office's list is paged (25 rows a page): the reports awaiting first contact lead, the
    nearest deadline first, and the next page holds the rest."""
    from schutznetz.kit.pagination import PAGE_SIZE

    login(client, net.dortmund_professional)
    for n in range(PAGE_SIZE + 2):
        client.post("/meldungen/neu/", _form(net, given_name=f"Kind{n}", confirm_new="on"))
    intakes = list(Intake.objects.order_by("received_at", "pk"))
    soon = timezone.now() + timedelta(hours=1)
    for minutes, intake in enumerate(intakes):  # each with a deadline of its own
        Intake.objects.filter(pk=intake.pk).update(due_at=soon + timedelta(minutes=minutes))
    contacted = intakes[0]
    Intake.objects.filter(pk=contacted.pk).update(first_contact_at=timezone.now())
    first = client.get("/meldungen/").content.decode()
    second = client.get("/meldungen/?page=2").content.decode()
    waiting = [i.case.child.pseudonym for i in intakes[1:]]
    assert [p for p in waiting if p in first] == waiting[:PAGE_SIZE]
    # The first page is read with one row more than it shows: a next page is known, not how many.
    assert "Seite 1, weitere folgen" in first and 'href="?page=2"' in first
    assert waiting[PAGE_SIZE] in second and contacted.case.child.pseudonym in second
    assert contacted.case.child.pseudonym not in first
    assert "Seite 2 von 2" in second and 'href="?page=1"' in second and "?page=3" not in second
    for beyond in ("99", "0"):  # the last page, as for other lists
        assert "Seite 2 von 2" in client.get("/meldungen/", {"page": beyond}).content.decode()
    assert "Seite 1, weitere folgen" in client.get("/meldungen/", {"page": "x"}).content.decode()


def _doctors_report(net: f.Network) -> Any:
    """A report of the practice's doctor to the Dortmund Jugendamt (§ 4 Abs. 3 KKG)."""
    from schutznetz.cases import queries as case_queries
    from schutznetz.medical import services as medical_services
    from schutznetz.network.models import Membership, Profession

    Membership.objects.filter(user=net.practice_doctor).update(profession=Profession.PHYSICIAN)
    case = f.make_case(
        net.practice_doctor, net.practice, identity=f.child_identity(given="Ida", family="Roth")
    )
    return medical_services.report_send(
        actor=net.practice_doctor,
        access=case_queries.case_get_for(net.practice_doctor, case.pk),
        data=medical_services.ReportInput(
            youth_office_id=net.dortmund.pk,
            urgency="urgent",
            indications="Hämatome am Rücken",
            affected_notice="given",
        ),
    )


def test_a_doctors_report_arrives_in_the_intake_list_as_well(client: Client, net: f.Network) -> None:
    report = _doctors_report(net)
    login(client, net.dortmund_professional)
    client.post("/meldungen/neu/", _form(net))
    listing = client.get("/meldungen/").content.decode()
    assert f'href="/mitteilungen/{report.pk}/"' in listing
    assert "Mitteilung nach § 4 Abs. 3 KKG (Kinderarztpraxis)" in listing
    # Its deadline (one hour, urgent) comes before the school's (one working day).
    assert listing.index(report.case.child.pseudonym) < listing.index(
        Intake.objects.get().case.child.pseudonym
    )
    client.post(f"/mitteilungen/{report.pk}/eingang/")
    listing = client.get("/meldungen/").content.decode()
    assert "Eingang bestätigt am" in listing
    # Another Jugendamt does not see it.
    login(client, net.bochum_coordinator)
    assert report.case.child.pseudonym not in client.get("/meldungen/").content.decode()


def test_beyond_the_limit_the_list_keeps_the_waiting_and_the_latest_contacted(
    client: Client, net: f.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big office has more reports than the list shows: it shows those awaiting first contact and
    then the ones contacted last, never the oldest."""
    login(client, net.dortmund_professional)
    for given, family in (("Anna", "Albers"), ("Ben", "Brandt"), ("Clara", "Cordes"), ("David", "Dietz")):
        client.post("/meldungen/neu/", _form(net, given_name=given, family_name=family))
    intakes = list(Intake.objects.order_by("received_at"))
    now = timezone.now()
    for days, intake in zip((30, 20, 10), intakes[:3], strict=True):
        Intake.objects.filter(pk=intake.pk).update(first_contact_at=now - timedelta(days=days))
    monkeypatch.setattr(inbox, "LIMIT", 3)
    listing = client.get("/meldungen/").content.decode()
    waiting, newest, middle, oldest = (intakes[3], intakes[2], intakes[1], intakes[0])
    pseudonyms = [i.case.child.pseudonym for i in (waiting, newest, middle)]
    assert [listing.index(p) for p in pseudonyms] == sorted(listing.index(p) for p in pseudonyms)
    assert oldest.case.child.pseudonym not in listing
