"""The demo network, plus what a crawl needs to reach every kind of record: a case each demo role takes
part in, another case none of them may see, open invitations, handovers, tasks, meetings and action
items on both sides.

Who may see what is written out here from the records themselves (who is party, who is invited, who
takes part), not read through the project's query layer: the crawl checks that layer against it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.utils import timezone
from PIL import Image

from schutznetz.accounts.models import ApiToken, User
from schutznetz.cases import queries as case_queries
from schutznetz.cases import services as case_services
from schutznetz.cases.models import Case, CaseJoin, LeadHandover, Participation, ParticipationStatus, Task
from schutznetz.crisis import services as crisis_services
from schutznetz.crisis.models import Crisis
from schutznetz.medical import services as medical_services
from schutznetz.medical.models import (
    Consultation,
    FindingsPhoto,
    FindingsRecord,
    FindingsShare,
    FindingsVersion,
    YouthOfficeReport,
)
from schutznetz.meetings import services as meeting_services
from schutznetz.meetings.models import Meeting, MeetingAttendee
from schutznetz.network.models import (
    ContactChannel,
    CooperationAgreement,
    KnowledgeArticle,
    KnowledgeAttachment,
    Membership,
    OnCallShift,
    Organisation,
    SearchSynonym,
)
from schutznetz.outreach.models import ConsultationBooking, ConsultationHour, HelpOffer, Referral
from schutznetz.people.identity import ChildIdentity, GuardianIdentity, guardian_identity
from schutznetz.seed.loader import seed_file
from schutznetz.welfare import services as welfare_services
from schutznetz.welfare.models import (
    AssessmentVersion,
    CareTaking,
    CaseConference,
    ConferenceAttendee,
    HelpPlan,
    Intake,
    MoveHandover,
)

DEMO = Path(__file__).resolve().parents[2] / "src" / "schutznetz" / "seed" / "demo.toml"

# The demo roles of the security review, by their demo accounts.
ROLES = {
    "doctor": "dr.yilmaz",
    "practice_assistant": "m.schneider",
    "hospital_team": "dr.fischer",
    "youth_office_worker": "j.hoffmann",
    "youth_office_lead": "m.becker",
    "pseudonymised_consultant": "u.vogel",
    "care_provider": "c.zimmermann",
    "school": "o.frank",
    "daycare": "s.berger",
    "sports_club": "k.roth",
    "police": "i.peters",
    "coordinator": "koordination",
    "data_protection_officer": "d.brandt",
}
PSEUDONYMISED_ROLES = {"pseudonymised_consultant"}

# Distinctive names, so that finding one in a response cannot be a coincidence.
CRAWL_CHILD = ChildIdentity(
    given_name="Quirinia",
    family_name="Zwengelbach",
    birth_date=date(2019, 4, 3),
    street="Xylophonweg 7",
    postal_code="44145",
    city="Dortmund",
)
CRAWL_GUARDIAN = GuardianIdentity(
    given_name="Bartholomäa", family_name="Zwengelbach", phone="0171 9988776", address="Xylophonweg 7"
)
# Sounds like the crawl child (Kölner Phonetik), born in the same month: a likely duplicate.
TWIN_CHILD = ChildIdentity(
    given_name="Quirinja",
    family_name="Zwangelbach",
    birth_date=date(2019, 4, 29),
    street="Yakpfad 12",
    postal_code="44145",
    city="Dortmund",
)
OTHER_CHILD = ChildIdentity(
    given_name="Ottokar", family_name="Plimsollt", birth_date=date(2017, 9, 21), street="Quaggaallee 3"
)

# Kinds of record that are a case or part of one: a page, section, document or API answer reached
# through them shows the case's content, and every such read is on the audit trail (issue 39, 10).
CASE_CONTENT = {
    "case",
    "task",
    "handover",
    "findings",
    "photo",
    "consultation",
    "share",
    "report",
    "intake",
    "assessment_version",
    "care_taking",
    "help_plan",
    "conference",
    "move",
    "attendee",
    "crisis",
    "duplicate",
    "case_join",
}

# Kinds of record whose existence is itself confidential: for those, an id the user may not see must
# answer exactly as an id that does not exist.
CONFIDENTIAL = CASE_CONTENT | {
    "api_token",
    "invitation",
    "meeting",
    "action_item",
    "booking",
    "referral",
    "agreement",
}
ASSESSMENT = welfare_services.AssessmentInput(
    outcome="latent",
    areas={"basic_care": {"rating": "limited", "note": "Kühlschrank leer"}},
    endangerments=["neglect"],
    danger_from=["mother"],
)
CARE_TAKING = welfare_services.CareTakingInput(
    begins_at=timezone.now() - timedelta(hours=2),
    place="Bereitschaftspflege",
    reason="danger",
    reason_note="Kind allein in der Wohnung",
)

ESSEN_POSTAL_CODE = "45127"


def _help_plan(provider: Organisation, today: date) -> welfare_services.HelpPlanInput:
    return welfare_services.HelpPlanInput(
        help_type="s31",
        goals="Tagesstruktur",
        provider_id=provider.pk,
        starts_on=today,
        review_on=today + timedelta(days=60),
        young_person_involved=True,
        guardians_involved="Mutter",
    )


def _conference(organiser: User, case_id: UUID, *, minutes: bool) -> None:
    """A case conference with the case's other people, its minutes recorded."""
    access = case_queries.case_get_for(organiser, case_id)
    others = [u.pk for u in case_queries.case_staff(case_id) if u.pk != organiser.pk][:3]
    start = timezone.now() - timedelta(hours=2)
    conference = welfare_services.conference_schedule(
        actor=organiser,
        access=access,
        data=welfare_services.ConferenceInput(
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            mode="in_person",
            agenda="Fallbesprechung",
            participant_ids=others,
            guests=[],
        ),
    )
    if minutes:
        welfare_services.conference_record_minutes(
            actor=organiser,
            access=access,
            conference=conference,
            minutes="Protokoll der Fallkonferenz",
            attendance={},
            decisions=[],
        )


# Written for full participants, naming the mother.
HANDOVER_NOTE = "Bitte Fallführung übernehmen; Frau Bartholomäa Zwengelbach ist informiert."
MISSING_INT = 987654321
MISSING_UUID = UUID("00000000-0000-4000-8000-00000000dead")


@dataclass
class Identity:
    """What identifies one child (and their guardians) in a response."""

    case_ids: set[UUID]
    strings: list[str]  # all of them: the child's, then the guardians'
    pseudonym: str = ""  # the child's, which a read event names
    child_strings: list[str] = field(default_factory=list)
    guardian_strings: dict[int, list[str]] = field(default_factory=dict)  # guardian id -> strings


@dataclass
class World:
    users: dict[str, User]
    own: dict[str, dict[str, Any]] = field(default_factory=dict)  # role -> kind -> id
    other: dict[str, dict[str, Any]] = field(default_factory=dict)
    # role -> kind -> id of a record inside another case (or meeting, conference) the role reaches:
    # asked under the path of the role's own case it must answer as a missing id (no existence oracle).
    sibling: dict[str, dict[str, Any]] = field(default_factory=dict)
    identities: list[Identity] = field(default_factory=list)
    # role -> texts that name records the role may not see (pseudonyms of other cases, others'
    # messages, meetings, bookings, referrals, agreements): none may appear in any response.
    forbidden: dict[str, list[str]] = field(default_factory=dict)


def _strings(child: ChildIdentity) -> list[str]:
    born = child.birth_date
    found = [
        child.given_name,
        child.full_name,
        f"{child.family_name}, {child.given_name}",
        born.strftime("%d.%m.%Y"),
        born.isoformat(),
    ]
    return found + ([child.street] if child.street else [])


def build() -> World:
    now = timezone.now()
    seed_file(DEMO, now=now)
    users = {role: User.objects.get(username=name) for role, name in ROLES.items()}
    by_user = {u.username: u for u in User.objects.all()}

    def org_of(username: str) -> Organisation:
        return Membership.objects.get(user__username=username, is_active=True).organisation

    doctor = by_user["dr.yilmaz"]
    practice = org_of("dr.yilmaz")
    youth_office = org_of("j.hoffmann")
    today = timezone.localdate()

    # The crawl case: reported by the practice, everyone but the sports club takes part.
    case = case_services.case_create(
        actor=doctor,
        organisation=practice,
        # Free text for full participants may name the child: the pseudonymised participant must not see it.
        title="Auffälliger Befund bei Quirinia in der Vorsorgeuntersuchung",
        identity=CRAWL_CHILD,
        first_task=case_services.FirstTask("Befund dokumentieren", today + timedelta(days=1)),
    )
    access = case_queries.case_get_for(doctor, case.pk)
    case_services.guardian_add(
        actor=doctor, access=access, relation="custodial_parent", identity=CRAWL_GUARDIAN
    )
    participants = [
        ("m.becker", "youth_office", "kkg_4_3", False),
        ("dr.lange", "medical", "sgb8_8a_1", False),
        ("p.kaiser", "police", "consent", False),
        ("o.frank", "school", "sgb8_8a_1", False),
        ("s.berger", "daycare", "sgb8_8a_1", False),
        ("f.meyer", "care_provider", "sgb8_8a_4", False),
        ("u.vogel", "specialist", "kkg_4_2", True),
    ]
    for accepter, role, basis, pseudonymised in participants:
        invitation = case_services.participation_invite(
            actor=doctor,
            access=access,
            organisation=org_of(accepter),
            role=role,
            legal_basis=basis,
            pseudonymised=pseudonymised,
        )
        case_services.participation_respond(actor=by_user[accepter], participation=invitation, accept=True)
    access = case_queries.case_get_for(doctor, case.pk)
    case_services.task_create(
        actor=doctor, access=access, title="Rückruf der Mutter", owner=by_user["m.schneider"], due_date=today
    )
    case_services.lead_handover_request(
        actor=doctor, access=access, to_organisation=youth_office, note=HANDOVER_NOTE
    )
    # Findings, whose history names the child: medical staff only (and those they are shared with).
    record = medical_services.findings_record_create(actor=doctor, access=access, data=_findings(now))
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 60)).save(picture, format="PNG")
    picture.seek(0)
    medical_services.findings_photo_add(
        actor=doctor,
        access=access,
        record=record,
        upload=picture,
        size=len(picture.getvalue()),
        caption="Striemen Oberarm links",
        shows_face=False,
    )
    medical_services.findings_share(
        actor=doctor, access=access, organisation_id=org_of("c.zimmermann").pk, legal_basis="consent"
    )
    medical_services.consultation_request(
        actor=doctor,
        access=access,
        specialist=org_of("u.vogel"),
        urgency="normal",
        question="Säugling mit geformtem Hämatom am Oberarm: Einschätzung erbeten.",
    )
    # The report to the Jugendamt (§ 4 Abs. 3 KKG), naming the child and the mother.
    medical_services.report_send(
        actor=doctor,
        access=access,
        data=medical_services.ReportInput(
            youth_office_id=youth_office.pk,
            urgency="urgent",
            indications="Geformtes Hämatom am Oberarm bei Quirinia; Hergang nicht plausibel.",
            affected_notice="given",
        ),
    )

    # A school's report to the Jugendamt about the same child, joined to the case.
    welfare_services.intake_record(
        actor=by_user["m.becker"],
        data=welfare_services.IntakeInput(
            youth_office_id=youth_office.pk,
            source="school",
            urgency="normal",
            account="Quirinia kam mit Striemen am Arm in die Schule.",
            reporter_name="Schulsozialarbeit Gesamtschule",
            join_case=case.pk,
        ),
    )

    # The Jugendamt's risk assessment, signed by its author only.
    welfare_services.assessment_record(
        actor=by_user["m.becker"],
        access=case_queries.case_get_for(by_user["m.becker"], case.pk),
        data=ASSESSMENT,
    )
    welfare_services.care_taking_record(
        actor=by_user["m.becker"],
        access=case_queries.case_get_for(by_user["m.becker"], case.pk),
        data=CARE_TAKING,
    )
    welfare_services.help_plan_record(
        actor=by_user["m.becker"],
        access=case_queries.case_get_for(by_user["m.becker"], case.pk),
        data=_help_plan(Organisation.objects.get(name="Familienhilfe Ruhr e. V. (Demo)"), today),
    )
    _conference(by_user["m.becker"], case.pk, minutes=True)
    # An offer to Bochum on the family's moving, not yet answered (written directly: the practice
    # leads this case, and only a leading Jugendamt offers through the service).
    MoveHandover.objects.create(
        case=case,
        from_office=org_of("m.becker"),
        to_office=org_of("s.neumann"),
        requested_by=by_user["m.becker"],
        requested_at=now,
        due_at=now + timedelta(days=3),
        information="Schutzplan läuft.",
    )

    # A case none of the roles may see, with its own task, handover and an open invitation.
    bochum = by_user["s.neumann"]
    other_case = case_services.case_create(
        actor=bochum,
        organisation=org_of("s.neumann"),
        title="Mitteilung einer Nachbarin",
        identity=OTHER_CHILD,
        first_task=case_services.FirstTask("Erstkontakt", today + timedelta(days=2)),
    )
    other_access = case_queries.case_get_for(bochum, other_case.pk)
    moved_to = case_services.participation_invite(
        actor=bochum,
        access=other_access,
        organisation=org_of("k.richter"),
        role="youth_office",
        legal_basis="sgb8_65",
    )
    case_services.participation_respond(actor=by_user["k.richter"], participation=moved_to, accept=True)
    other_access = case_queries.case_get_for(bochum, other_case.pk)
    case_services.lead_handover_request(
        actor=bochum, access=other_access, to_organisation=org_of("k.richter"), note="Umzug nach Essen."
    )
    case_services.participation_invite(
        actor=bochum,
        access=other_access,
        organisation=org_of("dr.weber"),
        role="medical",
        legal_basis="sgb8_8a_1",
    )
    # Findings in that case (written directly: no role of the crawl works in it).
    other_record = FindingsRecord.objects.create(
        case=other_case, organisation=org_of("s.neumann"), created_by=bochum, created_at=now
    )
    FindingsShare.objects.create(
        case=other_case,
        organisation=org_of("k.richter"),
        legal_basis="sgb8_65",
        shared_by=bochum,
        shared_at=now,
    )
    Consultation.objects.create(
        case=other_case,
        from_organisation=org_of("s.neumann"),
        requested_by=bochum,
        requested_at=now,
        specialist=org_of("u.vogel"),
        urgency="normal",
        question="Frage aus Bochum",
        due_at=now,
    )
    welfare_services.intake_record(
        actor=bochum,
        data=welfare_services.IntakeInput(
            youth_office_id=org_of("s.neumann").pk,
            source="acquaintances",
            urgency="normal",
            account="Mitteilung einer Nachbarin aus Bochum.",
            reporter_anonymous=True,
            join_case=other_case.pk,
        ),
    )
    welfare_services.assessment_record(actor=bochum, access=other_access, data=ASSESSMENT)
    welfare_services.care_taking_record(actor=bochum, access=other_access, data=CARE_TAKING)
    welfare_services.help_plan_record(
        actor=bochum,
        access=case_queries.case_get_for(bochum, other_case.pk),
        data=_help_plan(Organisation.objects.get(name="Familienhilfe Ruhr e. V. (Demo)"), today),
    )
    _conference(bochum, other_case.pk, minutes=True)
    welfare_services.move_offer(
        actor=bochum,
        access=case_queries.case_get_for(bochum, other_case.pk),
        data=welfare_services.MoveInput(
            street="Quaggaweg 11",
            postal_code=ESSEN_POSTAL_CODE,
            city="Essen",
            information="Umzug nach Essen.",
        ),
    )
    YouthOfficeReport.objects.create(
        case=other_case,
        from_organisation=org_of("dr.weber"),
        reported_by=by_user["dr.weber"],
        reported_at=now,
        youth_office=org_of("s.neumann"),
        urgency="normal",
        indications="Mitteilung aus Bochum",
        billing_quarter="2026-4",
        due_at=now,
    )
    FindingsPhoto.objects.create(
        record=other_record,
        uploaded_by=bochum,
        organisation=org_of("s.neumann"),
        uploaded_at=now,
        caption="Foto aus Bochum",
        shows_face=False,
        width=1,
        height=1,
        key_id="none",
        content=b"",
    )
    FindingsVersion.objects.create(
        record=other_record,
        number=1,
        author=bochum,
        organisation=org_of("s.neumann"),
        at=now,
        **{k: v for k, v in vars(_findings(now)).items()},
        advice={},
    )
    # The Jugendamt's own earlier case on Quirinia, under a spelling that sounds alike (a likely
    # duplicate): its coordination joined the newer into the older, for the Jugendamt alone.
    jugendamt = by_user["j.hoffmann"]
    twin_case = case_services.case_create(
        actor=jugendamt,
        organisation=youth_office,
        title="Hinweis der Kita: wiederholt unversorgte Verletzungen",
        identity=TWIN_CHILD,
        first_task=case_services.FirstTask("Kita-Leitung zurückrufen", today + timedelta(days=2)),
    )
    case_services.case_join(
        actor=by_user["m.becker"],
        access=case_queries.case_get_for(by_user["m.becker"], case.pk),
        other=case_queries.case_get_for(by_user["m.becker"], twin_case.pk),
    )

    # An open invitation to each role's organisation, into a case led in Essen.
    essen = by_user["k.richter"]
    invitations_case = case_services.case_create(
        actor=essen,
        organisation=org_of("k.richter"),
        title="Anfrage zur Mitwirkung",
        identity=ChildIdentity(given_name="Wendelin", family_name="Quastorf", birth_date=date(2015, 2, 2)),
        first_task=case_services.FirstTask("Beteiligte anfragen", today + timedelta(days=2)),
    )
    invitations_access = case_queries.case_get_for(essen, invitations_case.pk)
    for username in {ROLES[r] for r in ROLES} - {"koordination"}:
        organisation = org_of(username)
        if not Participation.objects.filter(case=invitations_case, organisation=organisation).exists():
            case_services.participation_invite(
                actor=essen,
                access=invitations_access,
                organisation=organisation,
                role="other",
                legal_basis="consent",
            )

    # A crisis in each case: every participant's person on call (or coordination) is alerted.
    for raiser, case_id in ((doctor, case.pk), (bochum, other_case.pk)):
        crisis_services.crisis_raise(
            actor=raiser,
            access=case_queries.case_get_for(raiser, case_id),
            data=crisis_services.CrisisInput(
                urgency="acute",
                situation="Akute Selbstgefährdung in der Wohngruppe",
                location="Wohngruppe Nord",
            ),
        )

    # A meeting none of the roles is invited to, with an action item.
    start = datetime.combine(today + timedelta(days=3), time(10), tzinfo=timezone.get_current_timezone())
    bochum_meeting = meeting_services.meeting_create(
        actor=by_user["a.wolf"],
        organiser=org_of("a.wolf"),
        kind="case_conference",
        title="Fallkonferenz Bochum",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="Jugendamt Bochum",
        invitees=[Membership.objects.get(user__username="s.neumann")],
    )
    meeting_services.action_item_create(
        actor=by_user["a.wolf"],
        meeting=bochum_meeting,
        title="Termin abstimmen",
        owner=by_user["s.neumann"],
        due_date=today + timedelta(days=5),
    )
    round_table = Meeting.objects.filter(title__startswith="Runder Tisch").first()
    assert round_table is not None
    if not round_table.action_items.exists():
        meeting_services.action_item_create(
            actor=by_user["koordination"],
            meeting=round_table,
            title="Liste der Ansprechpersonen verschicken",
            owner=by_user["j.hoffmann"],
            due_date=today + timedelta(days=5),
        )

    # A message to each user of the crawl, that nobody else may read.
    from schutznetz.accounts.services import api_token_create
    from schutznetz.notify.services import notify

    for user in users.values():
        notify(recipients=[user], kind="crawl", title=f"Persönliche Nachricht für {user.username}")
        api_token_create(user=user, name=f"Fachverfahren von {user.username}")

    world = World(users=users)
    for role, user in users.items():
        # A data-protection officer's membership reaches no case, but its log names the cases and
        # the people of its organisation.
        working = set(
            Membership.objects.working().filter(user=user).values_list("organisation_id", flat=True)
        )
        orgs = set(
            Membership.objects.filter(user=user, is_active=True).values_list("organisation_id", flat=True)
        )
        world.own[role], world.other[role] = _objects_of(user, working)
        world.sibling[role] = _siblings_of(world.own[role], working)
        world.forbidden[role] = _forbidden_for(user, orgs, users.values())
    world.identities = _identities()
    return world


def _findings(now: datetime) -> Any:
    return medical_services.FindingsInput(
        examined_at=now - timedelta(hours=1),
        history="Quirinia berichtet, sie sei auf dem Schulhof gestürzt.",
        history_by="child",
        history_at=now - timedelta(hours=1),
        mobility="mobile",
        injuries=[
            {
                "region": "upper_arm_left",
                "kind": "bruise",
                "size": "4 × 1 cm",
                "colour": "red_blue",
                "pattern": "patterned",
                "estimated_age": "fresh",
                "note": "streifenförmig",
            }
        ],
        assessment="nai_possible",
        history_consistency="inconsistent",
    )


def _first(qs: Any) -> Any:
    row = qs.order_by("pk").values_list("pk", flat=True).first()
    return row


def _objects_of(user: User, orgs: set[int]) -> tuple[dict[str, Any], dict[str, Any]]:
    """For each kind, one record the user may reach and one they may not (or None), from the records."""
    admin = user.is_superuser or Membership.objects.filter(user=user, is_active=True, role="admin").exists()
    taking_part = Participation.objects.filter(organisation_id__in=orgs, status=ParticipationStatus.ACTIVE)
    cases = Case.objects.filter(pk__in=taking_part.values("case_id"))
    meetings = Meeting.objects.filter(
        Q(organiser_id__in=orgs)
        | Q(pk__in=MeetingAttendee.objects.filter(organisation_id__in=orgs).values("meeting_id"))
    )
    hours = ConsultationHour.objects.filter(Q(practice_id__in=orgs) | Q(counsellor_organisation_id__in=orgs))
    referrals = Referral.objects.filter(Q(from_organisation_id__in=orgs) | Q(offer__provider_id__in=orgs))
    agreements = CooperationAgreement.objects.filter(parties__in=orgs)
    invitations = Participation.objects.filter(organisation_id__in=orgs, status=ParticipationStatus.INVITED)
    own_case = _first(cases.filter(title__startswith="Auffälliger Befund bei Quirinia")) or _first(cases)
    joined = CaseJoin.objects.filter(organisation_id__in=orgs, undone_at=None)
    own: dict[str, Any] = {
        "case": own_case,
        "task": _first(Task.objects.filter(case_id=own_case)) if own_case else None,
        "handover": _first(LeadHandover.objects.filter(case_id=own_case)) if own_case else None,
        "invitation": _first(invitations),
        "meeting": _first(meetings),
        "action_item": _first(Task.objects.filter(meeting__in=meetings)),
        "booking": _first(ConsultationBooking.objects.filter(hour__in=hours)),
        "hour": _first(ConsultationHour.objects.all()),
        "referral": _first(referrals),
        "agreement": _first(agreements),
        "organisation": min(orgs) if orgs else None,
        "membership": _first(Membership.objects.filter(user=user)),
        "channel": _first(ContactChannel.objects.filter(organisation_id__in=orgs)),
        "shift": _first(OnCallShift.objects.filter(organisation_id__in=orgs)),
        "article": _first(KnowledgeArticle.objects.filter(is_current=True, audiences=[])),
        "attachment": _first(KnowledgeAttachment.objects.all()),
        "synonym": _first(SearchSynonym.objects.all()),
        "offer": _first(HelpOffer.objects.all()),
        "api_token": _first(ApiToken.objects.filter(user=user)),
        "findings": _first(FindingsRecord.objects.filter(case_id=own_case)) if own_case else None,
        "photo": _first(FindingsPhoto.objects.filter(record__case_id=own_case)) if own_case else None,
        "consultation": _first(Consultation.objects.filter(case_id=own_case)) if own_case else None,
        "share": _first(FindingsShare.objects.filter(case_id=own_case)) if own_case else None,
        "report": _first(YouthOfficeReport.objects.filter(case__title__startswith="Auffälliger Befund bei")),
        "intake": _first(Intake.objects.filter(case__title__startswith="Auffälliger Befund bei")),
        "assessment_version": _first(AssessmentVersion.objects.filter(assessment__case_id=own_case))
        if own_case
        else None,
        "care_taking": _first(CareTaking.objects.filter(case_id=own_case)) if own_case else None,
        "help_plan": _first(HelpPlan.objects.filter(case_id=own_case)) if own_case else None,
        "conference": _first(CaseConference.objects.filter(case_id=own_case)) if own_case else None,
        "move": _first(MoveHandover.objects.filter(case_id=own_case)) if own_case else None,
        "attendee": _first(ConferenceAttendee.objects.filter(conference__case_id=own_case))
        if own_case
        else None,
        "crisis": _first(Crisis.objects.filter(case_id=own_case)) if own_case else None,
        "duplicate": _first(Case.objects.filter(pk__in=joined.filter(into_id=own_case).values("case_id")))
        if own_case
        else None,
        "case_join": _first(joined.filter(into_id=own_case)) if own_case else None,
    }
    outside_cases = Case.objects.exclude(pk__in=cases.values("pk"))
    other_case = _first(outside_cases.filter(title="Mitteilung einer Nachbarin"))
    other: dict[str, Any] = {
        "case": other_case,
        "task": _first(Task.objects.filter(case_id=other_case)),
        "handover": _first(LeadHandover.objects.filter(case_id=other_case)),
        "invitation": _first(
            Participation.objects.filter(status=ParticipationStatus.INVITED).exclude(organisation_id__in=orgs)
        ),
        "meeting": None
        if admin
        else _first(Meeting.objects.exclude(pk__in=meetings.values("pk")).filter(published=False)),
        "action_item": None
        if admin
        else _first(Task.objects.filter(meeting__isnull=False).exclude(meeting__in=meetings)),
        "booking": _first(ConsultationBooking.objects.exclude(hour__in=hours)),
        "referral": _first(Referral.objects.exclude(pk__in=referrals.values("pk"))),
        "agreement": None
        if admin
        else _first(CooperationAgreement.objects.exclude(pk__in=agreements.values("pk"))),
        # Directory records are visible to the whole network: another organisation's record.
        "organisation": _first(Organisation.objects.exclude(pk__in=orgs)),
        "membership": _first(Membership.objects.exclude(organisation_id__in=orgs)),
        "channel": _first(ContactChannel.objects.exclude(organisation_id__in=orgs)),
        "shift": _first(OnCallShift.objects.exclude(organisation_id__in=orgs)),
        "article": None,
        "attachment": None,
        "synonym": None,
        "offer": None,
        "hour": None,
        "api_token": _first(ApiToken.objects.exclude(user=user)),
        "findings": _first(FindingsRecord.objects.filter(case_id=other_case)),
        "photo": _first(FindingsPhoto.objects.filter(record__case_id=other_case)),
        "consultation": _first(Consultation.objects.filter(case_id=other_case)),
        "share": _first(FindingsShare.objects.filter(case_id=other_case)),
        "report": _first(YouthOfficeReport.objects.filter(case_id=other_case)),
        "intake": _first(Intake.objects.filter(case_id=other_case)),
        "assessment_version": _first(AssessmentVersion.objects.filter(assessment__case_id=other_case)),
        "care_taking": _first(CareTaking.objects.filter(case_id=other_case)),
        "help_plan": _first(HelpPlan.objects.filter(case_id=other_case)),
        "conference": _first(CaseConference.objects.filter(case_id=other_case)),
        "move": _first(MoveHandover.objects.filter(case_id=other_case)),
        "attendee": _first(ConferenceAttendee.objects.filter(conference__case_id=other_case)),
        "crisis": _first(Crisis.objects.filter(case_id=other_case)),
        # The Jugendamt's twin case, for everyone outside it; for the Jugendamt a case it does not see.
        "duplicate": _first(
            Case.objects.filter(title__startswith="Hinweis der Kita: wiederholt").exclude(
                pk__in=cases.values("pk")
            )
        )
        or other_case,
        "case_join": _first(CaseJoin.objects.exclude(organisation_id__in=orgs)),
    }
    return own, other


# The kinds inside a case, and how to find one of them in a given set of cases.
_IN_CASE: dict[str, Any] = {
    "task": lambda cases: Task.objects.filter(case_id__in=cases),
    "handover": lambda cases: LeadHandover.objects.filter(case_id__in=cases),
    "findings": lambda cases: FindingsRecord.objects.filter(case_id__in=cases),
    "photo": lambda cases: FindingsPhoto.objects.filter(record__case_id__in=cases),
    "consultation": lambda cases: Consultation.objects.filter(case_id__in=cases),
    "share": lambda cases: FindingsShare.objects.filter(case_id__in=cases),
    "assessment_version": lambda cases: AssessmentVersion.objects.filter(assessment__case_id__in=cases),
    "care_taking": lambda cases: CareTaking.objects.filter(case_id__in=cases),
    "help_plan": lambda cases: HelpPlan.objects.filter(case_id__in=cases),
    "case_join": lambda cases: CaseJoin.objects.filter(into_id__in=cases),
}


def _siblings_of(own: dict[str, Any], orgs: set[int]) -> dict[str, Any]:
    """For each kind inside a case, one record of another case the role takes part in (not its own
    case of the crawl): asked under its own case's path, it must answer as a missing record."""
    if own.get("case") is None:
        return {}
    taking_part = Participation.objects.filter(organisation_id__in=orgs, status=ParticipationStatus.ACTIVE)
    others = list(taking_part.exclude(case_id=own["case"]).values_list("case_id", flat=True))
    siblings = {kind: _first(records(others)) for kind, records in _IN_CASE.items()}
    # Another case the role reaches that is no likely duplicate of its own one.
    siblings["duplicate"] = _first(Case.objects.filter(pk__in=others))
    meetings = Meeting.objects.filter(
        Q(organiser_id__in=orgs)
        | Q(pk__in=MeetingAttendee.objects.filter(organisation_id__in=orgs).values("meeting_id"))
    )
    siblings["action_item"] = _first(
        Task.objects.filter(meeting__in=meetings).exclude(meeting_id=own.get("meeting"))
    )
    siblings["attendee"] = _first(
        ConferenceAttendee.objects.filter(conference__case_id__in=others).exclude(
            conference_id=own.get("conference")
        )
    )
    return siblings


def _forbidden_for(user: User, orgs: set[int], everyone: Any) -> list[str]:
    admin = Membership.objects.filter(user=user, is_active=True, role="admin").exists()
    involved = Participation.objects.filter(organisation_id__in=orgs).values("case_id")
    # A Jugendamt learns of a case from a report to it (§ 4 Abs. 3 KKG), before it takes part.
    working = Membership.objects.working().filter(user=user).values("organisation_id")
    reported = YouthOfficeReport.objects.filter(youth_office_id__in=working).values("case_id")
    # Likewise from an offer when the family moved into its area (§ 8a Abs. 6 SGB VIII).
    offered = MoveHandover.objects.filter(to_office_id__in=working).values("case_id")
    texts = [
        c.child.pseudonym
        for c in Case.objects.exclude(pk__in=involved)
        .exclude(pk__in=reported)
        .exclude(pk__in=offered)
        .select_related("child")
    ]
    texts += [f"Persönliche Nachricht für {u.username}" for u in everyone if u.pk != user.pk]
    officer_of = Membership.objects.filter(user=user, is_active=True, role="data_protection")
    colleagues = set(
        Membership.objects.filter(organisation_id__in=officer_of.values("organisation_id")).values_list(
            "user_id", flat=True
        )
    )
    texts += [
        f"Fachverfahren von {u.username}" for u in everyone if u.pk != user.pk and u.pk not in colleagues
    ]
    hours = ConsultationHour.objects.filter(Q(practice_id__in=orgs) | Q(counsellor_organisation_id__in=orgs))
    texts += list(ConsultationBooking.objects.exclude(hour__in=hours).values_list("reference", flat=True))
    referrals = Referral.objects.filter(Q(from_organisation_id__in=orgs) | Q(offer__provider_id__in=orgs))
    texts += list(Referral.objects.exclude(pk__in=referrals.values("pk")).values_list("reference", flat=True))
    if not admin:
        meetings = Meeting.objects.filter(
            Q(organiser_id__in=orgs)
            | Q(pk__in=MeetingAttendee.objects.filter(organisation_id__in=orgs).values("meeting_id"))
            | Q(published=True)
        )
        texts += list(Meeting.objects.exclude(pk__in=meetings.values("pk")).values_list("title", flat=True))
        parties = CooperationAgreement.objects.filter(parties__in=orgs).values("pk")
        texts += list(CooperationAgreement.objects.exclude(pk__in=parties).values_list("title", flat=True))
    return sorted(set(texts))


def _identities() -> list[Identity]:
    # A first or family name alone counts where no member of the network bears it.
    staff = set(User.objects.values_list("first_name", flat=True)) | set(
        User.objects.values_list("last_name", flat=True)
    )
    found = []
    for case in Case.objects.select_related("child"):
        child = case_queries.identity_of(case.child)
        child_strings = [s for s in _strings(child) if s not in staff]
        guardians = {}
        for guardian in case.child.guardians.all():
            g = guardian_identity(guardian)
            shown = [g.full_name] + [value for value in (g.phone, g.address) if value]
            # An address the child shares is the child's.
            guardians[guardian.pk] = [s for s in shown if s not in staff and s not in child_strings]
        strings = child_strings + [s for shown in guardians.values() for s in shown]
        found.append(Identity({case.pk}, strings, case.child.pseudonym, child_strings, guardians))
    return found
