"""Who may record and revise an agreement, and who reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from schutznetz.network import policy

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.network.models import Organisation

MSG_NOT_A_PARTY = "Sie können nur Vereinbarungen Ihrer eigenen Organisation anlegen oder ändern."


def reads_all(user: User) -> bool:
    """The network administration reads every agreement; everyone else those of their organisations."""
    return policy.is_network_admin(user)


def require_party(user: User, parties: list[Organisation]) -> None:
    """Agreements are recorded and revised by the coordination of one of their parties."""
    if not any(policy.can_manage_organisation(user, p) for p in parties):
        raise PermissionDenied(MSG_NOT_A_PARTY)


MSG_NOT_OWN_HANDOVER = (
    "Reaktionszeiten können nur für Übergaben abgefragt werden, an denen Ihre Organisation beteiligt ist."
)


def acts_for_either(user: User, *organisations: Organisation) -> bool:
    """Whether the user acts for one of the organisations (or is the network administration)."""
    ids = {o.pk for o in organisations}
    return policy.is_network_admin(user) or any(
        m.organisation_id in ids for m in policy.active_memberships(user)
    )


def require_own_handover(user: User, sender: Organisation, receiver: Organisation) -> None:
    """What two other organisations agreed between them is theirs: a look-up names one's own side."""
    if not acts_for_either(user, sender, receiver):
        raise PermissionDenied(MSG_NOT_OWN_HANDOVER)


def may_accept(user: User, parties: list[Organisation], accepted: set[int]) -> bool:
    """The coordination of a party that has not yet consented may consent."""
    return any(p.pk not in accepted and policy.can_manage_organisation(user, p) for p in parties)
