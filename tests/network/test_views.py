from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schutznetz.network import queries, services
from schutznetz.network.models import ContactChannel, ContactChannelKind, OnCallShift, OrganisationKind, Role
from tests import factories as f
from tests.conftest import login


def count_queries(client: Client, url: str, **kwargs: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200
    return len(ctx.captured_queries)


class TestDirectory:
    def test_lists_and_filters_organisations(self, as_professional: Client, network: f.Network) -> None:
        response = as_professional.get(reverse("network:directory"), {"q": "jugendamt", "place": "Bochum"})
        assert response.status_code == 200
        assert network.bochum.name in response.text
        assert network.dortmund.name not in response.text
        assert "1 Organisation gefunden" in response.text

    def test_htmx_request_gets_only_the_results_fragment(
        self, as_professional: Client, network: f.Network
    ) -> None:
        response = as_professional.get(
            reverse("network:directory"), {"kind": "paediatric_practice"}, headers={"HX-Request": "true"}
        )
        assert "<html" not in response.text
        assert network.practice.name in response.text

    def test_unknown_kind_is_ignored_not_an_error(self, as_professional: Client, network: f.Network) -> None:
        response = as_professional.get(reverse("network:directory"), {"kind": "<script>"})
        assert response.status_code == 200

    def test_anonymous_is_sent_to_login(self, client: Client, network: f.Network) -> None:
        response = client.get(reverse("network:directory"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_query_count_does_not_grow_with_the_number_of_organisations(
        self, as_professional: Client, network: f.Network
    ) -> None:
        url = reverse("network:directory")
        small = count_queries(as_professional, url)
        for _ in range(60):
            f.make_org()
        # session, user, OTP device, memberships (the menu: a Jugendamt's intake or not), count, page of
        # organisations (the session is saved at most once a minute)
        assert count_queries(as_professional, url) == small == 6


class TestOrganisationPage:
    def test_shows_members_contacts_and_who_is_on_call_now(
        self, as_professional: Client, network: f.Network
    ) -> None:
        f.make_shift(network.admin, network.dortmund_professional_membership, f.now() - timedelta(hours=1))
        response = as_professional.get(reverse("network:organisation", args=[network.dortmund.pk]))
        text = response.text
        assert "Markus Becker" in text and "Julia Hoffmann" in text
        assert "Rufbereitschaft jetzt" in text
        assert "0231 50-1003" in text
        assert "Derzeit ist niemand" not in text

    def test_on_call_gap_says_whom_to_call_instead(self, as_professional: Client, network: f.Network) -> None:
        response = as_professional.get(reverse("network:organisation", args=[network.dortmund.pk]))
        assert "Derzeit ist niemand in Rufbereitschaft eingetragen" in response.text
        assert "0231 50-0" in response.text

    def test_unknown_or_inactive_organisation_is_404(
        self, as_professional: Client, network: f.Network
    ) -> None:
        network.provider.is_active = False
        network.provider.save()
        assert (
            as_professional.get(reverse("network:organisation", args=[network.provider.pk])).status_code
            == 404
        )
        assert as_professional.get(reverse("network:organisation", args=[999999])).status_code == 404

    def test_deactivated_member_is_not_listed(self, as_professional: Client, network: f.Network) -> None:
        from schutznetz.accounts.services import user_deactivate

        user_deactivate(user=network.dortmund_coordinator)
        response = as_professional.get(reverse("network:organisation", args=[network.dortmund.pk]))
        assert "Markus Becker" not in response.text

    def test_query_count_does_not_grow_with_members_units_contacts_and_shifts(
        self, as_professional: Client, network: f.Network
    ) -> None:
        url = reverse("network:organisation", args=[network.dortmund.pk])
        small = count_queries(as_professional, url)
        for i in range(30):
            member = f.make_member(f.make_user(), network.dortmund)
            f.make_shift(network.admin, member, f.now() - timedelta(minutes=30 + i))
            services.contact_channel_add(
                actor=network.admin,
                organisation=network.dortmund,
                kind="phone",
                label=f"Durchwahl {i}",
                value=f"0231 {i}",
            )
        # session, user, OTP device, organisation, units, contact channels, members (+user, unit),
        # user's memberships (policy), on call now, jurisdiction areas
        assert count_queries(as_professional, url) == small == 10


class TestOrganisationEdit:
    def test_coordinator_edits_contact_data(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:organisation_edit", args=[network.dortmund.pk])
        data = {
            "description": "ASD mit Rufbereitschaft",
            "street": "Ostwall 64",
            "postal_code": "44135",
            "city": "Dortmund",
            "phone": "0231 77-0",
            "email": "asd@example.org",
            "website": "",
        }
        response = as_coordinator.post(url, data)
        assert response.status_code == 302
        network.dortmund.refresh_from_db()
        assert network.dortmund.phone == "0231 77-0"

    def test_bad_postal_code_shows_a_german_error_and_keeps_old_data(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        url = reverse("network:organisation_edit", args=[network.dortmund.pk])
        response = as_coordinator.post(url, {"postal_code": "12", "city": "Dortmund"})
        assert response.status_code == 400
        assert "fünfstellige Postleitzahl" in response.text
        network.dortmund.refresh_from_db()
        assert network.dortmund.postal_code == "44135"

    def test_professional_is_forbidden(self, as_professional: Client, network: f.Network) -> None:
        url = reverse("network:organisation_edit", args=[network.dortmund.pk])
        assert as_professional.get(url).status_code == 403
        assert as_professional.post(url, {"phone": "1"}).status_code == 403

    def test_contact_channel_add_and_remove(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:contact_channel_add", args=[network.dortmund.pk])
        response = as_coordinator.post(
            url,
            {
                "channel-kind": "emergency_phone",
                "channel-label": "Kinderschutz-Notruf",
                "channel-value": "0231 50-112",
                "channel-availability": "24/7",
            },
        )
        assert response.status_code == 302
        channel = network.dortmund.contact_channels.get()
        page = as_coordinator.get(reverse("network:organisation", args=[network.dortmund.pk]))
        assert "Kinderschutz-Notruf" in page.text
        remove = reverse("network:contact_channel_remove", args=[network.dortmund.pk, channel.pk])
        assert as_coordinator.post(remove).status_code == 302
        assert not network.dortmund.contact_channels.exists()

    def test_contact_channel_missing_value_is_400(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:contact_channel_add", args=[network.dortmund.pk])
        response = as_coordinator.post(url, {"channel-kind": "phone", "channel-label": "Zentrale"})
        assert response.status_code == 400
        assert "Dieses Feld ist zwingend erforderlich" in response.text


class TestOnCallPlan:
    def test_coordinator_adds_a_shift_and_sees_remaining_gaps(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        url = reverse("network:on_call_plan", args=[network.dortmund.pk])
        start = f.now() + timedelta(hours=2)
        fmt = "%Y-%m-%dT%H:%M"
        from django.utils import timezone

        response = as_coordinator.post(
            url,
            {
                "membership": network.dortmund_professional_membership.pk,
                "starts_at": timezone.localtime(start).strftime(fmt),
                "ends_at": timezone.localtime(start + timedelta(hours=10)).strftime(fmt),
            },
        )
        assert response.status_code == 302
        assert OnCallShift.objects.get().membership == network.dortmund_professional_membership
        page = as_coordinator.get(url)
        assert "Lücken in der Rufbereitschaft" in page.text
        assert "Julia Hoffmann" in page.text

    def test_end_before_start_is_a_clear_error(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:on_call_plan", args=[network.dortmund.pk])
        response = as_coordinator.post(
            url,
            {
                "membership": network.dortmund_professional_membership.pk,
                "starts_at": "2030-01-02T10:00",
                "ends_at": "2030-01-02T08:00",
            },
        )
        assert response.status_code == 400
        assert services.MSG_SHIFT_END_BEFORE_START in response.text
        assert not OnCallShift.objects.exists()

    def test_malformed_date_is_a_clear_error(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:on_call_plan", args=[network.dortmund.pk])
        response = as_coordinator.post(
            url,
            {
                "membership": network.dortmund_professional_membership.pk,
                "starts_at": "gestern",
                "ends_at": "2030-13-45T99:00",
            },
        )
        assert response.status_code == 400
        assert "gültiges Datum" in response.text

    def test_professional_sees_plan_but_cannot_add(self, as_professional: Client, network: f.Network) -> None:
        url = reverse("network:on_call_plan", args=[network.dortmund.pk])
        page = as_professional.get(url)
        assert page.status_code == 200 and "Dienst eintragen" not in page.text
        assert as_professional.post(url, {}).status_code == 403

    def test_cancel(self, as_coordinator: Client, network: f.Network) -> None:
        shift = f.make_shift(
            network.admin, network.dortmund_professional_membership, f.now() + timedelta(hours=1)
        )
        url = reverse("network:on_call_shift_cancel", args=[network.dortmund.pk, shift.pk])
        assert as_coordinator.post(url).status_code == 302
        shift.refresh_from_db()
        assert shift.cancelled_at is not None


class TestJurisdictionPage:
    def test_44135_shows_the_youth_office_and_its_on_call_contact(
        self, as_professional: Client, network: f.Network
    ) -> None:
        f.make_shift(network.admin, network.dortmund_coordinator_membership, f.now() - timedelta(hours=1))
        response = as_professional.get(reverse("network:jurisdiction"), {"postal_code": "44135"})
        assert response.status_code == 200
        assert network.dortmund.name in response.text
        assert "Markus Becker" in response.text and "0231 50-1002" in response.text

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"postal_code": "4413"}, queries.MSG_POSTAL_CODE_MALFORMED),
            (
                {"postal_code": "99999"},
                "Für die Postleitzahl 99999 ist im Netzwerk kein Jugendamt hinterlegt.",
            ),
            ({"postal_code": "44388"}, "zwischen mehreren Jugendämtern aufgeteilt"),
            (
                {"postal_code": "44388", "municipality": "Herne"},
                "„Herne“ ist für die Postleitzahl 44388 nicht hinterlegt",
            ),
            ({"postal_code": ""}, "Dieses Feld ist zwingend erforderlich."),
        ],
    )
    def test_bad_input_gets_a_german_message_not_a_500(
        self, as_professional: Client, network: f.Network, params: dict, message: str
    ) -> None:
        response = as_professional.get(reverse("network:jurisdiction"), params)
        assert response.status_code == 400
        assert message in response.text

    def test_an_unknown_postal_code_says_what_to_do_now(
        self, as_professional: Client, network: f.Network
    ) -> None:
        ContactChannel.objects.create(
            organisation=network.dortmund,
            kind=ContactChannelKind.EMERGENCY_PHONE,
            label="Kinderschutz-Bereitschaftsdienst",
            value="0231 50-1100",
            availability="rund um die Uhr",
        )
        response = as_professional.get(reverse("network:jurisdiction"), {"postal_code": "99999"})
        assert response.status_code == 400
        page = response.text
        assert "Was Sie jetzt tun können" in page
        assert 'href="tel:110"' in page and 'href="tel:112"' in page
        assert "Medizinische Kinderschutzhotline" in page and 'href="tel:08001921000"' in page
        assert "Jugendamt Dortmund (Test), Kinderschutz-Bereitschaftsdienst" in page
        assert 'href="tel:023150-1100"' in page

    def test_a_split_postal_code_offers_its_districts_to_choose(
        self, as_professional: Client, network: f.Network
    ) -> None:
        response = as_professional.get(reverse("network:jurisdiction"), {"postal_code": "44388"})
        assert response.status_code == 400
        page = response.text
        assert 'type="radio" name="municipality" value="Dortmund"' in page
        assert 'type="radio" name="municipality" value="Bochum"' in page
        assert "Bochum (Jugendamt Bochum (Test))" in page
        assert "Stadtteil bzw. Gemeinde, in dem das Kind lebt" in page
        chosen = as_professional.get(
            reverse("network:jurisdiction"), {"postal_code": "44388", "municipality": "Bochum"}
        )
        assert chosen.status_code == 200 and network.bochum.name in chosen.text

    def test_empty_form_is_shown_without_errors(self, as_professional: Client, network: f.Network) -> None:
        response = as_professional.get(reverse("network:jurisdiction"))
        assert response.status_code == 200 and "kern-error" not in response.text


class TestJurisdictionAreaForm:
    def test_coordinator_adds_area_in_the_ui(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:jurisdiction_area_add", args=[network.dortmund.pk])
        assert as_coordinator.post(url, {"postal_code": "44139"}).status_code == 302
        assert queries.jurisdiction_lookup(postal_code="44139") == network.dortmund

    def test_overlap_is_rejected_with_a_german_message(self, client: Client, network: f.Network) -> None:
        login(client, network.bochum_coordinator)
        url = reverse("network:jurisdiction_area_add", args=[network.bochum.pk])
        response = client.post(url, {"postal_code": "44135"})
        assert response.status_code == 400
        assert "ist bereits Jugendamt Dortmund (Test) als zuständig hinterlegt" in response.text


def test_home_shows_own_organisations_on_call(as_professional: Client, network: f.Network) -> None:
    f.make_shift(network.admin, network.dortmund_coordinator_membership, f.now() - timedelta(hours=1))
    response = as_professional.get(reverse("dashboard:home"))
    assert "Guten Tag, Julia Hoffmann" in response.text
    assert "Markus Becker" in response.text


def test_network_admin_may_manage_every_organisation(client: Client, network: f.Network) -> None:
    login(client, network.admin)
    url = reverse("network:organisation_edit", args=[network.practice.pk])
    assert client.get(url).status_code == 200
    assert Role.ADMIN in {m.role for m in network.admin.memberships.all()}
    assert network.practice.kind == OrganisationKind.PAEDIATRIC_PRACTICE


class TestMembersAndUnits:
    def test_coordinator_changes_a_role_and_unit(self, as_coordinator: Client, network: f.Network) -> None:
        unit = services.unit_add(actor=network.admin, organisation=network.dortmund, name="ASD Nord")
        member = network.dortmund_professional_membership
        url = reverse("network:membership_update", args=[network.dortmund.pk, member.pk])
        prefix = f"m{member.pk}"
        response = as_coordinator.post(
            url,
            {
                f"{prefix}-role": "coordinator",
                f"{prefix}-job_title": "Teamleitung",
                f"{prefix}-phone": "0231 50-1003",
                f"{prefix}-unit": unit.pk,
            },
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.role, member.job_title, member.unit) == (Role.COORDINATOR, "Teamleitung", unit)

    def test_coordinator_cannot_grant_network_administration(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        member = network.dortmund_professional_membership
        url = reverse("network:membership_update", args=[network.dortmund.pk, member.pk])
        response = as_coordinator.post(url, {f"m{member.pk}-role": "admin"})
        assert response.status_code == 400
        assert services.MSG_ADMIN_ROLE in response.text
        member.refresh_from_db()
        assert member.role == Role.PROFESSIONAL

    def test_last_coordinator_cannot_step_down_or_leave(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        member = network.dortmund_coordinator_membership
        url = reverse("network:membership_update", args=[network.dortmund.pk, member.pk])
        response = as_coordinator.post(url, {f"m{member.pk}-role": "professional"})
        assert response.status_code == 400 and services.MSG_LAST_COORDINATOR in response.text
        end = reverse("network:membership_end", args=[network.dortmund.pk, member.pk])
        as_coordinator.post(end)
        member.refresh_from_db()
        assert member.is_active

    def test_ending_a_membership_withdraws_future_duty(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        member = network.dortmund_professional_membership
        shift = f.make_shift(network.admin, member, f.now() + timedelta(hours=3))
        end = reverse("network:membership_end", args=[network.dortmund.pk, member.pk])
        response = as_coordinator.post(end, follow=True)
        assert "Die Mitgliedschaft von Julia Hoffmann wurde beendet." in response.text
        member.refresh_from_db()
        shift.refresh_from_db()
        assert not member.is_active and shift.cancelled_at is not None
        page = as_coordinator.get(reverse("network:organisation", args=[network.dortmund.pk]))
        assert "Julia Hoffmann" not in page.text

    def test_unit_add_and_duplicate(self, as_coordinator: Client, network: f.Network) -> None:
        url = reverse("network:unit_add", args=[network.dortmund.pk])
        assert as_coordinator.post(url, {"unit-name": "ASD Süd"}).status_code == 302
        response = as_coordinator.post(url, {"unit-name": "asd süd"})
        assert response.status_code == 400 and services.MSG_UNIT_EXISTS in response.text

    def test_professional_cannot_manage_members(self, as_professional: Client, network: f.Network) -> None:
        member = network.dortmund_coordinator_membership
        url = reverse("network:membership_end", args=[network.dortmund.pk, member.pk])
        assert as_professional.post(url).status_code == 403

    def test_membership_of_another_organisation_is_404(
        self, as_coordinator: Client, network: f.Network
    ) -> None:
        other = f.make_member(f.make_user(), network.bochum)
        url = reverse("network:membership_end", args=[network.dortmund.pk, other.pk])
        assert as_coordinator.post(url).status_code == 404
