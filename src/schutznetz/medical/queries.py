"""Reads of medical content, always through the case's access and ``medical.policy``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import Http404

from schutznetz.cases.models import Participation, ParticipationStatus
from schutznetz.cases.policy import CaseAccess
from schutznetz.medical import bodymap, policy
from schutznetz.medical.models import (
    FamilyTalk,
    FindingsPhoto,
    FindingsRecord,
    FindingsShare,
    FindingsVersion,
)
from schutznetz.medical.vocabulary import Colour, EstimatedAge, InjuryKind, Pattern

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


def versions_of(record: FindingsRecord) -> list[FindingsVersion]:
    """Every version of a record, newest first (call after ``record_get_for``)."""
    return list(record.versions.select_related("author", "organisation").order_by("-number"))


def photos_of(record: FindingsRecord) -> list[FindingsPhoto]:
    """The record's photos without their content (call after ``record_get_for``)."""
    return list(record.photos.defer("content").order_by("uploaded_at", "pk"))


def photo_get_for(user: User, access: CaseAccess, record_pk: int, photo_pk: UUID) -> FindingsPhoto:
    record = record_get_for(user, access, record_pk)
    try:
        return FindingsPhoto.objects.get(pk=photo_pk, record=record)
    except FindingsPhoto.DoesNotExist:
        raise Http404(policy.NOT_FOUND) from None


def shares_of(user: User, access: CaseAccess) -> list[FindingsShare]:
    policy.require_read_findings(user, access)
    return list(
        FindingsShare.objects.filter(case=access.case, revoked_at__isnull=True)
        .select_related("organisation", "shared_by")
        .order_by("shared_at")
    )


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
