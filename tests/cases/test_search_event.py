"""A child search is on record with the blind index of what was asked — never the name itself — and
the pseudonyms of the children shown."""

from __future__ import annotations

from datetime import date

from django.test import Client

from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.people.identity import index_keys
from tests import factories as f
from tests.conftest import login


def test_a_search_records_the_blind_index_and_the_children_shown(client: Client, network: f.Network) -> None:
    case = f.make_case(network.dortmund_professional, network.dortmund)
    login(client, network.dortmund_professional)
    query = {"given_name": "Mia", "family_name": "Meier", "birth_date": "2021-01-15"}
    response = client.get("/faelle/suche/", query)
    assert response.status_code == 200 and "Mia" in response.content.decode()

    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    keys = index_keys(given_name="Mia", family_name="Meier", birth_date=date(2021, 1, 15))
    assert event.details["query"] == keys.exact
    assert event.details["shown"] == [case.child.pseudonym]
    assert "Mia" not in str(event.details) and "Meier" not in str(event.details)

    api = Client(headers={"Authorization": f"Token {f.api_key(network.dortmund_professional)}"})
    assert api.get("/api/v1/children/search/", query).status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.details["query"] == keys.exact and event.details["shown"] == [case.child.pseudonym]
