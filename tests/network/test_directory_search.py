"""Issue 39, item 15: the network directory finds people, teams and roles, not only organisations;
the directory and the invitation picker match "Yilmaz" to "Yılmaz" and organisation kinds
("Sportverein")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from schutznetz.kit.folding import fold
from schutznetz.network.models import OrganisationKind, OrganisationUnit, Profession, Role
from schutznetz.network.queries import invitables_search, organisation_list
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(db: Any) -> f.Network:
    net = f.build_network()
    centre = f.make_org("Kinderschutzzentrum Mitte (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    specialist = f.make_user(first_name="Ute", last_name="Vogel")
    f.make_member(specialist, centre, Role.PROFESSIONAL, profession=Profession.CHILD_PROTECTION_SPECIALIST)
    OrganisationUnit.objects.create(organisation=net.dortmund, name="ASD Nord")
    f.make_org("TuS Eving 1921 e. V. (Test)", OrganisationKind.SPORTS_CLUB)
    return net


def _names(q: str) -> set[str]:
    return {o.name for o in organisation_list(q=q)}


def test_fold_takes_diacritics_and_dotless_i_apart() -> None:
    assert fold("  Dr. Elif YILMAZ ") == fold("dr. elif yılmaz") == "dr. elif yilmaz"
    assert fold("Müller-Straße") == "muller-strasse"


def test_the_directory_finds_people_teams_roles_and_kinds(client: Client, net: f.Network) -> None:
    assert _names("Yilmaz") == {"Kinderarztpraxis Sonnenschein (Test)"}  # the doctor is Elif Yılmaz
    assert _names("yılmaz sonnenschein") == {"Kinderarztpraxis Sonnenschein (Test)"}
    assert _names("ASD") == {"Jugendamt Dortmund (Test)"}
    assert _names("insoweit erfahrene Fachkraft") == {"Kinderschutzzentrum Mitte (Test)"}
    assert _names("Sportverein") == {"TuS Eving 1921 e. V. (Test)"}
    assert _names("Vogel") == {"Kinderschutzzentrum Mitte (Test)"}
    assert _names("Yilmaz Bochum") == set()  # every word must match
    login(client, net.dortmund_coordinator)
    page = client.get("/netzwerk/", {"q": "Yilmaz"}).content.decode()
    assert "Kinderarztpraxis Sonnenschein (Test)" in page
    assert "Gefunden: Dr. med. Elif Yılmaz" in page
    page = client.get("/netzwerk/", {"q": "ASD"}).content.decode()
    assert "Gefunden: Team ASD Nord" in page


def test_the_invitation_picker_folds_too(net: f.Network) -> None:
    labels = [i.label for i in invitables_search("Yilmaz")]
    assert "Dr. med. Elif Yılmaz" in labels
    clubs = [i.label for i in invitables_search("Sportverein")]
    assert "TuS Eving 1921 e. V. (Test)" in clubs
