"""Reads of meetings, filtered by ``meetings.policy``; a meeting the user may not see is a 404."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from schutznetz.accounts.models import User
from schutznetz.cases.models import Task
from schutznetz.meetings import policy
from schutznetz.meetings.models import Meeting, MeetingAttendee
from schutznetz.network import queries as network_queries
from schutznetz.network.models import Membership
from schutznetz.network.policy import is_network_admin

NOT_FOUND = "Treffen nicht gefunden."
MSG_INVITES_NOBODY = (
    "Diese Auswahl lädt niemanden ein (nicht mehr aktiv oder ohne aktive Mitglieder): {names}. "
    "Bitte entfernen."
)
MSG_UNKNOWN_CHOICE = "unbekannte Auswahl {token}"


def invitees_for(tokens: Sequence[str], *, field: str | None = "invitees") -> list[Membership]:
    """The people that the picked persons, teams and organisations (``network.queries``'
    tokens) invite; a pick that invites nobody is an error (on ``field``, if given), named."""
    people, nobody = network_queries.invitation_memberships(tokens)
    if nobody:
        known = network_queries.invitables_by_token(nobody)
        names = [known[t].label if t in known else MSG_UNKNOWN_CHOICE.format(token=t) for t in nobody]
        message = MSG_INVITES_NOBODY.format(names=", ".join(names))
        raise ValidationError({field: [message]} if field else message)
    return people


def involved_meetings(user: User) -> QuerySet[Meeting]:
    """Meetings organised by, or with people invited from, one of the user's organisations."""
    if is_network_admin(user):
        return Meeting.objects.all()
    orgs = policy.organisation_ids(user)
    invited = MeetingAttendee.objects.filter(organisation_id__in=orgs).values("meeting_id")
    return Meeting.objects.filter(Q(organiser_id__in=orgs) | Q(pk__in=invited))


def meeting_list_for(user: User) -> QuerySet[Meeting]:
    """Meetings the user's organisations take part in, and those published to the network; newest first."""
    involved = involved_meetings(user).values("pk")
    return (
        Meeting.objects.filter(Q(pk__in=involved) | Q(published=True))
        .select_related("organiser", "created_by")
        .order_by("-starts_at", "-pk")
    )


@dataclass
class MeetingAccess:
    meeting: Meeting
    full: bool  # attendance, minutes and action items; False: the published announcement only
    manage: bool  # the organiser runs the meeting
    mine: MeetingAttendee | None  # the user's own invitation


def meeting_get_for(user: User, pk: int) -> MeetingAccess:
    meeting = meeting_list_for(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404(NOT_FOUND)
    full = involved_meetings(user).filter(pk=pk).exists()
    mine = MeetingAttendee.objects.filter(meeting=meeting, user=user).first()
    return MeetingAccess(meeting, full, full and policy.can_manage(user, meeting), mine)


def meeting_involved_get_for(user: User, pk: int) -> MeetingAccess:
    """A meeting the user's organisation organises or is invited to (attendance, minutes, action
    items); for everyone else a 404, also where the meeting is published to the network."""
    access = meeting_get_for(user, pk)
    if not access.full:
        raise Http404(NOT_FOUND)
    return access


@dataclass
class MeetingDetail:
    access: MeetingAccess
    attendees: list[MeetingAttendee]
    action_items: list[Task]


def meeting_detail(access: MeetingAccess) -> MeetingDetail:
    if not access.full:
        return MeetingDetail(access, [], [])
    attendees = (
        MeetingAttendee.objects.filter(meeting=access.meeting)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "pk")
    )
    items = (
        Task.objects.filter(meeting=access.meeting)
        .select_related("owner", "owner_organisation")
        .order_by("status", "due_date", "pk")
    )
    return MeetingDetail(access, list(attendees), list(items))


def attendees_of(meeting: Meeting) -> QuerySet[MeetingAttendee]:
    return MeetingAttendee.objects.filter(meeting=meeting)


def action_item_owners(meeting: Meeting, attendees: list[MeetingAttendee]) -> QuerySet[User]:
    """Who may own an action item: the invited, and the organiser's staff."""
    organiser_staff = (
        Membership.objects.working().filter(organisation_id=meeting.organiser_id).values("user_id")
    )
    return User.objects.filter(is_active=True).filter(
        Q(pk__in=[a.user_id for a in attendees]) | Q(pk__in=organiser_staff)
    )


def upcoming_for(user: User, now: datetime, limit: int = 3) -> list[Meeting]:
    """The next meetings the user is invited to and has not declined, soonest first."""
    return list(
        Meeting.objects.filter(
            attendees__user=user, starts_at__gte=now, attendees__response__in=["invited", "accepted"]
        )
        .select_related("organiser")
        .order_by("starts_at", "pk")[:limit]
    )
