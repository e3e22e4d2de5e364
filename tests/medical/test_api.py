"""The findings record through the REST API: the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from schutznetz.medical.models import FindingsRecord
from tests import factories as f
from tests.medical.conftest import MedicalWorld


def _api(client: Client, user: Any) -> dict[str, str]:
    return {"Authorization": f"Token {f.api_key(user)}"}


def _payload(**extra: Any) -> dict[str, Any]:
    at = (timezone.now() - timedelta(minutes=10)).isoformat()
    return {
        "examined_at": at,
        "history": "Laut Vater vom Wickeltisch gefallen.",
        "history_by": "father",
        "history_at": at,
        "mobility": "pre_mobile",
        "history_consistency": "inconsistent",
        "injuries": [{"region": "cheek_left", "kind": "bruise", "size": "2 cm", "pattern": "unspecific"}],
        "assessment": "nai_possible",
    } | extra


def test_document_read_and_correct_by_api(client: Client, mw: MedicalWorld) -> None:
    headers = _api(client, mw.doctor)
    url = f"/api/v1/cases/{mw.case.pk}/findings/"
    created = client.post(url, _payload(), content_type="application/json", headers=headers)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["current"]["advice"]["ten4_facesp"] is True
    assert body["current"]["advice"]["sentinel"] is True
    assert body["current"]["injuries"][0]["colour"] == "na"
    detail = f"{url}{body['id']}/"
    corrected = client.post(
        f"{detail}versions/",
        _payload(assessment="unclear", change_note="Einschätzung nach Rücksprache"),
        content_type="application/json",
        headers=headers,
    )
    assert corrected.status_code == 201
    versions = corrected.json()["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[1]["assessment"] == "nai_possible" and versions[0]["change_note"]
    listed = client.get(url, headers=headers).json()
    assert [r["current"]["number"] for r in listed] == [2]


def test_bad_input_is_a_400_in_german_and_saves_nothing(client: Client, mw: MedicalWorld) -> None:
    headers = _api(client, mw.doctor)
    url = f"/api/v1/cases/{mw.case.pk}/findings/"
    for bad in (
        _payload(injuries=[{"region": "tail", "kind": "bruise"}]),
        _payload(injuries=[{"region": "cheek_left", "kind": "stab"}]),
        _payload(examined_at="2099-01-01T10:00:00+01:00"),
        _payload(history=""),
    ):
        response = client.post(url, bad, content_type="application/json", headers=headers)
        assert response.status_code == 400, response.json()
        assert "is not a valid choice" not in response.text
    assert FindingsRecord.objects.count() == 0
    missing_note = client.post(url, _payload(), content_type="application/json", headers=headers).json()["id"]
    refused = client.post(
        f"{url}{missing_note}/versions/", _payload(), content_type="application/json", headers=headers
    )
    assert refused.status_code == 400


def test_outsiders_and_non_medical_participants_get_404(client: Client, mw: MedicalWorld) -> None:
    doctor = _api(client, mw.doctor)
    url = f"/api/v1/cases/{mw.case.pk}/findings/"
    record = client.post(url, _payload(), content_type="application/json", headers=doctor).json()["id"]
    for user in (mw.clerk, mw.youth_office, mw.consultant, mw.outsider):
        headers = _api(client, user)
        for path in (url, f"{url}{record}/", f"{url}shares/"):
            assert client.get(path, headers=headers).status_code == 404, (user.username, path)
        assert (
            client.post(url, _payload(), content_type="application/json", headers=headers).status_code == 404
        )
    shared = client.post(
        f"{url}shares/",
        {"organisation": mw.network.dortmund.pk, "legal_basis": "kkg_4_3"},
        content_type="application/json",
        headers=doctor,
    )
    assert shared.status_code == 201
    youth_office = _api(client, mw.youth_office)
    assert client.get(f"{url}{record}/", headers=youth_office).status_code == 200
    assert (
        client.post(url, _payload(), content_type="application/json", headers=youth_office).status_code == 403
    )


def test_family_talk_by_api(client: Client, mw: MedicalWorld) -> None:
    headers = _api(client, mw.doctor)
    url = f"/api/v1/cases/{mw.case.pk}/family-talks/"
    refused = client.post(url, {"held": False}, content_type="application/json", headers=headers)
    assert refused.status_code == 400 and "wirksamen Schutz" in refused.text
    reason = "Verdacht gegen den Vater; ein Gespräch würde das Kind gefährden."
    created = client.post(
        url, {"held": False, "not_held_reason": reason}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201 and created.json()["not_held_reason"] == reason
    assert [t["held"] for t in client.get(url, headers=headers).json()] == [False]
    assert client.get(url, headers=_api(client, mw.outsider)).status_code == 404
