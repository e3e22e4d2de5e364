"""Who works the Jugendamt's intake: its members (not its data-protection officer, who reads the
access log only). Everybody else does not learn that a report exists: 404, as for a missing one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from schutznetz.cases.policy import can_edit_case
from schutznetz.network import policy as network_policy
from schutznetz.network.models import Organisation
from schutznetz.welfare.models import KKG_PROFESSIONAL_SOURCES, Intake, MoveHandover, MoveStatus

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess

NOT_FOUND = "Meldung nicht gefunden."
MSG_YOUTH_OFFICE_ONLY = "Meldungen nimmt ein Jugendamt entgegen, für das Sie tätig sind."


youth_offices_of = network_policy.youth_offices_of


def can_work_intake(user: User, youth_office_id: int) -> bool:
    return user.is_active and any(o.pk == youth_office_id for o in youth_offices_of(user))


def require_read_intake(user: User, youth_office_id: int) -> None:
    if not can_work_intake(user, youth_office_id):
        raise Http404(NOT_FOUND)


def require_record_intake(user: User, youth_office: Organisation) -> None:
    if not can_work_intake(user, youth_office.pk):
        raise PermissionDenied(MSG_YOUTH_OFFICE_ONLY)


MSG_ASSESS = (
    "Die Gefährdungseinschätzung nehmen Fachkräfte des beteiligten Jugendamts vor, "
    "solange der Fall offen ist."
)


def can_assess(user: User, access: CaseAccess) -> bool:
    """Read, write and sign the risk assessment: the members of a Jugendamt taking part with identity."""
    return access.sees_identity and can_work_intake(user, access.organisation_id)


def _writable(access: CaseAccess) -> bool:
    """An open case, and not only the history left to read after a handover on moving."""
    return access.case.is_open and not access.participation.read_only


def can_write_assessment(user: User, access: CaseAccess) -> bool:
    return can_assess(user, access) and _writable(access)


def can_sign(user: User, access: CaseAccess, signer_ids: list[int]) -> bool:
    """Four eyes: a further professional signs, never the same one twice."""
    return can_write_assessment(user, access) and user.pk not in signer_ids


def require_assess(user: User, access: CaseAccess) -> None:
    """Who may not read learns nothing (404); a closed case is read only (403)."""
    if not can_assess(user, access):
        raise Http404(NOT_FOUND)
    if not _writable(access):
        raise PermissionDenied(MSG_ASSESS)


MSG_PROTECT = (
    "Schutzmaßnahmen, die Anrufung des Familiengerichts und Inobhutnahmen erfassen Fachkräfte des "
    "beteiligten Jugendamts, solange der Fall offen ist."
)


def require_protect(user: User, access: CaseAccess) -> None:
    """The consequences of the assessment belong to the Jugendamt, like the assessment itself."""
    if not can_assess(user, access):
        raise Http404(NOT_FOUND)
    if not _writable(access):
        raise PermissionDenied(MSG_PROTECT)


def can_read_help_plans(user: User, access: CaseAccess) -> bool:
    """The Jugendamt reads all help plans of the case; a provider or clinic taking part with identity
    reads those it works in (the query narrows)."""
    return user.is_active and access.sees_identity


# Case conferences.

CONFERENCE_NOT_FOUND = "Fallkonferenz nicht gefunden."
MSG_CONFERENCE = (
    "Fallkonferenzen planen und protokollieren Beteiligte mit Personenbezug, solange der Fall offen ist."
)


def can_organise_conference(user: User, access: CaseAccess) -> bool:
    return can_edit_case(user, access)


def require_organise_conference(user: User, access: CaseAccess) -> None:
    if not access.sees_identity:
        raise Http404(CONFERENCE_NOT_FOUND)
    if not can_organise_conference(user, access):
        raise PermissionDenied(MSG_CONFERENCE)


def guest_may_read(user: User, access_until: date | None, today: date) -> bool:
    """A guest reads the conference's minutes only while the legal basis or consent holds."""
    return user.is_active and access_until is not None and today <= access_until


def can_read_conferences(user: User, access: CaseAccess) -> bool:
    """The case's conferences: every participant with identity (guests reach theirs by its page)."""
    return user.is_active and access.sees_identity


MSG_NO_FEEDBACK = (
    "Eine Rückmeldung nach § 4 Abs. 4 KKG erhalten meldende Berufsgeheimnisträger (Gesundheitsberufe, "
    "Beratung, Schule) einer Stelle des Netzwerks. Anderen Meldenden gibt das Jugendamt keine Falldaten "
    "weiter."
)


def may_receive_feedback(intake: Intake) -> bool:
    """§ 4 Abs. 4 KKG: only a reporting professional of § 4 KKG, reachable in the network."""
    return intake.source in KKG_PROFESSIONAL_SOURCES and intake.reporter_organisation_id is not None


# Handover when the family moves (§ 8a Abs. 6 SGB VIII).

MOVE_NOT_FOUND = "Übergabe nicht gefunden."
MSG_MOVE_LEAD = "Die Übergabe bei Wegzug bietet das fallführende Jugendamt an."


def can_see_move(user: User, from_office_id: int, to_office_id: int) -> bool:
    return can_work_intake(user, from_office_id) or can_work_intake(user, to_office_id)


def require_offer_move(user: User, access: CaseAccess) -> None:
    require_protect(user, access)
    if not access.is_lead:
        raise PermissionDenied(MSG_MOVE_LEAD)


def require_answer_move(user: User, to_office_id: int) -> None:
    """The offered Jugendamt answers; the offering one sees the offer but cannot answer it (404 for
    everybody else, as for an offer that does not exist)."""
    if not can_work_intake(user, to_office_id):
        raise Http404(MOVE_NOT_FOUND)


def require_read_protection(user: User, access: CaseAccess) -> None:
    """The Jugendamt's sections of the case (protection, moving) are for its members only."""
    if not can_assess(user, access):
        raise Http404(NOT_FOUND)


def can_offer_move(user: User, access: CaseAccess) -> bool:
    return can_write_assessment(user, access) and access.is_lead


def can_manage_conference(user: User, case_access: CaseAccess | None) -> bool:
    """Minutes and guests are kept by the case's participants who may write (a guest reaches the
    conference without case access and only reads)."""
    return case_access is not None and can_organise_conference(user, case_access)


def can_answer_move(user: User, move: MoveHandover) -> bool:
    """An open offer is answered by the offered Jugendamt."""
    return move.status == MoveStatus.PENDING and can_work_intake(user, move.to_office_id)
