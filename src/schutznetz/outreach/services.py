"""Writes in outreach: each checks the policy, validates, saves, audits and notifies in one transaction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schutznetz.audit.models import AuditAction
from schutznetz.audit.services import audit_object, audit_read
from schutznetz.cases.queries import known_identities
from schutznetz.network.agreements.queries import current_agreements, deadline
from schutznetz.network.models import POSTAL_CODE_RE, Membership, Organisation, OrganisationKind, ResponseUnit
from schutznetz.network.queries import coordinators_of
from schutznetz.notify.services import notify
from schutznetz.outreach import policy, queries
from schutznetz.outreach.models import (
    OPEN_REFERRAL,
    BookingOutcome,
    BookingStatus,
    ConsultationBooking,
    ConsultationHour,
    HelpOffer,
    HelpOfferArea,
    HourStatus,
    Referral,
    ReferralStatus,
    ReferralUpdate,
)
from schutznetz.people.screening import screen_texts

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

# A referral that has not moved on is followed up after this many working days (of the referring
# organisation's Land), computed by the one deadline service of the network.
FOLLOW_UP_WORKING_DAYS = 10

MSG_NOT_PRACTICE = "Sprechstunden finden in Kinder- und Jugendarztpraxen statt."
MSG_NOT_COORDINATOR = "Das kann die Koordination der Praxis oder der beratenden Stelle."
MSG_HOST_ONLY = "Ob die Sprechstunde in der Praxis stattfindet, entscheidet die Koordination der Praxis."
MSG_HOUR_ANSWERED = "Diese Anfrage wurde bereits beantwortet."
MSG_HOUR_NOT_ACTIVE = (
    "Diese Sprechstunde ist nicht vereinbart: Termine gibt es erst nach Zustimmung der Praxis."
)
MSG_COUNSELLOR_INACTIVE = "Die beratende Person ist nicht (mehr) Mitglied dieser Organisation."
MSG_HOUR_END = "Das Ende der Sprechstunde muss nach ihrem Beginn liegen."
MSG_HOUR_SHORT = "In die Sprechstunde passt kein einziger Termin dieser Dauer."
MSG_VALID_UNTIL = "Das Ende der Gültigkeit muss nach ihrem Beginn liegen."
MSG_BOOKING_NOT_ALLOWED = "Termine buchen die Praxis und die beratende Stelle."
MSG_CONSENT = (
    "Ohne dokumentierte Einwilligung der Familie keine Weitergabe: bitte holen Sie die Einwilligung "
    "ein und bestätigen Sie sie hier."
)
MSG_SLOT_UNKNOWN = "Zu dieser Zeit findet die Sprechstunde nicht statt."
MSG_SLOT_PAST = "Dieser Termin liegt in der Vergangenheit."
MSG_SLOT_TAKEN = "Dieser Termin ist bereits vergeben. Bitte einen freien Termin wählen."
MSG_BOOKING_CANCELLED = "Dieser Termin ist bereits abgesagt."
MSG_NO_NAMES = (
    "Bitte keine Namen, Geburtsdaten oder Anschriften eintragen ({found}): die Vermittlung ist "
    "pseudonymisiert. "
    "Verwenden Sie die Kennung Ihrer Einrichtung."
)
MSG_REFERENCE = "Bitte die Kennung der Familie in Ihrer Einrichtung angeben (z. B. Patientennummer)."
MSG_OFFER_NOT_ALLOWED = "Hilfeangebote pflegt die Koordination des Trägers."
MSG_POSTAL_CODE = "Bitte fünfstellige Postleitzahlen angeben."
MSG_OFFER_INACTIVE = "Dieses Angebot nimmt derzeit keine Vermittlungen an."
MSG_OUTSIDE_AREA = (
    "Das Angebot „{offer}“ ist für die Postleitzahl {postal_code} nicht zuständig. Es gilt für: {areas}."
)
MSG_NOT_A_MEMBER = "Sie handeln nicht für diese Organisation."
MSG_OUTCOME_NOT_ALLOWED = "Das Ergebnis hält die beratende Fachkraft fest."
MSG_OUTCOME_EARLY = "Das Ergebnis kann erst am Tag der Beratung festgehalten werden."
MSG_OUTCOME_RECORDED = "Das Ergebnis dieser Beratung ist bereits festgehalten."
MSG_BOOKING_NOT_YOURS = "Eine Vermittlung kann nur aus einer eigenen Beratung heraus verknüpft werden."
MSG_REFERRAL_CLOSED = "Diese Vermittlung ist abgeschlossen."
MSG_STATUS_BACK = "Die Vermittlung steht bereits auf „{current}“."


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _acting_org(actor: User, *candidates: int) -> int:
    for organisation_id in policy.organisation_ids(actor):
        if organisation_id in candidates:
            return organisation_id
    raise PermissionDenied(MSG_NOT_A_MEMBER)


record_read = audit_read


@transaction.atomic
def consultation_hour_create(
    *,
    actor: User,
    practice: Organisation,
    counsellor: Membership,
    weekday: int,
    start_time: time,
    end_time: time,
    slot_minutes: int = 30,
    location: str = "",
    valid_from: date,
    valid_until: date | None = None,
) -> ConsultationHour:
    """A weekly consultation hour of a counsellor in a paediatric practice."""
    if practice.kind != OrganisationKind.PAEDIATRIC_PRACTICE:
        raise _error("practice", MSG_NOT_PRACTICE)
    if not policy.coordinates(actor, practice.pk, counsellor.organisation_id):
        raise PermissionDenied(MSG_NOT_COORDINATOR)
    if not (counsellor.is_active and counsellor.user.is_active):
        raise _error("counsellor", MSG_COUNSELLOR_INACTIVE)
    if end_time <= start_time:
        raise _error("end_time", MSG_HOUR_END)
    if valid_until is not None and valid_until < valid_from:
        raise _error("valid_until", MSG_VALID_UNTIL)
    hour = ConsultationHour(
        practice=practice,
        counsellor=counsellor.user,
        counsellor_organisation=counsellor.organisation,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        location=location.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor,
    )
    if not queries.slot_starts(hour):
        raise _error("slot_minutes", MSG_HOUR_SHORT)
    # The host consents by setting it up, or has agreed in a cooperation agreement; otherwise asked.
    agreed = current_agreements([practice.pk, counsellor.organisation_id], valid_from).exists()
    if policy.coordinates(actor, practice.pk) or agreed:
        hour.status = HourStatus.ACTIVE
    hour.save()
    audit_object(
        actor,
        practice.pk,
        AuditAction.CREATE,
        hour,
        "Sprechstunde einrichten",
        status=hour.status,
        agreed=agreed,
    )
    if hour.status == HourStatus.PROPOSED:
        notify(
            recipients=coordinators_of(practice.pk),
            kind="consultation_hour_proposed",
            title=f"Sprechstunde in Ihrer Praxis angefragt: {counsellor.organisation.name}",
            body=(
                f"{actor.display_name} ({counsellor.organisation.name}) möchte eine Sprechstunde "
                f"{hour.get_weekday_display()}s {hour.start_time:%H:%M}–{hour.end_time:%H:%M} Uhr in Ihrer "
                "Praxis einrichten. Sie findet erst statt, wenn die Praxis zustimmt."
            ),
            url=reverse("outreach:hour", args=[hour.pk]),
        )
    return hour


@transaction.atomic
def consultation_hour_answer(*, actor: User, hour: ConsultationHour, accept: bool) -> ConsultationHour:
    """The host practice's coordination agrees to a proposed consultation hour, or declines it."""
    if not policy.coordinates(actor, hour.practice_id):
        raise PermissionDenied(MSG_HOST_ONLY)
    hour = ConsultationHour.objects.select_for_update().select_related("practice").get(pk=hour.pk)
    if hour.status != HourStatus.PROPOSED:
        raise ValidationError(MSG_HOUR_ANSWERED)
    hour.status = HourStatus.ACTIVE if accept else HourStatus.DECLINED
    hour.answered_by, hour.answered_at = actor, timezone.now()
    hour.save(update_fields=["status", "answered_by", "answered_at"])
    audit_object(
        actor, hour.practice_id, AuditAction.UPDATE, hour, "Sprechstunde beantworten", status=hour.status
    )
    notify(
        recipients=[hour.created_by, *coordinators_of(hour.counsellor_organisation_id)],
        kind="consultation_hour_answered",
        title=f"Sprechstunde in {hour.practice.name}: {hour.get_status_display()}",
        body=f"{actor.display_name} hat die Sprechstunde {'zugesagt' if accept else 'abgelehnt'}.",
        url=reverse("outreach:hour", args=[hour.pk]),
    )
    return hour


@transaction.atomic
def booking_create(
    *,
    actor: User,
    hour: ConsultationHour,
    day: date,
    slot_start: time,
    reference: str,
    topic: str,
    consent_recorded: bool,
    now: datetime | None = None,
) -> ConsultationBooking:
    """Book a family into a free slot: pseudonymised (the practice's own reference), with consent."""
    if not policy.takes_part_in_hour(actor, hour):
        raise PermissionDenied(MSG_BOOKING_NOT_ALLOWED)
    if hour.status != HourStatus.ACTIVE:
        raise ValidationError(MSG_HOUR_NOT_ACTIVE)
    if not consent_recorded:
        raise _error("consent_recorded", MSG_CONSENT)
    if not reference.strip():
        raise _error("reference", MSG_REFERENCE)
    screen_texts(MSG_NO_NAMES, actor=actor, known=known_identities(actor), reference=reference, topic=topic)
    now = timezone.localtime(now or timezone.now())
    takes_place = (
        day.weekday() == hour.weekday
        and hour.valid_from <= day
        and (hour.valid_until is None or day <= hour.valid_until)
    )
    if not takes_place or slot_start not in queries.slot_starts(hour):
        raise _error("slot", MSG_SLOT_UNKNOWN)
    if datetime.combine(day, slot_start, tzinfo=now.tzinfo) < now:
        raise _error("slot", MSG_SLOT_PAST)
    try:
        with transaction.atomic():
            booking = ConsultationBooking.objects.create(
                hour=hour,
                date=day,
                slot_start=slot_start,
                reference=reference.strip(),
                topic=topic.strip(),
                consent_recorded=True,
                booked_by=actor,
            )
    except IntegrityError:
        raise _error("slot", MSG_SLOT_TAKEN) from None
    audit_object(
        actor,
        _acting_org(actor, hour.practice_id, hour.counsellor_organisation_id),
        AuditAction.CREATE,
        booking,
        "Termin in der Sprechstunde buchen",
    )
    if hour.counsellor_id != actor.pk:
        notify(
            recipients=[hour.counsellor],
            kind="consultation_booking",
            title=f"Neuer Termin in Ihrer Sprechstunde am {day:%d.%m.%Y} um {slot_start:%H:%M} Uhr",
            body=f"{hour.practice.name} hat einen Termin in Ihrer Sprechstunde gebucht.",
            url=reverse("outreach:hour", args=[hour.pk]),
        )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: ConsultationBooking) -> ConsultationBooking:
    booking = ConsultationBooking.objects.select_for_update().select_related("hour").get(pk=booking.pk)
    if not policy.takes_part_in_hour(actor, booking.hour):
        raise PermissionDenied(MSG_BOOKING_NOT_ALLOWED)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(MSG_BOOKING_CANCELLED)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    organisation = _acting_org(actor, booking.hour.practice_id, booking.hour.counsellor_organisation_id)
    audit_object(actor, organisation, AuditAction.UPDATE, booking, "Termin in der Sprechstunde absagen")
    return booking


@transaction.atomic
def booking_outcome_record(
    *,
    actor: User,
    booking: ConsultationBooking,
    outcome: str,
    note: str = "",
    shared: bool = False,
    now: datetime | None = None,
) -> ConsultationBooking:
    """The counsellor records what came of a consultation. The practice that booked it is told —
    the outcome itself only where the family agreed (``shared``), otherwise whether it came."""
    booking = (
        ConsultationBooking.objects.select_for_update(of=("self",))
        .select_related("hour__practice", "booked_by")
        .get(pk=booking.pk)
    )
    if not policy.counsels_in_hour(actor, booking.hour):
        raise PermissionDenied(MSG_OUTCOME_NOT_ALLOWED)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(MSG_BOOKING_CANCELLED)
    if booking.outcome:
        raise _error("outcome", MSG_OUTCOME_RECORDED)
    now = now or timezone.now()
    if booking.date > timezone.localdate(now):
        raise _error("outcome", MSG_OUTCOME_EARLY)
    screen_texts(MSG_NO_NAMES, actor=actor, known=known_identities(actor), note=note)
    booking.outcome, booking.outcome_note, booking.outcome_shared = outcome, note.strip(), shared
    booking.outcome_recorded_at, booking.outcome_recorded_by = now, actor
    booking.save(
        update_fields=[
            "outcome",
            "outcome_note",
            "outcome_shared",
            "outcome_recorded_at",
            "outcome_recorded_by",
        ]
    )
    organisation = _acting_org(actor, booking.hour.counsellor_organisation_id)
    audit_object(actor, organisation, AuditAction.UPDATE, booking, "Ergebnis der Beratung festhalten")
    when = f"{booking.date:%d.%m.%Y} {booking.slot_start:%H:%M}"
    if outcome == BookingOutcome.NO_SHOW:
        told = "Die Familie ist nicht erschienen."
    elif shared:
        told = f"Ergebnis: {booking.get_outcome_display()}."
    else:
        told = "Die Beratung hat stattgefunden; ihr Ergebnis bleibt ohne Einwilligung vertraulich."
    notify(
        recipients=[booking.booked_by],
        kind="booking_outcome",
        title=f"Sprechstunde am {when} ({booking.reference})",
        body=told,
        url=reverse("outreach:my_hours"),
    )
    return booking


def _postal_codes(codes: Sequence[str]) -> list[str]:
    cleaned = sorted({c.strip() for c in codes if c.strip()})
    if any(not re.fullmatch(POSTAL_CODE_RE, c) for c in cleaned):
        raise _error("postal_codes", MSG_POSTAL_CODE)
    return cleaned


@transaction.atomic
def help_offer_create(
    *,
    actor: User,
    provider: Organisation,
    title: str,
    category: str,
    target_group: str,
    contact: str,
    description: str = "",
    capacity_note: str = "",
    waiting_weeks: int | None = None,
    postal_codes: Sequence[str] = (),
) -> HelpOffer:
    """An offer in the network's catalogue; without postal codes it serves the whole network."""
    if not policy.coordinates(actor, provider.pk):
        raise PermissionDenied(MSG_OFFER_NOT_ALLOWED)
    codes = _postal_codes(postal_codes)
    offer = HelpOffer.objects.create(
        provider=provider,
        title=title.strip(),
        category=category,
        target_group=target_group.strip(),
        contact=contact.strip(),
        description=description.strip(),
        capacity_note=capacity_note.strip(),
        waiting_weeks=waiting_weeks,
    )
    HelpOfferArea.objects.bulk_create([HelpOfferArea(offer=offer, postal_code=c) for c in codes])
    audit_object(actor, provider.pk, AuditAction.CREATE, offer, "Hilfeangebot anlegen")
    return offer


def _provider_staff(offer: HelpOffer) -> list[User]:
    return [
        m.user
        for m in Membership.objects.working()
        .filter(organisation_id=offer.provider_id, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _follow_up(organisation: Organisation) -> date:
    due = deadline(timezone.now(), FOLLOW_UP_WORKING_DAYS, ResponseUnit.WORKING_DAYS, organisation.state)
    return timezone.localdate(due)


@transaction.atomic
def referral_create(
    *,
    actor: User,
    offer: HelpOffer,
    from_organisation: Organisation,
    family_postal_code: str,
    reference: str,
    consent_recorded: bool,
    note: str = "",
    booking: ConsultationBooking | None = None,
) -> Referral:
    """Refer a family to an offer that serves its postal code; followed up if nothing moves.
    ``booking``: the consultation in a practice the referral came from (the counsellor's own)."""
    if from_organisation.pk not in policy.organisation_ids(actor):
        raise PermissionDenied(MSG_NOT_A_MEMBER)
    if booking is not None and not policy.counsels_in_hour(actor, booking.hour):
        raise _error("booking", MSG_BOOKING_NOT_YOURS)
    if not consent_recorded:
        raise _error("consent_recorded", MSG_CONSENT)
    if not offer.is_active:
        raise _error("offer", MSG_OFFER_INACTIVE)
    postal_code = family_postal_code.strip()
    if not re.fullmatch(POSTAL_CODE_RE, postal_code):
        raise _error("family_postal_code", MSG_POSTAL_CODE)
    areas = sorted(a.postal_code for a in offer.areas.all())
    if areas and postal_code not in areas:
        raise _error(
            "family_postal_code",
            MSG_OUTSIDE_AREA.format(offer=offer.title, postal_code=postal_code, areas=", ".join(areas)),
        )
    if not reference.strip():
        raise _error("reference", MSG_REFERENCE)
    screen_texts(MSG_NO_NAMES, actor=actor, known=known_identities(actor), reference=reference, note=note)
    referral = Referral.objects.create(
        offer=offer,
        from_organisation=from_organisation,
        referred_by=actor,
        family_postal_code=postal_code,
        reference=reference.strip(),
        note=note.strip(),
        consent_recorded=True,
        follow_up_on=_follow_up(from_organisation),
        booking=booking,
    )
    ReferralUpdate.objects.create(
        referral=referral, status=ReferralStatus.REFERRED, by=actor, organisation=from_organisation
    )
    audit_object(
        actor, from_organisation.pk, AuditAction.DISCLOSE, referral, "Familie an Hilfeangebot vermitteln"
    )
    notify(
        recipients=_provider_staff(offer),
        kind="referral_new",
        title=f"Neue Vermittlung zu „{offer.title}“",
        body=f"{from_organisation.name} vermittelt eine Familie (PLZ {postal_code}) an Ihr Angebot.",
        url=reverse("outreach:referral", args=[referral.pk]),
    )
    return referral


@transaction.atomic
def referral_status_set(*, actor: User, referral: Referral, status: str, note: str = "") -> Referral:
    """Record the next step of a referral: contacted, started, declined or no response."""
    referral = (
        Referral.objects.select_for_update().select_related("offer", "from_organisation").get(pk=referral.pk)
    )
    if not policy.takes_part_in_referral(actor, referral):
        raise PermissionDenied(MSG_NOT_A_MEMBER)
    if referral.status not in OPEN_REFERRAL:
        raise _error("status", MSG_REFERRAL_CLOSED)
    if status == referral.status or status == ReferralStatus.REFERRED:
        raise _error("status", MSG_STATUS_BACK.format(current=referral.get_status_display()))
    screen_texts(MSG_NO_NAMES, actor=actor, known=known_identities(actor), note=note)
    organisation = _acting_org(actor, referral.from_organisation_id, referral.offer.provider_id)
    referral.status = status
    referral.follow_up_on = _follow_up(referral.from_organisation)
    referral.reminder_sent_at = None
    referral.save(update_fields=["status", "follow_up_on", "reminder_sent_at"])
    ReferralUpdate.objects.create(
        referral=referral, status=status, note=note.strip(), by=actor, organisation_id=organisation
    )
    audit_object(actor, organisation, AuditAction.UPDATE, referral, "Stand der Vermittlung erfassen")
    if referral.referred_by_id != actor.pk:
        notify(
            recipients=[referral.referred_by],
            kind="referral_status",
            title=f"Vermittlung {referral.reference}: {referral.get_status_display()}",
            body=(
                f"Neuer Stand Ihrer Vermittlung zu „{referral.offer.title}“: {referral.get_status_display()}."
            ),
            url=reverse("outreach:referral", args=[referral.pk]),
        )
    return referral


def send_referral_reminders(*, now: datetime | None = None) -> int:
    """Remind the referring person of open referrals whose follow-up day has come, once per step."""
    today = timezone.localdate(now or timezone.now())
    due = Referral.objects.filter(
        status__in=OPEN_REFERRAL, follow_up_on__lte=today, reminder_sent_at=None
    ).select_related("offer", "referred_by")
    count = 0
    for referral in due:
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, reminder_sent_at=None).update(
                reminder_sent_at=timezone.now()
            ):
                continue
            notify(
                recipients=[referral.referred_by],
                kind="referral_follow_up",
                title=f"Vermittlung {referral.reference} nachhalten",
                body=(
                    f"Ihre Vermittlung zu „{referral.offer.title}“ steht seit "
                    f"{FOLLOW_UP_WORKING_DAYS} Arbeitstagen auf „{referral.get_status_display()}“. "
                    "Bitte beim Angebot nachfragen und den Stand erfassen."
                ),
                url=reverse("outreach:referral", args=[referral.pk]),
            )
            count += 1
    return count
