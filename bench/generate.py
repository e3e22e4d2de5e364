"""Synthetic but realistic data for the benchmarks, loaded in bulk.

Children are made by ``people.identity.child_row`` — the same encryption, blind-index keys and
random pseudonyms as the services — and the audit trail is chained with ``audit.services``' keyed MAC,
so the data is like real data, only more of it. German names come from Faker's ``de_DE`` lists;
the given names are drawn from a small pool and family names from a skewed distribution, so that
phonetic look-alikes (Meier / Mayer / Maier) occur as they do in real registers.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from schutznetz.accounts.models import User
from schutznetz.audit.models import AuditAction, AuditEvent
from schutznetz.audit.services import seal
from schutznetz.cases.models import (
    Case,
    CaseRole,
    CaseState,
    LegalBasis,
    Participation,
    ParticipationStatus,
    Task,
    TimelineEntry,
)
from schutznetz.network.knowledge import services as knowledge_services
from schutznetz.network.models import (
    JurisdictionArea,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Urgency,
)
from schutznetz.people.identity import ChildIdentity, child_row
from schutznetz.people.models import Child
from schutznetz.people.vault import get_vault
from schutznetz.welfare.models import Intake, IntakeSource
from schutznetz.welfare.queries import REPORTER_KIND

BATCH = 2000
CASE_SHARE = 0.15  # 2 million cases for 14 million children
CLOSED_SHARE = 0.3
CASELOAD = 60  # cases per professional of a youth office (ASD caseloads are 30 to 80)
HEAVY_SHARE = 0.25  # the first youth office, a big city's, leads this share of all cases
PASSWORD = "benchmark-password-1"
OPEN_STATES = [s for s in CaseState.values if s != CaseState.CLOSED]


@dataclass
class World:
    """What the scenarios need to know about the generated data."""

    scale: int
    youth_offices: list[int] = field(default_factory=list)
    heavy_user: int = 0  # the professional with the most cases and tasks
    heavy_organisation: int = 0
    case_id: str = ""  # a case of the heavy user
    postal_code: str = ""  # a postal code with a competent youth office
    search_exact: dict[str, Any] = field(default_factory=dict)
    search_phonetic: dict[str, Any] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)


def _batches(items: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Names:
    """Skewed German names: few names are common, many are rare (as in real registers)."""

    def __init__(self, fake: Faker, rng: random.Random) -> None:
        self.rng = rng
        self.family = sorted({fake.last_name() for _ in range(5000)})
        self.given_female = sorted({fake.first_name_female() for _ in range(300)})
        self.given_male = sorted({fake.first_name_male() for _ in range(300)})

    def family_name(self) -> str:
        # Zipf-like: index ~ exponential, so Müller, Schmidt, Meier ... recur often.
        i = min(int(self.rng.expovariate(1 / 60)), len(self.family) - 1)
        return self.family[i]

    def given(self, sex: str) -> str:
        pool = self.given_female if sex == "female" else self.given_male
        return pool[min(int(self.rng.expovariate(1 / 40)), len(pool) - 1)]


def _organisations(scale: int, fake: Faker) -> dict[str, list[Organisation]]:
    counts = {
        OrganisationKind.YOUTH_OFFICE: max(3, scale // 20000),
        OrganisationKind.PAEDIATRIC_PRACTICE: max(3, scale // 10000),
        OrganisationKind.CARE_PROVIDER: max(2, scale // 50000),
        OrganisationKind.CHILD_PROTECTION_TEAM: max(1, scale // 100000),
    }
    orgs: dict[str, list[Organisation]] = {}
    for kind, n in counts.items():
        label = OrganisationKind(kind).label
        rows = [
            Organisation(
                name=f"{label} {fake.city()} {i + 1}",
                kind=kind,
                postal_code=f"{10000 + (i * 37) % 89999:05d}",
                city=fake.city(),
                street=fake.street_address(),
                phone=fake.phone_number()[:40],
            )
            for i in range(n)
        ]
        orgs[kind] = Organisation.objects.bulk_create(rows, batch_size=BATCH)
    return orgs


def _staff(org: Organisation, orgs: dict[str, list[Organisation]], scale: int) -> int:
    """Members of an organisation. Youth offices employ one professional per caseload of about
    ``CASELOAD`` cases, so that a professional's cases and tasks stay bounded as the data grows."""
    if org.kind != OrganisationKind.YOUTH_OFFICE:
        return 5
    offices = orgs[OrganisationKind.YOUTH_OFFICE]
    share = (
        HEAVY_SHARE + (1 - HEAVY_SHARE) / len(offices)
        if org == offices[0]
        else (1 - HEAVY_SHARE) / len(offices)
    )
    return max(5, round(scale * CASE_SHARE * share / CASELOAD) + 1)


def _members(orgs: dict[str, list[Organisation]], fake: Faker, scale: int) -> dict[int, list[User]]:
    password = make_password(PASSWORD)
    users, memberships, owners = [], [], []
    for organisations in orgs.values():
        for org in organisations:
            for j in range(_staff(org, orgs, scale)):
                username = f"u{org.pk}-{j}"
                users.append(
                    User(
                        username=username,
                        first_name=fake.first_name(),
                        last_name=fake.last_name(),
                        email=f"{username}@bench.invalid",
                        password=password,
                    )
                )
                owners.append((org, Role.COORDINATOR if j == 0 else Role.PROFESSIONAL))
    users = User.objects.bulk_create(users, batch_size=BATCH)
    by_org: dict[int, list[User]] = {}
    for user, (org, role) in zip(users, owners, strict=True):
        memberships.append(Membership(user=user, organisation=org, role=role, phone="0231 000"))
        by_org.setdefault(org.pk, []).append(user)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return by_org


def _jurisdiction(youth_offices: list[Organisation]) -> str:
    rows = [
        JurisdictionArea(youth_office=office, postal_code=f"{20000 + i * 10 + k:05d}")
        for i, office in enumerate(youth_offices)
        for k in range(10)
    ]
    JurisdictionArea.objects.bulk_create(rows, batch_size=BATCH)
    return rows[0].postal_code


def _children(scale: int, names: Names, rng: random.Random, world: World) -> list[tuple[int, Any]]:
    """Insert the children; returns (index, pk) of those that get a case."""
    seen: set[str] = set()
    start = time.perf_counter()
    chosen: list[tuple[int, Any]] = []
    today = timezone.localdate()

    def rows() -> Iterator[tuple[ChildIdentity, Child]]:
        for _ in range(scale):
            sex = rng.choice(["female", "male"])
            identity = ChildIdentity(
                given_name=names.given(sex),
                family_name=names.family_name(),
                birth_date=today - timedelta(days=rng.randint(0, 18 * 365)),
                sex=sex,
                street="Musterstraße 1",
                postal_code=f"{rng.randint(1067, 99998):05d}",
                city="Musterstadt",
            )
            child = child_row(identity)
            while child.pseudonym in seen:  # one in ~70,000 at national scale; drawn again
                child = child_row(identity)
            seen.add(child.pseudonym)
            yield identity, child

    index = 0
    for batch in _batches(rows()):
        Child.objects.bulk_create([c for _, c in batch], batch_size=BATCH)
        for identity, child in batch:
            if rng.random() < CASE_SHARE:
                chosen.append((index, child.pk))
            if index == 0:
                world.search_exact = {
                    "given_name": identity.given_name,
                    "family_name": identity.family_name,
                    "birth_date": identity.birth_date,
                }
            index += 1
    world.rates["children_per_s"] = scale / (time.perf_counter() - start)
    return chosen


def _cases(
    chosen: list[tuple[int, Any]],
    orgs: dict[str, list[Organisation]],
    members: dict[int, list[User]],
    rng: random.Random,
    world: World,
) -> None:
    offices = orgs[OrganisationKind.YOUTH_OFFICE]
    practices = orgs[OrganisationKind.PAEDIATRIC_PRACTICE]
    heavy = offices[0]
    heavy_user = members[heavy.pk][1]
    world.heavy_user, world.heavy_organisation = heavy_user.pk, heavy.pk
    now = timezone.now()
    start = time.perf_counter()
    last_event: AuditEvent | None = None
    for batch in _batches(iter(chosen), 1000):
        cases, participations, tasks, timeline, events, intakes = [], [], [], [], [], []
        for _, child_pk in batch:
            # The heavy office (a big city's) leads a share of the cases that grows with the data;
            # its professionals, the heavy user among them, each have a caseload of about CASELOAD.
            office = heavy if rng.random() < HEAVY_SHARE else offices[rng.randrange(len(offices))]
            lead = rng.choice(members[office.pk][1:])
            closed = rng.random() < CLOSED_SHARE
            case = Case(
                child_id=child_pk,
                state=CaseState.CLOSED if closed else rng.choice(OPEN_STATES),
                title="Mitteilung nach § 4 KKG",
                lead_organisation=office,
                lead_user=lead,
                created_by=lead,
                closed_at=now if closed else None,
                close_reason="Hilfe eingeleitet" if closed else "",
            )
            cases.append(case)
        Case.objects.bulk_create(cases, batch_size=BATCH)
        for case in cases:
            participations.append(
                Participation(
                    case=case,
                    organisation_id=case.lead_organisation_id,
                    role=CaseRole.YOUTH_OFFICE,
                    legal_basis=LegalBasis.OWN_TASK,
                    status=ParticipationStatus.ACTIVE,
                    invited_by_id=case.lead_user_id,
                )
            )
            practice = rng.choice(practices) if rng.random() < 0.5 else None
            intakes.append(_intake(case, practice, rng, now))
            if practice is not None:
                participations.append(
                    Participation(
                        case=case,
                        organisation=practice,
                        role=CaseRole.REPORTER,
                        legal_basis=LegalBasis.KKG_4_3,
                        status=ParticipationStatus.ACTIVE,
                        invited_by_id=case.lead_user_id,
                    )
                )
            for k in range(1 if case.closed_at else rng.randint(1, 3)):
                tasks.append(
                    Task(
                        case=case,
                        title=f"Schritt {k + 1}",
                        owner_id=case.lead_user_id,
                        owner_organisation_id=case.lead_organisation_id,
                        due_date=timezone.localdate() + timedelta(days=rng.randint(-10, 30)),
                        status="done" if case.closed_at else "open",
                        created_by_id=case.lead_user_id,
                    )
                )
            timeline.append(
                TimelineEntry(
                    case=case,
                    actor_id=case.lead_user_id,
                    organisation_id=case.lead_organisation_id,
                    kind="case_created",
                    text="Fall angelegt",
                )
            )
            for action, purpose in (
                (AuditAction.CREATE, "Fall anlegen"),
                (AuditAction.READ, "Fall einsehen"),
            ):
                event = AuditEvent(
                    at=now,
                    actor_id=case.lead_user_id,
                    organisation_id=case.lead_organisation_id,
                    action=action,
                    object_type="Case",
                    object_id=str(case.pk),
                    case_id=case.pk,
                    purpose=purpose,
                    details={},
                )
                last_event = seal(event, last_event)
                events.append(event)
            if not world.case_id and case.lead_user_id == heavy_user.pk and not case.closed_at:
                world.case_id = str(case.pk)
        Participation.objects.bulk_create(participations, batch_size=BATCH)
        Task.objects.bulk_create(tasks, batch_size=BATCH)
        TimelineEntry.objects.bulk_create(timeline, batch_size=BATCH)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        Intake.objects.bulk_create(intakes, batch_size=BATCH)
    world.rates["cases_per_s"] = len(chosen) / max(time.perf_counter() - start, 1e-9)


def _intake(case: Case, practice: Organisation | None, rng: random.Random, now: Any) -> Intake:
    """The report that opened the case: from the practice taking part (its professional is sealed,
    as ``intake_create`` seals them) or from someone outside the network, anonymously; first
    contact made, but for a few open cases whose report came in within the last days."""
    received_at = now - timedelta(days=rng.randint(0, 3) if rng.random() < 0.02 else rng.randint(4, 700))
    urgency = Urgency.URGENT if rng.random() < 0.2 else Urgency.NORMAL
    due_at = received_at + (timedelta(hours=4) if urgency == Urgency.URGENT else timedelta(days=3))
    waiting = case.closed_at is None and now - received_at < timedelta(days=4)
    intake = Intake(
        id=uuid.uuid4(),
        youth_office_id=case.lead_organisation_id,
        case=case,
        recorded_by_id=case.lead_user_id,
        received_at=received_at,
        source=IntakeSource.HEALTH if practice is not None else rng.choice(IntakeSource.values),
        urgency=urgency,
        account="Hämatome an beiden Oberarmen, Kind wirkt verängstigt.",
        reporter_organisation=practice,
        reporter_anonymous=practice is None,
        due_at=due_at,
        first_contact_at=None if waiting else due_at - timedelta(hours=1),
        first_contact_by_id=None if waiting else case.lead_user_id,
    )
    if practice is not None:
        record = {"name": "Dr. med. Anna Weber", "contact": "0231 123456"}
        intake.reporter_key_id, intake.reporter_sealed = get_vault().seal_bytes(
            json.dumps(record).encode(), kind=REPORTER_KIND, row_id=intake.pk
        )
    return intake


def _articles(scale: int, fake: Faker, author: User) -> None:
    topics = [
        "Misshandlungen erkennen",
        "Vernachlässigung im Kita-Alltag",
        "Sexualisierte Gewalt",
        "Frühe Hilfen",
    ]
    for i in range(max(20, scale // 1000)):
        knowledge_services.article_create(
            actor=author,
            title=f"{topics[i % len(topics)]} – {fake.sentence(nb_words=4)}",
            body=" ".join(fake.paragraphs(nb=3)) + f" {topics[i % len(topics)]}.",
            tags=["Bench"],
        )


@transaction.atomic
def generate(scale: int, seed: int = 8) -> World:
    """Fill an empty, migrated database with ``scale`` children and what belongs to them."""
    rng = random.Random(seed)
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    world = World(scale)
    orgs = _organisations(scale, fake)
    members = _members(orgs, fake, scale)
    world.youth_offices = [o.pk for o in orgs[OrganisationKind.YOUTH_OFFICE]]
    world.postal_code = _jurisdiction(orgs[OrganisationKind.YOUTH_OFFICE])
    chosen = _children(scale, Names(fake, rng), rng, world)
    _cases(chosen, orgs, members, rng, world)
    # The first child has a case of the heavy user's office only by chance: give it one for search.
    first_child = Child.objects.order_by("created_at", "pk").first()
    heavy_org = Organisation.objects.get(pk=world.heavy_organisation)
    heavy_user = User.objects.get(pk=world.heavy_user)
    if (
        first_child is not None
        and not Case.objects.filter(child=first_child, lead_organisation=heavy_org).exists()
    ):
        case = Case.objects.create(
            child=first_child,
            title="Suche",
            lead_organisation=heavy_org,
            lead_user=heavy_user,
            created_by=heavy_user,
        )
        Participation.objects.create(
            case=case,
            organisation=heavy_org,
            role=CaseRole.YOUTH_OFFICE,
            legal_basis=LegalBasis.OWN_TASK,
            status=ParticipationStatus.ACTIVE,
            invited_by=heavy_user,
        )
    exact = world.search_exact
    world.search_phonetic = {
        **exact,
        "family_name": exact["family_name"].replace("ei", "ai").replace("y", "i") + "",
    }
    admin = User.objects.create(username="bench-admin", password=make_password(PASSWORD), is_superuser=True)
    Membership.objects.create(user=admin, organisation=heavy_org, role=Role.ADMIN)
    _articles(scale, fake, admin)
    return world


def settle(*tables: str) -> None:
    """Leave the database (or these tables) as a running instance's would be after a bulk load:
    vacuumed (visibility map and hint bits set, as autovacuum leaves them) and analysed. Like
    pgbench, before timing."""
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(table) for table in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {names}")
