"""Who sees a crisis and what they may do with it.

A crisis is seen by whoever raised it, by everyone alerted for it (a person on call of an
organisation outside the case sees the crisis, not the case), and by the members of the
organisations taking part in the case with identity. Everybody else learns nothing: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from schutznetz.cases.policy import can_edit_case, organisation_ids
from schutznetz.crisis.models import Crisis, CrisisStatus
from schutznetz.network.policy import active_memberships

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess
    from schutznetz.network.models import Organisation

NOT_FOUND = "Krise nicht gefunden."
MSG_RAISE = "Eine Krise melden Beteiligte, die den Fall mit Personenbezug bearbeiten, solange er offen ist."
MSG_MANAGE = "Das hält fest, wer die Krise gemeldet hat, seine Organisation oder die fallführende Stelle."


def can_read_case_crises(user: User, access: CaseAccess) -> bool:
    """The case page's section: participants who see the child's identity."""
    return access.sees_identity and user.is_active


def can_raise(user: User, access: CaseAccess) -> bool:
    return can_edit_case(user, access)


def require_raise(user: User, access: CaseAccess) -> None:
    if not can_raise(user, access):
        raise PermissionDenied(MSG_RAISE)


def can_manage(user: User, crisis: Crisis) -> bool:
    """Record the emergency call, close with the debrief: the raiser's organisation or the case's
    lead, while the crisis is open."""
    if crisis.status != CrisisStatus.OPEN or not user.is_active:
        return False
    mine = set(organisation_ids(user))
    lead = crisis.case.lead_organisation_id if crisis.case is not None else None
    return crisis.organisation_id in mine or lead in mine


def require_manage(user: User, crisis: Crisis) -> None:
    if not can_manage(user, crisis):
        raise PermissionDenied(MSG_MANAGE)


def require_read_case_crises(user: User, access: CaseAccess) -> None:
    """A pseudonymised participant does not learn of the case's crises."""
    if not can_read_case_crises(user, access):
        raise Http404(NOT_FOUND)


def raising_organisation(user: User, organisation_id: int) -> Organisation | None:
    """The organisation a user raises a crisis for: one they work for."""
    return next(
        (m.organisation for m in active_memberships(user) if m.organisation_id == organisation_id), None
    )
