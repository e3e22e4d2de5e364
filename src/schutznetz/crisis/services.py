"""Writes of the crisis protocol. Each writes the audit trail and the case's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object, audit_record
from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Case, CaseRole, LegalBasis, Participation
from schutznetz.cases.services import participation_invite, task_create, timeline_add
from schutznetz.crisis import policy, queries
from schutznetz.crisis.models import (
    Crisis,
    CrisisFunction,
    CrisisRecipient,
    CrisisResponse,
    CrisisStatus,
    CrisisUrgency,
)
from schutznetz.kit.phone import to_e164
from schutznetz.network.agreements.queries import response_terms
from schutznetz.network.models import HandoverKind, Organisation, OrganisationKind, Urgency
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.models import AlertChannel
from schutznetz.notify.services import ChannelTarget, alert, notify

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess

TIMELINE_CHARS = 500
MSG_URGENCY = "Bitte die Dringlichkeit angeben."
MSG_SITUATION = "Bitte die Lage kurz beschreiben."
MSG_LOCATION = "Bitte angeben, wo sich das Kind oder die/der Jugendliche jetzt aufhält."
MSG_CLOSED = "Die Krise ist bereits abgeschlossen; eine Rückmeldung ist nicht mehr möglich."
MSG_NOT_ALERTED = "Sie sind für diese Krise nicht alarmiert worden."
MSG_RESPONSE = "Bitte eine Rückmeldung wählen."
MSG_REASON = "Bitte begründen, warum Ihre Stelle nicht zuständig ist, damit jemand anderes übernimmt."
MSG_CALLED = "Der Notruf ist bereits festgehalten."
MSG_DEBRIEF = "Bitte die Nachbesprechung festhalten: was geschah, wer übernahm, was folgt."


@dataclass(frozen=True)
class CrisisInput:
    urgency: str
    situation: str
    location: str
    emergency_called: bool = False


@dataclass(frozen=True)
class Raised:
    crisis: Crisis
    joined: bool  # a crisis of the case was already open: the raiser joined it


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _timeline(crisis: Crisis, actor: User | None, organisation_id: int, text: str, **kw: bool) -> None:
    """On the case's timeline; a long list (many alerted) is cut, the board has every detail."""
    if crisis.case is not None:  # a crisis not yet joined to a case is on the audit trail only
        timeline_add(
            crisis.case, actor, organisation_id, "crisis", Truncator(text).chars(TIMELINE_CHARS), **kw
        )


def _short(crisis: Crisis) -> str:
    """The crisis in a message's title: the case's pseudonym, or the short label (no name)."""
    return f"Fall {crisis.case.child.pseudonym}" if crisis.case is not None else f"„{crisis.subject}“"


def _board_url(crisis: Crisis) -> str:
    return reverse("crisis:board", args=[crisis.pk])


@transaction.atomic
def crisis_raise(*, actor: User, access: CaseAccess, data: CrisisInput) -> Raised:
    """Raise a crisis in the case: everyone responsible is alerted at the same minute — in the inbox
    with this transaction, by e-mail right after it — and each alert is a row with its state. Two
    people raising a crisis for the same case at once raise one: the second joins it and is told."""
    policy.require_raise(actor, access)
    errors = {}
    if data.urgency not in CrisisUrgency.values:
        errors["urgency"] = MSG_URGENCY
    if not data.situation.strip():
        errors["situation"] = MSG_SITUATION
    if not data.location.strip():
        errors["location"] = MSG_LOCATION
    _raise(errors)
    case = Case.objects.select_for_update().select_related("child").get(pk=access.case.pk)
    now = timezone.now()
    organisation = Organisation.objects.get(pk=access.organisation_id)
    running = queries.open_crisis_of_case(case)
    if running is not None:
        return Raised(_join(actor, organisation, running, data), True)
    crisis = Crisis.objects.create(
        case=case,
        organisation=organisation,
        raised_by=actor,
        raised_at=now,
        urgency=data.urgency,
        situation=data.situation.strip(),
        location=data.location.strip(),
        emergency_call_at=now if data.emergency_called else None,
        emergency_call_by=actor if data.emergency_called else None,
    )
    plan = queries.alert_plan(organisation=organisation, case=case, urgency=crisis.urgency, at=now)
    recipients = _alert(crisis, [p for p in plan if p.user != actor], now)
    urgency = CrisisUrgency(crisis.urgency).label.split(" – ")[0]
    audit_object(
        actor,
        organisation.pk,
        AuditAction.DISCLOSE,
        crisis,
        "Krise melden: alle Zuständigen zugleich alarmieren",
        case_id=case.pk,
        legal_basis=LegalBasis.VITAL_INTERESTS,
        organisations=sorted({r.organisation_id for r in recipients}),
        users=sorted({r.user_id for r in recipients if r.user_id}),
    )
    alerted = "; ".join(
        f"{r.organisation.name}: {r.user.display_name} ({r.get_source_display()})"
        if r.user
        else f"{r.organisation.name}: niemand erreichbar"
        for r in recipients
    )
    _timeline(
        crisis,
        actor,
        organisation.pk,
        f"Krise gemeldet ({urgency}). Alarmiert: {alerted or 'niemand – kein Krisenplan hinterlegt'}."
        + (" Notruf 112 abgesetzt." if data.emergency_called else ""),
    )
    return Raised(crisis, False)


def _alert(
    crisis: Crisis, plan: list[queries.Planned], now: datetime, step: int = 0
) -> list[CrisisRecipient]:
    """Record whom the plan alerts and alert them on every channel, each under their own key."""
    unique: dict[tuple[int, int | None], queries.Planned] = {}
    for p in plan:  # one person with two overlapping shifts is alerted once
        unique.setdefault((p.organisation.pk, p.user.pk if p.user else None), p)
    plan = list(unique.values())
    recipients = CrisisRecipient.objects.bulk_create(
        CrisisRecipient(
            crisis=crisis,
            function=p.function,
            organisation=p.organisation,
            user=p.user,
            phone=p.phone,
            source=p.source,
            gap=p.gap,
            alerted_at=now,
            step=step,
            respond_by=p.respond_by,
        )
        for p in plan
    )
    urgency = CrisisUrgency(crisis.urgency).label.split(" – ")[0]
    for r in recipients:
        if r.user is None:
            continue
        targets = []
        if r.organisation.alert_sms_gateway and r.phone:
            number = _sms_number(r.phone)
            targets.append(
                ChannelTarget(
                    AlertChannel.SMS, r.organisation.alert_sms_gateway.replace("{telefon}", number), r.phone
                )
            )
        if r.organisation.alert_webhook_url:
            targets.append(
                ChannelTarget(
                    AlertChannel.WEBHOOK, r.organisation.alert_webhook_url, r.phone, r.organisation_id
                )
            )
        why = " (niemand in Rufbereitschaft)." if r.gap else f" ({r.get_source_display()})."
        if step:
            why = f": niemand hat rechtzeitig geantwortet (Eskalationsstufe {step})."
        alert(
            recipients=[r.user],
            key=r.alert_key,
            subject_id=crisis.case_id,
            title=f"KRISE ({urgency}): {_short(crisis)} – bitte sofort Rückmeldung",
            body=f"{crisis.organisation.name} meldet eine Krise. Sie sind für {r.organisation.name} alarmiert"
            + why
            + " Bitte im Krisenboard übernehmen oder mit Begründung als nicht zuständig zurückmelden, bis "
            + f"{timezone.localtime(r.respond_by):%H:%M} Uhr.",
            url=_board_url(crisis),
            targets=targets,
        )
    return recipients


def _join(actor: User, organisation: Organisation, crisis: Crisis, data: CrisisInput) -> Crisis:
    """A second report of the crisis already running: on record, and its raiser is told."""
    assert crisis.case is not None  # a running crisis of the case
    audit_object(
        actor,
        organisation.pk,
        AuditAction.UPDATE,
        crisis,
        "Krise melden (lief bereits)",
        case_id=crisis.case_id,
    )
    _timeline(
        crisis,
        actor,
        organisation.pk,
        f"{actor.display_name} ({organisation.name}) meldete dieselbe Krise erneut: {data.situation.strip()}",
        identifying=True,  # free text: it may name the child
    )
    if crisis.raised_by_id != actor.pk:
        notify(
            recipients=[crisis.raised_by],
            kind="crisis_joined",
            subject_id=crisis.case_id,
            title=f"Weitere Meldung zur laufenden Krise (Fall {crisis.case.child.pseudonym})",
            body=f"{actor.display_name} ({organisation.name}) hat dieselbe Krise gemeldet.",
            url=_board_url(crisis),
        )
    return crisis


def _locked_open(crisis: Crisis) -> Crisis:
    locked = Crisis.objects.select_for_update(of=("self",)).select_related("case__child").get(pk=crisis.pk)
    if locked.status != CrisisStatus.OPEN:
        raise ValidationError(MSG_CLOSED)
    return locked


@transaction.atomic
def crisis_respond(*, actor: User, crisis: Crisis, response: str, reason: str = "") -> list[CrisisRecipient]:
    """The alerted person answers for their organisation: taken over, on the way, or not responsible
    (with a reason). A later answer replaces the earlier one; each is on the timeline."""
    crisis = _locked_open(crisis)
    mine = list(CrisisRecipient.objects.filter(crisis=crisis, user=actor).select_related("organisation"))
    if not mine:
        raise PermissionDenied(MSG_NOT_ALERTED)
    if response not in CrisisResponse.values:
        raise ValidationError({"response": [MSG_RESPONSE]})
    reason = reason.strip()
    if response == CrisisResponse.NOT_RESPONSIBLE and not reason:
        raise ValidationError({"reason": [MSG_REASON]})
    now = timezone.now()
    for r in mine:
        r.response, r.response_reason, r.responded_at = response, reason, now
    CrisisRecipient.objects.bulk_update(mine, ["response", "response_reason", "responded_at"])
    label = CrisisResponse(response).label
    for r in mine:
        audit_object(
            actor, r.organisation_id, AuditAction.UPDATE, crisis, f"Krise: {label}", case_id=crisis.case_id
        )
        _timeline(
            crisis,
            actor,
            r.organisation_id,
            f"Krise: {r.organisation.name} ({actor.display_name}) – {label}"
            + (f": {reason}" if reason else ""),
        )
    return mine


@transaction.atomic
def crisis_emergency_call(*, actor: User, crisis: Crisis) -> Crisis:
    """The raiser's side records when the emergency call (112) was made."""
    policy.require_manage(actor, crisis)
    crisis = _locked_open(crisis)
    if crisis.emergency_call_at:
        raise ValidationError(MSG_CALLED)
    crisis.emergency_call_at, crisis.emergency_call_by = timezone.now(), actor
    crisis.save(update_fields=["emergency_call_at", "emergency_call_by"])
    audit_object(
        actor,
        crisis.organisation_id,
        AuditAction.UPDATE,
        crisis,
        "Krise: Notruf 112 festhalten",
        case_id=crisis.case_id,
    )
    _timeline(crisis, actor, crisis.organisation_id, "Krise: Notruf 112 abgesetzt.")
    return crisis


@dataclass(frozen=True)
class Admission:
    """The young person was admitted to a child-psychiatry clinic during the crisis."""

    clinic_id: int
    consent_by: str
    consent_on: date


MSG_JOIN_FIRST = (
    "Bitte die Krise zuerst dem Fall zuordnen, damit die Klinik an der Hilfeplanung mitwirken kann."
)
MSG_CLINIC = "Bitte die Klinik für Kinder- und Jugendpsychiatrie aus dem Netzwerk wählen."
MSG_CONSENT_BY = "Bitte angeben, wer in die Beteiligung der Klinik an der Hilfeplanung eingewilligt hat."
MSG_CONSENT_ON = "Bitte das Datum der Einwilligung angeben (nicht in der Zukunft)."
HELP_PLANNING_TASK = (
    "Hilfeplangespräch nach Entlassung aus der Kinder- und Jugendpsychiatrie vorbereiten (§ 36 SGB VIII)"
)
INVOLVE_YOUTH_OFFICE_TASK = "Jugendamt in die Hilfeplanung nach der Entlassung einbeziehen (§ 36 SGB VIII)"


@transaction.atomic
def crisis_close(*, actor: User, crisis: Crisis, debrief: str, admission: Admission | None = None) -> Crisis:
    """Close the crisis with its debrief; nobody can answer it afterwards. Where the young person was
    admitted, the clinic is invited into the case for the help planning (on the recorded consent) and
    the Jugendamt gets the task to prepare the help-plan meeting after discharge."""
    policy.require_manage(actor, crisis)
    crisis = _locked_open(crisis)
    errors = {} if debrief.strip() else {"debrief": MSG_DEBRIEF}
    clinic = None
    if admission is not None:
        clinic = Organisation.objects.filter(
            pk=admission.clinic_id, kind=OrganisationKind.CHILD_PSYCHIATRY_CLINIC, is_active=True
        ).first()
        if clinic is None:
            errors["clinic"] = MSG_CLINIC
        if not admission.consent_by.strip():
            errors["consent_by"] = MSG_CONSENT_BY
        if admission.consent_on > timezone.localdate():
            errors["consent_on"] = MSG_CONSENT_ON
        if crisis.case_id is None:
            errors["clinic"] = MSG_JOIN_FIRST
    _raise(errors)
    crisis.status, crisis.closed_at, crisis.closed_by = CrisisStatus.CLOSED, timezone.now(), actor
    crisis.debrief = debrief.strip()
    if admission is not None and clinic is not None:
        crisis.admitted_to = clinic
        crisis.consent_by, crisis.consent_on = admission.consent_by.strip(), admission.consent_on
    crisis.save(
        update_fields=[
            "status",
            "closed_at",
            "closed_by",
            "debrief",
            "admitted_to",
            "consent_by",
            "consent_on",
        ]
    )
    audit_object(
        actor, crisis.organisation_id, AuditAction.UPDATE, crisis, "Krise abschließen", case_id=crisis.case_id
    )
    _timeline(
        crisis, actor, crisis.organisation_id, f"Krise abgeschlossen. Nachbesprechung: {crisis.debrief}"
    )
    if clinic is not None:
        _follow_up_admission(actor, crisis, clinic)
    return crisis


def _follow_up_admission(actor: User, crisis: Crisis, clinic: Organisation) -> None:
    case = crisis.case
    assert case is not None  # closing with an admission needs the case (checked above)
    access = case_queries.case_get_for(actor, case.pk)
    taking_part = set(
        Participation.objects.filter(case_id=case.pk, status__in=["active", "invited"]).values_list(
            "organisation_id", flat=True
        )
    )
    if clinic.pk not in taking_part:
        participation_invite(
            actor=actor,
            access=access,
            organisation=clinic,
            role=CaseRole.MEDICAL,
            legal_basis=LegalBasis.CONSENT,
        )
    _timeline(
        crisis,
        actor,
        access.organisation_id,
        f"Aufnahme in {clinic.name}; Einwilligung in die Beteiligung der Klinik an der Hilfeplanung von "
        f"{crisis.consent_by} am {crisis.consent_on:%d.%m.%Y}.",
        identifying=True,
    )
    youth_office = (
        Organisation.objects.filter(
            pk__in=case_queries.identity_participant_ids(case.pk), kind=OrganisationKind.YOUTH_OFFICE
        )
        .order_by("pk")
        .first()
    )
    due = response_terms(
        sender=clinic,
        receiver=youth_office or Organisation.objects.get(pk=access.organisation_id),
        kind=HandoverKind.DISCHARGE_HELP_PLANNING,
        urgency=Urgency.NORMAL,
    ).deadline
    staff = {u.pk: u for u in case_queries.case_staff(case.pk)}
    if youth_office is None:
        task_create(
            actor=actor, access=access, title=INVOLVE_YOUTH_OFFICE_TASK, owner=actor, due_date=due.date()
        )
        return
    answered = CrisisRecipient.objects.filter(
        crisis=crisis,
        organisation=youth_office,
        response__in=[CrisisResponse.TAKEN, CrisisResponse.ON_THE_WAY],
    ).values_list("user_id", flat=True)
    lead = case.lead_user_id if case.lead_organisation_id == youth_office.pk else None
    owner_id = next((pk for pk in [*answered, lead] if pk in staff), None)
    owner = (
        staff[owner_id]
        if owner_id
        else next((u for u in coordinators_of(youth_office.pk) if u.pk in staff), actor)
    )
    task_create(actor=actor, access=access, title=HELP_PLANNING_TASK, owner=owner, due_date=due.date())


MSG_INFORMED = "Dass die Sorgeberechtigten informiert sind, ist bereits festgehalten."
MSG_NO_GUARDIANS = "Für dieses Kind sind keine Sorgeberechtigten erfasst."


@transaction.atomic
def crisis_guardians_informed(*, actor: User, crisis: Crisis) -> Crisis:
    """Who may see the guardians' contact (the Jugendamt's alerted people, the case's participants)
    records that they have been told, and when."""
    board = queries.board(actor, crisis)
    sees_case = queries.sees_case(actor, crisis)
    contacts = queries.guardian_contacts(actor, crisis, board=board, sees_case=sees_case)
    if not contacts:
        raise PermissionDenied(MSG_NO_GUARDIANS)
    acting = _acting_organisation(actor, crisis, board, sees_case)
    crisis = _locked_open(crisis)
    if crisis.guardians_informed_at:
        raise ValidationError(MSG_INFORMED)
    crisis.guardians_informed_at, crisis.guardians_informed_by = timezone.now(), actor
    crisis.save(update_fields=["guardians_informed_at", "guardians_informed_by"])
    audit_object(
        actor,
        acting.pk,
        AuditAction.UPDATE,
        crisis,
        "Krise: Sorgeberechtigte informiert",
        case_id=crisis.case_id,
    )
    _timeline(
        crisis, actor, acting.pk, f"Krise: Sorgeberechtigte informiert ({acting.name}, {actor.display_name})."
    )
    return crisis


def _acting_organisation(actor: User, crisis: Crisis, board: queries.Board, sees_case: bool) -> Organisation:
    """The organisation the actor acts for in the crisis: the one they were alerted for (the
    Jugendamt first), else the one through which they take part in the case."""
    mine = sorted(board.mine, key=lambda r: r.function != CrisisFunction.YOUTH_OFFICE)
    if mine:
        return mine[0].organisation
    assert sees_case and crisis.case_id is not None  # guardian_contacts showed none otherwise
    access = case_queries.case_get_for(actor, crisis.case_id)
    return access.participation.organisation


def crisis_record_guardian_read(
    *, actor: User, crisis: Crisis, contacts: list[queries.GuardianContact]
) -> None:
    """The guardians' contact was shown: a read naming them, on the legal basis of the crisis."""
    if contacts:
        audit_object(
            actor,
            None,
            AuditAction.READ,
            crisis,
            "Krise: Kontakt der Sorgeberechtigten lesen",
            case_id=crisis.case_id,
            legal_basis=LegalBasis.VITAL_INTERESTS,
            persons={
                "child": crisis.case.child.pseudonym if crisis.case else "",
                "guardians": [c.guardian_id for c in contacts],
            },
        )


# The board polls its state every few seconds: watching it is on record once per person and crisis
# in this time, not 200 times in ten minutes.
WATCH_RECORD_SECONDS = 600


def _watch_key(actor: User, crisis: Crisis) -> str:
    return f"crisis-board-read:{actor.pk}:{crisis.pk}"


def crisis_record_read(*, actor: User, crisis: Crisis) -> None:
    """Reading the crisis board is on record (the situation is sensitive even without a name)."""
    audit_object(actor, None, AuditAction.READ, crisis, "Krisenboard lesen", case_id=crisis.case_id)
    cache.set(_watch_key(actor, crisis), True, WATCH_RECORD_SECONDS)


def crisis_record_watch(*, actor: User, crisis: Crisis) -> None:
    """The board's polled state: on record unless the person's reading of this board is on record
    within ``WATCH_RECORD_SECONDS`` (the board opened, or an earlier poll)."""
    if cache.add(_watch_key(actor, crisis), True, WATCH_RECORD_SECONDS):
        audit_object(actor, None, AuditAction.READ, crisis, "Krisenboard verfolgen", case_id=crisis.case_id)


def _sms_number(phone: str) -> str:
    """The number as SMS gateways take it: E.164 (``+492315012345``); a number that cannot be read as
    one (a typo in the roster) is sent as its digits, as typed, rather than not at all."""
    try:
        return to_e164(phone)
    except ValueError:
        return "".join(ch for ch in phone if ch.isdigit())


@transaction.atomic
def crisis_escalate(*, crisis_id: UUID, organisation_id: int, now: datetime) -> list[CrisisRecipient]:
    """Nobody of the organisation answered in time: the next people are alerted (whoever else is on
    call and the coordination, then every other member), the raiser is told, and the step is on the
    timeline. The lapsed alerts are marked in the same transaction, so each lapse escalates once."""
    crisis = (
        Crisis.objects.select_for_update(of=("self",))
        .select_related("case__child", "organisation", "raised_by")
        .get(pk=crisis_id)
    )
    rows = list(
        CrisisRecipient.objects.filter(crisis=crisis, organisation_id=organisation_id).select_related(
            "organisation"
        )
    )
    lapsed = [r.pk for r in rows if r.escalated_at is None and r.respond_by <= now]
    if crisis.status != CrisisStatus.OPEN or not lapsed:
        return []
    CrisisRecipient.objects.filter(pk__in=lapsed).update(escalated_at=now)
    if any(r.response for r in rows):
        return []  # someone of the organisation answered
    organisation = rows[0].organisation
    step = max(r.step for r in rows) + 1
    plan = queries.escalation_plan(crisis=crisis, organisation=organisation, step=step, at=now)
    recipients = _alert(crisis, plan, now, step=step)
    if recipients:
        names = ", ".join(f"{r.user.display_name} ({r.get_source_display()})" for r in recipients if r.user)
        text = (
            f"Eskalation (Stufe {step}): {organisation.name} hat nicht rechtzeitig geantwortet; "
            f"alarmiert: {names}."
        )
    else:
        text = (
            f"{organisation.name} hat nicht geantwortet, und dort ist niemand weiteres zu alarmieren: "
            f"bitte telefonisch klären ({organisation.phone or 'keine Telefonnummer hinterlegt'})."
        )
    audit_record(
        actor=None,
        organisation=organisation,
        action=AuditAction.DISCLOSE,
        object_type="Crisis",
        object_id=crisis.pk,
        purpose="Krise: Eskalation, weil niemand rechtzeitig geantwortet hat",
        case_id=crisis.case_id,
        details={
            "legal_basis": LegalBasis.VITAL_INTERESTS,
            "step": step,
            "users": sorted(r.user_id for r in recipients if r.user_id),
        },
    )
    _timeline(crisis, None, organisation.pk, text)
    notify(
        recipients=[crisis.raised_by],
        kind="crisis_escalated",
        subject_id=crisis.case_id,
        title=f"Krise {_short(crisis)}: {organisation.name} antwortet nicht",
        body=text,
        url=_board_url(crisis),
    )
    return recipients


MSG_SUBJECT = "Bitte eine Kurzbezeichnung ohne Namen angeben, z. B. „Jugendlicher am Hauptbahnhof“."
MSG_AGE = "Bitte ein Alter zwischen 0 und 27 Jahren angeben."
MSG_ORGANISATION = "Bitte die Organisation wählen, für die Sie die Krise melden."
MSG_JOINED = "Die Krise ist bereits einem Fall zugeordnet."
MSG_CASE_RUNNING = "Für diesen Fall läuft bereits eine Krise; bitte dort weiterarbeiten."


@transaction.atomic
def crisis_raise_unknown(
    *, actor: User, organisation_id: int, data: CrisisInput, subject: str, age: int | None
) -> Crisis:
    """Raise a crisis for a young person not (yet) known to the system: a short label without a name,
    the age, where they are and what happens. The crisis roster of the organisation's agreements is
    alerted; the crisis is joined to a case later."""
    organisation = policy.raising_organisation(actor, organisation_id)
    errors = {}
    if organisation is None:
        errors["organisation"] = MSG_ORGANISATION
    if not subject.strip():
        errors["subject"] = MSG_SUBJECT
    if age is not None and not 0 <= age <= 27:
        errors["age"] = MSG_AGE
    if data.urgency not in CrisisUrgency.values:
        errors["urgency"] = MSG_URGENCY
    if not data.situation.strip():
        errors["situation"] = MSG_SITUATION
    if not data.location.strip():
        errors["location"] = MSG_LOCATION
    _raise(errors)
    assert organisation is not None
    now = timezone.now()
    crisis = Crisis.objects.create(
        organisation=organisation,
        subject=subject.strip(),
        age=age,
        raised_by=actor,
        raised_at=now,
        urgency=data.urgency,
        situation=data.situation.strip(),
        location=data.location.strip(),
        emergency_call_at=now if data.emergency_called else None,
        emergency_call_by=actor if data.emergency_called else None,
    )
    plan = queries.alert_plan(organisation=organisation, case=None, urgency=crisis.urgency, at=now)
    recipients = _alert(crisis, [p for p in plan if p.user != actor], now)
    audit_object(
        actor,
        organisation.pk,
        AuditAction.DISCLOSE,
        crisis,
        "Krise melden (noch kein Fall): alle Zuständigen zugleich alarmieren",
        legal_basis=LegalBasis.VITAL_INTERESTS,
        organisations=sorted({r.organisation_id for r in recipients}),
        users=sorted({r.user_id for r in recipients if r.user_id}),
    )
    return crisis


@transaction.atomic
def crisis_join_case(*, actor: User, crisis: Crisis, access: CaseAccess) -> Crisis:
    """Join a crisis raised before the young person was known to their case: from now on the case's
    participants see it, and its course is on the case's timeline."""
    policy.require_manage(actor, crisis)
    policy.require_raise(actor, access)
    crisis = _locked_open(crisis)
    if crisis.case_id is not None:
        raise ValidationError(MSG_JOINED)
    Case.objects.select_for_update().filter(pk=access.case.pk).first()
    if queries.open_crisis_of_case(access.case) is not None:
        raise ValidationError({"case": [MSG_CASE_RUNNING]})
    crisis.case = access.case
    crisis.save(update_fields=["case"])
    audit_object(
        actor,
        access.organisation_id,
        AuditAction.UPDATE,
        crisis,
        "Krise dem Fall zuordnen",
        case_id=access.case.pk,
    )
    _timeline(
        crisis,
        actor,
        access.organisation_id,
        f"Krise vom {timezone.localtime(crisis.raised_at):%d.%m.%Y %H:%M} (gemeldet von "
        f"{crisis.organisation.name} als „{crisis.subject}“) diesem Fall zugeordnet.",
    )
    return crisis
