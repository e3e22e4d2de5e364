from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from schutznetz.kit.errors import add_service_errors
from schutznetz.meetings import documents, queries, services
from schutznetz.meetings.forms import (
    ActionItemCompleteForm,
    ActionItemForm,
    AttendanceForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    ResponseForm,
)

PAGE_SIZE = 25


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    items = queries.meeting_list_for(request.user)  # type: ignore[arg-type]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_list.html", {"page": page})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                meeting = services.meeting_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Das Treffen ist angelegt; die Eingeladenen wurden benachrichtigt.")
                return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form}, status=status)


def _detail_page(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    access = queries.meeting_get_for(request.user, pk)  # type: ignore[arg-type]
    detail = queries.meeting_detail(access)
    context: dict[str, Any] = {"detail": detail, "meeting": access.meeting, "access": access}
    if access.manage:
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            meeting=access.meeting, attendees=detail.attendees
        )
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm(
            initial={"minutes": access.meeting.minutes, "decisions": access.meeting.decisions}
        )
        context["item_form"] = forms.get("item_form") or ActionItemForm(
            meeting=access.meeting, attendees=detail.attendees, prefix="item"
        )
        context["invite_form"] = forms.get("invite_form") or InviteForm(prefix="invite")
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


@login_required
@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_get_for(request.user, pk)  # type: ignore[arg-type]
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, status=400)
    try:
        services.meeting_respond(
            actor=request.user, meeting=access.meeting, accept=form.cleaned_data["accept"]
        )  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail_page(request, pk, status=400)
    messages.success(
        request, "Ihre Zusage ist vermerkt." if form.cleaned_data["accept"] else "Ihre Absage ist vermerkt."
    )
    return redirect("meetings:detail", pk=pk)


def _involved(request: HttpRequest, pk: int) -> queries.MeetingAccess:
    access = queries.meeting_get_for(request.user, pk)  # type: ignore[arg-type]
    if not access.full:
        raise Http404(queries.NOT_FOUND)
    return access


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    access = _involved(request, pk)
    attendees = queries.meeting_detail(access).attendees
    form = AttendanceForm(request.POST, meeting=access.meeting, attendees=attendees)
    if form.is_valid():
        try:
            services.meeting_attendance_record(
                actor=request.user,  # type: ignore[arg-type]
                meeting=access.meeting,
                present=[a.pk for a in form.cleaned_data["present"]],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Die Anwesenheit ist erfasst.")
            return redirect("meetings:detail", pk=pk)
    return _detail_page(request, pk, status=400, attendance_form=form)


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    access = _involved(request, pk)
    form = InviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            services.meeting_invite(
                actor=request.user, meeting=access.meeting, invitees=list(form.cleaned_data["invitees"])
            )  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Die Einladungen sind verschickt.")
            return redirect("meetings:detail", pk=pk)
    return _detail_page(request, pk, status=400, invite_form=form)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    access = _involved(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_minutes_save(actor=request.user, meeting=access.meeting, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Das Protokoll ist gespeichert.")
            return redirect("meetings:detail", pk=pk)
    return _detail_page(request, pk, status=400, minutes_form=form)


@login_required
@require_POST
def action_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = _involved(request, pk)
    attendees = queries.meeting_detail(access).attendees
    form = ActionItemForm(request.POST, meeting=access.meeting, attendees=attendees, prefix="item")
    if form.is_valid():
        try:
            services.action_item_create(actor=request.user, meeting=access.meeting, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Die Aufgabe ist angelegt und steht bei der zuständigen Person in „Meine Aufgaben“."
            )
            return redirect("meetings:detail", pk=pk)
    return _detail_page(request, pk, status=400, item_form=form)


@login_required
@require_POST
def action_item_complete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    access = _involved(request, pk)
    form = ActionItemCompleteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, status=400)
    try:
        services.action_item_complete(
            actor=request.user,  # type: ignore[arg-type]
            meeting=access.meeting,
            task_id=task_pk,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail_page(request, pk, status=400)
    messages.success(request, "Die Aufgabe ist erledigt.")
    return redirect("meetings:detail", pk=pk)


@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    detail = queries.meeting_detail(queries.meeting_get_for(request.user, pk))  # type: ignore[arg-type]
    response = HttpResponse(documents.meeting_ics(detail), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="treffen-{pk}.ics"'
    return response


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    detail = queries.meeting_detail(_involved(request, pk))
    response = HttpResponse(documents.minutes_pdf(detail), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-treffen-{pk}.pdf"'
    return response
