"""The risk assessment (§ 8a Abs. 1 SGB VIII): at least two professionals of the Jugendamt sign it
(four eyes); outcome, types of endangerment and from whom the danger comes in the Destatis categories;
corrections are versions; only the Jugendamt taking part sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from schutznetz.cases import queries as case_queries
from schutznetz.network.models import Role
from schutznetz.welfare import services
from schutznetz.welfare.models import AssessmentSignature, AssessmentVersion, RiskAssessment
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(db: Any) -> f.CaseWorld:
    return f.build_case_world()


def _data(**change: Any) -> services.AssessmentInput:
    base: dict[str, Any] = {
        "outcome": "latent",
        "areas": {"basic_care": {"rating": "limited", "note": "Ernährung unregelmäßig"}},
        "endangerments": ["neglect"],
        "danger_from": ["mother"],
    }
    return services.AssessmentInput(**(base | change))


# Destatis: outcome (4 categories); types of endangerment and from whom only with acute or latent danger.
TABLE = [
    ({"outcome": "acute", "endangerments": ["physical", "psychological"]}, None),
    ({"outcome": "latent"}, None),
    ({"outcome": "support_need", "endangerments": [], "danger_from": []}, None),
    ({"outcome": "none", "endangerments": [], "danger_from": []}, None),
    ({"outcome": "sonstiges"}, "outcome"),
    ({"outcome": "acute", "endangerments": []}, "endangerments"),
    ({"outcome": "latent", "danger_from": []}, "danger_from"),
    ({"outcome": "support_need"}, "endangerments"),  # types given without endangerment
    ({"endangerments": ["beleidigung"]}, "endangerments"),
    ({"danger_from": ["nachbar"]}, "danger_from"),
    ({"danger_from": ["father", "step_parent", "relatives", "other"]}, None),
    ({"endangerments": ["neglect", "physical", "psychological", "sexual"]}, None),
    ({"areas": {"finanzen": {"rating": "limited"}}}, "areas"),
    ({"areas": {"health": {"rating": "schlecht"}}}, "areas"),
]


@pytest.mark.parametrize(("change", "refused"), TABLE)
def test_statistical_fields_follow_the_destatis_categories(
    world: f.CaseWorld, change: dict[str, Any], refused: str | None
) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    if refused is None:
        services.assessment_record(actor=world.lead, access=access, data=_data(**change))
        assert AssessmentVersion.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as error:
            services.assessment_record(actor=world.lead, access=access, data=_data(**change))
        assert refused in error.value.message_dict
        assert not RiskAssessment.objects.exists()


def test_two_professionals_sign_and_one_alone_is_refused(client: Client, world: f.CaseWorld) -> None:
    colleague = world.network.dortmund_coordinator
    login(client, world.lead)
    url = f"/faelle/{world.case.pk}/gefaehrdungseinschaetzung/"
    form = {
        "outcome": "latent",
        "endangerments": ["neglect"],
        "danger_from": ["mother", "father"],
        "area_basic_care": "limited",
        "note_basic_care": "Kühlschrank leer, Kind hungrig in der Kita",
        "area_health": "assured",
        "area_supervision": "limited",
        "area_protection": "unknown",
        "area_development": "limited",
        "area_parents": "limited",
        "child_seen_by": "Frau Hoffmann",
        "participants": "Insoweit erfahrene Fachkraft des Kinderschutzzentrums; Kita-Leitung",
    }
    assert client.post(f"{url}neu/", form).status_code == 302
    version = AssessmentVersion.objects.get()
    section = client.get(url).content.decode()
    assert "Noch nicht gültig" in section and "latente Kindeswohlgefährdung" in section
    # The author cannot give the second signature.
    refused = client.post(f"{url}{version.pk}/unterzeichnen/", follow=True).content.decode()
    assert "die zweite Unterschrift kommt von einer anderen Fachkraft" in refused
    assert AssessmentSignature.objects.count() == 1
    login(client, colleague)
    assert client.post(f"{url}{version.pk}/unterzeichnen/").status_code == 302
    section = client.get(url).content.decode()
    assert "Gültig:" in section and "von 2 Fachkräften unterzeichnet" in section
    assert "Vernachlässigung" in section and "Mutter, Vater" in section
    assert "Insoweit erfahrene Fachkraft des Kinderschutzzentrums; Kita-Leitung" in section


def test_a_correction_is_a_new_version_that_needs_two_signatures_again(
    client: Client, world: f.CaseWorld
) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    first = services.assessment_record(actor=world.lead, access=access, data=_data())
    colleague = world.network.dortmund_coordinator
    services.assessment_sign(
        actor=colleague, access=case_queries.case_get_for(colleague, world.case.pk), version=first
    )
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=world.lead, access=access, data=_data(outcome="acute"), assessment=first.assessment
        )
    second = services.assessment_record(
        actor=world.lead,
        access=access,
        data=_data(outcome="acute", endangerments=["physical"]),
        assessment=first.assessment,
        change_note="Neue Verletzungen beim Hausbesuch",
    )
    assert second.number == 2 and second.signatures.count() == 1
    first.assessment.refresh_from_db()
    assert first.assessment.current == second
    # The earlier version is no longer the one to sign.
    with pytest.raises(ValidationError):
        services.assessment_sign(
            actor=colleague, access=case_queries.case_get_for(colleague, world.case.pk), version=first
        )


def test_only_the_youth_office_taking_part_sees_the_assessment(client: Client, world: f.CaseWorld) -> None:
    access = case_queries.case_get_for(world.lead, world.case.pk)
    version = services.assessment_record(actor=world.lead, access=access, data=_data())
    url = f"/faelle/{world.case.pk}/gefaehrdungseinschaetzung/"
    api_url = f"/api/v1/cases/{world.case.pk}/risk-assessments/"
    for user in (world.participant, world.consultant, world.outsider):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}{version.pk}/unterzeichnen/").status_code == 404
        assert "gefaehrdungseinschaetzung" not in client.get(f"/faelle/{world.case.pk}/").content.decode()
        api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(user)}")
        assert api.get(api_url).status_code == 404
        assert api.post(f"{api_url}{version.pk}/sign/").status_code == 404


def test_assessment_by_api(client: Client, world: f.CaseWorld) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(world.lead)}")
    url = f"/api/v1/cases/{world.case.pk}/risk-assessments/"
    single = {"outcome": "acute", "areas": {"protection": {"rating": "not_assured"}}}
    refused = api.post(url, single, content_type="application/json")
    assert refused.status_code == 400 and "Art(en) der Gefährdung" in str(refused.json())
    body = single | {"endangerments": ["physical"], "danger_from": ["father"]}
    created = api.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["valid"] is False
    colleague = world.network.dortmund_coordinator
    other = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(colleague)}")
    signed = other.post(f"{url}{created.json()['id']}/sign/")
    assert signed.status_code == 200 and signed.json()["valid"] is True
    again = other.post(f"{url}{created.json()['id']}/sign/")
    assert again.status_code == 400
    assert [v["valid"] for v in api.get(url).json()] == [True]
    # A professional of another organisation in the Jugendamt's network role cannot sign.
    provider_member = f.make_user("traeger2")
    f.make_member(provider_member, world.network.provider, Role.PROFESSIONAL)
    outsider = Client(HTTP_AUTHORIZATION=f"Token {f.api_key(provider_member)}")
    assert outsider.post(f"{url}{created.json()['id']}/sign/").status_code == 404
