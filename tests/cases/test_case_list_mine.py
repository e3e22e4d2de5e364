"""'Meine Fälle' opens on the cases I lead or hold an open task in; all of my organisation's cases
are one link away (page and API)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.cases import queries, services
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_my_cases_by_default_all_of_the_organisation_as_a_filter(network: f.Network) -> None:
    led = f.make_case(network.dortmund_coordinator, network.dortmund, f.child_identity("Ida", "Lorenz"))
    tasked = f.make_case(network.dortmund_coordinator, network.dortmund, f.child_identity("Jan", "Brandt"))
    services.task_create(
        actor=network.dortmund_coordinator,
        access=queries.case_get_for(network.dortmund_coordinator, tasked.pk),
        title="Hausbesuch",
        owner=network.dortmund_professional,
        due_date=timezone.localdate() + timedelta(days=2),
    )
    mine = f.make_case(network.dortmund_professional, network.dortmund, f.child_identity("Ole", "Kraft"))

    worker = login(Client(), network.dortmund_professional)
    default = worker.get("/faelle/").text
    assert "Ole Kraft" in default and "Jan Brandt" in default and "Ida Lorenz" not in default
    everything = worker.get("/faelle/", {"alle": "1"}).text
    assert all(name in everything for name in ("Ole Kraft", "Jan Brandt", "Ida Lorenz"))
    assert 'href="/faelle/?alle=1"' in default

    api = Client(headers={"Authorization": f"Token {f.api_key(network.dortmund_professional)}"})
    listed = {row["id"] for row in api.get("/api/v1/cases/", {"only_mine": "true"}).json()["results"]}
    assert listed == {str(mine.pk), str(tasked.pk)}
    assert str(led.pk) in {row["id"] for row in api.get("/api/v1/cases/").json()["results"]}


def test_my_cases_list_open_cases_first_then_the_newest_and_pages_continue_the_order(
    network: f.Network,
) -> None:
    """On PostgreSQL as on SQLite: a closed case comes after every open one, however new it is; the
    most recently closed first."""
    worker = network.dortmund_professional
    cases = [
        f.make_case(worker, network.dortmund, f.child_identity("Kind", f"Nummer{i:02d}")) for i in range(26)
    ]
    for closed in (cases[25], cases[0]):
        services.case_close(
            actor=worker,
            access=queries.case_get_for(worker, closed.pk),
            reason="Hilfe abgeschlossen",
            open_tasks_note="Hausbesuch nicht mehr nötig",
        )
    expected = [f"Nummer{i:02d}" for i in range(24, 0, -1)] + ["Nummer00", "Nummer25"]

    web = login(Client(), worker)
    shown = [
        name
        for page in ("1", "2")
        for name in re.findall(r"Nummer\d\d", web.get("/faelle/", {"page": page}).text)
    ]
    assert list(dict.fromkeys(shown)) == expected

    api = Client(headers={"Authorization": f"Token {f.api_key(worker)}"})
    listed = [
        row["id"]
        for page in ("1", "2")
        for row in api.get("/api/v1/cases/", {"only_mine": "true", "page": page}).json()["results"]
    ]
    assert listed == [str(case.pk) for case in [*reversed(cases[1:25]), cases[0], cases[25]]]
