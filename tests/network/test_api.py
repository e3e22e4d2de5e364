from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from schutznetz.accounts.services import api_token_create
from schutznetz.network import queries, services
from schutznetz.network.models import OnCallShift
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def api(network: f.Network) -> Client:
    """A client of a professional's system, authenticated with an API token."""
    token = api_token_create(name="Test", user=network.dortmund_professional)
    return Client(headers={"Authorization": f"Token {token.key}"})


@pytest.fixture
def coordinator_api(network: f.Network) -> Client:
    token = api_token_create(name="Test", user=network.dortmund_coordinator)
    return Client(headers={"Authorization": f"Token {token.key}"})


def test_anonymous_gets_401(client: Client, network: f.Network) -> None:
    for url in (
        "/api/v1/organisations/",
        f"/api/v1/organisations/{network.dortmund.pk}/",
        "/api/v1/jurisdiction/?postal_code=44135",
        "/api/v1/me/",
    ):
        assert client.get(url).status_code == 401


def test_invalid_token_gets_401(client: Client, network: f.Network) -> None:
    assert client.get("/api/v1/me/", headers={"Authorization": "Token nope"}).status_code == 401


class TestOrganisations:
    def test_list_with_filters_and_pagination(self, api: Client, network: f.Network) -> None:
        body = api.get("/api/v1/organisations/", {"q": "jugendamt", "place": "Dortmund"}).json()
        assert body["count"] == 1
        assert body["results"][0]["name"] == network.dortmund.name
        assert body["results"][0]["kind"] == "youth_office"

    def test_unknown_kind_is_400_with_field_error(self, api: Client, network: f.Network) -> None:
        response = api.get("/api/v1/organisations/", {"kind": "castle"})
        assert response.status_code == 400 and "kind" in response.json()

    def test_detail_lists_members_and_contacts(self, api: Client, network: f.Network) -> None:
        body = api.get(f"/api/v1/organisations/{network.dortmund.pk}/").json()
        assert {m["name"] for m in body["members"]} == {"Markus Becker", "Julia Hoffmann"}

    def test_unknown_organisation_is_404(self, api: Client, network: f.Network) -> None:
        assert api.get("/api/v1/organisations/999999/").status_code == 404

    def test_coordinator_patches_own_organisation(self, coordinator_api: Client, network: f.Network) -> None:
        response = coordinator_api.patch(
            f"/api/v1/organisations/{network.dortmund.pk}/",
            {"phone": "0231 1-0"},
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["phone"] == "0231 1-0"

    def test_patching_a_member_changes_only_what_is_sent(
        self, coordinator_api: Client, network: f.Network
    ) -> None:
        membership = network.dortmund_professional_membership
        membership.job_title = "Sozialarbeiterin ASD"
        membership.save()
        response = coordinator_api.patch(
            f"/api/v1/memberships/{membership.pk}/",
            {"phone": "0231 50-9999"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        membership.refresh_from_db()
        assert (membership.phone, membership.job_title, membership.role) == (
            "0231 50-9999",
            "Sozialarbeiterin ASD",
            "professional",
        )

    def test_professional_cannot_patch(self, api: Client, network: f.Network) -> None:
        response = api.patch(
            f"/api/v1/organisations/{network.dortmund.pk}/", {"phone": "1"}, content_type="application/json"
        )
        assert response.status_code == 403

    def test_bad_postal_code_is_400_with_field_error(
        self, coordinator_api: Client, network: f.Network
    ) -> None:
        response = coordinator_api.patch(
            f"/api/v1/organisations/{network.dortmund.pk}/",
            {"postal_code": "1"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "fünfstellige Postleitzahl" in response.json()["postal_code"][0]


class TestJurisdiction:
    def test_44135_gives_the_youth_office_and_on_call(self, api: Client, network: f.Network) -> None:
        f.make_shift(network.admin, network.dortmund_coordinator_membership, f.now() - timedelta(hours=1))
        body = api.get("/api/v1/jurisdiction/", {"postal_code": "44135"}).json()
        assert body["youth_office"]["name"] == network.dortmund.name
        assert body["on_call"][0]["name"] == "Markus Becker"
        assert body["on_call"][0]["phone"] == "0231 50-1002"

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"postal_code": "123"}, "postal_code", queries.MSG_POSTAL_CODE_MALFORMED),
            ({"postal_code": "99999"}, "postal_code", "kein Jugendamt hinterlegt"),
            ({"postal_code": "44388"}, "municipality", "mehreren Jugendämtern"),
            ({}, "postal_code", "Dieses Feld ist zwingend erforderlich."),
        ],
    )
    def test_bad_input_is_400_with_field_error(
        self, api: Client, network: f.Network, params: dict, field: str, message: str
    ) -> None:
        response = api.get("/api/v1/jurisdiction/", params)
        assert response.status_code == 400
        assert message in response.json()[field][0]

    def test_unknown_and_split_postal_codes_say_what_to_do_and_what_to_choose(
        self, api: Client, network: f.Network
    ) -> None:
        unknown = api.get("/api/v1/jurisdiction/", {"postal_code": "99999"}).json()
        assert [c.split(":")[0] for c in unknown["emergency_contacts"]] == [
            "Polizei",
            "Rettungsdienst und Notärztin/Notarzt",
            "Medizinische Kinderschutzhotline",
        ]
        split = api.get("/api/v1/jurisdiction/", {"postal_code": "44388"}).json()
        assert sorted(split["municipality_choices"]) == ["Bochum", "Dortmund"]

    def test_split_postal_code_with_municipality(self, api: Client, network: f.Network) -> None:
        body = api.get("/api/v1/jurisdiction/", {"postal_code": "44388", "municipality": "Bochum"}).json()
        assert body["youth_office"]["name"] == network.bochum.name

    def test_areas_list_and_add(self, coordinator_api: Client, network: f.Network) -> None:
        url = f"/api/v1/organisations/{network.dortmund.pk}/jurisdiction-areas/"
        assert (
            coordinator_api.post(url, {"postal_code": "44139"}, content_type="application/json").status_code
            == 201
        )
        assert "44139" in {a["postal_code"] for a in coordinator_api.get(url).json()}

    def test_overlapping_area_is_400(self, coordinator_api: Client, network: f.Network) -> None:
        url = f"/api/v1/organisations/{network.dortmund.pk}/jurisdiction-areas/"
        response = coordinator_api.post(url, {"postal_code": "44787"}, content_type="application/json")
        assert response.status_code == 400
        assert network.bochum.name in response.json()["municipality"][0]


class TestOnCall:
    def test_now_with_gaps(self, api: Client, network: f.Network) -> None:
        shift = f.make_shift(
            network.admin, network.dortmund_professional_membership, f.now() - timedelta(hours=1)
        )
        body = api.get(f"/api/v1/organisations/{network.dortmund.pk}/on-call/").json()
        assert [s["id"] for s in body["on_call"]] == [shift.pk]
        assert body["fallback_phone"] == "0231 50-0"
        from datetime import datetime

        first_gap = datetime.fromisoformat(body["gaps_next_7_days"][0]["starts_at"])
        assert first_gap == shift.ends_at

    def test_nobody_on_call_gives_empty_list_and_the_fallback(self, api: Client, network: f.Network) -> None:
        body = api.get(f"/api/v1/organisations/{network.dortmund.pk}/on-call/").json()
        assert body["on_call"] == [] and body["fallback_phone"] == "0231 50-0"
        assert len(body["gaps_next_7_days"]) == 1

    def test_malformed_time_is_400(self, api: Client, network: f.Network) -> None:
        response = api.get(f"/api/v1/organisations/{network.dortmund.pk}/on-call/", {"at": "morgen"})
        assert response.status_code == 400 and "at" in response.json()

    def test_coordinator_creates_and_cancels_a_shift(
        self, coordinator_api: Client, network: f.Network
    ) -> None:
        start = f.now() + timedelta(hours=1)
        response = coordinator_api.post(
            f"/api/v1/organisations/{network.dortmund.pk}/on-call/",
            {
                "membership": network.dortmund_professional_membership.pk,
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=8)).isoformat(),
            },
            content_type="application/json",
        )
        assert response.status_code == 201
        shift_id = response.json()["id"]
        assert coordinator_api.post(f"/api/v1/on-call-shifts/{shift_id}/cancel/").status_code == 200
        assert OnCallShift.objects.get(pk=shift_id).cancelled_at is not None

    def test_end_before_start_is_400_and_nothing_saved(
        self, coordinator_api: Client, network: f.Network
    ) -> None:
        start = f.now() + timedelta(hours=5)
        response = coordinator_api.post(
            f"/api/v1/organisations/{network.dortmund.pk}/on-call/",
            {
                "membership": network.dortmund_professional_membership.pk,
                "starts_at": start.isoformat(),
                "ends_at": (start - timedelta(hours=1)).isoformat(),
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["ends_at"] == [services.MSG_SHIFT_END_BEFORE_START]
        assert not OnCallShift.objects.exists()

    def test_member_of_another_organisation_is_404(self, coordinator_api: Client, network: f.Network) -> None:
        other = f.make_member(f.make_user(), network.bochum)
        start = f.now() + timedelta(hours=1)
        response = coordinator_api.post(
            f"/api/v1/organisations/{network.dortmund.pk}/on-call/",
            {
                "membership": other.pk,
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
            },
            content_type="application/json",
        )
        assert response.status_code == 404

    def test_professional_cannot_create(self, api: Client, network: f.Network) -> None:
        start = f.now() + timedelta(hours=1)
        response = api.post(
            f"/api/v1/organisations/{network.dortmund.pk}/on-call/",
            {
                "membership": network.dortmund_professional_membership.pk,
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
            },
            content_type="application/json",
        )
        assert response.status_code == 403


def test_me(api: Client, network: f.Network) -> None:
    body = api.get("/api/v1/me/").json()
    assert body["username"] == "hoffmann"
    assert body["memberships"][0]["organisation_name"] == network.dortmund.name


def test_schema_and_docs_are_served_locally(api: Client, client: Client, network: f.Network) -> None:
    schema = api.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    assert b"/api/v1/jurisdiction/" in schema.content
    docs = login(client, network.dortmund_professional).get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower() and b"https://" not in docs.content


def test_schema_and_docs_are_for_signed_in_users_outside_the_demo(client: Client, db: None) -> None:
    assert client.get("/api/schema/").status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/account/login/")


def test_empty_time_parameter_is_400_not_silently_now(api: Client, network: f.Network) -> None:
    response = api.get(f"/api/v1/organisations/{network.dortmund.pk}/on-call/?at=")
    assert response.status_code == 400 and "at" in response.json()


@pytest.mark.parametrize("page", ["", "0", "x", "-1", "last"])
def test_invalid_page_is_400(api: Client, network: f.Network, page: str) -> None:
    response = api.get(f"/api/v1/organisations/?page={page}")
    assert response.status_code == 400 and "page" in response.json()


def test_page_past_the_end_is_404(api: Client, network: f.Network) -> None:
    assert api.get("/api/v1/organisations/?page=99").status_code == 404


def test_time_far_off_is_400(api: Client, network: f.Network) -> None:
    response = api.get(
        f"/api/v1/organisations/{network.dortmund.pk}/on-call/", {"at": "0632-09-03T08:32:21Z"}
    )
    assert response.status_code == 400 and "at" in response.json()


class TestMembersApi:
    def test_coordinator_changes_role_and_ends_membership(
        self, coordinator_api: Client, network: f.Network
    ) -> None:
        member = network.dortmund_professional_membership
        response = coordinator_api.patch(
            f"/api/v1/memberships/{member.pk}/",
            {"role": "coordinator", "job_title": "TL"},
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["role"] == "coordinator"
        assert coordinator_api.post(f"/api/v1/memberships/{member.pk}/end/").status_code == 200
        assert coordinator_api.post(f"/api/v1/memberships/{member.pk}/end/").status_code == 404

    def test_profession_is_set_shown_and_checked(self, coordinator_api: Client, network: f.Network) -> None:
        member = network.dortmund_professional_membership
        url = f"/api/v1/memberships/{member.pk}/"
        specialist = "child_protection_specialist"
        response = coordinator_api.patch(url, {"profession": specialist}, "application/json")
        assert response.status_code == 200 and response.json()["profession"] == specialist
        response = coordinator_api.patch(url, {"profession": "Heilerin"}, "application/json")
        assert response.status_code == 400 and "profession" in response.json()
        member.refresh_from_db()
        assert member.profession == "child_protection_specialist"  # nothing half-saved

    def test_last_coordinator_is_400(self, coordinator_api: Client, network: f.Network) -> None:
        member = network.dortmund_coordinator_membership
        response = coordinator_api.patch(
            f"/api/v1/memberships/{member.pk}/", {"role": "professional"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["role"] == [services.MSG_LAST_COORDINATOR]

    def test_unit_of_another_organisation_is_404(self, coordinator_api: Client, network: f.Network) -> None:
        unit = services.unit_add(actor=network.admin, organisation=network.bochum, name="ASD Mitte")
        member = network.dortmund_professional_membership
        response = coordinator_api.patch(
            f"/api/v1/memberships/{member.pk}/",
            {"role": "professional", "unit": unit.pk},
            content_type="application/json",
        )
        assert response.status_code == 404

    def test_units(self, coordinator_api: Client, api: Client, network: f.Network) -> None:
        url = f"/api/v1/organisations/{network.dortmund.pk}/units/"
        assert (
            coordinator_api.post(url, {"name": "ASD Ost"}, content_type="application/json").status_code == 201
        )
        assert (
            coordinator_api.post(url, {"name": "ASD Ost"}, content_type="application/json").status_code == 400
        )
        assert api.post(url, {"name": "ASD West"}, content_type="application/json").status_code == 403
