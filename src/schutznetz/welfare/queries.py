"""Reads of the intake, always through ``welfare.policy``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from schutznetz.cases import inbox
from schutznetz.cases.inbox import IncomingReport
from schutznetz.cases.queries import ChildMatch, case_get_for, child_search_for, identity_participant_ids
from schutznetz.network.models import Membership, Organisation, OrganisationKind, Urgency
from schutznetz.people.identity import ChildIdentity, child_identity
from schutznetz.people.vault import get_vault
from schutznetz.welfare import policy
from schutznetz.welfare.models import (
    HELP_PROVIDER_KINDS,
    AssessmentSignature,
    AssessmentVersion,
    CareTaking,
    CaseConference,
    ConferenceAttendee,
    ConferenceDecision,
    CourtReferral,
    HelpPlan,
    HelpPlanClinic,
    Intake,
    IntakeFeedback,
    IntakeSource,
    MoveHandover,
    MoveStatus,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess

REPORTER_KIND = "intake_reporter"
INTAKE_LIMIT = 200
GUEST_LIMIT = 500


# What the intake list shows of each report (the list page reads no more).
_LISTED = (
    "pk",
    "case__child__pseudonym",
    "source",
    "reporter_organisation__name",
    "urgency",
    "received_at",
    "due_at",
    "first_contact_at",
)


def _office_intakes(user: User) -> QuerySet[Intake] | None:
    offices = [o.pk for o in policy.youth_offices_of(user)]
    return Intake.objects.filter(youth_office_id__in=offices) if offices else None


def intake_list_for(user: User) -> list[Intake]:
    """The intake of the user's Jugendämter: reports awaiting first contact first, the most urgent
    deadline first (overdue ones lead), then the contacted ones, newest first. Two queries, bounded."""
    intakes = _office_intakes(user)
    if intakes is None:
        return []
    intakes = intakes.select_related("case__child", "youth_office", "reporter_organisation").defer(
        "reporter_sealed"
    )
    return inbox.waiting_then_done(intakes, done="first_contact_at", due="due_at", limit=INTAKE_LIMIT)


def intake_get_for(user: User, pk: UUID | str) -> Intake:
    try:
        intake = Intake.objects.select_related(
            "case__child", "youth_office", "reporter_organisation", "recorded_by", "first_contact_by"
        ).get(pk=UUID(str(pk)))
    except (Intake.DoesNotExist, ValueError):
        raise Http404(policy.NOT_FOUND) from None
    policy.require_read_intake(user, intake.youth_office_id)
    return intake


@dataclass(frozen=True)
class Reporter:
    name: str
    contact: str


def reporter_of(intake: Intake) -> Reporter | None:
    """Who reported (from the sealed record); None when anonymous. The caller records the read."""
    if intake.reporter_anonymous or not intake.reporter_key_id:
        return None
    raw = get_vault().open_bytes(
        bytes(intake.reporter_sealed), key_id=intake.reporter_key_id, kind=REPORTER_KIND, row_id=intake.pk
    )
    data = json.loads(raw)
    return Reporter(data.get("name", ""), data.get("contact", ""))


@dataclass
class IntakeDetail:
    intake: Intake
    child: ChildIdentity
    reporter: Reporter | None
    feedback: list[IntakeFeedback]


def intake_detail(intake: Intake) -> IntakeDetail:
    return IntakeDetail(
        intake,
        child_identity(intake.case.child),
        reporter_of(intake),
        list(intake.feedback.select_related("given_by")),
    )


def possible_duplicates(user: User, identity: ChildIdentity) -> list[ChildMatch]:
    """Children of the user's own cases that match exactly or sound alike (identity vault's search)."""
    return child_search_for(
        user, given_name=identity.given_name, family_name=identity.family_name, birth_date=identity.birth_date
    )


def incoming_intakes(user: User, limit: int) -> list[IncomingReport]:
    """The reports recorded in the user's Jugendämter, as the intake list shows them (two queries,
    bounded; only the columns it shows)."""
    intakes = _office_intakes(user)
    if intakes is None:
        return []
    rows = inbox.waiting_then_done(
        intakes.values(*_LISTED), done="first_contact_at", due="due_at", limit=limit
    )
    sources, urgencies = dict(IntakeSource.choices), dict(Urgency.choices)
    return [
        IncomingReport(
            url_name="welfare:intake",
            pk=i["pk"],
            pseudonym=i["case__child__pseudonym"],
            source=sources[i["source"]],
            sender=i["reporter_organisation__name"] or "",
            urgency=urgencies[i["urgency"]],
            received_at=i["received_at"],
            due_at=i["due_at"],
            done_at=i["first_contact_at"],
            done="Erstkontakt",
        )
        for i in rows
    ]


def assessment_areas() -> list[tuple[str, str]]:
    return list(settings.ASSESSMENT_AREAS)


def assessments_for(user: User, access: CaseAccess) -> list[RiskAssessment]:
    """The case's risk assessments with their current version and its signatures (two queries)."""
    if not policy.can_assess(user, access):
        raise Http404(policy.NOT_FOUND)
    return list(
        RiskAssessment.objects.filter(case=access.case, current__isnull=False)
        .select_related("current__author", "youth_office")
        .prefetch_related(
            Prefetch(
                "current__signatures",
                queryset=AssessmentSignature.objects.select_related("signed_by").order_by("signed_at"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def version_get_for(user: User, access: CaseAccess, pk: int) -> AssessmentVersion:
    for assessment in assessments_for(user, access):
        if assessment.current is not None and assessment.current.pk == pk:
            return assessment.current
    raise Http404(policy.NOT_FOUND)


def assessment_get_for(user: User, access: CaseAccess, pk: int | str) -> RiskAssessment:
    """One of the case's assessments; an id that is not one (or not a number) answers 404."""
    for assessment in assessments_for(user, access):
        if str(assessment.pk) == str(pk):
            return assessment
    raise Http404(policy.NOT_FOUND)


@dataclass
class Protection:
    """The consequences the Jugendamt drew in a case: safety plans, family-court referrals and takings
    into care, newest first (three queries plus one for the measures)."""

    plans: list[SafetyPlan]
    referrals: list[CourtReferral]
    care_takings: list[CareTaking]


def protection_for(user: User, access: CaseAccess) -> Protection:
    if not policy.can_assess(user, access):
        raise Http404(policy.NOT_FOUND)
    measures = SafetyMeasure.objects.select_related("owner", "task", "check_task").order_by("position")
    return Protection(
        plans=list(
            SafetyPlan.objects.filter(case=access.case)
            .select_related("created_by")
            .prefetch_related(Prefetch("measures", queryset=measures))
            .order_by("-created_at", "-pk")
        ),
        referrals=list(
            CourtReferral.objects.filter(case=access.case)
            .select_related("court", "created_by", "task")
            .order_by("-created_at", "-pk")
        ),
        care_takings=list(
            CareTaking.objects.filter(case=access.case)
            .select_related("created_by")
            .order_by("-begins_at", "-pk")
        ),
    )


def care_taking_get_for(user: User, access: CaseAccess, pk: int | str) -> CareTaking:
    for care in protection_for(user, access).care_takings:
        if str(care.pk) == str(pk):
            return care
    raise Http404(policy.NOT_FOUND)


def family_courts() -> list[tuple[int, str]]:
    """The family courts of the network's directory."""
    return list(
        Organisation.objects.filter(is_active=True, kind=OrganisationKind.FAMILY_COURT)
        .order_by("name")
        .values_list("pk", "name")
    )


def help_plans_for(user: User, access: CaseAccess) -> list[HelpPlan]:
    """The case's help plans: all of them for the Jugendamt; for a provider or clinic taking part with
    identity, those it works in (need to know). Three queries."""
    if not policy.can_read_help_plans(user, access):
        raise Http404(policy.NOT_FOUND)
    plans = HelpPlan.objects.filter(case=access.case)
    if not policy.can_assess(user, access):
        mine = access.organisation_id
        plans = plans.filter(
            Q(provider_id=mine) | Q(pk__in=HelpPlanClinic.objects.filter(clinic_id=mine).values("plan_id"))
        )
    return list(
        plans.select_related("provider", "created_by")
        .prefetch_related(
            Prefetch(
                "clinics", queryset=HelpPlanClinic.objects.select_related("clinic").order_by("added_at")
            ),
            "reviews",
        )
        .order_by("-created_at", "-pk")
    )


def help_plan_get_for(user: User, access: CaseAccess, pk: int | str) -> HelpPlan:
    for plan in help_plans_for(user, access):
        if str(plan.pk) == str(pk):
            return plan
    raise Http404(policy.NOT_FOUND)


def help_providers() -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(is_active=True, kind__in=HELP_PROVIDER_KINDS)
        .order_by("name")
        .values_list("pk", "name")
    )


def psychiatry_clinics() -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(is_active=True, kind=OrganisationKind.CHILD_PSYCHIATRY_CLINIC)
        .order_by("name")
        .values_list("pk", "name")
    )


# Case conferences.


@dataclass
class ConferenceAccess:
    """How the user reaches a conference: as a participant of the case (``case_access``) or as a guest
    while the legal basis or consent holds (``guest``)."""

    conference: CaseConference
    case_access: CaseAccess | None
    guest: ConferenceAttendee | None

    @property
    def is_guest(self) -> bool:
        return self.case_access is None


def _conference_rows() -> QuerySet[CaseConference]:
    return CaseConference.objects.select_related("case__child", "organiser", "created_by", "minutes_by")


def conference_get_for(user: User, pk: UUID | str) -> ConferenceAccess:
    """The conference, for the case's participants with identity and for its guests while their
    access holds; everybody else learns nothing (404, as for a missing one)."""
    try:
        conference = _conference_rows().get(pk=UUID(str(pk)))
    except (CaseConference.DoesNotExist, ValueError):
        raise Http404(policy.CONFERENCE_NOT_FOUND) from None
    try:
        access = case_get_for(user, conference.case_id)
    except Http404:
        access = None
    if access is not None and access.sees_identity:
        return ConferenceAccess(conference, access, None)
    guest = ConferenceAttendee.objects.filter(conference=conference, user=user, guest=True).first()
    if (
        guest is not None
        and policy.guest_may_read(user, guest.access_until, timezone.localdate())
        # invited as a member of that organisation: who has left it reads no more
        and Membership.objects.working().filter(user=user, organisation_id=guest.organisation_id).exists()
    ):
        return ConferenceAccess(conference, None, guest)
    raise Http404(policy.CONFERENCE_NOT_FOUND)


def conferences_for(user: User, access: CaseAccess) -> list[CaseConference]:
    if not policy.can_read_conferences(user, access):
        raise Http404(policy.CONFERENCE_NOT_FOUND)
    return list(
        _conference_rows()
        .filter(case=access.case)
        .prefetch_related(Prefetch("attendees", queryset=ConferenceAttendee.objects.select_related("user")))
        .order_by("-starts_at")
    )


@dataclass
class ConferenceDetail:
    access: ConferenceAccess
    child: ChildIdentity
    attendees: list[ConferenceAttendee]
    decisions: list[ConferenceDecision]


def conference_detail(found: ConferenceAccess) -> ConferenceDetail:
    conference = found.conference
    return ConferenceDetail(
        found,
        child_identity(conference.case.child),
        list(conference.attendees.select_related("user", "organisation")),
        list(conference.decisions.select_related("task__owner", "task__owner_organisation")),
    )


def conference_guests(case_id: UUID) -> list[Membership]:
    """People of the network whose organisation does not take part in the case with identity: they
    can be invited as guests (bounded)."""
    return list(
        Membership.objects.working()
        .exclude(organisation_id__in=identity_participant_ids(case_id))
        .filter(organisation__is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")[:GUEST_LIMIT]
    )


def earlier_billing_units(case_id: UUID, user_id: int) -> int:
    return sum(
        ConferenceAttendee.objects.filter(conference__case_id=case_id, user_id=user_id).values_list(
            "billing_units", flat=True
        )
    )


def conference_in_case_get_for(user: User, pk: UUID | str) -> tuple[ConferenceAccess, CaseAccess]:
    """The conference for one of the case's participants (guests read, they do not write: 404)."""
    found = conference_get_for(user, pk)
    if found.case_access is None:
        raise Http404(policy.CONFERENCE_NOT_FOUND)
    return found, found.case_access


def recorded_conference_get_for(user: User, pk: UUID | str) -> ConferenceAccess:
    """A conference whose minutes exist (the PDF of minutes not yet written: 404)."""
    found = conference_get_for(user, pk)
    if not found.conference.is_recorded:
        raise Http404(policy.CONFERENCE_NOT_FOUND)
    return found


# Handover when the family moves.


def move_get_for(user: User, pk: UUID | str) -> MoveHandover:
    """An offer, for the Jugendämter on both sides; everybody else learns nothing (404)."""
    try:
        move = MoveHandover.objects.select_related(
            "case__child", "from_office", "to_office", "requested_by", "responded_by"
        ).get(pk=UUID(str(pk)))
    except (MoveHandover.DoesNotExist, ValueError):
        raise Http404(policy.MOVE_NOT_FOUND) from None
    if not policy.can_see_move(user, move.from_office_id, move.to_office_id):
        raise Http404(policy.MOVE_NOT_FOUND)
    return move


@dataclass
class MoveDetail:
    """What the new Jugendamt needs to assess the risk: the child, the information given, the valid
    risk assessment and the safety plan's measures."""

    move: MoveHandover
    child: ChildIdentity
    assessment: AssessmentVersion | None
    measures: list[SafetyMeasure]


def move_detail(move: MoveHandover) -> MoveDetail:
    latest = (
        RiskAssessment.objects.filter(case_id=move.case_id, current__isnull=False)
        .select_related("current")
        .prefetch_related("current__signatures")
        .order_by("-created_at", "-pk")
        .first()
    )
    measures = list(
        SafetyMeasure.objects.filter(plan__case_id=move.case_id)
        .select_related("plan", "task")
        .order_by("-plan__created_at", "position")[:20]
    )
    return MoveDetail(move, child_identity(move.case.child), latest.current if latest else None, measures)


def moves_of_case(access: CaseAccess) -> list[MoveHandover]:
    return list(
        MoveHandover.objects.filter(case=access.case)
        .select_related("to_office", "from_office", "requested_by")
        .order_by("-requested_at")
    )


def pending_moves_count(user: User) -> int:
    """Cases offered to the user's Jugendämter on a family's move and not yet answered (start page)."""
    offices = [o.pk for o in policy.youth_offices_of(user)]
    if not offices:
        return 0
    return MoveHandover.objects.filter(to_office_id__in=offices, status=MoveStatus.PENDING).count()


def incoming_moves(user: User, limit: int) -> list[IncomingReport]:
    """Offers to the user's Jugendämter, as the intake list shows them (two queries, bounded)."""
    offices = [o.pk for o in policy.youth_offices_of(user)]
    if not offices:
        return []
    moves = inbox.waiting_then_done(
        MoveHandover.objects.filter(to_office_id__in=offices).values(
            "pk",
            "case__child__pseudonym",
            "from_office__name",
            "requested_at",
            "due_at",
            "responded_at",
            "status",
        ),
        done="responded_at",
        due="due_at",
        limit=limit,
    )
    return [
        IncomingReport(
            url_name="welfare:move",
            pk=m["pk"],
            pseudonym=m["case__child__pseudonym"],
            source="Übergabe bei Wegzug (§ 8a Abs. 6 SGB VIII)",
            sender=m["from_office__name"],
            urgency=Urgency.NORMAL.label,
            received_at=m["requested_at"],
            due_at=m["due_at"],
            done_at=m["responded_at"],
            done="Übernahme" if m["status"] == MoveStatus.ACCEPTED else "Antwort",
        )
        for m in moves
    ]


def conference_attendee_get(found: ConferenceAccess, pk: int) -> ConferenceAttendee:
    """One invited person of the conference (an id of another conference answers 404)."""
    attendee = ConferenceAttendee.objects.filter(pk=pk, conference=found.conference).first()
    if attendee is None:
        raise Http404(policy.CONFERENCE_NOT_FOUND)
    return attendee
