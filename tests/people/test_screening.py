"""Screening tells nobody who is in the identity vault: it refuses by patterns and by what the writer
already knows (their own cases), names the passage, and keeps refusals on record and in bounds."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.cases import queries
from schutznetz.people.screening import MSG_TOO_MANY, identifying_passages, screen_texts
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

MSG = "Personenbezug: {found}"


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


def _refused(text: str, **kwargs: object) -> list[str]:
    try:
        screen_texts(MSG, text=text, **kwargs)  # type: ignore[arg-type]
    except ValidationError as error:
        return error.messages
    return []


def test_a_child_in_the_vault_and_one_that_is_not_get_the_same_answer(world: f.CaseWorld) -> None:
    """The vault oracle: an outsider learned whether a named child exists. Now the answer depends on
    the text alone."""
    f.make_case(world.lead, world.network.dortmund, f.child_identity("Quirinia", "Zwengelbach"))
    outsider = world.outsider
    known = queries.known_identities(outsider)
    assert known == []
    assert _refused("Bericht zu Quirinia Zwengelbach", known=known) == []
    assert _refused("Bericht zu Quirinia Zwengelmann", known=known) == []


def test_the_writers_own_cases_are_refused(world: f.CaseWorld) -> None:
    known = queries.known_identities(world.lead)
    assert _refused("Familie Meier war nicht erreichbar", known=known) == ["Personenbezug: „Meier“"]
    assert _refused("Gespräch am 15.01.2021 vereinbart", known=known)  # the child's birth date
    assert _refused("Termin in der Schule", known=known) == []


@pytest.mark.parametrize(
    ("text", "passage"),
    [
        ("Das Kind, geb. 3.4.2019, besucht die Kita", "geb. 3.4.2019"),
        ("wohnt Münsterstraße 80 im zweiten Stock", "Münsterstraße 80"),
        ("Treffen Am Westpark 3a", "Am Westpark 3a"),
        ("Die Mutter Sabrina Kowalski rief an", "Sabrina Kowalski"),
    ],
)
def test_patterns_name_the_passage(db: object, text: str, passage: str) -> None:
    assert passage in identifying_passages(text)


def test_members_of_the_network_may_be_named(network: f.Network) -> None:
    assert identifying_passages("Julia Hoffmann berichtet aus dem ASD") == []
    assert identifying_passages("Der Runde Tisch tagt im Rathaus") == []


def test_refusals_are_audited_and_rate_limited(world: f.CaseWorld, client: Client) -> None:
    from schutznetz.meetings.models import Meeting

    login(client, world.network.admin)
    meeting = Meeting.objects.first()
    if meeting is None:
        from datetime import timedelta

        from schutznetz.meetings.services import meeting_create

        start = f.now() + timedelta(days=1)
        meeting = meeting_create(
            actor=world.network.admin,
            organiser=world.network.dortmund,
            kind="round_table",
            title="Runder Tisch",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            location="Rathaus",
        )
    url = reverse("api:meeting-minutes", args=[meeting.pk])
    body = {"minutes": "Frau Sabrina Kowalski, geb. 1.2.2020, berichtet", "decisions": ""}
    with override_settings(SCREENING_REFUSALS_PER_HOUR=2):
        for _ in range(2):
            response = client.put(url, body, content_type="application/json")
            assert response.status_code == 400
            assert "Sabrina Kowalski" in response.json()["minutes"][0]
        refusals = AuditEvent.objects.filter(action=AuditAction.REFUSE, actor=world.network.admin)
        assert refusals.count() == 2
        assert refusals.first().details["fields"] == ["minutes"]
        assert "Kowalski" not in str(refusals.first().details)
        clean = {"minutes": "Bericht aus den Einrichtungen", "decisions": ""}
        response = client.put(url, clean, content_type="application/json")
        assert response.status_code == 400
        assert MSG_TOO_MANY in str(response.json())


def test_a_pseudonymised_participant_cannot_probe_the_identity_behind_the_pseudonym(
    world: f.CaseWorld,
) -> None:
    """The consultant sees the case only pseudonymised: the family's name is no more "known" to her
    than to anyone, so naming it is not refused (a refusal would confirm it)."""
    known = queries.known_identities(world.consultant)
    assert known == []
    assert _refused("Familie Meier", known=known) == []
