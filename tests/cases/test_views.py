from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from schutznetz.cases.models import Case
from tests import factories as f
from tests.conftest import login

DUE = (timezone.localdate() + timedelta(days=2)).isoformat()


def create_form(**extra: str) -> dict[str, str]:
    return {
        "family_name": "Mayer",
        "given_name": "Mia",
        "birth_date": "2021-01-20",
        "sex": "female",
        "title": "Mitteilung der Kita",
        "task_title": "Hausbesuch",
        "task_due": DUE,
    } | extra


def test_probable_duplicate_is_warned_then_confirmed(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    data = create_form(organisation=str(world.network.dortmund.pk))
    warned = client.post("/faelle/neu/", data)
    assert warned.status_code == 400
    assert "ähnlich klingendem Namen" in warned.text and "Mia Meier" in warned.text
    assert Case.objects.count() == 1
    created = client.post("/faelle/neu/", data | {"confirm_new_child": "on"})
    assert created.status_code == 302 and Case.objects.count() == 2


def test_malformed_and_oversized_input_gets_german_errors(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    response = client.post(
        "/faelle/neu/",
        create_form(organisation=str(world.network.dortmund.pk), task_due="31.02.", title="x" * 300),
    )
    assert response.status_code == 400
    assert "Bitte ein gültiges Datum eingeben" in response.text
    assert "Ensure" not in response.text and "höchstens 200 Zeichen" in response.text
    assert Case.objects.count() == 1


def test_task_complete_by_htmx_returns_the_task_list_fragment(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    task = world.case.tasks.get()
    response = client.post(
        f"/faelle/{world.case.pk}/aufgaben/{task.pk}/erledigen/",
        {"done-next_title": "Fallkonferenz", "done-next_due": DUE},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert "Fallkonferenz" in response.text


def test_last_task_without_next_step_explains_what_to_do(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    task = world.case.tasks.get()
    response = client.post(
        f"/faelle/{world.case.pk}/aufgaben/{task.pk}/erledigen/", {}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and "letzte offene Aufgabe" in response.text


def test_audit_page_shows_who_read_the_case(client: Client, world: f.CaseWorld) -> None:
    login(client, world.participant)
    client.get(f"/faelle/{world.case.pk}/")
    login(client, world.network.dortmund_coordinator)
    page = client.get(f"/faelle/{world.case.pk}/protokoll/")
    assert page.status_code == 200 and "Frank Meyer" in page.text and "Fallakte einsehen" in page.text


def test_custodial_parent_recorded_on_the_case_page(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    url = f"/faelle/{world.case.pk}/sorgeberechtigte/"
    missing = client.post(url, {"guardian-relation": "custodial_parent", "guardian-given_name": "Sandra"})
    assert missing.status_code == 400 and "Dieses Feld ist zwingend erforderlich." in missing.text
    saved = client.post(
        url,
        {
            "guardian-relation": "custodial_parent",
            "guardian-given_name": "Sandra",
            "guardian-family_name": "Meier",
            "guardian-phone": "0170 1234567",
        },
        follow=True,
    )
    assert "Sandra Meier – Personensorgeberechtigte Person" in saved.text
    login(client, world.consultant)
    assert "Sandra" not in client.get(f"/faelle/{world.case.pk}/").text


def test_reassign_form_is_loaded_per_task_and_moves_the_task(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    task = world.case.tasks.get()
    url = f"/faelle/{world.case.pk}/aufgaben/{task.pk}/uebertragen/"
    page = client.get(f"/faelle/{world.case.pk}/")
    assert 'name="move-owner"' not in page.text  # no owner list per task on the case page
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'id="id_task{task.pk}_move-owner"' in fragment.text and "Frank Meyer" in fragment.text
    full = client.get(url)
    assert full.status_code == 200 and "<h1" in full.text and "Aufgabe übertragen" in full.text
    moved = client.post(
        url, {"move-owner": str(world.participant.pk), "move-due_date": DUE}, headers={"HX-Request": "true"}
    )
    assert moved.status_code == 200 and "zuständig: Frank Meyer" in moved.text
    task.refresh_from_db()
    assert task.owner == world.participant


def test_reassign_form_is_not_found_for_outsiders_and_refused_for_pseudonymised(
    client: Client, world: f.CaseWorld
) -> None:
    task = world.case.tasks.get()
    url = f"/faelle/{world.case.pk}/aufgaben/{task.pk}/uebertragen/"
    login(client, world.outsider)
    response = client.get(url)
    unknown = client.get(f"/faelle/00000000-0000-0000-0000-000000000000/aufgaben/{task.pk}/uebertragen/")
    assert response.status_code == unknown.status_code == 404
    masked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert masked.sub("", response.text) == masked.sub("", unknown.text)
    client.logout()
    login(client, world.consultant)
    assert client.get(url).status_code in (403, 404)
    assert "Frank Meyer" not in client.get(url).text


def _cases_for(user: object, org: object, n: int, *, also: object = None, accepts: object = None) -> None:
    from datetime import date

    from schutznetz.cases import queries, services
    from schutznetz.cases.models import CaseRole, LegalBasis

    for i in range(n):
        case = f.make_case(
            user, org, identity=f.child_identity("Kind", f"Nummer{i}", date(2018, 1, 1 + i % 28).isoformat())
        )
        if also is not None:
            access = queries.case_get_for(user, case.pk)  # type: ignore[arg-type]
            p = services.participation_invite(
                actor=user,  # type: ignore[arg-type]
                access=access,
                organisation=also,  # type: ignore[arg-type]
                role=CaseRole.OTHER,
                legal_basis=LegalBasis.SGB8_65,
                pseudonymised=False,
            )
            services.participation_respond(actor=accepts, participation=p, accept=True)  # type: ignore[arg-type]


def test_my_cases_pages_count_each_case_once_for_a_member_of_two_organisations(
    client: Client, world: f.CaseWorld
) -> None:
    from schutznetz.network.models import Role

    lead = world.lead
    second = world.network.provider
    f.make_member(lead, second, Role.COORDINATOR)
    # 26 cases, each with both of the lead's organisations
    _cases_for(lead, world.network.dortmund, 25, also=second, accepts=world.participant)
    login(client, lead)
    first = client.get("/faelle/")
    assert "Seite 1, weitere folgen" in first.text
    last = client.get("/faelle/?page=2")
    assert "Seite 2 von 2" in last.text
    assert last.text.count('<tr class="kern-table__row">') == 2  # the header and the 26th case


def test_my_cases_say_more_than_the_cap_instead_of_counting_on(
    client: Client, world: f.CaseWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schutznetz.kit import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 30)
    _cases_for(world.lead, world.network.dortmund, 30)  # 31 cases
    login(client, world.lead)
    assert "Seite 1, weitere folgen" in client.get("/faelle/").text
    response = client.get("/faelle/?page=2")  # read up to the cap: more than it
    assert "mehr als 30 Einträge" in response.text and "von 2" not in response.text


def test_the_summary_names_the_next_step_and_says_when_it_is_overdue(
    client: Client, world: f.CaseWorld
) -> None:
    task = world.case.tasks.get()
    login(client, world.lead)
    summary = re.search(
        r"Nächster Schritt</dt>(.*?)</dd>", client.get(f"/faelle/{world.case.pk}/").text, re.S
    )
    assert summary and task.title in summary[1] and "überfällig" not in summary[1]
    type(task).objects.filter(pk=task.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    summary = re.search(
        r"Nächster Schritt</dt>(.*?)</dd>", client.get(f"/faelle/{world.case.pk}/").text, re.S
    )
    assert summary and "(überfällig)" in summary[1]
    login(client, world.consultant)  # pseudonymised: no tasks, no next step
    assert "Nächster Schritt</dt>" not in client.get(f"/faelle/{world.case.pk}/").text


def test_the_task_and_handover_forms_come_on_demand(client: Client, world: f.CaseWorld) -> None:
    login(client, world.lead)
    page = client.get(f"/faelle/{world.case.pk}/").text
    assert (
        "Aufgabe anlegen …" in page and "Übergabe anfragen …" in page and "Organisation beteiligen …" in page
    )
    assert 'name="task-owner"' not in page and 'name="handover-to_organisation"' not in page
    assert 'name="invite-organisation"' not in page
    invite = client.get(f"/faelle/{world.case.pk}/beteiligte/", headers={"HX-Request": "true"})
    assert 'name="invite-organisation"' in invite.text and "<html" not in invite.text
    fragment = client.get(f"/faelle/{world.case.pk}/aufgaben/", headers={"HX-Request": "true"})
    assert (
        fragment.status_code == 200 and "<html" not in fragment.text and 'name="task-owner"' in fragment.text
    )
    standalone = client.get(f"/faelle/{world.case.pk}/uebergabe/")
    assert standalone.status_code == 200 and "<h1" in standalone.text
    assert 'name="handover-to_organisation"' in standalone.text and "Zurück zum Fall" in standalone.text
    # an error shows the case page again with the form open and what was entered
    response = client.post(f"/faelle/{world.case.pk}/aufgaben/", {"task-title": "Hausbesuch"})
    assert (
        response.status_code == 400 and 'name="task-owner"' in response.text and "Hausbesuch" in response.text
    )
    login(client, world.consultant)  # pseudonymised: advises, does not write
    assert client.get(f"/faelle/{world.case.pk}/aufgaben/").status_code == 403
    assert client.get(f"/faelle/{world.case.pk}/uebergabe/").status_code == 403
    assert client.get(f"/faelle/{world.case.pk}/beteiligte/").status_code == 403
    login(client, world.outsider)
    assert client.get(f"/faelle/{world.case.pk}/aufgaben/").status_code == 404


def test_a_data_protection_officer_opens_no_case_for_the_organisation_they_oversee(
    client: Client, world: f.CaseWorld
) -> None:
    from schutznetz.network.models import Role

    user = f.make_user("dsb")
    f.make_member(user, world.network.dortmund, Role.PROFESSIONAL)
    f.make_member(user, world.network.provider, Role.DATA_PROTECTION)
    login(client, user)
    offered = client.get("/faelle/suche/").text
    assert f'<option value="{world.network.dortmund.pk}"' in offered
    assert f'<option value="{world.network.provider.pk}"' not in offered
    refused = client.post(
        "/faelle/neu/", create_form(family_name="Otto", organisation=str(world.network.provider.pk))
    )
    assert refused.status_code == 400 and "gültige Auswahl" in refused.text
    assert Case.objects.count() == 1


def test_my_cases_shows_each_case_s_next_step_the_open_task_due_first(
    client: Client, world: f.CaseWorld
) -> None:
    from schutznetz.cases import queries, services
    from tests.cases.test_api import api_for

    access = queries.case_get_for(world.lead, world.case.pk)
    today = timezone.localdate()
    earlier = services.task_create(
        actor=world.lead,
        access=access,
        title="Kita anrufen",
        owner=world.lead,
        due_date=today + timedelta(days=1),
    )
    services.task_create(
        actor=world.lead,
        access=access,
        title="Gespräch Schule",
        owner=world.lead,
        due_date=today + timedelta(days=9),
    )
    login(client, world.lead)
    row = re.search(r'data-label="Nächster Schritt">(.*?)</td>', client.get("/faelle/").text).group(1)  # type: ignore[union-attr]
    assert row == f"{earlier.due_date:%d.%m.%Y}: Kita anrufen"
    services.task_complete(actor=world.lead, access=access, task=earlier)
    row = re.search(r'data-label="Nächster Schritt">(.*?)</td>', client.get("/faelle/").text).group(1)  # type: ignore[union-attr]
    assert row == f"{today + timedelta(days=3):%d.%m.%Y}: Hausbesuch"  # the first task, now due first
    (summary,) = api_for(world.lead).get("/api/v1/cases/").json()["results"]
    assert summary["next_due_date"] == (today + timedelta(days=3)).isoformat()
    assert summary["lead_user_name"] == world.lead.display_name

    # Pseudonymised, the consultant sees when, not what (the title may name the family).
    login(client, world.consultant)
    row = re.search(r'data-label="Nächster Schritt">(.*?)</td>', client.get("/faelle/?alle=1").text).group(1)  # type: ignore[union-attr]
    assert row == f"{today + timedelta(days=3):%d.%m.%Y}"
