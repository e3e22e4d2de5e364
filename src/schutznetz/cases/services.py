"""Writes to cases. Each service checks the policy, keeps the invariants, and writes the audit
trail, the timeline and the notifications in the same transaction:

- an open case has exactly one lead organisation and one lead person, and at least one open task
  with an owner and a due date;
- the lead changes only when the receiving organisation accepts;
- nothing is deleted: tasks are completed or cancelled, participations end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object, audit_read
from schutznetz.cases import policy
from schutznetz.cases.models import (
    Case,
    CaseJoin,
    CaseRole,
    CaseState,
    HandoverStatus,
    JoinDecision,
    LeadHandover,
    LegalBasis,
    Participation,
    ParticipationStatus,
    Task,
    TaskStatus,
    TaskTrigger,
    TimelineEntry,
    bases_open_to,
    must_be_pseudonymised,
)
from schutznetz.cases.policy import CaseAccess
from schutznetz.cases.queries import CaseRow, known_identities
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import HandoverKind, Membership, Organisation, OrganisationKind, Urgency
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify
from schutznetz.people.identity import (
    ChildIdentity,
    GuardianIdentity,
    child_identity,
    child_reseal,
    child_row,
    guardian_identity,
    guardian_seal,
    index_keys,
)
from schutznetz.people.models import Child, Guardian, GuardianRelation
from schutznetz.people.screening import screen_texts

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_NOT_A_MEMBER = "Sie handeln nicht für diese Organisation."
MSG_READ_ONLY = policy.MSG_READ_ONLY
MSG_DUE_MISSING = (
    "Bitte ein Fälligkeitsdatum angeben: jeder offene Fall braucht einen datierten nächsten Schritt."
)
MSG_DUE_PAST = "Das Fälligkeitsdatum liegt in der Vergangenheit."
MSG_TITLE_MISSING = "Bitte die Aufgabe benennen."
MSG_OWNER_OUTSIDE = (
    "Die Person gehört zu keiner Organisation, die mit Personenbezug an diesem Fall beteiligt ist."
)
MSG_LAST_TASK = (
    "Das ist die letzte offene Aufgabe. Bitte den nächsten Schritt mit Zuständigkeit und Fälligkeit "
    "anlegen oder den Fall abschließen."
)
MSG_TASK_CLOSED = "Die Aufgabe ist bereits abgeschlossen."
MSG_ALREADY_PARTICIPATING = "Diese Organisation ist bereits beteiligt oder eingeladen."
MSG_BASIS_NOT_OPEN = (
    "Diese Rechtsgrundlage steht einer Einrichtung der Art „{kind}“ nicht offen: § 4 KKG gilt für die dort "
    "genannten Berufe; Kita und Vereine handeln nach § 8a Abs. 4 SGB VIII."
)
MSG_INVITATION_ANSWERED = "Diese Einladung wurde bereits beantwortet."
MSG_ONLY_LEAD = policy.MSG_ONLY_LEAD
MSG_HANDOVER_NOT_PARTICIPANT = (
    "Die Fallführung kann nur an eine mit Personenbezug beteiligte Organisation übergeben werden."
)
MSG_HANDOVER_SELF = "Ihre Organisation führt den Fall bereits."
MSG_HANDOVER_PENDING = "Es ist bereits eine Übergabe angefragt."
MSG_HANDOVER_ANSWERED = "Diese Übergabe wurde bereits beantwortet."
MSG_LEAD_USER_OUTSIDE = "Die fallführende Person muss zur übernehmenden Organisation gehören."
MSG_CLOSE_REASON = "Bitte den Grund für den Abschluss angeben."
MSG_CLOSE_OPEN_TASKS = "Es sind noch Aufgaben offen. Bitte vermerken, warum sie entfallen."
MSG_CASE_CLOSED = "Der Fall ist abgeschlossen."
MSG_JOIN_COORDINATION = "Über Doppelfälle entscheidet die Koordination der Organisation."
MSG_JOIN_DECIDED = "Über diese beiden Fälle ist bereits entschieden."
MSG_JOIN_CLOSED = "Zusammengeführt werden nur offene Fälle."
MSG_JOIN_TAKEN = "Dieser Fall ist bereits mit einem anderen Fall zusammengeführt."
MSG_JOIN_UNDO_LATE = "Eine Zusammenführung kann nur innerhalb von {days} Tagen aufgehoben werden."
MSG_JOIN_UNDONE = "Die Zusammenführung ist bereits aufgehoben."
JOIN_UNDO_DAYS = CaseJoin.UNDO_DAYS
MSG_SUMMARY_IDENTIFYING = (
    "Die pseudonymisierte Fallschilderung enthält Angaben, die das Kind oder die Familie erkennbar "
    "machen könnten ({found}). Bitte ohne Namen, Geburtsdaten und Anschriften formulieren."
)
MSG_REASON_IDENTIFYING = (
    "Der Anlass wird vor der Annahme gelesen und darf das Kind nicht erkennbar machen ({found}). "
    "Bitte ohne Namen, Geburtsdaten und Anschriften beschreiben."
)
# The hand-over of an agreement whose response time an invitation has, by its legal basis.
INVITATION_KINDS: dict[str, str] = {
    LegalBasis.KKG_4_3: HandoverKind.REPORT_TO_YOUTH_OFFICE,
    LegalBasis.KKG_4_2: HandoverKind.CONSULTATION,
}


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _membership(actor: User, organisation: Organisation) -> Membership:
    membership = (
        Membership.objects.working()
        .filter(user=actor, organisation=organisation, organisation__is_active=True)
        .first()
    )
    if membership is None or not actor.is_active:
        raise PermissionDenied(MSG_NOT_A_MEMBER)
    return membership


def timeline_add(
    case: Case,
    actor: User | None,
    organisation_id: int | None,
    kind: str,
    text: str,
    *,
    identifying: bool = False,
    visible_to: int | None = None,
) -> None:
    """An entry on the case's timeline (the pathways write theirs through this too); ``visible_to``
    keeps an organisation's own entry from the other participants."""
    TimelineEntry.objects.create(
        case=case,
        actor=actor,
        organisation_id=organisation_id,
        kind=kind,
        text=text,
        identifying=identifying,
        visible_to_id=visible_to,
    )


def _audit(
    actor: User,
    organisation_id: int | None,
    action: str,
    obj: object,
    purpose: str,
    case: Case,
    **details: object,
) -> None:
    audit_object(actor, organisation_id, action, obj, purpose, case_id=case.pk, **details)


def _answered(
    case: Case,
    actor: User,
    answer: Participation | LeadHandover,
    organisation: Organisation,
    *,
    kind: str,
    said: str,
    purpose: str,
    asked_by: User,
    title: str,
) -> None:
    """An organisation answered a request (invitation, handover): timeline, audit, and the asker told."""
    timeline_add(case, actor, organisation.pk, kind, f"{organisation.name} {said}")
    _audit(actor, organisation.pk, AuditAction.UPDATE, answer, purpose, case)
    notify(
        recipients=[asked_by],
        kind=kind,
        subject_id=case.pk,
        title=title,
        body=f"{organisation.name} {said}.",
        url=reverse("cases:detail", args=[case.pk]),
    )


def _require_edit(actor: User, access: CaseAccess) -> None:
    if not access.case.is_open:
        raise ValidationError(MSG_CASE_CLOSED)
    if not policy.can_edit_case(actor, access):
        raise PermissionDenied(MSG_READ_ONLY)


def _identity_organisations(case: Case) -> set[int]:
    return set(
        Participation.objects.filter(
            case=case, status=ParticipationStatus.ACTIVE, pseudonymised=False, read_only=False
        ).values_list("organisation_id", flat=True)
    )


def _owner_organisation(case: Case, owner: User) -> int:
    """The organisation a task owner acts for in this case; they must see the case with identity."""
    allowed = _identity_organisations(case)
    for membership in Membership.objects.working().filter(user=owner, organisation_id__in=allowed):
        if owner.is_active:
            return membership.organisation_id
    raise _error("owner", MSG_OWNER_OUTSIDE)


def _validate_task(title: str, due_date: date | None) -> date:
    """The due date, once title and date pass the rules."""
    if not title.strip():
        raise _error("title", MSG_TITLE_MISSING)
    if due_date is None:
        raise _error("due_date", MSG_DUE_MISSING)
    if due_date < timezone.localdate():
        raise _error("due_date", MSG_DUE_PAST)
    return due_date


def _new_task(
    case: Case, actor: User, title: str, owner: User, due_date: date | None, completes_on: str = ""
) -> Task:
    due_date = _validate_task(title, due_date)
    owner_organisation_id = _owner_organisation(case, owner)
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        owner=owner,
        owner_organisation_id=owner_organisation_id,
        due_date=due_date,
        created_by=actor,
        completes_on=completes_on,
    )
    if owner.pk != actor.pk:
        notify(
            recipients=[owner],
            kind="task_assigned",
            subject_id=case.pk,
            title=f"Neue Aufgabe im Fall {case.child.pseudonym}",
            body=f"Ihnen wurde eine Aufgabe mit Fälligkeit {due_date:%d.%m.%Y} zugewiesen.",
            url=reverse("cases:detail", args=[case.pk]),
        )
    return task


DEFAULT_ROLE = {
    OrganisationKind.YOUTH_OFFICE: CaseRole.YOUTH_OFFICE,
    OrganisationKind.PAEDIATRIC_PRACTICE: CaseRole.MEDICAL,
    OrganisationKind.CHILD_PROTECTION_TEAM: CaseRole.MEDICAL,
    OrganisationKind.CHILD_PSYCHIATRY_CLINIC: CaseRole.MEDICAL,
    OrganisationKind.CARE_PROVIDER: CaseRole.CARE_PROVIDER,
}


# Pseudonyms are random (32^8 values): at national scale (14 million children) one new child in
# about 70,000 draws a taken one, so the insert is retried with a fresh draw.
PSEUDONYM_TRIES = 5


@transaction.atomic
def child_create(*, actor: User, identity: ChildIdentity) -> Child:
    for attempt in range(PSEUDONYM_TRIES):
        child = child_row(identity)
        try:
            with transaction.atomic():
                child.save(force_insert=True)
        except IntegrityError:
            if attempt == PSEUDONYM_TRIES - 1:
                raise
            continue
        return child
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class FirstTask:
    title: str
    due_date: date | None
    owner: User | None = None
    completes_on: str = ""  # a TaskTrigger: the event that completes it by itself


@transaction.atomic
def case_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    first_task: FirstTask,
    identity: ChildIdentity | None = None,
    child: Child | None = None,
) -> Case:
    """Open a case for a child (new or found by search); the acting organisation leads it."""
    _membership(actor, organisation)
    if not title.strip():
        raise _error("title", "Bitte den Anlass des Falls angeben.")
    _validate_task(first_task.title, first_task.due_date)
    if child is None:
        if identity is None:
            raise _error("child", "Bitte das Kind angeben.")
        child = child_create(actor=actor, identity=identity)
    case = Case.objects.create(
        child=child, title=title.strip(), lead_organisation=organisation, lead_user=actor, created_by=actor
    )
    Participation.objects.create(
        case=case,
        organisation=organisation,
        role=DEFAULT_ROLE.get(OrganisationKind(organisation.kind), CaseRole.REPORTER),
        legal_basis=LegalBasis.OWN_TASK,
        status=ParticipationStatus.ACTIVE,
        invited_by=actor,
        responded_by=actor,
        responded_at=timezone.now(),
        valid_from=timezone.now(),
    )
    _new_task(
        case, actor, first_task.title, first_task.owner or actor, first_task.due_date, first_task.completes_on
    )
    timeline_add(
        case,
        actor,
        organisation.pk,
        "case_created",
        f"Fall angelegt von {organisation.name}: {case.title}",
        identifying=True,  # the title is written for participants who know the child
    )
    _audit(actor, organisation.pk, AuditAction.CREATE, case, "Fall anlegen", case, child=str(child.pk))
    return case


@transaction.atomic
def guardian_add(*, actor: User, access: CaseAccess, relation: str, identity: GuardianIdentity) -> Guardian:
    """Record a custodial parent or legal representative of the case's child (encrypted)."""
    _require_edit(actor, access)
    if not identity.given_name.strip() or not identity.family_name.strip():
        raise _error("family_name", "Bitte Vor- und Familiennamen angeben.")
    if relation not in GuardianRelation.values:
        raise _error("relation", "Bitte angeben, ob die Person sorgeberechtigt oder Vormund ist.")
    guardian = Guardian.objects.create(child=access.case.child, relation=relation)
    guardian_seal(guardian, identity)
    guardian.save(update_fields=["key_id", "identity"])
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "guardian_added",
        f"{guardian.get_relation_display()} erfasst: {identity.full_name}",
        identifying=True,
    )
    _audit(
        actor,
        access.organisation_id,
        AuditAction.CREATE,
        guardian,
        "Personensorgeberechtigte erfassen",
        access.case,
    )
    return guardian


@transaction.atomic
def participation_invite(
    *,
    actor: User,
    access: CaseAccess,
    organisation: Organisation,
    role: str,
    legal_basis: str,
    pseudonymised: bool = False,
    summary: str = "",
    reason: str = "",
    urgency: str = Urgency.NORMAL,
) -> Participation:
    """Invite an organisation into the case; it takes part once it accepts.

    ``summary``: the case as pseudonymised participants may read it (instead of the title and every
    other free text written for those who know the child); screened for identifiers.
    ``reason`` and ``urgency``: what the invited organisation reads before it answers (screened too);
    the answer is due within the agreements' response time (reminded, then escalated).
    """
    _require_edit(actor, access)
    case = access.case
    inviter = access.participation.organisation
    if legal_basis not in bases_open_to(inviter.kind):
        raise _error("legal_basis", MSG_BASIS_NOT_OPEN.format(kind=inviter.get_kind_display()))
    reason = reason.strip()
    if reason:
        screen_case_text(actor, case, MSG_REASON_IDENTIFYING, reason=reason)
    if summary.strip():
        pseudonymised_summary_set(actor=actor, access=access, summary=summary)
    # The insoweit erfahrene Fachkraft never learns who the child is, whatever box was left unticked.
    pseudonymised = pseudonymised or must_be_pseudonymised(role, legal_basis)
    if Participation.objects.filter(
        case=case,
        organisation=organisation,
        status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACTIVE],
    ).exists():
        raise _error("organisation", MSG_ALREADY_PARTICIPATING)
    terms = response_terms(
        sender=access.participation.organisation,
        receiver=organisation,
        kind=INVITATION_KINDS.get(legal_basis, HandoverKind.CASE_INVITATION),
        urgency=urgency,
    )
    participation = Participation.objects.create(
        case=case,
        organisation=organisation,
        role=role,
        legal_basis=legal_basis,
        pseudonymised=pseudonymised,
        invited_by=actor,
        reason=reason,
        urgency=urgency,
        respond_by=terms.deadline,
    )
    timeline_add(
        case,
        actor,
        access.organisation_id,
        "participation_invited",
        f"{organisation.name} eingeladen als {participation.get_role_display()} "
        f"({participation.get_legal_basis_display()}{', pseudonymisiert' if pseudonymised else ''})",
    )
    _audit(
        actor,
        access.organisation_id,
        AuditAction.DISCLOSE,
        participation,
        "Beteiligung anfragen",
        case,
        organisation=organisation.pk,
        legal_basis=legal_basis,
        pseudonymised=pseudonymised,
    )
    notify(
        recipients=coordinators_of(organisation.pk),
        kind="participation_invited",
        subject_id=case.pk,
        title=f"Einladung zur Mitarbeit im Fall {case.child.pseudonym}"
        + (" (dringend)" if urgency == Urgency.URGENT else ""),
        body=f"{actor.display_name} lädt Ihre Organisation als {participation.get_role_display()} ein"
        + (f": {reason}" if reason else ".")
        + f" Antwort erbeten bis {timezone.localtime(terms.deadline):%d.%m.%Y %H:%M} Uhr.",
        url=reverse("cases:invitations"),
    )
    if _consults_specialist(participation):
        # "IeF hinzugezogen (angefragt oder am Fall beteiligt)": asking is enough, as the label says.
        tasks_complete_on(
            case,
            TaskTrigger.SPECIALIST_CONSULTED,
            actor,
            access.organisation_id,
            because=f"{organisation.name} ist als insoweit erfahrene Fachkraft angefragt.",
        )
    return participation


def _consults_specialist(participation: Participation) -> bool:
    """An insoweit erfahrene Fachkraft asked: by role or by the basis of § 4 Abs. 2 KKG."""
    return participation.role == CaseRole.SPECIALIST or participation.legal_basis == LegalBasis.KKG_4_2


@transaction.atomic
def pseudonymised_summary_set(*, actor: User, access: CaseAccess, summary: str) -> Case:
    """Write the case as pseudonymised participants read it: without names, birth dates, addresses."""
    _require_edit(actor, access)
    case = access.case
    summary = summary.strip()
    screen_case_text(actor, case, MSG_SUMMARY_IDENTIFYING, pseudonymised_summary=summary)
    if summary != case.pseudonymised_summary:
        case.pseudonymised_summary = summary
        case.save(update_fields=["pseudonymised_summary"])
        timeline_add(
            case,
            actor,
            access.organisation_id,
            "summary_updated",
            "Pseudonymisierte Fallschilderung aktualisiert",
        )
        _audit(
            actor, access.organisation_id, AuditAction.UPDATE, case, "Pseudonymisierte Fallschilderung", case
        )
    return case


def screen_case_text(actor: User, case: Case, message: str, **texts: str) -> None:
    """Refuse text for pseudonymised readers that names the case's child or guardians (or those of the
    writer's other cases), or looks like any name, birth date or address."""
    child = child_identity(case.child)
    guardians = [guardian_identity(g) for g in case.child.guardians.all()]
    screen_texts(message, actor=actor, known=[child, *guardians, *known_identities(actor)], **texts)


@transaction.atomic
def participation_respond(*, actor: User, participation: Participation, accept: bool) -> Participation:
    if not policy.can_respond_for(actor, participation.organisation_id):
        raise PermissionDenied("Einladungen beantwortet die Koordination der eingeladenen Organisation.")
    participation = (
        Participation.objects.select_for_update()
        .select_related("case__child", "organisation")
        .get(pk=participation.pk)
    )
    if participation.status != ParticipationStatus.INVITED:
        raise ValidationError(MSG_INVITATION_ANSWERED)
    now = timezone.now()
    participation.status = ParticipationStatus.ACTIVE if accept else ParticipationStatus.DECLINED
    participation.responded_by, participation.responded_at = actor, now
    participation.valid_from = now if accept else None
    participation.save(update_fields=["status", "responded_by", "responded_at", "valid_from"])
    case = participation.case
    _answered(
        participation.case,
        actor,
        participation,
        participation.organisation,
        kind="participation_answered",
        said="nimmt teil" if accept else "hat die Einladung abgelehnt",
        purpose="Einladung annehmen" if accept else "Einladung ablehnen",
        asked_by=participation.invited_by,
        title=f"Antwort auf Ihre Einladung im Fall {case.child.pseudonym}",
    )
    if accept:
        _joined(case, actor, participation)
    return participation


def _joined(case: Case, actor: User, participation: Participation) -> None:
    """What an organisation's joining the case settles: the Jugendamt informed (§ 4 Abs. 3 KKG), an
    experienced specialist consulted (§ 4 Abs. 2 KKG) — the case's state and the tasks that waited for it."""
    organisation = participation.organisation
    if organisation.kind == OrganisationKind.YOUTH_OFFICE and not participation.pseudonymised:
        if participation.legal_basis == LegalBasis.KKG_4_3:
            state_advance(case, actor, organisation.pk, CaseState.REPORTED)
        tasks_complete_on(
            case,
            TaskTrigger.YOUTH_OFFICE_INFORMED,
            actor,
            organisation.pk,
            because=f"{organisation.name} ist am Fall beteiligt.",
        )
    if _consults_specialist(participation):
        state_advance(case, actor, organisation.pk, CaseState.CONSULTATION)
        tasks_complete_on(
            case,
            TaskTrigger.SPECIALIST_CONSULTED,
            actor,
            organisation.pk,
            because=f"{organisation.name} berät als insoweit erfahrene Fachkraft.",
        )


@transaction.atomic
def task_create(
    *,
    actor: User,
    access: CaseAccess,
    title: str,
    owner: User,
    due_date: date | None,
    completes_on: str = "",
) -> Task:
    _require_edit(actor, access)
    task = _new_task(access.case, actor, title, owner, due_date, completes_on)
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "task_created",
        f"Aufgabe „{task.title}“ für {owner.display_name}, fällig {task.due_date:%d.%m.%Y}",
        identifying=True,
    )
    _audit(actor, access.organisation_id, AuditAction.CREATE, task, "Aufgabe anlegen", access.case)
    return task


def _open_task(access: CaseAccess, task_id: int) -> Task:
    task = Task.objects.select_for_update().filter(pk=task_id, case=access.case).first()
    if task is None:
        from django.http import Http404

        raise Http404("Aufgabe nicht gefunden.")
    if task.status != TaskStatus.OPEN:
        raise ValidationError(MSG_TASK_CLOSED)
    return task


@transaction.atomic
def task_complete(
    *, actor: User, access: CaseAccess, task: Task, note: str = "", next_task: FirstTask | None = None
) -> Task:
    """Mark a task done. The last open task of an open case needs a next dated step."""
    _require_edit(actor, access)
    task = _open_task(access, task.pk)
    others_open = Task.objects.filter(case=access.case, status=TaskStatus.OPEN).exclude(pk=task.pk).exists()
    if next_task is not None and (next_task.title.strip() or next_task.due_date):
        _new_task(
            access.case,
            actor,
            next_task.title,
            next_task.owner or actor,
            next_task.due_date,
            next_task.completes_on,
        )
    elif not others_open:
        raise _error("next_task", MSG_LAST_TASK)
    task.status, task.completed_by, task.completed_at, task.note = (
        TaskStatus.DONE,
        actor,
        timezone.now(),
        note.strip(),
    )
    task.save(update_fields=["status", "completed_by", "completed_at", "note"])
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "task_done",
        f"Aufgabe „{task.title}“ erledigt",
        identifying=True,
    )
    _audit(actor, access.organisation_id, AuditAction.UPDATE, task, "Aufgabe erledigen", access.case)
    return task


@transaction.atomic
def task_reassign(
    *, actor: User, access: CaseAccess, task: Task, owner: User, due_date: date | None = None
) -> Task:
    _require_edit(actor, access)
    task = _open_task(access, task.pk)
    due = due_date or task.due_date
    if due_date is not None:
        _validate_task(task.title, due_date)
    task.owner_organisation_id = _owner_organisation(access.case, owner)
    previous = task.owner
    task.owner, task.due_date, task.reminder_sent_at, task.escalated_at = owner, due, None, None
    task.save(update_fields=["owner", "owner_organisation", "due_date", "reminder_sent_at", "escalated_at"])
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "task_reassigned",
        f"Aufgabe „{task.title}“ von {previous.display_name} an {owner.display_name}, fällig {due:%d.%m.%Y}",
        identifying=True,
    )
    _audit(actor, access.organisation_id, AuditAction.UPDATE, task, "Aufgabe übertragen", access.case)
    if owner.pk != actor.pk:
        notify(
            recipients=[owner],
            kind="task_assigned",
            subject_id=access.case.pk,
            title=f"Aufgabe übertragen im Fall {access.case.child.pseudonym}",
            body=f"Ihnen wurde eine Aufgabe mit Fälligkeit {due:%d.%m.%Y} übertragen.",
            url=reverse("cases:detail", args=[access.case.pk]),
        )
    return task


@transaction.atomic
def lead_handover_request(
    *, actor: User, access: CaseAccess, to_organisation: Organisation, note: str = ""
) -> LeadHandover:
    """Ask another participating organisation to take over the lead. Until it accepts, nothing changes."""
    if not policy.can_manage_lead(actor, access):
        raise PermissionDenied(MSG_ONLY_LEAD)
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    if to_organisation.pk == case.lead_organisation_id:
        raise _error("to_organisation", MSG_HANDOVER_SELF)
    if to_organisation.pk not in _identity_organisations(case):
        raise _error("to_organisation", MSG_HANDOVER_NOT_PARTICIPANT)
    if case.handovers.filter(status=HandoverStatus.PENDING).exists():
        raise _error("to_organisation", MSG_HANDOVER_PENDING)
    terms = response_terms(
        sender=access.participation.organisation,
        receiver=to_organisation,
        kind=HandoverKind.LEAD_HANDOVER,
        urgency=Urgency.NORMAL,
    )
    handover = LeadHandover.objects.create(
        case=case,
        from_organisation_id=case.lead_organisation_id,
        to_organisation=to_organisation,
        requested_by=actor,
        note=note.strip(),
        respond_by=terms.deadline,
    )
    timeline_add(
        case,
        actor,
        access.organisation_id,
        "handover_requested",
        f"Übergabe der Fallführung an {to_organisation.name} angefragt",
    )
    _audit(
        actor, access.organisation_id, AuditAction.CREATE, handover, "Fallführung übergeben (Anfrage)", case
    )
    notify(
        recipients=coordinators_of(to_organisation.pk),
        kind="handover_requested",
        subject_id=case.pk,
        title=f"Übernahme der Fallführung angefragt (Fall {case.child.pseudonym})",
        body=f"{actor.display_name} bittet Ihre Organisation, die Fallführung zu übernehmen. Antwort "
        f"erbeten bis {timezone.localtime(terms.deadline):%d.%m.%Y %H:%M} Uhr.",
        url=reverse("cases:detail", args=[case.pk]),
    )
    return handover


@transaction.atomic
def lead_handover_respond(
    *, actor: User, handover: LeadHandover, accept: bool, lead_user: User | None = None
) -> LeadHandover:
    """The receiving organisation accepts (and names the lead person) or declines."""
    if not policy.can_respond_for(actor, handover.to_organisation_id):
        raise PermissionDenied("Die Übernahme beantwortet die Koordination der angefragten Organisation.")
    handover = (
        LeadHandover.objects.select_for_update()
        .select_related("case__child", "to_organisation")
        .get(pk=handover.pk)
    )
    if handover.status != HandoverStatus.PENDING:
        raise ValidationError(MSG_HANDOVER_ANSWERED)
    case = Case.objects.select_for_update().get(pk=handover.case_id)
    if not case.is_open:
        # A closed case has no lead to take over; reopening is a decision of its own.
        raise ValidationError(MSG_CASE_CLOSED)
    now = timezone.now()
    if accept:
        lead_user = lead_user or actor
        if (
            not Membership.objects.working()
            .filter(user=lead_user, organisation_id=handover.to_organisation_id)
            .exists()
        ):
            raise _error("lead_user", MSG_LEAD_USER_OUTSIDE)
        case.lead_organisation_id, case.lead_user = handover.to_organisation_id, lead_user
        case.save(update_fields=["lead_organisation", "lead_user"])
    handover.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.DECLINED
    handover.responded_by, handover.responded_at = actor, now
    handover.save(update_fields=["status", "responded_by", "responded_at"])
    _answered(
        case,
        actor,
        handover,
        handover.to_organisation,
        kind="handover_answered",
        said="übernimmt die Fallführung" if accept else "lehnt die Übernahme der Fallführung ab",
        purpose="Fallführung übernehmen" if accept else "Fallführung ablehnen",
        asked_by=handover.requested_by,
        title=f"Fallführung im Fall {handover.case.child.pseudonym}",
    )
    if accept:
        _lead_taken(case, actor, handover.to_organisation)
    return handover


def _lead_taken(case: Case, actor: User, organisation: Organisation, *, follow_up: bool = True) -> None:
    """A new lead settles the tasks that waited for it; the Jugendamt leading the case assesses the
    risk (§ 8a Abs. 1 SGB VIII) and has, of course, been informed."""
    because = f"{organisation.name} hat die Fallführung übernommen."
    triggers = [TaskTrigger.LEAD_HANDED_OVER]
    if organisation.kind == OrganisationKind.YOUTH_OFFICE:
        state_advance(case, actor, organisation.pk, CaseState.RISK_ASSESSMENT)
        triggers.append(TaskTrigger.YOUTH_OFFICE_INFORMED)
    for trigger in triggers:
        tasks_complete_on(case, trigger, actor, organisation.pk, because=because, follow_up=follow_up)


# The states a case moves through in order; an event moves it forward, never back.
STATE_ORDER = list(CaseState.values)


FOLLOW_UP_TITLE = "Fall sichten und nächsten Schritt festlegen"
FOLLOW_UP_DAYS = 3


def tasks_complete_on(
    case: Case,
    trigger: str,
    actor: User,
    organisation_id: int | None,
    *,
    because: str,
    follow_up: bool = True,
) -> list[Task]:
    """Complete the open tasks that wait for ``trigger`` (a ``TaskTrigger``): the step was done
    elsewhere. Each is on the timeline with what completed it; if none is left open, the case's lead
    person (else the owner of the completed task) gets a dated next step, so that the case never
    stands without one (unless the caller sets the next step itself: ``follow_up=False``)."""
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .filter(case=case, status=TaskStatus.OPEN, completes_on=trigger)
        .order_by("pk")
    )
    if not tasks:
        return []
    now = timezone.now()
    for task in tasks:
        task.status, task.completed_at, task.note = TaskStatus.DONE, now, f"Erledigt: {because}"
        task.completed_by = actor
        task.save(update_fields=["status", "completed_by", "completed_at", "note"])
        timeline_add(
            case,
            actor,
            organisation_id,
            "task_done",
            f"Aufgabe „{task.title}“ erledigt: {because}",
            identifying=True,
        )
        _audit(actor, organisation_id, AuditAction.UPDATE, task, "Aufgabe durch Ereignis erledigen", case)
    if follow_up and case.is_open and not Task.objects.filter(case=case, status=TaskStatus.OPEN).exists():
        due = timezone.localdate(now) + timedelta(days=FOLLOW_UP_DAYS)
        for owner in [u for u in (case.lead_user, tasks[-1].owner) if u is not None]:
            try:
                next_step = _new_task(case, actor, FOLLOW_UP_TITLE, owner, due)
            except ValidationError:  # no longer in the case: the next one in line
                continue
            break
        else:
            return tasks  # nobody in the case can hold it: it shows without a next step
        timeline_add(
            case,
            actor,
            organisation_id,
            "task_created",
            f"Aufgabe „{next_step.title}“ für {owner.display_name}, fällig {due:%d.%m.%Y}",
            identifying=True,
        )
    return tasks


def state_advance(case: Case, actor: User, organisation_id: int | None, state: str) -> None:
    """Move an open case forward to ``state`` (a report sent, a report received); a case already
    further on stays where it is."""
    if case.is_open and STATE_ORDER.index(state) > STATE_ORDER.index(case.state):
        case.state = state
        case.save(update_fields=["state"])
        timeline_add(case, actor, organisation_id, "state", f"Stand: {CaseState(state).label}")


@transaction.atomic
def lead_take_over(
    *,
    actor: User,
    case: Case,
    organisation: Organisation,
    requested_by: User,
    role: str,
    legal_basis: str,
    note: str,
) -> Participation:
    """A hand-over the sending side asked for by sending it (a report to the Jugendamt, § 4 Abs. 3
    KKG), accepted by the receiving organisation: it takes part with identity and takes the lead, the
    acting person leads. Recorded as a hand-over requested by the sender and accepted by the receiver;
    other pending hand-overs of the case are withdrawn."""
    _membership(actor, organisation)
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(MSG_CASE_CLOSED)
    now = timezone.now()
    participation = (
        Participation.objects.select_for_update()
        .filter(
            case=case,
            organisation=organisation,
            status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACTIVE],
        )
        .first()
    )
    if participation is not None and participation.pseudonymised:
        # A pseudonymised part (a consultation) ends: the organisation now takes part with identity.
        participation.status, participation.valid_until = ParticipationStatus.ENDED, now
        participation.save(update_fields=["status", "valid_until"])
        _audit(actor, organisation.pk, AuditAction.UPDATE, participation, "Beteiligung beenden", case)
        participation = None
    if participation is None:
        participation = Participation.objects.create(
            case=case,
            organisation=organisation,
            role=role,
            legal_basis=legal_basis,
            invited_by=requested_by,
            status=ParticipationStatus.ACTIVE,
            responded_by=actor,
            responded_at=now,
            valid_from=now,
        )
        _audit(actor, organisation.pk, AuditAction.CREATE, participation, "Beteiligung übernehmen", case)
    elif participation.status == ParticipationStatus.INVITED:
        participation.status = ParticipationStatus.ACTIVE
        participation.responded_by, participation.responded_at, participation.valid_from = actor, now, now
        participation.save(update_fields=["status", "responded_by", "responded_at", "valid_from"])
        _audit(actor, organisation.pk, AuditAction.UPDATE, participation, "Einladung annehmen", case)
    if case.lead_organisation_id != organisation.pk:
        case.handovers.filter(status=HandoverStatus.PENDING).update(status=HandoverStatus.WITHDRAWN)
        handover = LeadHandover.objects.create(
            case=case,
            from_organisation_id=case.lead_organisation_id,
            to_organisation=organisation,
            requested_by=requested_by,
            note=note,
            status=HandoverStatus.ACCEPTED,
            responded_by=actor,
            responded_at=now,
        )
        case.lead_organisation, case.lead_user = organisation, actor
        case.save(update_fields=["lead_organisation", "lead_user"])
        _audit(actor, organisation.pk, AuditAction.UPDATE, handover, "Fallführung übernehmen", case)
        timeline_add(
            case,
            actor,
            organisation.pk,
            "handover_answered",
            f"{organisation.name} übernimmt die Fallführung",
        )
        # The callers (a report acknowledged, a move accepted) set the new lead's first step.
        _lead_taken(case, actor, organisation, follow_up=False)
    return participation


@transaction.atomic
def case_close(*, actor: User, access: CaseAccess, reason: str, open_tasks_note: str = "") -> Case:
    """Close the case with its reason; open tasks lapse with a recorded explanation."""
    if not policy.can_manage_lead(actor, access):
        raise PermissionDenied(MSG_ONLY_LEAD)
    if not reason.strip():
        raise _error("reason", MSG_CLOSE_REASON)
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    open_tasks = Task.objects.filter(case=case, status=TaskStatus.OPEN)
    if open_tasks.exists():
        if not open_tasks_note.strip():
            raise _error("open_tasks_note", MSG_CLOSE_OPEN_TASKS)
        open_tasks.update(
            status=TaskStatus.CANCELLED,
            note=open_tasks_note.strip(),
            completed_by=actor,
            completed_at=timezone.now(),
        )
    case.state, case.closed_at, case.close_reason = CaseState.CLOSED, timezone.now(), reason.strip()
    case.save(update_fields=["state", "closed_at", "close_reason"])
    timeline_add(
        case,
        actor,
        access.organisation_id,
        "case_closed",
        f"Fall abgeschlossen: {case.close_reason}",
        identifying=True,
    )
    _audit(actor, access.organisation_id, AuditAction.UPDATE, case, "Fall abschließen", case)
    return case


def record_read(*, actor: User, object_type: str, purpose: str, **details: object) -> None:
    """A read that spans cases (lists, search) is on record too: which cases or how many hits."""
    action = AuditAction.SEARCH if object_type == "Child" else AuditAction.READ
    audit_read(actor=actor, object_type=object_type, purpose=purpose, action=action, **details)


def case_list_record_read(*, actor: User, rows: list[CaseRow], purpose: str) -> None:
    """A page of "Meine Fälle" is on record with its cases and the children whose identity it
    showed (by pseudonym)."""
    record_read(
        actor=actor,
        object_type="CaseList",
        purpose=purpose,
        cases=[str(r.case.pk) for r in rows],
        persons={"children": [r.case.child.pseudonym for r in rows if r.identity is not None]},
    )


def task_list_record_read(*, actor: User, tasks: list[Task], purpose: str) -> None:
    """A page of "Meine Aufgaben" is on record with its tasks and the children it named (case tasks
    are listed only from cases the owner sees with identity)."""
    case_tasks = [t for t in tasks if t.case_id and t.case is not None]
    record_read(
        actor=actor,
        object_type="TaskList",
        purpose=purpose,
        tasks=[t.pk for t in tasks],
        cases=sorted({str(t.case_id) for t in case_tasks}),
        persons={"children": sorted({t.case.child.pseudonym for t in case_tasks if t.case is not None})},
    )


def child_search_record(
    *, actor: User, purpose: str, given_name: str, family_name: str, birth_date: date, shown: list[str]
) -> None:
    """A child search is on record with the blind index of what was asked — never the name itself —
    and the pseudonyms of the children shown, so that a data-protection officer can tell who looked
    for the same child without the record naming it."""
    keys = index_keys(given_name=given_name, family_name=family_name, birth_date=birth_date)
    record_read(
        actor=actor, object_type="Child", purpose=purpose, hits=len(shown), query=keys.exact, shown=shown
    )


def case_record_read(
    *,
    actor: User,
    access: CaseAccess,
    purpose: str,
    what: str = "case",
    persons: dict[str, object] | None = None,
) -> None:
    """Every read of a case is on record: who, for which organisation, which purpose, and whose
    identity it showed (``CaseDetail.persons_shown``). A read by an organisation that handed the
    case on and keeps only its history is marked, so that repeated ones raise an alert
    (``audit/alerts.py``)."""
    shown: dict[str, object] = {"persons": persons} if persons else {}
    if access.participation.read_only:
        shown["history_only"] = True
    _audit(
        actor,
        access.organisation_id,
        AuditAction.READ,
        access.case,
        purpose,
        access.case,
        view=what,
        identity=access.sees_identity,
        **shown,
    )


@transaction.atomic
def child_address_change(
    *, actor: User, access: CaseAccess, street: str, postal_code: str, city: str
) -> Child:
    """The family moved: the child's new address, sealed like the rest of the identity."""
    _require_edit(actor, access)
    child = Child.objects.select_for_update().get(pk=access.case.child_id)
    identity = replace(
        child_identity(child), street=street.strip(), postal_code=postal_code.strip(), city=city.strip()
    )
    child_reseal(child, identity)
    child.save(update_fields=["key_id", "identity"])
    _audit(actor, access.organisation_id, AuditAction.UPDATE, child, "Neue Anschrift erfassen", access.case)
    timeline_add(
        access.case,
        actor,
        access.organisation_id,
        "child",
        f"Neue Anschrift erfasst: {identity.postal_code} {identity.city}",
        identifying=True,
    )
    return child


@transaction.atomic
def participation_limit_to_history(
    *, actor: User, case: Case, organisation_id: int, until: datetime
) -> Participation | None:
    """After the case went to another organisation (the family moved, § 8a Abs. 6 SGB VIII), the
    former one keeps reading the history — nothing more — until ``until``; then its access ends."""
    participation = (
        Participation.objects.select_for_update()
        .filter(case=case, organisation_id=organisation_id, status=ParticipationStatus.ACTIVE)
        .first()
    )
    if participation is None:
        return None
    participation.read_only, participation.valid_until = True, until
    participation.save(update_fields=["read_only", "valid_until"])
    _audit(actor, organisation_id, AuditAction.UPDATE, participation, "Lesezugriff befristen", case)
    timeline_add(
        case,
        actor,
        organisation_id,
        "participation",
        f"{participation.organisation.name} liest die Fallgeschichte noch bis "
        f"{timezone.localtime(until):%d.%m.%Y}; danach endet der Zugriff.",
    )
    return participation


def _require_decide(actor: User, access: CaseAccess, other: CaseAccess) -> int:
    """Both cases seen with identity and worked by the same organisation, whose coordination acts."""
    org = access.organisation_id
    if other.organisation_id != org or not (access.sees_identity and other.sees_identity):
        raise PermissionDenied(MSG_JOIN_COORDINATION)
    if access.participation.read_only or other.participation.read_only:
        raise PermissionDenied(MSG_READ_ONLY)
    if not policy.can_decide_duplicates(actor, org):
        raise PermissionDenied(MSG_JOIN_COORDINATION)
    return org


def case_join_pair(access: CaseAccess, other: CaseAccess) -> tuple[Case, Case]:
    """(newer, older): the newer case is joined into the one the organisation had first."""
    a, b = sorted([access.case, other.case], key=lambda c: (c.created_at, str(c.pk)))
    return b, a


def _decide(actor: User, access: CaseAccess, other: CaseAccess, decision: str, purpose: str) -> CaseJoin:
    """Record the organisation's decision on the pair (once), on the audit trail of both cases."""
    org = _require_decide(actor, access, other)
    case, into = case_join_pair(access, other)
    decided = CaseJoin.objects.select_for_update().filter(organisation_id=org, undone_at__isnull=True)
    if decided.filter(case__in=[case, into], into__in=[case, into]).exists():
        raise ValidationError(MSG_JOIN_DECIDED)
    if decision == JoinDecision.JOINED:
        if not (case.is_open and into.is_open):
            raise ValidationError(MSG_JOIN_CLOSED)
        if decided.filter(case__in=[case, into], decision=JoinDecision.JOINED).exists():
            raise ValidationError(MSG_JOIN_TAKEN)
    join = CaseJoin.objects.create(
        case=case, into=into, organisation_id=org, decision=decision, decided_by=actor
    )
    for subject in (case, into):
        _audit(actor, org, AuditAction.UPDATE, join, purpose, subject, decision=decision, joined=str(case.pk))
    return join


@transaction.atomic
def case_join(*, actor: User, access: CaseAccess, other: CaseAccess) -> CaseJoin:
    """The organisation's two cases on one child become one for it: the newer joins the older.

    Nothing moves between the records (``CaseJoin``); the organisation's own timeline entries and the
    audit trail say who joined them, and nobody else is told."""
    join = _decide(actor, access, other, JoinDecision.JOINED, "Doppelfall zusammenführen")
    name = access.participation.organisation.name
    for subject, text in (
        (
            join.into,
            f"{name}: Fall {join.case.child.pseudonym} wegen desselben Kindes mit diesem Fall "
            "zusammengeführt",
        ),
        (
            join.case,
            f"{name}: für die eigene Fallarbeit mit Fall {join.into.child.pseudonym} zusammengeführt",
        ),
    ):
        timeline_add(
            subject,
            actor,
            join.organisation_id,
            "case_joined",
            text,
            identifying=True,
            visible_to=join.organisation_id,
        )
    return join


@transaction.atomic
def case_mark_distinct(*, actor: User, access: CaseAccess, other: CaseAccess) -> CaseJoin:
    """Not the same child after all: the warning about the pair ends, on record."""
    return _decide(actor, access, other, JoinDecision.DISTINCT, "Kein Doppelfall")


@transaction.atomic
def case_join_undo(
    *, actor: User, access: CaseAccess, join: CaseJoin, now: datetime | None = None
) -> CaseJoin:
    """A coordinator takes a join back within ``CaseJoin.UNDO_DAYS``; both cases stand apart again."""
    now = now or timezone.now()
    join = CaseJoin.objects.select_for_update().select_related("case__child", "into__child").get(pk=join.pk)
    if join.organisation_id != access.organisation_id or not policy.can_decide_duplicates(
        actor, join.organisation_id
    ):
        raise PermissionDenied(MSG_JOIN_COORDINATION)
    if join.undone_at is not None:
        raise ValidationError(MSG_JOIN_UNDONE)
    if join.decision == JoinDecision.JOINED and now - join.decided_at > timedelta(days=CaseJoin.UNDO_DAYS):
        raise ValidationError(MSG_JOIN_UNDO_LATE.format(days=CaseJoin.UNDO_DAYS))
    join.undone_by, join.undone_at = actor, now
    join.save(update_fields=["undone_by", "undone_at"])
    if join.decision == JoinDecision.JOINED:
        pair = f"{join.case.child.pseudonym} und {join.into.child.pseudonym}"
        text = f"Zusammenführung der Fälle {pair} aufgehoben"
        for subject in (join.case, join.into):
            timeline_add(
                subject,
                actor,
                join.organisation_id,
                "case_join_undone",
                text,
                visible_to=join.organisation_id,
            )
    for subject in (join.case, join.into):
        _audit(actor, join.organisation_id, AuditAction.UPDATE, join, "Zusammenführung aufheben", subject)
    return join
