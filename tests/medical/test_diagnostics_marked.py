"""Issue 39, item 8: each recommended examination of the guideline can be marked done, or not done
for one of the fixed reasons; the evaluation counts guideline-conform diagnostics from it."""

from __future__ import annotations

import pytest
from django.test import Client

from schutznetz.audit.models import AuditEvent
from schutznetz.medical.models import DiagnosticStatus, FindingsRecord
from schutznetz.medical.queries import diagnostics_figures
from tests import factories as f
from tests.conftest import login
from tests.medical.conftest import MedicalWorld, findings_post

pytestmark = pytest.mark.django_db


def _record(client: Client, mw: MedicalWorld) -> FindingsRecord:
    login(client, mw.doctor)
    assert client.post(f"/faelle/{mw.case.pk}/befunde/neu/", findings_post()).status_code == 302
    return FindingsRecord.objects.get(case=mw.case)


def test_the_doctor_marks_each_recommendation_and_the_evaluation_counts_them(
    client: Client, mw: MedicalWorld
) -> None:
    record = _record(client, mw)
    codes = [d["code"] for d in record.current.advice["diagnostics"]]
    assert {"skeletal_survey", "cranial_imaging", "fundoscopy", "coagulation", "siblings"} <= set(codes)
    page = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/").content.decode()
    assert "Empfohlene Diagnostik nach Leitlinie" in page and page.count("<strong>offen</strong>") == len(
        codes
    )
    url = f"/faelle/{mw.case.pk}/befunde/{record.pk}/diagnostik/"
    assert client.post(url, {"code": "skeletal_survey", "done": "ja"}).status_code == 302
    refused = client.post(url, {"code": "coagulation", "done": "nein"}, follow=True).content.decode()
    assert "Bitte den Grund wählen" in refused
    assert not DiagnosticStatus.objects.filter(code="coagulation").exists()
    client.post(url, {"code": "coagulation", "done": "nein", "reason": "refused"})
    unknown = client.post(url, {"code": "dna_test", "done": "ja"}, follow=True).content.decode()
    assert "empfiehlt die aktuelle Fassung der Befunde nicht" in unknown
    page = client.get(f"/faelle/{mw.case.pk}/befunde/{record.pk}/").content.decode()
    assert "nicht durchgeführt: Von den Sorgeberechtigten abgelehnt" in page
    figures = diagnostics_figures([mw.network.practice.pk])
    assert (figures.recommended, figures.done, figures.not_done) == (len(codes), 1, 1)
    assert (figures.conform, figures.open) == (2, len(codes) - 2)
    assert AuditEvent.objects.filter(object_id=str(record.pk), details__code="coagulation").exists()


def test_only_the_health_professions_mark_and_the_api_takes_the_same(
    client: Client, mw: MedicalWorld
) -> None:
    record = _record(client, mw)
    url = f"/faelle/{mw.case.pk}/befunde/{record.pk}/diagnostik/"
    for user, status in ((mw.clerk, 404), (mw.outsider, 404), (mw.consultant, 404)):
        login(client, user)
        assert client.post(url, {"code": "siblings", "done": "ja"}).status_code == status, user
    assert not DiagnosticStatus.objects.exists()
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(mw.doctor)}")
    api_url = f"/api/v1/cases/{mw.case.pk}/findings/{record.pk}/diagnostics/"
    listed = api.get(api_url).json()
    assert all(row["done"] is None for row in listed)
    bad = api.post(api_url, {"code": "siblings", "done": False}, content_type="application/json")
    assert bad.status_code == 400 and "reason" in bad.json()
    good = api.post(
        api_url, {"code": "siblings", "done": False, "reason": "elsewhere"}, content_type="application/json"
    )
    assert good.status_code == 200
    assert next(r for r in good.json() if r["code"] == "siblings")["reason"] == "elsewhere"
