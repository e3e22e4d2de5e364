"""Query counts of the youth-welfare pages do not grow with the data: the intake list, the case page's
welfare sections and the conference page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import LegalBasis
from schutznetz.welfare import services
from tests import factories as f
from tests.cases.test_query_counts import queries_for
from tests.conftest import login


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


def test_intake_list_stays_constant_from_3_to_40_reports(client: Client, world: f.CaseWorld) -> None:
    def add(n: int, offset: int) -> None:
        for i in range(n):
            services.intake_record(
                actor=world.lead,
                data=services.IntakeInput(
                    youth_office_id=world.network.dortmund.pk,
                    source="school" if i % 2 else "anonymous",
                    urgency="normal",
                    account="Mitteilung",
                    reporter_name="Schule" if i % 2 else "",
                    reporter_organisation_id=world.network.provider.pk if i % 3 == 0 else None,
                    child=f.child_identity("Kind", f"Familie{offset + i}", f"2015-0{1 + i % 9}-1{i % 9}"),
                    confirm_new=True,
                ),
            )

    login(client, world.lead)
    add(3, 0)
    small = queries_for(client, "/meldungen/")
    add(37, 100)
    # One query each for the intakes (with case, child, reporting organisation), the medical reports
    # and the offers on moving, whatever their number; the rest is the session, the user and the policy.
    assert queries_for(client, "/meldungen/") == small <= 10


def _sections(client: Client, case_pk: Any) -> list[int]:
    counts = []
    for section in ("gefaehrdungseinschaetzung", "schutz", "hilfeplan", "fallkonferenzen"):
        with_htmx = Client(HTTP_HX_REQUEST="true")
        with_htmx.cookies = client.cookies
        counts.append(queries_for(with_htmx, f"/faelle/{case_pk}/{section}/"))
    return counts


def _conference(world: f.CaseWorld, guests: int) -> Any:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    start = timezone.now() - timedelta(hours=1)
    today = timezone.localdate()
    people = []
    for _ in range(guests):
        user = f.make_user()
        f.make_member(user, f.make_org(kind="school"))
        people.append(
            services.GuestInput(
                user_id=user.pk, legal_basis=LegalBasis.SGB8_65, access_until=today + timedelta(days=10)
            )
        )
    conference = services.conference_schedule(
        actor=world.lead,
        access=access,
        data=services.ConferenceInput(
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            mode="in_person",
            agenda="Fallbesprechung",
            participant_ids=[world.participant.pk],
            guests=people,
        ),
    )
    services.conference_record_minutes(
        actor=world.lead,
        access=access,
        conference=conference,
        minutes="Protokoll",
        attendance={a.pk: services.AttendanceInput(present=True) for a in conference.attendees.all()},
        decisions=[
            services.DecisionInput(f"Beschluss {i}", world.participant.pk, today + timedelta(days=3))
            for i in range(guests + 1)
        ],
    )
    return conference


def _add_welfare(world: f.CaseWorld, n: int) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    today = timezone.localdate()
    for _ in range(n):
        services.assessment_record(
            actor=world.lead,
            access=access,
            data=services.AssessmentInput(
                outcome="latent",
                areas={"health": {"rating": "limited", "note": ""}},
                endangerments=["neglect"],
                danger_from=["mother"],
            ),
        )
        services.safety_plan_record(
            actor=world.lead,
            access=access,
            data=services.SafetyPlanInput(
                agreed_on=today,
                measures=[
                    services.MeasureInput("Hausbesuch", "JA", world.lead.pk, today, today + timedelta(days=1))
                    for _ in range(2)
                ],
            ),
        )
        services.court_referral_record(
            actor=world.lead,
            access=access,
            data=services.CourtReferralInput(
                court_id=f.make_org(kind="family_court").pk, referred_on=today, reason="§ 1666 BGB"
            ),
        )
        services.care_taking_record(
            actor=world.lead,
            access=access,
            data=services.CareTakingInput(
                begins_at=timezone.now(), place="Notaufnahme", reason="danger", reason_note="Gefahr"
            ),
        )
        services.help_plan_record(
            actor=world.lead,
            access=access,
            data=services.HelpPlanInput(
                help_type="s31",
                goals="Ziele",
                provider_id=world.network.provider.pk,
                starts_on=today,
                review_on=today + timedelta(days=30),
                young_person_involved=True,
                guardians_involved="Mutter",
            ),
        )
        _conference(world, guests=1)


def test_case_page_and_welfare_sections_stay_constant(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    _add_welfare(world, 1)
    case_url = f"/faelle/{world.case.pk}/"
    small = (queries_for(client, case_url), _sections(client, world.case.pk))
    _add_welfare(world, 6)
    assert (queries_for(client, case_url), _sections(client, world.case.pk)) == small
    # case page; assessment, protection, help plan, conferences (each with its read event, item 10)
    assert small == (10, [8, 10, 9, 8])


def test_conference_page_stays_constant_in_attendees_and_decisions(
    client: Client, world: f.CaseWorld
) -> None:
    login(client, world.lead)
    small = _conference(world, guests=1)
    large = _conference(world, guests=12)
    assert (
        queries_for(client, f"/fallkonferenzen/{small.pk}/")
        == queries_for(client, f"/fallkonferenzen/{large.pk}/")
        == 9
    )
