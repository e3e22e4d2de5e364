"""The crisis board and the list of crises cost the same number of queries however many people were
alerted and however many crises there were."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import CaseRole, LegalBasis
from schutznetz.cases.services import participation_invite, participation_respond
from schutznetz.crisis import services
from schutznetz.network.models import OrganisationKind, Role
from tests import factories as f
from tests.cases.test_query_counts import queries_for
from tests.conftest import login
from tests.crisis.test_crisis import CrisisWorld, _raise, world  # noqa: F401 (fixture)


def _join_case(w: CrisisWorld, n: int) -> None:
    """``n`` more organisations take part in the case, each with a person on call."""
    lead = w.case.lead
    access = case_queries.case_get_for(lead, w.case.case.pk)
    for i in range(n):
        org = f.make_org(f"Schule {i} (Test)", OrganisationKind.SCHOOL)
        person = f.make_user(f"schule{i}")
        member = f.make_member(person, org, Role.COORDINATOR)
        f.make_shift(w.case.network.admin, member, timezone.now() - timedelta(hours=1))
        invitation = participation_invite(
            actor=lead, access=access, organisation=org, role=CaseRole.OTHER, legal_basis=LegalBasis.CONSENT
        )
        participation_respond(actor=person, participation=invitation, accept=True)


def test_the_board_costs_the_same_for_3_and_for_12_alerted(client: Client, world: CrisisWorld) -> None:  # noqa: F811
    crisis = _raise(world).crisis
    login(client, world.case.participant)
    small = [queries_for(client, f"/krisen/{crisis.pk}/"), queries_for(client, f"/krisen/{crisis.pk}/stand/")]
    small_list = queries_for(client, "/krisen/")
    services.crisis_close(actor=world.case.participant, crisis=crisis, debrief="Beruhigt, zu Hause.")
    _join_case(world, 9)
    bigger = _raise(world).crisis
    assert bigger.recipients.count() == 12
    large = [queries_for(client, f"/krisen/{bigger.pk}/"), queries_for(client, f"/krisen/{bigger.pk}/stand/")]
    assert large == small
    assert queries_for(client, "/krisen/") == small_list
    # The session, the user, the second factor and the memberships; the crisis (with whether the
    # user sees the case); its recipients; their alerts; the guardians; the clinics to choose from
    # when closing; the read event.
    assert large[0] <= 10 and large[1] <= 10 and small_list <= 10, (large, small_list)
