from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases.access_log import officer_organisations
from schutznetz.network import queries
from schutznetz.network.forms import JurisdictionLookupForm


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships, organisations = queries.own_organisations_on_call(request.user, at=timezone.now())
    return render(
        request,
        "dashboard/home.html",
        {
            "memberships": memberships,
            "own_organisations": organisations,
            "jurisdiction_form": JurisdictionLookupForm(),
            # Data-protection officers: a way to the access log of each of their organisations.
            "officer_of": officer_organisations(request.user),
        },
    )
