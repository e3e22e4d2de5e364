"""Outreach: counsellors' consultation hours inside paediatric practices, the catalogue of help
offers, and referrals of families to an offer, tracked to their outcome.

Nothing here names a family: bookings and referrals carry the referring practice's own reference
(e.g. a patient number) and the family's recorded consent; the family meets the counsellor or the
provider in person.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from schutznetz.network.models import postal_code_validator


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Montag"
    TUESDAY = 1, "Dienstag"
    WEDNESDAY = 2, "Mittwoch"
    THURSDAY = 3, "Donnerstag"
    FRIDAY = 4, "Freitag"
    SATURDAY = 5, "Samstag"
    SUNDAY = 6, "Sonntag"


class HourStatus(models.TextChoices):
    PROPOSED = "proposed", "angefragt (wartet auf Zustimmung der Praxis)"
    ACTIVE = "active", "vereinbart"
    DECLINED = "declined", "von der Praxis abgelehnt"


class ConsultationHour(models.Model):
    """A counsellor of a Jugendamt, care provider or counselling centre, weekly in a practice.

    It takes place only with the host practice's consent: the practice sets it up itself, a
    cooperation agreement between the two organisations covers it, or the practice accepts it.
    """

    practice = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="consultation_hours"
    )
    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counsellor_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField("Wochentag", choices=Weekday.choices)
    start_time = models.TimeField("von")
    end_time = models.TimeField("bis")
    slot_minutes = models.PositiveSmallIntegerField(
        "Dauer eines Termins (Minuten)",
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(120)],
    )
    location = models.CharField("Raum", max_length=200, blank=True)
    valid_from = models.DateField("ab")
    valid_until = models.DateField("bis einschließlich", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField("Stand", max_length=10, choices=HourStatus.choices, default=HourStatus.PROPOSED)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Sprechstunde der Jugendhilfe in der Praxis"
        verbose_name_plural = "Sprechstunden der Jugendhilfe in Praxen"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="consultation_hour_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M} ({self.practice_id})"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "gebucht"
    CANCELLED = "cancelled", "abgesagt"


class BookingOutcome(models.TextChoices):
    """What came of a consultation (Dortmund: "Jugendhilfe vor Ort in pädiatrischen Praxen")."""

    ADVICE_GIVEN = "advice_given", "Beratung erfolgt"
    REFERRAL_MADE = "referral_made", "in eine Hilfe vermittelt"
    HOME_VISIT_AGREED = "home_visit_agreed", "Hausbesuch vereinbart"
    NO_SHOW = "no_show", "nicht erschienen"


class ConsultationBooking(models.Model):
    hour = models.ForeignKey(ConsultationHour, on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField("Datum")
    slot_start = models.TimeField("Uhrzeit")
    reference = models.CharField("Kennung in der Praxis", max_length=40)
    topic = models.CharField("Anliegen", max_length=300)
    consent_recorded = models.BooleanField("Einwilligung der Familie liegt vor")
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)
    # Recorded by the counsellor; the practice reads the outcome itself only where the family agreed
    # (``outcome_shared``), otherwise only whether the family came.
    outcome = models.CharField("Ergebnis", max_length=20, choices=BookingOutcome.choices, blank=True)
    outcome_note = models.CharField("Vermerk zum Ergebnis", max_length=500, blank=True)
    outcome_shared = models.BooleanField(
        "Die Familie ist einverstanden, dass die Praxis das Ergebnis erfährt", default=False
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Termin in der Sprechstunde"
        verbose_name_plural = "Termine in Sprechstunden"
        constraints = [
            # One family per slot: a second booking of a taken slot fails in the database too.
            models.UniqueConstraint(
                fields=["hour", "date", "slot_start"],
                condition=Q(status="booked"),
                name="booking_one_per_slot",
            ),
            models.CheckConstraint(condition=Q(consent_recorded=True), name="booking_needs_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot_start:%H:%M}"


class HelpCategory(models.TextChoices):
    EARLY_SUPPORT = "early_support", "Frühe Hilfen"
    FAMILY_MIDWIFE = "family_midwife", "Familienhebamme / FGKiKP"
    PARENTING_COUNSELLING = "parenting_counselling", "Erziehungsberatung"
    CRYING_CLINIC = "crying_clinic", "Schreiambulanz"
    FAMILY_SUPPORT = "family_support", "Sozialpädagogische Familienhilfe"
    PARENT_CHILD_GROUP = "parent_child_group", "Eltern-Kind-Gruppe / Elterncafé"
    ADDICTION_COUNSELLING = "addiction_counselling", "Suchtberatung für Eltern"
    VIOLENCE_COUNSELLING = "violence_counselling", "Beratung bei häuslicher Gewalt"
    SEXUAL_VIOLENCE_COUNSELLING = "sexual_violence_counselling", "Fachberatung bei sexualisierter Gewalt"
    CHILD_THERAPY = "child_therapy", "Kinder- und jugendpsychotherapeutisches Angebot"
    OTHER = "other", "Weiteres Angebot"


class HelpOffer(models.Model):
    provider = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="help_offers")
    title = models.CharField("Bezeichnung", max_length=200)
    category = models.CharField(
        "Art des Angebots", max_length=30, choices=HelpCategory.choices, db_index=True
    )
    target_group = models.CharField("Zielgruppe", max_length=300)
    description = models.TextField("Beschreibung", max_length=3000, blank=True)
    contact = models.CharField("Kontakt", max_length=200)
    capacity_note = models.CharField("Kapazität", max_length=200, blank=True)
    waiting_weeks = models.PositiveSmallIntegerField(
        "Wartezeit (Wochen)", null=True, blank=True, validators=[MaxValueValidator(104)]
    )
    is_active = models.BooleanField("nimmt Vermittlungen an", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Hilfeangebot"
        verbose_name_plural = "Hilfeangebote"

    def __str__(self) -> str:
        return self.title


class HelpOfferArea(models.Model):
    """A postal code the offer serves. An offer without areas serves the whole network."""

    offer = models.ForeignKey(HelpOffer, on_delete=models.CASCADE, related_name="areas")
    postal_code = models.CharField(max_length=5, validators=[postal_code_validator])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "postal_code"], name="help_offer_area_once")]
        indexes = [models.Index(fields=["postal_code"], name="help_offer_area_code")]

    def __str__(self) -> str:
        return self.postal_code


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "vermittelt"
    CONTACTED = "contacted", "Kontakt aufgenommen"
    STARTED = "started", "Hilfe begonnen"
    DECLINED = "declined", "abgelehnt"
    NO_RESPONSE = "no_response", "keine Rückmeldung der Familie"


OPEN_REFERRAL = [ReferralStatus.REFERRED, ReferralStatus.CONTACTED]


class Referral(models.Model):
    offer = models.ForeignKey(HelpOffer, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    family_postal_code = models.CharField(
        "Postleitzahl der Familie", max_length=5, validators=[postal_code_validator]
    )
    reference = models.CharField("Kennung bei der vermittelnden Stelle", max_length=40)
    note = models.CharField("Anliegen", max_length=500, blank=True)
    consent_recorded = models.BooleanField("Einwilligung der Familie liegt vor")
    status = models.CharField(max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    follow_up_on = models.DateField("nachhalten am")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The consultation in a practice it came from, if any.
    booking = models.ForeignKey(
        ConsultationBooking, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )

    class Meta:
        verbose_name = "Vermittlung"
        verbose_name_plural = "Vermittlungen"
        constraints = [
            models.CheckConstraint(condition=Q(consent_recorded=True), name="referral_needs_consent")
        ]
        indexes = [
            models.Index(fields=["from_organisation", "-created_at"], name="referral_from_created"),
            models.Index(fields=["status", "follow_up_on"], name="referral_status_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} → {self.offer_id}"


class ReferralUpdate(models.Model):
    """One step of a referral's course: who recorded which status when."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=15, choices=ReferralStatus.choices)
    note = models.CharField("Vermerk", max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.status
