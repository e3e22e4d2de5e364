"""The findings record (Befunddokumentation, AWMF S3+ guideline Kinderschutz 027-069).

A record is one examination of the child in a case. Its content lives in versions: a correction
writes a new version with its reason, and every earlier version stays readable with who wrote it
and when. Findings are medical content: readable by the medical professions of the organisations
taking part, and by the organisations the doctor shares them with, the legal basis recorded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from schutznetz.cases.models import LegalBasis, ReporterFeedback
from schutznetz.medical.vocabulary import Assessment, HistoryConsistency, HistoryGiver, Mobility
from schutznetz.network.models import OrganisationKind, Urgency


class FindingsRecord(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="findings")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The version in force; earlier ones are kept (``versions``).
    current = models.ForeignKey(
        "FindingsVersion", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "Befunddokumentation"
        verbose_name_plural = "Befunddokumentationen"
        indexes = [models.Index(fields=["case", "-created_at"], name="findings_case")]

    def __str__(self) -> str:
        return f"Befund {self.pk}"


class FindingsVersion(models.Model):
    record = models.ForeignKey(FindingsRecord, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    change_note = models.CharField("Grund der Korrektur", max_length=300, blank=True)
    examined_at = models.DateTimeField("Untersuchung am")
    history = models.TextField("Anamnese (Schilderung des Hergangs)", max_length=4000)
    history_by = models.CharField("geschildert von", max_length=20, choices=HistoryGiver.choices)
    history_at = models.DateTimeField("geschildert am")
    history_consistency = models.CharField(
        "Schlüssigkeit der Anamnese", max_length=20, choices=HistoryConsistency.choices, blank=True
    )
    # Months at the examination, from the birth date in the identity vault (None: not recorded).
    age_months = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    mobility = models.CharField("Mobilität", max_length=20, choices=Mobility.choices)
    # [{region, kind, size, colour, pattern, estimated_age, note}], regions from ``bodymap``.
    injuries = models.JSONField(default=list)
    examinations_done = models.TextField("Durchgeführte Untersuchungen", max_length=2000, blank=True)
    examinations_recommended = models.TextField("Empfohlene Untersuchungen", max_length=2000, blank=True)
    assessment = models.CharField("Gesamteinschätzung", max_length=20, choices=Assessment.choices)
    assessment_note = models.TextField("Begründung", max_length=2000, blank=True)
    # The decision support as it was shown with this version (``decision.advise``).
    advice = models.JSONField(default=dict)

    class Meta:
        verbose_name = "Fassung der Befunddokumentation"
        verbose_name_plural = "Fassungen der Befunddokumentation"
        ordering = ["record", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="findings_version_number"),
        ]

    def __str__(self) -> str:
        return f"Befund {self.record_id}, Fassung {self.number}"


class NotDoneReason(models.TextChoices):
    """Why a recommended examination was not done: reasons, not case content."""

    NOT_INDICATED = "not_indicated", "Nach ärztlicher Abwägung im Einzelfall nicht indiziert"
    REFUSED = "refused", "Von den Sorgeberechtigten abgelehnt"
    ELSEWHERE = "elsewhere", "Andernorts durchgeführt oder veranlasst (Befund liegt vor oder folgt)"
    TRANSFERRED = "transferred", "Kind verlegt oder in andere Behandlung übergeben"
    NOT_AVAILABLE = "not_available", "Untersuchung hier nicht verfügbar"


class DiagnosticStatus(models.Model):
    """A recommended examination of the guideline (``decision.Advice.diagnostics``, by its code)
    marked done, or not done with its reason; the evaluation counts guideline-conform diagnostics
    from it (``queries.diagnostics_figures``). One row per record and recommendation; a later
    marking replaces the earlier one, the audit trail keeps both."""

    record = models.ForeignKey(FindingsRecord, on_delete=models.PROTECT, related_name="diagnostic_status")
    code = models.CharField(max_length=40)
    done = models.BooleanField("durchgeführt")
    reason = models.CharField(
        "Grund, falls nicht durchgeführt", max_length=20, choices=NotDoneReason.choices, blank=True
    )
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = "Stand einer empfohlenen Untersuchung"
        verbose_name_plural = "Stand der empfohlenen Untersuchungen"
        constraints = [
            models.UniqueConstraint(fields=["record", "code"], name="diagnostic_status_once"),
            models.CheckConstraint(
                condition=Q(done=True, reason="") | (Q(done=False) & ~Q(reason="")),
                name="diagnostic_status_reason_when_not_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {'durchgeführt' if self.done else 'nicht durchgeführt'}"


class FindingsShare(models.Model):
    """A doctor's decision that an organisation taking part, not itself medical, reads the case's
    findings: on which legal basis, by whom, until revoked."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField("Rechtsgrundlage", max_length=20, choices=LegalBasis.choices)
    note = models.CharField("Anmerkung", max_length=300, blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Freigabe der Befunde"
        verbose_name_plural = "Freigaben der Befunde"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="findings_share_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Freigabe {self.pk}"


class FamilyTalk(models.Model):
    """§ 4 Abs. 1 KKG: the situation discussed with the child and the parents, or the reason it was
    not, because it would call the child's effective protection into question."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    held = models.BooleanField("Gespräch geführt")
    held_at = models.DateTimeField("Gespräch am", null=True, blank=True)
    participants = models.CharField("Gesprächsteilnehmende", max_length=300, blank=True)
    result = models.TextField("Ergebnis", max_length=2000, blank=True)
    not_held_reason = models.TextField(
        "Grund, warum das Gespräch nicht geführt wurde", max_length=2000, blank=True
    )

    class Meta:
        verbose_name = "Gespräch mit Kind und Personensorgeberechtigten"
        verbose_name_plural = "Gespräche mit Kind und Personensorgeberechtigten"
        indexes = [models.Index(fields=["case", "-recorded_at"], name="family_talk_case")]

    def __str__(self) -> str:
        return f"Gespräch {self.pk}"


class FindingsPhoto(models.Model):
    """A photo of a finding: re-encoded without metadata and sealed (``medical/photos.py``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(FindingsRecord, on_delete=models.PROTECT, related_name="photos")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    caption = models.CharField("Bildbeschreibung", max_length=200)
    region = models.CharField("Körperregion", max_length=40, blank=True)
    # A face identifies the child: such photos are never shown to a pseudonymised consultation.
    shows_face = models.BooleanField("zeigt das Gesicht")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    key_id = models.CharField(max_length=16)
    content = models.BinaryField()

    class Meta:
        verbose_name = "Foto eines Befunds"
        verbose_name_plural = "Fotos von Befunden"
        indexes = [models.Index(fields=["record", "uploaded_at"], name="findings_photo_record")]

    def __str__(self) -> str:
        return self.caption


class Consultation(models.Model):
    """§ 4 Abs. 2 KKG: a doctor asks an experienced specialist (insoweit erfahrene Fachkraft, a child
    protection hotline or centre) with pseudonymised data. The specialist sees the child's pseudonym,
    age in months, sex and the coded findings, never a name, birth date, address, a photo showing the
    face or unscreened free text."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    specialist = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    urgency = models.CharField("Dringlichkeit", max_length=10, choices=Urgency.choices)
    question = models.TextField("Fragestellung (pseudonymisiert)", max_length=2000)
    due_at = models.DateTimeField()  # the specialist's promised answer (agreements' response time)
    answer = models.TextField("Antwort", max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)  # told that the answer is overdue

    class Meta:
        verbose_name = "Pseudonymisierte Fallberatung"
        verbose_name_plural = "Pseudonymisierte Fallberatungen"
        indexes = [models.Index(fields=["case", "-requested_at"], name="consultation_case")]

    def __str__(self) -> str:
        return f"Beratung {self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class AffectedNotice(models.TextChoices):
    """§ 4 Abs. 3 Satz 1 KKG: the persons concerned are told beforehand that the Jugendamt will be
    informed, unless that would call the effective protection of the child into question."""

    GIVEN = "given", "Ja, die Betroffenen wurden vorab auf die Mitteilung hingewiesen."
    OMITTED = (
        "omitted",
        "Nein, der Hinweis unterblieb, weil er den wirksamen Schutz des Kindes in Frage gestellt hätte.",
    )


# Who informs the Jugendamt on which basis: a Kita, a Träger der freien Jugendhilfe or a club with a
# protection agreement under its agreement (§ 8a Abs. 4 Satz 1 Nr. 3 SGB VIII); every other
# profession of § 4 Abs. 1 KKG under § 4 Abs. 3 KKG.
REPORT_BASIS_8A_4_KINDS = frozenset(
    {OrganisationKind.DAYCARE, OrganisationKind.CARE_PROVIDER, OrganisationKind.SPORTS_CLUB}
)


def report_basis(organisation_kind: str) -> str:
    if organisation_kind in REPORT_BASIS_8A_4_KINDS:
        return LegalBasis.SGB8_8A_4
    return LegalBasis.KKG_4_3


def basis_short(basis: str) -> str:
    """ "§ 4 Abs. 3 KKG" of "§ 4 Abs. 3 KKG – Mitteilung an das Jugendamt"."""
    return str(LegalBasis(basis).label).split(" – ")[0]


class YouthOfficeReport(models.Model):
    """§ 4 Abs. 3 KKG: a professional informs the competent Jugendamt (Mitteilung) — a doctor, a
    teacher, a counsellor, a social worker, or a Kita or Träger under § 8a Abs. 4 SGB VIII.

    The content follows the Meldebogen of the regional agreement (§ 73c SGB V: indications and
    observations, measures already taken, other bodies already involved); the reporter, child and
    parents are read from the vault when the report is shown; the findings and the talk with the
    family are copied as they stood when it was sent. The Jugendamt acknowledges receipt within the
    agreements' response time; acknowledging makes it a participant and hands it the lead.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    youth_office = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    # The Jugendamt the jurisdiction service named for the child's address (None: it named none).
    competent_youth_office = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.CharField(
        "Grund für die Abweichung von der Zuständigkeit", max_length=500, blank=True
    )
    legal_basis = models.CharField(
        "Rechtsgrundlage", max_length=20, choices=LegalBasis.choices, default=LegalBasis.KKG_4_3
    )
    urgency = models.CharField("Dringlichkeit", max_length=10, choices=Urgency.choices)
    # blank: sent before the question was asked
    affected_notice = models.CharField(
        "Betroffene vorab hingewiesen", max_length=10, choices=AffectedNotice.choices, blank=True
    )
    notice_omitted_reason = models.TextField(
        "Warum der Hinweis den Schutz des Kindes in Frage gestellt hätte", max_length=1000, blank=True
    )
    indications = models.TextField("Gewichtige Anhaltspunkte und Beobachtungen", max_length=4000)
    measures_taken = models.TextField(
        "Bereits ergriffene Maßnahmen zur Abwendung der Gefährdung", max_length=2000, blank=True
    )
    other_bodies = models.TextField("Weitere bereits beteiligte Stellen", max_length=1000, blank=True)
    findings_summary = models.TextField("Zusammenfassung der Befunde", blank=True)
    talk_summary = models.TextField("Ergebnis des Gesprächs mit der Familie", blank=True)
    # EBM 01681 for a paediatric practice, once per treatment case: child, practice and quarter
    # ("2026-4"); blank: not billed. The child by its blind index (``people.Child.exact_key``), so
    # that a second case of the same child is not billed again.
    billing_code = models.CharField(max_length=10, blank=True)
    billing_quarter = models.CharField(max_length=7)
    billing_child_key = models.CharField(max_length=64, blank=True, editable=False)
    due_at = models.DateTimeField()  # receipt to be acknowledged by (agreements' response time)
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    feedback_due_at = models.DateTimeField(null=True, blank=True)  # § 4 Abs. 4 KKG, from the agreements
    feedback_reminded_at = models.DateTimeField(null=True, blank=True)
    reporter_involved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Mitteilung an das Jugendamt"
        verbose_name_plural = "Mitteilungen an das Jugendamt"
        constraints = [
            models.UniqueConstraint(
                fields=["from_organisation", "billing_child_key", "billing_quarter"],
                condition=~Q(billing_code=""),
                name="report_billed_once_per_child_quarter",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-reported_at"], name="report_case"),
            models.Index(fields=["youth_office", "acknowledged_at"], name="report_inbox"),
            models.Index(fields=["from_organisation", "-reported_at"], name="report_outbox"),
        ]

    def __str__(self) -> str:
        return f"Mitteilung {self.pk}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def basis_short(self) -> str:
        return basis_short(self.legal_basis)

    @property
    def billing_quarter_label(self) -> str:
        year, number = self.billing_quarter.split("-")
        return f"{number}. Quartal {year}"


class ReportFeedback(ReporterFeedback):
    """§ 4 Abs. 4 KKG feedback on the doctor's report: three answers, a fixed phrase, a
    callback number (``cases.models.ReporterFeedback``)."""

    report = models.ForeignKey(YouthOfficeReport, on_delete=models.PROTECT, related_name="feedback")

    class Meta(ReporterFeedback.Meta):
        verbose_name = "Rückmeldung an die meldende Stelle"
        verbose_name_plural = "Rückmeldungen an die meldende Stelle"

    def __str__(self) -> str:
        return f"Rückmeldung {self.pk}"
