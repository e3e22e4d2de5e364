"""Query counts of the knowledge search and the agreement pages do not grow with the data."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from schutznetz.network.agreements import services as agreements
from schutznetz.network.agreements.services import ClauseInput
from schutznetz.network.knowledge import services as knowledge_services
from schutznetz.network.models import HandoverKind, OrganisationKind, Role, Urgency
from tests import factories as f
from tests.conftest import login


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_articles(network: f.Network, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        knowledge_services.article_create(
            actor=network.dortmund_coordinator,
            title=f"Misshandlungen erkennen, Teil {i}",
            body=f"Hinweise auf Misshandlungen und Vernachlässigung, Abschnitt {i}.",
            tags=["Medizin", f"Teil {i}"],
        )


def test_knowledge_search_is_constant_from_3_to_40_hits(client: Client, network: f.Network) -> None:
    login(client, network.dortmund_professional)
    add_articles(network, 3)
    url = "/wissen/?q=Misshandlung"
    small = queries_for(client, url)
    add_articles(network, 37, start=3)
    assert queries_for(client, url) == small


def add_agreements(network: f.Network, n: int, start: int = 0) -> int:
    pk = 0
    for i in range(start, start + n):
        practice = f.make_org(f"Praxis {i} (Test)", OrganisationKind.PAEDIATRIC_PRACTICE)
        f.make_member(f.make_user(f"praxis{i}"), practice, Role.COORDINATOR)
        pk = agreements.agreement_create(
            actor=network.dortmund_coordinator,
            title=f"Vereinbarung {i}",
            parties=[network.dortmund, practice],
            valid_from=date(2026, 1, 1),
            clauses=[
                ClauseInput(
                    HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.URGENT, network.dortmund, 1, "hours"
                ),
                ClauseInput(
                    HandoverKind.REPORT_TO_YOUTH_OFFICE, Urgency.NORMAL, network.dortmund, 2, "working_days"
                ),
            ],
            crisis_roster=[(network.dortmund, Role.COORDINATOR), (practice, Role.COORDINATOR)],
        ).pk
    return pk


def test_agreement_list_and_detail_are_constant(client: Client, network: f.Network) -> None:
    login(client, network.dortmund_coordinator)
    pk = add_agreements(network, 2)
    small = (
        queries_for(client, "/netzwerk/vereinbarungen/"),
        queries_for(client, f"/netzwerk/vereinbarungen/{pk}/"),
    )
    pk = add_agreements(network, 30, start=2)
    large = (
        queries_for(client, "/netzwerk/vereinbarungen/"),
        queries_for(client, f"/netzwerk/vereinbarungen/{pk}/"),
    )
    assert small == large
