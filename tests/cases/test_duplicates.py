"""No duplicate cases: a practice opens a case on a child the Jugendamt already has a case on and
invites the Jugendamt. When the Jugendamt accepts, its case page warns of the likely duplicate (the
identity vault's exact or phonetic match, among its own cases only); its coordination compares both
side by side and joins the newer into the older — for the Jugendamt alone: the practice learns only
that its invitation was accepted and sees nothing of the other case. The join is on the audit trail
and can be undone within 30 days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.test import Client
from django.utils import timezone

from schutznetz.audit.models import AuditEvent
from schutznetz.cases import queries, services
from schutznetz.cases.models import Case, CaseJoin, CaseRole, JoinDecision, LegalBasis, Participation
from schutznetz.notify.models import Notification
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@dataclass
class Pair:
    older: Case  # the Jugendamt's own case
    newer: Case  # the practice's case, into which the Jugendamt was invited


def _invite_and_accept(network: f.Network, newer: Case) -> None:
    invitation = services.participation_invite(
        actor=network.practice_doctor,
        access=queries.case_get_for(network.practice_doctor, newer.pk),
        organisation=network.dortmund,
        role=CaseRole.YOUTH_OFFICE,
        legal_basis=LegalBasis.KKG_4_3,
        reason="Mitteilung nach § 4 Abs. 3 KKG",
    )
    services.participation_respond(actor=network.dortmund_coordinator, participation=invitation, accept=True)


def _pair(network: f.Network, practice_identity: Any = None) -> Pair:
    older = f.make_case(
        network.dortmund_professional,
        network.dortmund,
        title="Hinweis der Kita: Verdacht auf Vernachlässigung",
    )
    newer = f.make_case(
        network.practice_doctor,
        network.practice,
        practice_identity or f.child_identity(),
        title="Hämatome am Rumpf",
    )
    _invite_and_accept(network, newer)
    return Pair(older, newer)


@pytest.fixture
def pair(network: f.Network) -> Pair:
    return _pair(network)


def _access(user: Any, case: Case) -> Any:
    return queries.case_get_for(user, case.pk)


def test_accepting_warns_of_the_likely_duplicate_among_its_own_cases_only(
    network: f.Network, pair: Pair
) -> None:
    assert pair.older.child_id != pair.newer.child_id  # two identity records of one child
    for user in (network.dortmund_coordinator, network.dortmund_professional):
        assert queries.duplicates_for(_access(user, pair.newer)) == [pair.older]
        assert queries.duplicates_for(_access(user, pair.older)) == [pair.newer]
    # The practice takes part in one of them only: it is warned of nothing.
    assert queries.duplicates_for(_access(network.practice_doctor, pair.newer)) == []


def test_a_matching_case_of_another_organisation_costs_the_case_page_no_query(
    client: Client, network: f.Network
) -> None:
    """Only the organisation's own cases can be duplicates for it: an open case of another one on a
    matching child (common in a national register) neither shows nor is looked for."""
    from tests.cases.test_query_counts import queries_for

    own = f.make_case(network.dortmund_professional, network.dortmund, f.child_identity(given="Ida"))
    login(client, network.dortmund_professional)
    alone = queries_for(client, f"/faelle/{own.pk}/")
    f.make_case(network.practice_doctor, network.practice, f.child_identity(given="Ida"))
    assert queries.duplicates_for(_access(network.dortmund_professional, own)) == []
    assert queries_for(client, f"/faelle/{own.pk}/") == alone
    f.make_case(network.dortmund_coordinator, network.dortmund, f.child_identity(given="Ida"))
    assert queries_for(client, f"/faelle/{own.pk}/") > alone


def test_names_that_sound_alike_with_the_same_birth_month_match_others_do_not(network: f.Network) -> None:
    pair = _pair(network, f.child_identity("Mia", "Maier", "2021-01-20"))
    assert queries.duplicates_for(_access(network.dortmund_coordinator, pair.newer)) == [pair.older]
    other = f.make_case(
        network.practice_doctor, network.practice, f.child_identity("Mia", "Maier", "2019-06-02")
    )
    _invite_and_accept(network, other)
    assert pair.older not in queries.duplicates_for(_access(network.dortmund_coordinator, other))


def test_the_coordination_joins_for_its_organisation_alone(network: f.Network, pair: Pair) -> None:
    coordinator = network.dortmund_coordinator
    with pytest.raises(PermissionDenied):
        services.case_join(
            actor=network.dortmund_professional,
            access=_access(network.dortmund_professional, pair.newer),
            other=_access(network.dortmund_professional, pair.older),
        )
    join = services.case_join(
        actor=coordinator, access=_access(coordinator, pair.older), other=_access(coordinator, pair.newer)
    )
    assert (join.case, join.into, join.decision) == (pair.newer, pair.older, JoinDecision.JOINED)

    # For the Jugendamt the newer case leaves "Meine Fälle"; the older shows it.
    listed = list(queries.case_list_for(network.dortmund_professional))
    assert pair.older in listed and pair.newer not in listed
    joins = queries.joins_for(
        network.dortmund_professional, _access(network.dortmund_professional, pair.older)
    )
    [joined] = joins.joined
    assert joined.join == join and [t.title for t in joined.open_tasks] == ["Hausbesuch"]
    assert queries.duplicates_for(_access(coordinator, pair.older)) == []
    assert queries.joins_for(coordinator, _access(coordinator, pair.newer)).into == join

    # The practice: its case as before; nothing of the join or of the other case.
    practice = _access(network.practice_doctor, pair.newer)
    assert queries.joins_for(network.practice_doctor, practice) == queries.Joins(None, [])
    texts = [e.text for e in queries.case_detail(practice).timeline]
    assert not any("zusammengeführt" in t or pair.older.child.pseudonym in t for t in texts)
    practice_titles = Notification.objects.filter(recipient=network.practice_doctor).values_list(
        "title", flat=True
    )
    assert not any(pair.older.child.pseudonym in t for t in practice_titles)
    # On the audit trail of both cases.
    for case in (pair.older, pair.newer):
        assert AuditEvent.objects.filter(case_id=case.pk, purpose="Doppelfall zusammenführen").count() == 1

    with pytest.raises(ValidationError):
        services.case_join(
            actor=coordinator, access=_access(coordinator, pair.newer), other=_access(coordinator, pair.older)
        )


def test_a_join_is_undone_within_thirty_days(network: f.Network, pair: Pair) -> None:
    coordinator = network.dortmund_coordinator
    join = services.case_join(
        actor=coordinator, access=_access(coordinator, pair.newer), other=_access(coordinator, pair.older)
    )
    later = timezone.now() + timedelta(days=31)
    with time_machine.travel(later), pytest.raises(ValidationError, match="30 Tagen"):
        services.case_join_undo(actor=coordinator, access=_access(coordinator, pair.older), join=join)
    with pytest.raises(PermissionDenied):
        services.case_join_undo(
            actor=network.dortmund_professional,
            access=_access(network.dortmund_professional, pair.older),
            join=join,
        )
    services.case_join_undo(actor=coordinator, access=_access(coordinator, pair.older), join=join)
    assert pair.newer in list(queries.case_list_for(network.dortmund_professional))
    assert queries.duplicates_for(_access(coordinator, pair.newer)) == [pair.older]


def test_not_a_duplicate_ends_the_warning(network: f.Network, pair: Pair) -> None:
    coordinator = network.dortmund_coordinator
    decision = services.case_mark_distinct(
        actor=coordinator, access=_access(coordinator, pair.newer), other=_access(coordinator, pair.older)
    )
    assert decision.decision == JoinDecision.DISTINCT
    assert queries.duplicates_for(_access(coordinator, pair.newer)) == []
    assert pair.newer in list(queries.case_list_for(coordinator))


class TestPagesAndApi:
    def test_compare_join_and_undo_in_the_browser_flow_of_requests(
        self, network: f.Network, pair: Pair
    ) -> None:
        client = login(Client(), network.dortmund_coordinator)
        page = client.get(f"/faelle/{pair.newer.pk}/")
        assert "Möglicher Doppelfall" in page.text
        compare_url = f"/faelle/{pair.newer.pk}/doppelfall/{pair.older.pk}/"
        assert compare_url in page.text
        compare = client.get(compare_url)
        assert compare.status_code == 200
        assert "Hinweis der Kita" in compare.text and "Hämatome am Rumpf" in compare.text
        named = AuditEvent.objects.filter(
            actor=network.dortmund_coordinator, purpose="Möglichen Doppelfall vergleichen"
        )
        assert {e.details["persons"]["child"] for e in named} == {
            pair.older.child.pseudonym,
            pair.newer.child.pseudonym,
        }
        answer = client.post(f"{compare_url}zusammenfuehren/")
        assert answer.status_code == 302 and answer.url == f"/faelle/{pair.older.pk}/"
        older_page = client.get(answer.url)
        assert "Zusammengeführte Fälle" in older_page.text and "Hämatome am Rumpf" in older_page.text
        newer_page = client.get(f"/faelle/{pair.newer.pk}/")
        assert f"mit Fall {pair.older.child.pseudonym} zusammengeführt" in newer_page.text
        join = CaseJoin.objects.get()
        undo = client.post(f"/faelle/{pair.older.pk}/zusammenfuehrung/{join.pk}/aufheben/")
        assert undo.status_code == 302
        assert "Möglicher Doppelfall" in client.get(f"/faelle/{pair.older.pk}/").text

    def test_others_get_404_and_workers_403(self, network: f.Network, pair: Pair) -> None:
        compare_url = f"/faelle/{pair.newer.pk}/doppelfall/{pair.older.pk}/"
        # The practice takes part in the newer case only; Bochum in neither.
        for user in (network.practice_doctor, network.bochum_coordinator, network.outsider):
            client = login(Client(), user)
            assert client.get(compare_url).status_code == 404
            assert client.post(f"{compare_url}zusammenfuehren/").status_code == 404
        practice = login(Client(), network.practice_doctor)
        assert "Doppelfall" not in practice.get(f"/faelle/{pair.newer.pk}/").text
        worker = login(Client(), network.dortmund_professional)
        assert worker.get(compare_url).status_code == 200
        assert worker.post(f"{compare_url}zusammenfuehren/").status_code == 403
        # Two cases that are not about one child are no pair.
        unrelated = f.make_case(
            network.dortmund_professional, network.dortmund, f.child_identity("Leon", "Yilmaz")
        )
        assert worker.get(f"/faelle/{pair.older.pk}/doppelfall/{unrelated.pk}/").status_code == 404
        assert not CaseJoin.objects.exists()

    def test_api(self, network: f.Network, pair: Pair) -> None:
        api = Client(headers={"Authorization": f"Token {f.api_key(network.dortmund_coordinator)}"})
        base = f"/api/v1/cases/{pair.newer.pk}"
        assert [d["id"] for d in api.get(f"{base}/duplicates/").json()] == [str(pair.older.pk)]
        sides = api.get(f"{base}/duplicates/{pair.older.pk}/").json()
        assert {s["title"] for s in sides} == {
            "Hinweis der Kita: Verdacht auf Vernachlässigung",
            "Hämatome am Rumpf",
        }
        joined = api.post(f"{base}/duplicates/{pair.older.pk}/join/")
        assert joined.status_code == 201 and joined.json()["into"] == str(pair.older.pk)
        assert api.get(f"/api/v1/cases/{pair.older.pk}/joins/").json()["joined"][0]["case"] == str(
            pair.newer.pk
        )
        undone = api.post(f"/api/v1/cases/{pair.older.pk}/joins/{joined.json()['id']}/undo/")
        assert undone.status_code == 200 and undone.json()["undone_at"]
        practice = Client(headers={"Authorization": f"Token {f.api_key(network.practice_doctor)}"})
        assert practice.get(f"{base}/duplicates/").json() == []
        assert practice.get(f"{base}/duplicates/{pair.older.pk}/").status_code == 404


def test_the_facts_read_with_the_case_are_what_their_expressions_answer(
    network: f.Network, pair: Pair
) -> None:
    """The participation facts' SQL is compiled once; each answers as its expression built anew."""
    services.lead_handover_request(
        actor=network.practice_doctor,
        access=_access(network.practice_doctor, pair.newer),
        to_organisation=network.dortmund,
        note="Übergabe an das Jugendamt",
    )
    for user, case in ((network.dortmund_coordinator, pair.newer), (network.practice_doctor, pair.newer)):
        access = queries.case_get_for(user, case.pk, with_facts=True)
        built = (
            Participation.objects.filter(pk=access.participation.pk)
            .annotate(**{name: exists() for name, exists in queries._PARTICIPATION_FACTS.items()})
            .values(*queries._PARTICIPATION_FACTS)
            .get()
        )
        assert {name: getattr(access.participation, name) for name in built} == built
        assert built[queries.MAY_HAVE_DUPLICATES] is (user == network.dortmund_coordinator)
        assert built[queries.HANDOVER_PENDING] is True


def test_a_fact_that_depends_on_the_request_is_refused(network: f.Network, pair: Pair) -> None:
    """A fact whose SQL would carry a value of the moment it was compiled (a date) cannot be kept."""
    facts = dict(queries._PARTICIPATION_FACTS)
    try:
        queries.register_participation_fact(
            "_recent",
            lambda: Exists(Case.objects.filter(pk=OuterRef("case_id"), created_at__gte=timezone.now())),
        )
        with pytest.raises(TypeError, match="_recent"):
            queries.case_get_for(network.dortmund_coordinator, pair.newer.pk, with_facts=True)
    finally:
        queries._PARTICIPATION_FACTS.clear()
        queries._PARTICIPATION_FACTS.update(facts)
        queries._COMPILED_FACTS.clear()
