"""Who may do what in the network directory.

The directory itself (organisations, their contacts, members and on-call duty) is visible to every
signed-in member of the network: that is what it is for. Maintaining an organisation's entry is for
its coordinators and for the network administration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from schutznetz.network.models import Membership, Organisation, OrganisationKind, Role

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

_CACHE_ATTR = "_schutznetz_memberships"


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships, loaded once per request (cached on the user object)."""
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.working()
            .filter(user=user, organisation__is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def youth_offices_of(user: User) -> list[Organisation]:
    """The Jugendämter the user works for (from the memberships loaded once per request)."""
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == OrganisationKind.YOUTH_OFFICE
    ]


def forget_memberships(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_network_admin(user: User) -> bool:
    return bool(user.is_superuser) or any(m.role == Role.ADMIN for m in active_memberships(user))


def can_manage_organisation(user: User, organisation: Organisation) -> bool:
    if not user.is_active:
        return False
    if is_network_admin(user):
        return True
    return any(
        m.organisation_id == organisation.pk and m.role == Role.COORDINATOR for m in active_memberships(user)
    )


MSG_NOT_ALLOWED = "Sie dürfen die Angaben dieser Organisation nicht ändern."


def require_manage_organisation(user: User, organisation: Organisation) -> None:
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def can_manage_jurisdiction(user: User, youth_office: Organisation) -> bool:
    return youth_office.kind == OrganisationKind.YOUTH_OFFICE and can_manage_organisation(user, youth_office)
