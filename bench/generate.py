"""Synthetic but realistic data for the benchmarks, loaded in bulk.

Children are made by ``people.identity.child_row`` — the same encryption, blind-index keys and
random pseudonyms as the services — and the audit trail is chained with ``audit.services``' keyed MAC,
so the data is like real data, only more of it. German names come from Faker's ``de_DE`` lists;
the given names are drawn from a small pool and family names from a skewed distribution, so that
phonetic look-alikes (Meier / Mayer / Maier) occur as they do in real registers.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import AutoField
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
CHUNK = 20000  # children per transaction of a loading process
LOADED_TITLE = "Mitteilung nach § 4 KKG"
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


@dataclass
class _Plan:
    """What a loading process needs to know of the network (inherited on fork)."""

    scale: int
    seed: int
    names: Names
    offices: list[int]  # youth offices; the first is the heavy one
    practices: list[int]
    members: dict[int, list[int]]  # organisation -> user ids, the coordinator first
    now: Any
    today: Any


_PLAN: _Plan | None = None


def _chunks(scale: int) -> list[tuple[int, int]]:
    """(chunk number, children in it): the load's units of work, each one transaction."""
    return [(k, min(CHUNK, scale - start)) for k, start in enumerate(range(0, scale, CHUNK))]


def _copy(model: type[Any], objs: list[Any]) -> None:
    """Write unsaved rows: COPY on PostgreSQL (the values prepared by the fields, as bulk_create
    prepares them), bulk_create elsewhere."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def _child_rows(plan: _Plan, rng: random.Random, count: int) -> list[tuple[ChildIdentity, Child]]:
    names = copy.copy(plan.names)
    names.rng = rng
    rows, seen = [], set()
    for _ in range(count):
        sex = rng.choice(["female", "male"])
        identity = ChildIdentity(
            given_name=names.given(sex),
            family_name=names.family_name(),
            birth_date=plan.today - timedelta(days=rng.randint(0, 18 * 365)),
            sex=sex,
            street="Musterstraße 1",
            postal_code=f"{rng.randint(1067, 99998):05d}",
            city="Musterstadt",
        )
        rows.append((identity, _drawn(identity, seen)))
    # Pseudonyms are random: at national scale one new child in ~70,000 draws one already given.
    # As the service does, such a child draws again.
    while connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pseudonym FROM people_child WHERE pseudonym = ANY(%s)",
                [[child.pseudonym for _, child in rows]],
            )
            taken = {row[0] for row in cursor.fetchall()}
        if not taken:
            break
        for i, (identity, child) in enumerate(rows):
            if child.pseudonym in taken:
                rows[i] = (identity, _drawn(identity, seen))
    return rows


def _drawn(identity: ChildIdentity, seen: set[str]) -> Child:
    """The child's row, with a pseudonym not drawn before in this chunk."""
    child = child_row(identity)
    while child.pseudonym in seen:
        child = child_row(identity)
    seen.add(child.pseudonym)
    return child


def _participation(
    case: Case,
    organisation: int,
    lead: int,
    role: str = CaseRole.YOUTH_OFFICE,
    basis: str = LegalBasis.OWN_TASK,
) -> Participation:
    """An organisation's active part in the case, invited by the lead (by default the leading youth
    office's own: its own task)."""
    return Participation(
        case=case,
        organisation_id=organisation,
        role=role,
        legal_basis=basis,
        status=ParticipationStatus.ACTIVE,
        invited_by_id=lead,
    )


def _load_chunk(chunk: tuple[int, int]) -> dict[str, Any]:
    """Load one chunk of children and the cases of about ``CASE_SHARE`` of them (with their
    participations, tasks, timeline and the report that opened each) in one transaction. Runs in a
    loading process; returns what the main process needs: the cases (for their audit events) and,
    from the first chunk, the first child."""
    number, count = chunk
    plan = _PLAN
    assert plan is not None
    rng = random.Random(plan.seed * 1_000_003 + number)
    heavy = plan.offices[0]
    with transaction.atomic():
        rows = _child_rows(plan, rng, count)
        _copy(Child, [child for _, child in rows])
        cases, participations, tasks, timeline, intakes = [], [], [], [], []
        for _, child in rows:
            if rng.random() >= CASE_SHARE:
                continue
            # The heavy office (a big city's) leads a share of the cases that grows with the data;
            # its professionals, the heavy user among them, each have a caseload of about CASELOAD.
            office = heavy if rng.random() < HEAVY_SHARE else plan.offices[rng.randrange(len(plan.offices))]
            lead = rng.choice(plan.members[office][1:])
            closed = rng.random() < CLOSED_SHARE
            case = Case(
                child_id=child.pk,
                state=CaseState.CLOSED if closed else rng.choice(OPEN_STATES),
                title=LOADED_TITLE,
                lead_organisation_id=office,
                lead_user_id=lead,
                created_by_id=lead,
                closed_at=plan.now if closed else None,
                close_reason="Hilfe eingeleitet" if closed else "",
            )
            cases.append(case)
            participations.append(_participation(case, office, lead))
            practice = rng.choice(plan.practices) if rng.random() < 0.5 else None
            intakes.append(_intake(case, practice, rng, plan.now))
            if practice is not None:
                participations.append(
                    _participation(case, practice, lead, CaseRole.REPORTER, LegalBasis.KKG_4_3)
                )
            for k in range(1 if closed else rng.randint(1, 3)):
                tasks.append(
                    Task(
                        case=case,
                        title=f"Schritt {k + 1}",
                        owner_id=lead,
                        owner_organisation_id=office,
                        due_date=plan.today + timedelta(days=rng.randint(-10, 30)),
                        status="done" if closed else "open",
                        created_by_id=lead,
                    )
                )
            timeline.append(
                TimelineEntry(
                    case=case,
                    actor_id=lead,
                    organisation_id=office,
                    kind="case_created",
                    text="Fall angelegt",
                )
            )
        _copy(Case, cases)
        for model, objs in (
            (Participation, participations),
            (Task, tasks),
            (TimelineEntry, timeline),
            (Intake, intakes),
        ):
            _copy(model, objs)
    first = rows[0] if number == 0 else None
    return {
        "cases": [(case.pk, case.lead_user_id, case.lead_organisation_id) for case in cases],
        "first": (first[1].pk, first[0]) if first else None,
    }


def _audit_events(cases: list[tuple[Any, int, int]], last: AuditEvent | None) -> AuditEvent | None:
    """The creation and first reading of each case, chained in the order they are written."""
    now = timezone.now()
    events = []
    for case_id, actor, organisation in cases:
        for action, purpose in ((AuditAction.CREATE, "Fall anlegen"), (AuditAction.READ, "Fall einsehen")):
            event = AuditEvent(
                at=now,
                actor_id=actor,
                organisation_id=organisation,
                action=action,
                object_type="Case",
                object_id=str(case_id),
                case_id=case_id,
                purpose=purpose,
                details={},
            )
            last = seal(event, last)
            events.append(event)
    with transaction.atomic():
        _copy(AuditEvent, events)
    return last


LOADED_TABLES = [Child, Case, Participation, Task, TimelineEntry, Intake, AuditEvent]


@contextmanager
def _indexes_built_after(models: list[type[Any]]) -> Iterator[None]:
    """Drop the tables' secondary indexes for the bulk load and build them afterwards (unique
    indexes stay: they guard the data as it comes in)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT x.indisunique",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


def _load(plan: _Plan, world: World, workers: int) -> tuple[Any, ChildIdentity]:
    """Children and cases, chunk by chunk, in ``workers`` processes (the main process chains the
    cases' audit events meanwhile); returns the first child's id and identity."""
    global _PLAN  # read by the forked loading processes
    _PLAN = plan
    chunks = _chunks(plan.scale)
    start = time.perf_counter()
    first: tuple[Any, ChildIdentity] | None = None
    last: AuditEvent | None = None
    case_count = 0
    with _indexes_built_after(LOADED_TABLES):
        if workers > 1 and connection.vendor == "postgresql":
            connections.close_all()  # each process opens its own
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.imap_unordered(_load_chunk, chunks)
                for result in results:
                    first = first or result["first"]
                    case_count += len(result["cases"])
                    last = _audit_events(result["cases"], last)
        else:
            for chunk in chunks:
                result = _load_chunk(chunk)
                first = first or result["first"]
                case_count += len(result["cases"])
                last = _audit_events(result["cases"], last)
        loaded = time.perf_counter() - start
    world.rates["children_per_s"] = plan.scale / loaded
    world.rates["cases_per_s"] = case_count / loaded
    world.rates["index_seconds"] = time.perf_counter() - start - loaded
    assert first is not None
    return first


def _intake(case: Case, practice: int | None, rng: random.Random, now: Any) -> Intake:
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
        reporter_organisation_id=practice,
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


def generate(scale: int, seed: int = 8, workers: int | None = None) -> World:
    """Fill an empty, migrated database with ``scale`` children and what belongs to them; children
    and cases in ``workers`` processes (default: one per core) on PostgreSQL."""
    rng = random.Random(seed)
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    world = World(scale)
    with transaction.atomic():
        orgs = _organisations(scale, fake)
        members = _members(orgs, fake, scale)
        world.postal_code = _jurisdiction(orgs[OrganisationKind.YOUTH_OFFICE])
    offices = orgs[OrganisationKind.YOUTH_OFFICE]
    world.youth_offices = [o.pk for o in offices]
    heavy_org = offices[0]
    heavy_user = members[heavy_org.pk][1]
    world.heavy_user, world.heavy_organisation = heavy_user.pk, heavy_org.pk
    plan = _Plan(
        scale=scale,
        seed=seed,
        names=Names(fake, rng),
        offices=world.youth_offices,
        practices=[o.pk for o in orgs[OrganisationKind.PAEDIATRIC_PRACTICE]],
        members={org: [u.pk for u in users] for org, users in members.items()},
        now=timezone.now(),
        today=timezone.localdate(),
    )
    first_child, identity = _load(plan, world, workers or os.cpu_count() or 1)
    world.search_exact = {
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "birth_date": identity.birth_date,
    }
    world.search_phonetic = {
        **world.search_exact,
        "family_name": identity.family_name.replace("ei", "ai").replace("y", "i"),
    }
    with transaction.atomic():
        # The first child (whom the search looks for) has a case of the heavy office only by chance.
        if not Case.objects.filter(child_id=first_child, lead_organisation=heavy_org).exists():
            case = Case.objects.create(
                child_id=first_child,
                title="Suche",
                lead_organisation=heavy_org,
                lead_user=heavy_user,
                created_by=heavy_user,
            )
            _participation(case, heavy_org.pk, heavy_user.pk).save()
        world.case_id = str(
            Case.objects.filter(lead_user=heavy_user, closed_at=None, title=LOADED_TITLE)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        admin = User.objects.create(
            username="bench-admin", password=make_password(PASSWORD), is_superuser=True
        )
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
