from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases import queries as case_queries
from schutznetz.cases import services as case_services
from schutznetz.cases.access_log import officer_organisations
from schutznetz.crisis import queries as crisis_queries
from schutznetz.meetings import queries as meeting_queries
from schutznetz.network import queries
from schutznetz.network.forms import JurisdictionLookupForm
from schutznetz.notify import queries as notify_queries
from schutznetz.outreach import queries as outreach_queries
from schutznetz.welfare import queries as welfare_queries


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What waits for me (tasks, messages, invitations and hand-overs to my organisations, my next
    meetings and consultations), then who is competent and who is on call."""
    now = timezone.now()
    today = timezone.localdate(now)
    memberships, organisations = queries.own_organisations_on_call(request.user, at=now)
    waiting = case_queries.waiting_for(request.user, today)
    # Task titles are free text and may name the child: the tasks shown are on record.
    case_services.task_list_record_read(actor=request.user, tasks=waiting.next_tasks, purpose="Startseite")
    return render(
        request,
        "dashboard/home.html",
        {
            "today": today,
            "waiting": waiting,
            "unread": notify_queries.unread_count(request.user.pk),
            "pending_moves": welfare_queries.pending_moves_count(request.user),
            "crises": crisis_queries.open_crises_alerted(request.user),
            "meetings": meeting_queries.upcoming_for(request.user, now),
            "bookings": outreach_queries.upcoming_bookings_for(request.user, today),
            "memberships": memberships,
            "own_organisations": organisations,
            "jurisdiction_form": JurisdictionLookupForm(),
            # Data-protection officers: a way to the access log of each of their organisations.
            "officer_of": officer_organisations(request.user),
        },
    )
