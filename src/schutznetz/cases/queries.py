"""Reads of case data, always filtered by ``cases.policy``. Views and API read only through these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now, RowNumber
from django.http import Http404
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.audit.models import AuditEvent
from schutznetz.cases import policy, read_audit
from schutznetz.cases.models import (
    Case,
    CaseJoin,
    HandoverStatus,
    JoinDecision,
    LeadHandover,
    Participation,
    ParticipationStatus,
    Task,
    TaskStatus,
    TimelineEntry,
)
from schutznetz.cases.policy import CaseAccess
from schutznetz.kit.pagination import rows_of_page
from schutznetz.network.models import Membership, Organisation
from schutznetz.people.identity import (
    ChildIdentity,
    GuardianIdentity,
    child_identity,
    guardian_identity,
    index_keys,
)
from schutznetz.people.models import Child

NOT_FOUND = "Fall nicht gefunden."


def _current() -> Q:
    """A participation that still gives access: active, and not past its end (a read-only part after
    a handover on moving ends on its day)."""
    return Q(status=ParticipationStatus.ACTIVE) & (Q(valid_until__isnull=True) | Q(valid_until__gt=Now()))


def _my_participations(user: User) -> QuerySet[Participation]:
    return Participation.objects.filter(_current(), organisation_id__in=policy.organisation_ids(user))


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases one of the user's organisations takes part in."""
    return Case.objects.filter(id__in=_my_participations(user).values("case_id"))


def identity_cases(user: User) -> QuerySet[Case]:
    """Cases the user sees with the child's identity (not only pseudonymised)."""
    return Case.objects.filter(id__in=_my_participations(user).filter(pseudonymised=False).values("case_id"))


def known_identities(user: User) -> list[ChildIdentity | GuardianIdentity]:
    """The children and guardians of the cases the user sees with identity: what the user already
    knows, and must not write into texts for others (minutes, referrals, pseudonymised summaries)."""
    children = Child.objects.filter(cases__in=identity_cases(user)).distinct().prefetch_related("guardians")
    known: list[ChildIdentity | GuardianIdentity] = []
    for child in children:
        known.append(child_identity(child))
        known += [guardian_identity(g) for g in child.guardians.all()]
    return known


def identity_of(child: Child) -> ChildIdentity:
    return child_identity(child)


@dataclass(frozen=True)
class NextStep:
    """A list row's next step: the case's open task due first."""

    due_date: date
    title: str


@dataclass
class CaseRow:
    case: Case
    access: CaseAccess
    identity: ChildIdentity | None  # None: the user sees the pseudonym only
    next_task: NextStep | None

    @property
    def title(self) -> str:
        """The title for those who know the child; the pseudonymised summary for everyone else."""
        return self.case.title if self.identity else self.case.pseudonymised_summary

    @property
    def label(self) -> str:
        if self.identity:
            return f"{self.identity.full_name}, geb. {self.identity.birth_date:%d.%m.%Y}"
        return f"{self.case.child.pseudonym} (pseudonymisiert)"

    # A pseudonymised participant (an insoweit erfahrene Fachkraft) learns neither who leads the case
    # nor how far it has come: the consultation needs neither (as on the case page).
    @property
    def state(self) -> str | None:
        return self.case.state if self.identity else None

    @property
    def state_label(self) -> str:
        return self.case.get_state_display() if self.identity else "–"

    @property
    def lead_organisation_id(self) -> int | None:
        return self.case.lead_organisation_id if self.identity else None

    @property
    def lead_organisation_name(self) -> str | None:
        return self.case.lead_organisation.name if self.identity else None

    @property
    def lead_user_name(self) -> str | None:
        if not self.identity or self.case.lead_user is None:
            return None
        return self.case.lead_user.display_name


def _access_of(case: Case, mine: list[Participation]) -> CaseAccess:
    participation = policy.strongest(mine, case.lead_organisation_id)
    assert participation is not None
    return CaseAccess(case=case, participation=participation)


def _takes_part(user: User, case_ref: str, *, identity: bool = False) -> Exists:
    """One of the user's organisations takes part in the case ``case_ref`` points at.

    A correlated EXISTS probe per row (answered by the partial unique index on participations)
    instead of the set of every case the organisations see: a list then reads as many rows as it
    shows, however many cases a big youth office has.
    """
    participations = Participation.objects.filter(
        _current(), case_id=OuterRef(case_ref), organisation_id__in=policy.organisation_ids(user)
    )
    if identity:
        participations = participations.filter(pseudonymised=False)
    return Exists(participations)


def takes_part_with_identity(user: User, case_ref: str) -> Exists:
    """One of the user's organisations takes part, with identity, in the case ``case_ref`` points at
    (for the pathways' own records that belong to a case)."""
    return _takes_part(user, case_ref, identity=True)


# Open cases (no closing date) first, then the most recently closed, on every database (PostgreSQL
# and SQLite disagree where NULL goes unless told); newest first within each.
LIST_ORDER = (F("closed_at").desc(nulls_first=True), "-created_at")


def case_list_for(user: User, *, only_mine: bool = False) -> QuerySet[Case]:
    """'Meine Fälle' in list order (``LIST_ORDER``: open cases first): the cases alone, whose keys
    are sliced into pages; ``case_rows`` reads what a page's rows show. ``only_mine``: the
    cases the user leads or holds an open task in (the page's default); otherwise every case the
    user's organisations take part in."""
    cases = Case.objects.filter(_takes_part(user, "pk"))
    if only_mine:
        # The user's few cases from the lead and task-owner indexes, then joined: as a condition on
        # every case ("lead or holds a task") PostgreSQL walked all cases of the database in list
        # order to find them (30 ms at a million children; this is flat).
        led = Case.objects.filter(lead_user=user).values("pk")
        tasked = Task.objects.filter(owner=user, status=TaskStatus.OPEN, case__isnull=False).values("case_id")
        cases = cases.filter(pk__in=led.union(tasked))
    return cases.exclude(joined_away(user, "pk")).order_by(*LIST_ORDER)


def case_list_keys(user: User, *, only_mine: bool = False) -> QuerySet[Any, Any]:
    """The keys of the cases of ``case_list_for``, in list order (a page is a slice of them)."""
    return case_list_for(user, only_mine=only_mine).values_list("pk", flat=True)


def case_rows(user: User, keys: Sequence[UUID]) -> list[CaseRow]:
    """The rows of a page of ``case_list_for``, given by the keys of its cases in list order: each
    case with child, lead, the user's participations and its next open task.

    Only the columns a row shows are read, and of the open tasks only the next one's due date and
    title: building model instances for every column and every open task took longer than the
    database needed to answer (9.8 → 5.6 ms for a page of 25 at a million children)."""
    next_task = Task.objects.filter(case_id=OuterRef("pk"), status=TaskStatus.OPEN).order_by("due_date", "id")
    cases = rows_of_page(
        keys,
        Case.objects.select_related("child", "lead_organisation", "lead_user")
        .only(*_ROW_FIELDS)
        .annotate(
            next_due=Subquery(next_task.values("due_date")[:1]),
            next_title=Subquery(next_task.values("title")[:1]),
        )
        .prefetch_related(Prefetch("participations", queryset=_my_participations(user), to_attr="mine")),
    )
    rows = []
    for case in cases:
        mine: list[Participation] = case.mine  # type: ignore[attr-defined]  # Prefetch(to_attr=)
        access = _access_of(case, mine)
        identity = identity_of(case.child) if access.sees_identity else None
        due = case.next_due  # type: ignore[attr-defined]  # annotated
        step = NextStep(due, case.next_title) if due is not None else None  # type: ignore[attr-defined]
        rows.append(CaseRow(case, access, identity, step))
    return rows


# What a row of "Meine Fälle" shows (web page and API), and what its access and identity need.
_ROW_FIELDS = (
    "id",
    "state",
    "title",
    "pseudonymised_summary",
    "closed_at",
    "created_at",
    *(f"child__{name}" for name in Child.ROW_FIELDS),
    "lead_organisation__id",
    "lead_organisation__name",
    "lead_user__id",
    *(f"lead_user__{name}" for name in User.NAME_FIELDS),
)


# Facts about a participation that the case page asks on every view (is the findings report shared
# with this organisation, was it asked for a consultation, has it joined the case with another, ...),
# registered by the apps (``register_participation_fact``) and read with the participation in one
# query by ``case_get_for(..., with_facts=True)``: each is a correlated EXISTS on ``case_id`` and
# ``organisation_id``, set as an attribute of that name. Other reads leave them out (a policy asks
# the database itself when the attribute is missing).
_PARTICIPATION_FACTS: dict[str, Callable[[], Exists]] = {}


def register_participation_fact(name: str, exists: Callable[[], Exists]) -> None:
    _PARTICIPATION_FACTS[name] = exists
    _COMPILED_FACTS.clear()


# The facts' SQL by database vendor, compiled once: building and compiling their subqueries on each
# view cost the case page more than the database took to answer them. They depend on nothing of
# the request (only on the participation's columns and on constants; ``_compiled_facts`` checks).
_COMPILED_FACTS: dict[str, dict[str, tuple[str, tuple[Any, ...]]]] = {}
_CONSTANT_PARAMS = (bool, int, str)


def _compile_facts() -> dict[str, tuple[str, tuple[Any, ...]]]:
    query = Participation.objects.annotate(
        **{name: exists() for name, exists in _PARTICIPATION_FACTS.items()}
    ).query
    compiler = query.get_compiler(connection=connection)
    compiled = {}
    for name in _PARTICIPATION_FACTS:
        sql, params = compiler.compile(query.annotations[name])
        compiled[name] = (sql, tuple(params))
    return compiled


def _compiled_facts() -> dict[str, RawSQL]:
    """The participation facts as SQL for ``case_get_for``'s query, which joins the case and its
    child (``select_related``) under the same names as the query they are compiled in here. A fact
    that carries a value of the moment (a time, a date) is refused: compiled twice, it differs, or
    its value is not a constant of the code (on PostgreSQL a date stays a date)."""
    compiled = _COMPILED_FACTS.get(connection.vendor)
    if compiled is None:
        compiled = _compile_facts()
        again = _compile_facts()
        for name, (sql, params) in compiled.items():
            if again[name] != (sql, params) or not all(isinstance(p, _CONSTANT_PARAMS) for p in params):
                raise TypeError(f"participation fact {name} depends on a value of the request: {params}")
        _COMPILED_FACTS[connection.vendor] = compiled
    # The SQL is the ORM's own, compiled above from the registered expressions; no value in it
    # comes from a request.
    return {
        name: RawSQL(sql, params, output_field=BooleanField())  # noqa: S611
        for name, (sql, params) in compiled.items()
    }


def case_get_for(user: User, case_id: UUID | str, *, with_facts: bool = False) -> CaseAccess:
    """The case with the user's access to it, or 404 — the same 404 as for a case that does not exist
    (one query: the user's participations in it, with the case, and with the participation facts if
    asked)."""
    try:
        pk = UUID(str(case_id))
    except ValueError:
        raise Http404(NOT_FOUND) from None
    mine = list(
        _my_participations(user)
        .filter(case_id=pk)
        .select_related("case__child", "case__lead_organisation", "case__lead_user")
        .annotate(**(_compiled_facts() if with_facts else {}))
    )
    if not mine:
        raise Http404(NOT_FOUND)
    case = mine[0].case
    for participation in mine:
        participation.case = case
    access = _access_of(case, mine)
    read_audit.note_case_opened(user, access)
    return access


@dataclass
class GuardianRow:
    relation: str
    identity: GuardianIdentity
    pk: int


@dataclass
class CaseDetail:
    access: CaseAccess
    identity: ChildIdentity | None
    guardians: list[GuardianRow]
    participations: list[Participation]
    tasks: list[Task]
    timeline: list[TimelineEntry]
    pending_handover: LeadHandover | None

    @property
    def persons_shown(self) -> dict[str, object] | None:
        """Whose identity this detail shows, for the read event: the child by pseudonym and the
        guardians by id (None when it shows no identity)."""
        if self.identity is None:
            return None
        return {"child": self.access.case.child.pseudonym, "guardians": [g.pk for g in self.guardians]}

    # The lead and the state tell a pseudonymised specialist what happened beyond its consultation
    # (a Jugendamt leading says that it was told): shown to those who know the child only.
    @property
    def lead_organisation_id(self) -> int | None:
        return self.access.case.lead_organisation_id if self.identity else None

    @property
    def lead_user_id(self) -> int | None:
        return self.access.case.lead_user_id if self.identity else None

    @property
    def state(self) -> str | None:
        return self.access.case.state if self.identity else None

    @property
    def title(self) -> str:
        """The title for those who know the child; the pseudonymised summary for everyone else."""
        return self.access.case.title if self.identity else self.access.case.pseudonymised_summary

    @property
    def next_task(self) -> Task | None:
        """The case's next step: its open task due first (``tasks`` are ordered by due date)."""
        return next((t for t in self.tasks if t.status == TaskStatus.OPEN), None)

    @property
    def next_task_overdue(self) -> bool:
        task = self.next_task
        return task is not None and task.due_date < timezone.localdate()

    @property
    def handover_note(self) -> str:
        """The reason given for a pending handover: written for those who know the child."""
        if self.pending_handover is None or self.identity is None:
            return ""
        return self.pending_handover.note


TIMELINE_LIMIT = 100


# What a pseudonymised participant (the insoweit erfahrene Fachkraft) reads of the case's history:
# the pseudonymised case summary changing and what its own organisation did — an allowlist, so that
# a pathway's new entry (a report to the Jugendamt, an escalation naming who is on call, the § 4
# Abs. 4 feedback, another specialist's answer) never reaches it unless it is its own.
PSEUDONYMISED_TIMELINE_KINDS = ("summary_updated",)


def pseudonymised_timeline(organisation_id: int) -> Q:
    return Q(identifying=False) & (
        Q(kind__in=PSEUDONYMISED_TIMELINE_KINDS) | Q(organisation_id=organisation_id)
    )


def _shown_to(organisation_id: int) -> Q:
    """Timeline entries for every participant, and the organisation's own (``visible_to``)."""
    return Q(visible_to__isnull=True) | Q(visible_to_id=organisation_id)


def _participations_shown(access: CaseAccess) -> QuerySet[Participation]:
    """Who takes part: all of it for those who know the child; a pseudonymised participant sees its
    own part only — not who else was told (a Jugendamt taking part on a report says that a report was
    made). Who asked it is in its consultation."""
    shown = Participation.objects.filter(case=access.case).exclude(status=ParticipationStatus.DECLINED)
    if not access.sees_identity:
        shown = shown.filter(organisation_id=access.organisation_id)
    return shown.select_related("organisation").order_by("invited_at")


def case_detail(access: CaseAccess) -> CaseDetail:
    case = access.case
    timeline = (
        TimelineEntry.objects.filter(case=case)
        .filter(_shown_to(access.organisation_id))
        .select_related("actor", "organisation")
    )
    if not access.sees_identity:
        timeline = timeline.filter(pseudonymised_timeline(access.organisation_id))
    tasks = (
        Task.objects.filter(case=case)
        .select_related("owner", "owner_organisation")
        .order_by("status", "due_date", "id")
    )
    if not access.sees_identity:
        tasks = tasks.none()
    return CaseDetail(
        access=access,
        identity=identity_of(case.child) if access.sees_identity else None,
        guardians=[
            GuardianRow(g.get_relation_display(), guardian_identity(g), g.pk)
            for g in (case.child.guardians.order_by("created_at") if access.sees_identity else [])
        ],
        participations=list(_participations_shown(access)),
        tasks=list(tasks),
        timeline=list(timeline[:TIMELINE_LIMIT]),
        pending_handover=_pending_handover(access),
    )


HANDOVER_PENDING = "_handover_pending"


def _handover_pending() -> Exists:
    """A hand-over of the lead waits for its answer (at most one per case, by a partial index)."""
    return Exists(LeadHandover.objects.filter(case_id=OuterRef("case_id"), status=HandoverStatus.PENDING))


register_participation_fact(HANDOVER_PENDING, _handover_pending)


def _pending_handover(access: CaseAccess) -> LeadHandover | None:
    """The hand-over waiting for its answer (no query where the access was read knowing that there
    is none: most cases)."""
    if getattr(access.participation, HANDOVER_PENDING, True) is False:
        return None
    return (
        LeadHandover.objects.filter(case=access.case, status=HandoverStatus.PENDING)
        .select_related("to_organisation", "requested_by")
        .first()
    )


def task_list_for(user: User) -> QuerySet[Task]:
    """'Meine Aufgaben': the user's open tasks in open cases they still see with identity, and their
    action items from network meetings; overdue first (by due date)."""
    # "Open case" as a probe per task, not as a condition on the joined case: a condition on the
    # join made PostgreSQL hash all cases of the database for the user's few dozen tasks.
    open_case = Exists(Case.objects.filter(pk=OuterRef("case_id"), closed_at=None))
    return (
        Task.objects.filter(owner=user, status=TaskStatus.OPEN)
        .filter(
            Q(_takes_part(user, "case_id", identity=True), open_case)
            | Q(case__isnull=True, meeting__isnull=False)
        )
        .select_related("owner", "case__child", "case__lead_organisation", "meeting__organiser")
        .only(*_TASK_ROW_FIELDS)
        .order_by("due_date", "id")
    )


# What a row of "Meine Aufgaben" shows (web page, API, start page) and what its label and read
# record need: model instances of every column of the task, its case, child, organisation and
# meeting took longer to build than the database took to answer (10.5 → 5.4 ms for 26 rows at 1M).
_TASK_ROW_FIELDS = (
    "id",
    "title",
    "due_date",
    "status",
    "note",
    "completes_on",
    "owner_organisation",
    "owner__id",
    *(f"owner__{name}" for name in User.NAME_FIELDS),
    "case__id",
    *(f"case__child__{name}" for name in Child.ROW_FIELDS),
    "case__lead_organisation__id",
    "case__lead_organisation__name",
    "meeting__id",
    "meeting__title",
    "meeting__organiser__id",
    "meeting__organiser__name",
)


def task_label(task: Task) -> str:
    """Case tasks are listed only from cases the owner sees with identity."""
    if task.case is None:
        assert task.meeting is not None
        return f"Netzwerktreffen: {task.meeting.title}"
    identity = identity_of(task.case.child)
    return f"{identity.full_name}, geb. {identity.birth_date:%d.%m.%Y}"


@dataclass(frozen=True)
class Waiting:
    """What waits for the user in cases, for the start page."""

    open_tasks: int
    overdue_tasks: int
    next_tasks: list[Task]  # overdue first, at most NEXT_TASKS
    invitations: int  # invitations into cases waiting for the user's organisations
    handovers: int  # lead hand-overs waiting for the user's organisations


NEXT_TASKS = 5


def waiting_for(user: User, today: date) -> Waiting:
    """Counts and the next tasks, in four queries whatever the data size."""
    tasks = task_list_for(user)
    counts = tasks.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    return Waiting(
        open_tasks=counts["open"],
        overdue_tasks=counts["overdue"],
        next_tasks=list(tasks[:NEXT_TASKS]),
        invitations=invitations_for(user).count(),
        handovers=handovers_for(user).count(),
    )


def invitations_for(user: User) -> QuerySet[Participation]:
    """Invitations to the user's organisations (only the coordination can answer them)."""
    return (
        Participation.objects.filter(
            organisation_id__in=policy.organisation_ids(user), status=ParticipationStatus.INVITED
        )
        .select_related("case__child", "case__lead_organisation", "organisation", "invited_by")
        .order_by("-invited_at")
    )


def handovers_for(user: User) -> QuerySet[LeadHandover]:
    """Lead hand-overs waiting for an answer of one of the user's organisations (which take part in
    those cases; the case page answers them), the oldest request first."""
    return (
        LeadHandover.objects.filter(
            to_organisation_id__in=policy.organisation_ids(user), status=HandoverStatus.PENDING
        )
        .select_related("case__child", "from_organisation", "to_organisation", "requested_by")
        .order_by("requested_at", "pk")
    )


def invitation_get_for(user: User, pk: int) -> Participation:
    participation = invitations_for(user).filter(pk=pk).first()
    if participation is None:
        raise Http404("Einladung nicht gefunden.")
    return participation


def handover_get_for(user: User, pk: int, *, case: Case) -> LeadHandover:
    """A handover of ``case`` that the user's organisation may answer, or which belongs to a case the
    user sees."""
    handover = (
        LeadHandover.objects.filter(pk=pk, case=case)
        .filter(Q(to_organisation_id__in=policy.organisation_ids(user)) | Q(case__in=visible_cases(user)))
        .select_related("case", "to_organisation")
        .first()
    )
    if handover is None:
        raise Http404("Übergabe nicht gefunden.")
    return handover


def task_get_for(access: CaseAccess, pk: int) -> Task:
    """A task of the case the user has access to; any other id is a 404."""
    task = Task.objects.filter(case=access.case, pk=pk).first()
    if task is None:
        raise Http404("Aufgabe nicht gefunden.")
    return task


def audit_events_for(access: CaseAccess) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(case_id=access.case.pk)
        .select_related("actor", "organisation")
        .order_by("-id")
    )


@dataclass
class ChildMatch:
    child: Child
    identity: ChildIdentity
    exact: bool
    cases: list[Case]


def child_search_for(user: User, *, given_name: str, family_name: str, birth_date: date) -> list[ChildMatch]:
    """Children in cases the user sees with identity whose name and birth date match exactly or
    sound alike (Kölner Phonetik: Meier / Mayer / Maier, same birth month)."""
    keys = index_keys(given_name=given_name, family_name=family_name, birth_date=birth_date)
    scope = identity_cases(user)
    # Candidates by their keys first (a common name has hundreds), then a probe per candidate for a
    # case the user sees: a join to the cases made PostgreSQL read every case of the database.
    in_my_cases = Exists(
        Case.objects.filter(child_id=OuterRef("pk")).filter(_takes_part(user, "pk", identity=True))
    )
    children = (
        Child.objects.filter(
            Q(exact_key=keys.exact) | Q(fuzzy_family_month=keys.family_month) | Q(fuzzy_names=keys.names)
        )
        .filter(in_my_cases)
        .prefetch_related(
            Prefetch("cases", queryset=scope.select_related("lead_organisation"), to_attr="visible_cases")
        )
    )
    matches = [
        ChildMatch(child, identity_of(child), child.exact_key == keys.exact, child.visible_cases)
        for child in children[:50]
    ]
    return sorted(matches, key=lambda m: (not m.exact, m.identity.family_name, m.identity.given_name))


def identity_participant_ids(case_id: UUID) -> QuerySet[Participation, Any]:
    """The organisations taking part in the case with identity (a subquery of their ids)."""
    return Participation.objects.filter(
        _current(), case_id=case_id, pseudonymised=False, read_only=False
    ).values("organisation_id")


def case_staff(case_id: UUID) -> QuerySet[User]:
    """People of the organisations that take part in the case with identity: possible task owners."""
    user_ids = (
        Membership.objects.working()
        .filter(organisation_id__in=identity_participant_ids(case_id))
        .values("user_id")
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("last_name", "first_name")


def handover_candidates(case_id: UUID, *, exclude: int) -> QuerySet[Organisation]:
    """Organisations that may take over the lead: those taking part with identity, but the lead."""
    return Organisation.objects.filter(pk__in=identity_participant_ids(case_id)).exclude(pk=exclude)


# Likely duplicates: two cases of one organisation about the same child (cases/models.py, CaseJoin).


def _likely_same_child(child: Child) -> QuerySet[Child]:
    """Children the identity vault matches to ``child``: the same row, the same names and birth date
    (exact key), or names that sound alike with the same birth month (both phonetic keys)."""
    return Child.objects.filter(
        Q(pk=child.pk)
        | Q(exact_key=child.exact_key)
        | Q(fuzzy_names=child.fuzzy_names, fuzzy_family_month=child.fuzzy_family_month)
    )


def _works_on(organisation_id: int | OuterRef, case_ref: str) -> Exists:
    """The organisation takes part, with identity and not only reading the history, in the case."""
    return Exists(
        Participation.objects.filter(
            _current(),
            case_id=OuterRef(case_ref),
            organisation_id=organisation_id,
            pseudonymised=False,
            read_only=False,
        )
    )


def _decided(organisation_id: int) -> QuerySet[CaseJoin]:
    return CaseJoin.objects.filter(organisation_id=organisation_id, undone_at__isnull=True)


MAY_HAVE_DUPLICATES = "_may_have_duplicates"


def _may_have_duplicates() -> Exists:
    """Another open case that the participating organisation works on is on a child the vault matches
    to this case's child: what ``duplicates_for`` lists, but for the organisation's decisions. (Open
    cases of others on a matching child are common in a national register; they never show.)"""
    child = "case__child__"
    likely = Child.objects.filter(
        Q(exact_key=OuterRef(OuterRef(child + "exact_key")))
        | Q(
            fuzzy_names=OuterRef(OuterRef(child + "fuzzy_names")),
            fuzzy_family_month=OuterRef(OuterRef(child + "fuzzy_family_month")),
        )
    )
    return Exists(
        Case.objects.filter(closed_at=None, child__in=likely.values("pk"))
        .exclude(pk=OuterRef("case_id"))
        .filter(_works_on(OuterRef(OuterRef("organisation_id")), "pk"))
    )


register_participation_fact(MAY_HAVE_DUPLICATES, _may_have_duplicates)


def duplicates_for(access: CaseAccess) -> list[Case]:
    """The organisation's other open cases that are likely about this case's child and on which it
    has not decided yet: what the case page warns about (one query; none where the access was read
    knowing that no other open case is on a matching child: most cases)."""
    case = access.case
    if not access.sees_identity or access.participation.read_only or not case.is_open:
        return []
    if getattr(access.participation, MAY_HAVE_DUPLICATES, True) is False:
        return []
    org = access.organisation_id
    decided = _decided(org)
    return list(
        Case.objects.filter(child__in=_likely_same_child(case.child).values("pk"), closed_at=None)
        .exclude(pk=case.pk)
        .filter(_works_on(org, "pk"))
        .exclude(pk__in=decided.filter(case=case).values("into_id"))
        .exclude(pk__in=decided.filter(into=case).values("case_id"))
        .exclude(pk__in=decided.filter(decision=JoinDecision.JOINED).values("case_id"))
        .select_related("child", "lead_organisation")
        .order_by("created_at")[:5]
    )


def duplicate_pair_for(
    user: User, case_id: UUID | str, other_id: UUID | str
) -> tuple[CaseAccess, CaseAccess]:
    """A case and the other case of a likely duplicate, both seen by the same organisation with
    identity; 404 for any pair that is not one (whether or not the user sees the other case)."""
    access = case_get_for(user, case_id)
    return access, _duplicate_of(user, access, other_id)


def _duplicate_of(user: User, access: CaseAccess, other_id: UUID | str) -> CaseAccess:
    other = case_get_for(user, other_id)
    org = access.organisation_id
    same_org = other.organisation_id == org and other.sees_identity and access.sees_identity
    matches = same_org and _likely_same_child(access.case.child).filter(pk=other.case.child_id).exists()
    if not matches or other.case.pk == access.case.pk:
        raise Http404(NOT_FOUND)
    return other


@dataclass
class JoinedCase:
    join: CaseJoin
    access: CaseAccess
    open_tasks: list[Task]
    timeline: list[TimelineEntry]


@dataclass
class Joins:
    """What the case page shows of the organisation's joins: the case it was joined into, the cases
    joined into it (with what the organisation sees of them)."""

    into: CaseJoin | None
    joined: list[JoinedCase]


JOINED_TIMELINE = 5


HAS_JOINS = "_has_joins"


def _has_joins() -> Exists:
    """The participation's organisation has joined this case with another (either way)."""
    around = Q(case_id=OuterRef("case_id")) | Q(into_id=OuterRef("case_id"))
    return Exists(
        CaseJoin.objects.filter(
            around, organisation_id=OuterRef("organisation_id"), decision=JoinDecision.JOINED, undone_at=None
        )
    )


register_participation_fact(HAS_JOINS, _has_joins)


def joins_for(user: User, access: CaseAccess) -> Joins:
    """The organisation's joins around this case, limited to cases the user still takes part in
    (no query where the access was read knowing that there are none: most cases)."""
    if not access.sees_identity or getattr(access.participation, HAS_JOINS, True) is False:
        return Joins(None, [])
    org = access.organisation_id
    joins = list(
        _decided(org)
        .filter(Q(case=access.case) | Q(into=access.case), decision=JoinDecision.JOINED)
        .filter(_takes_part(user, "case_id", identity=True), _takes_part(user, "into_id", identity=True))
        .select_related(
            "case__child", "case__lead_organisation", "case__lead_user", "into__child", "decided_by"
        )
    )
    into = next((j for j in joins if j.case_id == access.case.pk), None)
    incoming = [j for j in joins if j.into_id == access.case.pk]
    if not incoming:
        return Joins(into, [])
    ids = [j.case_id for j in incoming]
    mine = list(_my_participations(user).filter(case_id__in=ids))
    tasks = Task.objects.filter(case_id__in=ids, status=TaskStatus.OPEN).select_related("owner")
    latest = Window(RowNumber(), partition_by=F("case_id"), order_by=[F("at").desc(), F("id").desc()])
    entries = (
        TimelineEntry.objects.filter(case_id__in=ids)
        .filter(_shown_to(org))
        .annotate(row=latest)
        .filter(row__lte=JOINED_TIMELINE)
        .select_related("organisation")
    )
    timeline: dict[UUID, list[TimelineEntry]] = {}
    for entry in entries:
        timeline.setdefault(entry.case_id, []).append(entry)
    joined = []
    for join in incoming:
        participations = [p for p in mine if p.case_id == join.case_id]
        if not participations:
            continue
        joined.append(
            JoinedCase(
                join,
                _access_of(join.case, participations),
                [t for t in tasks if t.case_id == join.case_id],
                timeline.get(join.case_id, []),
            )
        )
    return Joins(into, joined)


def join_get_for(access: CaseAccess, pk: int) -> CaseJoin:
    """A join of the user's organisation that involves this case; 404 otherwise."""
    join = (
        _decided(access.organisation_id)
        .filter(Q(case=access.case) | Q(into=access.case), pk=pk)
        .select_related("case", "into")
        .first()
    )
    if join is None:
        raise Http404("Zusammenführung nicht gefunden.")
    return join


def joined_away(user: User, case_ref: str) -> Exists:
    """The case was joined into another by one of the user's organisations: it leaves their lists."""
    return Exists(
        CaseJoin.objects.filter(
            case_id=OuterRef(case_ref),
            organisation_id__in=policy.organisation_ids(user),
            decision=JoinDecision.JOINED,
            undone_at__isnull=True,
        )
    )
