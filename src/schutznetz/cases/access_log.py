"""The access log for those who answer for it.

Two views on the audit trail, both read through here: the case's Zugriffsprotokoll (the lead
organisation's coordination) and the organisation's log (its data-protection officers, across all
cases). Both filter by person, organisation, action and period (the organisation's also by case),
export as CSV that a spreadsheet cannot mistake for formulas, and every look at them is itself on
record. The log names people of the network and cases by their pseudonym, never a child's identity.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.audit.models import AccessAlert, AuditAction, AuditEvent
from schutznetz.audit.services import audit_record
from schutznetz.cases.models import Case
from schutznetz.cases.policy import CaseAccess
from schutznetz.network.models import Membership, Organisation, Role

CSV_HEADER = [
    "Position",
    "Zeitpunkt",
    "Person",
    "Organisation",
    "Vorgang",
    "Objekt",
    "Objekt-ID",
    "Fall (Pseudonym)",
    "Zweck",
    "Einzelheiten",
]
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class LogFilter:
    person: int | None = None
    organisation: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None
    case: str = ""  # a child's pseudonym (the organisation's log)

    def as_details(self) -> dict[str, Any]:
        """What was asked, for the read event of the log itself."""
        asked = {
            "person": self.person,
            "organisation": self.organisation,
            "action": self.action or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "case": self.case or None,
        }
        return {key: value for key, value in asked.items() if value is not None}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(events: QuerySet[AuditEvent], f: LogFilter) -> QuerySet[AuditEvent]:
    if f.person:
        events = events.filter(actor_id=f.person)
    if f.organisation:
        events = events.filter(organisation_id=f.organisation)
    if f.action:
        events = events.filter(action=f.action)
    if f.since:
        events = events.filter(at__gte=_day_start(f.since))
    if f.until:
        events = events.filter(at__lt=_day_start(f.until + timedelta(days=1)))
    if f.case:
        events = events.filter(case_id__in=Case.objects.filter(child__pseudonym=f.case.strip()).values("pk"))
    return events.select_related("actor", "organisation").order_by("-id")


# The case's log -----------------------------------------------------------------------------------


def case_log(access: CaseAccess, f: LogFilter) -> QuerySet[AuditEvent]:
    """The case's events (the caller has checked ``policy.require_view_audit``)."""
    return _filtered(AuditEvent.objects.filter(case_id=access.case.pk), f)


def case_log_people(access: CaseAccess) -> QuerySet[User]:
    """Who appears in the case's log: the choices of its person filter."""
    actors = AuditEvent.objects.filter(case_id=access.case.pk, actor__isnull=False).values("actor_id")
    return User.objects.filter(pk__in=actors).order_by("last_name", "first_name")


def case_log_organisations(access: CaseAccess) -> QuerySet[Organisation]:
    acting = AuditEvent.objects.filter(case_id=access.case.pk, organisation__isnull=False)
    return Organisation.objects.filter(pk__in=acting.values("organisation_id")).order_by("name")


# The organisation's log (data-protection officers) ------------------------------------------------


def officer_organisations(user: User) -> list[Organisation]:
    """The organisations for which the user is data-protection officer."""
    return [
        m.organisation
        for m in Membership.objects.filter(
            user=user, role=Role.DATA_PROTECTION, is_active=True, organisation__is_active=True
        )
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def officer_organisation_get(user: User, organisation_id: int | None) -> Organisation:
    """The organisation whose log the officer asks for (their first if none is named); 404 for
    anyone who is not its data-protection officer."""
    mine = officer_organisations(user)
    for organisation in mine:
        if organisation_id in (None, organisation.pk):
            return organisation
    raise Http404


def organisation_log(organisation: Organisation, f: LogFilter) -> QuerySet[AuditEvent]:
    """What was done for the organisation, and its members' searches and lists (which name no
    organisation), across all cases."""
    members = Membership.objects.filter(organisation=organisation).values("user_id")
    events = AuditEvent.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True, actor_id__in=members)
    )
    return _filtered(events, LogFilter(f.person, None, f.action, f.since, f.until, f.case))


def organisation_people(organisation: Organisation) -> QuerySet[User]:
    """The organisation's people, former ones too: the choices of the person filter."""
    members = Membership.objects.filter(organisation=organisation).values("user_id")
    return User.objects.filter(pk__in=members).order_by("last_name", "first_name")


def organisation_alerts(organisation: Organisation) -> QuerySet[AccessAlert]:
    return AccessAlert.objects.filter(organisation=organisation).select_related("actor").order_by("-at")


def log_read_record(
    *, actor: User, organisation_id: int, purpose: str, f: LogFilter, case_id: UUID | None = None
) -> None:
    """Reading the log is itself on record: who, for which organisation, what they asked for."""
    audit_record(
        actor=actor,
        organisation=Organisation(pk=organisation_id),
        action=AuditAction.READ,
        object_type="AuditEvent",
        object_id="",
        case_id=case_id,
        purpose=purpose,
        details=f.as_details(),
    )


def case_log_read_record(*, actor: User, access: CaseAccess, purpose: str, f: LogFilter) -> None:
    log_read_record(
        actor=actor, organisation_id=access.organisation_id, purpose=purpose, f=f, case_id=access.case.pk
    )


# Rows for the page, the API and the CSV ---------------------------------------------------------


def case_pseudonyms(events: Iterable[AuditEvent]) -> dict[UUID, str]:
    """The pseudonyms of the cases the events concern, in one query."""
    ids = {e.case_id for e in events if e.case_id}
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "child__pseudonym")) if ids else {}


def formula_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_row(event: AuditEvent, pseudonyms: dict[UUID, str]) -> list[str]:
    local = timezone.localtime(event.at)
    cells: list[object] = [
        event.seq if event.seq is not None else "",
        local.strftime("%d.%m.%Y %H:%M:%S"),
        event.actor.display_name if event.actor else "System",
        event.organisation.name if event.organisation else "",
        event.get_action_display(),
        event.object_type,
        event.object_id,
        pseudonyms.get(event.case_id, "") if event.case_id else "",
        event.purpose,
        json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
    ]
    return [formula_safe(cell) for cell in cells]


class _Line:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The events as CSV for German spreadsheets (semicolons, a byte-order mark), chunk by chunk."""
    writer = csv.writer(_Line(), delimiter=";", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    last_id: int | None = None
    while True:
        chunk_query = events if last_id is None else events.filter(id__lt=last_id)
        chunk = list(chunk_query[:EXPORT_CHUNK])
        if not chunk:
            return
        pseudonyms = case_pseudonyms(chunk)
        for event in chunk:
            yield writer.writerow(_csv_row(event, pseudonyms))
        last_id = chunk[-1].pk


def csv_response(events: QuerySet[AuditEvent], filename: str) -> StreamingHttpResponse:
    """The events as a CSV download, streamed, never cached."""
    response = StreamingHttpResponse(csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
