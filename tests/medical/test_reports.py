"""The report to the Jugendamt (§ 4 Abs. 3 KKG) and its feedback (§ 4 Abs. 4 KKG): the competent
Jugendamt from the child's address, the Meldebogen, delivery to inbox and duty mailbox without
personal data, acknowledgement within the agreement's time (or escalation to the person on call and
the reporter), the lead handed over on acknowledgement, the reporter involved, feedback, the PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases import services as case_services
from schutznetz.cases.models import Case, CaseState, Participation, ParticipationStatus, Task, TimelineEntry
from schutznetz.cases.services import guardian_add
from schutznetz.medical.models import ReportFeedback, YouthOfficeReport
from schutznetz.medical.reminders import escalate_unacknowledged_reports, remind_feedback_due
from schutznetz.network.agreements import services as agreements
from schutznetz.network.agreements.queries import deadline
from schutznetz.network.agreements.services import ClauseInput
from schutznetz.network.models import HandoverKind, Membership, OrganisationKind, Profession, Role, Urgency
from schutznetz.notify.models import Notification
from schutznetz.people.identity import GuardianIdentity
from tests import factories as f
from tests.conftest import login
from tests.medical.conftest import born_months_ago, findings_post
from tests.smtp import Inbox, body

INDICATIONS = (
    "Frisches Hämatom an der linken Wange bei einem nicht mobilen Säugling; Hergang nicht plausibel."
)
IDENTIFYING = ("Lina", "Brandt", "Musterweg", "Sabine")


@dataclass
class ReportWorld:
    net: f.Network
    case: Any
    doctor: Any  # physician of the practice, leading the case
    clerk: Any  # administration of the practice: not medical
    on_call: Any  # the Jugendamt's professional, on call now
    outsider: Any  # the Bochum Jugendamt


@pytest.fixture
def rw(db: Any) -> ReportWorld:
    net = f.build_network()
    net.dortmund.email = "kinderschutz@jugendamt-dortmund.example"
    net.dortmund.save(update_fields=["email"])
    Membership.objects.filter(user=net.practice_doctor).update(profession=Profession.PHYSICIAN)
    clerk = f.make_user("verwaltung")
    f.make_member(clerk, net.practice, Role.PROFESSIONAL, profession=Profession.ADMINISTRATION)
    case = f.make_case(
        net.practice_doctor,
        net.practice,
        identity=f.child_identity(given="Lina", family="Brandt", born=born_months_ago(7)),
        title="Hämatom an der Wange",
    )
    access = case_queries.case_get_for(net.practice_doctor, case.pk)
    guardian_add(
        actor=net.practice_doctor,
        access=access,
        relation="custodial_parent",
        identity=GuardianIdentity("Sabine", "Brandt", "0170 1234567"),
    )
    today = timezone.localdate()
    agreement = agreements.agreement_create(
        actor=net.dortmund_coordinator,
        title="Kooperationsvereinbarung Medizinischer Kinderschutz",
        parties=[net.dortmund, net.practice],
        valid_from=today - timedelta(days=30),
        clauses=[
            ClauseInput(HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.URGENT, net.dortmund, 2, "hours"),
            ClauseInput(HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.NORMAL, net.dortmund, 1, "working_days"),
            ClauseInput(HandoverKind.FEEDBACK_TO_REPORTER, Urgency.URGENT, net.dortmund, 5, "working_days"),
            ClauseInput(HandoverKind.FEEDBACK_TO_REPORTER, Urgency.NORMAL, net.dortmund, 5, "working_days"),
        ],
    )
    agreements.agreement_accept(actor=net.practice_doctor, agreement=agreement)
    f.make_shift(
        net.dortmund_coordinator, net.dortmund_professional_membership, timezone.now() - timedelta(hours=1)
    )
    return ReportWorld(
        net, case, net.practice_doctor, clerk, net.dortmund_professional, net.bochum_coordinator
    )


def _document(client: Client, rw: ReportWorld) -> None:
    login(client, rw.doctor)
    assert client.post(f"/faelle/{rw.case.pk}/befunde/neu/", findings_post()).status_code == 302
    talk = {"held": "no", "not_held_reason": "Verdacht richtet sich gegen die Mutter."}
    assert client.post(f"/faelle/{rw.case.pk}/befunde/gespraech/", talk).status_code == 302


def _send(client: Client, rw: ReportWorld, **extra: str) -> Any:
    data = {
        "youth_office": str(rw.net.dortmund.pk),
        "urgency": "urgent",
        "indications": INDICATIONS,
        "measures_taken": "Stationäre Aufnahme zur Diagnostik veranlasst.",
        "other_bodies": "Kinderschutzgruppe des Klinikums",
        "override_reason": "",
        "affected_notice": "given",
    } | extra
    return client.post(f"/faelle/{rw.case.pk}/mitteilung/neu/", data)


def test_the_form_names_the_competent_youth_office_and_what_the_report_carries(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    page = client.get(f"/faelle/{rw.case.pk}/mitteilung/neu/").content.decode()
    assert "Nach der Anschrift des Kindes ist <strong>Jugendamt Dortmund (Test)</strong> zuständig" in page
    assert f'<option value="{rw.net.dortmund.pk}" selected>Jugendamt Dortmund (Test) (zuständig)' in page
    assert "Wange links: Hämatom" in page  # the coded findings
    assert "Gespräch nicht geführt" in page and "Verdacht richtet sich gegen die Mutter." in page


def test_a_report_reaches_the_youth_office_without_personal_data_in_any_message(
    client: Client, rw: ReportWorld, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    _document(client, rw)
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, rw)
    report = YouthOfficeReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mitteilungen/{report.pk}/"
    assert report.youth_office == rw.net.dortmund == report.competent_youth_office
    assert report.billing_code == "01681"
    assert report.due_at == deadline(report.reported_at, 2, "hours", "NW")  # the agreement's urgent time
    rw.case.refresh_from_db()
    assert rw.case.state == CaseState.REPORTED
    told = Notification.objects.filter(kind="report_received")
    assert {n.recipient_id for n in told} == {rw.net.dortmund_coordinator.pk, rw.on_call.pk}
    addresses = {m["To"] for m in smtp.messages}
    assert rw.net.dortmund.email in addresses  # the duty mailbox
    assert rw.on_call.email in addresses and rw.net.dortmund_coordinator.email in addresses
    for message in smtp.messages:
        text = body(message) + message["Subject"]
        assert f"/mitteilungen/{report.pk}/" in text
        assert not any(word in text for word in IDENTIFYING), text
    assert AuditEvent.objects.filter(action="disclose", object_type="YouthOfficeReport").exists()


def test_bad_input_is_refused_in_german_and_saves_nothing(client: Client, rw: ReportWorld) -> None:
    _document(client, rw)
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(rw.doctor)}")
    url = f"/api/v1/cases/{rw.case.pk}/reports/"
    good = {
        "youth_office": rw.net.dortmund.pk,
        "urgency": "normal",
        "indications": INDICATIONS,
        "affected_notice": "given",
    }
    cases = [
        ({"indications": "  "}, "indications", "gewichtigen Anhaltspunkte"),
        ({"affected_notice": "omitted"}, "notice_omitted_reason", "wirksamen Schutz"),
        ({"affected_notice": "vielleicht"}, "affected_notice", ""),
        ({"youth_office": rw.net.practice.pk}, "youth_office", "nicht zum Netzwerk"),
        ({"youth_office": 999999}, "youth_office", "nicht zum Netzwerk"),
        ({"youth_office": rw.net.bochum.pk}, "override_reason", "Jugendamt Dortmund (Test) zuständig"),
        ({"urgency": "sofort"}, "urgency", ""),
    ]
    for change, field, text in cases:
        response = api.post(url, good | change, content_type="application/json")
        assert response.status_code == 400, change
        assert text in str(response.json()[field]), response.json()
    assert not YouthOfficeReport.objects.exists()
    assert not Notification.objects.filter(kind="report_received").exists()
    # With a reason, another Jugendamt may be chosen.
    reason = {"youth_office": rw.net.bochum.pk, "override_reason": "Familie zieht laut Mutter nach Bochum"}
    assert api.post(url, good | reason, content_type="application/json").status_code == 201


def test_a_second_report_in_the_quarter_is_warned_and_not_billed_again(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    assert _send(client, rw).status_code == 302
    again = _send(client, rw)
    assert again.status_code == 400
    assert "bereits eine Mitteilung gesendet" in again.content.decode()
    assert _send(client, rw, confirm_repeat="on").status_code == 302
    assert list(YouthOfficeReport.objects.order_by("reported_at").values_list("billing_code", flat=True)) == [
        "01681",
        "",
    ]


def test_only_the_reporting_doctors_and_the_youth_office_read_the_report(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    _send(client, rw)
    report = YouthOfficeReport.objects.get()
    for outsider in (rw.outsider, rw.clerk, rw.net.provider and rw.net.outsider):
        login(client, outsider)
        for url in (f"/mitteilungen/{report.pk}/", f"/mitteilungen/{report.pk}/mitteilung.pdf"):
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(f"/mitteilungen/{report.pk}/eingang/").status_code == 404
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(outsider)}")
        assert api.get(f"/api/v1/reports/{report.pk}/").status_code == 404
        assert "Lina" not in client.get("/mitteilungen/").content.decode()
    # The Jugendamt reads it before it takes part in the case: the report is how it learns of it.
    login(client, rw.on_call)
    page = client.get(f"/mitteilungen/{report.pk}/").content.decode()
    assert "Lina Brandt" in page and "Sabine Brandt" in page and INDICATIONS in page
    assert client.get(f"/faelle/{rw.case.pk}/").status_code == 404
    read = AuditEvent.objects.filter(action="read", object_type="YouthOfficeReport", actor=rw.on_call)
    assert read.count() == 1 and read.get().details["persons"]["child"] == rw.case.child.pseudonym
    # The reporting doctor cannot acknowledge for the Jugendamt.
    login(client, rw.doctor)
    assert client.post(f"/mitteilungen/{report.pk}/eingang/").status_code == 403


def test_acknowledging_makes_the_youth_office_a_participant_and_hands_it_the_lead(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    _send(client, rw)
    report = YouthOfficeReport.objects.get()
    login(client, rw.on_call)
    assert client.post(f"/mitteilungen/{report.pk}/eingang/").status_code == 302
    rw.case.refresh_from_db()
    assert rw.case.lead_organisation == rw.net.dortmund and rw.case.lead_user == rw.on_call
    assert rw.case.state == CaseState.RISK_ASSESSMENT
    part = Participation.objects.get(case=rw.case, organisation=rw.net.dortmund)
    assert part.status == ParticipationStatus.ACTIVE and not part.pseudonymised
    titles = set(Task.objects.filter(case=rw.case, owner=rw.on_call).values_list("title", flat=True))
    assert titles == {
        "Gefährdungseinschätzung nach § 8a SGB VIII vornehmen",
        "Rückmeldung an die meldende Stelle (§ 4 Abs. 4 KKG)",
    }
    report.refresh_from_db()
    assert report.feedback_due_at == deadline(report.acknowledged_at, 5, "working_days", "NW")
    assert Notification.objects.filter(recipient=rw.doctor, kind="report_acknowledged").exists()
    assert client.get(f"/faelle/{rw.case.pk}/").status_code == 200
    again = client.post(f"/mitteilungen/{report.pk}/eingang/", follow=True)
    assert "bereits bestätigt" in again.content.decode()


def test_an_unacknowledged_urgent_report_escalates_to_on_call_and_reporter_once(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    _send(client, rw)
    report = YouthOfficeReport.objects.get()
    due = deadline(report.reported_at, 2, "hours", "NW")
    assert report.due_at == due
    assert escalate_unacknowledged_reports(now=due - timedelta(minutes=1)) == 0
    assert escalate_unacknowledged_reports(now=due + timedelta(minutes=1)) == 1
    assert escalate_unacknowledged_reports(now=due + timedelta(minutes=2)) == 0  # once
    told = {n.recipient_id for n in Notification.objects.filter(kind="report_overdue")}
    assert {rw.on_call.pk, rw.doctor.pk, rw.net.dortmund_coordinator.pk} == told
    entry = TimelineEntry.objects.get(case=rw.case, text__contains="nicht bis")
    assert rw.on_call.display_name in entry.text  # who on call was alerted
    # Acknowledged in time: nothing to escalate.
    login(client, rw.doctor)
    _send(client, rw, confirm_repeat="on")
    second = YouthOfficeReport.objects.exclude(pk=report.pk).get()
    login(client, rw.on_call)
    client.post(f"/mitteilungen/{second.pk}/eingang/")
    assert escalate_unacknowledged_reports(now=second.due_at + timedelta(hours=1)) == 0


def test_the_youth_office_involves_the_reporter_and_gives_feedback_the_reporter_sees(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    _send(client, rw)
    report = YouthOfficeReport.objects.get()
    page = client.get("/mitteilungen/").content.decode()
    assert (
        "Rückmeldung ausstehend" in page
        and f"/mitteilungen/{report.pk}/" in page.split("Mitteilungen mit")[0]
    )
    login(client, rw.on_call)
    # Before receipt is confirmed there is no feedback to give.
    early = {"feedback-confirmed": "open", "feedback-became_active": "ja", "feedback-still_active": "ja"}
    assert client.post(f"/mitteilungen/{report.pk}/rueckmeldung/", early).status_code == 403
    client.post(f"/mitteilungen/{report.pk}/eingang/")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    involved = client.post(f"/mitteilungen/{report.pk}/beteiligung/", {"involve-due_date": due})
    assert involved.status_code == 302
    assert Task.objects.filter(
        case=rw.case, owner=rw.doctor, title__startswith="An der Gefährdungseinschätzung"
    )
    given = client.post(
        f"/mitteilungen/{report.pk}/rueckmeldung/",
        {
            "feedback-confirmed": "yes",
            "feedback-became_active": "ja",
            "feedback-still_active": "nein",
            "feedback-note": "call_back",
            "feedback-callback_phone": "0231 50-12345",
        },
    )
    assert given.status_code == 302
    login(client, rw.doctor)
    page = client.get(f"/mitteilungen/{report.pk}/").content.decode()
    assert "<dt>Gewichtige Anhaltspunkte bestätigt</dt><dd>ja</dd>" in page
    assert "<dt>Jugendamt tätig geworden</dt><dd>ja</dd>" in page
    assert "<dt>Jugendamt noch tätig</dt><dd>nein</dd>" in page
    assert 'href="tel:+492315012345">0231 5012345</a>' in page
    listing = client.get("/mitteilungen/").content.decode()
    assert f"/mitteilungen/{report.pk}/" in listing.split("Mitteilungen mit Rückmeldung")[1]
    assert Notification.objects.filter(recipient=rw.doctor, kind="report_feedback").exists()


def test_feedback_not_given_in_time_is_reminded_once(client: Client, rw: ReportWorld) -> None:
    _document(client, rw)
    _send(client, rw)
    report = YouthOfficeReport.objects.get()
    login(client, rw.on_call)
    client.post(f"/mitteilungen/{report.pk}/eingang/")
    report.refresh_from_db()
    assert report.feedback_due_at is not None
    assert remind_feedback_due(now=report.feedback_due_at - timedelta(minutes=1)) == 0
    assert remind_feedback_due(now=report.feedback_due_at + timedelta(minutes=1)) == 1
    assert remind_feedback_due(now=report.feedback_due_at + timedelta(days=1)) == 0
    told = {n.recipient_id for n in Notification.objects.filter(kind="report_feedback_due")}
    assert rw.on_call.pk in told and rw.net.dortmund_coordinator.pk in told


def test_the_pdf_holds_every_item_of_the_form_and_nothing_else_of_the_case(
    client: Client, rw: ReportWorld
) -> None:
    _document(client, rw)
    with time_machine.travel(timezone.now()):
        _send(client, rw)
    report = YouthOfficeReport.objects.get()
    response = client.get(f"/mitteilungen/{report.pk}/mitteilung.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    expected = [
        "Mitteilung nach § 4 Abs. 3 KKG",
        "Jugendamt Dortmund (Test)",
        "zuständig nach der Anschrift des Kindes",
        "dringend",
        "§ 4 Abs. 3 KKG – Mitteilung an das Jugendamt",
        rw.doctor.display_name,
        "Kinderarztpraxis Sonnenschein (Test)",
        "Lina Brandt",
        born_months_ago(7)[8:10] + "." + born_months_ago(7)[5:7] + "." + born_months_ago(7)[:4],
        "Musterweg 1, 44135 Dortmund",
        "Sabine Brandt",
        "0170 1234567",
        INDICATIONS,
        "Stationäre Aufnahme zur Diagnostik veranlasst.",
        "Kinderschutzgruppe des Klinikums",
        "Wange links: Hämatom",
        "Gespräch nicht geführt",
        "Verdacht richtet sich gegen die Mutter.",
        "EBM 01681",
        rw.case.child.pseudonym,
    ]
    missing = [item for item in expected if " ".join(item.split()) not in text]
    assert not missing, (missing, text)
    # Nothing the reporter may not send: no photos, not the history as told, no other case texts.
    assert all(not page.images for page in reader.pages)
    assert "Sofa" not in text and "Hausbesuch" not in text


CASE_CONTENT = (
    "Die Mutter ist alkoholabhängig, der Vater ist vorbestraft; das Kind wurde gestern in Obhut genommen."
)


def test_feedback_holds_the_law_s_three_answers_and_no_free_text(client: Client, rw: ReportWorld) -> None:
    """§ 4 Abs. 4 KKG: confirmed? became active? still active? — a fixed phrase and a callback number
    besides, and nothing that could carry case content."""
    _document(client, rw)
    _send(client, rw)
    report = YouthOfficeReport.objects.get()
    login(client, rw.on_call)
    client.post(f"/mitteilungen/{report.pk}/eingang/")
    form = client.get(f"/mitteilungen/{report.pk}/").content.decode().split("Rückmeldung geben")[1]
    assert "<textarea" not in form and "checked" not in form.split('name="feedback-note"')[0]
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(rw.on_call)}")
    url = f"/api/v1/reports/{report.pk}/feedback/"
    answers = {"confirmed": "yes", "became_active": True, "still_active": True}
    for refused, field in [
        (answers | {"text": CASE_CONTENT}, "text"),
        (answers | {"became_active": False}, "still_active"),
        (answers | {"note": "Die Mutter trinkt."}, "note"),
        (answers | {"note": "call_back"}, "callback_phone"),
        (answers | {"callback_phone": "Frau Brandt anrufen"}, "callback_phone"),
    ]:
        response = api.post(url, refused, content_type="application/json")
        assert response.status_code == 400 and field in str(response.json()), refused
    # The web form has no field for it: a free text sent along is not stored or shown anywhere.
    client.post(
        f"/mitteilungen/{report.pk}/rueckmeldung/",
        {
            "feedback-confirmed": "yes",
            "feedback-became_active": "ja",
            "feedback-still_active": "nein",
            "feedback-text": CASE_CONTENT,
        },
    )
    feedback = ReportFeedback.objects.get()
    assert (feedback.confirmed, feedback.became_active, feedback.still_active) == ("yes", True, False)
    assert feedback.note == "" and feedback.legacy_text == ""
    login(client, rw.doctor)
    assert "alkoholabhängig" not in client.get(f"/mitteilungen/{report.pk}/").content.decode()
    given = api.post(
        url,
        answers | {"note": "call_back", "callback_phone": "0231 50-12345"},
        content_type="application/json",
    )
    assert given.status_code == 201
    assert given.json() | {"id": 0, "given_at": ""} == {
        "id": 0,
        "confirmed": "yes",
        "became_active": True,
        "still_active": True,
        "note": "call_back",
        "callback_phone": "+492315012345",
        "given_at": "",
        "given_by_name": rw.on_call.display_name,
    }


def test_feedback_is_read_by_the_reporter_and_their_coordination_not_every_doctor(
    client: Client, rw: ReportWorld
) -> None:
    """The practice's coordination (``rw.doctor``) stands in for the reporting physician; another
    physician of the practice reads the report, learns that feedback came, and not what it says; the
    case's history records that it was given, not the answers."""
    reporter = f.make_user("dr.melde")
    f.make_member(reporter, rw.net.practice, Role.PROFESSIONAL, profession=Profession.PHYSICIAN)
    colleague = f.make_user("dr.kollege")
    f.make_member(colleague, rw.net.practice, Role.PROFESSIONAL, profession=Profession.PHYSICIAN)
    _document(client, rw)
    login(client, reporter)
    assert _send(client, rw).status_code == 302
    report = YouthOfficeReport.objects.get()
    assert report.reported_by == reporter
    login(client, rw.on_call)
    client.post(f"/mitteilungen/{report.pk}/eingang/")
    answers = {"feedback-confirmed": "yes", "feedback-became_active": "ja", "feedback-still_active": "ja"}
    assert client.post(f"/mitteilungen/{report.pk}/rueckmeldung/", answers).status_code == 302
    told = set(Notification.objects.filter(kind="report_feedback").values_list("recipient_id", flat=True))
    assert told == {reporter.pk, rw.doctor.pk}
    for reader in (reporter, rw.doctor, rw.on_call):
        login(client, reader)
        page = client.get(f"/mitteilungen/{report.pk}/").content.decode()
        assert "<dt>Jugendamt noch tätig</dt><dd>ja</dd>" in page, reader
    login(client, colleague)
    page = client.get(f"/mitteilungen/{report.pk}/").content.decode()
    assert "Jugendamt noch tätig" not in page and "Anhaltspunkte bestätigt" not in page
    assert "Das Jugendamt hat eine Rückmeldung gegeben" in page and reporter.display_name in page
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(colleague)}")
    detail = api.get(f"/api/v1/reports/{report.pk}/").json()
    assert detail["feedback"] == [] and detail["feedback_given"] is True
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(reporter)}")
    assert api.get(f"/api/v1/reports/{report.pk}/").json()["feedback"][0]["still_active"] is True
    history = " ".join(TimelineEntry.objects.filter(case=rw.case).values_list("text", flat=True))
    assert "Rückmeldung" in history and "bestätigt:" not in history and "tätig:" not in history


def test_the_consultant_s_history_holds_only_its_own_part_of_the_case(
    client: Client, rw: ReportWorld
) -> None:
    """A pseudonymised specialist reads the pseudonymised summary and what its own organisation did;
    not the report to the Jugendamt, the escalation naming who is on call, or the feedback."""
    centre = f.make_org("Kinderschutzzentrum (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    consultant = f.make_user("insofa", first_name="Ute", last_name="Vogel")
    f.make_member(consultant, centre, Role.COORDINATOR)
    _document(client, rw)
    with time_machine.travel(timezone.now()):
        _send(client, rw)
    report = YouthOfficeReport.objects.get()
    escalate_unacknowledged_reports(now=report.due_at + timedelta(minutes=1))
    login(client, rw.on_call)
    client.post(f"/mitteilungen/{report.pk}/eingang/")
    answers = {"feedback-confirmed": "yes", "feedback-became_active": "ja", "feedback-still_active": "ja"}
    client.post(f"/mitteilungen/{report.pk}/rueckmeldung/", answers)
    login(client, rw.doctor)
    asked = client.post(
        f"/faelle/{rw.case.pk}/befunde/beratung/",
        {
            "specialist": str(centre.pk),
            "urgency": "urgent",
            "question": "Säugling, Hämatom Wange: Einschätzung?",
        },
    )
    assert asked.status_code == 302
    participation = Participation.objects.get(case=rw.case, organisation=centre)
    case_services.participation_respond(actor=consultant, participation=participation, accept=True)
    history = " ".join(TimelineEntry.objects.filter(case=rw.case).values_list("text", flat=True))
    for told in ("Mitteilung", rw.on_call.display_name, "Rückmeldung"):
        assert told in history  # the participants with identity read it
    reader = Client()  # a browser of its own (no messages left from the doctor's requests)
    login(reader, consultant)
    page = reader.get(f"/faelle/{rw.case.pk}/").content.decode().split("<main")[1]  # not the menu
    assert "Kinderschutzzentrum (Test)" in page  # its own acceptance
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(consultant)}")
    timeline = api.get(f"/api/v1/cases/{rw.case.pk}/").json()["timeline"]
    assert timeline and {entry["kind"] for entry in timeline} <= {
        "participation_answered",
        "consultation",
        "summary_updated",
    }
    for text in (page, str(timeline)):
        for secret in (
            "Mitteilung",
            "Jugendamt Dortmund",
            rw.on_call.display_name,
            "Rückmeldung",
            "§ 4 Abs. 4",
        ):
            assert secret not in text, secret
    # Nor does the case list tell who leads the case (the Jugendamt since its acknowledgement).
    listing = reader.get("/faelle/?alle=1").content.decode().split("<main")[1]
    rows = api.get("/api/v1/cases/").json()["results"]
    assert rows and all(r["lead_organisation"] is None and r["lead_user_name"] is None for r in rows)
    for text in (listing, str(rows)):
        assert "Jugendamt Dortmund" not in text and rw.on_call.display_name not in text


def test_ebm_01681_is_billed_once_per_child_practice_and_quarter_not_per_case(
    client: Client, rw: ReportWorld
) -> None:
    """A duplicate case of the same child (made through the API) billed 01681 a second time. The
    treatment case is child (by the vault's identity), practice and quarter; a hospital's inpatient
    child-protection team codes OPS, not EBM."""
    _document(client, rw)
    assert _send(client, rw).status_code == 302
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(rw.doctor)}")
    child = case_queries.identity_of(rw.case.child)
    created = api.post(
        "/api/v1/cases/",
        {
            "organisation": rw.net.practice.pk,
            "title": "Hämatom (zweiter Fall)",
            "child": {
                "given_name": child.given_name,
                "family_name": child.family_name,
                "birth_date": child.birth_date.isoformat(),
                "postal_code": child.postal_code,
                "city": child.city,
                "street": child.street,
            },
            "first_task": {"title": "Mitteilung", "due_date": timezone.localdate().isoformat()},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    duplicate = Case.objects.get(pk=created.json()["id"])
    assert duplicate.child_id != rw.case.child_id  # another record of the same child
    rw.case = duplicate
    _document(client, rw)
    assert _send(client, rw).status_code == 302
    codes = list(YouthOfficeReport.objects.order_by("reported_at").values_list("billing_code", flat=True))
    assert codes == ["01681", ""]
    # The same child reported by a hospital's child-protection team: no EBM code.
    clinic = f.make_org("Kinderklinik (Test)", OrganisationKind.CHILD_PROTECTION_TEAM)
    f.make_member(rw.doctor, clinic, Role.PROFESSIONAL, profession=Profession.PHYSICIAN)
    third = f.make_case(rw.doctor, clinic, identity=child, title="Stationäre Aufnahme")
    rw.case = third
    _document(client, rw)
    assert _send(client, rw).status_code == 302
    assert YouthOfficeReport.objects.get(case=third).billing_code == ""


def test_a_further_report_on_a_case_the_youth_office_leads_does_not_page_its_on_call_duty(
    client: Client, rw: ReportWorld
) -> None:
    """The Jugendamt works the case already: an unacknowledged second report reminds the case's lead
    person and the coordination, not whoever is on call tonight."""
    _document(client, rw)
    _send(client, rw)
    first = YouthOfficeReport.objects.get()
    login(client, rw.net.dortmund_coordinator)
    client.post(f"/mitteilungen/{first.pk}/eingang/")
    rw.case.refresh_from_db()
    assert rw.case.lead_organisation_id == rw.net.dortmund.pk
    assert rw.case.lead_user == rw.net.dortmund_coordinator
    login(client, rw.doctor)
    assert _send(client, rw, confirm_repeat="on").status_code == 302
    second = YouthOfficeReport.objects.exclude(pk=first.pk).get()
    Notification.objects.all().delete()
    assert escalate_unacknowledged_reports(now=second.due_at + timedelta(minutes=1)) == 1
    told = set(Notification.objects.filter(kind="report_overdue").values_list("recipient_id", flat=True))
    assert rw.on_call.pk not in told
    assert {rw.net.dortmund_coordinator.pk, rw.doctor.pk} <= told
    entry = TimelineEntry.objects.filter(case=rw.case, text__contains="nicht bis").latest("at")
    assert "fallführende Fachkraft" in entry.text and rw.on_call.display_name not in entry.text
