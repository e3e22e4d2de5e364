"""Unusual access, told to the data-protection officers who answer for it.

Checked when events are sealed (``audit.services``), inside the sealing transaction, so each event
is looked at once and the request that wrote it pays nothing: one person reading more cases within
an hour than ``SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR`` raises an alert for the organisation the reads
were made for, at most one per person and organisation an hour. The alert goes to the inbox (and
mail) of that organisation's data-protection officers, and stands on their access-log page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol
from uuid import UUID

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AccessAlert, AlertKind, AuditAction, AuditEvent
from schutznetz.network.models import Membership, Role
from schutznetz.notify.services import notify

WINDOW = timedelta(hours=1)


class SealedEvent(Protocol):
    """What the checks look at of a newly sealed event."""

    actor_id: int | None
    organisation_id: int | None
    action: str
    case_id: UUID | None


def read_limit() -> int:
    return int(settings.SCHUTZNETZ_AUDIT_READ_LIMIT_PER_HOUR)


def check_sealed(events: Sequence[SealedEvent]) -> list[AccessAlert]:
    """The alerts that the newly sealed ``events`` give rise to (created and sent)."""
    readers = {(e.actor_id, e.organisation_id) for e in events if _case_read(e)}
    raised = []
    for actor_id, organisation_id in readers:
        if actor_id is None or organisation_id is None:
            continue
        alert = _check_read_rate(actor_id, organisation_id)
        if alert is not None:
            raised.append(alert)
    return raised


def _case_read(event: SealedEvent) -> bool:
    return event.action == AuditAction.READ and event.case_id is not None


def _check_read_rate(actor_id: int, organisation_id: int) -> AccessAlert | None:
    now = timezone.now()
    since = now - WINDOW
    limit = read_limit()
    cases = (
        AuditEvent.objects.filter(
            actor_id=actor_id, organisation_id=organisation_id, action=AuditAction.READ, at__gte=since
        )
        .exclude(case_id=None)
        .values("case_id")
        .distinct()
        .count()
    )
    if cases <= limit:
        return None
    already = AccessAlert.objects.filter(
        actor_id=actor_id, organisation_id=organisation_id, kind=AlertKind.READ_RATE, at__gte=since
    ).exists()
    if already:
        return None
    alert = AccessAlert.objects.create(
        organisation_id=organisation_id,
        actor_id=actor_id,
        kind=AlertKind.READ_RATE,
        at=now,
        window_start=since,
        count=cases,
        limit=limit,
    )
    officers = [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role=Role.DATA_PROTECTION, is_active=True, user__is_active=True
        ).select_related("user")
    ]
    name = alert.actor.display_name
    notify(
        recipients=officers,
        kind="access_alert",
        title=f"Auffälliger Zugriff: {name} hat in einer Stunde {cases} Fälle geöffnet (Grenze {limit})",
        body="Bitte prüfen Sie im Zugriffsprotokoll, ob die Zugriffe dienstlich geboten waren.",
        url=reverse("cases:access_log")
        + f"?organisation={organisation_id}&person={actor_id}&since={timezone.localdate(since).isoformat()}",
    )
    return alert
