from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.kit.pagination import page_of
from schutznetz.kit.views import act, download, form_page, submit
from schutznetz.meetings import documents, queries, services
from schutznetz.meetings.forms import (
    ActionItemCompleteForm,
    ActionItemForm,
    AttendanceForm,
    CancelForm,
    MeetingForm,
    MeetingInviteForm,
    MinutesForm,
    RescheduleForm,
    ResponseForm,
)
from schutznetz.network import queries as network_queries


@login_required
def invitables(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search results of the invitation picker (an htmx fragment): people, teams, organisations."""
    q = request.GET.get("q", "")[:100]
    results = network_queries.invitables_search(q)
    return render(request, "kit/_picker_results.html", {"results": results, "q": q.strip()})


@login_required
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, queries.meeting_list_for(request.user))
    return render(request, "meetings/meeting_list.html", {"page": page})


@login_required
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        MeetingForm(request.POST or None, user=request.user),
        "meetings/meeting_form.html",
        lambda d: services.meeting_create(actor=request.user, **d),
        success="Das Treffen ist angelegt; die Eingeladenen wurden benachrichtigt.",
        then=lambda meeting: reverse("meetings:detail", args=[meeting.pk]),
    )


def _detail_page(request: AuthenticatedHttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    access = queries.meeting_get_for(request.user, pk)
    detail = queries.meeting_detail(access)
    meeting = access.meeting
    context: dict[str, Any] = {"detail": detail, "meeting": meeting, "access": access}
    if access.manage:
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            meeting=meeting, attendees=detail.attendees
        )
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm(
            initial={"minutes": meeting.minutes, "decisions": meeting.decisions}
        )
        context["item_form"] = forms.get("item_form") or ActionItemForm(
            meeting=meeting, attendees=detail.attendees, prefix="item"
        )
        context["invite_form"] = forms.get("invite_form") or MeetingInviteForm(prefix="invite")
        if meeting.cancelled_at is None and meeting.starts_at > timezone.now():
            context["reschedule_form"] = forms.get("reschedule_form") or RescheduleForm(
                prefix="move",
                initial={
                    "starts_at": timezone.localtime(meeting.starts_at),
                    "ends_at": timezone.localtime(meeting.ends_at),
                    "location": meeting.location,
                },
            )
            context["cancel_form"] = forms.get("cancel_form") or CancelForm(prefix="cancel")
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _to_detail(pk: int) -> str:
    return reverse("meetings:detail", args=[pk])


def _meeting_form(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_key: str,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A form of the meeting page: back to the meeting, or the page again with this form."""
    return submit(
        request,
        form,
        call,
        success=success,
        then=lambda _: _to_detail(pk),
        invalid=lambda: _detail_page(request, pk, status=400, **{form_key: form}),
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


@login_required
@require_POST
def meeting_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_get_for(request.user, pk)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, status=400)
    accept = form.cleaned_data["accept"]
    return act(
        request,
        lambda: services.meeting_respond(actor=request.user, meeting=access.meeting, accept=accept),
        success="Ihre Zusage ist vermerkt." if accept else "Ihre Absage ist vermerkt.",
        then=_to_detail(pk),
        failed=lambda: _detail_page(request, pk, status=400),
    )


@login_required
@require_POST
def meeting_reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    return _meeting_form(
        request,
        pk,
        "reschedule_form",
        RescheduleForm(request.POST, prefix="move"),
        lambda d: services.meeting_reschedule(actor=request.user, meeting=access.meeting, **d),
        "Das Treffen ist verlegt; die Eingeladenen wurden benachrichtigt.",
    )


@login_required
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    return _meeting_form(
        request,
        pk,
        "cancel_form",
        CancelForm(request.POST, prefix="cancel"),
        lambda d: services.meeting_cancel(actor=request.user, meeting=access.meeting, **d),
        "Das Treffen ist abgesagt; die Eingeladenen wurden benachrichtigt.",
    )


@login_required
@require_POST
def meeting_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    attendees = queries.meeting_detail(access).attendees
    form = AttendanceForm(request.POST, meeting=access.meeting, attendees=attendees)
    return _meeting_form(
        request,
        pk,
        "attendance_form",
        form,
        lambda d: services.meeting_attendance_record(
            actor=request.user, meeting=access.meeting, present=[a.pk for a in d["present"]]
        ),
        "Die Anwesenheit ist erfasst.",
    )


@login_required
@require_POST
def meeting_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    form = MeetingInviteForm(request.POST, prefix="invite")
    return _meeting_form(
        request,
        pk,
        "invite_form",
        form,
        lambda d: services.meeting_invite(
            actor=request.user, meeting=access.meeting, invitees=list(d["invitees"])
        ),
        "Die Einladungen sind verschickt.",
    )


@login_required
@require_POST
def meeting_minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    form = MinutesForm(request.POST)
    return _meeting_form(
        request,
        pk,
        "minutes_form",
        form,
        lambda d: services.meeting_minutes_save(actor=request.user, meeting=access.meeting, **d),
        "Das Protokoll ist gespeichert.",
    )


@login_required
@require_POST
def action_item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    attendees = queries.meeting_detail(access).attendees
    form = ActionItemForm(request.POST, meeting=access.meeting, attendees=attendees, prefix="item")
    return _meeting_form(
        request,
        pk,
        "item_form",
        form,
        lambda d: services.action_item_create(actor=request.user, meeting=access.meeting, **d),
        "Die Aufgabe ist angelegt und steht bei der zuständigen Person in „Meine Aufgaben“.",
    )


@login_required
@require_POST
def action_item_complete(request: AuthenticatedHttpRequest, pk: int, task_pk: int) -> HttpResponse:
    access = queries.meeting_involved_get_for(request.user, pk)
    form = ActionItemCompleteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, status=400)
    return act(
        request,
        lambda: services.action_item_complete(
            actor=request.user, meeting=access.meeting, task_id=task_pk, note=form.cleaned_data["note"]
        ),
        success="Die Aufgabe ist erledigt.",
        then=_to_detail(pk),
        failed=lambda: _detail_page(request, pk, status=400),
    )


@login_required
def meeting_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    detail = queries.meeting_detail(queries.meeting_get_for(request.user, pk))
    return download(
        documents.meeting_ics(detail),
        content_type="text/calendar; charset=utf-8",
        filename=f"treffen-{pk}.ics",
    )


@login_required
def minutes_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    detail = queries.meeting_detail(queries.meeting_involved_get_for(request.user, pk))
    return download(
        documents.minutes_pdf(detail), content_type="application/pdf", filename=f"protokoll-treffen-{pk}.pdf"
    )
