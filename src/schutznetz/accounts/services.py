"""Writes to user accounts."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.models import Device
from rest_framework.authtoken.models import Token

from schutznetz.accounts.models import User
from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_record
from schutznetz.notify.services import notify


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Block all further sign-ins and API use. Accounts are never deleted."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    return user


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the user's API token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


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
