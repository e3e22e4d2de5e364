"""Refused free text stays on record: who tried to save what kind of text where (never the text)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_record
from schutznetz.people.screening import CODE, is_refusal


def audit_refusal(sender: object, *, request: Any, error: ValidationError, **kwargs: object) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_refusal(error):
        return
    groups = error.error_dict if hasattr(error, "error_dict") else {"": error.error_list}
    fields = sorted(name for name, errors in groups.items() if any(e.code == CODE for e in errors))
    audit_record(
        actor=user,
        organisation=None,
        action=AuditAction.REFUSE,
        object_type="FreeText",
        object_id="",
        purpose="Freitext wegen möglicher personenbezogener Angaben abgelehnt",
        details={"path": request.path, "fields": fields},
    )
