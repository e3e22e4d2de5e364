"""The help plan (§ 36 SGB VIII): help type, goals, provider, start and a review date (without one it
is refused); the provider is asked into the case; after discharge the child-psychiatry clinic joins
help planning once consent is recorded; the review is reminded ahead of its date, once per date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import LegalBasis, Participation, Task, TaskStatus
from schutznetz.cases.services import participation_respond
from schutznetz.network.models import OrganisationKind, Role
from schutznetz.notify.models import Notification
from schutznetz.welfare import services
from schutznetz.welfare.models import HelpPlan, HelpPlanClinic
from schutznetz.welfare.reminders import remind_help_plan_reviews
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


def _plan_input(world: f.CaseWorld, **change: Any) -> services.HelpPlanInput:
    today = timezone.localdate()
    base: dict[str, Any] = {
        "help_type": "s31",
        "goals": "Tagesstruktur für die Kinder; Mutter nimmt Termine beim Kinderarzt wahr.",
        "provider_id": world.network.provider.pk,
        "starts_on": today,
        "review_on": today + timedelta(days=90),
        "young_person_involved": True,
        "guardians_involved": "Mutter",
    }
    return services.HelpPlanInput(**(base | change))


def test_a_help_plan_without_review_date_is_refused_by_page_and_api(
    client: Client, world: f.CaseWorld
) -> None:
    login(client, world.lead)
    today = timezone.localdate()
    form = {
        "help_type": "s31",
        "goals": "Stabilisierung",
        "provider": world.network.provider.pk,
        "starts_on": today.isoformat(),
        "guardians_involved": "Mutter",
    }
    refused = client.post(f"/faelle/{world.case.pk}/hilfeplan/neu/", form)
    assert refused.status_code == 400
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    url = f"/api/v1/cases/{world.case.pk}/help-plans/"
    body = form | {"young_person_involved": True}
    assert api.post(url, body, content_type="application/json").status_code == 400
    past = api.post(
        url, body | {"review_on": (today - timedelta(days=1)).isoformat()}, content_type="application/json"
    )
    assert past.status_code == 400 and "Überprüfung" in str(past.json())
    assert not HelpPlan.objects.exists()
    created = api.post(
        url, body | {"review_on": (today + timedelta(days=60)).isoformat()}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["provider_name"] == world.network.provider.name


def test_provider_is_asked_in_and_the_review_is_a_task_that_moves_on(world: f.CaseWorld) -> None:
    other_provider = f.make_org("Jugendhilfe Süd (Test)", OrganisationKind.CARE_PROVIDER)
    access = case_queries.case_get_for(world.lead, world.case.pk)
    plan = services.help_plan_record(
        actor=world.lead, access=access, data=_plan_input(world, provider_id=other_provider.pk)
    )
    invited = Participation.objects.get(case=world.case, organisation=other_provider)
    assert invited.legal_basis == LegalBasis.SGB8_36
    first = plan.review_task
    assert first.owner == world.lead and first.due_date == plan.review_on
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.help_plan_review(
            actor=world.lead, access=access, plan=plan, held_on=today, result="", next_review_on=None
        )
    services.help_plan_review(
        actor=world.lead,
        access=access,
        plan=plan,
        held_on=today,
        result="Ziele teilweise erreicht; Hilfe wird fortgesetzt.",
        next_review_on=today + timedelta(days=180),
    )
    plan.refresh_from_db()
    assert Task.objects.get(pk=first.pk).status == TaskStatus.DONE
    assert plan.review_task.status == TaskStatus.OPEN and plan.review_on == today + timedelta(days=180)


def test_clinic_joins_after_discharge_only_with_consent_and_then_sees_the_plan(
    client: Client, world: f.CaseWorld
) -> None:
    clinic = f.make_org("LWL-Klinik Dortmund (Test)", OrganisationKind.CHILD_PSYCHIATRY_CLINIC)
    doctor = f.make_user("dr.kjp", first_name="Lea", last_name="Brandt")
    f.make_member(doctor, clinic, Role.COORDINATOR)
    access = case_queries.case_get_for(world.lead, world.case.pk)
    plan = services.help_plan_record(actor=world.lead, access=access, data=_plan_input(world))
    today = timezone.localdate()
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    url = f"/api/v1/cases/{world.case.pk}/help-plans/{plan.pk}/clinics/"
    body = {"clinic": clinic.pk, "discharged_on": today.isoformat(), "consent_on": today.isoformat()}
    refused = api.post(url, body | {"consent_by": " "}, content_type="application/json")
    assert refused.status_code == 400
    not_a_clinic = api.post(
        url,
        body | {"clinic": world.network.provider.pk, "consent_by": "Mutter"},
        content_type="application/json",
    )
    assert not_a_clinic.status_code == 400 and "Kinder- und Jugendpsychiatrie" in str(not_a_clinic.json())
    assert not HelpPlanClinic.objects.exists()
    added = api.post(
        url, body | {"consent_by": "Mutter (Personensorgeberechtigte)"}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["clinics"][0]["clinic_name"] == clinic.name
    participation = Participation.objects.get(case=world.case, organisation=clinic)
    assert participation.legal_basis == LegalBasis.CONSENT
    # Before the clinic accepts, it learns nothing of the case.
    login(client, doctor)
    assert client.get(f"/faelle/{world.case.pk}/hilfeplan/").status_code == 404
    participation_respond(actor=doctor, participation=participation, accept=True)
    section = client.get(f"/faelle/{world.case.pk}/hilfeplan/").content.decode()
    assert "Sozialpädagogische Familienhilfe (§ 31 SGB VIII)" in section
    assert "Hilfeplan aufstellen" not in section  # the Jugendamt writes the plan


def test_help_plans_are_shown_on_need_to_know(client: Client, world: f.CaseWorld) -> None:
    """The provider taking part sees the plan it works in; a plan with another provider it does not."""
    other_provider = f.make_org("Jugendhilfe Süd (Test)", OrganisationKind.CARE_PROVIDER)
    access = case_queries.case_get_for(world.lead, world.case.pk)
    services.help_plan_record(
        actor=world.lead,
        access=access,
        data=_plan_input(world, help_type="s30", provider_id=other_provider.pk),
    )
    login(client, world.participant)
    section = client.get(f"/faelle/{world.case.pk}/hilfeplan/").content.decode()
    assert "Erziehungsbeistand" not in section and "an dem Ihre Organisation mitwirkt" in section
    services.help_plan_record(actor=world.lead, access=access, data=_plan_input(world))
    assert (
        "Sozialpädagogische Familienhilfe"
        in client.get(f"/faelle/{world.case.pk}/hilfeplan/").content.decode()
    )
    for user in (world.consultant, world.outsider):
        login(client, user)
        assert client.get(f"/faelle/{world.case.pk}/hilfeplan/").status_code == 404
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(user)}")
        assert api.get(f"/api/v1/cases/{world.case.pk}/help-plans/").status_code == 404


def test_review_is_reminded_ahead_once_per_review_date(world: f.CaseWorld) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    today = timezone.localdate()
    plan = services.help_plan_record(
        actor=world.lead, access=access, data=_plan_input(world, review_on=today + timedelta(days=30))
    )
    assert remind_help_plan_reviews() == 0  # more than 14 days ahead
    later = timezone.now() + timedelta(days=20)
    assert remind_help_plan_reviews(now=later) == 1
    assert remind_help_plan_reviews(now=later) == 0
    assert Notification.objects.filter(recipient=world.lead, kind="help_plan_review").count() == 1
    services.help_plan_review(
        actor=world.lead,
        access=access,
        plan=plan,
        held_on=today,
        result="Fortsetzung",
        next_review_on=today + timedelta(days=25),
    )
    assert remind_help_plan_reviews(now=later) == 1  # the next review date is reminded again
