"""Writes to network meetings: each checks the policy, validates, saves, audits and notifies in one
transaction. Action items are tasks of the case core (``cases.Task`` with ``meeting`` set)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.cases.models import Task, TaskStatus
from schutznetz.cases.queries import known_identities
from schutznetz.meetings import policy
from schutznetz.meetings.models import AttendeeResponse, Meeting, MeetingAttendee
from schutznetz.network.models import Membership, Organisation
from schutznetz.network.policy import active_memberships, is_network_admin
from schutznetz.notify.services import notify
from schutznetz.people.screening import screen_texts

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MAX_DURATION = timedelta(days=3)
MAX_AHEAD = timedelta(days=2 * 366)
MAX_INVITEES = 300

MSG_NOT_A_MEMBER = "Sie können nur Treffen Ihrer eigenen Organisation anlegen."
MSG_NOT_ORGANISER = "Das kann nur die einladende Organisation."
MSG_TITLE = "Bitte einen Titel angeben."
MSG_LOCATION = "Bitte den Ort angeben (Anschrift, Raum oder Videokonferenz)."
MSG_END_BEFORE_START = "Das Ende muss nach dem Beginn liegen."
MSG_TOO_LONG = "Ein Treffen dauert höchstens drei Tage. Bitte mehrere Termine anlegen."
MSG_START_PAST = "Der Beginn liegt in der Vergangenheit."
MSG_START_FAR = "Treffen können höchstens zwei Jahre im Voraus angesetzt werden. Bitte den Beginn prüfen."
MSG_CANCELLED = "Das Treffen ist abgesagt."
MSG_STARTED = "Das Treffen hat bereits begonnen; es kann nicht mehr verlegt oder abgesagt werden."
MSG_CANCEL_REASON = "Bitte den Grund der Absage angeben; die Eingeladenen erfahren ihn."
MSG_UNCHANGED = "Termin und Ort sind unverändert."
MSG_INVITEE_INACTIVE = "{name} ist nicht mehr Mitglied dieser Organisation."
MSG_TOO_MANY_INVITEES = (
    "Zu einem Treffen können höchstens {limit} Personen eingeladen sein (es wären {count}). Bitte "
    "einzelne Teams statt ganzer Organisationen einladen."
)
MSG_NOT_INVITED = "Sie sind zu diesem Treffen nicht eingeladen."
MSG_ATTENDANCE_EARLY = "Die Anwesenheit kann erst ab Beginn des Treffens erfasst werden."
MSG_ATTENDEE_UNKNOWN = "Diese Person ist zu dem Treffen nicht eingeladen."
MSG_CHILD_DATA = (
    "Der Text enthält Angaben, die eine Person erkennbar machen könnten ({found}). Protokolle und "
    "Tagesordnungen von Netzwerktreffen enthalten keine Namen, Geburtsdaten oder Anschriften von "
    "Kindern und Familien: bitte anonymisieren, Einzelfälle gehören in die Fallakte."
)
MSG_ITEM_TITLE = "Bitte die Aufgabe benennen."
MSG_ITEM_DUE = "Bitte ein Fälligkeitsdatum angeben."
MSG_ITEM_DUE_PAST = "Das Fälligkeitsdatum liegt in der Vergangenheit."
MSG_ITEM_OWNER = (
    "Aufgaben aus einem Treffen übernehmen Eingeladene oder Mitglieder der einladenden Organisation."
)
MSG_ITEM_DONE = "Die Aufgabe ist bereits abgeschlossen."
MSG_ITEM_NOT_YOURS = "Erledigen können die zuständige Person und die einladende Organisation."


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _acting_organisation(actor: User, meeting: Meeting) -> Organisation | None:
    """The organisation the actor acts for at this meeting: the organiser, else their invitation's."""
    ids = [m.organisation_id for m in active_memberships(actor)]
    if meeting.organiser_id in ids:
        return meeting.organiser
    mine = MeetingAttendee.objects.filter(meeting=meeting, user=actor).select_related("organisation").first()
    return mine.organisation if mine else None


def _audit(actor: User, meeting: Meeting, action: str, purpose: str, obj: object = None) -> None:
    organisation = _acting_organisation(actor, meeting)
    audit_object(
        actor, organisation.pk if organisation else None, action, obj or meeting, purpose, meeting=meeting.pk
    )


def _require_manage(actor: User, meeting: Meeting) -> None:
    if not policy.can_manage(actor, meeting):
        raise PermissionDenied(MSG_NOT_ORGANISER)


def _validate_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise _error("ends_at", MSG_END_BEFORE_START)
    if ends_at - starts_at > MAX_DURATION:
        raise _error("ends_at", MSG_TOO_LONG)


def _invite(actor: User, meeting: Meeting, memberships: Sequence[Membership]) -> list[MeetingAttendee]:
    already = set(MeetingAttendee.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    new = []
    for membership in memberships:
        if not (membership.is_active and membership.organisation.is_active and membership.user.is_active):
            raise _error("invitees", MSG_INVITEE_INACTIVE.format(name=membership.user.display_name))
        if membership.user_id in already:
            continue
        already.add(membership.user_id)
        if len(already) > MAX_INVITEES:
            count = len(already | {m.user_id for m in memberships})
            raise _error("invitees", MSG_TOO_MANY_INVITEES.format(limit=MAX_INVITEES, count=count))
        new.append(
            MeetingAttendee(
                meeting=meeting, user=membership.user, organisation=membership.organisation, invited_by=actor
            )
        )
    MeetingAttendee.objects.bulk_create(new)
    recipients = [a.user for a in new if a.user_id != actor.pk]
    if recipients:
        local = timezone.localtime(meeting.starts_at)
        notify(
            recipients=recipients,
            kind="meeting_invitation",
            title=f"Einladung: {meeting.title} am {local:%d.%m.%Y um %H:%M} Uhr",
            body=(
                f"{meeting.organiser.name} lädt Sie ein: {meeting.label}, "
                f"{local:%d.%m.%Y, %H:%M} Uhr, {meeting.location}. Bitte sagen Sie in Schutznetz zu oder "
                "ab. Der Kalendereintrag liegt bei."
            ),
            url=reverse("meetings:detail", args=[meeting.pk]),
            attachment=f"meeting:{meeting.pk}",
        )
    return new


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    organiser: Organisation,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    agenda: str = "",
    published: bool = False,
    invitees: Sequence[Membership] = (),
    now: datetime | None = None,
) -> Meeting:
    """Schedule a meeting and invite people; the actor is on the list, as having accepted."""
    if not (is_network_admin(actor) or organiser.pk in policy.organisation_ids(actor)):
        raise PermissionDenied(MSG_NOT_A_MEMBER)
    if not title.strip():
        raise _error("title", MSG_TITLE)
    if not location.strip():
        raise _error("location", MSG_LOCATION)
    _validate_times(starts_at, ends_at)
    if starts_at < (now or timezone.now()):
        raise _error("starts_at", MSG_START_PAST)
    if starts_at > (now or timezone.now()) + MAX_AHEAD:
        raise _error("starts_at", MSG_START_FAR)
    screen_texts(MSG_CHILD_DATA, actor=actor, known=known_identities(actor), title=title, agenda=agenda)
    meeting = Meeting.objects.create(
        kind=kind,
        title=title.strip(),
        organiser=organiser,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        agenda=agenda.strip(),
        published=published,
        created_by=actor,
    )
    own = next((m for m in active_memberships(actor) if m.organisation_id == organiser.pk), None)
    if own is not None:
        MeetingAttendee.objects.create(
            meeting=meeting,
            user=actor,
            organisation=organiser,
            invited_by=actor,
            response=AttendeeResponse.ACCEPTED,
        )
    _invite(actor, meeting, invitees)
    _audit(actor, meeting, AuditAction.CREATE, "Netzwerktreffen anlegen")
    return meeting


@transaction.atomic
def meeting_invite(*, actor: User, meeting: Meeting, invitees: Sequence[Membership]) -> list[MeetingAttendee]:
    _require_manage(actor, meeting)
    added = _invite(actor, meeting, invitees)
    _audit(actor, meeting, AuditAction.UPDATE, "Zum Netzwerktreffen einladen")
    return added


def _changeable(actor: User, meeting: Meeting, now: datetime) -> Meeting:
    """The meeting, locked, if it may still be moved or called off."""
    _require_manage(actor, meeting)
    meeting = Meeting.objects.select_for_update().select_related("organiser").get(pk=meeting.pk)
    if meeting.cancelled_at is not None:
        raise _error("starts_at", MSG_CANCELLED)
    if meeting.starts_at <= now:
        raise _error("starts_at", MSG_STARTED)
    return meeting


def _tell_invitees(actor: User, meeting: Meeting, kind: str, title: str, body: str) -> None:
    recipients = [
        a.user
        for a in MeetingAttendee.objects.filter(meeting=meeting)
        .exclude(response=AttendeeResponse.DECLINED)
        .exclude(user=actor)
        .select_related("user")
    ]
    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        url=reverse("meetings:detail", args=[meeting.pk]),
        attachment=f"meeting:{meeting.pk}",
    )


@transaction.atomic
def meeting_reschedule(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    now: datetime | None = None,
) -> Meeting:
    """Move the meeting (time or place): the calendar entry keeps its UID and its SEQUENCE goes up,
    so calendars replace it; the invitees who have not declined are told."""
    now = now or timezone.now()
    meeting = _changeable(actor, meeting, now)
    if not location.strip():
        raise _error("location", MSG_LOCATION)
    _validate_times(starts_at, ends_at)
    if starts_at < now:
        raise _error("starts_at", MSG_START_PAST)
    if starts_at > now + MAX_AHEAD:
        raise _error("starts_at", MSG_START_FAR)
    if (meeting.starts_at, meeting.ends_at, meeting.location) == (starts_at, ends_at, location.strip()):
        raise _error("starts_at", MSG_UNCHANGED)
    before = timezone.localtime(meeting.starts_at)
    meeting.starts_at, meeting.ends_at, meeting.location = starts_at, ends_at, location.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "location", "sequence"])
    local = timezone.localtime(starts_at)
    _tell_invitees(
        actor,
        meeting,
        "meeting_rescheduled",
        f"Verlegt: {meeting.title} jetzt am {local:%d.%m.%Y um %H:%M} Uhr",
        f"{meeting.organiser.name} hat {meeting.label} verlegt: statt {before:%d.%m.%Y, %H:%M} Uhr jetzt "
        f"{local:%d.%m.%Y, %H:%M} Uhr, {meeting.location}. Der beiliegende Kalendereintrag ersetzt den "
        "bisherigen.",
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str, now: datetime | None = None) -> Meeting:
    """Call the meeting off with its reason; the invitees are told and the calendar entry says
    CANCELLED under the same UID."""
    now = now or timezone.now()
    meeting = _changeable(actor, meeting, now)
    if not reason.strip():
        raise _error("reason", MSG_CANCEL_REASON)
    screen_texts(MSG_CHILD_DATA, actor=actor, known=known_identities(actor), reason=reason)
    meeting.cancelled_at, meeting.cancel_reason = now, reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "cancel_reason", "sequence"])
    local = timezone.localtime(meeting.starts_at)
    _tell_invitees(
        actor,
        meeting,
        "meeting_cancelled",
        f"Abgesagt: {meeting.title} am {local:%d.%m.%Y um %H:%M} Uhr",
        f"{meeting.organiser.name} hat {meeting.label} abgesagt. Grund: {meeting.cancel_reason}",
    )
    return meeting


@transaction.atomic
def meeting_respond(*, actor: User, meeting: Meeting, accept: bool) -> MeetingAttendee:
    attendee = (
        MeetingAttendee.objects.select_for_update()
        .select_related("meeting")
        .filter(meeting=meeting, user=actor)
        .first()
    )
    if attendee is None:
        raise ValidationError(MSG_NOT_INVITED)
    if attendee.meeting.cancelled_at is not None:
        raise ValidationError(MSG_CANCELLED)
    attendee.response = AttendeeResponse.ACCEPTED if accept else AttendeeResponse.DECLINED
    attendee.save(update_fields=["response"])
    _audit(actor, meeting, AuditAction.UPDATE, "Zu- oder Absage", attendee)
    return attendee


@transaction.atomic
def meeting_attendance_record(
    *, actor: User, meeting: Meeting, present: Sequence[int], now: datetime | None = None
) -> list[MeetingAttendee]:
    """Record who was there (attendee ids); everyone else on the list was absent."""
    _require_manage(actor, meeting)
    if (now or timezone.now()) < meeting.starts_at:
        raise _error("present", MSG_ATTENDANCE_EARLY)
    attendees = list(MeetingAttendee.objects.select_for_update().filter(meeting=meeting))
    known = {a.pk for a in attendees}
    if set(present) - known:
        raise _error("present", MSG_ATTENDEE_UNKNOWN)
    for attendee in attendees:
        attendee.attended = attendee.pk in present
    MeetingAttendee.objects.bulk_update(attendees, ["attended"])
    _audit(actor, meeting, AuditAction.UPDATE, "Anwesenheit erfassen")
    return attendees


@transaction.atomic
def meeting_minutes_save(*, actor: User, meeting: Meeting, minutes: str, decisions: str) -> Meeting:
    """Save the minutes and decisions, refusing text that holds obvious identifiers of children."""
    _require_manage(actor, meeting)
    screen_texts(
        MSG_CHILD_DATA, actor=actor, known=known_identities(actor), minutes=minutes, decisions=decisions
    )
    meeting.minutes, meeting.decisions = minutes.strip(), decisions.strip()
    meeting.minutes_updated_at, meeting.minutes_updated_by = timezone.now(), actor
    meeting.save(update_fields=["minutes", "decisions", "minutes_updated_at", "minutes_updated_by"])
    _audit(actor, meeting, AuditAction.UPDATE, "Protokoll schreiben")
    return meeting


def _owner_organisation(meeting: Meeting, owner: User) -> int:
    attendee = MeetingAttendee.objects.filter(meeting=meeting, user=owner).first()
    if attendee is not None and owner.is_active:
        return attendee.organisation_id
    if (
        Membership.objects.working()
        .filter(user=owner, organisation=meeting.organiser, user__is_active=True)
        .exists()
    ):
        return meeting.organiser_id
    raise _error("owner", MSG_ITEM_OWNER)


@transaction.atomic
def action_item_create(
    *, actor: User, meeting: Meeting, title: str, owner: User, due_date: date | None
) -> Task:
    """An action item with owner and due date: a task that appears in the owner's "Meine Aufgaben"."""
    _require_manage(actor, meeting)
    if not title.strip():
        raise _error("title", MSG_ITEM_TITLE)
    if due_date is None:
        raise _error("due_date", MSG_ITEM_DUE)
    if due_date < timezone.localdate():
        raise _error("due_date", MSG_ITEM_DUE_PAST)
    screen_texts(MSG_CHILD_DATA, actor=actor, known=known_identities(actor), title=title)
    task = Task.objects.create(
        meeting=meeting,
        title=title.strip(),
        owner=owner,
        owner_organisation_id=_owner_organisation(meeting, owner),
        due_date=due_date,
        created_by=actor,
    )
    _audit(actor, meeting, AuditAction.CREATE, "Aufgabe aus Netzwerktreffen anlegen", task)
    if owner.pk != actor.pk:
        notify(
            recipients=[owner],
            kind="meeting_action_item",
            title=f"Neue Aufgabe aus „{meeting.title}“",
            body=f"Sie haben eine Aufgabe aus dem Netzwerktreffen, fällig am {due_date:%d.%m.%Y}.",
            url=reverse("meetings:detail", args=[meeting.pk]),
        )
    return task


@transaction.atomic
def action_item_complete(*, actor: User, meeting: Meeting, task_id: int, note: str = "") -> Task:
    task = Task.objects.select_for_update().filter(pk=task_id, meeting=meeting).first()
    if task is None:
        from django.http import Http404

        raise Http404("Aufgabe nicht gefunden.")
    if task.owner_id != actor.pk and not policy.can_manage(actor, meeting):
        raise PermissionDenied(MSG_ITEM_NOT_YOURS)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(MSG_ITEM_DONE)
    screen_texts(MSG_CHILD_DATA, actor=actor, known=known_identities(actor), note=note)
    task.status, task.completed_by, task.completed_at, task.note = (
        TaskStatus.DONE,
        actor,
        timezone.now(),
        note.strip(),
    )
    task.save(update_fields=["status", "completed_by", "completed_at", "note"])
    _audit(actor, meeting, AuditAction.UPDATE, "Aufgabe aus Netzwerktreffen erledigen", task)
    return task
