"""Pseudonymised consultation (§ 4 Abs. 2 KKG): the specialist sees the pseudonym, age, sex and the
coded findings, never a name, birth date, address, history, free-text note or a photo of the face;
the answer lands on the case's timeline."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Participation, TimelineEntry
from schutznetz.medical import services
from schutznetz.medical.models import Consultation, FindingsPhoto
from schutznetz.network.models import OrganisationKind, Role
from tests import factories as f
from tests.conftest import login
from tests.medical.conftest import MedicalWorld, findings_post

QUESTION = "Säugling, 7 Monate, Hämatom Wange links, Hergang Sturz an Gitterbett. Einschätzung erbeten."
IDENTIFYING = ("Lina", "Brandt", "Musterweg", "Sofa", "Laut Mutter", "geheime Notiz", "Gesicht mit Hämatom")


def _prepare(client: Client, mw: MedicalWorld) -> None:
    login(client, mw.doctor)
    posted = client.post(
        f"/faelle/{mw.case.pk}/befunde/neu/",
        findings_post(**{"injury-0-note": "geheime Notiz", "injury-0-size": "2 × 1,5 cm"}),
    )
    assert posted.status_code == 302
    record = mw.case.findings.get()
    for caption, face in (("Gesicht mit Hämatom", True), ("Wange links Nahaufnahme", False)):
        picture = io.BytesIO()
        Image.new("RGB", (30, 20)).save(picture, format="PNG")
        client.post(
            f"/faelle/{mw.case.pk}/befunde/{record.pk}/fotos/",
            {
                "photo-photo": SimpleUploadedFile("a.png", picture.getvalue()),
                "photo-caption": caption,
                "photo-region": "cheek_left",
                **({"photo-shows_face": "on"} if face else {}),
            },
        )
    assert FindingsPhoto.objects.count() == 2


def _ask(client: Client, mw: MedicalWorld, specialist: int, question: str = QUESTION) -> object:
    return client.post(
        f"/faelle/{mw.case.pk}/befunde/beratung/",
        {"specialist": str(specialist), "urgency": "urgent", "question": question},
    )


def test_consultation_from_question_to_answer(client: Client, mw: MedicalWorld) -> None:
    _prepare(client, mw)
    hotline = Participation.objects.get(case=mw.case, pseudonymised=True).organisation
    refused = _ask(client, mw, hotline.pk, "Lina Brandt, geb. 01.05.2026, hat ein Hämatom.")
    assert refused.status_code == 400 and "„Lina Brandt“" in refused.text
    assert Consultation.objects.count() == 0
    assert _ask(client, mw, hotline.pk).status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.due_at > consultation.requested_at

    login(client, mw.consultant)
    case_page = client.get(f"/faelle/{mw.case.pk}/")
    assert 'id="beratung"' in case_page.text and 'id="befunde"' not in case_page.text
    section = client.get(f"/faelle/{mw.case.pk}/beratung/")
    assert section.status_code == 200
    body = section.text
    assert QUESTION in body and "Hämatom an Wange links" in body and "7," in body
    assert "TEN-4-FACESp: positiv" in body and "2 × 1,5 cm" in body
    for text in IDENTIFYING:
        assert text not in body, text
    face, cheek = FindingsPhoto.objects.order_by("uploaded_at")
    base = f"/faelle/{mw.case.pk}/befunde/{face.record_id}/fotos/"
    assert f"{base}{cheek.pk}/" in body and f"{base}{face.pk}/" not in body
    assert client.get(f"{base}{cheek.pk}/").status_code == 200
    assert client.get(f"{base}{face.pk}/").status_code == 404
    assert AuditEvent.objects.filter(purpose="Pseudonymisierte Befunde zur Fallberatung").exists()
    # The findings pages of the doctor's side stay closed to the specialist.
    assert client.get(f"/faelle/{mw.case.pk}/befunde/").status_code == 404
    assert client.get(f"/faelle/{mw.case.pk}/befunde/{face.record_id}/").status_code == 404

    url = f"/faelle/{mw.case.pk}/beratung/{consultation.pk}/antwort/"
    answered = client.post(
        url, {f"answer{consultation.pk}-answer": "Skelettscreening und Vorstellung im Kinderschutzzentrum."}
    )
    assert answered.status_code == 302
    again = client.post(url, {f"answer{consultation.pk}-answer": "Nachtrag"})
    assert again.status_code == 400 and "bereits beantwortet" in again.text
    entry = TimelineEntry.objects.filter(case=mw.case, kind="consultation").order_by("-at", "-id").first()
    assert entry is not None and "Skelettscreening" in entry.text and not entry.identifying

    login(client, mw.doctor)
    assert "Skelettscreening und Vorstellung" in client.get(f"/faelle/{mw.case.pk}/befunde/").text
    # Both sides were told, by pseudonym only.
    from schutznetz.notify.models import Notification

    asked = Notification.objects.get(kind="consultation_requested")
    answered_note = Notification.objects.get(kind="consultation_answered")
    assert asked.recipient_id == mw.consultant.pk and answered_note.recipient_id == mw.doctor.pk
    for note in (asked, answered_note):
        assert mw.case.child.pseudonym in note.title
        assert not any(t in note.title + note.body for t in ("Lina", "Brandt", "Hämatom", "Sturz"))


def test_asking_a_new_specialist_invites_it_pseudonymised(client: Client, mw: MedicalWorld) -> None:
    _prepare(client, mw)
    centre = f.make_org("Kinderschutzzentrum Nord (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    assert _ask(client, mw, centre.pk).status_code == 302
    invited = Participation.objects.get(case=mw.case, organisation=centre)
    assert invited.pseudonymised and invited.legal_basis == "kkg_4_2" and invited.status == "invited"


def test_who_may_not_ask_or_answer_gets_404(client: Client, mw: MedicalWorld) -> None:
    _prepare(client, mw)
    hotline = Participation.objects.get(case=mw.case, pseudonymised=True).organisation
    _ask(client, mw, hotline.pk)
    consultation = Consultation.objects.get()
    for user in (mw.youth_office, mw.outsider, mw.clerk):
        login(client, user)
        assert client.get(f"/faelle/{mw.case.pk}/beratung/").status_code == 404
        assert client.get(f"/faelle/{mw.case.pk}/befunde/beratung/").status_code == 404
        answer = client.post(f"/faelle/{mw.case.pk}/beratung/{consultation.pk}/antwort/", {"x": "y"})
        assert answer.status_code == 404
    # Another member of the hotline answers too; a pseudonymised participant asked nothing sees nothing.
    colleague = f.make_user("hotline2")
    f.make_member(colleague, hotline, Role.PROFESSIONAL)
    login(client, colleague)
    assert client.get(f"/faelle/{mw.case.pk}/beratung/").status_code == 200


def test_consultation_by_api(client: Client, mw: MedicalWorld) -> None:
    access = case_queries.case_get_for(mw.doctor, mw.case.pk)
    from tests.medical.test_query_counts import _content

    services.findings_record_create(actor=mw.doctor, access=access, data=_content(2))
    hotline = Participation.objects.get(case=mw.case, pseudonymised=True).organisation
    doctor = {"Authorization": f"Token {f.api_key(mw.doctor)}"}
    url = f"/api/v1/cases/{mw.case.pk}/consultations/"
    bad = client.post(
        url,
        {"specialist": hotline.pk, "question": "Lina Brandt"},
        content_type="application/json",
        headers=doctor,
    )
    assert bad.status_code == 400
    created = client.post(
        url, {"specialist": hotline.pk, "question": QUESTION}, content_type="application/json", headers=doctor
    )
    assert created.status_code == 201, created.json()
    consultant = {"Authorization": f"Token {f.api_key(mw.consultant)}"}
    findings = client.get(f"{url}findings/", headers=consultant)
    assert findings.status_code == 200 and findings.json()["pseudonym"] == mw.case.child.pseudonym
    assert "Sturz" not in findings.text and "Brandt" not in findings.text
    answer = client.post(
        f"{url}{created.json()['id']}/answer/",
        {"answer": "Bitte Skelettscreening."},
        content_type="application/json",
        headers=consultant,
    )
    assert answer.status_code == 200 and answer.json()["answered_at"]
    outsider = {"Authorization": f"Token {f.api_key(mw.outsider)}"}
    assert client.get(url, headers=outsider).status_code == 404
    assert (
        client.get(f"{url}findings/", headers=doctor).status_code == 404
    )  # the doctor reads the findings themselves


def test_an_overdue_answer_is_escalated_once(client: Client, mw: MedicalWorld) -> None:
    from datetime import timedelta

    from schutznetz.medical.reminders import escalate_overdue_consultations
    from schutznetz.notify.models import Notification

    _prepare(client, mw)
    hotline = Participation.objects.get(case=mw.case, pseudonymised=True).organisation
    _ask(client, mw, hotline.pk)
    consultation = Consultation.objects.get()
    assert escalate_overdue_consultations(now=consultation.due_at - timedelta(minutes=1)) == 0
    later = consultation.due_at + timedelta(minutes=1)
    assert escalate_overdue_consultations(now=later) == 1
    assert escalate_overdue_consultations(now=later) == 0  # once
    told = Notification.objects.filter(kind="consultation_overdue")
    assert {n.recipient_id for n in told} == {mw.consultant.pk, mw.doctor.pk}
    assert all("Lina" not in n.body and "Brandt" not in n.body for n in told)
    assert TimelineEntry.objects.filter(case=mw.case, text__contains="überfällig").count() == 1


def test_only_a_specialist_that_does_not_know_the_child_can_be_consulted(
    client: Client, mw: MedicalWorld
) -> None:
    from schutznetz.cases.services import participation_invite, participation_respond

    access = case_queries.case_get_for(mw.doctor, mw.case.pk)
    # A care provider taking part with identity knows the child: no pseudonymised consultation there.
    provider = mw.network.provider
    coordinator = f.make_user("traeger")
    f.make_member(coordinator, provider, Role.COORDINATOR)
    invited = participation_invite(
        actor=mw.doctor, access=access, organisation=provider, role="care_provider", legal_basis="sgb8_8a_4"
    )
    participation_respond(actor=coordinator, participation=invited, accept=True)
    doctor = {"Authorization": f"Token {f.api_key(mw.doctor)}"}
    url = f"/api/v1/cases/{mw.case.pk}/consultations/"
    for organisation, text in (
        (provider.pk, "mit Personenbezug am Fall beteiligt"),
        (mw.network.bochum.pk, "Bitte eine Fachstelle des Netzwerks wählen"),  # a Jugendamt
        (987654, "gibt es im Netzwerk nicht"),
    ):
        refused = client.post(
            url,
            {"specialist": organisation, "question": QUESTION},
            content_type="application/json",
            headers=doctor,
        )
        assert refused.status_code == 400 and text in refused.json()["specialist"][0], refused.json()
    assert not Consultation.objects.exists()
