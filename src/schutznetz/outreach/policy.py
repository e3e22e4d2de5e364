"""Who may do what in outreach.

Consultation hours and help offers are the network's shared catalogue: every member sees them.
A booking's reference and topic are for the practice and the counsellor's organisation; a
referral is for the referring organisation and the provider of the offer. Everyone else gets 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schutznetz.network.models import Role
from schutznetz.network.policy import active_memberships, is_network_admin
from schutznetz.outreach.models import HourStatus

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.outreach.models import ConsultationHour, Referral


def organisation_ids(user: User) -> list[int]:
    return [m.organisation_id for m in active_memberships(user)]


def coordinates(user: User, *organisation_ids: int) -> bool:
    if is_network_admin(user):
        return True
    return any(
        m.organisation_id in organisation_ids and m.role in (Role.COORDINATOR, Role.ADMIN)
        for m in active_memberships(user)
    )


def takes_part_in_hour(user: User, hour: ConsultationHour) -> bool:
    """Practice staff and the counsellor's organisation book, see and cancel appointments."""
    return bool({hour.practice_id, hour.counsellor_organisation_id} & set(organisation_ids(user)))


def counsels_in_hour(user: User, hour: ConsultationHour) -> bool:
    """The outcome of a consultation is recorded by the counsellor's side, who held it."""
    return hour.counsellor_id == user.pk or coordinates(user, hour.counsellor_organisation_id)


def may_book(user: User, hour: ConsultationHour) -> bool:
    """Appointments of an agreed hour are booked by the practice and the counsellor's organisation."""
    return hour.status == HourStatus.ACTIVE and takes_part_in_hour(user, hour)


def may_answer_hour(user: User, hour: ConsultationHour) -> bool:
    """A proposed hour is accepted or declined by the host practice's coordination."""
    return hour.status == HourStatus.PROPOSED and coordinates(user, hour.practice_id)


def takes_part_in_referral(user: User, referral: Referral) -> bool:
    return bool({referral.from_organisation_id, referral.offer.provider_id} & set(organisation_ids(user)))
