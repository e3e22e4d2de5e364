from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.cases import services
from schutznetz.cases.models import Case
from tests import factories as f
from tests.factories import api_key

DUE = (timezone.localdate() + timedelta(days=2)).isoformat()


def api_for(user: object) -> Client:
    return Client(headers={"Authorization": f"Token {api_key(user)}"})  # type: ignore[arg-type]


def new_case(network: f.Network, **overrides: object) -> dict:
    body = {
        "organisation": network.dortmund.pk,
        "title": "Mitteilung der Schule",
        "child": {
            "given_name": "Ben",
            "family_name": "Yilmaz",
            "birth_date": "2017-04-02",
            "postal_code": "44135",
        },
        "first_task": {"title": "Hausbesuch", "due_date": DUE},
    }
    return body | overrides


def test_create_read_and_list(network: f.Network) -> None:
    api = api_for(network.dortmund_professional)
    created = api.post("/api/v1/cases/", new_case(network), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["child"]["family_name"] == "Yilmaz" and body["tasks"][0]["due_date"] == DUE
    assert api.get("/api/v1/cases/").json()["results"][0]["id"] == body["id"]
    assert api.get("/api/v1/tasks/").json()["results"][0]["title"] == "Hausbesuch"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_task": {"title": "Hausbesuch"}}, "first_task"),  # missing due date
        ({"first_task": {"title": "Hausbesuch", "due_date": "31.02.2026"}}, "first_task"),  # malformed date
        ({"first_task": {"title": "Hausbesuch", "due_date": "2001-01-01"}}, "due_date"),  # in the past
        ({"title": "x" * 201}, "title"),  # oversized
        ({"child": {"given_name": "B", "family_name": "Y", "birth_date": "2099-01-01"}}, "child"),
    ],
)
def test_bad_input_is_400_and_nothing_is_written(network: f.Network, change: dict, field: str) -> None:
    api = api_for(network.dortmund_professional)
    response = api.post("/api/v1/cases/", new_case(network, **change), content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not Case.objects.exists()


def test_task_owner_outside_the_case_is_400(world: f.CaseWorld) -> None:
    api = api_for(world.lead)
    response = api.post(
        f"/api/v1/cases/{world.case.pk}/tasks/",
        {"title": "X", "due_date": DUE, "owner": world.outsider.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["owner"] == [services.MSG_OWNER_OUTSIDE]


def test_handover_to_an_organisation_not_in_the_case_is_400(world: f.CaseWorld) -> None:
    api = api_for(world.lead)
    response = api.post(
        f"/api/v1/cases/{world.case.pk}/handover/",
        {"to_organisation": world.network.bochum.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["to_organisation"] == [services.MSG_HANDOVER_NOT_PARTICIPANT]


def test_closing_with_open_tasks_unexplained_is_400(world: f.CaseWorld) -> None:
    api = api_for(world.lead)
    response = api.post(
        f"/api/v1/cases/{world.case.pk}/close/", {"reason": "Hilfe läuft"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["open_tasks_note"] == [
        services.MSG_CLOSE_OPEN_TASKS
    ]


def test_completing_the_last_task_without_a_next_step_is_400(world: f.CaseWorld) -> None:
    api = api_for(world.lead)
    task = world.case.tasks.get()
    response = api.post(
        f"/api/v1/cases/{world.case.pk}/tasks/{task.pk}/complete/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["next_task"] == [services.MSG_LAST_TASK]


def test_invitation_and_handover_answered_by_the_receiver(world: f.CaseWorld) -> None:
    lead, receiver = api_for(world.lead), api_for(world.network.practice_doctor)
    invited = lead.post(
        f"/api/v1/cases/{world.case.pk}/participations/",
        {"organisation": world.network.practice.pk, "role": "medical", "legal_basis": "sgb8_65"},
        content_type="application/json",
    )
    assert invited.status_code == 201
    assert receiver.get(f"/api/v1/cases/{world.case.pk}/").status_code == 404  # not before accepting
    invitation = receiver.get("/api/v1/invitations/").json()["results"][0]
    assert (
        receiver.post(
            f"/api/v1/invitations/{invitation['id']}/answer/",
            {"accept": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert receiver.get(f"/api/v1/cases/{world.case.pk}/").json()["child"]["family_name"] == "Meier"
    handover = lead.post(
        f"/api/v1/cases/{world.case.pk}/handover/",
        {"to_organisation": world.network.practice.pk},
        content_type="application/json",
    ).json()
    answer = receiver.post(
        f"/api/v1/cases/{world.case.pk}/handover/{handover['id']}/answer/",
        {"accept": True},
        content_type="application/json",
    )
    assert answer.json()["status"] == "accepted"
    assert (
        receiver.get(f"/api/v1/cases/{world.case.pk}/").json()["lead_organisation"]
        == world.network.practice.pk
    )


def test_pseudonymised_participant_gets_no_identity_from_the_api(world: f.CaseWorld) -> None:
    body = api_for(world.consultant).get(f"/api/v1/cases/{world.case.pk}/").json()
    assert body["child"] is None and body["tasks"] == [] and body["guardians"] == []
    assert "Meier" not in str(body)


def test_audit_view_for_the_lead_coordination_only(world: f.CaseWorld) -> None:
    coordinator = api_for(world.network.dortmund_coordinator)
    events = coordinator.get(f"/api/v1/cases/{world.case.pk}/audit/").json()["results"]
    assert {"create", "read"} <= {e["action"] for e in events}
    assert api_for(world.participant).get(f"/api/v1/cases/{world.case.pk}/audit/").status_code == 403


def test_child_search(world: f.CaseWorld) -> None:
    api = api_for(world.lead)
    found = api.get(
        "/api/v1/children/search/", {"given_name": "Mia", "family_name": "Maier", "birth_date": "2021-01-30"}
    ).json()
    assert [m["pseudonym"] for m in found] == [world.case.child.pseudonym]
    assert (
        api_for(world.outsider)
        .get(
            "/api/v1/children/search/",
            {"given_name": "Mia", "family_name": "Meier", "birth_date": "2021-01-15"},
        )
        .json()
        == []
    )
