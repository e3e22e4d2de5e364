"""Property: for random networks, cases and participations, every case URL and API endpoint gives a
user exactly what the policy allows — outsiders get 404 (the same as for a case that does not
exist), pseudonymised participants never receive a name, birth date or address."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from schutznetz.cases import queries, services
from schutznetz.cases.models import CaseRole, LegalBasis
from schutznetz.network.models import OrganisationKind, Role
from tests import factories as f
from tests.conftest import login
from tests.factories import api_key

KINDS = [
    OrganisationKind.YOUTH_OFFICE,
    OrganisationKind.CARE_PROVIDER,
    OrganisationKind.PAEDIATRIC_PRACTICE,
    OrganisationKind.CHILD_PROTECTION_CENTRE,
    OrganisationKind.SCHOOL,
]
# Distinctive names, so that finding one in a response cannot be a coincidence.
CHILDREN = [
    ("Quirinia", "Zwengelbach", "Xylophonweg 7"),
    ("Ottokar", "Plimsollt", "Quaggaallee 3"),
    ("Yolantha", "Brummschenk", "Zebrastieg 12"),
]

# Per organisation in a case: not involved, invited, declined, taking part with identity, pseudonymised.
PART = st.sampled_from(["none", "invited", "declined", "active", "pseudonymised"])


@dataclass
class Expect:
    allowed: bool
    identity: bool


def case_urls(case_id: object) -> tuple[list[str], list[str]]:
    gets = [
        f"/faelle/{case_id}/",
        f"/faelle/{case_id}/protokoll/",
        f"/api/v1/cases/{case_id}/",
        f"/api/v1/cases/{case_id}/audit/",
    ]
    posts = [
        f"/faelle/{case_id}/aufgaben/",
        f"/faelle/{case_id}/aufgaben/1/erledigen/",
        f"/faelle/{case_id}/aufgaben/1/uebertragen/",
        f"/faelle/{case_id}/beteiligte/",
        f"/faelle/{case_id}/uebergabe/",
        f"/faelle/{case_id}/uebergabe/1/",
        f"/faelle/{case_id}/abschliessen/",
        f"/faelle/{case_id}/sorgeberechtigte/",
        f"/api/v1/cases/{case_id}/guardians/",
        f"/api/v1/cases/{case_id}/participations/",
        f"/api/v1/cases/{case_id}/tasks/",
        f"/api/v1/cases/{case_id}/tasks/1/complete/",
        f"/api/v1/cases/{case_id}/tasks/1/reassign/",
        f"/api/v1/cases/{case_id}/handover/",
        f"/api/v1/cases/{case_id}/handover/1/answer/",
        f"/api/v1/cases/{case_id}/close/",
    ]
    return gets, posts


def identifying_strings(given: str, family: str, street: str, born: date) -> list[str]:
    return [given, family, street, born.isoformat(), born.strftime("%d.%m.%Y")]


class TestCaseAccessProperty(TestCase):
    # Examples are derandomized (repeatable in CI) and not shrunk (a failure prints its data anyway).
    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        kinds=st.lists(st.sampled_from(KINDS), min_size=2, max_size=4),
        cases=st.lists(
            st.tuples(st.integers(0, 3), st.lists(PART, min_size=4, max_size=4)), min_size=1, max_size=3
        ),
    )
    def test_every_case_endpoint_gives_what_the_policy_allows(self, kinds: list[str], cases: list) -> None:
        orgs = [f.make_org(kind=kind) for kind in kinds]
        users = []
        for org in orgs:
            user = f.make_user()
            f.make_member(user, org, Role.COORDINATOR)
            users.append(user)
        created = []
        for index, (lead_index, parts) in enumerate(cases):
            lead = lead_index % len(orgs)
            given_name, family, street = CHILDREN[index % len(CHILDREN)]
            born = date(2015, 1, 1) + timedelta(days=97 * index)
            case = f.make_case(
                users[lead],
                orgs[lead],
                identity=f.child_identity(given_name, family, born.isoformat(), street=street),
            )
            access = queries.case_get_for(users[lead], case.pk)
            expect = {users[lead].pk: Expect(True, True)}
            for other, part in enumerate(parts[: len(orgs)]):
                if other == lead or part == "none":
                    continue
                pseudonymised = part == "pseudonymised"
                p = services.participation_invite(
                    actor=users[lead],
                    access=access,
                    organisation=orgs[other],
                    role=CaseRole.SPECIALIST if pseudonymised else CaseRole.OTHER,
                    legal_basis=LegalBasis.KKG_4_2 if pseudonymised else LegalBasis.SGB8_65,
                    pseudonymised=pseudonymised,
                )
                if part in ("active", "pseudonymised", "declined"):
                    services.participation_respond(
                        actor=users[other], participation=p, accept=part != "declined"
                    )
                if part in ("active", "pseudonymised"):
                    expect[users[other].pk] = Expect(True, not pseudonymised)
            created.append((case, expect, identifying_strings(given_name, family, street, born)))

        for user in users:
            client = login(Client(), user)
            api = Client(headers={"Authorization": f"Token {api_key(user)}"})
            lists = [
                client.get("/faelle/").text,
                client.get("/aufgaben/").text,
                api.get("/api/v1/cases/").content.decode(),
                api.get("/api/v1/tasks/").content.decode(),
            ]
            for case, expect, secrets in created:
                e = expect.get(user.pk, Expect(False, False))
                self._check_case(client, api, case, e, secrets)
                for text in lists:
                    if not e.allowed:
                        assert str(case.pk) not in text, "a case id appeared in an outsider's list"
                    if not e.identity:
                        for secret in secrets:
                            assert secret not in text, f"{secret} leaked into a list"
        # and a case id nobody has gives the same answer as an outsider's
        gets, _ = case_urls(uuid.uuid4())
        client = login(Client(), users[0])
        for url in gets:
            assert client.get(url).status_code in (404, 401)

    def _check_case(self, client: Client, api: Client, case: object, e: Expect, secrets: list[str]) -> None:
        gets, posts = case_urls(case.pk)  # type: ignore[attr-defined]
        for url in gets:
            c = api if url.startswith("/api/") else client
            response = c.get(url)
            if not e.allowed:
                assert response.status_code == 404, url
                assert str(case.pk) not in response.content.decode()  # type: ignore[attr-defined]
            else:
                # The access log is the lead coordination's (others 403); a pseudonymised
                # participant learns nothing of it (404).
                log = "protokoll" in url or url.endswith("/audit/")
                assert response.status_code in ((404,) if log and not e.identity else (200, 403)), url
                if url.endswith(f"/{case.pk}/"):  # type: ignore[attr-defined]
                    # the case itself: the child's name exactly when the participation allows it
                    assert (secrets[1] in response.content.decode()) == e.identity, url
            if not e.identity:
                body = response.content.decode()
                for secret in secrets:
                    assert secret not in body, f"{secret} leaked at {url}"
        if not e.allowed:
            for url in posts:
                c = api if url.startswith("/api/") else client
                response = (
                    c.post(url, {}, content_type="application/json" if c is api else None)
                    if c is api
                    else c.post(url, {})
                )
                assert response.status_code == 404, f"POST {url}: {response.status_code}"


def test_timezone_is_aware() -> None:
    assert timezone.is_aware(timezone.now())
