"""Reads of the specialist's advice, filtered by policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from schutznetz.cases.advice import policy
from schutznetz.cases.models import SpecialistAdvice
from schutznetz.cases.policy import CaseAccess

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

ADVICE_LIMIT = 50


def advice_for(user: User, access: CaseAccess) -> list[SpecialistAdvice]:
    """The advice of the case (newest first); a pseudonymised specialist reads its own only."""
    if not policy.can_read_advice(user, access):
        raise Http404("Fall nicht gefunden.")
    advice = SpecialistAdvice.objects.filter(case=access.case)
    if not access.sees_identity:
        advice = advice.filter(organisation_id=access.organisation_id)
    return list(advice.select_related("organisation", "given_by")[:ADVICE_LIMIT])
