"""Writes to network data: validate, check the policy, save, in one transaction."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.accounts.queries import active_user_by_login
from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object
from schutznetz.network import policy
from schutznetz.network.models import (
    ContactChannel,
    JurisdictionArea,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationKind,
    OrganisationUnit,
    Role,
)
from schutznetz.network.queries import coordinators_of, municipality_key
from schutznetz.notify.services import notify

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_NOT_ALLOWED = policy.MSG_NOT_ALLOWED
MSG_SHIFT_END_BEFORE_START = "Das Ende des Dienstes muss nach dessen Beginn liegen."
MSG_SHIFT_TOO_LONG = "Ein Dienst darf höchstens 7 Tage dauern; bitte in mehrere Dienste aufteilen."
MSG_SHIFT_IN_PAST = "Ein Dienst, der bereits beendet ist, kann nicht mehr eingetragen werden."
MSG_SHIFT_MEMBER = "Die Person gehört nicht (mehr) zu dieser Organisation."
MSG_SHIFT_DATA_PROTECTION = (
    "Datenschutzbeauftragte übernehmen keine Rufbereitschaft: Im Dienst gehen Mitteilungen und Krisen ein, "
    "die sie nicht lesen."
)
MSG_SHIFT_NO_PHONE = "Bitte eine Telefonnummer angeben, unter der die Person im Dienst erreichbar ist."
MSG_SHIFT_ALREADY_OVER = "Ein bereits beendeter Dienst kann nicht mehr storniert werden."
MSG_NOT_A_YOUTH_OFFICE = "Zuständigkeitsgebiete können nur für Jugendämter hinterlegt werden."
MSG_AREA_EXISTS = "Für {area} ist bereits {office} als zuständig hinterlegt."
MSG_AREA_OVERLAPS_SPLIT = (
    "Die Postleitzahl {postal_code} ist bereits nach Gemeinden aufgeteilt ({offices}); "
    "bitte die Gemeinde bzw. den Stadtteil angeben."
)
MSG_AREA_OVERLAPS_WHOLE = (
    "Für die gesamte Postleitzahl {postal_code} ist bereits {office} als zuständig hinterlegt."
)

MSG_ADMIN_ROLE = "Die Rolle Netzwerkadministration kann nur die Netzwerkadministration vergeben."
MSG_LAST_COORDINATOR = (
    "Die Organisation braucht mindestens eine Koordination. Bitte zuerst eine andere Person als "
    "Koordination eintragen."
)
MSG_UNIT_EXISTS = "Eine Organisationseinheit dieses Namens gibt es bereits."
MSG_UNIT_OTHER_ORGANISATION = "Die Organisationseinheit gehört zu einer anderen Organisation."
MSG_ALREADY_MEMBER = "Die Person gehört der Organisation bereits an."
MSG_NO_ACCOUNT = (
    "Es gibt kein aktives Benutzerkonto mit diesem Benutzernamen und dieser E-Mail-Adresse. Neue Konten "
    "legt die Netzwerkadministration an."
)
MSG_ORGANISATION_ADMIN_ONLY = "Name, Art und Status einer Organisation ändert die Netzwerkadministration."

MAX_SHIFT = timedelta(days=7)

ORGANISATION_EDITABLE_FIELDS = (
    "description",
    "street",
    "postal_code",
    "city",
    "phone",
    "email",
    "website",
    "alert_sms_gateway",
    "alert_webhook_url",
)
# What only the network administration changes: which organisation this is and whether it takes part.
ORGANISATION_ADMIN_FIELDS = ("name", "kind", "state", "is_active")


def _require_manage(actor: User, organisation: Organisation) -> None:
    policy.require_manage_organisation(actor, organisation)


def _audit(
    actor: User, organisation_id: int | None, action: str, obj: object, purpose: str, **details: object
) -> None:
    audit_object(actor, organisation_id, action, obj, purpose, case_id=None, **details)


@transaction.atomic
def organisation_create(*, actor: User, data: dict[str, Any]) -> Organisation:
    """Admit an organisation to the network (the network administration's decision)."""
    if not policy.is_network_admin(actor):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    fields = set(ORGANISATION_EDITABLE_FIELDS) | set(ORGANISATION_ADMIN_FIELDS)
    organisation = Organisation(**{k: v for k, v in data.items() if k in fields})
    organisation.full_clean()
    organisation.save()
    _audit(
        actor,
        organisation.pk,
        AuditAction.CREATE,
        organisation,
        "Organisation aufgenommen",
        name=organisation.name,
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Change an organisation's directory entry (address, contacts, description); its name, kind,
    federal state and whether it takes part only by the network administration."""
    _require_manage(actor, organisation)
    fields = list(ORGANISATION_EDITABLE_FIELDS)
    if any(f in data and getattr(organisation, f) != data[f] for f in ORGANISATION_ADMIN_FIELDS):
        if not policy.is_network_admin(actor):
            raise PermissionDenied(MSG_ORGANISATION_ADMIN_ONLY)
        fields += ORGANISATION_ADMIN_FIELDS
    changed = [f for f in fields if f in data and getattr(organisation, f) != data[f]]
    for name in changed:
        setattr(organisation, name, data[name])
    if "alert_webhook_url" in changed:
        # A new address gets a new signing key (shown to the organisation's coordination only).
        organisation.alert_webhook_secret = secrets.token_hex(32) if organisation.alert_webhook_url else ""
        changed.append("alert_webhook_secret")
    organisation.full_clean()
    if changed:
        organisation.save(update_fields=[*changed, "updated_at"])
        _audit(
            actor,
            organisation.pk,
            AuditAction.UPDATE,
            organisation,
            "Angaben der Organisation geändert",
            fields=changed,
        )
    return organisation


@transaction.atomic
def contact_channel_add(
    *, actor: User, organisation: Organisation, kind: str, label: str, value: str, availability: str = ""
) -> ContactChannel:
    _require_manage(actor, organisation)
    channel = ContactChannel(
        organisation=organisation,
        kind=kind,
        label=label.strip(),
        value=value.strip(),
        availability=availability.strip(),
        position=organisation.contact_channels.count(),
    )
    channel.full_clean()
    channel.save()
    _audit(actor, organisation.pk, AuditAction.CREATE, channel, "Kontaktweg hinzugefügt", label=channel.label)
    return channel


@transaction.atomic
def contact_channel_remove(*, actor: User, channel: ContactChannel) -> None:
    _require_manage(actor, channel.organisation)
    _audit(
        actor,
        channel.organisation_id,
        AuditAction.UPDATE,
        channel,
        "Kontaktweg entfernt",
        label=channel.label,
        value=channel.value,
    )
    channel.delete()


@transaction.atomic
def on_call_shift_create(
    *,
    actor: User,
    organisation: Organisation,
    membership: Membership,
    starts_at: datetime,
    ends_at: datetime,
    phone: str = "",
    note: str = "",
    now: datetime | None = None,
) -> OnCallShift:
    """Put a member of the organisation on call for a time window."""
    _require_manage(actor, organisation)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if membership.organisation_id != organisation.pk or not membership.is_active:
        errors.setdefault("membership", []).append(MSG_SHIFT_MEMBER)
    elif membership.role == Role.DATA_PROTECTION:
        # The on-call person receives reports and crises, which the data-protection officer never reads.
        errors.setdefault("membership", []).append(MSG_SHIFT_DATA_PROTECTION)
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(MSG_SHIFT_END_BEFORE_START)
    elif ends_at - starts_at > MAX_SHIFT:
        errors.setdefault("ends_at", []).append(MSG_SHIFT_TOO_LONG)
    elif ends_at <= now:
        errors.setdefault("ends_at", []).append(MSG_SHIFT_IN_PAST)
    phone = phone.strip() or membership.phone or ""
    if not phone:
        errors.setdefault("phone", []).append(MSG_SHIFT_NO_PHONE)
    if errors:
        raise ValidationError(errors)
    shift = OnCallShift(
        organisation=organisation,
        membership=membership,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=phone,
        note=note.strip(),
        created_by=actor,
    )
    shift.full_clean()
    shift.save()
    _audit(
        actor,
        organisation.pk,
        AuditAction.CREATE,
        shift,
        "Rufbereitschaft eingetragen",
        membership=membership.pk,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )
    return shift


@transaction.atomic
def on_call_shift_cancel(*, actor: User, shift: OnCallShift, now: datetime | None = None) -> OnCallShift:
    """Withdraw a shift; it stays on record as cancelled."""
    _require_manage(actor, shift.organisation)
    now = now or timezone.now()
    if shift.ends_at <= now:
        raise ValidationError(MSG_SHIFT_ALREADY_OVER)
    if shift.cancelled_at is None:
        shift.cancelled_at = now
        shift.save(update_fields=["cancelled_at"])
        _audit(actor, shift.organisation_id, AuditAction.UPDATE, shift, "Rufbereitschaft storniert")
    return shift


@transaction.atomic
def jurisdiction_area_add(
    *, actor: User, youth_office: Organisation, postal_code: str, municipality: str = ""
) -> JurisdictionArea:
    """Record that a youth office is competent for a postal code (or one municipality within it).

    Rejects overlaps: a postal code is either served whole by one youth office, or split by
    municipality, never both.
    """
    if youth_office.kind != OrganisationKind.YOUTH_OFFICE:
        raise ValidationError({"youth_office": [MSG_NOT_A_YOUTH_OFFICE]})
    if not policy.can_manage_jurisdiction(actor, youth_office):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    area = JurisdictionArea(
        youth_office=youth_office,
        postal_code=postal_code.replace(" ", "").strip(),
        municipality=" ".join(municipality.split()),
        municipality_key=municipality_key(municipality),
    )
    area.full_clean(exclude=["youth_office"], validate_unique=False, validate_constraints=False)
    # Lock the postal code's rows so that two coordinators cannot create an overlap concurrently.
    existing = list(
        JurisdictionArea.objects.select_for_update()
        .filter(postal_code=area.postal_code)
        .select_related("youth_office")
    )
    _check_overlap(area, existing)
    area.save()
    _audit(
        actor, youth_office.pk, AuditAction.CREATE, area, "Zuständigkeitsgebiet hinterlegt", area=str(area)
    )
    return area


def _check_overlap(area: JurisdictionArea, existing: list[JurisdictionArea]) -> None:
    for other in existing:
        if other.municipality_key == area.municipality_key:
            raise ValidationError(
                {"municipality": [MSG_AREA_EXISTS.format(area=str(other), office=other.youth_office.name)]}
            )
    others = [o for o in existing if o.youth_office_id != area.youth_office_id]
    if not area.municipality_key and others:
        offices = ", ".join(sorted({o.youth_office.name for o in others}))
        raise ValidationError(
            {"municipality": [MSG_AREA_OVERLAPS_SPLIT.format(postal_code=area.postal_code, offices=offices)]}
        )
    whole = [o for o in others if not o.municipality_key]
    if area.municipality_key and whole:
        raise ValidationError(
            {
                "municipality": [
                    MSG_AREA_OVERLAPS_WHOLE.format(
                        postal_code=area.postal_code, office=whole[0].youth_office.name
                    )
                ]
            }
        )


@transaction.atomic
def unit_add(
    *, actor: User, organisation: Organisation, name: str, phone: str = "", email: str = ""
) -> OrganisationUnit:
    _require_manage(actor, organisation)
    name = " ".join(name.split())
    if organisation.units.filter(name__iexact=name).exists():
        raise ValidationError({"name": [MSG_UNIT_EXISTS]})
    unit = OrganisationUnit(organisation=organisation, name=name, phone=phone.strip(), email=email.strip())
    unit.full_clean()
    unit.save()
    _audit(actor, organisation.pk, AuditAction.CREATE, unit, "Organisationseinheit angelegt", name=unit.name)
    return unit


def _keeps_a_coordinator(membership: Membership) -> bool:
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id,
        is_active=True,
        role__in=[Role.COORDINATOR, Role.ADMIN],
        user__is_active=True,
    ).exclude(pk=membership.pk)
    return others.exists()


def _lock_members(organisation: Organisation) -> None:
    """Serialise changes to an organisation's members: two coordinators demoting each other must not
    both succeed."""
    list(
        Membership.objects.select_for_update().filter(organisation=organisation).values_list("pk", flat=True)
    )


def _check_role(actor: User, membership: Membership, role: str) -> None:
    changes_admin = Role.ADMIN in (role, membership.role) and role != membership.role
    if changes_admin and not policy.is_network_admin(actor):
        raise ValidationError({"role": [MSG_ADMIN_ROLE]})


def _tell_about_member(actor: User, membership: Membership, title: str, body: str) -> None:
    """Who acts for an organisation is the coordination's business: each change to it reaches every
    coordinator of the organisation, and the person concerned."""
    organisation = membership.organisation
    notify(
        recipients=[*coordinators_of(organisation.pk), membership.user],
        kind="membership_changed",
        title=f"{organisation.name}: {title}",
        body=f"{body}\nGeändert von {actor.display_name}.",
        url=reverse("network:organisation", args=[organisation.pk]),
    )


@transaction.atomic
def membership_create(
    *,
    actor: User,
    organisation: Organisation,
    username: str,
    email: str,
    role: str = Role.PROFESSIONAL,
    job_title: str = "",
    profession: str = "",
    phone: str = "",
    unit: OrganisationUnit | None = None,
) -> Membership:
    """Let a person act for the organisation (or again, after an ended membership).

    The account is named by its user name *and* e-mail address, so that a coordinator cannot find out
    which user names exist, nor add the wrong person by a typing error.
    """
    _require_manage(actor, organisation)
    user = active_user_by_login(username=username, email=email)
    if user is None:
        raise ValidationError({"username": [MSG_NO_ACCOUNT]})
    _lock_members(organisation)
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is not None and membership.is_active:
        raise ValidationError({"username": [MSG_ALREADY_MEMBER]})
    if membership is None:
        membership = Membership(organisation=organisation, user=user, role=Role.PROFESSIONAL)
    _check_role(actor, membership, role)
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": [MSG_UNIT_OTHER_ORGANISATION]})
    _fill(membership, role=role, job_title=job_title, profession=profession, phone=phone, unit=unit)
    membership.is_active = True
    membership.full_clean(exclude=["user", "organisation"], validate_unique=False, validate_constraints=False)
    membership.save()
    policy.forget_memberships(user)
    _audit(
        actor,
        organisation.pk,
        AuditAction.CREATE,
        membership,
        "Mitgliedschaft begonnen",
        user=user.pk,
        role=role,
        profession=profession,
    )
    _tell_about_member(
        actor,
        membership,
        "neues Mitglied",
        f"{user.display_name} handelt ab jetzt für die Organisation "
        f"(Rolle: {membership.get_role_display()}).",
    )
    return membership


# What the coordination sets of a membership (and the unit): each change is named in the audit event.
MEMBER_FIELDS = ("role", "job_title", "profession", "phone")


def _fill(
    membership: Membership,
    *,
    role: str,
    job_title: str,
    profession: str,
    phone: str,
    unit: OrganisationUnit | None,
) -> None:
    membership.role, membership.job_title, membership.profession = role, job_title.strip(), profession
    membership.phone, membership.unit = phone.strip(), unit


def _member_fields(membership: Membership) -> dict[str, object]:
    return {**{name: getattr(membership, name) for name in MEMBER_FIELDS}, "unit": membership.unit_id}


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    role: str,
    job_title: str = "",
    profession: str = "",
    phone: str = "",
    unit: OrganisationUnit | None = None,
) -> Membership:
    """Change a member's role, function, profession, phone or unit."""
    organisation = membership.organisation
    _require_manage(actor, organisation)
    _lock_members(organisation)
    _check_role(actor, membership, role)
    if (
        role == Role.PROFESSIONAL
        and membership.role != Role.PROFESSIONAL
        and not _keeps_a_coordinator(membership)
    ):
        raise ValidationError({"role": [MSG_LAST_COORDINATOR]})
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": [MSG_UNIT_OTHER_ORGANISATION]})
    before = _member_fields(membership)
    _fill(membership, role=role, job_title=job_title, profession=profession, phone=phone, unit=unit)
    membership.full_clean(exclude=["user", "organisation"], validate_unique=False, validate_constraints=False)
    after = _member_fields(membership)
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changed:
        return membership
    membership.save(update_fields=[*MEMBER_FIELDS, "unit"])
    policy.forget_memberships(membership.user)
    _audit(actor, organisation.pk, AuditAction.UPDATE, membership, "Mitgliedschaft geändert", changed=changed)
    if "role" in changed:
        old_role = Role(str(before["role"])).label
        _tell_about_member(
            actor,
            membership,
            "Rolle geändert",
            f"{membership.user.display_name}: Rolle {old_role} → {membership.get_role_display()}.",
        )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> Membership:
    """End a membership: the person no longer acts for the organisation. Kept on record."""
    _require_manage(actor, membership.organisation)
    _lock_members(membership.organisation)
    if membership.role != Role.PROFESSIONAL and not _keeps_a_coordinator(membership):
        raise ValidationError({"role": [MSG_LAST_COORDINATOR]})
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        policy.forget_memberships(membership.user)
        # Future duty of the person is withdrawn; the roster then shows the gap.
        OnCallShift.objects.filter(
            membership=membership, cancelled_at=None, ends_at__gt=timezone.now()
        ).update(cancelled_at=timezone.now())
        _audit(actor, membership.organisation_id, AuditAction.UPDATE, membership, "Mitgliedschaft beendet")
        _tell_about_member(
            actor,
            membership,
            "Mitgliedschaft beendet",
            f"{membership.user.display_name} handelt nicht mehr für die Organisation; "
            "künftige Rufbereitschaften wurden storniert.",
        )
    return membership
