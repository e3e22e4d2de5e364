"""Consequences of the risk assessment: a safety plan whose measures become tasks of those who follow
them up, calling on the family court (§ 8a Abs. 2 SGB VIII) and taking into care (§ 42 SGB VIII);
bad input is refused with a German reason and nothing half-saved; only the Jugendamt sees them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Case, CaseState, Task
from schutznetz.network.models import OrganisationKind
from schutznetz.welfare import services
from schutznetz.welfare.models import CareTaking, CourtReferral, SafetyMeasure, SafetyPlan
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


@pytest.fixture
def court(db: Any) -> Any:
    return f.make_org("Amtsgericht Dortmund – Familiengericht (Test)", OrganisationKind.FAMILY_COURT)


def test_safety_plan_measures_become_tasks_in_each_owners_list(client: Client, world: f.CaseWorld) -> None:
    today = timezone.localdate()
    login(client, world.lead)
    url = f"/faelle/{world.case.pk}/schutz/schutzplan/"
    form = {
        "agreed_on": today.isoformat(),
        "agreed_with": "Mutter",
        "measure_1": "Tägliche Anwesenheit in der Kita, Meldung bei Fehlen",
        "responsible_1": "Mutter; Kita",
        "owner_1": world.participant.pk,
        "due_1": (today + timedelta(days=7)).isoformat(),
        "check_1": (today + timedelta(days=14)).isoformat(),
        "measure_2": "Kinderärztliche Untersuchung",
        "responsible_2": "Mutter",
        "owner_2": world.lead.pk,
        "due_2": (today + timedelta(days=3)).isoformat(),
        "check_2": (today + timedelta(days=3)).isoformat(),
    }
    assert client.post(url, form).status_code == 302
    plan = SafetyPlan.objects.get()
    assert [m.measure for m in plan.measures.all()] == [
        "Tägliche Anwesenheit in der Kita, Meldung bei Fehlen",
        "Kinderärztliche Untersuchung",
    ]
    # The care provider's coordinator finds the measure in "Meine Aufgaben", due at the deadline.
    login(client, world.participant)
    tasks = client.get("/aufgaben/").content.decode()
    assert "Schutzplan: Tägliche Anwesenheit in der Kita" in tasks
    task = Task.objects.get(title__startswith="Schutzplan: Tägliche", owner=world.participant)
    assert task.due_date == today + timedelta(days=7)
    check = Task.objects.get(title__startswith="Schutzplan überprüfen: Tägliche")
    assert check.owner == world.lead and check.due_date == today + timedelta(days=14)
    case = Case.objects.get(pk=world.case.pk)
    assert case.state == CaseState.MEASURES
    login(client, world.lead)
    section = client.get(f"/faelle/{world.case.pk}/schutz/").content.decode()
    assert "Schutzplan vom" in section and "Kinderärztliche Untersuchung" in section
    # The case's sections belong to "Meine Fälle" in the navigation, not to the intake.
    assert 'aria-current="page">Meine Fälle' in section
    assert 'aria-current="page">Meldungseingang' not in section
    assert 'aria-current="page">Meldungseingang' in client.get("/meldungen/").content.decode()


BAD_MEASURES = [
    ({"measure": ""}, "bitte beschreiben"),
    ({"responsible": " "}, "wer dafür verantwortlich ist"),
    ({"owner_id": None}, "Fachkraft einer beteiligten Stelle"),
    ({"due_date": None}, "Frist"),
    ({"check_date": "before"}, "Überprüfung liegt nicht vor der Frist"),
]


@pytest.mark.parametrize(("change", "message"), BAD_MEASURES)
def test_bad_measures_are_refused_and_nothing_is_saved(
    world: f.CaseWorld, change: dict[str, Any], message: str
) -> None:
    today = timezone.localdate()
    good = {
        "measure": "Hausbesuch",
        "responsible": "Jugendamt",
        "owner_id": world.lead.pk,
        "due_date": today + timedelta(days=2),
        "check_date": today + timedelta(days=5),
    }
    if change.get("check_date") == "before":
        change = {"check_date": today + timedelta(days=1)}
    measures = [services.MeasureInput(**good), services.MeasureInput(**(good | change))]
    access = case_queries.case_get_for(world.lead, world.case.pk)
    tasks = Task.objects.count()
    with pytest.raises(ValidationError) as error:
        services.safety_plan_record(
            actor=world.lead, access=access, data=services.SafetyPlanInput(agreed_on=today, measures=measures)
        )
    assert "Maßnahme 2" in str(error.value) and message in str(error.value)
    assert not SafetyPlan.objects.exists() and not SafetyMeasure.objects.exists()
    assert Task.objects.count() == tasks


def test_an_owner_outside_the_case_is_refused(world: f.CaseWorld) -> None:
    today = timezone.localdate()
    access = case_queries.case_get_for(world.lead, world.case.pk)
    for owner in (world.outsider, world.consultant):  # not in the case; pseudonymised only
        with pytest.raises(ValidationError):
            services.safety_plan_record(
                actor=world.lead,
                access=access,
                data=services.SafetyPlanInput(
                    agreed_on=today,
                    measures=[services.MeasureInput("Hausbesuch", "JA", owner.pk, today, today)],
                ),
            )
    assert not SafetyPlan.objects.exists()


def test_court_referral_needs_a_court_from_the_directory(
    client: Client, world: f.CaseWorld, court: Any
) -> None:
    login(client, world.lead)
    url = f"/faelle/{world.case.pk}/schutz/familiengericht/"
    today = timezone.localdate()
    form = {"referred_on": today.isoformat(), "reason": "Eltern wirken an der Abwendung nicht mit."}
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Bitte das Familiengericht aus dem Verzeichnis wählen." in refused.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    api_url = f"/api/v1/cases/{world.case.pk}/court-referrals/"
    # A youth office is not a court.
    wrong = api.post(api_url, form | {"court": world.network.dortmund.pk}, content_type="application/json")
    assert wrong.status_code == 400 and "Familiengericht aus dem Verzeichnis" in str(wrong.json())
    assert not CourtReferral.objects.exists()
    assert client.post(url, form | {"court": court.pk, "urgent": "on"}).status_code == 302
    referral = CourtReferral.objects.get()
    assert referral.urgent and referral.follow_up_date == today + timedelta(days=14)
    task = Task.objects.get(title__contains="Familiengericht (Test) nachhalten")
    assert task.owner == world.lead and task.due_date == referral.follow_up_date
    body = api.get(f"/api/v1/cases/{world.case.pk}/protection/").json()
    assert body["court_referrals"][0]["court_name"] == court.name


def test_care_taking_end_before_begin_is_refused_and_the_end_is_recorded_later(world: f.CaseWorld) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    url = f"/api/v1/cases/{world.case.pk}/care-takings/"
    begin = timezone.now() - timedelta(hours=5)
    body = {
        "begins_at": begin.isoformat(),
        "ends_at": (begin - timedelta(hours=1)).isoformat(),
        "place": "Kinderschutzambulanz, Bereitschaftspflege",
        "reason": "danger",
        "reason_note": "Kind mit Hämatomen, Vater alkoholisiert",
    }
    refused = api.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert "Das Ende der Inobhutnahme liegt vor ihrem Beginn." in str(refused.json())
    assert not CareTaking.objects.exists()
    created = api.post(url, body | {"ends_at": None}, content_type="application/json")
    assert created.status_code == 201
    care = CareTaking.objects.get()
    titles = set(Task.objects.filter(case=world.case).values_list("title", flat=True))
    assert "Personensorgeberechtigte über die Inobhutnahme unterrichten (§ 42 Abs. 3 SGB VIII)" in titles
    end_url = f"{url}{care.pk}/end/"
    assert api.post(end_url, {}, content_type="application/json").status_code == 400
    too_early = api.post(
        end_url, {"ends_at": (begin - timedelta(minutes=1)).isoformat()}, content_type="application/json"
    )
    assert too_early.status_code == 400
    ended = api.post(
        end_url,
        {"ends_at": timezone.now().isoformat(), "court_decision_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["care_takings"][0]["ends_at"]
    assert (
        api.post(
            end_url, {"ends_at": timezone.now().isoformat()}, content_type="application/json"
        ).status_code
        == 400
    )


def test_only_the_youth_office_sees_and_records_protection(world: f.CaseWorld, court: Any) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    care = services.care_taking_record(
        actor=world.lead,
        access=access,
        data=services.CareTakingInput(
            begins_at=timezone.now(), place="Notaufnahme", reason="request", reason_note="Selbstmelder"
        ),
    )
    pages = [
        f"/faelle/{world.case.pk}/schutz/",
        f"/faelle/{world.case.pk}/schutz/schutzplan/",
        f"/faelle/{world.case.pk}/schutz/familiengericht/",
        f"/faelle/{world.case.pk}/schutz/inobhutnahme/",
        f"/faelle/{world.case.pk}/schutz/inobhutnahme/{care.pk}/fortschreiben/",
    ]
    for user in (world.participant, world.consultant, world.outsider):
        client = Client()
        login(client, user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
            if not page.endswith("/schutz/"):
                assert client.post(page, {}).status_code == 404, (user, page)
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(user)}")
        assert api.get(f"/api/v1/cases/{world.case.pk}/protection/").status_code == 404
        assert api.post(f"/api/v1/cases/{world.case.pk}/care-takings/{care.pk}/end/").status_code == 404
