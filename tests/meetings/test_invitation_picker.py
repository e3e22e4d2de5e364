"""The invitation picker: people, teams and whole organisations found as one types, and invited
as their active members who work on cases (not a data-protection officer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from schutznetz.meetings import queries, services
from schutznetz.meetings.models import Meeting
from schutznetz.network.models import Membership, OrganisationUnit, Role
from schutznetz.network.queries import invitables_search
from tests import factories as f
from tests.conftest import login
from tests.meetings.conftest import World, membership, start


@pytest.fixture
def team(network: f.Network) -> OrganisationUnit:
    """The Dortmund youth office's team "ASD Nord" with its professional; its coordination is not in it,
    and a data-protection officer of the office is in no team."""
    unit = OrganisationUnit.objects.create(organisation=network.dortmund, name="ASD Nord")
    Membership.objects.filter(pk=network.dortmund_professional_membership.pk).update(unit=unit)
    f.make_member(
        f.make_user("dsb", first_name="Dana", last_name="Schutz"), network.dortmund, Role.DATA_PROTECTION
    )
    return unit


def tokens(q: str) -> list[str]:
    return [i.token for i in invitables_search(q)]


class TestSearch:
    def test_people_teams_and_organisations_by_every_word(
        self, network: f.Network, team: OrganisationUnit
    ) -> None:
        doctor = membership(network.practice_doctor)
        assert tokens("yılmaz") == [f"p{doctor.pk}"]
        assert tokens("Elif Sonnenschein") == [f"p{doctor.pk}"]  # a name narrowed by the organisation
        assert tokens("Sonnenschein") == [f"o{network.practice.pk}"]  # its staff are not all listed
        assert tokens("nord") == [f"u{team.pk}"]
        assert f"u{team.pk}" in tokens("Dortmund") and f"o{network.dortmund.pk}" in tokens("Dortmund")
        assert tokens("x") == [] and tokens("   ") == []
        found = {i.token: i for i in invitables_search("Dortmund")}
        # the coordination, the professional; not the data-protection officer
        assert found[f"o{network.dortmund.pk}"].detail == "2 Personen"
        assert found[f"u{team.pk}"].detail == "1 Person"

    def test_inactive_people_and_organisations_are_not_found(self, network: f.Network) -> None:
        Membership.objects.filter(user=network.practice_doctor).update(is_active=False)
        assert tokens("Yılmaz") == []
        network.provider.is_active = False
        network.provider.save()
        assert tokens("Familienhilfe") == []

    def test_fragment_and_api(self, network: f.Network, team: OrganisationUnit, client: Client) -> None:
        login(client, network.practice_doctor)
        html = client.get("/treffen/einladbar/", {"q": "nord"}).content.decode()
        assert f'data-pick-value="u{team.pk}"' in html and "ASD Nord – Jugendamt Dortmund (Test)" in html
        assert "Keine Treffer für „zzz“" in client.get("/treffen/einladbar/", {"q": "zzz"}).content.decode()
        response = client.get("/api/v1/meetings/invitables/", {"q": "nord"})
        assert response.json() == [
            {
                "kind": "u",
                "id": team.pk,
                "token": f"u{team.pk}",
                "name": "ASD Nord – Jugendamt Dortmund (Test)",
                "detail": "1 Person",
            }
        ]
        client.logout()
        assert client.get("/treffen/einladbar/", {"q": "nord"}).status_code == 302
        assert client.get("/api/v1/meetings/invitables/", {"q": "nord"}).status_code in (401, 403)

    def test_search_takes_three_queries_whatever_the_network_size(
        self, network: f.Network, client: Client
    ) -> None:
        login(client, network.dortmund_coordinator)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/treffen/einladbar/", {"q": "Test"}).status_code == 200
            return len(ctx.captured_queries)

        small = count()
        for i in range(12):
            org = f.make_org(f"Kita Test {i}", "daycare")
            OrganisationUnit.objects.create(organisation=org, name=f"Gruppe Test {i}")
            f.make_member(f.make_user(f"kita{i}", last_name=f"Test{i}"), org)
        assert count() == small


class TestInvite:
    def test_a_whole_organisation_and_a_team_in_the_ui(
        self, world: World, team: OrganisationUnit, client: Client
    ) -> None:
        login(client, world.organiser)
        extra = f.make_user("gast", first_name="Gustav", last_name="Gast")
        f.make_member(extra, world.net.bochum)
        response = client.post(
            f"/treffen/{world.meeting.pk}/einladen/",
            {"invite-invitees": [f"o{world.net.bochum.pk}", f"u{team.pk}"]},
        )
        assert response.status_code == 302
        invited = set(world.meeting.attendees.values_list("user__username", flat=True))
        assert {"wolf", "gast", "hoffmann"} <= invited  # Bochum's two, and the team
        assert "dsb" not in invited

    def test_a_pick_that_invites_nobody_is_named_and_the_picks_stay(
        self, world: World, team: OrganisationUnit, client: Client
    ) -> None:
        empty = OrganisationUnit.objects.create(organisation=world.net.bochum, name="Team ohne Mitglieder")
        login(client, world.organiser)
        response = client.post(
            f"/treffen/{world.meeting.pk}/einladen/",
            {"invite-invitees": [f"u{team.pk}", f"u{empty.pk}", "p999999", "x1"]},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "lädt niemanden ein" in html and "Team ohne Mitglieder – Jugendamt Bochum (Test)" in html
        assert "unbekannte Auswahl p999999" in html and "unbekannte Auswahl x1" in html
        # the valid pick is shown ticked again, with its name
        assert (
            f'value="u{team.pk}"' in html and "ASD Nord – Jugendamt Dortmund (Test) (Team, 1 Person)" in html
        )
        assert response.status_code == 400 and world.meeting.attendees.count() == 3

    def test_nothing_picked(self, world: World, client: Client) -> None:
        login(client, world.organiser)
        response = client.post(f"/treffen/{world.meeting.pk}/einladen/", {})
        assert (
            "Bitte mindestens eine Person, ein Team oder eine Organisation wählen."
            in response.content.decode()
        )
        response = client.post(f"/api/v1/meetings/{world.meeting.pk}/invitees/", {}, "application/json")
        assert response.status_code == 400 and "invitees" in response.json()

    def test_api_invites_teams_and_organisations(
        self, world: World, team: OrganisationUnit, client: Client
    ) -> None:
        login(client, world.organiser)
        response = client.post(
            f"/api/v1/meetings/{world.meeting.pk}/invitees/",
            {"invite_units": [team.pk], "invite_organisations": [world.net.provider.pk]},
            "application/json",
        )
        assert response.status_code == 200, response.content
        invited = set(world.meeting.attendees.values_list("user__username", flat=True))
        assert {"hoffmann", "aussen"} <= invited
        response = client.post(
            f"/api/v1/meetings/{world.meeting.pk}/invitees/", {"invite_units": [999999]}, "application/json"
        )
        assert response.status_code == 400
        assert response.json() == {
            "invitees": [queries.MSG_INVITES_NOBODY.format(names="unbekannte Auswahl u999999")]
        }

    def test_create_with_an_organisation(self, network: f.Network, client: Client) -> None:
        login(client, network.dortmund_coordinator)
        response = client.post(
            "/api/v1/meetings/",
            {
                "organiser": network.dortmund.pk,
                "kind": "round_table",
                "title": "Runder Tisch Süd",
                "starts_at": start(3).isoformat(),
                "ends_at": (start(3) + timedelta(hours=2)).isoformat(),
                "location": "Rathaus",
                "invite_organisations": [network.practice.pk],
            },
            "application/json",
        )
        assert response.status_code == 201, response.content
        meeting = Meeting.objects.get(title="Runder Tisch Süd")
        assert set(meeting.attendees.values_list("user__username", flat=True)) == {"becker", "yilmaz"}

    def test_at_most_a_limit_of_invitees(self, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(services, "MAX_INVITEES", 4)
        people = queries.invitees_for([f"o{world.net.bochum.pk}", f"o{world.net.provider.pk}"])
        extra = f.make_user("gast")
        f.make_member(extra, world.net.bochum)
        with pytest.raises(services.ValidationError) as error:
            services.meeting_invite(
                actor=world.organiser, meeting=world.meeting, invitees=[*people, membership(extra)]
            )
        assert "höchstens 4 Personen" in str(error.value)
        assert world.meeting.attendees.count() == 3


def test_the_search_never_finds_children(client: Client, db: None) -> None:
    """The picker searches people and organisations of the network, never the identity vault: a
    child's name or pseudonym finds nothing, in the page and in the API."""
    case_world = f.build_case_world()
    login(client, case_world.lead)
    child = case_world.case.child
    for q in (child.pseudonym, "Mia Meier", "Meier"):
        assert "data-pick-value" not in client.get("/treffen/einladbar/", {"q": q}).text
        assert client.get("/api/v1/meetings/invitables/", {"q": q}).json() == []
