"""The insoweit erfahrene Fachkraft never learns who the child is (§ 8a Abs. 4 S. 2, § 8b Abs. 1,
§ 64 Abs. 2a SGB VIII; § 4 Abs. 2 KKG): inviting an organisation in that role, or on the basis of
§ 4 Abs. 2 KKG, makes its participation pseudonymised whatever box was left unticked — in the service,
through the web form and the API, and in the database itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from schutznetz.cases import queries, services
from schutznetz.cases.models import CaseRole, LegalBasis, Participation, must_be_pseudonymised
from schutznetz.network.models import OrganisationKind, Role
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def net(db: Any) -> f.Network:
    return f.build_network()


def test_every_role_and_basis_combination_keeps_the_specialist_pseudonymised(net: f.Network) -> None:
    centre = f.make_org("Kinderschutzzentrum (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    case = f.make_case(net.dortmund_professional, net.dortmund)
    access = queries.case_get_for(net.dortmund_professional, case.pk)
    seen = set()
    for role in CaseRole.values:
        for basis in LegalBasis.values:
            participation = services.participation_invite(
                actor=net.dortmund_professional,
                access=access,
                organisation=centre,
                role=role,
                legal_basis=basis,
                pseudonymised=False,
            )
            forced = role == CaseRole.SPECIALIST or basis == LegalBasis.KKG_4_2
            assert participation.pseudonymised is forced, (role, basis)
            assert must_be_pseudonymised(role, basis) is forced
            seen.add((role, basis, participation.pseudonymised))
            participation.delete()  # the next combination invites the same organisation anew
    assert len(seen) == len(CaseRole.values) * len(LegalBasis.values)


def test_the_database_refuses_a_specialist_with_identity(net: f.Network) -> None:
    case = f.make_case(net.dortmund_professional, net.dortmund)
    for role, basis in [
        (CaseRole.SPECIALIST, LegalBasis.SGB8_65),
        (CaseRole.OTHER, LegalBasis.KKG_4_2),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(
                case=case,
                organisation=net.provider,
                role=role,
                legal_basis=basis,
                pseudonymised=False,
                invited_by=net.dortmund_professional,
            )


@pytest.mark.parametrize("channel", ["web", "api"])
def test_a_specialist_invited_with_the_box_unticked_sees_no_identity(
    client: Client, net: f.Network, channel: str
) -> None:
    centre = f.make_org("Kinderschutzzentrum Nord (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    specialist = f.make_user("insofa", first_name="Ute", last_name="Vogel")
    f.make_member(specialist, centre, Role.COORDINATOR)
    case = f.make_case(
        net.dortmund_professional,
        net.dortmund,
        identity=f.child_identity("Quirina", "Plimsollt", "2019-06-03", street="Lindenhof 9"),
    )
    invite = {"role": "specialist", "legal_basis": "sgb8_65", "organisation": centre.pk}
    if channel == "web":
        login(client, net.dortmund_professional)
        answer = client.post(f"/faelle/{case.pk}/beteiligte/", {f"invite-{k}": v for k, v in invite.items()})
        assert answer.status_code == 302, answer.content.decode()[:2000]
    else:
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(net.dortmund_professional)}")
        answer = api.post(f"/api/v1/cases/{case.pk}/participations/", invite, content_type="application/json")
        assert answer.status_code == 201, answer.json()
    participation = Participation.objects.get(case=case, organisation=centre)
    assert participation.pseudonymised
    services.participation_respond(actor=specialist, participation=participation, accept=True)
    login(client, specialist)
    page = client.get(f"/faelle/{case.pk}/").content.decode()
    assert "Pseudonymisierte Beteiligung" in page
    for secret in ("Quirina", "Plimsollt", "03.06.2019", "Lindenhof"):
        assert secret not in page
