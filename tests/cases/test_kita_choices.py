"""Issue 39, item 21: a Kita's menu and choices fit a Kita: no Jugendamt intake in its menu, and no
legal basis of § 4 KKG it cannot use when it brings another organisation into a case (a Kita works
under § 8a Abs. 4 SGB VIII)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from schutznetz.cases import queries
from schutznetz.cases.models import CaseRole, LegalBasis, Participation
from schutznetz.cases.services import participation_invite
from schutznetz.network.models import OrganisationKind, Profession, Role
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def kita(db: Any) -> Any:
    net = f.build_network()
    org = f.make_org("Kita Regenbogen (Test)", OrganisationKind.DAYCARE)
    educator = f.make_user("erzieherin")
    f.make_member(educator, org, Role.COORDINATOR, profession=Profession.EDUCATOR)
    return net, educator, f.make_case(educator, org)


def test_the_kitas_menu_has_no_intake_the_youth_offices_has(client: Client, kita: Any) -> None:
    net, educator, _ = kita
    login(client, educator)
    menu = client.get("/").content.decode().split("</nav>")[0]
    assert "Meldungseingang" not in menu and "Mitteilungen" in menu
    login(client, net.dortmund_professional)
    assert "Meldungseingang" in client.get("/").content.decode().split("</nav>")[0]


def test_the_kita_is_offered_and_may_use_no_basis_of_section_4_kkg(client: Client, kita: Any) -> None:
    net, educator, case = kita
    login(client, educator)
    form = client.get(f"/faelle/{case.pk}/beteiligte/").content.decode()
    assert 'value="sgb8_8a_4"' in form
    assert 'value="kkg_4_2"' not in form and 'value="kkg_4_3"' not in form
    access = queries.case_get_for(educator, case.pk)
    with pytest.raises(ValidationError) as refused:
        participation_invite(
            actor=educator,
            access=access,
            organisation=net.dortmund,
            role=CaseRole.YOUTH_OFFICE,
            legal_basis=LegalBasis.KKG_4_3,
        )
    assert "§ 8a Abs. 4 SGB VIII" in str(refused.value)
    assert not Participation.objects.filter(case=case, organisation=net.dortmund).exists()
    participation_invite(
        actor=educator,
        access=access,
        organisation=net.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.SGB8_8A_4,
    )
    assert Participation.objects.filter(case=case, organisation=net.dortmund, status="invited").exists()
