"""Reads of the intake, always through ``welfare.policy``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db.models import F, Prefetch
from django.http import Http404
from django.urls import reverse

from schutznetz.cases.inbox import IncomingReport
from schutznetz.cases.queries import ChildMatch, child_search_for
from schutznetz.people.identity import ChildIdentity, child_identity
from schutznetz.people.vault import get_vault
from schutznetz.welfare import policy
from schutznetz.welfare.models import AssessmentSignature, AssessmentVersion, Intake, RiskAssessment

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess

REPORTER_KIND = "intake_reporter"
INTAKE_LIMIT = 200


def intake_list_for(user: User) -> list[Intake]:
    """The intake of the user's Jugendämter: reports awaiting first contact first, the most urgent
    deadline first (overdue ones lead), then the contacted ones, newest first. One query, bounded."""
    offices = [o.pk for o in policy.youth_offices_of(user)]
    if not offices:
        return []
    return list(
        Intake.objects.filter(youth_office_id__in=offices)
        .select_related("case__child", "youth_office", "reporter_organisation")
        .defer("reporter_sealed")
        .order_by(F("first_contact_at").asc(nulls_first=True), "due_at")[:INTAKE_LIMIT]
    )


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


def intake_detail(intake: Intake) -> IntakeDetail:
    return IntakeDetail(intake, child_identity(intake.case.child), reporter_of(intake))


def possible_duplicates(user: User, identity: ChildIdentity) -> list[ChildMatch]:
    """Children of the user's own cases that match exactly or sound alike (identity vault's search)."""
    return child_search_for(
        user, given_name=identity.given_name, family_name=identity.family_name, birth_date=identity.birth_date
    )


def incoming_intakes(user: User) -> list[IncomingReport]:
    """The reports recorded in the user's Jugendämter, as the intake list shows them (one query)."""
    return [
        IncomingReport(
            url=reverse("welfare:intake", args=[i.pk]),
            pseudonym=i.case.child.pseudonym,
            source=i.get_source_display(),
            sender=i.reporter_organisation.name if i.reporter_organisation else "",
            urgency=i.get_urgency_display(),
            received_at=i.received_at,
            due_at=i.due_at,
            done_at=i.first_contact_at,
            done="Erstkontakt",
        )
        for i in intake_list_for(user)
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
