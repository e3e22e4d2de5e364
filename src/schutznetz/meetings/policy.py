"""Who may see and run a network meeting.

The organiser and the organisations of the invited see the whole meeting (attendance, minutes,
action items); a published meeting is announced to every member of the network (title, time,
place, agenda). Everyone else gets 404. The organiser's members run the meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schutznetz.network.policy import active_memberships, is_network_admin

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.meetings.models import Meeting


def organisation_ids(user: User) -> list[int]:
    return [m.organisation_id for m in active_memberships(user)]


def can_manage(user: User, meeting: Meeting) -> bool:
    return user.is_active and (is_network_admin(user) or meeting.organiser_id in organisation_ids(user))
