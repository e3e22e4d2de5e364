"""The regional network: organisations, their people, jurisdiction and on-call duty."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator, validate_email
from django.db import models
from django.db.models import F, Q

from schutznetz.kit.folding import fold

POSTAL_CODE_RE = r"^\d{5}$"
postal_code_validator = RegexValidator(POSTAL_CODE_RE, "Bitte eine fünfstellige Postleitzahl angeben.")


def _keep_search_key(instance: Any, field: str, save_kwargs: dict[str, Any]) -> None:
    """``search_key`` follows the name (``kit.folding``), also in a save of named fields."""
    instance.search_key = fold(getattr(instance, field))
    fields = save_kwargs.get("update_fields")
    if fields is not None and field in fields:
        save_kwargs["update_fields"] = {*fields, "search_key"}


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


# Who bills the EBM (Einheitlicher Bewertungsmaßstab) codes of child protection — 01681 (report to
# the Jugendamt) and 01682 (a physician in a case conference the Jugendamt initiated): the
# contracted practices. A hospital's inpatient child-protection team codes OPS 1-945 instead.
EBM_PROVIDER_KINDS = (OrganisationKind.PAEDIATRIC_PRACTICE,)

# Health care: in these organisations the members of a health profession (``MEDICAL_PROFESSIONS``)
# act for it in medical matters — the report to the Jugendamt included — and read its findings.
HEALTH_CARE_KINDS = frozenset(
    {
        OrganisationKind.PAEDIATRIC_PRACTICE,
        OrganisationKind.CHILD_PROTECTION_TEAM,
        OrganisationKind.CHILD_PSYCHIATRY_CLINIC,
        OrganisationKind.AMBULANCE_SERVICE,
    }
)
# Who does not report to the Jugendamt through the network's report form: the Jugendamt itself, and
# the police and the family court, which inform it on their own legal bases and channels.
NOT_REPORTING_KINDS = frozenset(
    {OrganisationKind.YOUTH_OFFICE, OrganisationKind.POLICE, OrganisationKind.FAMILY_COURT}
)


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


def sms_gateway_validator(value: str) -> None:
    if value.count("{telefon}") != 1:
        raise ValidationError("Die Adresse braucht genau einmal den Platzhalter {telefon}.")
    try:
        validate_email(value.replace("{telefon}", "491701234567"))
    except ValidationError:
        raise ValidationError("Das ist keine gültige E-Mail-Adresse (mit {telefon} als Nummer).") from None


def webhook_url_validator(value: str) -> None:
    """HTTPS only; plain HTTP only to this machine (a local alerting system)."""
    if not value.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValidationError("Bitte eine https://-Adresse angeben.")
    URLValidator(schemes=["https", "http"])(value.replace("localhost", "127.0.0.1"))


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
    # Further ways a crisis alert reaches the organisation's people on call (besides inbox and mail).
    alert_sms_gateway = models.CharField(
        "SMS-Gateway für Krisenalarme",
        max_length=200,
        blank=True,
        validators=[sms_gateway_validator],
        help_text="E-Mail-Adresse Ihres SMS-Gateways mit dem Platzhalter {telefon} für die Nummer der "
        "Rufbereitschaft, z. B. {telefon}@sms.example.org",
    )
    alert_webhook_url = models.CharField(
        "Webhook für Krisenalarme",
        max_length=300,
        blank=True,
        validators=[webhook_url_validator],
        help_text="HTTPS-Adresse Ihres Alarmierungssystems (z. B. Pager); jede Alarmierung wird mit "
        "HMAC-SHA256 signiert.",
    )
    alert_webhook_secret = models.CharField(max_length=64, blank=True, editable=False)
    is_active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_key = models.CharField(max_length=200, blank=True, editable=False)  # the name, folded

    class Meta:
        verbose_name = "Organisation"
        verbose_name_plural = "Organisationen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        _keep_search_key(self, "name", kwargs)
        super().save(*args, **kwargs)

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
    search_key = models.CharField(max_length=200, blank=True, editable=False)  # the name, folded

    class Meta:
        verbose_name = "Organisationseinheit"
        verbose_name_plural = "Organisationseinheiten"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        _keep_search_key(self, "name", kwargs)
        super().save(*args, **kwargs)


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
    # Answers for the organisation's processing (Art. 37–39 DSGVO): reads its access log, no cases.
    DATA_PROTECTION = "data_protection", "Datenschutzbeauftragte/r"


class Profession(models.TextChoices):
    """A member's profession: who may read medical content (``MEDICAL_PROFESSIONS``) and how the
    network sees its people. Blank until the organisation records it."""

    PHYSICIAN = "physician", "Ärztin/Arzt"
    MEDICAL_ASSISTANT = "medical_assistant", "Medizinische Fachangestellte/r"
    NURSE = "nurse", "Pflegefachkraft"
    MIDWIFE = "midwife", "Hebamme/Entbindungspfleger"
    PSYCHOLOGIST = "psychologist", "Psychologin/Psychologe, Psychotherapeutin/-therapeut"
    PARAMEDIC = "paramedic", "Notfallsanitäterin/-sanitäter"
    SOCIAL_WORKER = "social_worker", "Sozialpädagogin/-pädagoge, Sozialarbeiterin/-arbeiter"
    CHILD_PROTECTION_SPECIALIST = "child_protection_specialist", "insoweit erfahrene Fachkraft"
    EDUCATOR = "educator", "Erzieherin/Erzieher"
    TEACHER = "teacher", "Lehrkraft"
    POLICE = "police", "Polizeibeamtin/-beamter"
    JUDICIARY = "judiciary", "Richterin/Richter, Justiz"
    ADMINISTRATION = "administration", "Verwaltung"
    OTHER = "other", "anderer Beruf"


# The health professions of § 4 Abs. 1 Nr. 1 KKG and those who assist them in the practice: they may
# read medical content (findings, photos) of the cases their organisation takes part in.
MEDICAL_PROFESSIONS = frozenset(
    {
        Profession.PHYSICIAN,
        Profession.MEDICAL_ASSISTANT,
        Profession.NURSE,
        Profession.MIDWIFE,
        Profession.PSYCHOLOGIST,
        Profession.PARAMEDIC,
    }
)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def working(self) -> MembershipQuerySet:
        """Active memberships that take part in case work: not those of data-protection officers,
        who read the access log and nothing of the cases themselves."""
        return self.filter(is_active=True).exclude(role=Role.DATA_PROTECTION)


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
    profession = models.CharField("Beruf", max_length=40, choices=Profession.choices, blank=True)
    phone = models.CharField("Telefon (dienstlich)", max_length=40, blank=True)
    is_active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "Mitgliedschaft"
        verbose_name_plural = "Mitgliedschaften"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]
        indexes = [models.Index(fields=["organisation", "is_active"], name="membership_org_active")]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def is_medical(self) -> bool:
        """A health profession (``MEDICAL_PROFESSIONS``); the policy of medical content asks this."""
        return self.profession in MEDICAL_PROFESSIONS


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


class HandoverKind(models.TextChoices):
    """The hand-overs a cooperation agreement sets response times for (Schnittstellen)."""

    REPORT_TO_YOUTH_OFFICE = "report_to_youth_office", "Mitteilung an das Jugendamt (§ 4 Abs. 3 KKG)"
    MEDICAL_ASSESSMENT = "medical_assessment", "Anfrage einer medizinischen Abklärung"
    CONSULTATION = "consultation", "Pseudonymisierte Fallberatung (§ 4 Abs. 2 KKG)"
    FEEDBACK_TO_REPORTER = "feedback_to_reporter", "Rückmeldung an die meldende Stelle (§ 4 Abs. 4 KKG)"
    CASE_CONFERENCE = "case_conference", "Teilnahme an einer Fallkonferenz"
    DISCHARGE_HELP_PLANNING = (
        "discharge_help_planning",
        "Hilfeplanung nach Entlassung aus der Kinder- und Jugendpsychiatrie",
    )
    CRISIS = "crisis", "Krisenfall"
    MOVE = "move", "Übergabe bei Wegzug der Familie (§ 8a Abs. 6 SGB VIII)"
    CASE_INVITATION = "case_invitation", "Einladung zur Mitarbeit in einem Fall"
    LEAD_HANDOVER = "lead_handover", "Übernahme der Fallführung"


class Urgency(models.TextChoices):
    URGENT = "urgent", "dringend"
    NORMAL = "normal", "regulär"


class ResponseUnit(models.TextChoices):
    MINUTES = "minutes", "Minuten"  # the acknowledgement of a crisis alert
    HOURS = "hours", "Stunden"
    WORKING_DAYS = "working_days", "Arbeitstage"
    CALENDAR_DAYS = "calendar_days", "Kalendertage"


class CooperationAgreement(models.Model):
    """A cooperation agreement (Kooperationsvereinbarung) between organisations, in versions.

    A change is a new version (``predecessor``); the old version stays readable and ends the day
    before the new one starts.
    """

    title = models.CharField("Bezeichnung", max_length=200)
    parties = models.ManyToManyField(Organisation, related_name="agreements", verbose_name="Vertragsparteien")
    valid_from = models.DateField("gültig ab")
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    state = models.CharField(
        "Bundesland (Feiertage)", max_length=2, choices=FederalState.choices, default=FederalState.NW
    )
    version = models.PositiveIntegerField(default=1)
    predecessor = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor"
    )
    document = models.FileField("Unterzeichnetes Dokument (PDF)", upload_to="agreements/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the last party has accepted: only then does the agreement take effect.
    in_force_since = models.DateTimeField("in Kraft seit", null=True, blank=True)

    class Meta:
        verbose_name = "Kooperationsvereinbarung"
        verbose_name_plural = "Kooperationsvereinbarungen"
        ordering = ["title", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="agreement_valid_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (Version {self.version})"


class AgreementAcceptance(models.Model):
    """A party's consent to an agreement version, given by its coordination."""

    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.PROTECT, related_name="acceptances")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        verbose_name = "Zustimmung zu einer Vereinbarung"
        verbose_name_plural = "Zustimmungen zu Vereinbarungen"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="acceptance_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.agreement_id}"


class AgreementClause(models.Model):
    """For one kind of hand-over and urgency: who is responsible, by when, through which channel."""

    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.PROTECT, related_name="clauses")
    handover_kind = models.CharField("Art der Übergabe", max_length=40, choices=HandoverKind.choices)
    urgency = models.CharField("Dringlichkeit", max_length=10, choices=Urgency.choices)
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="verantwortlich"
    )
    response_value = models.PositiveIntegerField("Reaktionszeit")
    response_unit = models.CharField("Einheit", max_length=20, choices=ResponseUnit.choices)
    contact_channel = models.CharField("Kontaktweg", max_length=200, blank=True)

    class Meta:
        verbose_name = "Regelung"
        verbose_name_plural = "Regelungen"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "handover_kind", "urgency", "responsible"], name="clause_unique_terms"
            ),
            models.CheckConstraint(condition=Q(response_value__gt=0), name="clause_response_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_handover_kind_display()} ({self.get_urgency_display()})"


class CrisisRosterEntry(models.Model):
    """Who is alerted in a crisis under this agreement: an organisation's people in a role."""

    agreement = models.ForeignKey(
        CooperationAgreement, on_delete=models.PROTECT, related_name="crisis_roster"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("Rolle", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "Krisenalarmierung"
        verbose_name_plural = "Krisenalarmierung"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation", "role"], name="crisis_roster_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class KnowledgeArticle(models.Model):
    """Shared knowledge of the network (Wissensdatenbank): guidelines, checklists, interface descriptions.

    Versions like agreements: a revision is a new row with ``predecessor``; only the newest version
    of an article is listed and searched. ``audiences`` lists organisation kinds; empty means all.
    Full-text search (``kit.german_search``): the service stores the stems of title and body;
    PostgreSQL indexes them in a generated ``tsvector`` column, SQLite in an FTS5 table (migrations).
    """

    title = models.CharField("Titel", max_length=200)
    body = models.TextField("Text", max_length=50000)
    tags = models.JSONField("Schlagwörter", default=list, blank=True)
    audiences = models.JSONField("Zielgruppen", default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    predecessor = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor"
    )
    is_current = models.BooleanField(default=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    search_title = models.TextField(default="", editable=False)
    search_body = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = "Wissensartikel"
        verbose_name_plural = "Wissensartikel"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SearchSynonym(models.Model):
    """Expressions that mean the same in a search of the knowledge base ("KWG", "Kindeswohlgefährdung"),
    kept by the coordinations; a query for one finds the others."""

    expressions = models.JSONField("Begriffe", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Synonym der Suche"
        verbose_name_plural = "Synonyme der Suche"
        ordering = ["id"]

    def __str__(self) -> str:
        return " = ".join(self.expressions)


class KnowledgeAttachment(models.Model):
    """A file of an article version (form, checklist, signed interface description).

    A revision of the article carries its attachments forward as new rows on the same stored file;
    the file is served only to users who may read the article.
    """

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="knowledge/")
    name = models.CharField("Dateiname", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Anhang"
        verbose_name_plural = "Anhänge"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
