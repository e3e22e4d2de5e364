from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from schutznetz.kit.errors import add_service_errors
from schutznetz.outreach import policy, queries, services
from schutznetz.outreach.forms import (
    BookingForm,
    ConsultationHourForm,
    HelpOfferFilterForm,
    HelpOfferForm,
    ReferralForm,
    ReferralStatusForm,
)

PAGE_SIZE = 25


def _save(form: Any, request: HttpRequest, call: Any, success: str) -> Any:
    """Run a service with the form's data; its ValidationError becomes form errors."""
    try:
        result = call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return result


@login_required
def hour_list(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/hour_list.html", {"hours": list(queries.consultation_hours_current())})


@login_required
def hour_create(request: HttpRequest) -> HttpResponse:
    form = ConsultationHourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hour = _save(
            form,
            request,
            lambda: services.consultation_hour_create(actor=request.user, **form.cleaned_data),  # type: ignore[arg-type]
            "Die Sprechstunde ist eingerichtet.",
        )
        if hour is not None:
            return redirect("outreach:hour", pk=hour.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/hour_form.html", {"form": form}, status=status)


@login_required
def hour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hour = queries.consultation_hour_get(pk)
    slots = queries.hour_schedule(request.user, hour)  # type: ignore[arg-type]
    can_book = policy.takes_part_in_hour(request.user, hour)  # type: ignore[arg-type]
    form = BookingForm(request.POST or None, slots=slots) if can_book else None
    status = 200
    if request.method == "POST" and form is not None:
        status = 400
        if form.is_valid():
            slot = form.cleaned_data["slot"]
            booking = _save(
                form,
                request,
                lambda: services.booking_create(
                    actor=request.user,  # type: ignore[arg-type]
                    hour=hour,
                    day=slot.date(),
                    slot_start=slot.time(),
                    reference=form.cleaned_data["reference"],
                    topic=form.cleaned_data["topic"],
                    consent_recorded=form.cleaned_data["consent_recorded"],
                ),
                "Der Termin ist gebucht; die beratende Fachkraft wurde benachrichtigt.",
            )
            if booking is not None:
                return redirect("outreach:hour", pk=pk)
    booked = [s for s in slots if s.booking is not None]
    if can_book and booked:
        services.record_read(
            actor=request.user,  # type: ignore[arg-type]
            object_type="ConsultationHour",
            object_id=hour.pk,
            purpose="Termine der Sprechstunde",
            bookings=[s.booking.pk for s in booked],  # type: ignore[union-attr]
        )
    context = {
        "hour": hour,
        "slots": slots,
        "booked": booked,
        "form": form,
        "free": sum(s.free for s in slots),
    }
    return render(request, "outreach/hour_detail.html", context, status=status)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = queries.booking_get_for(request.user, pk)  # type: ignore[arg-type]
    try:
        services.booking_cancel(actor=request.user, booking=booking)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Der Termin ist abgesagt und wieder frei.")
    return redirect("outreach:hour", pk=booking.hour_id)


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    form = HelpOfferFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    offers = queries.help_offer_list(
        category=filters.get("category", ""),
        postal_code=filters.get("postal_code", ""),
        text=filters.get("q", ""),
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "outreach/offer_list.html", {"form": form, "page": page}, status=status)


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    form = HelpOfferForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        offer = _save(
            form,
            request,
            lambda: services.help_offer_create(actor=request.user, **form.cleaned_data),  # type: ignore[arg-type]
            "Das Hilfeangebot ist im Katalog.",
        )
        if offer is not None:
            return redirect("outreach:offer", pk=offer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/offer_form.html", {"form": form}, status=status)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = queries.help_offer_get(pk)
    form = ReferralForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        referral = _save(
            form,
            request,
            lambda: services.referral_create(actor=request.user, offer=offer, **form.cleaned_data),  # type: ignore[arg-type]
            "Die Familie ist vermittelt. Der Stand wird nachgehalten.",
        )
        if referral is not None:
            return redirect("outreach:referral", pk=referral.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/offer_detail.html", {"offer": offer, "form": form}, status=status)


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.referral_list_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    services.record_read(
        actor=request.user,  # type: ignore[arg-type]
        object_type="ReferralList",
        purpose="Vermittlungen",
        referrals=[r.pk for r in page.object_list],
    )
    return render(request, "outreach/referral_list.html", {"page": page})


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = queries.referral_get_for(request.user, pk)  # type: ignore[arg-type]
    services.record_read(
        actor=request.user, object_type="Referral", object_id=referral.pk, purpose="Vermittlung einsehen"
    )  # type: ignore[arg-type]
    form = ReferralStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save(
            form,
            request,
            lambda: services.referral_status_set(actor=request.user, referral=referral, **form.cleaned_data),  # type: ignore[arg-type]
            "Der Stand der Vermittlung ist erfasst.",
        )
        if done is not None:
            return redirect("outreach:referral", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "outreach/referral_detail.html", {"referral": referral, "form": form}, status=status
    )
