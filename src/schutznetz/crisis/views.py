"""The crisis protocol in the browser: raise from the case, the live board, the list of crises."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases import queries as case_queries
from schutznetz.crisis import policy, queries, services
from schutznetz.crisis.forms import CloseForm, CrisisForm, JoinCaseForm, RespondForm, UnknownCrisisForm
from schutznetz.kit.views import act, form_page, submit


@login_required
@require_GET
def section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_read_case_crises(request.user, access)
    context = {
        "case": access.case,
        "crises": queries.crises_of_case(access),
        "may_raise": policy.can_raise(request.user, access),
    }
    return render(request, "crisis/_section.html" if request.htmx else "crisis/section.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = case_queries.case_get_for(request.user, pk)
    policy.require_raise(request.user, access)
    form = CrisisForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "case": access.case, "running": queries.open_crisis_of_case(access.case)}
    if request.method != "POST":
        return render(request, "crisis/crisis_form.html", context)

    def raised(raised: services.Raised) -> str:
        if raised.joined:
            messages.warning(
                request,
                "Für diesen Fall läuft bereits eine Krise. Ihre Meldung ist ihr zugeordnet; "
                "die Meldende ist informiert.",
            )
        return reverse("crisis:board", args=[raised.crisis.pk])

    return submit(
        request,
        form,
        lambda _: services.crisis_raise(actor=request.user, access=access, data=form.crisis_input()),
        success="Die Krise ist gemeldet: alle Zuständigen sind zugleich alarmiert.",
        then=raised,
        invalid=lambda: render(request, "crisis/crisis_form.html", context, status=400),
    )


@login_required
@require_GET
def crisis_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"crises": queries.crisis_list_for(request.user)}
    return render(request, "crisis/_list.html" if request.htmx else "crisis/list.html", context)


def _board_page(
    request: AuthenticatedHttpRequest,
    pk: UUID,
    respond: RespondForm | None = None,
    close: CloseForm | None = None,
    join: JoinCaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    crisis = queries.crisis_get_for(request.user, pk)
    services.crisis_record_read(actor=request.user, crisis=crisis)
    board = queries.board(request.user, crisis)
    may_manage = policy.can_manage(request.user, crisis)
    sees_case = queries.sees_case(request.user, crisis)
    contacts = queries.guardian_contacts(request.user, crisis, board=board, sees_case=sees_case)
    services.crisis_record_guardian_read(actor=request.user, crisis=crisis, contacts=contacts)
    context = {
        "contacts": contacts,
        "crisis": crisis,
        "board": board,
        "sees_case": sees_case,
        "may_manage": may_manage,
        "respond_form": respond or (RespondForm() if board.mine and crisis.status == "open" else None),
        "close_form": close or (CloseForm(clinics=queries.clinics()) if may_manage else None),
        "join_form": join or (JoinCaseForm() if may_manage and crisis.case_id is None else None),
    }
    return render(request, "crisis/board.html", context, status=status)


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    return _board_page(request, pk)


@login_required
@require_GET
def board_state(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """The board's live part, polled by the page (htmx) so that answers appear without reload."""
    crisis = queries.crisis_get_for(request.user, pk)
    context = {"crisis": crisis, "board": queries.board(request.user, crisis), "oob": True}
    services.crisis_record_watch(actor=request.user, crisis=crisis)
    return render(request, "crisis/_board.html", context)


@login_required
@require_POST
def respond(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    crisis = queries.crisis_get_for(request.user, pk)
    form = RespondForm(request.POST)
    return submit(
        request,
        form,
        lambda d: services.crisis_respond(
            actor=request.user, crisis=crisis, response=d["response"], reason=d["reason"]
        ),
        success="Ihre Rückmeldung ist festgehalten; alle Beteiligten sehen sie im Krisenboard.",
        then=lambda _: reverse("crisis:board", args=[pk]),
        invalid=lambda: _board_page(request, pk, respond=form, status=400),
    )


@login_required
@require_POST
def guardians_informed(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    crisis = queries.crisis_get_for(request.user, pk)
    return act(
        request,
        lambda: services.crisis_guardians_informed(actor=request.user, crisis=crisis),
        success="Festgehalten: die Sorgeberechtigten sind informiert.",
        then=reverse("crisis:board", args=[pk]),
    )


@login_required
@require_POST
def emergency_call(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    crisis = queries.crisis_get_for(request.user, pk)
    return act(
        request,
        lambda: services.crisis_emergency_call(actor=request.user, crisis=crisis),
        success="Der Zeitpunkt des Notrufs ist festgehalten.",
        then=reverse("crisis:board", args=[pk]),
    )


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    crisis = queries.crisis_get_for(request.user, pk)
    form = CloseForm(request.POST, clinics=queries.clinics())
    if crisis.status != "open":
        messages.error(request, services.MSG_CLOSED)
        return redirect("crisis:board", pk=pk)
    return submit(
        request,
        form,
        lambda d: services.crisis_close(
            actor=request.user, crisis=crisis, debrief=d["debrief"], admission=form.admission()
        ),
        success="Die Krise ist abgeschlossen.",
        then=lambda _: reverse("crisis:board", args=[pk]),
        invalid=lambda: _board_page(request, pk, close=form, status=400),
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_unknown(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Raise a crisis for a young person not yet known to the system."""
    organisations = queries.raising_organisations(request.user)
    form = UnknownCrisisForm(request.POST if request.method == "POST" else None, organisations=organisations)
    return form_page(
        request,
        form,
        "crisis/unknown_form.html",
        lambda d: services.crisis_raise_unknown(
            actor=request.user,
            organisation_id=int(d["organisation"]),
            data=form.crisis_input(),
            subject=d["subject"],
            age=d["age"],
        ),
        success="Die Krise ist gemeldet: alle Zuständigen sind zugleich alarmiert.",
        then=lambda crisis: reverse("crisis:board", args=[crisis.pk]),
    )


@login_required
@require_POST
def join_case(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    crisis = queries.crisis_get_for(request.user, pk)
    form = JoinCaseForm(request.POST)

    def join(d: dict[str, str]) -> object:
        access = queries.case_by_pseudonym(request.user, d["pseudonym"])
        if access is None:
            raise ValidationError({"pseudonym": [MSG_NO_CASE]})
        return services.crisis_join_case(actor=request.user, crisis=crisis, access=access)

    return submit(
        request,
        form,
        join,
        success="Die Krise ist dem Fall zugeordnet.",
        then=lambda _: reverse("crisis:board", args=[pk]),
        invalid=lambda: _board_page(request, pk, join=form, status=400),
    )


MSG_NO_CASE = "Keinen Fall mit diesem Pseudonym gefunden, den Sie mit Personenbezug bearbeiten."
