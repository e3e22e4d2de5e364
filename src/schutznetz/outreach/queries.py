"""Reads of outreach data, filtered by ``outreach.policy``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from schutznetz.network.models import Membership, Organisation, OrganisationKind
from schutznetz.outreach import policy
from schutznetz.outreach.models import (
    OPEN_REFERRAL,
    BookingStatus,
    ConsultationBooking,
    ConsultationHour,
    HelpOffer,
    HourStatus,
    Referral,
    ReferralUpdate,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

SCHEDULE_WEEKS = 4


def consultation_hours_current(today: date | None = None) -> QuerySet[ConsultationHour]:
    today = today or timezone.localdate()
    return (
        ConsultationHour.objects.filter(status=HourStatus.ACTIVE)
        .filter(valid_from__lte=today + timedelta(weeks=SCHEDULE_WEEKS))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("practice", "counsellor", "counsellor_organisation")
        .order_by("practice__name", "weekday", "start_time", "pk")
    )


def consultation_hour_get(user: User, pk: int) -> ConsultationHour:
    """A current agreed hour (the network's catalogue); a proposed or declined one only for the
    practice and the counsellor's organisation."""
    hour = consultation_hours_current().filter(pk=pk).first()
    if hour is None:
        hour = proposed_hours_for(user).filter(pk=pk).first() or (
            ConsultationHour.objects.filter(pk=pk, status=HourStatus.DECLINED)
            .select_related("practice", "counsellor", "counsellor_organisation")
            .first()
        )
        if hour is not None and not policy.takes_part_in_hour(user, hour):
            hour = None
    if hour is None:
        raise Http404("Sprechstunde nicht gefunden.")
    return hour


def slot_starts(hour: ConsultationHour) -> list[time]:
    start = datetime.combine(date.min, hour.start_time)
    end = datetime.combine(date.min, hour.end_time)
    step = timedelta(minutes=hour.slot_minutes)
    starts = []
    while start + step <= end:
        starts.append(start.time())
        start += step
    return starts


def occurrences(hour: ConsultationHour, today: date, weeks: int = SCHEDULE_WEEKS) -> list[date]:
    first = today + timedelta(days=(hour.weekday - today.weekday()) % 7)
    days = [first + timedelta(weeks=i) for i in range(weeks)]
    return [d for d in days if d >= hour.valid_from and (hour.valid_until is None or d <= hour.valid_until)]


@dataclass
class Slot:
    day: date
    start: time
    booking: ConsultationBooking | None
    visible: bool  # the user may see who booked it and why

    @property
    def free(self) -> bool:
        return self.booking is None


def hour_schedule(user: User, hour: ConsultationHour, now: datetime | None = None) -> list[Slot]:
    """The next weeks' slots of a consultation hour that have not begun, with their bookings (one
    query)."""
    now = timezone.localtime(now or timezone.now())
    days = occurrences(hour, now.date())
    bookings = {
        (b.date, b.slot_start): b
        for b in ConsultationBooking.objects.filter(hour=hour, status=BookingStatus.BOOKED, date__in=days)
    }
    visible = policy.takes_part_in_hour(user, hour)
    return [
        Slot(d, s, bookings.get((d, s)), visible)
        for d in days
        for s in slot_starts(hour)
        if datetime.combine(d, s, tzinfo=now.tzinfo) >= now
    ]


def booking_get_for(user: User, pk: int) -> ConsultationBooking:
    booking = (
        ConsultationBooking.objects.select_related("hour__practice", "hour__counsellor_organisation")
        .filter(pk=pk)
        .first()
    )
    if booking is None or not policy.takes_part_in_hour(user, booking.hour):
        raise Http404("Termin nicht gefunden.")
    return booking


def help_offer_list(*, category: str = "", postal_code: str = "", text: str = "") -> QuerySet[HelpOffer]:
    """Active offers, filtered by category and by the postal code they serve (offers without an
    area serve the whole network)."""
    offers = HelpOffer.objects.filter(is_active=True, provider__is_active=True)
    if category:
        offers = offers.filter(category=category)
    if postal_code:
        offers = offers.filter(Q(areas__postal_code=postal_code) | Q(areas__isnull=True)).distinct()
    for word in re.findall(r"\w+", text)[:5]:
        offers = offers.filter(
            Q(title__icontains=word) | Q(target_group__icontains=word) | Q(description__icontains=word)
        )
    return offers.select_related("provider").prefetch_related("areas").order_by("title", "pk")


def help_offer_get(pk: int) -> HelpOffer:
    offer = HelpOffer.objects.select_related("provider").prefetch_related("areas").filter(pk=pk).first()
    if offer is None:
        raise Http404("Hilfeangebot nicht gefunden.")
    return offer


def referral_list_for(user: User) -> QuerySet[Referral]:
    """Referrals my organisations made or received (as provider of the offer); open ones first."""
    orgs = policy.organisation_ids(user)
    return (
        Referral.objects.filter(Q(from_organisation_id__in=orgs) | Q(offer__provider_id__in=orgs))
        .select_related("offer__provider", "from_organisation", "referred_by")
        .annotate(done=Case(When(status__in=OPEN_REFERRAL, then=Value(0)), default=Value(1)))
        .order_by("done", "follow_up_on", "-pk")
    )


def referral_get_for(user: User, pk: int) -> Referral:
    referral = (
        referral_list_for(user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("updates", queryset=ReferralUpdate.objects.select_related("by", "organisation"))
        )
        .first()
    )
    if referral is None:
        raise Http404("Vermittlung nicht gefunden.")
    return referral


def practices() -> QuerySet[Organisation]:
    """Paediatric practices that may host a consultation hour."""
    return Organisation.objects.filter(kind=OrganisationKind.PAEDIATRIC_PRACTICE, is_active=True).order_by(
        "name"
    )


COUNSELLING_KINDS = [
    OrganisationKind.YOUTH_OFFICE,
    OrganisationKind.CARE_PROVIDER,
    OrganisationKind.COUNSELLING_CENTRE,
    OrganisationKind.CHILD_PROTECTION_CENTRE,
]


def counsellors() -> QuerySet[Membership]:
    """People of the youth offices, care providers and counselling centres: who may counsel."""
    return (
        Membership.objects.working()
        .filter(user__is_active=True, organisation__kind__in=COUNSELLING_KINDS)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name")
    )


def proposed_hours_for(user: User) -> QuerySet[ConsultationHour]:
    """Consultation hours waiting for a practice's consent, of the user's organisations (either side)."""
    orgs = policy.organisation_ids(user)
    return (
        ConsultationHour.objects.filter(status=HourStatus.PROPOSED)
        .filter(Q(practice_id__in=orgs) | Q(counsellor_organisation_id__in=orgs))
        .select_related("practice", "counsellor", "counsellor_organisation")
        .order_by("created_at")
    )


def upcoming_bookings_for(user: User, today: date, limit: int = 3) -> list[ConsultationBooking]:
    """The next booked consultations of the user's hours (counsellor) or of their practices."""
    return list(
        ConsultationBooking.objects.filter(
            Q(hour__counsellor=user) | Q(hour__practice_id__in=policy.organisation_ids(user)),
            status=BookingStatus.BOOKED,
            date__gte=today,
        )
        .select_related("hour__practice")
        .order_by("date", "slot_start", "pk")[:limit]
    )


@dataclass(frozen=True)
class BookingRow:
    booking: ConsultationBooking
    counsels: bool  # the user's side held the consultation: records and reads its outcome
    outcome: str  # what the user may read of the outcome ("" while none is recorded)
    may_record: bool


def my_bookings(user: User, today: date) -> list[BookingRow]:
    """'Meine Sprechstunden': the booked consultations of the user's hours (counsellor and their
    organisation) and of their practices, the newest first, with what each side may read of the
    outcome: the counsellor's side all of it, the practice the outcome itself only where the family
    agreed, else whether the family came."""
    orgs = policy.organisation_ids(user)
    bookings = (
        ConsultationBooking.objects.filter(
            Q(hour__counsellor=user)
            | Q(hour__counsellor_organisation_id__in=orgs)
            | Q(hour__practice_id__in=orgs),
            status=BookingStatus.BOOKED,
        )
        .select_related("hour__practice", "hour__counsellor", "hour__counsellor_organisation")
        .prefetch_related("referrals__offer")
        .order_by("-date", "-slot_start", "-pk")[:MY_BOOKINGS]
    )
    return [booking_row(user, b, today) for b in bookings]


def booking_row(user: User, booking: ConsultationBooking, today: date) -> BookingRow:
    counsels = policy.counsels_in_hour(user, booking.hour)
    return BookingRow(
        booking=booking,
        counsels=counsels,
        outcome=_outcome_text(booking, counsels),
        may_record=counsels and not booking.outcome and booking.date <= today,
    )


MY_BOOKINGS = 100


def _outcome_text(booking: ConsultationBooking, counsels: bool) -> str:
    if not booking.outcome:
        return ""
    if counsels or booking.outcome_shared or booking.outcome == "no_show":
        return booking.get_outcome_display()
    return "Beratung hat stattgefunden (Ergebnis vertraulich)"
