from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from schutznetz.cases import policy, queries, services
from schutznetz.cases.forms import (
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
from schutznetz.cases.models import Task
from schutznetz.kit.errors import add_service_errors
from schutznetz.kit.pagination import CappedPaginator
from schutznetz.people.identity import ChildIdentity, GuardianIdentity

PAGE_SIZE = 25


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    cases = CappedPaginator(queries.case_list_for(user), PAGE_SIZE, counted=queries.case_list_counted(user))  # type: ignore[arg-type]
    page = cases.get_page(request.GET.get("page"))
    rows = queries.case_rows(list(page.object_list))
    services.record_read(
        actor=request.user,  # type: ignore[arg-type]
        object_type="CaseList",
        purpose="Meine Fälle",
        cases=[str(r.case.pk) for r in rows],
    )
    return render(request, "cases/case_list.html", {"page": page, "rows": rows})


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(queries.task_list_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    tasks = [(task, queries.task_label(task)) for task in page.object_list]
    services.record_read(
        actor=request.user,  # type: ignore[arg-type]
        object_type="TaskList",
        purpose="Meine Aufgaben",
        tasks=[t.pk for t, _ in tasks],
    )
    from django.utils import timezone

    return render(
        request, "cases/task_list.html", {"page": page, "tasks": tasks, "today": timezone.localdate()}
    )


@login_required
def child_search(request: HttpRequest) -> HttpResponse:
    """Search a child in the user's cases; if not found, open a new case (warned about look-alikes)."""
    search = ChildSearchForm(request.GET if "family_name" in request.GET else None)
    matches = None
    if search.is_bound and search.is_valid():
        matches = queries.child_search_for(request.user, **search.cleaned_data)  # type: ignore[arg-type]
        services.record_read(
            actor=request.user,  # type: ignore[arg-type]
            object_type="Child",
            purpose="Kind suchen",
            hits=len(matches),
        )
    create = CaseCreateForm(initial=search.cleaned_data if matches is not None else None, user=request.user)  # type: ignore[arg-type]
    status = 400 if search.is_bound and not search.is_valid() else 200
    return render(
        request,
        "cases/child_search.html",
        {"search": search, "matches": matches, "create": create},
        status=status,
    )


@login_required
@require_POST
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseCreateForm(request.POST, user=request.user)  # type: ignore[arg-type]
    matches = None
    if form.is_valid():
        data = form.cleaned_data
        matches = queries.child_search_for(
            request.user,
            given_name=data["given_name"],  # type: ignore[arg-type]
            family_name=data["family_name"],
            birth_date=data["birth_date"],
        )
        if matches and not data["confirm_new_child"]:
            form.add_error(
                "confirm_new_child",
                "Zu diesen Angaben gibt es in Ihren Fällen bereits ein Kind mit "
                "gleichem oder ähnlich klingendem Namen. Bitte prüfen Sie die Treffer oben.",
            )
        else:
            identity = ChildIdentity(
                given_name=data["given_name"].strip(),
                family_name=data["family_name"].strip(),
                birth_date=data["birth_date"],
                sex=data["sex"],
                street=data["street"].strip(),
                postal_code=data["postal_code"] or "",
                city=data["city"].strip(),
            )
            try:
                case = services.case_create(
                    actor=request.user,
                    organisation=data["organisation"],
                    title=data["title"],  # type: ignore[arg-type]
                    identity=identity,
                    first_task=services.FirstTask(data["task_title"], data["task_due"]),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Der Fall wurde angelegt.")
                return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/child_search.html",
        {"search": ChildSearchForm(), "matches": matches, "create": form},
        status=400,
    )


def _case_page(
    request: HttpRequest, access: policy.CaseAccess, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    detail = queries.case_detail(access)
    can_edit = policy.can_edit_case(user, access)  # type: ignore[arg-type]
    can_lead = policy.can_manage_lead(user, access)  # type: ignore[arg-type]
    forms = forms or {}
    context = {
        "detail": detail,
        "access": access,
        "case": access.case,
        "can_edit": can_edit,
        "can_lead": can_lead,
        "can_view_audit": policy.can_view_audit(user, access),  # type: ignore[arg-type]
        "can_answer_handover": detail.pending_handover is not None
        and policy.can_respond_for(user, detail.pending_handover.to_organisation_id),  # type: ignore[arg-type]
        "task_form": forms.get("task")
        or (TaskForm(case_id=access.case.pk, prefix="task") if can_edit else None),
        "invite_form": forms.get("invite") or (InviteForm(prefix="invite") if can_edit else None),
        "guardian_form": forms.get("guardian") or (GuardianForm(prefix="guardian") if can_edit else None),
        "handover_form": forms.get("handover")
        or (
            HandoverForm(case_id=access.case.pk, exclude=access.case.lead_organisation_id, prefix="handover")
            if can_lead
            else None
        ),
        "close_form": forms.get("close") or (CloseForm(prefix="close") if can_lead else None),
        # One completion form per open task, with ids of its own so that each label names its field.
        "task_rows": [
            (task, TaskCompleteForm(prefix="done", auto_id=f"id_task{task.pk}_%s") if can_edit else None)
            for task in detail.tasks
        ],
        "errors": forms.get("errors"),
    }
    template = "cases/_tasks.html" if request.htmx and forms.get("fragment") else "cases/case_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    services.case_record_read(actor=request.user, access=access, purpose="Fallakte einsehen")  # type: ignore[arg-type]
    return _case_page(request, access)


def _service_call(
    request: HttpRequest, access: policy.CaseAccess, form_key: str, form: Any, call: Any, success: str
) -> HttpResponse:
    """Validate a form, run the service, redirect; on an error show the case page with the form."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cases:detail", pk=access.case.pk)
    return _case_page(request, access, forms={form_key: form}, status=400)


@login_required
@require_POST
def task_create(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    form = TaskForm(request.POST, case_id=access.case.pk, prefix="task")
    return _service_call(
        request,
        access,
        "task",
        form,
        lambda d: services.task_create(actor=request.user, access=access, **d),
        "Die Aufgabe wurde angelegt.",
    )  # type: ignore[arg-type]


def _task(access: policy.CaseAccess, task_pk: int) -> Task:
    task = Task.objects.filter(case=access.case, pk=task_pk).first()
    if task is None:
        from django.http import Http404

        raise Http404("Aufgabe nicht gefunden.")
    return task


def _task_action(
    request: HttpRequest, access: policy.CaseAccess, form: Any, call: Any, success: str
) -> HttpResponse:
    """A task button (htmx or plain POST): run the service; htmx gets the task list back."""
    error_text = None
    if not form.is_valid():
        error_text = "Bitte die Angaben prüfen."
    else:
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, success)
                return redirect("cases:detail", pk=access.case.pk)
    forms = {"fragment": True, "errors": error_text}
    return _case_page(request, access, forms=forms, status=400 if error_text else 200)


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: UUID, task_pk: int) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    task = _task(access, task_pk)

    def call(d: dict[str, Any]) -> Any:
        next_task = services.FirstTask(d["next_title"], d["next_due"])
        return services.task_complete(
            actor=request.user,
            access=access,
            task=task,
            note=d["note"],  # type: ignore[arg-type]
            next_task=next_task,
        )

    form = TaskCompleteForm(request.POST, prefix="done")
    return _task_action(request, access, form, call, "Die Aufgabe ist erledigt.")


@login_required
@require_http_methods(["GET", "POST"])
def task_reassign(request: HttpRequest, pk: UUID, task_pk: int) -> HttpResponse:
    """GET: the form (htmx loads it into the task card; without script it is a page of its own).

    The case page does not render one owner list per open task: a big youth office has hundreds of
    staff, and the lists made the page grow with the organisation's size.
    """
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    task = _task(access, task_pk)
    if request.method == "GET":
        if not policy.can_change_task(request.user, access, task):  # type: ignore[arg-type]
            raise PermissionDenied("Diese Aufgabe kann nicht übertragen werden.")
        form = TaskReassignForm(
            case_id=access.case.pk,
            prefix="move",
            auto_id=f"id_task{task.pk}_%s",
            initial={"due_date": task.due_date},
        )
        template = "cases/_task_reassign.html" if request.htmx else "cases/task_reassign.html"  # type: ignore[attr-defined]
        return render(request, template, {"case": access.case, "task": task, "form": form})
    form = TaskReassignForm(request.POST, case_id=access.case.pk, prefix="move")
    return _task_action(
        request,
        access,
        form,
        lambda d: services.task_reassign(actor=request.user, access=access, task=task, **d),
        "Die Aufgabe wurde übertragen.",
    )  # type: ignore[arg-type]


@login_required
@require_POST
def guardian_add(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    form = GuardianForm(request.POST, prefix="guardian")

    def call(d: dict[str, Any]) -> Any:
        relation = d.pop("relation")
        return services.guardian_add(
            actor=request.user,
            access=access,
            relation=relation,  # type: ignore[arg-type]
            identity=GuardianIdentity(**d),
        )

    return _service_call(request, access, "guardian", form, call, "Die Person wurde erfasst.")


@login_required
@require_POST
def participation_invite(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    form = InviteForm(request.POST, prefix="invite")
    return _service_call(
        request,
        access,
        "invite",
        form,
        lambda d: services.participation_invite(actor=request.user, access=access, **d),
        "Die Einladung wurde verschickt.",
    )  # type: ignore[arg-type]


@login_required
@require_POST
def handover_request(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    if not policy.can_manage_lead(request.user, access):  # type: ignore[arg-type]
        raise PermissionDenied(services.MSG_ONLY_LEAD)
    form = HandoverForm(
        request.POST, case_id=access.case.pk, exclude=access.case.lead_organisation_id, prefix="handover"
    )
    return _service_call(
        request,
        access,
        "handover",
        form,
        lambda d: services.lead_handover_request(actor=request.user, access=access, **d),
        "Die Übergabe wurde angefragt.",
    )  # type: ignore[arg-type]


@login_required
@require_POST
def handover_respond(request: HttpRequest, pk: UUID, handover_pk: int) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    handover = queries.handover_get_for(request.user, handover_pk)  # type: ignore[arg-type]
    if handover.case_id != access.case.pk:
        from django.http import Http404

        raise Http404("Übergabe nicht gefunden.")
    accept = request.POST.get("answer") == "accept"
    try:
        services.lead_handover_respond(actor=request.user, handover=handover, accept=accept)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Sie haben die Fallführung übernommen." if accept else "Die Übernahme wurde abgelehnt."
        )
    return redirect("cases:detail", pk=access.case.pk)


@login_required
@require_POST
def case_close(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    form = CloseForm(request.POST, prefix="close")
    return _service_call(
        request,
        access,
        "close",
        form,
        lambda d: services.case_close(actor=request.user, access=access, **d),
        "Der Fall wurde abgeschlossen.",
    )  # type: ignore[arg-type]


@login_required
def case_audit(request: HttpRequest, pk: UUID) -> HttpResponse:
    access = queries.case_get_for(request.user, pk)  # type: ignore[arg-type]
    if not policy.can_view_audit(request.user, access):  # type: ignore[arg-type]
        raise PermissionDenied("Das Zugriffsprotokoll sieht die Koordination der fallführenden Organisation.")
    services.case_record_read(
        actor=request.user, access=access, purpose="Zugriffsprotokoll einsehen", what="audit"
    )  # type: ignore[arg-type]
    page = Paginator(queries.audit_events_for(access), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_audit.html", {"access": access, "case": access.case, "page": page})


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    items = list(queries.invitations_for(request.user))  # type: ignore[arg-type]
    answerable = {p.pk for p in items if policy.can_respond_for(request.user, p.organisation_id)}  # type: ignore[arg-type]
    return render(request, "cases/invitations.html", {"items": items, "answerable": answerable})


@login_required
@require_POST
def invitation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    participation = queries.invitation_get_for(request.user, pk)  # type: ignore[arg-type]
    accept = request.POST.get("answer") == "accept"
    try:
        services.participation_respond(actor=request.user, participation=participation, accept=accept)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:invitations")
    if accept:
        messages.success(request, "Ihre Organisation ist jetzt am Fall beteiligt.")
        return redirect("cases:detail", pk=participation.case_id)
    messages.success(request, "Die Einladung wurde abgelehnt.")
    return redirect("cases:invitations")
