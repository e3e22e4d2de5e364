"""Writes to user accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device

from schutznetz.accounts.authentication import digest
from schutznetz.accounts.models import ApiToken, User
from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_record
from schutznetz.notify.services import notify


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Block all further sign-ins and API use. Accounts are never deleted."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    return user


MSG_TOKEN_NAME = "Bitte das Token benennen, z. B. nach dem Fachverfahren, das es verwendet."
MSG_TOKEN_LIFETIME = "Ein API-Token gilt höchstens {days} Tage."


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``key`` is shown once and never stored."""

    token: ApiToken
    key: str


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = None) -> IssuedToken:
    """A new personal API token of ``user``, valid for ``days`` (at most ``API_TOKEN_LIFETIME_DAYS``)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [MSG_TOKEN_NAME]})
    longest = settings.API_TOKEN_LIFETIME_DAYS
    days = days or longest
    if not 1 <= days <= longest:
        raise ValidationError({"days": [MSG_TOKEN_LIFETIME.format(days=longest)]})
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=digest(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=user,
        organisation=None,
        action=AuditAction.CREATE,
        object_type="ApiToken",
        object_id=token.pk,
        purpose="API-Token erzeugt",
        details={"name": name, "prefix": prefix, "expires_at": token.expires_at.isoformat()},
    )
    return IssuedToken(token, key)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The token stops working at once; it stays listed as revoked."""
    if token.user_id != actor.pk:
        raise PermissionDenied("Nur die Inhaberin oder der Inhaber kann ein API-Token widerrufen.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATE,
            object_type="ApiToken",
            object_id=token.pk,
            purpose="API-Token widerrufen",
            details={"prefix": token.prefix},
        )
    return token


@transaction.atomic
def second_factor_enrolled(*, user: User, device: Device) -> None:
    """A device was enrolled: every other device of the user stops working (a lost or stolen phone
    is replaced, not added to); the change is on the audit trail and the user is told by mail."""
    replaced = [d for d in devices_for_user(user, confirmed=None) if d.persistent_id != device.persistent_id]
    for old in replaced:
        old.delete()
    audit_record(
        actor=user,
        organisation=None,
        action=AuditAction.UPDATE if replaced else AuditAction.CREATE,
        object_type=type(device).__name__,
        object_id=device.pk,
        purpose="Zweiten Faktor neu eingerichtet" if replaced else "Zweiten Faktor eingerichtet",
        details={"replaced": [d.persistent_id for d in replaced]},
    )
    if replaced:
        notify(
            recipients=[user],
            kind="second_factor_replaced",
            title="Neuer zweiter Faktor für Ihr Konto",
            body=(
                "Für Ihr Schutznetz-Konto wurde soeben ein neues Gerät als zweiter Faktor eingerichtet; "
                "das bisherige gilt nicht mehr. Waren Sie das nicht, wenden Sie sich sofort an Ihre "
                "Koordination: dann kennt jemand Ihr Passwort und Ihren bisherigen Sicherheitscode."
            ),
            url=reverse("accounts:profile"),
        )


# Changes the person concerned must hear of: rights and sign-in. The admin's change message names
# fields by their untranslated labels.
_TOLD_FIELDS = {
    "Superuser status",
    "Staff status",
    "Active",
    "Groups",
    "User permissions",
    "Password",
    "Password-based authentication",
}


@transaction.atomic
def user_changed_by_admin(*, actor: User, user: User, fields: list[str], created: bool) -> None:
    """An account was created or changed in the admin site: on the audit trail with the changed
    fields (never their values), and the person is told of changes to their rights or password."""
    audit_record(
        actor=actor,
        organisation=None,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="User",
        object_id=user.pk,
        purpose="Benutzerkonto angelegt" if created else "Benutzerkonto geändert (Administration)",
        details={"fields": fields, "is_staff": user.is_staff, "is_superuser": user.is_superuser},
    )
    told = [f for f in fields if f in _TOLD_FIELDS]
    if told and user.pk != actor.pk:
        notify(
            recipients=[user],
            kind="account_changed",
            title="Ihr Schutznetz-Konto wurde geändert",
            body=(
                f"Die Netzwerkadministration ({actor.display_name}) hat die Rechte oder die Anmeldung "
                "Ihres Kontos geändert. Waren Sie darüber nicht informiert, wenden Sie sich an Ihre "
                "Koordination."
            ),
            url=reverse("accounts:profile"),
        )
