from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from schutznetz.accounts.http import AuthenticatedHttpRequest
from schutznetz.kit.pagination import page_of
from schutznetz.kit.views import act, form_page, submit
from schutznetz.outreach import policy, queries, services
from schutznetz.outreach.forms import (
    BookingForm,
    BookingOutcomeForm,
    ConsultationHourForm,
    HelpOfferFilterForm,
    HelpOfferForm,
    ReferralForm,
    ReferralStatusForm,
)
from schutznetz.outreach.models import ConsultationBooking


@login_required
def hour_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "hours": list(queries.consultation_hours_current()),
        "proposed": list(queries.proposed_hours_for(request.user)),
    }
    return render(request, "outreach/hour_list.html", context)


@login_required
def hour_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        ConsultationHourForm(request.POST or None),
        "outreach/hour_form.html",
        lambda d: services.consultation_hour_create(actor=request.user, **d),
        success="Die Sprechstunde ist gespeichert.",
        then=lambda hour: reverse("outreach:hour", args=[hour.pk]),
    )


@login_required
def hour_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hour = queries.consultation_hour_get(request.user, pk)
    slots = queries.hour_schedule(request.user, hour)
    can_book = policy.may_book(request.user, hour)
    form = BookingForm(request.POST or None, slots=slots) if can_book else None

    def page(status: int = 200) -> HttpResponse:
        booked = [s for s in slots if s.booking is not None]
        if can_book and booked:
            services.record_read(
                actor=request.user,
                object_type="ConsultationHour",
                object_id=hour.pk,
                purpose="Termine der Sprechstunde",
                bookings=[s.booking.pk for s in booked if s.booking is not None],
            )
        context = {
            "hour": hour,
            "slots": slots,
            "booked": booked,
            "form": form,
            "free": sum(s.free for s in slots),
            "can_answer": policy.may_answer_hour(request.user, hour),
        }
        return render(request, "outreach/hour_detail.html", context, status=status)

    if request.method != "POST" or form is None:
        return page()
    return submit(
        request,
        form,
        lambda d: services.booking_create(
            actor=request.user,
            hour=hour,
            day=d["slot"].date(),
            slot_start=d["slot"].time(),
            reference=d["reference"],
            topic=d["topic"],
            consent_recorded=d["consent_recorded"],
        ),
        success="Der Termin ist gebucht; die beratende Fachkraft wurde benachrichtigt.",
        then=lambda _: reverse("outreach:hour", args=[pk]),
        invalid=lambda: page(status=400),
    )


@login_required
@require_POST
def hour_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hour = queries.consultation_hour_get(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    return act(
        request,
        lambda: services.consultation_hour_answer(actor=request.user, hour=hour, accept=accept),
        success="Die Praxis hat der Sprechstunde zugestimmt."
        if accept
        else "Die Sprechstunde wurde abgelehnt.",
        then=reverse("outreach:hour", args=[pk]),
    )


@login_required
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = queries.booking_get_for(request.user, pk)
    return act(
        request,
        lambda: services.booking_cancel(actor=request.user, booking=booking),
        success="Der Termin ist abgesagt und wieder frei.",
        then=reverse("outreach:hour", args=[booking.hour_id]),
    )


def _outcome_form(booking_pk: int, data: Any = None) -> BookingOutcomeForm:
    return BookingOutcomeForm(data, prefix=f"termin-{booking_pk}")


def _my_hours_page(
    request: AuthenticatedHttpRequest, status: int = 200, bound: BookingOutcomeForm | None = None
) -> HttpResponse:
    rows = queries.my_bookings(request.user, timezone.localdate())
    items = [
        (
            row,
            bound
            if bound is not None and bound.prefix == f"termin-{row.booking.pk}"
            else _outcome_form(row.booking.pk),
        )
        for row in rows
    ]
    services.record_read(
        actor=request.user,
        object_type="BookingList",
        purpose="Meine Sprechstunden",
        bookings=[row.booking.pk for row in rows],
    )
    return render(request, "outreach/my_hours.html", {"rows": items}, status=status)


@login_required
def my_hours(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _my_hours_page(request)


@login_required
@require_POST
def booking_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = queries.booking_get_for(request.user, pk)
    form = _outcome_form(pk, request.POST)
    return submit(
        request,
        form,
        lambda d: services.booking_outcome_record(actor=request.user, booking=booking, **d),
        success="Das Ergebnis ist festgehalten.",
        then=lambda _: reverse("outreach:my_hours"),
        invalid=lambda: _my_hours_page(request, status=400, bound=form),
    )


@login_required
def offer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HelpOfferFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    offers = queries.help_offer_list(
        category=filters.get("category", ""),
        postal_code=filters.get("postal_code", ""),
        text=filters.get("q", ""),
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    booking = _booking_of(request)
    context = {"form": form, "page": page_of(request, offers), "booking": booking}
    return render(request, "outreach/offer_list.html", context, status=status)


def _booking_of(request: AuthenticatedHttpRequest) -> ConsultationBooking | None:
    """The consultation a referral is made from (``?termin=``), if the user takes part in it."""
    value = request.GET.get("termin", "")
    if not value.isdigit() or len(value) > 12:
        return None
    return queries.booking_get_for(request.user, int(value))


@login_required
def offer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        HelpOfferForm(request.POST or None, user=request.user),
        "outreach/offer_form.html",
        lambda d: services.help_offer_create(actor=request.user, **d),
        success="Das Hilfeangebot ist im Katalog.",
        then=lambda offer: reverse("outreach:offer", args=[offer.pk]),
    )


@login_required
def offer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = queries.help_offer_get(pk)
    booking = _booking_of(request)
    initial = {"reference": booking.reference} if booking is not None else None
    return form_page(
        request,
        ReferralForm(request.POST or None, user=request.user, initial=initial),
        "outreach/offer_detail.html",
        lambda d: services.referral_create(actor=request.user, offer=offer, booking=booking, **d),
        success="Die Familie ist vermittelt. Der Stand wird nachgehalten.",
        then=lambda referral: reverse("outreach:referral", args=[referral.pk]),
        context={"offer": offer, "booking": booking},
    )


@login_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, queries.referral_list_for(request.user))
    services.record_read(
        actor=request.user,
        object_type="ReferralList",
        purpose="Vermittlungen",
        referrals=[r.pk for r in page.object_list],
    )
    return render(request, "outreach/referral_list.html", {"page": page})


@login_required
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = queries.referral_get_for(request.user, pk)
    services.record_read(
        actor=request.user, object_type="Referral", object_id=referral.pk, purpose="Vermittlung einsehen"
    )
    return form_page(
        request,
        ReferralStatusForm(request.POST or None),
        "outreach/referral_detail.html",
        lambda d: services.referral_status_set(actor=request.user, referral=referral, **d),
        success="Der Stand der Vermittlung ist erfasst.",
        then=lambda _: reverse("outreach:referral", args=[pk]),
        context={"referral": referral},
    )
