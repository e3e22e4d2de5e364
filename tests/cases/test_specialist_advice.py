"""The insoweit erfahrene Fachkraft records its advice (§ 8a Abs. 4 S. 1 Nr. 2, § 8b SGB VIII;
§ 4 Abs. 2 KKG): taking part pseudonymised, it could read the case but not write anything. Now it
records its view of the indications and its recommendation — screened for identifying data — and
those who asked it read it; nobody else can write it, and outsiders learn nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries
from schutznetz.cases.advice import services
from schutznetz.cases.models import SpecialistAdvice, TimelineEntry
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

ADVICE = {
    "advice-finding": "confirmed",
    "advice-recommendation": "Schutzplan mit der Familie vereinbaren; Hausbesuch binnen einer Woche.",
}


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


def test_the_specialist_records_its_advice_and_the_lead_reads_it(client: Client, world: f.CaseWorld) -> None:
    login(client, world.consultant)
    section = client.get(f"/faelle/{world.case.pk}/beratungsergebnis/", headers={"HX-Request": "true"})
    assert section.status_code == 200 and "Beratungsergebnis speichern" in section.text
    assert "checked" not in section.text  # no view of the indications preselected
    saved = client.post(f"/faelle/{world.case.pk}/beratungsergebnis/", ADVICE)
    assert saved.status_code == 302
    advice = SpecialistAdvice.objects.get()
    assert (advice.finding, advice.given_by, advice.organisation_id) == (
        "confirmed",
        world.consultant,
        advice.organisation_id,
    )
    assert AuditEvent.objects.filter(object_type="SpecialistAdvice", action="create").exists()
    assert TimelineEntry.objects.filter(case=world.case, kind="specialist_advice").exists()
    assert Notification.objects.filter(recipient=world.lead, kind="specialist_advice").exists()
    login(client, world.lead)
    page = client.get(f"/faelle/{world.case.pk}/").text
    assert "Beratung durch die insoweit erfahrene Fachkraft" in page  # the section, loaded by htmx
    section = client.get(f"/faelle/{world.case.pk}/beratungsergebnis/").text
    assert "Schutzplan mit der Familie vereinbaren" in section
    assert "Gewichtige Anhaltspunkte für eine Kindeswohlgefährdung liegen vor" in section
    assert "Beratungsergebnis speichern" not in section  # the lead reads, the specialist writes
    read = AuditEvent.objects.filter(actor=world.lead, action="read", object_type="SpecialistAdvice")
    assert read.filter(case_id=world.case.pk).count() == 1  # every read of the advice is on record
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    listed = api.get(f"/api/v1/cases/{world.case.pk}/specialist-advice/").json()
    assert [a["finding"] for a in listed] == ["confirmed"]
    assert read.count() == 2  # the API's read too


def test_identifying_text_is_refused_and_nothing_is_saved(client: Client, world: f.CaseWorld) -> None:
    login(client, world.consultant)
    refused = client.post(
        f"/faelle/{world.case.pk}/beratungsergebnis/",
        {**ADVICE, "advice-recommendation": "Mia Meier, geb. 15.01.2021, Musterweg 1: Hausbesuch."},
    )
    assert refused.status_code == 400 and "erkennbar machen" in refused.text
    empty = client.post(f"/faelle/{world.case.pk}/beratungsergebnis/", {"advice-recommendation": "x"})
    assert empty.status_code == 400
    assert not SpecialistAdvice.objects.exists()


def test_only_the_specialist_writes_and_outsiders_get_404(client: Client, world: f.CaseWorld) -> None:
    for user in (world.lead, world.participant):
        access = queries.case_get_for(user, world.case.pk)
        with pytest.raises(PermissionDenied):
            services.advice_record(actor=user, access=access, finding="confirmed", recommendation="x")
    access = queries.case_get_for(world.consultant, world.case.pk)
    with pytest.raises(ValidationError):
        services.advice_record(actor=world.consultant, access=access, finding="", recommendation="")
    login(client, world.outsider)
    assert client.get(f"/faelle/{world.case.pk}/beratungsergebnis/").status_code == 404
    assert client.post(f"/faelle/{world.case.pk}/beratungsergebnis/", ADVICE).status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.outsider)}")
    body = {"finding": "confirmed", "recommendation": "x"}
    assert (
        api.post(f"/api/v1/cases/{world.case.pk}/specialist-advice/", body, content_type="application/json")
    ).status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.consultant)}")
    created = api.post(
        f"/api/v1/cases/{world.case.pk}/specialist-advice/",
        {"finding": "unclear", "recommendation": "Kinderärztliche Untersuchung veranlassen."},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["finding"] == "unclear"
