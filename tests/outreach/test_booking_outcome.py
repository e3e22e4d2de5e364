"""Consultation hours close the loop ("Jugendhilfe vor Ort in pädiatrischen Praxen"): the counsellor
records what came of a booked consultation; a referral made from it is linked to the booking; the
practice learns the outcome only where the family agreed, otherwise only whether it came."""

from __future__ import annotations

from datetime import time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from schutznetz.notify.models import Notification
from schutznetz.outreach import queries, services
from schutznetz.outreach.models import BookingOutcome, ConsultationBooking
from tests import factories as f
from tests.conftest import login
from tests.outreach.test_outreach import World, next_weekday
from tests.outreach.test_outreach import world as world

pytestmark = pytest.mark.django_db


def _booking(world: World, reference: str = "Pat.-Nr. 4711") -> ConsultationBooking:
    return services.booking_create(
        actor=world.practice_staff,
        hour=world.hour,
        day=next_weekday(2),
        slot_start=time(9, 30),
        reference=reference,
        topic="Schreibaby, Mutter erschöpft",
        consent_recorded=True,
    )


def _on_the_day(booking: ConsultationBooking) -> time_machine.travel:
    return time_machine.travel(timezone.make_aware(timezone.datetime.combine(booking.date, time(12))))


def test_the_counsellor_records_the_outcome_and_the_practice_reads_what_the_family_agreed_to(
    world: World, client: Client
) -> None:
    booking = _booking(world)
    with pytest.raises(ValidationError):  # not before the day
        services.booking_outcome_record(
            actor=world.counsellor, booking=booking, outcome=BookingOutcome.ADVICE_GIVEN
        )
    with _on_the_day(booking):
        with pytest.raises(PermissionDenied):  # the practice does not record it
            services.booking_outcome_record(
                actor=world.practice_staff, booking=booking, outcome=BookingOutcome.ADVICE_GIVEN
            )
        services.booking_outcome_record(
            actor=world.counsellor,
            booking=booking,
            outcome=BookingOutcome.HOME_VISIT_AGREED,
            note="Hausbesuch durch die Familienhebamme",
            shared=False,
        )
        practice_row = queries.my_bookings(world.practice_staff, timezone.localdate())[0]
        assert practice_row.outcome == "Beratung hat stattgefunden (Ergebnis vertraulich)"
        counsellor_row = queries.my_bookings(world.counsellor, timezone.localdate())[0]
        assert counsellor_row.outcome == "Hausbesuch vereinbart" and not counsellor_row.may_record
        told = Notification.objects.get(recipient=world.practice_staff, kind="booking_outcome")
        assert "vertraulich" in told.body and "Hausbesuch" not in told.body

        page = login(client, world.practice_staff).get("/sprechstunden/meine/").text
        assert "Pat.-Nr. 4711" in page and "Ergebnis vertraulich" in page
        assert "Hausbesuch durch die Familienhebamme" not in page
        assert login(Client(), world.outsider).get("/sprechstunden/meine/").text.count("Pat.-Nr.") == 0


def test_a_shared_outcome_and_a_referral_from_the_booking_reach_the_practice(
    world: World, client: Client
) -> None:
    booking = _booking(world)
    with _on_the_day(booking):
        counsellor = login(client, world.counsellor)
        page = counsellor.get("/sprechstunden/meine/").text
        assert "Ergebnis festhalten" in page
        response = counsellor.post(
            f"/sprechstunden/termine/{booking.pk}/ergebnis/",
            {f"termin-{booking.pk}-outcome": "referral_made", f"termin-{booking.pk}-shared": "on"},
        )
        assert response.status_code == 302
        # The referral made from it: the offer page knows the booking and links it.
        offer_page = counsellor.get(f"/hilfeangebote/{world.offer.pk}/?termin={booking.pk}")
        assert "Aus der Beratung am" in offer_page.text and 'value="Pat.-Nr. 4711"' in offer_page.text
        created = counsellor.post(
            f"/hilfeangebote/{world.offer.pk}/?termin={booking.pk}",
            {
                "from_organisation": world.net.dortmund.pk,
                "family_postal_code": "44135",
                "reference": "Pat.-Nr. 4711",
                "consent_recorded": "on",
            },
        )
        assert created.status_code == 302
        assert booking.referrals.get().offer == world.offer
        assert "Familienhebammen Nord" in counsellor.get("/sprechstunden/meine/").text
    told = Notification.objects.get(recipient=world.practice_staff, kind="booking_outcome")
    assert told.body == "Ergebnis: in eine Hilfe vermittelt."
    api = Client(headers={"Authorization": f"Token {f.api_key(world.practice_staff)}"})
    [row] = api.get("/api/v1/bookings/").json()
    assert (row["reference"], row["outcome"], row["counsels"]) == (
        "Pat.-Nr. 4711",
        "in eine Hilfe vermittelt",
        False,
    )


def test_the_outcome_through_the_api_once_and_not_for_others(world: World) -> None:
    booking = _booking(world)
    api = Client(headers={"Authorization": f"Token {f.api_key(world.counsellor)}"})
    url = f"/api/v1/bookings/{booking.pk}/outcome/"
    with _on_the_day(booking):
        assert api.post(url, {"outcome": "whatever"}, content_type="application/json").status_code == 400
        done = api.post(url, {"outcome": "no_show"}, content_type="application/json")
        assert done.status_code == 200 and done.json()["outcome"] == "nicht erschienen"
        again = api.post(url, {"outcome": "advice_given"}, content_type="application/json")
        assert again.status_code == 400
        outsider = Client(headers={"Authorization": f"Token {f.api_key(world.outsider)}"})
        assert outsider.post(url, {"outcome": "no_show"}, content_type="application/json").status_code == 404
