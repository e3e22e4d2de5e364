"""Every route of the project, as every demo role, with ids of records the role may reach, records of
other organisations and ids that do not exist (GET, and POST with an empty form).

- no response is a server error;
- a record the role may not see answers exactly as a record that does not exist (same status, same
  body), so that nobody learns that it exists — also a record of another case (meeting, conference)
  the role does reach, asked under the path of its own one (``world.sibling``);
- a pseudonymised participant receives no child's or guardian's name, birth date or address;
- every response that shows an identity has, in the same request, a read event on the case it belongs to;
- no response names a record the role may not see (another case's pseudonym, another user's
  message, a meeting, booking, referral or agreement of other organisations): lists lose no filter;
- every HTML page has unique ids and a name for every form field (``html_checks``).

The routes are taken from the URL resolver: a new route whose ids the crawl cannot fill in fails here.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from schutznetz.audit.models import AuditAction, AuditEvent
from tests.conftest import login
from tests.crawl import world as w
from tests.crawl.html_checks import html_problems

pytestmark = pytest.mark.django_db

# The Django admin is for staff only and not part of the network's pages (tests/accounts).
SKIPPED_PREFIXES = ("admin/",)

# The kind of record the first id of a route names, by the route's beginning.
PK_KINDS = [
    (r"^(faelle|api/v1/cases)/<uuid:pk>", "case"),
    (r"^(faelle/einladungen|api/v1/invitations)/<int:pk>", "invitation"),
    (r"^(treffen|api/v1/meetings)/<int:pk>", "meeting"),
    (r"^(sprechstunden/termine|api/v1/bookings)/<int:pk>", "booking"),
    (r"^(sprechstunden|api/v1/consultation-hours)/<int:pk>", "hour"),
    (r"^(hilfeangebote|api/v1/help-offers)/<int:pk>", "offer"),
    (r"^(vermittlungen|api/v1/referrals)/<int:pk>", "referral"),
    (r"^(netzwerk/organisationen|api/v1/organisations)/<int:pk>", "organisation"),
    (r"^api/v1/memberships/<int:pk>", "membership"),
    (r"^api/v1/on-call-shifts/<int:pk>", "shift"),
    (r"^(netzwerk/vereinbarungen|api/v1/agreements)/<int:pk>", "agreement"),
    (r"^(wissen|api/v1/knowledge/articles)/<int:pk>", "article"),
    (r"^(wissen/synonyme|api/v1/knowledge/synonyms)/<int:pk>", "synonym"),
    (r"^(konto/api-token|api/v1/me/tokens)/<int:pk>", "api_token"),
    (r"^(mitteilungen|api/v1/reports)/<uuid:report_pk>", "report"),
    (r"^(meldungen|api/v1/intakes)/<uuid:pk>", "intake"),
    (r"^(fallkonferenzen|api/v1/conferences)/<uuid:pk>", "conference"),
    (r"^(uebergaben|api/v1/moves)/<uuid:pk>", "move"),
    (r"^(krisen|api/v1/crises)/<uuid:pk>", "crisis"),
]
# Ids inside a record: (kind of the first id, name of the parameter) -> kind.
SUB_KINDS = {
    ("case", "task_pk"): "task",
    ("case", "other_pk"): "duplicate",
    ("case", "join_pk"): "case_join",
    ("case", "handover_pk"): "handover",
    ("case", "record_pk"): "findings",
    ("case", "photo_pk"): "photo",
    ("case", "consultation_pk"): "consultation",
    ("case", "share_pk"): "share",
    ("case", "version_pk"): "assessment_version",
    ("case", "care_pk"): "care_taking",
    ("case", "plan_pk"): "help_plan",
    ("conference", "attendee_pk"): "attendee",
    ("meeting", "task_pk"): "action_item",
    ("organisation", "channel_pk"): "channel",
    ("organisation", "membership_pk"): "membership",
    ("organisation", "shift_pk"): "shift",
    ("article", "attachment_pk"): "attachment",
}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # "faelle/<uuid:pk>/aufgaben/<int:task_pk>/erledigen/"
    kinds: tuple[tuple[str, str, str], ...]  # (parameter, converter, kind)

    def url(self, values: dict[str, Any]) -> str:
        def fill(match: re.Match[str]) -> str:
            return str(values[match.group(2)])

        return "/" + PARAM.sub(fill, self.template)


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, route, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", route


def routes() -> list[Route]:
    found: dict[str, Route] = {}
    for name, template in _patterns(get_resolver()):
        if template.startswith(SKIPPED_PREFIXES):
            continue
        params = PARAM.findall(template)
        kinds: list[tuple[str, str, str]] = []
        first = None
        for converter, param in params:
            if first is None:
                first = next((kind for regex, kind in PK_KINDS if re.match(regex, template)), None)
                kind = first
            else:
                kind = SUB_KINDS.get((first, param))
            assert kind is not None, (
                f"The crawl cannot fill in <{param}> of {template} ({name}): add it above."
            )
            kinds.append((param, converter or "str", kind))
        found.setdefault(template, Route(name, template, tuple(kinds)))
    return sorted(found.values(), key=lambda r: r.template)


def test_every_route_can_be_filled_in() -> None:
    assert len(routes()) > 100


def _missing(converter: str) -> object:
    return w.MISSING_UUID if converter == "uuid" else w.MISSING_INT


@dataclass
class Probe:
    url: str
    hidden: bool  # names a record the role may not see (compare with ``twin``)
    twin: str  # the same URL with the hidden id replaced by a missing one
    complete: bool  # every id names a record the role may reach
    case_content: bool = False  # complete, and through a case or a record of one (``w.CASE_CONTENT``)


def probes(route: Route, world: w.World, role: str) -> Iterator[Probe]:
    if not route.kinds:
        yield Probe(route.url({}), False, "", True)
        return
    own, other = world.own[role], world.other[role]
    values_own = {p: own.get(k) for p, _, k in route.kinds}
    if all(v is not None for v in values_own.values()):
        content = any(k in w.CASE_CONTENT for _, _, k in route.kinds)
        yield Probe(route.url(values_own), False, "", True, content)
    # Each position in turn: the parents the role's own (where there are), this id missing or hidden.
    for i, (param, converter, kind) in enumerate(route.kinds):
        parents = {}
        for p, c, k in route.kinds[:i]:
            parents[p] = own.get(k) if own.get(k) is not None else _missing(c)
        rest = {p: _missing(c) for p, c, _ in route.kinds[i + 1 :]}
        missing = route.url(parents | {param: _missing(converter)} | rest)
        yield Probe(missing, False, "", False)
        hidden = other.get(kind)
        if hidden is not None:
            yield Probe(route.url(parents | {param: hidden} | rest), kind in w.CONFIDENTIAL, missing, False)
    # A record of another case (meeting, conference) the role reaches, under its own one's path: an
    # existence oracle unless it answers as a missing id.
    if len(route.kinds) > 1 and all(own.get(k) is not None for _, _, k in route.kinds[:-1]):
        param, converter, kind = route.kinds[-1]
        sibling = world.sibling[role].get(kind)
        if sibling is not None and sibling != own.get(kind):
            parents = {p: own.get(k) for p, _, k in route.kinds[:-1]}
            missing = route.url(parents | {param: _missing(converter)})
            yield Probe(route.url(parents | {param: sibling}), True, missing, False)
    # A whole chain of records of another organisation.
    chain = {p: other.get(k) for p, _, k in route.kinds}
    if len(route.kinds) > 1 and all(v is not None for v in chain.values()):
        twin = route.url({p: _missing(c) for p, c, _ in route.kinds})
        confidential = any(k in w.CONFIDENTIAL for _, _, k in route.kinds)
        yield Probe(route.url(chain), confidential, twin, False)


@dataclass
class Answer:
    status: int
    body: str
    content_type: str
    events: list[AuditEvent]


# Encoded images and secrets (QR codes, base64): random letters that may spell a short name.
BLOBS = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+|[A-Za-z0-9+/=]{40,}")
TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|(nonce=")[^"]+|(csrfToken":\s*")[^"]+')


def _normalised(body: str, *ids: str) -> str:
    body = TOKENS.sub(lambda m: next(g for g in m.groups() if g), body)
    for value in ids:
        body = body.replace(value, "<id>")
    return body


def ask(client: Client, method: str, url: str) -> Answer:
    """One request, undone afterwards (a savepoint, and the session cookie kept: signing out is undone
    too), with the audit events it wrote."""
    cookies = copy.deepcopy(client.cookies)
    cache.clear()  # each request finds the cache as the database: as before any other request
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if method == "get":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.post(url, {})
        content_type = response.get("Content-Type", "")
        streamed = getattr(response, "streaming", False)
        raw = b"".join(response.streaming_content) if streamed else response.content  # type: ignore[attr-defined]
        if content_type.startswith("application/pdf"):
            body = _pdf_text(raw)  # a document is checked like a page
        else:
            body = BLOBS.sub("", raw.decode("utf-8", "replace")) if _is_text(content_type) else ""
        events = list(AuditEvent.objects.filter(id__gt=last))  # sealed or still waiting
        transaction.set_rollback(True)
    client.cookies = cookies
    return Answer(response.status_code, body, content_type, events)


def _pdf_text(raw: bytes) -> str:
    reader = PdfReader(io.BytesIO(raw))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _is_text(content_type: str) -> bool:
    return content_type.startswith(("text/", "application/json", "application/problem+json"))


@pytest.fixture
def world(db: Any) -> w.World:
    return w.build()


ROLE_NAMES = list(w.ROLES)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_crawl(role: str, world: w.World, client: Client) -> None:
    login(client, world.users[role])
    problems: list[str] = []
    seen = {"identity": 0, "hidden": 0, "requests": 0, "content": 0}
    for route in routes():
        for probe in probes(route, world, role):
            for method in ("get", "post"):
                answer = ask(client, method, probe.url)
                seen["requests"] += 1
                seen["identity"] += any(s in answer.body for i in world.identities for s in i.strings)
                where = f"{method.upper()} {probe.url} ({route.name})"
                if answer.status >= 500:
                    problems.append(f"{where}: {answer.status}")
                    continue
                if probe.hidden:
                    seen["hidden"] += 1
                    twin = ask(client, method, probe.twin)
                    ids = _ids(probe.url) | _ids(probe.twin)
                    if (answer.status, _normalised(answer.body, *ids)) != (
                        twin.status,
                        _normalised(twin.body, *ids),
                    ):
                        problems.append(
                            f"{where}: answers {answer.status}, a missing id {twin.status} "
                            "(a hidden record must answer as a missing one)"
                        )
                problems += _identity_problems(world, role, where, answer)
                if method == "get" and probe.case_content and answer.status == 200:
                    seen["content"] += 1
                    if not any(e.action == AuditAction.READ and e.case_id for e in answer.events):
                        problems.append(f"{where}: shows a case's content without a read event of the case")
                if answer.content_type.startswith("text/html"):
                    problems += [f"{where}: {p}" for p in html_problems(answer.body)]
                problems += [
                    f"{where}: shows {text!r}, of a record the role may not see"
                    for text in world.forbidden[role]
                    if text in answer.body
                ]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    # The crawl reached what it is meant to check.
    assert seen["hidden"] > 20, seen
    if world.own[role]["case"] and role not in w.PSEUDONYMISED_ROLES:
        assert seen["identity"] > 5, seen
    if world.own[role]["case"]:
        assert seen["content"] > 5, seen


def _ids(url: str) -> set[str]:
    return set(re.findall(r"/([0-9a-f-]{36}|\d+)(?=/|$|\.)", url))


def _identity_problems(world: w.World, role: str, where: str, answer: Answer) -> list[str]:
    """A shown child must be named (by pseudonym) and a shown guardian (by id) in a read event of the
    same request."""
    problems = []
    for identity in world.identities:
        shown = [s for s in identity.strings if s in answer.body]
        if not shown:
            continue
        if role in w.PSEUDONYMISED_ROLES:
            problems.append(f"{where}: shows {shown[0]!r} to a pseudonymised participant")
            continue
        named = " ".join(json.dumps(e.details, sort_keys=True) for e in answer.events)
        child = [s for s in identity.child_strings if s in answer.body]
        if child and identity.pseudonym not in named:
            problems.append(f"{where}: shows {child[0]!r} without a read event naming {identity.pseudonym}")
        for guardian_id, strings in identity.guardian_strings.items():
            guardian = [s for s in strings if s in answer.body]
            listed = any(guardian_id in _guardians(e.details) for e in answer.events)
            if guardian and not listed:
                problems.append(
                    f"{where}: shows {guardian[0]!r} without a read event naming guardian {guardian_id}"
                )
    return problems


def _guardians(details: dict[str, Any]) -> list[int]:
    persons = details.get("persons")
    return list(persons.get("guardians", [])) if isinstance(persons, dict) else []
