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
