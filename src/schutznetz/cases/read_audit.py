"""Every read of a case's content is on the audit trail, not only the reads of identity.

Each view, section and API endpoint of a case opens it through ``cases.queries.case_get_for``, which
notes the case (and the organisation the user acts for in it) on the user object of the request.
After a successful GET, ``CaseReadAuditMiddleware`` writes a read event for every case opened whose
read the view did not already record with a purpose of its own (``audit.services.audit_record``
notes those). So a new section cannot forget it: what was opened to be shown is on record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponseBase

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_record, case_reads_recorded
from schutznetz.network.models import Organisation

if TYPE_CHECKING:
    from schutznetz.accounts.models import User
    from schutznetz.cases.policy import CaseAccess

OPENED = "_schutznetz_cases_opened"
PURPOSE = "Fallinhalt angezeigt"


def note_case_opened(user: User, access: CaseAccess) -> None:
    """The case, the organisation the user acts for in it, and whether it keeps only the history (a
    Jugendamt after a move: its repeated reads raise an alert, ``audit/alerts.py``)."""
    opened: dict[str, tuple[int, bool]] | None = getattr(user, OPENED, None)
    if opened is None:
        opened = {}
        setattr(user, OPENED, opened)
    opened.setdefault(str(access.case.pk), (access.organisation_id, access.participation.read_only))


def record_unrecorded_reads(user: User, route: str) -> int:
    """A read event for each case opened in this request and not yet on record; how many."""
    opened: dict[str, tuple[int, bool]] = getattr(user, OPENED, None) or {}
    recorded = case_reads_recorded(user)
    written = 0
    for case_id, (organisation_id, history_only) in opened.items():
        if case_id in recorded:
            continue
        details: dict[str, object] = {"route": route}
        if history_only:
            details["history_only"] = True
        audit_record(
            actor=user,
            organisation=Organisation(pk=organisation_id),
            action=AuditAction.READ,
            object_type="Case",
            object_id=case_id,
            case_id=case_id,
            purpose=PURPOSE,
            details=details,
        )
        written += 1
    return written


class CaseReadAuditMiddleware:
    """After a GET answered with content (200), the reads of the cases it opened are on record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            user: Any = getattr(request, "user", None)
            if user is not None and getattr(user, OPENED, None):
                match = request.resolver_match
                record_unrecorded_reads(user, match.view_name if match else request.path)
        return response
