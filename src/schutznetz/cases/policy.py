"""Who sees what of a case.

An organisation sees a case while it takes part in it (participation ``active``); the lead
organisation always takes part. A pseudonymised participation (consultation, § 4 Abs. 2 KKG) sees
the case under the child's pseudonym only: no name, birth date or address, ever. An organisation
that is invited sees only the invitation. Everybody else gets 404, exactly as for a case that does
not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from schutznetz.cases.models import Case, LeadHandover, Participation, ParticipationStatus, Task, TaskStatus
from schutznetz.network.models import Role
from schutznetz.network.policy import active_memberships

if TYPE_CHECKING:
    from schutznetz.accounts.models import User


MSG_ONLY_LEAD = "Das kann nur die fallführende Organisation."
MSG_TASK_FIXED = "Diese Aufgabe kann nicht übertragen werden."
MSG_READ_ONLY = "Sie können diesen Fall nur einsehen."
MSG_AUDIT_LEAD_COORDINATION = "Das Zugriffsprotokoll sieht die Koordination der fallführenden Organisation."


def organisation_ids(user: User) -> list[int]:
    return [m.organisation_id for m in active_memberships(user)]


@dataclass(frozen=True)
class CaseAccess:
    """What one user may do with one case, derived from their organisations' participations."""

    case: Case
    participation: Participation  # the strongest of the user's organisations in this case

    @property
    def organisation_id(self) -> int:
        return self.participation.organisation_id

    @property
    def sees_identity(self) -> bool:
        return not self.participation.pseudonymised

    @property
    def is_lead(self) -> bool:
        return self.case.lead_organisation_id == self.organisation_id


def strongest(participations: list[Participation], lead_organisation_id: int) -> Participation | None:
    """Prefer the lead organisation, then one that sees identity."""
    if not participations:
        return None
    return sorted(
        participations,
        key=lambda p: (p.organisation_id != lead_organisation_id, p.read_only, p.pseudonymised, p.pk),
    )[0]


def acts_for(user: User, access: CaseAccess) -> bool:
    """The user works for the organisation through which ``access`` reaches the case: a write never
    rests on an access object alone (a view that passed another user's would otherwise open it)."""
    return user.is_active and any(
        m.organisation_id == access.organisation_id for m in active_memberships(user)
    )


def can_edit_case(user: User, access: CaseAccess) -> bool:
    """Participants who see identity write tasks and invite; pseudonymised consultants only advise."""
    return (
        access.case.is_open
        and access.sees_identity
        and not access.participation.read_only
        and acts_for(user, access)
    )


def can_change_task(user: User, access: CaseAccess, task: Task) -> bool:
    """Complete or hand on a task: an open task of a case the user may edit."""
    return can_edit_case(user, access) and task.status == TaskStatus.OPEN


def can_manage_lead(user: User, access: CaseAccess) -> bool:
    return access.is_lead and access.case.is_open and acts_for(user, access)


def can_view_audit(user: User, access: CaseAccess) -> bool:
    """The lead organisation's coordination sees who accessed the case."""
    return access.is_lead and any(
        m.organisation_id == access.organisation_id and m.role in (Role.COORDINATOR, Role.ADMIN)
        for m in active_memberships(user)
    )


def can_respond_for(user: User, organisation_id: int) -> bool:
    """Accepting an invitation or a handover is for the receiving organisation's coordination."""
    return any(
        m.organisation_id == organisation_id and m.role in (Role.COORDINATOR, Role.ADMIN)
        for m in active_memberships(user)
    )


def answerable_handovers(user: User, handovers: Iterable[LeadHandover]) -> set[int]:
    """The ids of those lead hand-overs the user may accept or decline (``can_respond_for`` their
    receiving organisation), for the lists that show them."""
    return {h.pk for h in handovers if can_respond_for(user, h.to_organisation_id)}


def can_decide_duplicates(user: User, organisation_id: int) -> bool:
    """Joining two of an organisation's cases on one child (or calling them distinct), and undoing
    it, is for that organisation's coordination."""
    return can_respond_for(user, organisation_id)


def require_edit_case(user: User, access: CaseAccess) -> None:
    if not can_edit_case(user, access):
        raise PermissionDenied(MSG_READ_ONLY)


def require_change_task(user: User, access: CaseAccess, task: Task) -> None:
    if not can_change_task(user, access, task):
        raise PermissionDenied(MSG_TASK_FIXED)


def require_manage_lead(user: User, access: CaseAccess) -> None:
    if not can_manage_lead(user, access):
        raise PermissionDenied(MSG_ONLY_LEAD)


def require_view_audit(user: User, access: CaseAccess) -> None:
    if access.participation.pseudonymised:
        raise Http404  # a pseudonymised participant learns nothing of who else works on the case
    if not can_view_audit(user, access):
        raise PermissionDenied(MSG_AUDIT_LEAD_COORDINATION)


@dataclass(frozen=True)
class CasePermissions:
    """What the case page offers one user: each a decision of this module."""

    edit: bool
    lead: bool
    view_audit: bool
    answer_handover: bool


def case_permissions(
    user: User, access: CaseAccess, pending_handover: LeadHandover | None
) -> CasePermissions:
    return CasePermissions(
        edit=can_edit_case(user, access),
        lead=can_manage_lead(user, access),
        view_audit=can_view_audit(user, access),
        answer_handover=pending_handover is not None
        and can_respond_for(user, pending_handover.to_organisation_id),
    )


ACTIVE = ParticipationStatus.ACTIVE
