from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from schutznetz.network import services
from schutznetz.network.models import JurisdictionArea, OnCallShift, OrganisationKind, Role
from tests import factories as f


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


class TestJurisdictionAreas:
    def test_coordinator_adds_area_for_own_youth_office(self, network: f.Network) -> None:
        area = services.jurisdiction_area_add(
            actor=network.dortmund_coordinator, youth_office=network.dortmund, postal_code="44139"
        )
        assert area.youth_office == network.dortmund

    def test_coordinator_of_another_office_may_not(self, network: f.Network) -> None:
        with pytest.raises(PermissionDenied):
            services.jurisdiction_area_add(
                actor=network.bochum_coordinator, youth_office=network.dortmund, postal_code="44139"
            )

    def test_professional_may_not(self, network: f.Network) -> None:
        with pytest.raises(PermissionDenied):
            services.jurisdiction_area_add(
                actor=network.dortmund_professional, youth_office=network.dortmund, postal_code="44139"
            )

    def test_same_postal_code_twice_is_rejected_naming_the_office(self, network: f.Network) -> None:
        with pytest.raises(ValidationError) as error:
            services.jurisdiction_area_add(
                actor=network.admin, youth_office=network.bochum, postal_code="44135"
            )
        assert network.dortmund.name in messages_of(error)["municipality"][0]

    def test_whole_postal_code_over_a_split_one_is_rejected(self, network: f.Network) -> None:
        with pytest.raises(ValidationError) as error:
            services.jurisdiction_area_add(
                actor=network.admin, youth_office=network.dortmund, postal_code="44388"
            )
        assert "aufgeteilt" in messages_of(error)["municipality"][0]

    def test_splitting_a_postal_code_another_office_serves_whole_is_rejected(
        self, network: f.Network
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.jurisdiction_area_add(
                actor=network.admin,
                youth_office=network.bochum,
                postal_code="44137",
                municipality="Wattenscheid",
            )
        assert network.dortmund.name in messages_of(error)["municipality"][0]

    def test_only_youth_offices_have_jurisdiction(self, network: f.Network) -> None:
        with pytest.raises(ValidationError) as error:
            services.jurisdiction_area_add(
                actor=network.admin, youth_office=network.practice, postal_code="44139"
            )
        assert messages_of(error)["youth_office"] == [services.MSG_NOT_A_YOUTH_OFFICE]

    def test_malformed_postal_code_is_rejected_and_nothing_saved(self, network: f.Network) -> None:
        before = JurisdictionArea.objects.count()
        with pytest.raises(ValidationError) as error:
            services.jurisdiction_area_add(
                actor=network.admin, youth_office=network.dortmund, postal_code="4413"
            )
        assert "postal_code" in messages_of(error)
        assert JurisdictionArea.objects.count() == before


class TestOnCallShifts:
    def test_coordinator_puts_a_colleague_on_call(self, network: f.Network) -> None:
        start = f.now() + timedelta(hours=1)
        shift = services.on_call_shift_create(
            actor=network.dortmund_coordinator,
            organisation=network.dortmund,
            membership=network.dortmund_professional_membership,
            starts_at=start,
            ends_at=start + timedelta(hours=8),
        )
        assert shift.phone == "0231 50-1003"  # falls back to the member's work phone
        assert shift.created_by == network.dortmund_coordinator

    @pytest.mark.parametrize(
        ("start_h", "end_h", "message"),
        [
            (5, 5, services.MSG_SHIFT_END_BEFORE_START),
            (5, 2, services.MSG_SHIFT_END_BEFORE_START),
            (1, 1 + 24 * 7 + 1, services.MSG_SHIFT_TOO_LONG),
            (-10, -2, services.MSG_SHIFT_IN_PAST),
        ],
    )
    def test_invalid_windows(self, network: f.Network, start_h: int, end_h: int, message: str) -> None:
        now = f.now()
        with pytest.raises(ValidationError) as error:
            services.on_call_shift_create(
                actor=network.dortmund_coordinator,
                organisation=network.dortmund,
                membership=network.dortmund_professional_membership,
                starts_at=now + timedelta(hours=start_h),
                ends_at=now + timedelta(hours=end_h),
            )
        assert messages_of(error)["ends_at"] == [message]
        assert not OnCallShift.objects.exists()

    def test_member_of_another_organisation_cannot_be_put_on_call(self, network: f.Network) -> None:
        other = f.make_member(f.make_user(), network.bochum)
        start = f.now() + timedelta(hours=1)
        with pytest.raises(ValidationError) as error:
            services.on_call_shift_create(
                actor=network.admin,
                organisation=network.dortmund,
                membership=other,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
        assert messages_of(error)["membership"] == [services.MSG_SHIFT_MEMBER]

    def test_the_data_protection_officer_is_not_put_on_call(self, network: f.Network) -> None:
        officer = f.make_member(f.make_user(), network.dortmund, role=Role.DATA_PROTECTION)
        start = f.now() + timedelta(hours=1)
        with pytest.raises(ValidationError) as error:
            services.on_call_shift_create(
                actor=network.admin,
                organisation=network.dortmund,
                membership=officer,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
        assert messages_of(error)["membership"] == [services.MSG_SHIFT_DATA_PROTECTION]

    def test_without_any_phone_number_the_shift_is_refused(self, network: f.Network) -> None:
        member = f.make_member(f.make_user(), network.dortmund, phone="")
        start = f.now() + timedelta(hours=1)
        with pytest.raises(ValidationError) as error:
            services.on_call_shift_create(
                actor=network.admin,
                organisation=network.dortmund,
                membership=member,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
        assert messages_of(error)["phone"] == [services.MSG_SHIFT_NO_PHONE]

    def test_professional_cannot_edit_the_roster(self, network: f.Network) -> None:
        start = f.now() + timedelta(hours=1)
        with pytest.raises(PermissionDenied):
            services.on_call_shift_create(
                actor=network.dortmund_professional,
                organisation=network.dortmund,
                membership=network.dortmund_professional_membership,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )

    def test_cancelled_shift_stays_on_record(self, network: f.Network) -> None:
        shift = f.make_shift(
            network.admin, network.dortmund_professional_membership, f.now() + timedelta(hours=1)
        )
        services.on_call_shift_cancel(actor=network.dortmund_coordinator, shift=shift)
        shift.refresh_from_db()
        assert shift.cancelled_at is not None

    def test_a_finished_shift_cannot_be_cancelled(self, network: f.Network) -> None:
        shift = f.make_shift(
            network.admin, network.dortmund_professional_membership, f.now() + timedelta(hours=1)
        )
        with pytest.raises(ValidationError):
            services.on_call_shift_cancel(actor=network.admin, shift=shift, now=f.now() + timedelta(days=1))


class TestOrganisationUpdate:
    def test_coordinator_updates_own_organisation(self, network: f.Network) -> None:
        services.organisation_update(
            actor=network.dortmund_coordinator, organisation=network.dortmund, data={"phone": "0231 99-0"}
        )
        network.dortmund.refresh_from_db()
        assert network.dortmund.phone == "0231 99-0"

    def test_only_the_network_administration_renames_an_organisation(self, network: f.Network) -> None:
        with pytest.raises(PermissionDenied):
            services.organisation_update(
                actor=network.dortmund_coordinator,
                organisation=network.dortmund,
                data={"phone": "0231 99-0", "name": "Anderer Name"},
            )
        network.dortmund.refresh_from_db()
        assert (network.dortmund.name, network.dortmund.phone) == ("Jugendamt Dortmund (Test)", "0231 50-0")
        services.organisation_update(
            actor=network.admin, organisation=network.dortmund, data={"name": "Jugendamt Dortmund"}
        )
        network.dortmund.refresh_from_db()
        assert network.dortmund.name == "Jugendamt Dortmund"

    def test_coordinator_of_another_organisation_may_not(self, network: f.Network) -> None:
        with pytest.raises(PermissionDenied):
            services.organisation_update(
                actor=network.bochum_coordinator, organisation=network.dortmund, data={"phone": "1"}
            )

    def test_invalid_postal_code_is_rejected(self, network: f.Network) -> None:
        with pytest.raises(ValidationError) as error:
            services.organisation_update(
                actor=network.admin, organisation=network.dortmund, data={"postal_code": "123"}
            )
        assert "postal_code" in messages_of(error)
        network.dortmund.refresh_from_db()
        assert network.dortmund.postal_code == "44135"

    def test_deactivated_coordinator_may_not(self, network: f.Network) -> None:
        from schutznetz.accounts.services import user_deactivate

        user_deactivate(user=network.dortmund_coordinator)
        with pytest.raises(PermissionDenied):
            services.organisation_update(
                actor=network.dortmund_coordinator, organisation=network.dortmund, data={"phone": "1"}
            )


def test_kinds_cover_the_glossary() -> None:
    assert {
        "youth_office",
        "paediatric_practice",
        "child_protection_team",
        "child_psychiatry_clinic",
        "care_provider",
        "ambulance_service",
        "family_court",
        "police",
        "school",
        "daycare",
        "sports_club",
        "counselling_centre",
        "child_protection_centre",
    } <= set(OrganisationKind.values)
