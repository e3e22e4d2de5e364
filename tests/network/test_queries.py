from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from schutznetz.network import queries
from schutznetz.network.queries import Gap, JurisdictionError, jurisdiction_lookup, on_call_gaps
from tests import factories as f

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=BERLIN)


class TestJurisdictionLookup:
    def test_postal_code_served_whole(self, network: f.Network) -> None:
        assert jurisdiction_lookup(postal_code="44135") == network.dortmund

    def test_spaces_around_the_postal_code_are_ignored(self, network: f.Network) -> None:
        assert jurisdiction_lookup(postal_code=" 44 135 ") == network.dortmund

    @pytest.mark.parametrize("postal_code", ["4413", "441355", "ABCDE", "", "44-135"])
    def test_malformed_postal_code(self, network: f.Network, postal_code: str) -> None:
        with pytest.raises(JurisdictionError) as error:
            jurisdiction_lookup(postal_code=postal_code)
        assert error.value.field == "postal_code"
        assert error.value.message == queries.MSG_POSTAL_CODE_MALFORMED

    def test_unknown_postal_code_says_none_is_configured(self, network: f.Network) -> None:
        with pytest.raises(JurisdictionError) as error:
            jurisdiction_lookup(postal_code="99999")
        assert error.value.field == "postal_code"
        assert "99999" in error.value.message and "kein Jugendamt" in error.value.message

    def test_split_postal_code_asks_for_the_municipality_and_names_both_offices(
        self, network: f.Network
    ) -> None:
        with pytest.raises(JurisdictionError) as error:
            jurisdiction_lookup(postal_code="44388")
        assert error.value.field == "municipality"
        assert "mehreren Jugendämtern" in error.value.message
        assert network.dortmund.name in error.value.message and network.bochum.name in error.value.message

    @pytest.mark.parametrize("municipality", ["Bochum", "bochum", "  BOCHUM "])
    def test_municipality_decides_a_split_postal_code(self, network: f.Network, municipality: str) -> None:
        assert jurisdiction_lookup(postal_code="44388", municipality=municipality) == network.bochum

    def test_municipality_not_part_of_a_split_postal_code(self, network: f.Network) -> None:
        with pytest.raises(JurisdictionError) as error:
            jurisdiction_lookup(postal_code="44388", municipality="Herne")
        assert error.value.field == "municipality"
        assert "Herne" in error.value.message

    def test_municipality_is_ignored_where_the_postal_code_is_not_split(self, network: f.Network) -> None:
        assert jurisdiction_lookup(postal_code="44135", municipality="Innenstadt") == network.dortmund

    def test_inactive_youth_office_is_not_competent(self, network: f.Network) -> None:
        network.dortmund.is_active = False
        network.dortmund.save()
        with pytest.raises(JurisdictionError):
            jurisdiction_lookup(postal_code="44135")

    def test_umlauts_and_sharp_s_fold(self) -> None:
        assert queries.municipality_key(" Lütgendortmund ") == queries.municipality_key("LUTGENDORTMUND")
        assert queries.municipality_key("Straße") == "strasse"


GAP_CASES = [
    # shifts (start day/hour, end day/hour), window, expected gaps
    ([], (at(2, 8), at(2, 20)), [(at(2, 8), at(2, 20))]),
    ([(at(2, 8), at(2, 20))], (at(2, 8), at(2, 20)), []),
    ([(at(2, 6), at(2, 22))], (at(2, 8), at(2, 20)), []),
    ([(at(2, 10), at(2, 12))], (at(2, 8), at(2, 20)), [(at(2, 8), at(2, 10)), (at(2, 12), at(2, 20))]),
    # overlapping shifts of two people leave no gap
    ([(at(2, 8), at(2, 14)), (at(2, 12), at(2, 20))], (at(2, 8), at(2, 20)), []),
    # a shift inside another does not open a gap
    ([(at(2, 8), at(2, 20)), (at(2, 9), at(2, 10))], (at(2, 8), at(2, 20)), []),
    # night shift across midnight, then a gap the next morning
    ([(at(2, 20), at(3, 8))], (at(2, 20), at(3, 12)), [(at(3, 8), at(3, 12))]),
]


@pytest.mark.parametrize(("shifts", "window", "expected"), GAP_CASES)
def test_on_call_gaps(shifts: list, window: tuple, expected: list) -> None:
    class S:
        def __init__(self, s: datetime, e: datetime) -> None:
            self.starts_at, self.ends_at = s, e

    gaps = on_call_gaps([S(s, e) for s, e in shifts], start=window[0], end=window[1])  # type: ignore[misc]
    assert gaps == [Gap(s, e) for s, e in expected]


def test_on_call_at_finds_the_person_on_duty_and_not_cancelled_or_other_shifts(network: f.Network) -> None:
    start = f.now() + timedelta(hours=1)
    member = network.dortmund_professional_membership
    shift = f.make_shift(network.admin, member, start, hours=12)
    f.make_shift(network.admin, network.dortmund_coordinator_membership, start + timedelta(hours=12))
    cancelled = f.make_shift(network.admin, network.dortmund_coordinator_membership, start)
    from schutznetz.network import services

    services.on_call_shift_cancel(actor=network.admin, shift=cancelled)
    found = queries.on_call_at(organisation_ids=[network.dortmund.pk], at=start + timedelta(hours=2))
    assert found == [shift]
    assert queries.on_call_at(organisation_ids=[network.dortmund.pk], at=start + timedelta(hours=12)) != [
        shift
    ]
    assert queries.on_call_at(organisation_ids=[network.bochum.pk], at=start + timedelta(hours=2)) == []


def test_directory_search_by_name_kind_and_place(network: f.Network) -> None:
    names = lambda qs: {o.name for o in qs}  # noqa: E731
    assert names(queries.organisation_list(q="jugendamt")) == {network.dortmund.name, network.bochum.name}
    assert names(queries.organisation_list(kind="paediatric_practice")) == {network.practice.name}
    assert names(queries.organisation_list(q="jugendamt", place="Bochum")) == {network.bochum.name}
    assert names(queries.organisation_list(q="jugendamt", place="447")) == {network.bochum.name}
