"""Reminders of the youth-welfare pathway (run by ``schutznetz worker`` each round): a help plan's
review (§ 36 Abs. 2 SGB VIII) is announced ahead of its date to whoever drew the plan up and to the
case's lead person in the Jugendamt.

Each plan is claimed with a conditional ``UPDATE`` on the review date it is reminded of, so several
workers never send the same reminder twice, and a carried-forward plan is reminded again of its next
review. Messages name the case by pseudonym only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from schutznetz.cases.services import timeline_add
from schutznetz.notify.services import notify
from schutznetz.welfare.models import HelpPlan


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
