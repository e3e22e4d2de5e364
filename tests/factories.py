"""Test data built through the same paths as production (services where they exist)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from schutznetz.accounts.models import User
from schutznetz.network import services
from schutznetz.network.models import Membership, OnCallShift, Organisation, OrganisationKind, Role

PASSWORD = "Richtig-Langes-Passwort-1"
_seq = itertools.count(1)


def make_user(username: str | None = None, **extra: object) -> User:
    n = next(_seq)
    username = username or f"user{n}"
    user = User(
        username=username,
        email=f"{username}@example.org",
        first_name=extra.pop("first_name", "Vorname"),
        last_name=extra.pop("last_name", f"Nachname{n}"),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_org(
    name: str | None = None, kind: str = OrganisationKind.CARE_PROVIDER, **extra: object
) -> Organisation:
    n = next(_seq)
    defaults: dict[str, object] = {"city": "Dortmund", "postal_code": "44135", "phone": f"0231 {n:04d}"}
    return Organisation.objects.create(name=name or f"Organisation {n}", kind=kind, **(defaults | extra))


def make_member(user: User, org: Organisation, role: str = Role.PROFESSIONAL, **extra: object) -> Membership:
    return Membership.objects.create(
        user=user, organisation=org, role=role, phone=str(extra.pop("phone", "0231 111")), **extra
    )


def totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def make_shift(actor: User, member: Membership, starts_at: datetime, hours: float = 12) -> OnCallShift:
    return services.on_call_shift_create(
        actor=actor,
        organisation=member.organisation,
        membership=member,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        now=starts_at,
    )


@dataclass
class Network:
    dortmund: Organisation
    bochum: Organisation
    practice: Organisation
    provider: Organisation
    admin: User
    dortmund_coordinator: User
    dortmund_professional: User
    dortmund_coordinator_membership: Membership
    dortmund_professional_membership: Membership
    bochum_coordinator: User
    practice_doctor: User
    outsider: User


def build_network() -> Network:
    dortmund = make_org(
        "Jugendamt Dortmund (Test)",
        OrganisationKind.YOUTH_OFFICE,
        postal_code="44135",
        street="Ostwall 64",
        phone="0231 50-0",
    )
    bochum = make_org(
        "Jugendamt Bochum (Test)", OrganisationKind.YOUTH_OFFICE, city="Bochum", postal_code="44787"
    )
    practice = make_org("Kinderarztpraxis Sonnenschein (Test)", OrganisationKind.PAEDIATRIC_PRACTICE)
    provider = make_org("Familienhilfe Ost (Test)", OrganisationKind.CARE_PROVIDER)
    admin = make_user("admin")
    make_member(
        admin, make_org("Netzwerkkoordination (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE), Role.ADMIN
    )
    coordinator = make_user("becker", first_name="Markus", last_name="Becker")
    professional = make_user("hoffmann", first_name="Julia", last_name="Hoffmann")
    bochum_coordinator = make_user("wolf", first_name="Anna", last_name="Wolf")
    doctor = make_user("yilmaz", first_name="Elif", last_name="Yılmaz", title="Dr. med.")
    outsider = make_user("aussen", first_name="Otto", last_name="Außen")
    coordinator_membership = make_member(coordinator, dortmund, Role.COORDINATOR, phone="0231 50-1002")
    professional_membership = make_member(professional, dortmund, Role.PROFESSIONAL, phone="0231 50-1003")
    make_member(bochum_coordinator, bochum, Role.COORDINATOR)
    make_member(doctor, practice, Role.COORDINATOR)
    make_member(outsider, provider, Role.PROFESSIONAL)
    for code in ("44135", "44137"):
        services.jurisdiction_area_add(actor=admin, youth_office=dortmund, postal_code=code)
    services.jurisdiction_area_add(actor=admin, youth_office=bochum, postal_code="44787")
    services.jurisdiction_area_add(
        actor=admin, youth_office=dortmund, postal_code="44388", municipality="Dortmund"
    )
    services.jurisdiction_area_add(
        actor=admin, youth_office=bochum, postal_code="44388", municipality="Bochum"
    )
    return Network(
        dortmund,
        bochum,
        practice,
        provider,
        admin,
        coordinator,
        professional,
        coordinator_membership,
        professional_membership,
        bochum_coordinator,
        doctor,
        outsider,
    )


def now() -> datetime:
    return timezone.now()


def child_identity(given: str = "Mia", family: str = "Meier", born: str = "2021-01-15", **extra: str):  # type: ignore[no-untyped-def]
    from datetime import date

    from schutznetz.people.identity import ChildIdentity

    return ChildIdentity(
        given_name=given,
        family_name=family,
        birth_date=date.fromisoformat(born),
        street=extra.get("street", "Musterweg 1"),
        postal_code=extra.get("postal_code", "44135"),
        city=extra.get("city", "Dortmund"),
    )


def make_case(
    actor: User, org: Organisation, identity: object = None, title: str = "Hämatome unklarer Ursache"
):  # type: ignore[no-untyped-def]
    from schutznetz.cases.services import FirstTask, case_create

    return case_create(
        actor=actor,
        organisation=org,
        title=title,
        identity=identity or child_identity(),
        first_task=FirstTask("Hausbesuch", timezone.localdate() + timedelta(days=3)),
    )


@dataclass
class CaseWorld:
    """One case with the named actors of the conventions."""

    network: Network
    case: object
    lead: User  # professional of the lead youth office
    participant: User  # coordinator of a care provider taking part with identity
    consultant: User  # specialist taking part pseudonymised (§ 4 Abs. 2 KKG)
    outsider: User  # another youth office, not in the case


def build_case_world() -> CaseWorld:
    from schutznetz.cases import queries
    from schutznetz.cases.models import CaseRole, LegalBasis
    from schutznetz.cases.services import participation_invite, participation_respond

    net = build_network()
    case = make_case(net.dortmund_professional, net.dortmund)
    access = queries.case_get_for(net.dortmund_professional, case.pk)
    provider_coordinator = make_user("meyer", first_name="Frank", last_name="Meyer")
    make_member(provider_coordinator, net.provider, Role.COORDINATOR)
    centre = make_org("Kinderschutzzentrum (Test)", OrganisationKind.CHILD_PROTECTION_CENTRE)
    consultant = make_user("vogel", first_name="Ute", last_name="Vogel")
    make_member(consultant, centre, Role.COORDINATOR)
    p1 = participation_invite(
        actor=net.dortmund_professional,
        access=access,
        organisation=net.provider,
        role=CaseRole.CARE_PROVIDER,
        legal_basis=LegalBasis.SGB8_8A_4,
    )
    participation_respond(actor=provider_coordinator, participation=p1, accept=True)
    p2 = participation_invite(
        actor=net.dortmund_professional,
        access=access,
        organisation=centre,
        role=CaseRole.SPECIALIST,
        legal_basis=LegalBasis.KKG_4_2,
        pseudonymised=True,
    )
    participation_respond(actor=consultant, participation=p2, accept=True)
    return CaseWorld(
        net, case, net.dortmund_professional, provider_coordinator, consultant, net.bochum_coordinator
    )


def api_key(user: User) -> str:
    """A new personal API token of ``user`` (as sent in ``Authorization: Token …``)."""
    from schutznetz.accounts.services import api_token_create

    return api_token_create(user=user, name="Test").key
