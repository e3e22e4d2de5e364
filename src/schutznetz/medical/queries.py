"""Reads of medical content, always through the case's access and ``medical.policy``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import Http404

from schutznetz.cases import queries as case_queries
from schutznetz.cases.models import Participation, ParticipationStatus
from schutznetz.cases.policy import CaseAccess
from schutznetz.medical import bodymap, policy
from schutznetz.medical.models import (
    Consultation,
    FamilyTalk,
    FindingsPhoto,
    FindingsRecord,
    FindingsShare,
    FindingsVersion,
)
from schutznetz.medical.vocabulary import Colour, EstimatedAge, InjuryKind, Pattern
from schutznetz.network.models import Organisation, OrganisationKind
from schutznetz.people.models import Sex

if TYPE_CHECKING:
    from schutznetz.accounts.models import User


def records_for(user: User, access: CaseAccess) -> list[FindingsRecord]:
    """The case's findings records with their current version, newest first."""
    policy.require_read_findings(user, access)
    return list(
        FindingsRecord.objects.filter(case=access.case)
        .select_related("current", "current__author", "organisation")
        .order_by("-created_at", "-pk")
    )


def record_get_for(user: User, access: CaseAccess, pk: int) -> FindingsRecord:
    policy.require_read_findings(user, access)
    try:
        return FindingsRecord.objects.select_related("current", "current__author", "organisation").get(
            pk=pk, case=access.case
        )
    except FindingsRecord.DoesNotExist:
        raise Http404(policy.NOT_FOUND) from None


def current_of(record: FindingsRecord) -> FindingsVersion:
    """The version in force (every record is written with its first)."""
    if record.current is None:
        raise Http404(policy.NOT_FOUND)
    return record.current


def versions_of(record: FindingsRecord) -> list[FindingsVersion]:
    """Every version of a record, newest first (call after ``record_get_for``)."""
    return list(record.versions.select_related("author", "organisation").order_by("-number"))


def photos_of(record: FindingsRecord) -> list[FindingsPhoto]:
    """The record's photos without their content (call after ``record_get_for``)."""
    return list(record.photos.defer("content").order_by("uploaded_at", "pk"))


def photo_get_for(user: User, access: CaseAccess, record_pk: int, photo_pk: UUID) -> FindingsPhoto:
    """A photo for one who reads the findings; for a consulted specialist, only one without a face."""
    photos = FindingsPhoto.objects.filter(pk=photo_pk, record_id=record_pk, record__case=access.case)
    if not policy.can_read_findings(user, access):
        policy.require_consult(user, access)
        photos = photos.filter(shows_face=False)
    found = photos.first()
    if found is None:
        raise Http404(policy.NOT_FOUND)
    return found


def shares_of(user: User, access: CaseAccess) -> list[FindingsShare]:
    policy.require_read_findings(user, access)
    return list(
        FindingsShare.objects.filter(case=access.case, revoked_at__isnull=True)
        .select_related("organisation", "shared_by")
        .order_by("shared_at")
    )


def share_get_for(user: User, access: CaseAccess, pk: int) -> FindingsShare:
    for share in shares_of(user, access):
        if share.pk == pk:
            return share
    raise Http404(policy.NOT_FOUND)


def talks_for(user: User, access: CaseAccess) -> list[FamilyTalk]:
    """The talks with child and parents (§ 4 Abs. 1 KKG), newest first: medical content too."""
    policy.require_read_findings(user, access)
    return list(
        FamilyTalk.objects.filter(case=access.case)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )


def share_candidates(access: CaseAccess) -> list[Participation]:
    """The organisations taking part with identity that the findings could be shared with."""
    return list(
        Participation.objects.filter(case=access.case, status=ParticipationStatus.ACTIVE, pseudonymised=False)
        .exclude(organisation_id=access.organisation_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@dataclass
class InjuryRow:
    """One finding as the page shows it: each code with its German label."""

    region: bodymap.Region
    kind: str
    size: str
    colour: str
    pattern: str
    estimated_age: str
    note: str


@dataclass
class VersionView:
    version: FindingsVersion
    injuries: list[InjuryRow] = field(default_factory=list)

    @property
    def advice(self) -> dict[str, Any]:
        advice: dict[str, Any] = self.version.advice
        return advice

    @property
    def age_text(self) -> str:
        age: Decimal | None = self.version.age_months
        if age is None:
            return "nicht bekannt"
        return f"{str(age).replace('.', ',')} Monate"

    @property
    def regions(self) -> set[str]:
        return {row.region.code for row in self.injuries}


def version_view(version: FindingsVersion) -> VersionView:
    rows = [
        InjuryRow(
            region=bodymap.region(item["region"]),
            kind=InjuryKind(item["kind"]).label,
            size=item.get("size", ""),
            colour=Colour(item.get("colour", Colour.NOT_ASSESSABLE)).label,
            pattern=Pattern(item.get("pattern", Pattern.UNSPECIFIC)).label,
            estimated_age=EstimatedAge(item.get("estimated_age", EstimatedAge.UNKNOWN)).label,
            note=item.get("note", ""),
        )
        for item in version.injuries
    ]
    return VersionView(version, rows)


# Who may be asked for a pseudonymised consultation (§ 4 Abs. 2 KKG).
SPECIALIST_KINDS = (
    OrganisationKind.CHILD_PROTECTION_CENTRE,
    OrganisationKind.CHILD_PROTECTION_TEAM,
    OrganisationKind.COUNSELLING_CENTRE,
    OrganisationKind.CARE_PROVIDER,
)


def specialist_candidates(access: CaseAccess) -> list[Organisation]:
    return list(
        Organisation.objects.filter(is_active=True, kind__in=SPECIALIST_KINDS)
        .exclude(pk=access.organisation_id)
        .order_by("name")
    )


def consultations_for(user: User, access: CaseAccess) -> list[Consultation]:
    """The doctor's side sees every consultation of the case; a specialist those put to it."""
    consultations = Consultation.objects.filter(case=access.case)
    if not policy.can_read_findings(user, access):
        policy.require_consult(user, access)
        consultations = consultations.filter(specialist_id=access.organisation_id)
    return list(
        consultations.select_related(
            "specialist", "from_organisation", "requested_by", "answered_by"
        ).order_by("-requested_at", "-pk")
    )


def consultation_get_for(user: User, access: CaseAccess, pk: int) -> Consultation:
    for consultation in consultations_for(user, access):
        if consultation.pk == pk:
            return consultation
    raise Http404(policy.NOT_FOUND)


# A size as measured ("2 × 1,5 cm", "3x2 mm"): anything else is free text, not shown unscreened.
MEASURE = re.compile(r"[\d\s,.×x]*(mm|cm)?\s*", re.IGNORECASE)
MSG_FREE_TEXT = "(Freitext, nicht übermittelt)"


@dataclass
class CodedPhoto:
    photo: FindingsPhoto
    label: str  # instead of the caption, which is free text


@dataclass
class PseudonymisedFindings:
    """What a consulted specialist sees: coded content only, nothing written in free text."""

    pseudonym: str
    sex: str
    versions: list[VersionView]
    photos: list[CodedPhoto]
    records: list[int]


def pseudonymised_findings(user: User, access: CaseAccess) -> PseudonymisedFindings:
    policy.require_consult(user, access)
    records = list(
        FindingsRecord.objects.filter(case=access.case, current__isnull=False)
        .select_related("current")
        .order_by("-created_at", "-pk")
    )
    views = [version_view(record.current) for record in records if record.current]
    for view in views:
        for row in view.injuries:
            row.note = ""  # free text: not screened
            if not MEASURE.fullmatch(row.size):
                row.size = MSG_FREE_TEXT
    found = (
        FindingsPhoto.objects.filter(record__in=records, shows_face=False)
        .defer("content")
        .order_by("uploaded_at", "pk")
    )
    photos = [
        CodedPhoto(photo, f"Foto {n}" + (f" ({bodymap.region(photo.region).label})" if photo.region else ""))
        for n, photo in enumerate(found, start=1)
    ]
    sex = case_queries.identity_of(access.case.child).sex
    label = Sex(sex).label if sex in Sex.values else ""
    return PseudonymisedFindings(access.case.child.pseudonym, label, views, photos, [r.pk for r in records])
