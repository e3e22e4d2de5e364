"""Who reads and writes medical content of a case.

Findings are readable by members of a medical profession (``network.MEDICAL_PROFESSIONS``) of the
organisation through which they see the case, and by the members of an organisation the doctor has
shared the findings with (legal basis recorded). Pseudonymised participants never see findings here:
their consultation gets its own screened view. Everybody else does not learn that findings exist:
the section is not shown and its addresses answer 404, as for a case they cannot see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from schutznetz.cases.policy import CaseAccess
from schutznetz.medical.models import Consultation, FindingsShare, YouthOfficeReport
from schutznetz.network.models import HEALTH_CARE_KINDS, NOT_REPORTING_KINDS, Membership, Role
from schutznetz.network.policy import active_memberships, youth_offices_of

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

NOT_FOUND = "Befund nicht gefunden."
MSG_WRITE = (
    "Befunde dokumentieren Angehörige eines Heilberufs der beteiligten Organisation, "
    "solange der Fall offen ist."
)


def is_medical_in(user: User, organisation_id: int) -> bool:
    return any(m.organisation_id == organisation_id and m.is_medical for m in active_memberships(user))


# What the case page's sections ask of a participation, read with it (``participation_facts``,
# registered with ``cases.queries.register_participation_fact``, read with the case page's access) or
# else asked here once.
FINDINGS_SHARED, CONSULTED, REPORT_RECEIVED = "_findings_shared", "_consulted", "_report_received"


# fact name -> (the records, the field naming the participation's organisation in them); querysets
# are lazy, each use filters a copy.
_FACTS: dict[str, tuple[QuerySet[Any], str]] = {
    FINDINGS_SHARED: (FindingsShare.objects.filter(revoked_at__isnull=True), "organisation_id"),
    CONSULTED: (Consultation.objects.all(), "specialist_id"),
    REPORT_RECEIVED: (YouthOfficeReport.objects.all(), "youth_office_id"),
}


def _exists(records: QuerySet[Any], field: str) -> Callable[[], Exists]:
    return lambda: Exists(records.filter(case_id=OuterRef("case_id"), **{field: OuterRef("organisation_id")}))


def participation_facts() -> dict[str, Callable[[], Exists]]:
    """Each fact as a correlated EXISTS on a participation row."""
    return {name: _exists(records, field) for name, (records, field) in _FACTS.items()}


def _fact(access: CaseAccess, name: str) -> bool:
    """The fact as read with the participation, or asked now (and kept on it)."""
    known: bool | None = getattr(access.participation, name, None)
    if known is None:
        records, field = _FACTS[name]
        known = records.filter(case_id=access.case.pk, **{field: access.organisation_id}).exists()
        setattr(access.participation, name, known)
    return known


def _shared_with(access: CaseAccess) -> bool:
    return _fact(access, FINDINGS_SHARED)


def can_read_findings(user: User, access: CaseAccess) -> bool:
    if not access.sees_identity:
        return False
    return is_medical_in(user, access.organisation_id) or _shared_with(access)


def can_write_findings(user: User, access: CaseAccess) -> bool:
    """Document and correct findings, and share them: a medical professional of a case still open."""
    return access.case.is_open and access.sees_identity and is_medical_in(user, access.organisation_id)


def require_read_findings(user: User, access: CaseAccess) -> None:
    if not can_read_findings(user, access):
        raise Http404(NOT_FOUND)


def require_write_findings(user: User, access: CaseAccess) -> None:
    """Who may not read learns nothing (404); who reads but may not write is refused (403)."""
    require_read_findings(user, access)
    if not can_write_findings(user, access):
        raise PermissionDenied(MSG_WRITE)


def can_consult(user: User, access: CaseAccess) -> bool:
    """A pseudonymised specialist that was asked for a consultation in this case: it sees the coded
    findings (never the history, notes or photos showing the face) and answers."""
    if access.sees_identity:
        return False
    return _fact(access, CONSULTED)


def require_consult(user: User, access: CaseAccess) -> None:
    if not can_consult(user, access):
        raise Http404(NOT_FOUND)


# Reports to the Jugendamt (§ 4 Abs. 3 KKG; § 8a Abs. 4 SGB VIII for a Kita, a Träger or a club with
# a protection agreement). Every profession of § 4 Abs. 1 KKG reports, not only doctors: in a practice,
# clinic or ambulance service its health professions act for it, in a school, Kita, counselling
# centre or Träger every member doing case work. The report is read on the reporting side by those
# who may report for the organisation, and on the receiving side by the Jugendamt's members from the
# moment it arrives (before it takes part in the case: the report is how it learns of it).
MSG_REPORT_WRITE = (
    "Eine Mitteilung an das Jugendamt senden die Fachkräfte der beteiligten Einrichtung (in Praxis und "
    "Klinik die Angehörigen eines Heilberufs), solange der Fall offen ist."
)
MSG_REPORT_YOUTH_OFFICE = "Das kann nur das Jugendamt, an das die Mitteilung gerichtet ist."
MSG_REPORT_NOT_ACKNOWLEDGED = "Bitte zuerst den Eingang der Mitteilung bestätigen."
STAND_IN_ROLES = (Role.COORDINATOR, Role.ADMIN)


def is_member_of(user: User, organisation_id: int) -> bool:
    return any(m.organisation_id == organisation_id for m in active_memberships(user))


def reports_for(user: User, organisation_id: int) -> bool:
    """Whether the user acts for the organisation in its reports to the Jugendamt."""
    for membership in active_memberships(user):
        if membership.organisation_id != organisation_id:
            continue
        kind = membership.organisation.kind
        if kind in NOT_REPORTING_KINDS:
            return False
        return membership.is_medical if kind in HEALTH_CARE_KINDS else True
    return False


def can_report(user: User, access: CaseAccess) -> bool:
    """Write a report: who acts for a reporting organisation taking part with identity, case open."""
    return access.case.is_open and access.sees_identity and reports_for(user, access.organisation_id)


def require_report(user: User, access: CaseAccess) -> None:
    """Who does not see the section learns nothing (404); who sees it but may not report: 403."""
    if not can_see_reports(user, access):
        raise Http404(NOT_FOUND)
    if not can_report(user, access):
        raise PermissionDenied(MSG_REPORT_WRITE)


def report_side(user: User, report: YouthOfficeReport) -> str | None:
    """ "reporter", "youth_office" or None (the report does not exist for this user)."""
    if is_member_of(user, report.youth_office_id):
        return "youth_office"
    if reports_for(user, report.from_organisation_id):
        return "reporter"
    return None


def reads_feedback(user: User, report: YouthOfficeReport, side: str) -> bool:
    """§ 4 Abs. 4 KKG feedback is for the person who reported and whom their organisation names to
    stand in for them — its coordination — and for the Jugendamt that gave it; the other doctors of
    the reporting organisation read the report, not the answer to it."""
    if side == "youth_office" or user.pk == report.reported_by_id:
        return True
    return any(
        m.organisation_id == report.from_organisation_id and m.role in STAND_IN_ROLES
        for m in active_memberships(user)
    )


def feedback_readers(report: YouthOfficeReport) -> list[User]:
    """Who is told of the feedback: the reporting doctor while still a member of the organisation,
    and its coordination."""
    members = Membership.objects.filter(organisation_id=report.from_organisation_id, is_active=True)
    readers = members.filter(Q(user_id=report.reported_by_id) | Q(role__in=STAND_IN_ROLES))
    return [m.user for m in readers.select_related("user").order_by("pk")]


def require_read_report(user: User, report: YouthOfficeReport) -> str:
    side = report_side(user, report)
    if side is None:
        raise Http404(NOT_FOUND)
    return side


def require_youth_office(user: User, report: YouthOfficeReport, *, acknowledged: bool) -> None:
    """Acknowledge (``acknowledged=False``), involve the reporter and give feedback (``True``)."""
    if require_read_report(user, report) != "youth_office":
        raise PermissionDenied(MSG_REPORT_YOUTH_OFFICE)
    if acknowledged and not report.is_acknowledged:
        raise PermissionDenied(MSG_REPORT_NOT_ACKNOWLEDGED)


def may_acknowledge(user: User, report: YouthOfficeReport) -> bool:
    return report_side(user, report) == "youth_office" and not report.is_acknowledged


def may_answer(user: User, report: YouthOfficeReport) -> bool:
    """Involve the reporter and give the feedback: the Jugendamt, once it has confirmed receipt."""
    return report_side(user, report) == "youth_office" and report.is_acknowledged


def can_see_reports(user: User, access: CaseAccess) -> bool:
    """The case page's "Mitteilung" section: who reports for an organisation taking part with
    identity (``reports_for``), and a Jugendamt a report of the case went to."""
    if not access.sees_identity:
        return False
    if reports_for(user, access.organisation_id):
        return True
    if not any(o.pk == access.organisation_id for o in youth_offices_of(user)):
        return False
    return _fact(access, REPORT_RECEIVED)
