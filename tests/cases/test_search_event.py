"""Read events name what was shown: a child search the blind index of what was asked — never the
name itself — and the pseudonyms of the children shown; a case read whose identity it showed."""

from __future__ import annotations

from datetime import date

from django.test import Client

from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.people.identity import index_keys
from tests import factories as f
from tests.conftest import login
from tests.crawl.html_checks import html_problems


def test_a_search_records_the_blind_index_and_the_children_shown(client: Client, network: f.Network) -> None:
    case = f.make_case(network.dortmund_professional, network.dortmund)
    login(client, network.dortmund_professional)
    query = {"given_name": "Mia", "family_name": "Meier", "birth_date": "2021-01-15"}
    response = client.get("/faelle/suche/", query)
    assert response.status_code == 200 and "Mia" in response.content.decode()
    # The search and the new-case form share field names, not ids: each label names its own field.
    assert html_problems(response.content.decode()) == []

    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    keys = index_keys(given_name="Mia", family_name="Meier", birth_date=date(2021, 1, 15))
    assert event.details["query"] == keys.exact
    assert event.details["shown"] == [case.child.pseudonym]
    assert "Mia" not in str(event.details) and "Meier" not in str(event.details)

    api = Client(headers={"Authorization": f"Token {f.api_key(network.dortmund_professional)}"})
    assert api.get("/api/v1/children/search/", query).status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.details["query"] == keys.exact and event.details["shown"] == [case.child.pseudonym]


def test_a_case_read_names_whose_identity_it_showed(client: Client, world: f.CaseWorld) -> None:
    from schutznetz.cases import queries
    from schutznetz.cases.services import guardian_add
    from schutznetz.people.identity import GuardianIdentity

    access = queries.case_get_for(world.lead, world.case.pk)
    guardian = guardian_add(
        actor=world.lead,
        access=access,
        relation="custodial_parent",
        identity=GuardianIdentity(given_name="Sandra", family_name="Meier"),
    )
    pseudonym = world.case.child.pseudonym  # type: ignore[attr-defined]
    url = f"/faelle/{world.case.pk}/"  # type: ignore[attr-defined]

    def last_read() -> dict[str, object]:
        event = AuditEvent.objects.filter(case_id=world.case.pk, action=AuditAction.READ).latest("id")  # type: ignore[attr-defined]
        return event.details

    login(client, world.lead)
    assert client.get(url).status_code == 200
    assert last_read()["persons"] == {"child": pseudonym, "guardians": [guardian.pk]}

    api = Client(headers={"Authorization": f"Token {f.api_key(world.lead)}"})
    assert api.get(f"/api/v1/cases/{world.case.pk}/").status_code == 200  # type: ignore[attr-defined]
    assert last_read()["persons"] == {"child": pseudonym, "guardians": [guardian.pk]}

    # The pseudonymised consultant sees no identity: the read names nobody.
    consultant = Client()
    login(consultant, world.consultant)
    assert consultant.get(url).status_code == 200
    assert "persons" not in last_read() and last_read()["identity"] is False
