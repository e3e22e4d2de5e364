"""The crisis protocol's work in the background (run by ``schutznetz worker``): escalation when an
organisation has not answered a crisis alert in time."""

from __future__ import annotations

from django.utils import timezone

from schutznetz.crisis import queries, services


def escalate_crises() -> int:
    """Take the next step for every organisation whose alert went unanswered past its time; the
    number of steps taken."""
    now = timezone.now()
    due = queries.due_escalations(now)
    for crisis_id, organisation_id in due:
        services.crisis_escalate(crisis_id=crisis_id, organisation_id=organisation_id, now=now)
    return len(due)
