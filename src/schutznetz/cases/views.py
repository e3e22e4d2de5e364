from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.cases import access_log, inbox, policy, queries, sections, services
from schutznetz.cases.advice import policy as advice_policy
from schutznetz.cases.advice import queries as advice_queries
from schutznetz.cases.advice import services as advice_services
from schutznetz.cases.forms import (
    AccessLogFilterForm,
    AdviceForm,
    CaseCreateForm,
    ChildSearchForm,
    CloseForm,
    GuardianForm,
    HandoverForm,
    InviteForm,
    TaskCompleteForm,
    TaskForm,
    TaskReassignForm,
)
from schutznetz.kit.pagination import page_of, page_read_ahead
from schutznetz.kit.views import act, submit
from schutznetz.people.identity import GuardianIdentity

MSG_CHECK_INPUT = "Bitte die Angaben prüfen."


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases I lead or hold an open task in; with ``?alle=1`` every case of my organisations."""
    user = request.user
    everything = request.GET.get("alle") == "1"
    keys = queries.case_list_keys(user, only_mine=not everything)
    page = page_read_ahead(request, lambda n: list(keys[:n]))
    rows = queries.case_rows(user, list(page.object_list))
    purpose = "Meine Fälle (alle meiner Organisation)" if everything else "Meine Fälle"
    services.case_list_record_read(actor=user, rows=rows, purpose=purpose)
    return render(request, "cases/case_list.html", {"page": page, "rows": rows, "everything": everything})


@login_required
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_read_ahead(request, lambda n: list(queries.task_list_for(request.user)[:n]))
    tasks = [(task, queries.task_label(task)) for task in page.object_list]
    services.task_list_record_read(actor=request.user, tasks=[t for t, _ in tasks], purpose="Meine Aufgaben")
    context = {"page": page, "tasks": tasks, "today": timezone.localdate()}
    return render(request, "cases/task_list.html", context)


@login_required
def child_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search a child in the user's cases; if not found, open a new case (warned about look-alikes)."""
    search = ChildSearchForm(request.GET if "family_name" in request.GET else None)
    matches = None
    if search.is_bound and search.is_valid():
        matches = queries.child_search_for(request.user, **search.cleaned_data)
        services.child_search_record(
            actor=request.user,
            purpose="Kind suchen",
            shown=[m.child.pseudonym for m in matches],
            **search.cleaned_data,
        )
    create = CaseCreateForm(initial=search.cleaned_data if matches is not None else None, user=request.user)
    status = 400 if search.is_bound and not search.is_valid() else 200
    context = {"search": search, "matches": matches, "create": create}
    return render(request, "cases/child_search.html", context, status=status)


@login_required
@require_POST
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CaseCreateForm(request.POST, user=request.user)
    return submit(
        request,
        form,
        lambda d: services.case_create(
            actor=request.user,
            organisation=d["organisation"],
            title=d["title"],
            identity=form.identity(),
            first_task=services.FirstTask(
                d["task_title"], d["task_due"], completes_on=d["task_completes_on"]
            ),
        ),
        success="Der Fall wurde angelegt.",
        then=lambda case: reverse("cases:detail", args=[case.pk]),
        invalid=lambda: render(
            request,
            "cases/child_search.html",
            {"search": ChildSearchForm(), "matches": form.matches, "create": form},
            status=400,
        ),
    )


def _case_page(
    request: AuthenticatedHttpRequest,
    access: policy.CaseAccess,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
    purpose: str = "Fallakte nach Eingabe erneut angezeigt",
) -> HttpResponse:
    """The case page (or, for htmx, its task list), with what was entered; every rendering of it is a
    read of the case on the audit trail, error re-renders included."""
    detail = queries.case_detail(access)
    persons = detail.persons_shown
    services.case_record_read(actor=request.user, access=access, purpose=purpose, persons=persons)
    may = policy.case_permissions(request.user, access, detail.pending_handover)
    case = access.case
    forms = forms or {}
    context = {
        "detail": detail,
        "access": access,
        "case": case,
        "can_edit": may.edit,
        "can_lead": may.lead,
        "can_view_audit": may.view_audit,
        "can_answer_handover": may.answer_handover,
        # The forms with long choice lists come on demand (``_form_on_demand``), except when shown again
        # with an error.
        "task_form": forms.get("task"),
        "invite_form": forms.get("invite"),
        "guardian_form": forms.get("guardian") or (GuardianForm(prefix="guardian") if may.edit else None),
        "handover_form": forms.get("handover"),
        "close_form": forms.get("close") or (CloseForm(prefix="close") if may.lead else None),
        # One completion form per open task, with ids of its own so that each label names its field.
        "task_rows": [
            (task, TaskCompleteForm(prefix="done", auto_id=f"id_task{task.pk}_%s") if may.edit else None)
            for task in detail.tasks
        ],
        "errors": forms.get("errors"),
        "sections": sections.visible_sections(request.user, access),
    }
    fragment = request.htmx and forms.get("fragment")
    if not fragment:
        context.update(_joins_context(request, access, detail.identity is not None))
    return render(
        request, "cases/_tasks.html" if fragment else "cases/case_detail.html", context, status=status
    )


def _joins_context(
    request: AuthenticatedHttpRequest, access: policy.CaseAccess, identity: bool
) -> dict[str, Any]:
    """Likely duplicates among the organisation's cases, and its joins around this case (each case
    shown from another is a read of that case)."""
    if not identity:
        return {}
    user = request.user
    joins = queries.joins_for(user, access)
    duplicates = [] if joins.into else queries.duplicates_for(access)
    if duplicates:
        services.record_read(
            actor=user,
            object_type="Case",
            purpose=f"Hinweis auf möglichen Doppelfall zu Fall {access.case.child.pseudonym}",
            shown=[str(case.pk) for case in duplicates],
        )
    for joined in joins.joined:
        services.case_record_read(
            actor=user,
            access=joined.access,
            purpose=f"Zusammengeführter Fall, gezeigt in Fall {access.case.child.pseudonym}",
            what="joined",
        )
    return {
        "duplicates": duplicates,
        "joined_into": joins.into,
        "joined_cases": joins.joined,
        "can_decide_duplicates": policy.can_decide_duplicates(user, access.organisation_id),
    }


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk, with_facts=True)
    return _case_page(request, access, purpose="Fallakte einsehen")


def _case_form(
    request: AuthenticatedHttpRequest,
    access: policy.CaseAccess,
    form_key: str,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A form of the case page: on an error the case page is shown again with this form."""
    return submit(
        request,
        form,
        call,
        success=success,
        then=lambda _: reverse("cases:detail", args=[access.case.pk]),
        invalid=lambda: _case_page(request, access, forms={form_key: form}, status=400),
    )


def _form_on_demand(
    request: AuthenticatedHttpRequest,
    access: policy.CaseAccess,
    form: forms.BaseForm,
    template: str,
    title: str,
) -> HttpResponse:
    """GET of a form of the case page: htmx loads it into the page; without script it is a page of its
    own. The case page shows a link instead, so that it does not query every form's choices (the staff
    of a big youth office, all organisations of the network) on each view."""
    context = {"case": access.case, "form": form, "form_template": template, "title": title}
    return render(request, template if request.htmx else "cases/form_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    if request.method == "GET":
        policy.require_edit_case(request.user, access)
        form = TaskForm(case_id=access.case.pk, prefix="task")
        return _form_on_demand(request, access, form, "cases/_task_create.html", "Aufgabe anlegen")
    form = TaskForm(request.POST, case_id=access.case.pk, prefix="task")
    return _case_form(
        request,
        access,
        "task",
        form,
        lambda d: services.task_create(actor=request.user, access=access, **d),
        "Die Aufgabe wurde angelegt.",
    )


def _task_action(
    request: AuthenticatedHttpRequest,
    access: policy.CaseAccess,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A task button (htmx or plain POST): run the service; htmx gets the task list back."""
    error_text = None
    if not form.is_valid():
        error_text = MSG_CHECK_INPUT
    else:
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            if not request.htmx:
                messages.success(request, success)
                return redirect("cases:detail", pk=access.case.pk)
    forms = {"fragment": True, "errors": error_text}
    return _case_page(request, access, forms=forms, status=400 if error_text else 200)


@login_required
@require_POST
def task_complete(request: AuthenticatedHttpRequest, pk: UUID, task_pk: int) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    task = queries.task_get_for(access, task_pk)
    return _task_action(
        request,
        access,
        TaskCompleteForm(request.POST, prefix="done"),
        lambda d: services.task_complete(
            actor=request.user,
            access=access,
            task=task,
            note=d["note"],
            next_task=services.FirstTask(d["next_title"], d["next_due"]),
        ),
        "Die Aufgabe ist erledigt.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_reassign(request: AuthenticatedHttpRequest, pk: UUID, task_pk: int) -> HttpResponse:
    """GET: the form (htmx loads it into the task card; without script it is a page of its own).

    The case page does not render one owner list per open task: a big youth office has hundreds of
    staff, and the lists made the page grow with the organisation's size.
    """
    access = queries.case_get_for(request.user, pk)
    task = queries.task_get_for(access, task_pk)
    if request.method == "GET":
        policy.require_change_task(request.user, access, task)
        form = TaskReassignForm(
            case_id=access.case.pk,
            prefix="move",
            auto_id=f"id_task{task.pk}_%s",
            initial={"due_date": task.due_date},
        )
        template = "cases/_task_reassign.html" if request.htmx else "cases/task_reassign.html"
        return render(request, template, {"case": access.case, "task": task, "form": form})
    return _task_action(
        request,
        access,
        TaskReassignForm(request.POST, case_id=access.case.pk, prefix="move"),
        lambda d: services.task_reassign(actor=request.user, access=access, task=task, **d),
        "Die Aufgabe wurde übertragen.",
    )


@login_required
@require_POST
def guardian_add(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)

    def call(d: dict[str, Any]) -> object:
        identity = GuardianIdentity(**{k: v for k, v in d.items() if k != "relation"})
        return services.guardian_add(
            actor=request.user, access=access, relation=d["relation"], identity=identity
        )

    form = GuardianForm(request.POST, prefix="guardian")
    return _case_form(request, access, "guardian", form, call, "Die Person wurde erfasst.")


@login_required
@require_http_methods(["GET", "POST"])
def participation_invite(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    if request.method == "GET":
        policy.require_edit_case(request.user, access)
        form = InviteForm(prefix="invite", inviter_kind=access.participation.organisation.kind)
        return _form_on_demand(request, access, form, "cases/_invite_form.html", "Organisation beteiligen")
    return _case_form(
        request,
        access,
        "invite",
        InviteForm(request.POST, prefix="invite", inviter_kind=access.participation.organisation.kind),
        lambda d: services.participation_invite(actor=request.user, access=access, **d),
        "Die Einladung wurde verschickt.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_request(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    policy.require_manage_lead(request.user, access)
    case = access.case
    if request.method == "GET":
        form = HandoverForm(case_id=case.pk, exclude=case.lead_organisation_id, prefix="handover")
        return _form_on_demand(request, access, form, "cases/_handover_form.html", "Fallführung übergeben")
    form = HandoverForm(request.POST, case_id=case.pk, exclude=case.lead_organisation_id, prefix="handover")
    return _case_form(
        request,
        access,
        "handover",
        form,
        lambda d: services.lead_handover_request(actor=request.user, access=access, **d),
        "Die Übergabe wurde angefragt.",
    )


@login_required
@require_POST
def handover_respond(request: AuthenticatedHttpRequest, pk: UUID, handover_pk: int) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    handover = queries.handover_get_for(request.user, handover_pk, case=access.case)
    accept = request.POST.get("answer") == "accept"
    return act(
        request,
        lambda: services.lead_handover_respond(actor=request.user, handover=handover, accept=accept),
        success="Sie haben die Fallführung übernommen." if accept else "Die Übernahme wurde abgelehnt.",
        then=reverse("cases:detail", args=[access.case.pk]),
    )


@login_required
@require_POST
def case_close(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    return _case_form(
        request,
        access,
        "close",
        CloseForm(request.POST, prefix="close"),
        lambda d: services.case_close(actor=request.user, access=access, **d),
        "Der Fall wurde abgeschlossen.",
    )


def _case_log(
    request: AuthenticatedHttpRequest, pk: UUID, purpose: str, *, export: bool = False
) -> tuple[Any, AccessLogFilterForm, Any]:
    """The case's filtered log for its lead coordination; the look at it is on record."""
    access = queries.case_get_for(request.user, pk)
    policy.require_view_audit(request.user, access)
    form = AccessLogFilterForm(
        request.GET or None,
        people=access_log.case_log_people(access),
        organisations=access_log.case_log_organisations(access),
    )
    f = form.log_filter()
    if not (export and form.errors):  # a refused export shows nothing
        access_log.case_log_read_record(actor=request.user, access=access, purpose=purpose, f=f)
    return access, form, access_log.case_log(access, f)


@login_required
def case_audit(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    access, form, events = _case_log(request, pk, "Zugriffsprotokoll des Falls einsehen")
    page = page_of(request, events, 50)
    context = {
        "access": access,
        "case": access.case,
        "page": page,
        "rows": [(event, None) for event in page.object_list],
        "form": form,
        "query": request.GET.urlencode(),
    }
    return render(request, "cases/case_audit.html", context, status=400 if form.errors else 200)


@login_required
def case_audit_export(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponseBase:
    access, form, events = _case_log(
        request, pk, "Zugriffsprotokoll des Falls exportieren (CSV)", export=True
    )
    if form.errors:
        return redirect(reverse("cases:audit", args=[pk]) + "?" + request.GET.urlencode())
    return access_log.csv_response(events, f"zugriffsprotokoll-{access.case.child.pseudonym}.csv")


def _organisation_log(
    request: AuthenticatedHttpRequest, purpose: str, *, export: bool = False
) -> tuple[Any, AccessLogFilterForm, Any]:
    """The officer's organisation's filtered log (404 for anyone who is not its officer); the look
    at it is on record."""
    try:
        asked = int(request.GET.get("organisation", "")) if request.GET.get("organisation") else None
    except ValueError:
        asked = -1  # no organisation of theirs: 404
    organisation = access_log.officer_organisation_get(request.user, asked)
    data = request.GET.copy()
    data.pop("organisation", None)
    form = AccessLogFilterForm(
        data or None, people=access_log.organisation_people(organisation), by_case=True
    )
    f = form.log_filter()
    if not (export and form.errors):  # a refused export shows nothing
        access_log.log_read_record(actor=request.user, organisation_id=organisation.pk, purpose=purpose, f=f)
    return organisation, form, access_log.organisation_log(organisation, f)


@login_required
def access_log_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation's access log across all cases, for its data-protection officers."""
    organisation, form, events = _organisation_log(
        request, "Zugriffsprotokoll der Organisation einsehen (Datenschutz)"
    )
    page = page_of(request, events, 50)
    pseudonyms = access_log.case_pseudonyms(page.object_list)
    context = {
        "organisation": organisation,
        "organisations": access_log.officer_organisations(request.user),
        "form": form,
        "page": page,
        "rows": [(event, pseudonyms.get(event.case_id)) for event in page.object_list],
        "alerts": access_log.organisation_alerts(organisation)[:20],
        "query": request.GET.urlencode(),
    }
    return render(request, "cases/access_log.html", context, status=400 if form.errors else 200)


@login_required
def access_log_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    organisation, form, events = _organisation_log(
        request, "Zugriffsprotokoll der Organisation exportieren (CSV, Datenschutz)", export=True
    )
    if form.errors:
        return redirect(reverse("cases:access_log") + "?" + request.GET.urlencode())
    stamp = timezone.localdate().isoformat()
    return access_log.csv_response(events, f"zugriffsprotokoll-{organisation.pk}-{stamp}.csv")


# The intake's provider of offers on a move (registered by the youth-welfare pathway).
MOVE_OFFERS = "welfare_moves"


@login_required
def invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = list(queries.invitations_for(request.user))
    answerable = {p.pk for p in items if policy.can_respond_for(request.user, p.organisation_id)}
    handovers = list(queries.handovers_for(request.user))
    context = {
        "items": items,
        "answerable": answerable,
        "handovers": handovers,
        # Accepting a hand-over is for the receiving organisation's coordination, as an invitation.
        "handovers_answerable": policy.answerable_handovers(request.user, handovers),
        # Offers to the user's Jugendamt on a family's move (§ 8a Abs. 6 SGB VIII), answered on their page.
        "move_offers": inbox.waiting_from(request.user, MOVE_OFFERS, limit=50),
        "now": timezone.now(),
    }
    return render(request, "cases/invitations.html", context)


@login_required
@require_POST
def invitation_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participation = queries.invitation_get_for(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.participation_respond(actor=request.user, participation=participation, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:invitations")
    if accept:
        messages.success(request, "Ihre Organisation ist jetzt am Fall beteiligt.")
        return redirect("cases:detail", pk=participation.case_id)
    messages.success(request, "Die Einladung wurde abgelehnt.")
    return redirect("cases:invitations")


@login_required
def duplicate_compare(request: AuthenticatedHttpRequest, pk: UUID, other_pk: UUID) -> HttpResponse:
    """Two cases of the organisation that are likely about the same child, side by side."""
    access, other = queries.duplicate_pair_for(request.user, pk, other_pk)
    sides = []
    for side in (access, other):
        detail = queries.case_detail(side)
        services.case_record_read(
            actor=request.user,
            access=side,
            purpose="Möglichen Doppelfall vergleichen",
            what="duplicate",
            persons=detail.persons_shown,
        )
        sides.append(detail)
    newer, older = services.case_join_pair(access, other)
    context = {
        "case": access.case,
        "other": other.case,
        "sides": sides,
        "newer": newer,
        "older": older,
        "can_decide": policy.can_decide_duplicates(request.user, access.organisation_id),
        "undo_days": services.JOIN_UNDO_DAYS,
    }
    return render(request, "cases/duplicate_compare.html", context)


@login_required
@require_POST
def duplicate_join(request: AuthenticatedHttpRequest, pk: UUID, other_pk: UUID) -> HttpResponse:
    access, other = queries.duplicate_pair_for(request.user, pk, other_pk)
    newer, older = services.case_join_pair(access, other)
    return act(
        request,
        lambda: services.case_join(actor=request.user, access=access, other=other),
        success=f"Fall {newer.child.pseudonym} ist für Ihre Organisation mit Fall {older.child.pseudonym} "
        "zusammengeführt.",
        then=reverse("cases:detail", args=[older.pk]),
    )


@login_required
@require_POST
def duplicate_distinct(request: AuthenticatedHttpRequest, pk: UUID, other_pk: UUID) -> HttpResponse:
    access, other = queries.duplicate_pair_for(request.user, pk, other_pk)
    return act(
        request,
        lambda: services.case_mark_distinct(actor=request.user, access=access, other=other),
        success="Vermerkt: Die beiden Fälle betreffen nicht dasselbe Kind.",
        then=reverse("cases:detail", args=[access.case.pk]),
    )


@login_required
@require_POST
def join_undo(request: AuthenticatedHttpRequest, pk: UUID, join_pk: int) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)
    join = queries.join_get_for(access, join_pk)
    return act(
        request,
        lambda: services.case_join_undo(actor=request.user, access=access, join=join),
        success="Die Zusammenführung ist aufgehoben; beide Fälle stehen wieder für sich.",
        then=reverse("cases:detail", args=[access.case.pk]),
    )


# The advice of the insoweit erfahrene Fachkraft (cases/advice/): the case page's section.


@login_required
@require_http_methods(["GET", "POST"])
def advice_section(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    """GET: the section (htmx) or a page of its own; POST: the specialist records its advice."""
    access = queries.case_get_for(request.user, pk)
    if request.method == "GET":
        return _advice_section(request, access)
    form = AdviceForm(request.POST, prefix="advice")
    return submit(
        request,
        form,
        lambda d: advice_services.advice_record(actor=request.user, access=access, **d),
        success="Das Beratungsergebnis ist dokumentiert; die fallführende Fachkraft ist informiert.",
        then=lambda _: reverse("cases:detail", args=[access.case.pk]) + "#beratungsergebnis",
        invalid=lambda: _advice_section(request, access, form=form, status=400),
    )


def _advice_section(
    request: AuthenticatedHttpRequest,
    access: policy.CaseAccess,
    *,
    form: AdviceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    advice = advice_queries.advice_for(request.user, access)
    advice_services.advice_record_read(
        actor=request.user, access=access, advice=advice, purpose="Beratungsergebnis lesen"
    )
    may_record = advice_policy.can_record_advice(request.user, access)
    context = {
        "case": access.case,
        "advice": advice,
        "form": form or (AdviceForm(prefix="advice") if may_record else None),
    }
    template = "cases/_advice.html" if request.htmx else "cases/advice.html"
    return render(request, template, context, status=status)
