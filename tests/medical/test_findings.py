"""The findings record: documented by the practice's medical staff, versioned on correction, read
by no one else unless shared; bad input is refused with a German error and saves nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import LegalBasis, TimelineEntry
from schutznetz.medical import services
from schutznetz.medical.models import FamilyTalk, FindingsRecord, FindingsShare, FindingsVersion
from tests.conftest import login
from tests.medical.conftest import MedicalWorld, findings_post


def _document(client: Client, mw: MedicalWorld, **extra: str) -> FindingsRecord:
    login(client, mw.doctor)
    response = client.post(f"/faelle/{mw.case.pk}/befunde/neu/", findings_post(**extra))
    assert response.status_code == 302, response.text[:3000]
    return FindingsRecord.objects.get()


def test_doctor_documents_findings_and_sees_the_advice_with_reasons(client: Client, mw: MedicalWorld) -> None:
    record = _document(client, mw)
    version = record.current
    assert version.number == 1 and version.injuries[0]["region"] == "cheek_left"
    assert 7 <= version.age_months < 8
    page = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/")
    assert page.status_code == 200
    assert "TEN-4-FACESp: positiv" in page.text
    assert "Hämatom an Wange links: FACES (Wange) bei einem Kind unter 4 Jahren" in page.text
    assert "Sentinel-Verletzung: möglich" in page.text
    assert "Röntgen-Skelettscreening" in page.text and "Gerinnungsdiagnostik" in page.text
    # The advice is stored with the version it was computed from.
    assert version.advice["ten4_facesp"] is True and version.advice["sentinel"] is True
    assert TimelineEntry.objects.filter(case=mw.case, kind="findings").count() == 1
    assert AuditEvent.objects.filter(object_type="FindingsVersion", action="create").count() == 1
    assert AuditEvent.objects.filter(case_id=mw.case.pk, purpose__startswith="Befund einsehen").exists()


def test_correction_is_a_new_version_and_the_old_stays_readable(client: Client, mw: MedicalWorld) -> None:
    record = _document(client, mw)
    url = f"/faelle/{mw.case.pk}/befunde/{record.pk}/korrektur/"
    form = client.get(url)
    assert form.status_code == 200 and 'value="cheek_left" selected' in form.text
    missing_reason = client.post(url, findings_post(**{"injury-0-size": "3 × 2 cm"}))
    assert (
        missing_reason.status_code == 400 and "Dieses Feld ist zwingend erforderlich" in missing_reason.text
    )
    corrected = client.post(
        url, findings_post(**{"injury-0-size": "3 × 2 cm", "change_note": "Größe nachgemessen"})
    )
    assert corrected.status_code == 302
    record.refresh_from_db()
    assert record.current.number == 2 and record.current.injuries[0]["size"] == "3 × 2 cm"
    assert FindingsVersion.objects.filter(record=record).count() == 2
    page = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/")
    assert "Korrektur: Größe nachgemessen" in page.text and "3 × 2 cm" in page.text
    old = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/?fassung=1")
    assert "Frühere Fassung 1" in old.text and "2 × 1,5 cm" in old.text and "3 × 2 cm" not in old.text


def test_bad_input_gets_a_german_error_and_saves_nothing(client: Client, mw: MedicalWorld) -> None:
    login(client, mw.doctor)
    url = f"/faelle/{mw.case.pk}/befunde/neu/"
    unknown_region = client.post(url, findings_post(**{"injury-0-region": "tail"}))
    assert unknown_region.status_code == 400 and "Bitte eine gültige Auswahl treffen" in unknown_region.text
    future = client.post(url, findings_post(examined_at="2099-01-01T10:00"))
    assert future.status_code == 400 and "liegt in der Zukunft" in future.text
    no_history = client.post(url, findings_post(history=""))
    assert no_history.status_code == 400
    assert FindingsRecord.objects.count() == 0 and FindingsVersion.objects.count() == 0


def test_findings_are_for_medical_staff_and_those_they_are_shared_with(
    client: Client, mw: MedicalWorld
) -> None:
    record = _document(client, mw)
    section = f"/faelle/{mw.case.pk}/befunde/"
    detail = f"{section}{record.pk}/"
    login(client, mw.assistant)
    assert client.get(detail).status_code == 200  # medical assistant of the practice
    assert 'id="befunde"' in client.get(f"/faelle/{mw.case.pk}/").text
    for user in (mw.clerk, mw.youth_office, mw.consultant, mw.outsider):
        login(client, user)
        for url in (section, detail, f"{section}neu/", f"{detail}korrektur/"):
            assert client.get(url).status_code == 404, (user.username, url)
    login(client, mw.youth_office)
    case_page = client.get(f"/faelle/{mw.case.pk}/")
    assert "befunde" not in case_page.text and "Wange links" not in case_page.text
    # The doctor shares the findings with the Jugendamt, the legal basis recorded.
    login(client, mw.doctor)
    shared = client.post(
        f"{section}freigabe/",
        {
            "share-organisation": str(mw.network.dortmund.pk),
            "share-legal_basis": LegalBasis.KKG_4_3,
            "share-note": "",
        },
    )
    assert shared.status_code == 302
    assert FindingsShare.objects.get().legal_basis == LegalBasis.KKG_4_3
    login(client, mw.youth_office)
    page = client.get(detail)
    assert page.status_code == 200 and "Wange links" in page.text
    assert "Korrigieren" not in page.text
    assert client.get(f"{detail}korrektur/").status_code == 403
    # The pseudonymised consultant still sees nothing of it.
    login(client, mw.consultant)
    assert client.get(detail).status_code == 404


def test_share_only_with_an_organisation_taking_part(client: Client, mw: MedicalWorld) -> None:
    _document(client, mw)
    response = client.post(
        f"/faelle/{mw.case.pk}/befunde/freigabe/",
        {"share-organisation": str(mw.network.bochum.pk), "share-legal_basis": LegalBasis.KKG_4_3},
    )
    assert response.status_code == 400 and FindingsShare.objects.count() == 0


def test_body_map_click_adds_a_row_with_its_region(client: Client, mw: MedicalWorld) -> None:
    login(client, mw.doctor)
    form = client.get(f"/faelle/{mw.case.pk}/befunde/neu/")
    assert (
        form.text.count('class="bodymap__link"') == 45
        or 'aria-label="Wange links: Einzelbefund hinzufügen"' in form.text
    )
    row = client.get(
        f"/faelle/{mw.case.pk}/befunde/zeile/?region=cheek_left&injury-TOTAL_FORMS=2",
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200
    assert 'name="injury-2-region"' in row.text and 'value="cheek_left" selected' in row.text
    assert 'value="3"' in row.text and 'hx-swap-oob="true"' in row.text
    # Without script the link opens the form with the region chosen.
    plain = client.get(f"/faelle/{mw.case.pk}/befunde/neu/?region=eyelid_right")
    assert 'value="eyelid_right" selected' in plain.text


def test_talk_with_child_and_parents_or_why_not(client: Client, mw: MedicalWorld) -> None:
    login(client, mw.doctor)
    url = f"/faelle/{mw.case.pk}/befunde/gespraech/"
    assert client.get(url).status_code == 200
    no_reason = client.post(url, {"held": "no"})
    assert no_reason.status_code == 400 and "wirksamen Schutz des Kindes" in no_reason.text
    no_result = client.post(url, {"held": "yes", "held_at": "2026-01-05T10:00"})
    assert no_result.status_code == 400 and "Ergebnis des Gesprächs festhalten" in no_result.text
    assert FamilyTalk.objects.count() == 0
    held = client.post(
        url,
        {
            "held": "yes",
            "held_at": "2026-01-05T10:00",
            "participants": "Mutter",
            "result": "Hilfe angenommen",
        },
    )
    assert held.status_code == 302
    section = client.get(f"/faelle/{mw.case.pk}/befunde/")
    assert "Geführt am 05.01.2026 10:00 mit Mutter: Hilfe angenommen" in section.text
    shown = AuditEvent.objects.filter(action="read", purpose="Befunde im Fall einsehen").latest("id")
    assert shown.details["talks"] == [FamilyTalk.objects.get().pk]
    assert shown.details["persons"] == {"child": mw.case.child.pseudonym}
    assert TimelineEntry.objects.filter(case=mw.case, kind="family_talk").count() == 1
    # Medical content: the Jugendamt (not shared) and outsiders do not reach it.
    for user in (mw.youth_office, mw.consultant, mw.outsider, mw.clerk):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"held": "no", "not_held_reason": "x"}).status_code == 404
    assert FamilyTalk.objects.count() == 1


def test_a_share_can_be_ended(client: Client, mw: MedicalWorld) -> None:
    record = _document(client, mw)
    section = f"/faelle/{mw.case.pk}/befunde/"
    client.post(
        f"{section}freigabe/",
        {"share-organisation": str(mw.network.dortmund.pk), "share-legal_basis": LegalBasis.KKG_4_3},
    )
    share = FindingsShare.objects.get()
    login(client, mw.youth_office)
    assert client.get(f"{section}{record.pk}/").status_code == 200
    assert client.post(f"{section}freigabe/{share.pk}/beenden/").status_code == 403  # only the doctor's side
    login(client, mw.doctor)
    assert client.post(f"{section}freigabe/{share.pk}/beenden/").status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert client.post(f"{section}freigabe/{share.pk}/beenden/").status_code == 404  # no longer there
    login(client, mw.youth_office)
    assert client.get(f"{section}{record.pk}/").status_code == 404


JUDGEMENTS = ("history_by", "history_consistency", "mobility", "assessment")


def test_no_clinical_judgement_is_preset_and_each_must_be_chosen(client: Client, mw: MedicalWorld) -> None:
    """Skipping a field must not record the gravest judgement (or any): the form starts with nothing
    chosen in the judgements and the kind of injury, refuses to save until each is chosen, and the
    service refuses the same for the API and any other caller."""
    login(client, mw.doctor)
    url = f"/faelle/{mw.case.pk}/befunde/neu/"
    form = client.get(url).text
    for name in (*JUDGEMENTS, "injury-0-kind"):
        select = form.split(f'name="{name}"')[1].split("</select>")[0]
        chosen = [option.split(">")[0] for option in select.split("<option ")[1:] if " selected" in option]
        assert chosen in ([], ['value="" selected']), name
        assert select.split("<option ")[1].startswith('value=""'), name  # what a browser shows first
    skipped = client.post(url, findings_post(**dict.fromkeys(JUDGEMENTS, "")))
    assert skipped.status_code == 400
    assert skipped.text.count("Dieses Feld ist zwingend erforderlich") >= len(JUDGEMENTS)
    no_kind = client.post(url, findings_post(**{"injury-0-kind": ""}))
    assert no_kind.status_code == 400
    assert FindingsVersion.objects.count() == 0
    access = case_queries.case_get_for(mw.doctor, mw.case.pk)
    data = services.FindingsInput(
        examined_at=timezone.now(),
        history="Sturz",
        history_by="",
        history_at=timezone.now(),
        mobility="",
        injuries=[],
        assessment="",
    )
    with pytest.raises(ValidationError) as refused:
        services.findings_record_create(actor=mw.doctor, access=access, data=data)
    assert refused.value.message_dict == {
        "history_by": ["Bitte „Geschildert von“ auswählen."],
        "history_consistency": ["Bitte „Schlüssigkeit der Anamnese“ auswählen."],
        "mobility": ["Bitte „Mobilität des Kindes“ auswählen."],
        "assessment": ["Bitte „Gesamteinschätzung“ auswählen."],
    }
    assert FindingsRecord.objects.count() == 0


def test_an_inconsistent_history_is_shown_with_the_advice(client: Client, mw: MedicalWorld) -> None:
    record = _document(client, mw, history_consistency="changing")
    page = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/").text
    assert "Anamnese wechselnd (unterschiedliche Schilderungen)" in page
    assert "Anamnese wechselnd: Warnzeichen nach Leitlinie" in page
