"""The regional network: organisations, their people, jurisdiction and on-call duty."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

POSTAL_CODE_RE = r"^\d{5}$"
postal_code_validator = RegexValidator(POSTAL_CODE_RE, "Bitte eine fünfstellige Postleitzahl angeben.")


class OrganisationKind(models.TextChoices):
    YOUTH_OFFICE = "youth_office", "Jugendamt"
    PAEDIATRIC_PRACTICE = "paediatric_practice", "Kinderarztpraxis"
    CHILD_PROTECTION_TEAM = "child_protection_team", "Klinik – Kinderschutzgruppe"
    CHILD_PSYCHIATRY_CLINIC = "child_psychiatry_clinic", "Klinik für Kinder- und Jugendpsychiatrie"
    CARE_PROVIDER = "care_provider", "Freier Träger der Jugendhilfe"
    CHILD_PROTECTION_CENTRE = "child_protection_centre", "Kinderschutzzentrum"
    COUNSELLING_CENTRE = "counselling_centre", "Beratungsstelle"
    AMBULANCE_SERVICE = "ambulance_service", "Rettungsdienst"
    FAMILY_COURT = "family_court", "Familiengericht"
    POLICE = "police", "Polizei"
    SCHOOL = "school", "Schule"
    DAYCARE = "daycare", "Kindertageseinrichtung (Kita)"
    SPORTS_CLUB = "sports_club", "Sportverein"


class FederalState(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Organisation(models.Model):
    name = models.CharField("Name", max_length=200, unique=True)
    kind = models.CharField("Art", max_length=40, choices=OrganisationKind.choices, db_index=True)
    description = models.TextField("Beschreibung", blank=True, max_length=2000)
    street = models.CharField("Straße und Hausnummer", max_length=200, blank=True)
    postal_code = models.CharField(
        "Postleitzahl", max_length=5, blank=True, validators=[postal_code_validator], db_index=True
    )
    city = models.CharField("Ort", max_length=100, blank=True, db_index=True)
    state = models.CharField(
        "Bundesland", max_length=2, choices=FederalState.choices, default=FederalState.NW
    )
    phone = models.CharField("Telefon (Zentrale)", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    website = models.URLField("Website", blank=True)
    is_active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Organisation"
        verbose_name_plural = "Organisationen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address_line(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)


class OrganisationUnit(models.Model):
    """A team or department, e.g. an ASD district team of a Jugendamt."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    name = models.CharField("Bezeichnung", max_length=200)
    phone = models.CharField("Telefon", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)

    class Meta:
        verbose_name = "Organisationseinheit"
        verbose_name_plural = "Organisationseinheiten"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class ContactChannelKind(models.TextChoices):
    PHONE = "phone", "Telefon"
    EMERGENCY_PHONE = "emergency_phone", "Notruf / Bereitschaftsnummer"
    FAX = "fax", "Fax"
    EMAIL = "email", "E-Mail"
    SECURE_EMAIL = "secure_email", "Verschlüsselte E-Mail"
    WEB = "web", "Website"


class ContactChannel(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contact_channels")
    kind = models.CharField("Art", max_length=20, choices=ContactChannelKind.choices)
    label = models.CharField("Bezeichnung", max_length=100)
    value = models.CharField("Kontakt", max_length=200)
    availability = models.CharField("Erreichbarkeit", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "Kontaktweg"
        verbose_name_plural = "Kontaktwege"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class Role(models.TextChoices):
    PROFESSIONAL = "professional", "Fachkraft"
    COORDINATOR = "coordinator", "Koordination"
    ADMIN = "admin", "Netzwerkadministration"


class Membership(models.Model):
    """A user acting for an organisation, with a role in it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        OrganisationUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField("Rolle", max_length=20, choices=Role.choices, default=Role.PROFESSIONAL)
    job_title = models.CharField(
        "Funktion", max_length=120, blank=True, help_text="z. B. Fachärztin für Kinder- und Jugendmedizin"
    )
    phone = models.CharField("Telefon (dienstlich)", max_length=40, blank=True)
    is_active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Mitgliedschaft"
        verbose_name_plural = "Mitgliedschaften"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]
        indexes = [models.Index(fields=["organisation", "is_active"], name="membership_org_active")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class JurisdictionArea(models.Model):
    """A postal code (or the part of a split postal code in one municipality) a youth office serves.

    ``municipality`` is empty when the youth office is competent for the whole postal code.
    """

    youth_office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="jurisdiction_areas",
        limit_choices_to={"kind": OrganisationKind.YOUTH_OFFICE},
    )
    postal_code = models.CharField("Postleitzahl", max_length=5, validators=[postal_code_validator])
    municipality = models.CharField("Gemeinde / Stadtteil", max_length=100, blank=True)
    municipality_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = "Zuständigkeitsgebiet"
        verbose_name_plural = "Zuständigkeitsgebiete"
        ordering = ["postal_code", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["postal_code", "municipality_key"], name="jurisdiction_unique_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.postal_code} {self.municipality}".strip()


class OnCallShift(models.Model):
    """One person of an organisation reachable in a time window (Rufbereitschaft)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="on_call_shifts")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="on_call_shifts")
    starts_at = models.DateTimeField("Beginn")
    ends_at = models.DateTimeField("Ende")
    phone = models.CharField("Telefon während des Dienstes", max_length=40)
    note = models.CharField("Hinweis", max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Rufbereitschaftsdienst"
        verbose_name_plural = "Rufbereitschaftsdienste"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="on_call_ends_after_start")
        ]
        indexes = [models.Index(fields=["organisation", "ends_at", "starts_at"], name="on_call_org_window")]

    def __str__(self) -> str:
        return f"{self.membership.user} {self.starts_at:%d.%m.%Y %H:%M}–{self.ends_at:%d.%m.%Y %H:%M}"
