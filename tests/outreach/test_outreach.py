"""Consultation hours in practices, the help-offer catalogue and referrals tracked to their outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.network.models import Membership, OrganisationKind, Role
from schutznetz.notify.models import Notification
from schutznetz.outreach import queries, services
from schutznetz.outreach.models import (
    BookingStatus,
    ConsultationBooking,
    ConsultationHour,
    HelpCategory,
    HelpOffer,
    Referral,
    ReferralStatus,
)
from tests import factories as f
from tests.conftest import login


@dataclass
class World:
    net: f.Network
    hour: ConsultationHour
    offer: HelpOffer  # serves 44135 and 44137 only
    counsellor: User  # Jugendamt Dortmund professional holding the consultation hour
    practice_staff: User  # the practice's coordinator (Dr. Yılmaz)
    provider_staff: User  # coordinator of the care provider that runs the offer
    outsider: User  # Jugendamt Bochum, not involved


def next_weekday(weekday: int) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


@pytest.fixture
def world(network: f.Network) -> World:
    provider_staff = f.make_user("meyer", first_name="Frank", last_name="Meyer")
    f.make_member(provider_staff, network.provider, Role.COORDINATOR)
    hour = services.consultation_hour_create(
        actor=network.admin,
        practice=network.practice,
        counsellor=network.dortmund_professional_membership,
        weekday=2,
        start_time=time(9, 0),
        end_time=time(11, 0),
        slot_minutes=30,
        valid_from=timezone.localdate() - timedelta(days=30),
    )
    offer = services.help_offer_create(
        actor=provider_staff,
        provider=network.provider,
        title="Familienhebammen Nord",
        category=HelpCategory.FAMILY_MIDWIFE,
        target_group="Familien mit Säuglingen",
        contact="0231 1234",
        postal_codes=["44135", "44137"],
    )
    return World(
        network,
        hour,
        offer,
        network.dortmund_professional,
        network.practice_doctor,
        provider_staff,
        network.bochum_coordinator,
    )


def book(world: World, day: date, at: time = time(9, 30), actor: User | None = None) -> ConsultationBooking:
    return services.booking_create(
        actor=actor or world.practice_staff,
        hour=world.hour,
        day=day,
        slot_start=at,
        reference="Pat.-Nr. 4711",
        topic="Schlafprobleme, Eltern erschöpft",
        consent_recorded=True,
    )


class TestConsultationHours:
    def test_practice_books_a_free_slot_and_the_counsellor_is_told(self, world: World) -> None:
        booking = book(world, next_weekday(2))
        assert booking.status == BookingStatus.BOOKED
        assert Notification.objects.filter(recipient=world.counsellor, kind="consultation_booking").exists()

    def test_a_taken_slot_cannot_be_booked_twice_until_cancelled(self, world: World) -> None:
        day = next_weekday(2)
        first = book(world, day)
        with pytest.raises(ValidationError) as error:
            book(world, day, actor=world.counsellor)
        assert error.value.message_dict == {"slot": [services.MSG_SLOT_TAKEN]}
        services.booking_cancel(actor=world.counsellor, booking=first)
        assert book(world, day).pk != first.pk

    @pytest.mark.parametrize(
        ("shift_days", "at", "message"),
        [
            (1, time(9, 30), services.MSG_SLOT_UNKNOWN),  # wrong weekday
            (0, time(11, 0), services.MSG_SLOT_UNKNOWN),  # after the end
            (0, time(9, 15), services.MSG_SLOT_UNKNOWN),  # not a slot start
            (-14, time(9, 30), services.MSG_SLOT_PAST),  # a week or two ago, whatever today is
        ],
    )
    def test_bad_slots_are_refused(self, world: World, shift_days: int, at: time, message: str) -> None:
        with pytest.raises(ValidationError) as error:
            book(world, next_weekday(2) + timedelta(days=shift_days), at)
        assert error.value.message_dict == {"slot": [message]}

    def test_slots_that_have_begun_are_not_offered(self, world: World) -> None:
        day = next_weekday(2)
        ten_past_ten = datetime.combine(day, time(10, 10), tzinfo=timezone.get_current_timezone())
        slots = queries.hour_schedule(world.practice_staff, world.hour, now=ten_past_ten)
        assert [(s.day, s.start) for s in slots if s.day == day] == [(day, time(10, 30))]
        assert {s.day for s in slots} == {day + timedelta(weeks=i) for i in range(4)}

    def test_consent_is_required_and_names_are_refused(self, world: World) -> None:
        f.make_case(world.net.dortmund_professional, world.net.dortmund, f.child_identity("Lea", "Neumann"))
        with pytest.raises(ValidationError) as error:
            services.booking_create(
                actor=world.practice_staff,
                hour=world.hour,
                day=next_weekday(2),
                slot_start=time(9, 0),
                reference="x",
                topic="y",
                consent_recorded=False,
            )
        assert error.value.message_dict == {"consent_recorded": [services.MSG_CONSENT]}
        with pytest.raises(ValidationError) as error:
            services.booking_create(
                actor=world.practice_staff,
                hour=world.hour,
                day=next_weekday(2),
                slot_start=time(9, 0),
                reference="Pat.-Nr. 1",
                topic="Lea Neumann, Schlafprobleme",
                consent_recorded=True,
            )
        assert "„Lea Neumann“" in error.value.message_dict["topic"][0]
        assert not ConsultationBooking.objects.exists()

    def test_others_may_not_book_and_do_not_see_references(self, world: World, client: Client) -> None:
        book(world, next_weekday(2))
        with pytest.raises(PermissionDenied):
            book(world, next_weekday(2), time(10, 0), actor=world.outsider)
        login(client, world.outsider)
        page = client.get(f"/sprechstunden/{world.hour.pk}/").content.decode()
        assert "Pat.-Nr. 4711" not in page and "Familie einbuchen" not in page
        slots = client.get(f"/api/v1/consultation-hours/{world.hour.pk}/").json()["slots"]
        assert [s["booking"] for s in slots if not s["free"]] == [None]
        booking = ConsultationBooking.objects.get()
        assert client.post(f"/sprechstunden/termine/{booking.pk}/absagen/").status_code == 404
        assert client.post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 404

    def test_only_practices_and_a_slot_must_fit(self, world: World) -> None:
        base = {
            "actor": world.net.admin,
            "counsellor": world.net.dortmund_professional_membership,
            "weekday": 1,
            "valid_from": timezone.localdate(),
        }
        with pytest.raises(ValidationError) as error:
            services.consultation_hour_create(
                **base, practice=world.net.provider, start_time=time(9), end_time=time(10)
            )
        assert error.value.message_dict == {"practice": [services.MSG_NOT_PRACTICE]}
        with pytest.raises(ValidationError) as error:
            services.consultation_hour_create(
                **base, practice=world.net.practice, start_time=time(9), end_time=time(9, 20)
            )
        assert error.value.message_dict == {"slot_minutes": [services.MSG_HOUR_SHORT]}

    def test_book_in_the_ui(self, world: World, client: Client) -> None:
        login(client, world.practice_staff)
        day = next_weekday(2)
        response = client.post(
            f"/sprechstunden/{world.hour.pk}/",
            {
                "slot": f"{day:%Y-%m-%d} 10:00",
                "reference": "Pat.-Nr. 1",
                "topic": "Beratung",
                "consent_recorded": "on",
            },
        )
        assert response.status_code == 302
        response = client.post(
            f"/sprechstunden/{world.hour.pk}/",
            {
                "slot": f"{day:%Y-%m-%d} 10:00",
                "reference": "Pat.-Nr. 2",
                "topic": "Beratung",
                "consent_recorded": "on",
            },
        )
        # a taken slot is no longer offered: the form refuses it as an invalid choice
        assert response.status_code == 400
        assert ConsultationBooking.objects.count() == 1
        without_consent = client.post(
            f"/sprechstunden/{world.hour.pk}/",
            {"slot": f"{day:%Y-%m-%d} 11:00", "reference": "Pat.-Nr. 3", "topic": "Beratung"},
        )
        assert without_consent.status_code == 400
        assert "Ohne dokumentierte Einwilligung der Familie keine Weitergabe" in without_consent.text
        assert "Dieses Feld ist zwingend erforderlich." not in without_consent.text


class TestReferrals:
    def refer(self, world: World, postal_code: str = "44135") -> Referral:
        return services.referral_create(
            actor=world.practice_staff,
            offer=world.offer,
            from_organisation=world.net.practice,
            family_postal_code=postal_code,
            reference="Pat.-Nr. 99",
            note="Frühgeborenes",
            consent_recorded=True,
        )

    def test_referral_outside_the_offers_area_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            self.refer(world, "44787")
        assert error.value.message_dict == {
            "family_postal_code": [
                services.MSG_OUTSIDE_AREA.format(
                    offer="Familienhebammen Nord", postal_code="44787", areas="44135, 44137"
                )
            ]
        }
        assert not Referral.objects.exists()

    def test_tracked_to_started_with_history_and_news_for_the_referrer(self, world: World) -> None:
        referral = self.refer(world)
        assert Notification.objects.filter(recipient=world.provider_staff, kind="referral_new").exists()
        services.referral_status_set(
            actor=world.provider_staff, referral=referral, status=ReferralStatus.CONTACTED
        )
        services.referral_status_set(
            actor=world.provider_staff,
            referral=referral,
            status=ReferralStatus.STARTED,
            note="Erstbesuch erfolgt",
        )
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.STARTED
        assert list(referral.updates.values_list("status", flat=True)) == ["referred", "contacted", "started"]
        assert (
            Notification.objects.filter(recipient=world.practice_staff, kind="referral_status").count() == 2
        )
        with pytest.raises(ValidationError) as error:
            services.referral_status_set(
                actor=world.practice_staff, referral=referral, status=ReferralStatus.DECLINED
            )
        assert error.value.message_dict == {"status": [services.MSG_REFERRAL_CLOSED]}

    def test_a_referral_that_does_not_move_is_followed_up_once(self, world: World) -> None:
        referral = self.refer(world)
        # ten working days in NRW: two weeks, more over public holidays
        assert referral.follow_up_on >= timezone.localdate() + timedelta(days=14)
        assert services.send_referral_reminders() == 0
        with time_machine.travel(timezone.now() + (referral.follow_up_on - timezone.localdate())):
            assert services.send_referral_reminders() == 1
            assert services.send_referral_reminders() == 0
        assert Notification.objects.filter(recipient=world.practice_staff, kind="referral_follow_up").exists()

    def test_outsider_gets_404_on_every_referral_url(self, world: World, client: Client) -> None:
        referral = self.refer(world)
        login(client, world.outsider)
        assert client.get(f"/vermittlungen/{referral.pk}/").status_code == 404
        assert client.post(f"/vermittlungen/{referral.pk}/", {"status": "started"}).status_code == 404
        assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
        response = client.post(
            f"/api/v1/referrals/{referral.pk}/status/", {"status": "started"}, "application/json"
        )
        assert response.status_code == 404
        assert client.get("/api/v1/referrals/").json()["results"] == []
        assert "Pat.-Nr. 99" not in client.get("/vermittlungen/").content.decode()

    def test_reading_a_referral_is_on_record(self, world: World, client: Client) -> None:
        from schutznetz.audit.models import AuditEvent

        referral = self.refer(world)
        login(client, world.provider_staff)
        assert client.get(f"/vermittlungen/{referral.pk}/").status_code == 200
        assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
        reads = AuditEvent.objects.filter(
            actor=world.provider_staff, action="read", object_type="Referral", object_id=str(referral.pk)
        )
        assert reads.count() == 2

    def test_provider_sees_and_updates_through_the_api(self, world: World, client: Client) -> None:
        referral = self.refer(world)
        login(client, world.provider_staff)
        response = client.post(
            f"/api/v1/referrals/{referral.pk}/status/",
            {"status": "started", "note": "läuft"},
            "application/json",
        )
        assert response.status_code == 200
        assert [u["status"] for u in response.json()["updates"]] == ["referred", "started"]


class TestCatalogue:
    def test_filter_by_postal_code_keeps_network_wide_offers(self, world: World, client: Client) -> None:
        services.help_offer_create(
            actor=world.provider_staff,
            provider=world.net.provider,
            title="Erziehungsberatung",
            category=HelpCategory.PARENTING_COUNSELLING,
            target_group="Eltern",
            contact="0231 1",
        )
        login(client, world.outsider)
        titles = [o["title"] for o in client.get("/api/v1/help-offers/?postal_code=44787").json()["results"]]
        assert titles == ["Erziehungsberatung"]
        titles = [o["title"] for o in client.get("/api/v1/help-offers/?postal_code=44135").json()["results"]]
        assert titles == ["Erziehungsberatung", "Familienhebammen Nord"]
        assert client.get("/api/v1/help-offers/?postal_code=4413").status_code == 400
        assert client.get("/hilfeangebote/?postal_code=abc").status_code == 400

    def test_only_the_providers_coordination_adds_offers(self, world: World) -> None:
        with pytest.raises(PermissionDenied):
            services.help_offer_create(
                actor=world.outsider,
                provider=world.net.provider,
                title="x",
                category=HelpCategory.OTHER,
                target_group="x",
                contact="x",
            )
        with pytest.raises(ValidationError):
            services.help_offer_create(
                actor=world.provider_staff,
                provider=world.net.provider,
                title="x",
                category=HelpCategory.OTHER,
                target_group="x",
                contact="x",
                postal_codes=["4413"],
            )

    def test_query_counts_do_not_grow(self, world: World, client: Client) -> None:
        login(client, world.practice_staff)

        def counts() -> tuple[int, ...]:
            result = []
            for url in (
                "/hilfeangebote/",
                "/vermittlungen/",
                "/sprechstunden/",
                f"/sprechstunden/{world.hour.pk}/",
            ):
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(url).status_code == 200
                result.append(len(ctx.captured_queries))
            return tuple(result)

        TestReferrals().refer(world)  # an empty page skips its query; compare 1 with 31 rows
        book(world, next_weekday(2), time(9))
        small = counts()
        for i in range(30):
            offer = services.help_offer_create(
                actor=world.provider_staff,
                provider=world.net.provider,
                title=f"Angebot {i}",
                category=HelpCategory.OTHER,
                target_group="alle",
                contact="0231",
                postal_codes=["44135", "44139"],
            )
            services.referral_create(
                actor=world.practice_staff,
                offer=offer,
                from_organisation=world.net.practice,
                family_postal_code="44135",
                reference=f"Nr. {i}",
                consent_recorded=True,
            )
        for at in (time(9, 30), time(10), time(10, 30)):
            book(world, next_weekday(2), at)
        assert counts() == small


def test_demo_practices_have_consultation_hours_and_15_offers(db: None) -> None:
    from schutznetz.demo import seed_demo

    seed_demo()
    practices = set(
        ConsultationHour.objects.filter(practice__kind=OrganisationKind.PAEDIATRIC_PRACTICE).values_list(
            "practice_id", flat=True
        )
    )
    assert len(practices) >= 2
    assert HelpOffer.objects.count() >= 15
    assert Referral.objects.exists() and Membership.objects.exists()
