"""Query counts of "Meine Fälle", "Meine Aufgaben" and the case page do not grow with the data."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schutznetz.cases import queries, services
from tests import factories as f
from tests.conftest import login


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_cases(net: f.Network, n: int) -> None:
    for i in range(n):
        f.make_case(
            net.dortmund_professional,
            net.dortmund,
            identity=f.child_identity("Kind", f"Familie{i}", f"20{10 + i % 10}-0{1 + i % 9}-1{i % 9}"),
        )


def test_my_cases_and_my_tasks_stay_constant_from_5_to_200(client: Client, network: f.Network) -> None:
    login(client, network.dortmund_professional)
    add_cases(network, 5)
    small = (queries_for(client, "/faelle/"), queries_for(client, "/aufgaben/"))
    add_cases(network, 195)
    large = (queries_for(client, "/faelle/"), queries_for(client, "/aufgaben/"))
    # "Meine Fälle": session, user, OTP device, memberships (policy), the keys of the page's cases (and
    # one more: is there a next page?), those cases with child, lead and next open task, my
    # participations, audit (one INSERT; it is sealed into the chain after the commit, outside the
    # request's queries). The session is saved at most once a minute.
    # "Meine Aufgaben": session, user, OTP device, memberships, the page's tasks (and one more), audit.
    assert small == large == (8, 6)


def test_case_page_stays_constant_from_5_to_200_tasks(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    access = queries.case_get_for(world.lead, world.case.pk)
    due = timezone.localdate() + timedelta(days=4)

    def add_tasks(n: int) -> None:
        for i in range(n):
            services.task_create(
                actor=world.lead, access=access, title=f"Schritt {i}", owner=world.participant, due_date=due
            )

    add_tasks(4)
    url = f"/faelle/{world.case.pk}/"
    small = queries_for(client, url)
    add_tasks(196)
    # session, user, OTP device, memberships, my participations with the case (and what the
    # pathways' sections ask of them: findings shared, consulted, report received), audit (one
    # INSERT), guardians, timeline, tasks, participations (the pending hand-over, the organisation's
    # likely duplicates and its joins around the case only where the participation facts say there
    # may be any). The forms with long choice lists (new task, reassign, invitation, hand-over) are
    # loaded on demand.
    assert queries_for(client, url) == small == 10


def test_the_api_s_lists_stay_constant_from_5_to_60(network: f.Network) -> None:
    """'Meine Fälle' and 'Meine Aufgaben' over the API: the owner's name of each task was read one
    task at a time."""
    from tests.cases.test_api import api_for

    api = api_for(network.dortmund_professional)

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200 and response.json()["results"]
        return len(ctx.captured_queries)

    add_cases(network, 5)
    counted("/api/v1/cases/")  # the key's first use of the minute is recorded
    small = (counted("/api/v1/cases/"), counted("/api/v1/tasks/"))
    add_cases(network, 55)
    assert (counted("/api/v1/cases/"), counted("/api/v1/tasks/")) == small
