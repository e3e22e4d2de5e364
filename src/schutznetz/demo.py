"""The demo network "Netzwerk Kinderschutz Ruhr (Demo)": fictional organisations, people, duty rosters.

Seeding is idempotent: running it again keeps existing data and only tops up the on-call roster, so
that someone is on call whenever the demo is started.
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from schutznetz.accounts.models import User
from schutznetz.cases import queries as case_queries
from schutznetz.cases import services as case_services
from schutznetz.cases.models import Case, CaseRole, LegalBasis
from schutznetz.meetings.models import Meeting, MeetingKind
from schutznetz.network import services
from schutznetz.network.agreements import services as agreements
from schutznetz.network.knowledge import services as knowledge
from schutznetz.network.models import (
    ContactChannel,
    ContactChannelKind,
    CooperationAgreement,
    HandoverKind,
    JurisdictionArea,
    KnowledgeArticle,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationKind,
    OrganisationUnit,
    ResponseUnit,
    Role,
    Urgency,
)
from schutznetz.outreach.models import HelpCategory, HelpOffer, ReferralStatus
from schutznetz.people.identity import ChildIdentity

DEMO_PASSWORD = "Schutznetz-Demo-2026"
TOTP_USERNAME = "dr.yilmaz"
ROSTER_DAYS = 21

K = OrganisationKind
P, C, A = Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN

# name, kind, street, postal code, city, phone, roster ("24/7", "office" or ""), members, units
# members: username, title, first, last, job title, role, phone, unit
ORGANISATIONS: list[dict] = [
    {
        "name": "Jugendamt Dortmund (Demo)",
        "kind": K.YOUTH_OFFICE,
        "street": "Ostwall 64",
        "postal_code": "44135",
        "city": "Dortmund",
        "phone": "0231 5000-0000",
        "roster": "24/7",
        "units": ["ASD Innenstadt-West", "ASD Innenstadt-Nord", "Kinderschutzkoordination"],
        "areas": ["44135", "44137", "44139", "44141", "44143", "44145", "44147", ("44388", "Dortmund")],
        "members": [
            (
                "koordination",
                "",
                "Sabine",
                "Kramer",
                "Netzwerkkoordination Kinderschutz",
                A,
                "0231 5000-1001",
                "Kinderschutzkoordination",
            ),
            (
                "m.becker",
                "",
                "Markus",
                "Becker",
                "Teamleitung ASD Innenstadt-West",
                C,
                "0231 5000-1002",
                "ASD Innenstadt-West",
            ),
            (
                "j.hoffmann",
                "",
                "Julia",
                "Hoffmann",
                "Fachkraft ASD",
                P,
                "0231 5000-1003",
                "ASD Innenstadt-West",
            ),
            ("t.schulz", "", "Tobias", "Schulz", "Fachkraft ASD", P, "0231 5000-1004", "ASD Innenstadt-Nord"),
        ],
    },
    {
        "name": "Jugendamt Bochum (Demo)",
        "kind": K.YOUTH_OFFICE,
        "street": "Willy-Brandt-Platz 2",
        "postal_code": "44787",
        "city": "Bochum",
        "phone": "0234 5100-0000",
        "roster": "24/7",
        "units": ["ASD Mitte"],
        "areas": ["44787", "44789", "44791", "44793", "44795", ("44388", "Bochum")],
        "members": [
            ("a.wolf", "", "Anna", "Wolf", "Leitung ASD", C, "0234 5100-2001", "ASD Mitte"),
            ("s.neumann", "", "Stefan", "Neumann", "Fachkraft ASD", P, "0234 5100-2002", "ASD Mitte"),
        ],
    },
    {
        "name": "Jugendamt Essen (Demo)",
        "kind": K.YOUTH_OFFICE,
        "street": "Rathenaustraße 2",
        "postal_code": "45127",
        "city": "Essen",
        "phone": "0201 5200-0000",
        "roster": "24/7",
        "units": ["Soziale Dienste Mitte"],
        "areas": ["45127", "45128", "45130", "45131"],
        "members": [
            (
                "k.richter",
                "",
                "Katrin",
                "Richter",
                "Koordination Kinderschutz",
                C,
                "0201 5200-3001",
                "Soziale Dienste Mitte",
            ),
            (
                "d.klein",
                "",
                "David",
                "Klein",
                "Fachkraft Soziale Dienste",
                P,
                "0201 5200-3002",
                "Soziale Dienste Mitte",
            ),
        ],
    },
    {
        "name": "Klinikum Dortmund – Kinderschutzgruppe (Demo)",
        "kind": K.CHILD_PROTECTION_TEAM,
        "street": "Beurhausstraße 40",
        "postal_code": "44137",
        "city": "Dortmund",
        "phone": "0231 5300-0000",
        "roster": "24/7",
        "units": ["Kinderschutzambulanz"],
        "members": [
            (
                "dr.lange",
                "Dr. med.",
                "Miriam",
                "Lange",
                "Oberärztin Pädiatrie, Leitung Kinderschutzgruppe",
                C,
                "0231 5300-4001",
                "Kinderschutzambulanz",
            ),
            (
                "dr.fischer",
                "Dr. med.",
                "Jonas",
                "Fischer",
                "Facharzt für Kinder- und Jugendmedizin",
                P,
                "0231 5300-4002",
                "Kinderschutzambulanz",
            ),
        ],
    },
    {
        "name": "Universitätskinderklinik Bochum – Kinderschutzambulanz (Demo)",
        "kind": K.CHILD_PROTECTION_TEAM,
        "street": "Alexandrinenstraße 5",
        "postal_code": "44791",
        "city": "Bochum",
        "phone": "0234 5400-0000",
        "roster": "24/7",
        "units": [],
        "members": [
            (
                "dr.weber",
                "Dr. med.",
                "Claudia",
                "Weber",
                "Kinderschutzmedizinerin",
                C,
                "0234 5400-5001",
                None,
            ),
            (
                "l.braun",
                "",
                "Lena",
                "Braun",
                "Kinderschutzfachkraft (Sozialdienst)",
                P,
                "0234 5400-5002",
                None,
            ),
        ],
    },
    {
        "name": "Klinik für Kinder- und Jugendpsychiatrie Dortmund (Demo)",
        "kind": K.CHILD_PSYCHIATRY_CLINIC,
        "street": "Marsbruchstraße 179",
        "postal_code": "44287",
        "city": "Dortmund",
        "phone": "0231 5500-0000",
        "roster": "24/7",
        "units": ["Notaufnahme KJP"],
        "members": [
            (
                "dr.schmitt",
                "Dr. med.",
                "Andreas",
                "Schmitt",
                "Oberarzt Kinder- und Jugendpsychiatrie",
                C,
                "0231 5500-6001",
                "Notaufnahme KJP",
            ),
            (
                "n.koch",
                "",
                "Nina",
                "Koch",
                "Psychologische Psychotherapeutin",
                P,
                "0231 5500-6002",
                "Notaufnahme KJP",
            ),
        ],
    },
    {
        "name": "Kinderarztpraxis Dr. Yılmaz (Demo)",
        "kind": K.PAEDIATRIC_PRACTICE,
        "street": "Münsterstraße 120",
        "postal_code": "44145",
        "city": "Dortmund",
        "phone": "0231 5600-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "dr.yilmaz",
                "Dr. med.",
                "Elif",
                "Yılmaz",
                "Fachärztin für Kinder- und Jugendmedizin",
                C,
                "0231 5600-7001",
                None,
            ),
            (
                "m.schneider",
                "",
                "Maria",
                "Schneider",
                "Medizinische Fachangestellte",
                P,
                "0231 5600-7002",
                None,
            ),
        ],
    },
    {
        "name": "Kinder- und Jugendarztpraxis am Westpark (Demo)",
        "kind": K.PAEDIATRIC_PRACTICE,
        "street": "Rheinische Straße 88",
        "postal_code": "44137",
        "city": "Dortmund",
        "phone": "0231 5700-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "dr.hartmann",
                "Dr. med.",
                "Peter",
                "Hartmann",
                "Facharzt für Kinder- und Jugendmedizin",
                C,
                "0231 5700-8001",
                None,
            )
        ],
    },
    {
        "name": "Kinderarztpraxis Bochum-Mitte (Demo)",
        "kind": K.PAEDIATRIC_PRACTICE,
        "street": "Kortumstraße 30",
        "postal_code": "44787",
        "city": "Bochum",
        "phone": "0234 5800-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "dr.krueger",
                "Dr. med.",
                "Sandra",
                "Krüger",
                "Fachärztin für Kinder- und Jugendmedizin",
                C,
                "0234 5800-9001",
                None,
            )
        ],
    },
    {
        "name": "Familienhilfe Ruhr e. V. (Demo)",
        "kind": K.CARE_PROVIDER,
        "street": "Hohe Straße 15",
        "postal_code": "44139",
        "city": "Dortmund",
        "phone": "0231 5900-0000",
        "roster": "office",
        "units": ["Sozialpädagogische Familienhilfe"],
        "members": [
            (
                "f.meyer",
                "",
                "Frank",
                "Meyer",
                "Bereichsleitung ambulante Hilfen",
                C,
                "0231 5900-1101",
                "Sozialpädagogische Familienhilfe",
            ),
            (
                "c.zimmermann",
                "",
                "Carla",
                "Zimmermann",
                "Sozialpädagogin, insoweit erfahrene Fachkraft",
                P,
                "0231 5900-1102",
                "Sozialpädagogische Familienhilfe",
            ),
        ],
    },
    {
        "name": "Jugendhilfe Westfalen gGmbH (Demo)",
        "kind": K.CARE_PROVIDER,
        "street": "Westfalendamm 200",
        "postal_code": "44141",
        "city": "Dortmund",
        "phone": "0231 6000-0000",
        "roster": "24/7",
        "units": ["Inobhutnahme-Gruppe"],
        "members": [
            (
                "r.krause",
                "",
                "Ralf",
                "Krause",
                "Leitung Inobhutnahme",
                C,
                "0231 6000-1201",
                "Inobhutnahme-Gruppe",
            ),
            ("e.hahn", "", "Eva", "Hahn", "Erzieherin", P, "0231 6000-1202", "Inobhutnahme-Gruppe"),
        ],
    },
    {
        "name": "Kinderschutzzentrum Dortmund (Demo)",
        "kind": K.CHILD_PROTECTION_CENTRE,
        "street": "Gutenbergstraße 24",
        "postal_code": "44139",
        "city": "Dortmund",
        "phone": "0231 6100-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "u.vogel",
                "",
                "Ute",
                "Vogel",
                "Insoweit erfahrene Fachkraft (§ 8a SGB VIII)",
                C,
                "0231 6100-1301",
                None,
            )
        ],
    },
    {
        "name": "Erziehungsberatungsstelle Dortmund-Mitte (Demo)",
        "kind": K.COUNSELLING_CENTRE,
        "street": "Kampstraße 12",
        "postal_code": "44137",
        "city": "Dortmund",
        "phone": "0231 6200-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "h.jung",
                "",
                "Hanna",
                "Jung",
                "Beraterin, Sprechstunde in Kinderarztpraxen",
                C,
                "0231 6200-1401",
                None,
            )
        ],
    },
    {
        "name": "Rettungsdienst der Feuerwehr Dortmund (Demo)",
        "kind": K.AMBULANCE_SERVICE,
        "street": "Steinstraße 25",
        "postal_code": "44147",
        "city": "Dortmund",
        "phone": "0231 6300-0000",
        "roster": "24/7",
        "units": ["Leitstelle"],
        "members": [
            (
                "w.scholz",
                "",
                "Werner",
                "Scholz",
                "Lagedienstführer Leitstelle",
                C,
                "0231 6300-1501",
                "Leitstelle",
            ),
            ("b.schwarz", "", "Benjamin", "Schwarz", "Notfallsanitäter", P, "0231 6300-1502", "Leitstelle"),
        ],
    },
    {
        "name": "Amtsgericht Dortmund – Familiengericht (Demo)",
        "kind": K.FAMILY_COURT,
        "street": "Gerichtsstraße 22",
        "postal_code": "44135",
        "city": "Dortmund",
        "phone": "0231 6400-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "g.lorenz",
                "",
                "Gabriele",
                "Lorenz",
                "Richterin am Amtsgericht (Familiensachen)",
                C,
                "0231 6400-1601",
                None,
            )
        ],
    },
    {
        "name": "Polizeipräsidium Dortmund – Opferschutz (Demo)",
        "kind": K.POLICE,
        "street": "Markgrafenstraße 102",
        "postal_code": "44139",
        "city": "Dortmund",
        "phone": "0231 6500-0000",
        "roster": "24/7",
        "units": ["KK Opferschutz"],
        "members": [
            (
                "p.kaiser",
                "",
                "Paul",
                "Kaiser",
                "Kriminalhauptkommissar, Opferschutz",
                C,
                "0231 6500-1701",
                "KK Opferschutz",
            ),
            ("i.peters", "", "Ina", "Peters", "Kriminalkommissarin", P, "0231 6500-1702", "KK Opferschutz"),
        ],
    },
    {
        "name": "Gesamtschule Nordstadt (Demo)",
        "kind": K.SCHOOL,
        "street": "Bornstraße 40",
        "postal_code": "44145",
        "city": "Dortmund",
        "phone": "0231 6600-0000",
        "roster": "office",
        "units": [],
        "members": [("o.frank", "", "Oliver", "Frank", "Schulsozialarbeiter", C, "0231 6600-1801", None)],
    },
    {
        "name": "Kita Sonnenblume (Demo)",
        "kind": K.DAYCARE,
        "street": "Schützenstraße 9",
        "postal_code": "44147",
        "city": "Dortmund",
        "phone": "0231 6700-0000",
        "roster": "office",
        "units": [],
        "members": [
            (
                "s.berger",
                "",
                "Silke",
                "Berger",
                "Kita-Leitung, Kinderschutzfachkraft",
                C,
                "0231 6700-1901",
                None,
            )
        ],
    },
    {
        "name": "TuS Eving 1921 e. V. (Demo)",
        "kind": K.SPORTS_CLUB,
        "street": "Deutsche Straße 5",
        "postal_code": "44339",
        "city": "Dortmund",
        "phone": "0231 6800-0000",
        "roster": "",
        "units": [],
        "members": [
            ("k.roth", "", "Kai", "Roth", "Kinderschutzbeauftragter des Vereins", C, "0231 6800-2001", None)
        ],
    },
]


@dataclass
class Login:
    username: str
    name: str
    organisation: str
    role: str


@dataclass
class DemoLogins:
    logins: list[Login]
    password: str
    totp_username: str
    totp_secret_base32: str


@transaction.atomic
def seed_demo(*, now: datetime | None = None) -> DemoLogins:
    """Create the demo network (idempotent) and top up the on-call roster."""
    now = now or timezone.now()
    admin = None
    logins: list[Login] = []
    seeded: list[tuple[Organisation, dict, list[Membership]]] = []
    for spec in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name=spec["name"],
            defaults={k: spec[k] for k in ("kind", "street", "postal_code", "city", "phone")}
            | {"email": _email(spec["name"]), "description": _description(spec["kind"])},
        )
        if not org.contact_channels.exists():
            _seed_channels(org)
        units = {
            name: OrganisationUnit.objects.get_or_create(organisation=org, name=name)[0]
            for name in spec["units"]
        }
        members = []
        for username, title, first, last, job, role, phone, unit in spec["members"]:
            user = _user(username, title, first, last)
            membership, _ = Membership.objects.get_or_create(
                user=user,
                organisation=org,
                defaults={
                    "role": role,
                    "job_title": job,
                    "phone": phone,
                    "unit": units.get(unit) if unit else None,
                },
            )
            members.append(membership)
            logins.append(Login(username, user.display_name, org.name, membership.get_role_display()))
            if role == A:
                admin = user
        seeded.append((org, spec, members))
    assert admin is not None
    for org, spec, members in seeded:
        for area in spec.get("areas", []):
            postal_code, municipality = area if isinstance(area, tuple) else (area, "")
            if not JurisdictionArea.objects.filter(
                postal_code=postal_code, municipality=municipality
            ).exists():
                services.jurisdiction_area_add(
                    actor=admin, youth_office=org, postal_code=postal_code, municipality=municipality
                )
        _top_up_roster(admin, org, spec["roster"], members, now)
    if not Case.objects.exists():
        _seed_cases(now)
    if not CooperationAgreement.objects.exists():
        _seed_agreements(admin)
    if not Meeting.objects.exists():
        _seed_meetings(now)
    if not HelpOffer.objects.exists():
        _seed_outreach(now)
    if not KnowledgeArticle.objects.exists():
        for title, body, tags in DEMO_ARTICLES:
            knowledge.article_create(actor=admin, title=title, body=body, tags=tags)
    device = _totp_device(TOTP_USERNAME)
    return DemoLogins(logins, DEMO_PASSWORD, TOTP_USERNAME, base64.b32encode(device.bin_key).decode())


@functools.cache
def _demo_password_hash() -> str:
    # All demo users share one password: hash it once instead of 30 times (a second each).
    return make_password(DEMO_PASSWORD)


def _user(username: str, title: str, first: str, last: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "title": title,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.schutznetz.invalid",
            "password": _demo_password_hash(),
        },
    )
    return user


def _email(name: str) -> str:
    slug = "".join(c for c in name.lower().split("(")[0] if c.isalnum())[:30]
    return f"kontakt@{slug}.demo.invalid"


def _description(kind: str) -> str:
    return {
        K.YOUTH_OFFICE: "Allgemeiner Sozialer Dienst mit Kinderschutz-Rufbereitschaft rund um die Uhr.",
        K.CHILD_PROTECTION_TEAM: (
            "Interdisziplinäre Kinderschutzgruppe: Diagnostik und Dokumentation bei Verdacht auf "
            "Misshandlung, Vernachlässigung und sexuelle Gewalt."
        ),
        K.CHILD_PSYCHIATRY_CLINIC: "Notfallaufnahme für Kinder und Jugendliche in akuten psychischen Krisen.",
        K.PAEDIATRIC_PRACTICE: (
            "Kinder- und jugendärztliche Versorgung; Sprechstunde der Jugendhilfe in der Praxis."
        ),
        K.CARE_PROVIDER: "Ambulante und stationäre Hilfen zur Erziehung (§§ 27 ff. SGB VIII).",
    }.get(kind, "")


def _seed_channels(org: Organisation) -> None:
    ContactChannel.objects.bulk_create(
        [
            ContactChannel(
                organisation=org,
                kind=ContactChannelKind.PHONE,
                label="Zentrale",
                value=org.phone,
                availability="Mo–Fr 8–16 Uhr",
                position=0,
            ),
            ContactChannel(
                organisation=org,
                kind=ContactChannelKind.SECURE_EMAIL,
                label="Verschlüsselte Fallkommunikation",
                value=_email(org.name),
                position=1,
            ),
        ]
    )


def _shift_windows(roster: str, day: datetime) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_current_timezone()
    at = lambda d, h: timezone.make_aware(datetime.combine(d, time(h)), tz)  # noqa: E731
    d = day.date()
    if roster == "24/7":
        return [(at(d, 8), at(d, 20)), (at(d, 20), at(d + timedelta(days=1), 8))]
    if roster == "office" and d.weekday() < 5:
        return [(at(d, 8), at(d, 16))]
    return []


def _top_up_roster(
    admin: User, org: Organisation, roster: str, members: list[Membership], now: datetime
) -> None:
    if not roster:
        return
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    existing = set(
        OnCallShift.objects.filter(organisation=org, starts_at__gte=start, cancelled_at=None).values_list(
            "starts_at", flat=True
        )
    )
    for offset in range(ROSTER_DAYS + 1):
        day = start + timedelta(days=offset)
        for index, (begins, ends) in enumerate(_shift_windows(roster, day)):
            if begins in existing or ends <= now:
                continue
            member = members[(day.toordinal() + index) % len(members)]
            services.on_call_shift_create(
                actor=admin,
                organisation=org,
                membership=member,
                starts_at=begins,
                ends_at=ends,
                now=now,
                note="Nachtdienst" if begins.hour >= 20 else "",
            )


def _totp_device(username: str) -> TOTPDevice:
    # django-two-factor-auth asks for the code of the device named "default".
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def print_logins(demo: DemoLogins) -> None:
    width = max(len(login.username) for login in demo.logins)
    print("\nDemo-Zugänge – Netzwerk Kinderschutz Ruhr (Demo), alle Daten frei erfunden")
    print(f"Passwort für alle Zugänge: {demo.password}\n")
    for login in demo.logins:
        print(f"  {login.username:<{width}}  {login.role:<22}  {login.name}, {login.organisation}")
    print(
        f"\nMit Zwei-Faktor-Authentifizierung (TOTP): {demo.totp_username}\n"
        f"  TOTP-Schlüssel (Base32) für die Authenticator-App: {demo.totp_secret_base32}\n"
        f"  otpauth://totp/Schutznetz:{demo.totp_username}?secret={demo.totp_secret_base32}&issuer=Schutznetz\n"
        "Alle anderen Demo-Zugänge kommen im Demo-Modus ohne zweiten Faktor aus.\n",
        flush=True,
    )


# Fictional children of the demo cases:
# (given, family, birth date, street, postal code, lead, title, first task, due in days)
DEMO_CASES = [
    (
        "Mia",
        "Meier",
        "2021-01-15",
        "Münsterstraße 80",
        "44145",
        "j.hoffmann",
        "Hämatome unklarer Ursache, Mitteilung der Kinderarztpraxis",
        "Hausbesuch mit Kollegin",
        2,
    ),
    (
        "Leon",
        "Schulte",
        "2016-06-02",
        "Bornstraße 12",
        "44145",
        "t.schulz",
        "Anhaltende Schulverweigerung, Hinweise auf Vernachlässigung",
        "Gespräch mit der Schulsozialarbeit",
        5,
    ),
    (
        "Aylin",
        "Demir",
        "2019-11-23",
        "Hohe Straße 40",
        "44139",
        "j.hoffmann",
        "Krisenhafte Zuspitzung nach Klinikaufenthalt",
        "Helferkonferenz vorbereiten",
        0,
    ),
    (
        "Jonas",
        "Krüger",
        "2023-03-08",
        "Kortumstraße 55",
        "44787",
        "s.neumann",
        "Sentinel-Verletzung bei Säugling (Krankenhausmitteilung)",
        "Fallkonferenz mit Kinderschutzambulanz",
        1,
    ),
]


def _seed_cases(now: datetime) -> None:
    from datetime import date

    from schutznetz.accounts.models import User as U

    today = timezone.localdate(now)
    for given, family, born, street, postal_code, lead, title, task, days in DEMO_CASES:
        actor = U.objects.get(username=lead)
        organisation = Membership.objects.filter(user=actor).first().organisation
        identity = ChildIdentity(
            given_name=given,
            family_name=family,
            birth_date=date.fromisoformat(born),
            street=street,
            postal_code=postal_code,
            city=organisation.city,
        )
        case = case_services.case_create(
            actor=actor,
            organisation=organisation,
            title=title,
            identity=identity,
            first_task=case_services.FirstTask(task, today + timedelta(days=days)),
        )
        access = case_queries.case_get_for(actor, case.pk)
        if lead == "j.hoffmann":
            provider = Organisation.objects.get(name="Familienhilfe Ruhr e. V. (Demo)")
            invitation = case_services.participation_invite(
                actor=actor,
                access=access,
                organisation=provider,
                role=CaseRole.CARE_PROVIDER,
                legal_basis=LegalBasis.SGB8_8A_4,
            )
            case_services.participation_respond(
                actor=U.objects.get(username="f.meyer"), participation=invitation, accept=True
            )
            centre = Organisation.objects.get(name="Kinderschutzzentrum Dortmund (Demo)")
            consultation = case_services.participation_invite(
                actor=actor,
                access=access,
                organisation=centre,
                role=CaseRole.SPECIALIST,
                legal_basis=LegalBasis.KKG_4_2,
                pseudonymised=True,
            )
            case_services.participation_respond(
                actor=U.objects.get(username="u.vogel"), participation=consultation, accept=True
            )


def _seed_agreements(admin: User) -> None:
    """Agreements like the networks' own: medicine ↔ youth welfare, and Jugendamt ↔ KJP ↔ Träger."""
    from datetime import date

    org = {o.name: o for o in Organisation.objects.all()}
    dortmund, bochum = org["Jugendamt Dortmund (Demo)"], org["Jugendamt Bochum (Demo)"]
    clinic = org["Klinikum Dortmund – Kinderschutzgruppe (Demo)"]
    clinic_bochum = org["Universitätskinderklinik Bochum – Kinderschutzambulanz (Demo)"]
    kjp, provider = (
        org["Klinik für Kinder- und Jugendpsychiatrie Dortmund (Demo)"],
        org["Jugendhilfe Westfalen gGmbH (Demo)"],
    )
    practices = [o for o in org.values() if o.kind == K.PAEDIATRIC_PRACTICE]
    clauses = []
    for youth_office in (dortmund, bochum):
        clauses += [
            agreements.ClauseInput(
                HandoverKind.REPORT_TO_YOUTH_OFFICE,
                Urgency.URGENT,
                youth_office,
                1,
                ResponseUnit.HOURS,
                "Rufbereitschaft des ASD",
            ),
            agreements.ClauseInput(
                HandoverKind.REPORT_TO_YOUTH_OFFICE,
                Urgency.NORMAL,
                youth_office,
                1,
                ResponseUnit.WORKING_DAYS,
                "Verschlüsselte Fallkommunikation",
            ),
        ]
    for hospital in (clinic, clinic_bochum):
        clauses.append(
            agreements.ClauseInput(
                HandoverKind.MEDICAL_ASSESSMENT,
                Urgency.URGENT,
                hospital,
                4,
                ResponseUnit.HOURS,
                "Kinderschutzambulanz",
            )
        )
    agreements.agreement_create(
        actor=admin,
        title="Medizinischer Kinderschutz – Kliniken, Praxen und Jugendämter",
        parties=[dortmund, bochum, clinic, clinic_bochum, *practices],
        valid_from=date(2025, 1, 1),
        clauses=clauses,
    )
    agreements.agreement_create(
        actor=admin,
        title="Kooperationsvereinbarung Jugendamt – Kinder- und Jugendpsychiatrie – Träger Dortmund",
        parties=[dortmund, kjp, provider],
        valid_from=date(2025, 7, 1),
        clauses=[
            agreements.ClauseInput(
                HandoverKind.CRISIS,
                Urgency.URGENT,
                dortmund,
                1,
                ResponseUnit.HOURS,
                "Rufbereitschaft des ASD",
            ),
            agreements.ClauseInput(
                HandoverKind.CRISIS, Urgency.URGENT, kjp, 1, ResponseUnit.HOURS, "Notaufnahme KJP"
            ),
            agreements.ClauseInput(
                HandoverKind.DISCHARGE_HELP_PLANNING,
                Urgency.NORMAL,
                dortmund,
                5,
                ResponseUnit.WORKING_DAYS,
                "ASD-Teamleitung",
            ),
            agreements.ClauseInput(
                HandoverKind.CASE_CONFERENCE, Urgency.NORMAL, provider, 3, ResponseUnit.WORKING_DAYS
            ),
        ],
        crisis_roster=[
            (dortmund, Role.COORDINATOR),
            (dortmund, Role.PROFESSIONAL),
            (kjp, Role.COORDINATOR),
            (provider, Role.COORDINATOR),
        ],
    )


def _seed_meetings(now: datetime) -> None:
    """A past round table with minutes and action items, and an Arbeitskreis published to the network."""
    from schutznetz.accounts.models import User as U
    from schutznetz.meetings import services as meeting_services

    users = {u.username: u for u in U.objects.all()}
    members = {m.user.username: m for m in Membership.objects.select_related("user", "organisation")}
    coordinator, dortmund = users["koordination"], members["koordination"].organisation
    today = timezone.localdate(now)

    def at(days: int, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))

    round_table = meeting_services.meeting_create(
        now=now - timedelta(days=21),  # scheduled three weeks ago, as the organiser did then
        actor=coordinator,
        organiser=dortmund,
        kind=MeetingKind.ROUND_TABLE,
        title="Runder Tisch „Medizin trifft Jugendhilfe“",
        starts_at=at(-7, 14),
        ends_at=at(-7, 16),
        location="Jugendamt Dortmund (Demo), Ostwall 64, Sitzungsraum 3",
        agenda=(
            "1. Rückmeldungen des Jugendamts an die Praxen (§ 4 Abs. 4 KKG)\n"
            "2. Erreichbarkeit der Kinderschutzgruppen am Wochenende\n"
            "3. Workshop-Reihe 2027"
        ),
        invitees=[
            members[name]
            for name in ("dr.yilmaz", "dr.lange", "dr.schmitt", "f.meyer", "j.hoffmann", "u.vogel")
        ],
    )
    for name in ("dr.yilmaz", "dr.lange", "f.meyer", "j.hoffmann"):
        meeting_services.meeting_respond(actor=users[name], meeting=round_table, accept=True)
    present = [a.pk for a in round_table.attendees.all() if a.user.username != "dr.schmitt"]
    meeting_services.meeting_attendance_record(actor=coordinator, meeting=round_table, present=present)
    meeting_services.meeting_minutes_save(
        actor=coordinator,
        meeting=round_table,
        minutes=(
            "TOP 1: Die Praxen berichten, dass Rückmeldungen nach Mitteilungen oft ausbleiben. Das "
            "Jugendamt sagt eine Rückmeldung innerhalb von zehn Arbeitstagen zu.\n"
            "TOP 2: Die Kinderschutzgruppe des Klinikums ist am Wochenende über die Notaufnahme erreichbar.\n"
            "TOP 3: Drei Workshops „Medizin trifft Jugendhilfe“ im Jahr 2027."
        ),
        decisions="Rückmeldungen an meldende Praxen innerhalb von zehn Arbeitstagen.",
    )
    for title, owner, days in (
        ("Kontaktblatt der Rufbereitschaften an alle Praxen versenden", "dr.yilmaz", 5),
        ("Termine der Workshop-Reihe 2027 vorschlagen", "dr.lange", 14),
        ("Vorlage für Rückmeldungen nach § 4 Abs. 4 KKG abstimmen", "j.hoffmann", 10),
    ):
        meeting_services.action_item_create(
            actor=coordinator,
            meeting=round_table,
            title=title,
            owner=users[owner],
            due_date=today + timedelta(days=days),
        )
    meeting_services.meeting_create(
        actor=coordinator,
        organiser=dortmund,
        kind=MeetingKind.WORKING_GROUP,
        title="Arbeitskreis Kinderschutz Dortmund",
        starts_at=at(14, 10),
        ends_at=at(14, 12),
        location="Kinderschutzzentrum Dortmund (Demo), Seminarraum",
        agenda="1. Bericht aus den Einrichtungen\n2. Schutzkonzepte in Sportvereinen",
        published=True,
        invitees=[members[name] for name in ("u.vogel", "o.frank", "s.berger", "k.roth", "p.kaiser")],
    )


DORTMUND_NORTH = ["44135", "44137", "44139", "44141", "44143", "44145", "44147", "44149"]
BOCHUM = ["44787", "44789", "44791", "44793", "44795", "44797", "44799", "44801", "44803", "44805", "44807"]
# (provider, title, category, target group, contact, capacity, waiting weeks, postal codes)
DEMO_OFFERS = [
    (
        "Familienhilfe Ruhr e. V. (Demo)",
        "Familienhebammen Dortmund-Nord",
        HelpCategory.FAMILY_MIDWIFE,
        "Schwangere und Familien mit Säuglingen bis 12 Monate",
        "0231 6000-1100",
        "6 Familien je Hebamme",
        2,
        DORTMUND_NORTH,
    ),
    (
        "Familienhilfe Ruhr e. V. (Demo)",
        "Willkommensbesuche für Neugeborene",
        HelpCategory.EARLY_SUPPORT,
        "alle Familien mit Neugeborenen",
        "0231 6000-1101",
        "",
        0,
        DORTMUND_NORTH,
    ),
    (
        "Familienhilfe Ruhr e. V. (Demo)",
        "Elterncafé Nordstadt",
        HelpCategory.PARENT_CHILD_GROUP,
        "Eltern mit Kindern bis 3 Jahre",
        "0231 6000-1102",
        "offener Treff, dienstags 9–11 Uhr",
        0,
        DORTMUND_NORTH,
    ),
    (
        "Familienhilfe Ruhr e. V. (Demo)",
        "Sozialpädagogische Familienhilfe (§ 31 SGB VIII)",
        HelpCategory.FAMILY_SUPPORT,
        "Familien mit Hilfebedarf, nach Hilfeplan",
        "0231 6000-1103",
        "über das Jugendamt",
        4,
        [],
    ),
    (
        "Erziehungsberatungsstelle Dortmund-Mitte (Demo)",
        "Erziehungs- und Familienberatung",
        HelpCategory.PARENTING_COUNSELLING,
        "Eltern, Kinder und Jugendliche bis 27 Jahre",
        "0231 7000-2000",
        "Erstgespräch innerhalb von 14 Tagen",
        2,
        [],
    ),
    (
        "Erziehungsberatungsstelle Dortmund-Mitte (Demo)",
        "Schreiambulanz",
        HelpCategory.CRYING_CLINIC,
        "Eltern von Säuglingen mit Schrei-, Schlaf- oder Fütterproblemen",
        "0231 7000-2001",
        "",
        1,
        [],
    ),
    (
        "Erziehungsberatungsstelle Dortmund-Mitte (Demo)",
        "Beratung für Kinder psychisch kranker Eltern",
        HelpCategory.PARENTING_COUNSELLING,
        "Familien mit einem psychisch erkrankten Elternteil",
        "0231 7000-2002",
        "Gruppe mit 8 Plätzen",
        6,
        [],
    ),
    (
        "Erziehungsberatungsstelle Dortmund-Mitte (Demo)",
        "Trennungs- und Scheidungsberatung",
        HelpCategory.PARENTING_COUNSELLING,
        "Eltern in Trennung",
        "0231 7000-2003",
        "",
        3,
        [],
    ),
    (
        "Kinderschutzzentrum Dortmund (Demo)",
        "Beratung bei Gewalt in der Familie",
        HelpCategory.VIOLENCE_COUNSELLING,
        "Kinder, Jugendliche und Eltern",
        "0231 8000-3000",
        "Krisentermine am selben Tag",
        0,
        [],
    ),
    (
        "Kinderschutzzentrum Dortmund (Demo)",
        "Beratung nach sexualisierter Gewalt",
        HelpCategory.VIOLENCE_COUNSELLING,
        "Kinder, Jugendliche, Bezugspersonen",
        "0231 8000-3001",
        "",
        1,
        [],
    ),
    (
        "Kinderschutzzentrum Dortmund (Demo)",
        "Traumapädagogische Gruppe für Kinder",
        HelpCategory.CHILD_THERAPY,
        "Kinder von 6 bis 12 Jahren",
        "0231 8000-3002",
        "8 Plätze",
        8,
        [],
    ),
    (
        "Jugendhilfe Westfalen gGmbH (Demo)",
        "Suchtberatung für Eltern – Projekt Kleine Riesen",
        HelpCategory.ADDICTION_COUNSELLING,
        "Eltern mit Suchterkrankung und ihre Kinder",
        "0231 6000-1300",
        "",
        3,
        [],
    ),
    (
        "Jugendhilfe Westfalen gGmbH (Demo)",
        "Sozialpädagogische Familienhilfe Bochum",
        HelpCategory.FAMILY_SUPPORT,
        "Familien mit Hilfebedarf, nach Hilfeplan",
        "0234 6000-1301",
        "über das Jugendamt",
        5,
        BOCHUM,
    ),
    (
        "Jugendhilfe Westfalen gGmbH (Demo)",
        "Familienhebammen Bochum",
        HelpCategory.FAMILY_MIDWIFE,
        "Familien mit Säuglingen bis 12 Monate",
        "0234 6000-1302",
        "",
        3,
        BOCHUM,
    ),
    (
        "Jugendhilfe Westfalen gGmbH (Demo)",
        "Eltern-Kind-Gruppe „Starke Wurzeln“",
        HelpCategory.PARENT_CHILD_GROUP,
        "Eltern mit Kindern von 1 bis 3 Jahren",
        "0234 6000-1303",
        "12 Plätze",
        0,
        BOCHUM,
    ),
    (
        "Jugendamt Dortmund (Demo)",
        "Koordinierungsstelle Frühe Hilfen",
        HelpCategory.EARLY_SUPPORT,
        "Familien mit Kindern bis 3 Jahre und Fachkräfte",
        "0231 5000-1500",
        "",
        0,
        [],
    ),
]


def _seed_outreach(now: datetime) -> None:
    """Consultation hours in two practices, the help-offer catalogue and a few referrals."""
    from schutznetz.accounts.models import User as U
    from schutznetz.outreach import services as outreach

    today = timezone.localdate(now)
    org = {o.name: o for o in Organisation.objects.all()}
    members = {m.user.username: m for m in Membership.objects.select_related("user", "organisation")}
    admin = U.objects.get(username="koordination")
    for practice, counsellor, weekday, start, end in (
        ("Kinderarztpraxis Dr. Yılmaz (Demo)", "t.schulz", 2, time(9, 0), time(12, 0)),
        ("Kinder- und Jugendarztpraxis am Westpark (Demo)", "h.jung", 3, time(14, 0), time(16, 0)),
    ):
        hour = outreach.consultation_hour_create(
            actor=admin,
            practice=org[practice],
            counsellor=members[counsellor],
            weekday=weekday,
            start_time=start,
            end_time=end,
            slot_minutes=30,
            location="Besprechungsraum 1. OG",
            valid_from=today - timedelta(days=90),
        )
        if practice.startswith("Kinderarztpraxis Dr."):
            day = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
            outreach.booking_create(
                actor=members["m.schneider"].user,
                hour=hour,
                day=day,
                slot_start=time(9, 30),
                reference="Pat.-Nr. 20417",
                topic="Erschöpfte Mutter, Säugling schreit viel",
                consent_recorded=True,
            )
    offers = {}
    for provider, title, category, target, contact, capacity, weeks, codes in DEMO_OFFERS:
        offers[title] = outreach.help_offer_create(
            actor=admin,
            provider=org[provider],
            title=title,
            category=category,
            target_group=target,
            contact=contact,
            capacity_note=capacity,
            waiting_weeks=weeks,
            postal_codes=codes,
        )
    doctor = members["dr.yilmaz"]
    started = outreach.referral_create(
        actor=doctor.user,
        offer=offers["Familienhebammen Dortmund-Nord"],
        from_organisation=doctor.organisation,
        family_postal_code="44145",
        reference="Pat.-Nr. 19876",
        note="Junge Mutter, Frühgeborenes, wenig Unterstützung",
        consent_recorded=True,
    )
    outreach.referral_status_set(
        actor=members["c.zimmermann"].user, referral=started, status=ReferralStatus.CONTACTED
    )
    outreach.referral_create(
        actor=doctor.user,
        offer=offers["Schreiambulanz"],
        from_organisation=doctor.organisation,
        family_postal_code="44137",
        reference="Pat.-Nr. 20233",
        note="Schreibaby, Eltern am Limit",
        consent_recorded=True,
    )


DEMO_ARTICLES = [
    (
        "Sentinel-Verletzungen bei Säuglingen",
        "Hämatome, Frenulumverletzungen oder Frakturen bei nicht mobilen Säuglingen sind Warnzeichen für "
        "Misshandlungen. Vorgehen: vollständige Untersuchung, Fotodokumentation, Vorstellung in der "
        "Kinderschutzgruppe, Skelettscreening nach Leitlinie.",
        ["Medizin", "Befund"],
    ),
    (
        "TEN-4-FACESp: Hämatome bei Kindern unter vier Jahren",
        "Hämatome an Rumpf, Ohren oder Hals (TEN), jede Hämatomlokalisation bei Säuglingen unter vier Monaten "
        "(4) sowie Hämatome an Frenulum, Kiefer, Wange, Augenlid und Sklera (FACES) und gemusterte Hämatome (p) "
        "sprechen für eine Misshandlung.",
        ["Medizin"],
    ),
    (
        "Ablauf der Mitteilung an das Jugendamt (§ 4 KKG)",
        "Erst mit dem Kind und den Personensorgeberechtigten sprechen, sofern das den Schutz nicht gefährdet; "
        "eine insoweit erfahrene Fachkraft pseudonymisiert hinzuziehen; dann das Jugendamt informieren. Das "
        "Jugendamt gibt eine Rückmeldung nach § 4 Abs. 4 KKG.",
        ["Recht", "Schnittstelle"],
    ),
    (
        "Checkliste gewichtige Anhaltspunkte in der Kita",
        "Wiederholte unversorgte Verletzungen, auffälliges Verhalten, mangelnde Pflege, Aussagen des Kindes. "
        "Beobachtungen datiert und wertfrei dokumentieren; Kinderschutzfachkraft der Einrichtung einbeziehen.",
        ["Kita", "Checkliste"],
    ),
    (
        "Vernachlässigung erkennen",
        "Hinweise auf Vernachlässigung: unzureichende Ernährung, fehlende medizinische Versorgung, mangelnde "
        "Aufsicht, unbehandelte Zahnschäden, häufiges Fehlen in Kita oder Schule.",
        ["Checkliste"],
    ),
    (
        "Insoweit erfahrene Fachkraft: Beratung anfragen",
        "Die Beratung ist pseudonymisiert: keine Namen, kein Geburtsdatum, keine Anschrift. Die Fachkraft berät "
        "zur Gefährdungseinschätzung; die Verantwortung bleibt bei der anfragenden Stelle.",
        ["Recht", "Beratung"],
    ),
    (
        "Kontaktblatt Rufbereitschaften im Netzwerk",
        "Jugendämter: Rufbereitschaft des ASD außerhalb der Dienstzeiten über die Leitstelle. Kinderschutzgruppen "
        "der Kliniken: rund um die Uhr über die Notaufnahme. In akuter Gefahr: Polizei 110, Rettungsdienst 112.",
        ["Kontakte"],
    ),
    (
        "Fallkonferenz vorbereiten",
        "Teilnehmende mit Rechtsgrundlage einladen, Ziel und Fragestellung vorab festlegen, Ergebnisse und "
        "Aufgaben mit Zuständigkeit und Frist protokollieren.",
        ["Fallarbeit"],
    ),
    (
        "Schnittstelle Kinder- und Jugendpsychiatrie – Jugendamt nach Entlassung",
        "Vor der Entlassung gemeinsames Hilfeplangespräch; die Klinik informiert das Jugendamt mit Einwilligung "
        "rechtzeitig; Rückfallplan und Ansprechpersonen für Krisen festlegen.",
        ["Schnittstelle", "KJP"],
    ),
    (
        "Sexualisierte Gewalt: erste Schritte für Fachkräfte",
        "Ruhe bewahren, zuhören, nicht suggestiv fragen, Aussagen wörtlich dokumentieren, keine Konfrontation "
        "der verdächtigten Person; Beratung einholen und Schutz des Kindes sicherstellen.",
        ["Sexuelle Gewalt"],
    ),
    (
        "Frühe Hilfen im Netzwerk",
        "Familienhebammen, Willkommensbesuche, Elterncafés und Schreiambulanz unterstützen Familien mit "
        "Kindern bis drei Jahre; Vermittlung über die Koordinierungsstelle Frühe Hilfen.",
        ["Frühe Hilfen"],
    ),
]
