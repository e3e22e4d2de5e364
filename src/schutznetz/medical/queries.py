"""Reads of medical content, always through the case's access and ``medical.policy``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from schutznetz.cases import inbox
from schutznetz.cases import queries as case_queries
from schutznetz.cases.inbox import IncomingReport
from schutznetz.cases.models import LegalBasis, Participation, ParticipationStatus
from schutznetz.cases.policy import CaseAccess
from schutznetz.medical import bodymap, policy
from schutznetz.medical.models import (
    Consultation,
    DiagnosticStatus,
    FamilyTalk,
    FindingsPhoto,
    FindingsRecord,
    FindingsShare,
    FindingsVersion,
    ReportFeedback,
    YouthOfficeReport,
    basis_short,
    report_basis,
)
from schutznetz.medical.vocabulary import Colour, EstimatedAge, InjuryKind, Pattern
from schutznetz.network.models import (
    EBM_PROVIDER_KINDS,
    HEALTH_CARE_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    Urgency,
)
from schutznetz.network.policy import active_memberships, youth_offices_of
from schutznetz.network.queries import JurisdictionError, jurisdiction_lookup
from schutznetz.people.identity import ChildIdentity, GuardianIdentity, child_identity, guardian_identity
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


@dataclass(frozen=True)
class DiagnosticRow:
    """A recommended examination of the shown version with how it was marked (None: not yet)."""

    code: str
    what: str
    why: str
    status: DiagnosticStatus | None


def diagnostics_of(record: FindingsRecord, version: FindingsVersion) -> list[DiagnosticRow]:
    """The version's recommendations with their marking (one query). Versions written before the
    recommendations had codes are shown without one and cannot be marked."""
    marked = {d.code: d for d in DiagnosticStatus.objects.filter(record=record).select_related("marked_by")}
    return [
        DiagnosticRow(item.get("code", ""), item["what"], item["why"], marked.get(item.get("code", "")))
        for item in version.advice.get("diagnostics", [])
    ]


@dataclass(frozen=True)
class DiagnosticsFigures:
    """For the evaluation: the guideline's recommendations in the current findings of the records of
    some organisations, and how many were done, left out with a reason, or are open."""

    recommended: int
    done: int
    not_done: int

    @property
    def open(self) -> int:
        return self.recommended - self.done - self.not_done

    @property
    def conform(self) -> int:
        """Guideline-conform: done, or not done for a recorded reason."""
        return self.done + self.not_done


def diagnostics_figures(organisation_ids: Sequence[int]) -> DiagnosticsFigures:
    """Two queries: the current versions' recommendations, and the markings of those records."""
    versions = FindingsVersion.objects.filter(
        record__organisation_id__in=organisation_ids, record__current_id=F("pk")
    ).values_list("record_id", "advice")
    recommended = {
        (record_id, item["code"])
        for record_id, advice in versions
        for item in (advice or {}).get("diagnostics", [])
        if item.get("code")
    }
    marks = DiagnosticStatus.objects.filter(record__organisation_id__in=organisation_ids).values_list(
        "record_id", "code", "done"
    )
    done = not_done = 0
    for record_id, code, was_done in marks:
        if (record_id, code) in recommended:
            done, not_done = (done + 1, not_done) if was_done else (done, not_done + 1)
    return DiagnosticsFigures(len(recommended), done, not_done)


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


def specialist_get(pk: int) -> Organisation:
    """An organisation named as specialist (the service checks that it is one)."""
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"specialist": "Diese Organisation gibt es im Netzwerk nicht."})
    return found


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


# Reports to the Jugendamt (§ 4 Abs. 3 KKG).


def quarter_of(moment: datetime) -> str:
    """The billing quarter of a moment, e.g. "2026-4" (EBM 01681: once per case and quarter)."""
    local = timezone.localtime(moment)
    return f"{local.year}-{(local.month - 1) // 3 + 1}"


@dataclass
class ReportDraft:
    """What the report form starts from: the competent Jugendamt for the child's address and what
    the report will carry of the findings and of the talk with the family."""

    competent: Organisation | None
    jurisdiction_note: str  # why no Jugendamt was named ("" when one was)
    findings_summary: str  # blank: the reporter is no practice or clinic
    talk_summary: str
    earlier_this_quarter: YouthOfficeReport | None
    legal_basis: str = LegalBasis.KKG_4_3
    bills: bool = False  # a practice: the report counts as EBM 01681

    @property
    def basis_short(self) -> str:
        return basis_short(self.legal_basis)


def youth_offices() -> list[Organisation]:
    """The Jugendämter of the network a report can go to."""
    return list(
        Organisation.objects.filter(is_active=True, kind=OrganisationKind.YOUTH_OFFICE).order_by("name")
    )


def competent_youth_office(identity: ChildIdentity) -> tuple[Organisation | None, str]:
    if not identity.postal_code:
        return None, "Für das Kind ist keine Postleitzahl erfasst."
    try:
        return jurisdiction_lookup(postal_code=identity.postal_code, municipality=identity.city), ""
    except JurisdictionError as error:
        return None, error.message


def findings_summary(case_id: UUID) -> str:
    """The current findings in coded form, as the report carries them."""
    records = (
        FindingsRecord.objects.filter(case_id=case_id, current__isnull=False)
        .select_related("current")
        .order_by("created_at", "pk")
    )
    parts = []
    for record in records:
        version = record.current
        if version is None:
            continue
        view = version_view(version)
        injuries = "; ".join(
            f"{row.region.label}: {row.kind}"
            + "".join(f", {v}" for v in (row.size, row.colour, row.pattern) if v)
            + (f", Alter {row.estimated_age}" if row.estimated_age else "")
            for row in view.injuries
        )
        lines = [
            f"Untersuchung am {timezone.localtime(version.examined_at):%d.%m.%Y %H:%M} "
            f"(Alter {view.age_text}, {version.get_mobility_display()})",
            f"Gesamteinschätzung: {version.get_assessment_display()}",
            f"Befunde: {injuries or 'keine Einzelbefunde erfasst'}",
        ]
        if version.examinations_done:
            lines.append(f"Durchgeführte Untersuchungen: {version.examinations_done}")
        if version.examinations_recommended:
            lines.append(f"Empfohlene Untersuchungen: {version.examinations_recommended}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) or "Keine Befunddokumentation erfasst."


def talk_summary(case_id: UUID) -> str:
    """The latest talk with child and parents (§ 4 Abs. 1 KKG), as the report carries it."""
    talk = FamilyTalk.objects.filter(case_id=case_id).order_by("-recorded_at", "-pk").first()
    if talk is None:
        return "Kein Gespräch mit dem Kind und den Personensorgeberechtigten dokumentiert."
    if talk.held and talk.held_at:
        who = f" mit {talk.participants}" if talk.participants else ""
        return f"Gespräch am {timezone.localtime(talk.held_at):%d.%m.%Y}{who}: {talk.result}".strip()
    return (
        "Gespräch nicht geführt, weil es den wirksamen Schutz des Kindes in Frage stellen würde: "
        f"{talk.not_held_reason}"
    )


def report_draft(user: User, access: CaseAccess) -> ReportDraft:
    """A practice or clinic sends its findings and its talk with the family along; any other
    reporting organisation (a Kita, a school) its own observations only."""
    policy.require_report(user, access)
    competent, note = competent_youth_office(case_queries.identity_of(access.case.child))
    reporter = Organisation.objects.only("kind").get(pk=access.organisation_id)
    health_care = reporter.kind in HEALTH_CARE_KINDS
    return ReportDraft(
        competent,
        note,
        findings_summary(access.case.pk) if health_care else "",
        talk_summary(access.case.pk) if health_care else "",
        earlier_report(access.case.pk, quarter_of(timezone.now())),
        legal_basis=report_basis(reporter.kind),
        bills=reporter.kind in EBM_PROVIDER_KINDS,
    )


def billed_in_quarter(practice_id: int, child_key: str, quarter: str) -> bool:
    """Whether the practice billed 01681 for this child (any of its cases) in the quarter."""
    return (
        YouthOfficeReport.objects.filter(
            from_organisation_id=practice_id, billing_child_key=child_key, billing_quarter=quarter
        )
        .exclude(billing_code="")
        .exists()
    )


def earlier_report(case_id: UUID, quarter: str) -> YouthOfficeReport | None:
    return (
        YouthOfficeReport.objects.filter(case_id=case_id, billing_quarter=quarter)
        .select_related("youth_office")
        .order_by("reported_at")
        .first()
    )


def reports_of_case(user: User, access: CaseAccess) -> list[YouthOfficeReport]:
    """The case section's reports: those the user's organisation sent (its doctors) or received (a
    Jugendamt); another organisation's report is read by its sender and its addressee only."""
    if not policy.can_see_reports(user, access):
        raise Http404(policy.NOT_FOUND)
    organisation = access.organisation_id
    mine = Q(youth_office_id=organisation)
    if policy.reports_for(user, organisation):
        mine |= Q(from_organisation_id=organisation)
    return list(
        YouthOfficeReport.objects.filter(mine, case=access.case)
        .select_related("youth_office", "from_organisation", "reported_by")
        .annotate(feedback_count=Count("feedback"))
        .order_by("-reported_at")
    )


@dataclass(frozen=True)
class ReportAccess:
    report: YouthOfficeReport
    side: str  # "reporter" or "youth_office"
    reads_feedback: bool = False  # § 4 Abs. 4 KKG: the reporter, their stand-ins, the Jugendamt

    @property
    def is_youth_office(self) -> bool:
        return self.side == "youth_office"


def report_get_for(user: User, pk: UUID | str) -> ReportAccess:
    """A report for its reporting doctors and for the Jugendamt it went to; 404 for anyone else."""
    try:
        report = YouthOfficeReport.objects.select_related(
            "case__child",
            "case__lead_organisation",
            "from_organisation",
            "youth_office",
            "competent_youth_office",
            "reported_by",
            "acknowledged_by",
        ).get(pk=UUID(str(pk)))
    except (YouthOfficeReport.DoesNotExist, ValueError):
        raise Http404(policy.NOT_FOUND) from None
    side = policy.require_read_report(user, report)
    return ReportAccess(report, side, policy.reads_feedback(user, report, side))


@dataclass
class ReportDetail:
    access: ReportAccess
    child: ChildIdentity
    guardians: list[tuple[str, GuardianIdentity, int]]
    reporter: Membership | None
    feedback: list[ReportFeedback]  # empty for those who do not read it (``reads_feedback``)
    feedback_given: bool

    @property
    def persons_shown(self) -> dict[str, object]:
        return {
            "child": self.access.report.case.child.pseudonym,
            "guardians": [pk for _, _, pk in self.guardians],
        }


def report_detail(access: ReportAccess) -> ReportDetail:
    """The report with the identities it names (read from the vault: the caller records the read)."""
    report = access.report
    child = report.case.child
    guardians = [
        (g.get_relation_display(), guardian_identity(g), g.pk)
        for g in child.guardians.order_by("created_at", "pk")
    ]
    reporter = (
        Membership.objects.filter(user_id=report.reported_by_id, organisation_id=report.from_organisation_id)
        .order_by("-is_active")
        .first()
    )
    if access.reads_feedback:
        feedback = list(report.feedback.select_related("given_by"))
        given = bool(feedback)
    else:
        feedback, given = [], report.feedback.exists()
    return ReportDetail(access, child_identity(child), guardians, reporter, feedback, given)


def _youth_office_ids(user: User) -> list[int]:
    return [o.pk for o in youth_offices_of(user)]


def _reporting_organisation_ids(user: User) -> list[int]:
    return [
        m.organisation_id for m in active_memberships(user) if policy.reports_for(user, m.organisation_id)
    ]


INBOX_LIMIT = 200


@dataclass
class ReportInbox:
    received: Sequence[YouthOfficeReport]  # to the user's Jugendamt: unacknowledged first, by deadline
    awaiting_feedback: Sequence[YouthOfficeReport]  # sent by the user's practice or clinic, no feedback
    answered: Sequence[YouthOfficeReport]  # sent, with feedback (newest first)
    is_youth_office: bool
    reports: bool  # the user reports for one of their organisations (``policy.reports_for``)


def report_inbox(user: User) -> ReportInbox:
    """The reports page: one query per list, each bounded."""
    related = ("case__child", "youth_office", "from_organisation", "reported_by")
    offices = _youth_office_ids(user)
    received = (
        list(
            YouthOfficeReport.objects.filter(youth_office_id__in=offices)
            .select_related(*related)
            .annotate(feedback_count=Count("feedback"))
            .order_by(F("acknowledged_at").desc(nulls_first=True), "due_at")[:INBOX_LIMIT]
        )
        if offices
        else []
    )
    reporting = _reporting_organisation_ids(user)
    sent = (
        list(
            YouthOfficeReport.objects.filter(from_organisation_id__in=reporting)
            .select_related(*related)
            .annotate(feedback_count=Count("feedback"))
            .order_by("-reported_at")[:INBOX_LIMIT]
        )
        if reporting
        else []
    )
    return ReportInbox(
        received,
        [r for r in sent if not r.feedback_count],
        [r for r in sent if r.feedback_count],
        is_youth_office=bool(offices),
        reports=bool(reporting),
    )


def incoming_reports(user: User, limit: int) -> list[IncomingReport]:
    """Reports to the user's Jugendämter, as the intake list shows them (two queries)."""
    offices = _youth_office_ids(user)
    if not offices:
        return []
    reports = inbox.waiting_then_done(
        YouthOfficeReport.objects.filter(youth_office_id__in=offices).values(
            "pk",
            "case__child__pseudonym",
            "from_organisation__name",
            "from_organisation__kind",
            "legal_basis",
            "urgency",
            "reported_at",
            "due_at",
            "acknowledged_at",
        ),
        done="acknowledged_at",
        due="due_at",
        limit=limit,
    )
    urgencies, kinds = dict(Urgency.choices), dict(OrganisationKind.choices)
    return [
        IncomingReport(
            url_name="medical:report",
            pk=r["pk"],
            pseudonym=r["case__child__pseudonym"],
            source=f"Mitteilung nach {basis_short(r['legal_basis'])} ({kinds[r['from_organisation__kind']]})",
            sender=r["from_organisation__name"],
            urgency=urgencies[r["urgency"]],
            received_at=r["reported_at"],
            due_at=r["due_at"],
            done_at=r["acknowledged_at"],
            done="Eingang bestätigt",
        )
        for r in reports
    ]
