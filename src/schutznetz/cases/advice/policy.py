"""Who records and who reads the specialist's advice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from schutznetz.cases.models import (
    PSEUDONYMISED_BASES,
    PSEUDONYMISED_ROLES,
    Participation,
    ParticipationStatus,
    must_be_pseudonymised,
)
from schutznetz.cases.policy import CaseAccess, acts_for

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_ONLY_SPECIALIST = (
    "Das Beratungsergebnis dokumentiert die insoweit erfahrene Fachkraft, die am offenen Fall berät."
)


def is_specialist(access: CaseAccess) -> bool:
    """The user's organisation advises in this case as insoweit erfahrene Fachkraft."""
    participation = access.participation
    return (
        must_be_pseudonymised(participation.role, participation.legal_basis) and not participation.read_only
    )


def can_record_advice(user: User, access: CaseAccess) -> bool:
    return access.case.is_open and is_specialist(access) and acts_for(user, access)


def require_record_advice(user: User, access: CaseAccess) -> None:
    if not can_record_advice(user, access):
        raise PermissionDenied(MSG_ONLY_SPECIALIST)


# Whether an insoweit erfahrene Fachkraft is asked in the case: read with the case page's access as a
# participation fact (``cases.queries.register_participation_fact``), else asked once.
SPECIALIST_ASKED = "_specialist_asked"


def _specialists() -> QuerySet[Participation]:
    return Participation.objects.filter(
        Q(role__in=PSEUDONYMISED_ROLES) | Q(legal_basis__in=PSEUDONYMISED_BASES),
        status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACTIVE],
    )


def specialist_asked() -> Exists:
    return Exists(_specialists().filter(case_id=OuterRef("case_id")))


def _specialist_asked(access: CaseAccess) -> bool:
    known: bool | None = getattr(access.participation, SPECIALIST_ASKED, None)
    if known is None:
        known = _specialists().filter(case_id=access.case.pk).exists()
        setattr(access.participation, SPECIALIST_ASKED, known)
    return known


def can_read_advice(user: User, access: CaseAccess) -> bool:
    """The case page's section: the specialist (its own advice), and those who know the child once a
    specialist is asked in the case."""
    return is_specialist(access) or (access.sees_identity and _specialist_asked(access))
