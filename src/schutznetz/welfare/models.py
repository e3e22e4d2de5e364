"""The youth-welfare pathway (§ 8a SGB VIII): the Jugendamt's side of the case.

Intake (Meldungseingang): a report of a possible endangerment from any source, with the categories of
the federal statistics (Destatis, "Gefährdungseinschätzungen nach § 8a Abs. 1 SGB VIII": by whom the
possible endangerment became known), the urgency, what was reported and who reported it (sealed like
the vault, or anonymous). It opens a case or joins one the Jugendamt already leads or takes part in;
first contact is due within the agreements' response time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from schutznetz.cases.models import ReporterFeedback
from schutznetz.network.models import OrganisationKind, Urgency


class IntakeSource(models.TextChoices):
    """Destatis: "Bekanntwerden der möglichen Kindeswohlgefährdung durch …"."""

    POLICE_COURT = "police_court", "Polizei/Gericht/Staatsanwaltschaft"
    SCHOOL = "school", "Schule"
    DAYCARE = "daycare", "Kindertageseinrichtung/Kindertagespflegeperson"
    HEALTH = "health", "Hebamme/Ärztin/Arzt/Klinik/Gesundheitsamt u. ä. Dienste"
    COUNSELLING = "counselling", "Beratungsstelle"
    YOUTH_SERVICE = "youth_service", "Einrichtung der Jugendarbeit/Kinder- und Jugendhilfe"
    SOCIAL_SERVICE = "social_service", "Sozialer Dienst/Jugendamt"
    RELATIVES = "relatives", "Verwandte"
    ACQUAINTANCES = "acquaintances", "Bekannte/Nachbarn"
    PARENTS = "parents", "Eltern(teil)/Personensorgeberechtigte/r"
    YOUNG_PERSON = "young_person", "Minderjährige/r selbst"
    ANONYMOUS = "anonymous", "anonym"
    OTHER = "other", "sonstige"


class Intake(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("Eingegangen am")
    source = models.CharField("Bekannt geworden durch", max_length=20, choices=IntakeSource.choices)
    urgency = models.CharField("Dringlichkeit", max_length=10, choices=Urgency.choices)
    account = models.TextField("Was wurde mitgeteilt?", max_length=4000)
    # A network organisation that reported (a school, a Kita): its agreements set the response time.
    reporter_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_anonymous = models.BooleanField("anonym")
    # Name and contact of the person who reported, sealed (AES-256-GCM, the row's id as associated data).
    reporter_key_id = models.CharField(max_length=16, blank=True)
    reporter_sealed = models.BinaryField(blank=True, default=b"")
    due_at = models.DateTimeField()  # first contact (agreements' response time to a report)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    first_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_contact_note = models.CharField("Vermerk zum Erstkontakt", max_length=300, blank=True)

    class Meta:
        verbose_name = "Meldung"
        verbose_name_plural = "Meldungseingang"
        indexes = [
            models.Index(fields=["youth_office", "first_contact_at", "due_at"], name="intake_list"),
            models.Index(fields=["case", "-received_at"], name="intake_case"),
        ]

    def __str__(self) -> str:
        return f"Meldung {self.pk}"

    @property
    def is_contacted(self) -> bool:
        return self.first_contact_at is not None


# Who reported as a professional bound by § 4 KKG (physicians and other health professions,
# counsellors, teachers): they receive feedback (§ 4 Abs. 4 KKG). Others receive no case data.
KKG_PROFESSIONAL_SOURCES = (IntakeSource.HEALTH, IntakeSource.SCHOOL, IntakeSource.COUNSELLING)


class IntakeFeedback(ReporterFeedback):
    """§ 4 Abs. 4 KKG feedback to the professional who reported to the intake: three answers, a phrase, a
    callback number (``cases.models.ReporterFeedback``)."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="feedback")

    class Meta(ReporterFeedback.Meta):
        verbose_name = "Rückmeldung an die meldende Stelle"
        verbose_name_plural = "Rückmeldungen an die meldende Stelle"

    def __str__(self) -> str:
        return f"Rückmeldung {self.pk}"


# The risk assessment (§ 8a Abs. 1 SGB VIII), in the categories of the federal statistics.


class Outcome(models.TextChoices):
    ACUTE = "acute", "akute Kindeswohlgefährdung"
    LATENT = "latent", "latente Kindeswohlgefährdung"
    SUPPORT_NEED = "support_need", "keine Kindeswohlgefährdung, aber Hilfe-/Unterstützungsbedarf"
    NONE = "none", "keine Kindeswohlgefährdung und kein (weiterer) Hilfe-/Unterstützungsbedarf"


ENDANGERED = (Outcome.ACUTE, Outcome.LATENT)


class Endangerment(models.TextChoices):
    NEGLECT = "neglect", "Vernachlässigung"
    PHYSICAL = "physical", "körperliche Misshandlung"
    PSYCHOLOGICAL = "psychological", "psychische Misshandlung"
    SEXUAL = "sexual", "sexuelle Gewalt"


class DangerFrom(models.TextChoices):
    MOTHER = "mother", "Mutter"
    FATHER = "father", "Vater"
    STEP_PARENT = "step_parent", "Stiefelternteil bzw. Partner/-in eines Elternteils"
    RELATIVES = "relatives", "Großeltern/andere Verwandte"
    OTHER = "other", "sonstige Person(en)"


class AreaRating(models.TextChoices):
    ASSURED = "assured", "gewährleistet"
    LIMITED = "limited", "eingeschränkt"
    NOT_ASSURED = "not_assured", "nicht gewährleistet"
    UNKNOWN = "unknown", "nicht beurteilbar"


class RiskAssessment(models.Model):
    """The Jugendamt's assessment of the risk in a case; its content lives in versions, each valid
    once at least two professionals of the Jugendamt have signed it (four eyes)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    current = models.ForeignKey(
        "AssessmentVersion", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "Gefährdungseinschätzung"
        verbose_name_plural = "Gefährdungseinschätzungen"
        indexes = [models.Index(fields=["case", "-created_at"], name="assessment_case")]

    def __str__(self) -> str:
        return f"Gefährdungseinschätzung {self.pk}"


class AssessmentVersion(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    change_note = models.CharField("Grund der Korrektur", max_length=300, blank=True)
    areas = models.JSONField(default=dict)  # {area code: {"rating": AreaRating, "note": str}}
    home_visit_at = models.DateTimeField("Hausbesuch am", null=True, blank=True)
    child_seen_at = models.DateTimeField("Kind gesehen am", null=True, blank=True)
    child_seen_by = models.CharField("Kind gesehen von", max_length=200, blank=True)
    sources = models.TextField("Erkenntnisquellen", max_length=2000, blank=True)
    # Who took part besides the signing professionals (§ 8a Abs. 1: im Zusammenwirken mehrerer
    # Fachkräfte): a colleague, the insoweit erfahrene Fachkraft, the care provider, the reporter.
    participants = models.CharField("Beteiligte Fachkräfte und Stellen", max_length=500, blank=True)
    reporter_involved = models.BooleanField("Meldende Stelle beteiligt", default=False)
    outcome = models.CharField("Ergebnis", max_length=20, choices=Outcome.choices)
    endangerments = models.JSONField(default=list)  # [Endangerment]
    danger_from = models.JSONField(default=list)  # [DangerFrom]
    repeat_report = models.BooleanField("Wiederholte Meldung", default=False)

    class Meta:
        verbose_name = "Fassung der Gefährdungseinschätzung"
        verbose_name_plural = "Fassungen der Gefährdungseinschätzung"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="assessment_version_number")
        ]

    def __str__(self) -> str:
        return f"Gefährdungseinschätzung {self.assessment_id}, Fassung {self.number}"


class AssessmentSignature(models.Model):
    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = "Unterschrift"
        verbose_name_plural = "Unterschriften"
        constraints = [
            models.UniqueConstraint(fields=["version", "signed_by"], name="assessment_signed_once")
        ]

    def __str__(self) -> str:
        return f"Unterschrift {self.pk}"


# Consequences of the assessment: a safety plan, the family court, taking into care (§ 42 SGB VIII).


class SafetyPlan(models.Model):
    """A safety plan (Schutzplan): measures agreed to protect the child, each with who answers for it,
    a deadline and a date on which the Jugendamt checks it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField("Vereinbart am")
    agreed_with = models.CharField("Vereinbart mit", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "Schutzplan"
        verbose_name_plural = "Schutzpläne"
        indexes = [models.Index(fields=["case", "-created_at"], name="safety_plan_case")]

    def __str__(self) -> str:
        return f"Schutzplan {self.pk}"


class SafetyMeasure(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="measures")
    position = models.PositiveSmallIntegerField()
    measure = models.CharField("Maßnahme", max_length=500)
    responsible = models.CharField("Verantwortlich (Person/Stelle)", max_length=200)
    # Who follows the measure up in the network: the owner of its task.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("Frist")
    check_date = models.DateField("Überprüfung am")
    task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+")
    check_task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "Schutzmaßnahme"
        verbose_name_plural = "Schutzmaßnahmen"
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return f"Schutzmaßnahme {self.pk}"


class CourtReferral(models.Model):
    """Calling on the family court (§ 8a Abs. 2 SGB VIII) for measures under § 1666 BGB."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField("Angerufen am")
    urgent = models.BooleanField("Eilverfahren (einstweilige Anordnung) beantragt", default=False)
    reason = models.TextField("Begründung", max_length=4000)
    follow_up_date = models.DateField("Wiedervorlage")
    task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "Anrufung des Familiengerichts"
        verbose_name_plural = "Anrufungen des Familiengerichts"
        indexes = [models.Index(fields=["case", "-created_at"], name="court_referral_case")]

    def __str__(self) -> str:
        return f"Anrufung des Familiengerichts {self.pk}"


class CareReason(models.TextChoices):
    """§ 42 Abs. 1 Satz 1 SGB VIII."""

    REQUEST = "request", "Bitte des Kindes oder Jugendlichen (Nr. 1)"
    DANGER = "danger", "dringende Gefahr für das Wohl des Kindes oder Jugendlichen (Nr. 2)"
    UNACCOMPANIED = "unaccompanied", "unbegleitete Einreise aus dem Ausland (Nr. 3)"


class CareTaking(models.Model):
    """Taking into care (Inobhutnahme, § 42 SGB VIII)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    begins_at = models.DateTimeField("Beginn")
    ends_at = models.DateTimeField("Ende", null=True, blank=True)
    place = models.CharField("Unterbringung (Einrichtung/Bereitschaftspflege)", max_length=200)
    reason = models.CharField("Anlass", max_length=20, choices=CareReason.choices)
    reason_note = models.TextField("Begründung", max_length=4000)
    court_decision_on = models.DateField("Entscheidung des Familiengerichts am", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "Inobhutnahme"
        verbose_name_plural = "Inobhutnahmen"
        indexes = [models.Index(fields=["case", "-begins_at"], name="care_taking_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("begins_at")),
                name="care_taking_ends_after_begin",
            )
        ]

    def __str__(self) -> str:
        return f"Inobhutnahme {self.pk}"


# The help plan (§ 36 SGB VIII).


class HelpType(models.TextChoices):
    S27 = "s27", "Hilfe zur Erziehung (§ 27 SGB VIII)"
    S28 = "s28", "Erziehungsberatung (§ 28 SGB VIII)"
    S29 = "s29", "Soziale Gruppenarbeit (§ 29 SGB VIII)"
    S30 = "s30", "Erziehungsbeistand, Betreuungshelfer (§ 30 SGB VIII)"
    S31 = "s31", "Sozialpädagogische Familienhilfe (§ 31 SGB VIII)"
    S32 = "s32", "Erziehung in einer Tagesgruppe (§ 32 SGB VIII)"
    S33 = "s33", "Vollzeitpflege (§ 33 SGB VIII)"
    S34 = "s34", "Heimerziehung, sonstige betreute Wohnform (§ 34 SGB VIII)"
    S35 = "s35", "Intensive sozialpädagogische Einzelbetreuung (§ 35 SGB VIII)"
    S35A = "s35a", "Eingliederungshilfe bei (drohender) seelischer Behinderung (§ 35a SGB VIII)"
    S41 = "s41", "Hilfe für junge Volljährige (§ 41 SGB VIII)"


# Who may provide a help: the network's care providers and counselling services.
HELP_PROVIDER_KINDS = (
    OrganisationKind.CARE_PROVIDER,
    OrganisationKind.COUNSELLING_CENTRE,
    OrganisationKind.CHILD_PROTECTION_CENTRE,
)


class HelpPlan(models.Model):
    """A help plan (§ 36 Abs. 2 SGB VIII): the help, its goals and provider, drawn up with the young
    person and the guardians, reviewed regularly."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    help_type = models.CharField("Hilfeart", max_length=5, choices=HelpType.choices)
    goals = models.TextField("Ziele", max_length=4000)
    provider = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("Beginn")
    review_on = models.DateField("Nächste Überprüfung")
    young_person_involved = models.BooleanField("Kind/Jugendliche/r beteiligt")
    guardians_involved = models.CharField("Beteiligte Personensorgeberechtigte", max_length=200)
    review_task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+")
    review_reminded_on = models.DateField(null=True, blank=True)  # the review date last reminded of
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "Hilfeplan"
        verbose_name_plural = "Hilfepläne"
        indexes = [
            models.Index(fields=["case", "-created_at"], name="help_plan_case"),
            models.Index(fields=["review_on"], name="help_plan_review"),
        ]

    def __str__(self) -> str:
        return f"Hilfeplan {self.pk}"


class HelpPlanReview(models.Model):
    plan = models.ForeignKey(HelpPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("Hilfeplangespräch am")
    result = models.TextField("Ergebnis der Überprüfung", max_length=4000)
    next_review_on = models.DateField("Nächste Überprüfung")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "Fortschreibung des Hilfeplans"
        verbose_name_plural = "Fortschreibungen des Hilfeplans"
        ordering = ["plan", "held_on", "pk"]

    def __str__(self) -> str:
        return f"Fortschreibung {self.pk}"


class HelpPlanClinic(models.Model):
    """The child-psychiatry clinic joins help planning after the young person's discharge, with the
    guardians' consent recorded (Dortmund's cooperation agreement)."""

    plan = models.ForeignKey(HelpPlan, on_delete=models.PROTECT, related_name="clinics")
    clinic = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    discharged_on = models.DateField("Entlassen am")
    consent_on = models.DateField("Einwilligung erteilt am")
    consent_by = models.CharField("Einwilligung erteilt von", max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = "Klinik in der Hilfeplanung"
        verbose_name_plural = "Kliniken in der Hilfeplanung"
        constraints = [models.UniqueConstraint(fields=["plan", "clinic"], name="help_plan_clinic_once")]

    def __str__(self) -> str:
        return f"Klinik in der Hilfeplanung {self.pk}"


# Case conferences (Fallkonferenz): they belong to the case, not to the network's meetings.


class ConferenceMode(models.TextChoices):
    IN_PERSON = "in_person", "persönlich"
    PHONE = "phone", "telefonisch"
    VIDEO = "video", "per Video"


class CaseConference(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField("Beginn")
    ends_at = models.DateTimeField("Ende")
    mode = models.CharField("Form", max_length=10, choices=ConferenceMode.choices)
    location = models.CharField("Ort oder Einwahl", max_length=200, blank=True)
    agenda = models.TextField("Tagesordnung", max_length=4000)
    minutes = models.TextField("Protokoll", max_length=20000, blank=True)
    minutes_at = models.DateTimeField(null=True, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "Fallkonferenz"
        verbose_name_plural = "Fallkonferenzen"
        indexes = [models.Index(fields=["case", "-starts_at"], name="conference_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="conference_ends"
            )
        ]

    def __str__(self) -> str:
        return f"Fallkonferenz {self.pk}"

    @property
    def is_recorded(self) -> bool:
        return self.minutes_at is not None

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def initiated_by_youth_office(self) -> bool:
        return bool(self.organiser.kind == OrganisationKind.YOUTH_OFFICE)


class ConferenceAttendee(models.Model):
    """An invited person: of an organisation taking part in the case, or a guest whose organisation
    does not, with the legal basis or consent recorded and the day until which it holds."""

    conference = models.ForeignKey(CaseConference, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    guest = models.BooleanField(default=False)
    legal_basis = models.CharField("Rechtsgrundlage", max_length=20, blank=True)
    consent_by = models.CharField("Einwilligung erteilt von", max_length=200, blank=True)
    consent_on = models.DateField("Einwilligung erteilt am", null=True, blank=True)
    access_until = models.DateField("Einsicht in das Protokoll bis", null=True, blank=True)
    physician = models.BooleanField(default=False)  # at invitation: a physician (EBM 01682)
    present = models.BooleanField(null=True)
    mode = models.CharField("Teilnahme", max_length=10, choices=ConferenceMode.choices, blank=True)
    minutes_attended = models.PositiveIntegerField("Dauer der Teilnahme (Minuten)", null=True, blank=True)
    billing_units = models.PositiveSmallIntegerField(default=0)  # EBM 01682, per completed 10 minutes

    class Meta:
        verbose_name = "Teilnehmende/r der Fallkonferenz"
        verbose_name_plural = "Teilnehmende der Fallkonferenz"
        ordering = ["conference", "guest", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="conference_attendee_once")
        ]
        indexes = [models.Index(fields=["user", "guest"], name="conference_guest")]

    def __str__(self) -> str:
        return f"Teilnahme {self.pk}"


class ConferenceDecision(models.Model):
    conference = models.ForeignKey(CaseConference, on_delete=models.PROTECT, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField("Beschluss", max_length=500)
    task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "Beschluss der Fallkonferenz"
        verbose_name_plural = "Beschlüsse der Fallkonferenz"
        ordering = ["conference", "position"]

    def __str__(self) -> str:
        return f"Beschluss {self.pk}"


# Handover when the family moves (§ 8a Abs. 6 SGB VIII).


class MoveStatus(models.TextChoices):
    PENDING = "pending", "angeboten"
    ACCEPTED = "accepted", "übernommen"
    DECLINED = "declined", "abgelehnt"


class MoveHandover(models.Model):
    """The Jugendamt of the new address is offered the case with what it needs to assess the risk;
    the former one keeps the lead until it accepts, then reads the history for a limited time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()  # answer expected within the agreements' response time
    information = models.TextField("Informationen zur Gefährdungseinschätzung", max_length=4000)
    status = models.CharField(max_length=10, choices=MoveStatus.choices, default=MoveStatus.PENDING)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField("Grund der Ablehnung", max_length=500, blank=True)
    # Half the answer time gone: the receiving coordination reminded; past it: escalated (once each).
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Übergabe bei Wegzug"
        verbose_name_plural = "Übergaben bei Wegzug"
        indexes = [
            models.Index(fields=["to_office", "status", "due_at"], name="move_inbox"),
            models.Index(fields=["case", "-requested_at"], name="move_case"),
        ]

    def __str__(self) -> str:
        return f"Übergabe bei Wegzug {self.pk}"
