"""Reminders of the youth-welfare pathway (run by ``schutznetz worker`` each round): a help plan's
review (§ 36 Abs. 2 SGB VIII) is announced ahead of its date to whoever drew the plan up and to the
case's lead person in the Jugendamt; a case offered on a family's move (§ 8a Abs. 6 SGB VIII) and
not answered is reminded to the receiving Jugendamt's coordination when half its time is gone, and
escalated when it is over — to that coordination, whoever is on call there now, and the person who
offered it.

Each plan is claimed with a conditional ``UPDATE`` on the review date it is reminded of, so several
workers never send the same reminder twice, and a carried-forward plan is reminded again of its next
review. Messages name the case by pseudonym only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from schutznetz.cases.services import timeline_add
from schutznetz.network.queries import coordinators_of, on_call_at
from schutznetz.notify.services import notify
from schutznetz.welfare.models import HelpPlan, MoveHandover, MoveStatus


def remind_help_plan_reviews(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    horizon = timezone.localdate(now) + timedelta(days=settings.HELP_PLAN_REVIEW_NOTICE_DAYS)
    due = (
        HelpPlan.objects.filter(review_on__lte=horizon, case__closed_at__isnull=True)
        .filter(Q(review_reminded_on__isnull=True) | ~Q(review_reminded_on=F("review_on")))
        .select_related("case__child", "case__lead_user", "created_by")
    )
    count = 0
    for plan in due:
        with transaction.atomic():
            claimed = (
                HelpPlan.objects.filter(pk=plan.pk, review_on=plan.review_on)
                .filter(Q(review_reminded_on__isnull=True) | ~Q(review_reminded_on=F("review_on")))
                .update(review_reminded_on=plan.review_on)
            )
            if not claimed:
                continue
            recipients = [plan.created_by]
            if plan.case.lead_organisation_id == plan.youth_office_id and plan.case.lead_user_id:
                recipients.append(plan.case.lead_user)
            notify(
                recipients=list({u.pk: u for u in recipients if u.is_active}.values()),
                kind="help_plan_review",
                subject_id=plan.case_id,
                title=f"Hilfeplan überprüfen am {plan.review_on:%d.%m.%Y} (Fall {plan.case.child.pseudonym})",
                body="Die Überprüfung des Hilfeplans (§ 36 Abs. 2 SGB VIII) steht an; bitte das "
                "Hilfeplangespräch mit den Beteiligten vorbereiten.",
                url=reverse("cases:detail", args=[plan.case_id]) + "#hilfeplan",
            )
            timeline_add(
                plan.case,
                None,
                plan.youth_office_id,
                "help_plan",
                f"Erinnerung: Überprüfung des Hilfeplans am {plan.review_on:%d.%m.%Y}.",
            )
            count += 1
    return count


def _claimed(move: MoveHandover, field: str, now: datetime) -> bool:
    """Take the offer for this worker: False if another one already sent it, or it was answered."""
    pending = MoveHandover.objects.filter(pk=move.pk, status=MoveStatus.PENDING, **{field: None})
    return bool(pending.update(**{field: now}))


def _pending_moves() -> QuerySet[MoveHandover]:
    return MoveHandover.objects.filter(
        status=MoveStatus.PENDING, case__closed_at__isnull=True
    ).select_related("case__child", "from_office", "to_office", "requested_by")


def remind_move_offers(*, now: datetime | None = None) -> int:
    """Half the answer time of a move offer gone: the receiving coordination is reminded, once."""
    now = now or timezone.now()
    count = 0
    for move in _pending_moves().filter(reminded_at=None, due_at__gt=now):
        if now < move.requested_at + (move.due_at - move.requested_at) / 2:
            continue
        with transaction.atomic():
            if not _claimed(move, "reminded_at", now):
                continue
            notify(
                recipients=coordinators_of(move.to_office_id),
                kind="move_reminder",
                subject_id=move.case_id,
                title="Erinnerung: Übergabe bei Wegzug wartet auf Antwort "
                f"(Fall {move.case.child.pseudonym})",
                body=f"{move.from_office.name} bietet Ihrem Jugendamt den Fall an (§ 8a Abs. 6 SGB VIII). "
                f"Antwort erbeten bis {timezone.localtime(move.due_at):%d.%m.%Y %H:%M} Uhr.",
                url=reverse("welfare:move", args=[move.pk]),
            )
            count += 1
    return count


def escalate_move_offers(*, now: datetime | None = None) -> int:
    """A move offer unanswered past its time: the receiving coordination and whoever is on call there
    now, and the person who offered it (to follow up by phone); on the case's timeline, once."""
    now = now or timezone.now()
    count = 0
    for move in _pending_moves().filter(escalated_at=None, due_at__lte=now):
        with transaction.atomic():
            if not _claimed(move, "escalated_at", now):
                continue
            on_call = [s.membership.user for s in on_call_at(organisation_ids=[move.to_office_id], at=now)]
            pseudonym = move.case.child.pseudonym
            due = f"{timezone.localtime(move.due_at):%d.%m.%Y %H:%M}"
            notify(
                recipients=[*coordinators_of(move.to_office_id), *on_call],
                kind="move_overdue",
                subject_id=move.case_id,
                title=f"Überfällig: Übergabe bei Wegzug unbeantwortet (Fall {pseudonym})",
                body=f"Die Antwort an {move.from_office.name} war bis {due} Uhr erbeten. "
                "Bitte übernehmen oder mit Begründung ablehnen.",
                url=reverse("welfare:move", args=[move.pk]),
            )
            notify(
                recipients=[move.requested_by],
                kind="move_overdue",
                subject_id=move.case_id,
                title=f"{move.to_office.name} hat die Übergabe (Fall {pseudonym}) nicht beantwortet",
                body=f"Die Antwort war bis {due} Uhr erbeten; die Koordination dort ist erinnert. "
                "Bitte gegebenenfalls telefonisch nachfassen"
                + (f" ({move.to_office.phone})." if move.to_office.phone else "."),
                url=reverse("cases:detail", args=[move.case_id]),
            )
            timeline_add(
                move.case,
                None,
                move.from_office_id,
                "move",
                f"Übergabe an {move.to_office.name} bis {due} Uhr unbeantwortet: Koordination erinnert"
                + (", Rufbereitschaft informiert." if on_call else "."),
            )
            count += 1
    return count
