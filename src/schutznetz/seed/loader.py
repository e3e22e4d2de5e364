"""Read a seed file (TOML, see ``demo.toml``) and write it through the services, idempotently.

Organisations, users, memberships, units, contact channels and jurisdiction areas are matched by
name and kept where they exist; on-call rosters are topped up. Cases, agreements, meetings, outreach
and articles are seeded once, when their kind of record does not exist yet.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from schutznetz.accounts.models import User
from schutznetz.cases import queries as case_queries
from schutznetz.cases import services as case_services
from schutznetz.cases.feedback import FeedbackInput
from schutznetz.cases.models import Case, Participation, ParticipationStatus
from schutznetz.cases.policy import CaseAccess
from schutznetz.medical import services as medical_services
from schutznetz.meetings import services as meeting_services
from schutznetz.meetings.models import Meeting
from schutznetz.network import services as network_services
from schutznetz.network.agreements import services as agreement_services
from schutznetz.network.knowledge import services as knowledge_services
from schutznetz.network.models import (
    ContactChannel,
    CooperationAgreement,
    JurisdictionArea,
    KnowledgeArticle,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationUnit,
    Profession,
    Role,
    SearchSynonym,
    Urgency,
)
from schutznetz.outreach import services as outreach_services
from schutznetz.outreach.models import HelpOffer
from schutznetz.people.identity import ChildIdentity
from schutznetz.seed.schema import SeedFileError, check, read_checked
from schutznetz.welfare import services as welfare_services
from schutznetz.welfare.models import Intake

Spec = dict[str, Any]
DEFAULT_ROSTER_DAYS = 21


class SeedError(Exception):
    """A record of the file that the network's rules (or the file's own references) refuse."""


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 - months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))


def _born_for_age(today: date, months: int) -> date:
    """A birth date a week into the month of age ``months``: the child is that old on every day the
    demo records something about it (examinations up to four days back), whatever the hour."""
    return _months_before(today, months) - timedelta(days=7)


@contextmanager
def _about(what: str) -> Iterator[None]:
    """Name the record of the file a refusal is about."""
    try:
        yield
    except ValidationError as error:
        raise SeedError(f"{what}: {' '.join(error.messages)}") from error
    except (PermissionDenied, ObjectDoesNotExist, KeyError, ImproperlyConfigured) as error:
        raise SeedError(f"{what}: {error}") from error


@dataclass
class Login:
    username: str
    name: str
    organisation: str
    role: str


@dataclass
class Seeded:
    """What a seed run leaves for the operator: the accounts, and a TOTP secret where one was set up."""

    logins: list[Login]
    password: str | None
    totp_username: str | None
    totp_secret_base32: str | None


def read(path: Path) -> Spec:
    """The file parsed and checked (``seed.schema``): a bad file is a ``SeedError`` naming its line and
    field before anything is written."""
    try:
        return read_checked(path)
    except SeedFileError as error:
        raise SeedError(str(error)) from None


class _Seeder:
    def __init__(self, spec: Spec, now: datetime) -> None:
        self.spec = spec
        self.now = now
        self.today = timezone.localdate(now)
        self.accounts: Spec = spec.get("accounts", {})
        self.organisations: dict[str, Organisation] = {}
        self.members: dict[str, Membership] = {}
        self.logins: list[Login] = []

    # Looking things up by the names the file uses.
    def org(self, name: str) -> Organisation:
        if name not in self.organisations:
            self.organisations[name] = Organisation.objects.get(name=name)
        return self.organisations[name]

    def member(self, username: str) -> Membership:
        if username not in self.members:
            self.members[username] = Membership.objects.select_related("user", "organisation").filter(
                user__username=username, is_active=True
            ).order_by("pk").first() or _missing(f"Mitgliedschaft von {username}")
        return self.members[username]

    def user(self, username: str) -> User:
        return self.member(username).user

    @functools.cached_property
    def administrator(self) -> User:
        username = self.accounts.get("administrator")
        if not username:
            raise ImproperlyConfigured("[accounts] administrator: a member with the role 'admin' is needed.")
        return self.user(username)

    def at(self, when: Spec) -> datetime:
        day = self.today + timedelta(days=when["days"])
        return timezone.make_aware(datetime.combine(day, _time(when["time"])))

    # The network.
    def network(self) -> list[tuple[Organisation, Spec, list[Membership]]]:
        seeded = []
        for spec in self.spec.get("organisations", []):
            with _about(f"Organisation „{spec.get('name')}“"):
                seeded.append(self._organisation_with_members(spec))
        return seeded

    def _organisation_with_members(self, spec: Spec) -> tuple[Organisation, Spec, list[Membership]]:
        org = self._organisation(spec)
        units = {
            name: OrganisationUnit.objects.get_or_create(organisation=org, name=name)[0]
            for name in spec.get("units", [])
        }
        members = [self._membership(org, units, m) for m in spec.get("members", [])]
        return org, spec, members

    def _organisation(self, spec: Spec) -> Organisation:
        fields = ("kind", "street", "postal_code", "city", "phone", "email", "description")
        org, _ = Organisation.objects.get_or_create(
            name=spec["name"], defaults={k: spec[k] for k in fields if k in spec}
        )
        if not org.contact_channels.exists():
            ContactChannel.objects.bulk_create(
                ContactChannel(organisation=org, position=i, **channel)
                for i, channel in enumerate(spec.get("contact_channels", []))
            )
        self.organisations[org.name] = org
        return org

    def _membership(self, org: Organisation, units: dict[str, OrganisationUnit], spec: Spec) -> Membership:
        profession = spec.get("profession", "")
        if profession not in {"", *Profession.values}:
            allowed = ", ".join(Profession.values)
            raise ValidationError(f"Unbekannter Beruf „{profession}“ (bekannt: {allowed}).")
        user, _ = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "title": spec.get("title", ""),
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": spec.get("email", self._email(spec["username"])),
                "password": _password_hash(self.accounts.get("password")),
            },
        )
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=org,
            defaults={
                "role": spec["role"],
                "job_title": spec.get("job_title", ""),
                "profession": profession,
                "phone": spec.get("phone", ""),
                "unit": units.get(spec.get("unit", "")),
            },
        )
        if not created and profession and not membership.profession:  # seeded before professions
            membership.profession = profession
            membership.save(update_fields=["profession"])
        self.members.setdefault(user.username, membership)
        self.logins.append(Login(user.username, user.display_name, org.name, membership.get_role_display()))
        return membership

    def _email(self, username: str) -> str:
        domain = self.accounts.get("email_domain")
        return f"{username}@{domain}" if domain else ""

    def jurisdiction(self, org: Organisation, spec: Spec) -> None:
        areas = [(code, "") for code in spec.get("postal_codes", [])]
        areas += [(a["postal_code"], a["municipality"]) for a in spec.get("split_postal_codes", [])]
        for postal_code, municipality in areas:
            if not JurisdictionArea.objects.filter(
                postal_code=postal_code, municipality=municipality
            ).exists():
                network_services.jurisdiction_area_add(
                    actor=self.administrator,
                    youth_office=org,
                    postal_code=postal_code,
                    municipality=municipality,
                )

    def roster(self, org: Organisation, kind: str, members: list[Membership]) -> None:
        """Keep the roster filled from yesterday to ``days_ahead``; the members who work cases take
        turns (not the data-protection officer, who reads no case)."""
        members = [m for m in members if m.role in (Role.PROFESSIONAL, Role.COORDINATOR)]
        if not kind or not members:
            return
        days = self.spec.get("rosters", {}).get("days_ahead", DEFAULT_ROSTER_DAYS)
        start = timezone.localtime(self.now).replace(hour=0, minute=0, second=0, microsecond=0)
        start -= timedelta(days=1)
        existing = set(
            OnCallShift.objects.filter(organisation=org, starts_at__gte=start, cancelled_at=None).values_list(
                "starts_at", flat=True
            )
        )
        for offset in range(days + 1):
            day = start + timedelta(days=offset)
            for index, (begins, ends) in enumerate(_shift_windows(kind, day.date())):
                if begins in existing or ends <= self.now:
                    continue
                network_services.on_call_shift_create(
                    actor=self.administrator,
                    organisation=org,
                    membership=members[(day.toordinal() + index) % len(members)],
                    starts_at=begins,
                    ends_at=ends,
                    now=self.now,
                    note="Nachtdienst" if begins.hour >= 20 else "",
                )

    # Work in the network, seeded once.
    def cases(self) -> None:
        for spec in self.spec.get("cases", []):
            with _about(f"Fall „{spec.get('title')}“"):
                self._case(spec)

    def _case(self, spec: Spec) -> None:
        lead = self.member(spec["lead"])
        organisation = self.org(spec["organisation"]) if "organisation" in spec else lead.organisation
        child = dict(spec["child"])
        if "age_in_months" in child:  # an infant stays as young as the demo needs it
            child["birth_date"] = _born_for_age(self.today, child.pop("age_in_months"))
        case = case_services.case_create(
            actor=lead.user,
            organisation=organisation,
            title=spec["title"],
            identity=ChildIdentity(**child),
            first_task=case_services.FirstTask(
                spec["first_task"]["title"],
                self.today + timedelta(days=spec["first_task"]["due_in_days"]),
                completes_on=spec["first_task"].get("completes_on", ""),
            ),
        )
        access = case_queries.case_get_for(lead.user, case.pk)
        for participant in spec.get("participants", []):
            invitation = case_services.participation_invite(
                actor=lead.user,
                access=access,
                organisation=self.org(participant["organisation"]),
                role=participant["role"],
                legal_basis=participant["legal_basis"],
                pseudonymised=participant.get("pseudonymised", False),
                reason=participant.get("reason", ""),
                urgency=participant.get("urgency", Urgency.NORMAL),
            )
            if "accepted_by" in participant:
                case_services.participation_respond(
                    actor=self.user(participant["accepted_by"]), participation=invitation, accept=True
                )
        for findings in spec.get("findings", []):
            self._findings(case, findings)
        if "welfare" in spec:
            self._welfare(case, spec["welfare"])

    def _welfare(self, case: Case, spec: Spec) -> None:
        """The Jugendamt's risk assessment (signed by all of ``signed_by``) and its consequences."""
        if "assessment" in spec:
            a = dict(spec["assessment"])
            signers = [self.user(name) for name in a.pop("signed_by")]
            areas = {code: {"rating": rating, "note": ""} for code, rating in a.pop("areas", {}).items()}
            access = case_queries.case_get_for(signers[0], case.pk)
            version = welfare_services.assessment_record(
                actor=signers[0], access=access, data=welfare_services.AssessmentInput(areas=areas, **a)
            )
            for signer in signers[1:]:
                welfare_services.assessment_sign(
                    actor=signer, access=case_queries.case_get_for(signer, case.pk), version=version
                )
        if "safety_plan" in spec:
            plan = spec["safety_plan"]
            author = self.user(plan["by"])
            welfare_services.safety_plan_record(
                actor=author,
                access=case_queries.case_get_for(author, case.pk),
                data=welfare_services.SafetyPlanInput(
                    agreed_on=self.today,
                    agreed_with=plan.get("agreed_with", ""),
                    measures=[
                        welfare_services.MeasureInput(
                            measure=m["measure"],
                            responsible=m["responsible"],
                            owner_id=self.user(m["owner"]).pk,
                            due_date=self.today + timedelta(days=m["due_in_days"]),
                            check_date=self.today + timedelta(days=m["check_in_days"]),
                        )
                        for m in plan["measures"]
                    ],
                ),
            )
        if "help_plan" in spec:
            self._help_plan(case, spec["help_plan"])
        if "conference" in spec:
            self._conference(case, spec["conference"])
        if "move" in spec:
            author = self.user(spec["move"]["by"])
            welfare_services.move_offer(
                actor=author,
                access=case_queries.case_get_for(author, case.pk),
                data=welfare_services.MoveInput(**{k: v for k, v in spec["move"].items() if k != "by"}),
            )

    def _conference(self, case: Case, spec: Spec) -> None:
        """A case conference held ``hours_ago``, its minutes recorded with decisions as tasks."""
        author = self.user(spec["by"])
        access = case_queries.case_get_for(author, case.pk)
        start = self.now - timedelta(hours=spec["hours_ago"])
        conference = welfare_services.conference_schedule(
            actor=author,
            access=access,
            data=welfare_services.ConferenceInput(
                starts_at=start,
                ends_at=start + timedelta(minutes=spec["minutes_long"]),
                mode=spec["mode"],
                location=spec.get("location", ""),
                agenda=spec["agenda"],
                participant_ids=[self.user(name).pk for name in spec["participants"]],
                guests=[],
            ),
        )
        welfare_services.conference_record_minutes(
            actor=author,
            access=access,
            conference=conference,
            minutes=spec["minutes"],
            attendance={
                a.pk: welfare_services.AttendanceInput(present=True, minutes_attended=spec["minutes_long"])
                for a in conference.attendees.all()
            },
            decisions=[
                welfare_services.DecisionInput(
                    text=d["text"],
                    owner_id=self.user(d["owner"]).pk,
                    due_date=self.today + timedelta(days=d["due_in_days"]),
                )
                for d in spec.get("decisions", [])
            ],
        )

    def _help_plan(self, case: Case, spec: Spec) -> None:
        author = self.user(spec["by"])
        access = case_queries.case_get_for(author, case.pk)
        plan = welfare_services.help_plan_record(
            actor=author,
            access=access,
            data=welfare_services.HelpPlanInput(
                help_type=spec["help_type"],
                goals=spec["goals"],
                provider_id=self.org(spec["provider"]).pk,
                starts_on=self.today - timedelta(days=spec["started_days_ago"]),
                review_on=self.today + timedelta(days=spec["review_in_days"]),
                young_person_involved=spec["young_person_involved"],
                guardians_involved=spec["guardians_involved"],
            ),
        )
        if "clinic" in spec:
            clinic = spec["clinic"]
            welfare_services.help_plan_add_clinic(
                actor=author,
                access=access,
                plan=plan,
                data=welfare_services.ClinicInput(
                    clinic_id=self.org(clinic["name"]).pk,
                    discharged_on=self.today - timedelta(days=clinic["discharged_days_ago"]),
                    consent_on=self.today,
                    consent_by=clinic["consent_by"],
                ),
            )

    def _findings(self, case: Case, spec: Spec) -> None:
        """A findings record and the talk with the family (§ 4 Abs. 1 KKG), as the doctor wrote them."""
        doctor = self.user(spec["by"])
        access = case_queries.case_get_for(doctor, case.pk)
        at = self.now - timedelta(hours=spec.get("examined_hours_ago", 1))
        medical_services.findings_record_create(
            actor=doctor,
            access=access,
            data=medical_services.FindingsInput(
                examined_at=at,
                history=spec["history"],
                history_by=spec["history_by"],
                history_at=at,
                history_consistency=spec["history_consistency"],
                mobility=spec["mobility"],
                injuries=medical_services.clean_injuries(spec.get("injuries", [])),
                examinations_done=spec.get("examinations_done", ""),
                assessment=spec["assessment"],
                assessment_note=spec.get("assessment_note", ""),
            ),
        )
        if "consultation" in spec:
            asked = spec["consultation"]
            medical_services.consultation_request(
                actor=doctor,
                access=access,
                specialist=self.org(asked["specialist"]),
                urgency=asked.get("urgency", "normal"),
                question=asked["question"],
            )
            if "accepted_by" in asked:
                invitation = Participation.objects.get(
                    case=case, organisation=self.org(asked["specialist"]), status=ParticipationStatus.INVITED
                )
                case_services.participation_respond(
                    actor=self.user(asked["accepted_by"]), participation=invitation, accept=True
                )
        if "talk" in spec:
            talk = dict(spec["talk"])
            held_at = at + timedelta(minutes=30) if talk.get("held") else None
            medical_services.family_talk_record(
                actor=doctor, access=access, data=medical_services.TalkInput(held_at=held_at, **talk)
            )
        if "report" in spec:
            self._report(doctor, access, spec["report"])

    def _report(self, doctor: User, access: CaseAccess, spec: Spec) -> None:
        """A report to the Jugendamt (§ 4 Abs. 3 KKG) and, where the demo shows it, the Jugendamt's
        acknowledgement, the reporter's involvement and the feedback (§ 4 Abs. 4 KKG)."""
        report = medical_services.report_send(
            actor=doctor,
            access=access,
            data=medical_services.ReportInput(
                youth_office_id=self.org(spec["youth_office"]).pk,
                urgency=spec["urgency"],
                indications=spec["indications"],
                affected_notice=spec.get("affected_notice", "given"),
                notice_omitted_reason=spec.get("notice_omitted_reason", ""),
                measures_taken=spec.get("measures_taken", ""),
                other_bodies=spec.get("other_bodies", ""),
            ),
        )
        if "acknowledged_by" not in spec:
            return
        worker = self.user(spec["acknowledged_by"])
        report = medical_services.report_acknowledge(actor=worker, report=report)
        if "involve_in_days" in spec:
            medical_services.report_involve_reporter(
                actor=worker, report=report, due_date=self.today + timedelta(days=spec["involve_in_days"])
            )
        if "feedback" in spec:
            medical_services.report_feedback(
                actor=worker, report=report, data=FeedbackInput(**spec["feedback"])
            )

    def agreements(self) -> None:
        for spec in self.spec.get("agreements", []):
            agreement_services.agreement_create(
                actor=self.user(spec.get("recorded_by", self.administrator.username)),
                title=spec["title"],
                parties=[self.org(name) for name in spec["parties"]],
                valid_from=spec["valid_from"],
                valid_until=spec.get("valid_until"),
                clauses=[
                    agreement_services.ClauseInput(**(c | {"responsible": self.org(c["responsible"])}))
                    for c in spec.get("clauses", [])
                ],
                crisis_roster=[
                    (self.org(r["organisation"]), r["role"]) for r in spec.get("crisis_roster", [])
                ],
            )

    def intakes(self) -> None:
        """Reports received by a Jugendamt (Meldungseingang), as its worker recorded them."""
        for spec in self.spec.get("intakes", []):
            with _about(f"Meldung „{spec.get('account', '')[:40]}“"):
                worker = self.member(spec["recorded_by"])
                child = dict(spec["child"]) if "child" in spec else None
                if child and "age_in_months" in child:
                    child["birth_date"] = _born_for_age(self.today, child.pop("age_in_months"))
                intake = welfare_services.intake_record(
                    actor=worker.user,
                    data=welfare_services.IntakeInput(
                        youth_office_id=worker.organisation_id,
                        source=spec["source"],
                        urgency=spec["urgency"],
                        account=spec["account"],
                        received_at=self.now - timedelta(hours=spec.get("received_hours_ago", 1)),
                        reporter_anonymous=spec.get("anonymous", False),
                        reporter_name=spec.get("reporter_name", ""),
                        reporter_contact=spec.get("reporter_contact", ""),
                        reporter_organisation_id=self.org(spec["reporter_organisation"]).pk
                        if "reporter_organisation" in spec
                        else None,
                        child=ChildIdentity(**child) if child else None,
                        confirm_new=True,
                    ),
                )
                if spec.get("first_contact"):
                    welfare_services.intake_first_contact(
                        actor=worker.user, intake=intake, note=spec["first_contact"]
                    )

    def meetings(self) -> None:
        for spec in self.spec.get("meetings", []):
            organiser = self.user(spec["organised_by"])
            meeting = meeting_services.meeting_create(
                now=self.now - timedelta(days=spec.get("scheduled_days_before", 0)),
                actor=organiser,
                organiser=self.org(spec["organiser"]),
                kind=spec["kind"],
                title=spec["title"],
                starts_at=self.at(spec["starts"]),
                ends_at=self.at(spec["ends"]),
                location=spec["location"],
                agenda=spec.get("agenda", ""),
                published=spec.get("published", False),
                invitees=[self.member(name) for name in spec.get("invitees", [])],
            )
            for name in spec.get("accepted", []):
                meeting_services.meeting_respond(actor=self.user(name), meeting=meeting, accept=True)
            if "minutes" in spec:
                absent = set(spec.get("absent", []))
                present = [
                    a.pk for a in meeting.attendees.select_related("user") if a.user.username not in absent
                ]
                meeting_services.meeting_attendance_record(actor=organiser, meeting=meeting, present=present)
                meeting_services.meeting_minutes_save(
                    actor=organiser,
                    meeting=meeting,
                    minutes=spec["minutes"],
                    decisions=spec.get("decisions", ""),
                )
            for item in spec.get("action_items", []):
                meeting_services.action_item_create(
                    actor=organiser,
                    meeting=meeting,
                    title=item["title"],
                    owner=self.user(item["owner"]),
                    due_date=self.today + timedelta(days=item["due_in_days"]),
                )

    def outreach(self) -> None:
        for spec in self.spec.get("consultation_hours", []):
            hour = outreach_services.consultation_hour_create(
                actor=self.administrator,
                practice=self.org(spec["practice"]),
                counsellor=self.member(spec["counsellor"]),
                weekday=spec["weekday"],
                start_time=_time(spec["start"]),
                end_time=_time(spec["end"]),
                slot_minutes=spec.get("slot_minutes", 30),
                location=spec.get("location", ""),
                valid_from=self.today + timedelta(days=spec.get("valid_from_days", 0)),
            )
            for booking in spec.get("bookings", []):
                outreach_services.booking_create(
                    actor=self.user(booking["booked_by"]),
                    hour=hour,
                    day=self._next(spec["weekday"]),
                    slot_start=_time(booking["slot"]),
                    reference=booking["reference"],
                    topic=booking["topic"],
                    consent_recorded=booking["consent_recorded"],
                )
        offers = {}
        for spec in self.spec.get("help_offers", []):
            offers[spec["title"]] = outreach_services.help_offer_create(
                actor=self.administrator, **(spec | {"provider": self.org(spec["provider"])})
            )
        for spec in self.spec.get("referrals", []):
            doctor = self.member(spec["referred_by"])
            referral = outreach_services.referral_create(
                actor=doctor.user,
                offer=offers[spec["offer"]],
                from_organisation=doctor.organisation,
                family_postal_code=spec["family_postal_code"],
                reference=spec["reference"],
                note=spec.get("note", ""),
                consent_recorded=spec["consent_recorded"],
            )
            if "status" in spec:
                outreach_services.referral_status_set(
                    actor=self.user(spec["status"]["set_by"]),
                    referral=referral,
                    status=spec["status"]["status"],
                )

    def _next(self, weekday: int) -> date:
        """The next such weekday after today."""
        return self.today + timedelta(days=(weekday - self.today.weekday()) % 7 or 7)

    def articles(self) -> None:
        for spec in self.spec.get("articles", []):
            knowledge_services.article_create(actor=self.administrator, **spec)

    def synonyms(self) -> None:
        for spec in self.spec.get("synonyms", []):
            knowledge_services.synonym_create(actor=self.administrator, expressions=spec["expressions"])

    def totp_secret(self) -> str | None:
        """The TOTP secret of ``[accounts] totp_user`` (named "default", as the login asks for)."""
        username = self.accounts.get("totp_user")
        if not username:
            return None
        user = User.objects.get(username=username)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def seed(spec: Spec, *, now: datetime | None = None) -> Seeded:
    """Seed the network described by ``spec`` (the parsed TOML); running it again keeps the data."""
    try:
        check(spec, "", "Seed")
    except SeedFileError as error:
        raise SeedError(str(error)) from None
    seeder = _Seeder(spec, now or timezone.now())
    organisations = seeder.network()
    for org, org_spec, members in organisations:
        with _about(f"Organisation „{org.name}“"):
            seeder.jurisdiction(org, org_spec)
            seeder.roster(org, org_spec.get("roster", ""), members)
    once = [
        # Agreements first: the cases' reports and consultations are due within their times.
        (CooperationAgreement, seeder.agreements, "[[agreements]]"),
        (Case, seeder.cases, "[[cases]]"),
        (Intake, seeder.intakes, "[[intakes]]"),
        (Meeting, seeder.meetings, "[[meetings]]"),
        (HelpOffer, seeder.outreach, "[[consultation_hours]], [[help_offers]], [[referrals]]"),
        (KnowledgeArticle, seeder.articles, "[[articles]]"),
        (SearchSynonym, seeder.synonyms, "[[synonyms]]"),
    ]
    for model, step, section in once:
        if not model._default_manager.exists():
            with _about(section):
                step()
    accounts = seeder.accounts
    return Seeded(seeder.logins, accounts.get("password"), accounts.get("totp_user"), seeder.totp_secret())


def seed_file(path: Path, *, now: datetime | None = None) -> Seeded:
    return seed(read(path), now=now)


def print_accounts(seeded: Seeded, *, heading: str) -> None:
    """The accounts of a seed run, for the operator."""
    width = max((len(login.username) for login in seeded.logins), default=0)
    print(f"\n{heading}")
    if seeded.password:
        print(f"Passwort für alle Zugänge: {seeded.password}\n")
    else:
        print("Die Zugänge haben noch kein Passwort: bitte über die Verwaltung setzen.\n")
    for login in seeded.logins:
        print(f"  {login.username:<{width}}  {login.role:<24}  {login.name}, {login.organisation}")
    if seeded.totp_username and seeded.totp_secret_base32:
        secret = seeded.totp_secret_base32
        print(
            f"\nMit Zwei-Faktor-Authentifizierung (TOTP): {seeded.totp_username}\n"
            f"  TOTP-Schlüssel (Base32) für die Authenticator-App: {secret}\n"
            f"  otpauth://totp/Schutznetz:{seeded.totp_username}?secret={secret}&issuer=Schutznetz\n"
            "Alle anderen Zugänge melden sich ohne eingerichteten zweiten Faktor an und richten ihn "
            "bei der ersten Anmeldung ein (im Demo-Modus ist er freiwillig)."
        )
    print("", flush=True)


@functools.cache
def _password_hash(password: str | None) -> str:
    # One hash for all users of a seed file (hashing takes about a second); without a password in
    # the file the accounts cannot sign in until a password is set.
    return make_password(password)


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _shift_windows(kind: str, day: date) -> list[tuple[datetime, datetime]]:
    def at(d: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(d, time(hour)))

    if kind == "24/7":
        return [(at(day, 8), at(day, 20)), (at(day, 20), at(day + timedelta(days=1), 8))]
    if kind == "office" and day.weekday() < 5:
        return [(at(day, 8), at(day, 16))]
    return []


def _missing(what: str) -> Any:
    raise ImproperlyConfigured(f"Seed-Datei: {what} nicht gefunden.")
