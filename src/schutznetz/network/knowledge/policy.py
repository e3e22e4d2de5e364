"""Who may read and who may maintain the knowledge base."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from schutznetz.network import policy
from schutznetz.network.models import Role

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.network.models import KnowledgeArticle

MSG_NOT_ALLOWED = "Wissensartikel pflegen die Koordinationen und die Netzwerkadministration."


def audience_kinds(user: User) -> list[str]:
    """The organisation kinds the user belongs to: articles for these audiences are theirs to read."""
    return sorted({m.organisation.kind for m in policy.active_memberships(user)})


def reads_everything(user: User) -> bool:
    return policy.is_network_admin(user)


def can_edit(user: User) -> bool:
    return user.is_active and (
        policy.is_network_admin(user)
        or any(m.role == Role.COORDINATOR for m in policy.active_memberships(user))
    )


def require_edit(user: User) -> None:
    if not can_edit(user):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def can_attach(user: User, article: KnowledgeArticle) -> bool:
    """Files are attached to the current version of an article, by those who maintain articles."""
    return article.is_current and can_edit(user)


def require_attach(user: User, article: KnowledgeArticle) -> None:
    if not can_attach(user, article):
        raise PermissionDenied(MSG_NOT_ALLOWED)
