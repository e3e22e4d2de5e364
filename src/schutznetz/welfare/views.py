"""The Jugendamt's intake (Meldungseingang): the list with deadlines, recording a report, the report."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases import inbox
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.views import submit
from schutznetz.network import queries as network_queries
from schutznetz.welfare import policy, queries, services
from schutznetz.welfare.forms import FirstContactForm, IntakeForm


@login_required
@require_GET
def intake_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "rows": inbox.incoming_for(request.user),
        "works_intake": bool(policy.youth_offices_of(request.user)),
        "now": timezone.now(),
    }
    return render(request, "welfare/intake_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def intake_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = policy.youth_offices_of(request.user)
    organisations = list(network_queries.organisation_rows(network_queries.active_organisations()))
    form = IntakeForm(
        request.POST if request.method == "POST" else None, offices=offices, organisations=organisations
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            data = services.IntakeInput(
                youth_office_id=d["youth_office"],
                source=d["source"],
                urgency=d["urgency"],
                account=d["account"],
                received_at=d["received_at"],
                reporter_anonymous=d["reporter_anonymous"],
                reporter_name=d["reporter_name"],
                reporter_contact=d["reporter_contact"],
                reporter_organisation_id=d["reporter_organisation"],
                child=form.child(),
                join_case=d["join_case"],
                confirm_new=d["confirm_new"],
            )
            try:
                intake = services.intake_record(actor=request.user, data=data)
            except ValidationError as error:
                if data.child is not None and "confirm_new" in getattr(error, "error_dict", {}):
                    # Offer the matching cases to join the report to.
                    form = IntakeForm(
                        request.POST,
                        offices=offices,
                        organisations=organisations,
                        matches=queries.possible_duplicates(request.user, data.child),
                    )
                    form.is_valid()
                add_service_errors(form, error)
            else:
                messages.success(request, "Die Meldung ist aufgenommen.")
                return redirect(reverse("welfare:intake", args=[intake.pk]))
    context = {"form": form, "works_intake": bool(offices)}
    return render(request, "welfare/intake_form.html", context, status=status)


def _intake_page(
    request: AuthenticatedHttpRequest, pk: UUID, form: FirstContactForm | None = None, status: int = 200
) -> HttpResponse:
    detail = queries.intake_detail(queries.intake_get_for(request.user, pk))
    services.intake_record_read(actor=request.user, detail=detail, purpose="Meldung lesen")
    context = {
        "detail": detail,
        "intake": detail.intake,
        "form": form or (None if detail.intake.is_contacted else FirstContactForm()),
        "now": timezone.now(),
    }
    return render(request, "welfare/intake.html", context, status=status)


@login_required
@require_GET
def intake(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    return _intake_page(request, pk)


@login_required
@require_POST
def intake_first_contact(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    found = queries.intake_get_for(request.user, pk)
    form = FirstContactForm(request.POST)
    return submit(
        request,
        form,
        lambda d: services.intake_first_contact(actor=request.user, intake=found, note=d["note"]),
        success="Der Erstkontakt ist vermerkt.",
        then=lambda _: reverse("welfare:intake", args=[pk]),
        invalid=lambda: _intake_page(request, pk, form=form, status=400),
    )
