"""A child's case across organisations: lead, participations, tasks, timeline, lead handover."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from schutznetz.kit import phone
from schutznetz.network.models import OrganisationKind, Urgency


class CaseState(models.TextChoices):
    CONCERN_DOCUMENTED = "concern_documented", "Anhaltspunkte dokumentiert"
    CONSULTATION = "consultation", "Beratung (pseudonymisiert)"
    REPORTED = "reported", "Mitteilung an das Jugendamt (§ 4 Abs. 3 KKG)"
    RISK_ASSESSMENT = "risk_assessment", "Gefährdungseinschätzung (§ 8a SGB VIII)"
    MEASURES = "measures", "Hilfen und Schutzmaßnahmen"
    CLOSED = "closed", "Abgeschlossen"


class Confirmation(models.TextChoices):
    """§ 4 Abs. 4 KKG: whether the Jugendamt sees the reported indications confirmed."""

    YES = "yes", "ja"
    NO = "no", "nein"
    OPEN = "open", "noch offen"


class FeedbackNote(models.TextChoices):
    """§ 4 Abs. 4 KKG allows the three answers and nothing of the case: besides them, the Jugendamt may
    add one of these phrases (never free text, which is where case content leaked)."""

    NONE = "", "kein Hinweis"
    FOLLOWS = "follows", "Eine weitere Rückmeldung folgt."
    CALL_BACK = "call_back", "Für Rückfragen erreichen Sie das Jugendamt unter der angegebenen Rufnummer."


class ReporterFeedback(models.Model):
    """§ 4 Abs. 4 KKG: the Jugendamt tells the reporting professional whether it sees the weighty
    indications confirmed, whether it became active and whether it is still active — three answers,
    one of the fixed phrases and a callback number, nothing else (the medical pathway's reports and
    the Jugendamt's intake both give it)."""

    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()
    confirmed = models.CharField(
        "Gewichtige Anhaltspunkte bestätigt", max_length=4, choices=Confirmation.choices
    )
    became_active = models.BooleanField("Das Jugendamt ist zum Schutz des Kindes tätig geworden")
    still_active = models.BooleanField("Das Jugendamt ist noch tätig")
    note = models.CharField("Hinweis", max_length=10, choices=FeedbackNote.choices, blank=True)
    callback_phone = models.CharField("Rückrufnummer", max_length=30, blank=True)
    # The free text of feedback given before § 4 Abs. 4 was enforced as three answers: kept for the
    # Jugendamt's own record, never shown to the reporting side again.
    legacy_text = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-given_at", "-pk"]

    def answers(self) -> str:
        """The three answers (and the phrase) as one German sentence, for pages, mails and the PDF."""
        yes_no = {True: "ja", False: "nein"}
        text = (
            f"Gewichtige Anhaltspunkte bestätigt: {self.get_confirmed_display()}. "
            f"Tätig geworden: {yes_no[self.became_active]}. Noch tätig: {yes_no[self.still_active]}."
        )
        if self.note:
            text += f" {self.get_note_display()}"
        if self.callback_phone:
            text += f" Rückrufnummer: {phone.display(self.callback_phone)}."
        return text


class LegalBasis(models.TextChoices):
    KKG_4_3 = "kkg_4_3", "§ 4 Abs. 3 KKG – Mitteilung an das Jugendamt"
    KKG_4_2 = "kkg_4_2", "§ 4 Abs. 2 KKG – Beratung durch eine insoweit erfahrene Fachkraft (pseudonymisiert)"
    SGB8_8A_1 = (
        "sgb8_8a_1",
        "§ 8a Abs. 1 SGB VIII – Gefährdungseinschätzung im Zusammenwirken mehrerer Fachkräfte",
    )
    SGB8_8A_4 = "sgb8_8a_4", "§ 8a Abs. 4 SGB VIII – Schutzauftrag des freien Trägers"
    SGB8_65 = "sgb8_65", "§ 65 Abs. 1 Satz 1 Nr. 4 SGB VIII – Weitergabe zur Gefährdungseinschätzung"
    SGB8_8A_6 = "sgb8_8a_6", "§ 8a Abs. 6 SGB VIII – Mitteilung an das bei Wegzug zuständige Jugendamt"
    SGB8_36 = "sgb8_36", "§ 36 SGB VIII – Mitwirkung am Hilfeplan"
    CONSENT = (
        "consent",
        "Einwilligung der Personensorgeberechtigten (Art. 6 Abs. 1 lit. a, Art. 9 Abs. 2 lit. a DSGVO)",
    )
    OWN_TASK = "own_task", "Eigene Aufgabenerfüllung (Fallverantwortung)"
    VITAL_INTERESTS = (
        "vital_interests",
        "Schutz lebenswichtiger Interessen in einer akuten Krise "
        "(Art. 6 Abs. 1 lit. d, Art. 9 Abs. 2 lit. c DSGVO)",
    )


class CaseRole(models.TextChoices):
    REPORTER = "reporter", "Meldende Stelle"
    YOUTH_OFFICE = "youth_office", "Zuständiges Jugendamt"
    MEDICAL = "medical", "Medizinische Diagnostik und Behandlung"
    CARE_PROVIDER = "care_provider", "Leistungserbringer (freier Träger)"
    SPECIALIST = "specialist", "Insoweit erfahrene Fachkraft (Beratung)"
    GUARDIANSHIP = "guardianship", "Vormundschaft (gesetzliche Vertretung)"
    OTHER = "other", "Weitere beteiligte Stelle"


# The insoweit erfahrene Fachkraft is consulted with pseudonymised data only (§ 8a Abs. 4 S. 2,
# § 8b Abs. 1, § 64 Abs. 2a SGB VIII; § 4 Abs. 2 KKG): this role and this basis never see identity.
PSEUDONYMISED_ROLES = (CaseRole.SPECIALIST,)
PSEUDONYMISED_BASES = (LegalBasis.KKG_4_2,)


def must_be_pseudonymised(role: str, legal_basis: str) -> bool:
    return role in PSEUDONYMISED_ROLES or legal_basis in PSEUDONYMISED_BASES


# § 4 KKG binds the professions it names (health professions, psychologists, counsellors, teachers,
# social workers). A Kita or a club with a protection agreement works under § 8a Abs. 4 SGB VIII
# instead, police and family court under their own law: none of them discloses on a basis of § 4 KKG.
KKG_BASES = (LegalBasis.KKG_4_2, LegalBasis.KKG_4_3)
WITHOUT_KKG_KINDS = frozenset(
    {
        OrganisationKind.DAYCARE,
        OrganisationKind.SPORTS_CLUB,
        OrganisationKind.POLICE,
        OrganisationKind.FAMILY_COURT,
    }
)


def bases_open_to(organisation_kind: str) -> list[str]:
    """The legal bases on which an organisation of this kind may bring another into a case."""
    if organisation_kind in WITHOUT_KKG_KINDS:
        return [b for b in LegalBasis.values if b not in KKG_BASES]
    return list(LegalBasis.values)


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(
        "Stand", max_length=30, choices=CaseState.choices, default=CaseState.CONCERN_DOCUMENTED
    )
    title = models.CharField("Anlass", max_length=200)
    # What pseudonymised participants (an insoweit erfahrene Fachkraft) read instead of the title and
    # every other free text: written for them, screened for identifiers.
    pseudonymised_summary = models.TextField("Fallschilderung (pseudonymisiert)", max_length=2000, blank=True)
    lead_organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="led_cases"
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "Fall"
        verbose_name_plural = "Fälle"
        indexes = [
            models.Index(fields=["lead_organisation", "state"], name="case_lead_state"),
            # "Meine Fälle" walks cases in this order and stops after a page: open cases first (a
            # descending index puts NULL first on PostgreSQL), then the most recently closed.
            models.Index(fields=["-closed_at", "-created_at"], name="case_list_order"),
        ]

    def __str__(self) -> str:
        return f"Fall {self.child.pseudonym}"

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", "eingeladen"
    ACTIVE = "active", "beteiligt"
    DECLINED = "declined", "abgelehnt"
    ENDED = "ended", "beendet"


class Participation(models.Model):
    """An organisation's part in a case, with the legal basis that allows it to see the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="participations")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField("Rolle im Fall", max_length=20, choices=CaseRole.choices)
    legal_basis = models.CharField("Rechtsgrundlage", max_length=20, choices=LegalBasis.choices)
    pseudonymised = models.BooleanField("pseudonymisiert", default=False)
    status = models.CharField(
        max_length=10, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    # Access ends at ``valid_until`` (if set). A read-only part keeps the history readable for a
    # while after the organisation handed the case on (§ 8a Abs. 6 SGB VIII: the family moved).
    valid_until = models.DateTimeField(null=True, blank=True)
    read_only = models.BooleanField("nur lesend", default=False)
    # What the invited organisation reads before it answers, and by when the agreements (or the
    # defaults) expect the answer; reminded, then escalated (cases/reminders.py).
    reason = models.CharField("Anlass der Einladung", max_length=500, blank=True)
    urgency = models.CharField(
        "Dringlichkeit", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    respond_by = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Beteiligung"
        verbose_name_plural = "Beteiligungen"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(status__in=["invited", "active"]),
                name="participation_one_open_per_org",
            ),
            models.CheckConstraint(
                condition=Q(pseudonymised=True)
                | (~Q(role__in=PSEUDONYMISED_ROLES) & ~Q(legal_basis__in=PSEUDONYMISED_BASES)),
                name="participation_specialist_pseudonymised",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="participation_org_status")]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class TaskStatus(models.TextChoices):
    OPEN = "open", "offen"
    DONE = "done", "erledigt"
    CANCELLED = "cancelled", "entfallen"


class TaskTrigger(models.TextChoices):
    """An event of the case that completes a task by itself, so that a step done elsewhere does not
    stay the case's next step."""

    YOUTH_OFFICE_INFORMED = (
        "youth_office_informed",
        "sobald das Jugendamt informiert ist (Mitteilung gesendet oder am Fall beteiligt)",
    )
    SPECIALIST_CONSULTED = (
        "specialist_consulted",
        "sobald eine insoweit erfahrene Fachkraft hinzugezogen ist (angefragt oder am Fall beteiligt)",
    )
    LEAD_HANDED_OVER = "lead_handed_over", "sobald eine andere Organisation die Fallführung übernommen hat"


class Task(models.Model):
    """A dated next step with one owner: in a case, or an action item of a network meeting."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField("Aufgabe", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_tasks")
    owner_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("fällig am")
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField("Vermerk", blank=True, max_length=2000)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    completes_on = models.CharField(
        "erledigt sich von selbst", max_length=30, choices=TaskTrigger.choices, blank=True
    )

    class Meta:
        verbose_name = "Aufgabe"
        verbose_name_plural = "Aufgaben"
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, meeting__isnull=True)
                | Q(case__isnull=True, meeting__isnull=False),
                name="task_in_case_or_meeting",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="task_owner_open_due"),
            models.Index(fields=["status", "due_date"], name="task_status_due"),
        ]

    def __str__(self) -> str:
        return self.title


class TimelineEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=500)
    # Entries that name the child are hidden from pseudonymised participants.
    identifying = models.BooleanField(default=False)
    # An entry of one organisation's own (its decision on a likely duplicate): shown to it alone.
    visible_to = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Verlaufseintrag"
        verbose_name_plural = "Verlauf"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="timeline_case_at")]

    def __str__(self) -> str:
        return self.text


class HandoverStatus(models.TextChoices):
    PENDING = "pending", "angefragt"
    ACCEPTED = "accepted", "angenommen"
    DECLINED = "declined", "abgelehnt"
    WITHDRAWN = "withdrawn", "zurückgezogen"


class LeadHandover(models.Model):
    """A request to hand the lead to another organisation in the case; the sender leads until accepted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    from_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField("Begründung", max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Übergabe der Fallführung"
        verbose_name_plural = "Übergaben der Fallführung"
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="handover_one_pending_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation_id} → {self.to_organisation_id} ({self.status})"


class JoinDecision(models.TextChoices):
    JOINED = "joined", "zusammengeführt"
    DISTINCT = "distinct", "kein Doppelfall"


class CaseJoin(models.Model):
    """An organisation's decision on two of its cases that are likely about the same child (the
    identity vault's exact or phonetic match): joined, or not a duplicate.

    Joined, the newer case belongs to the older one *for that organisation*: it leaves the
    organisation's "Meine Fälle", the older case shows it (participants, open tasks, timeline, access
    log) and the organisation works it from there. Nothing moves between the two records: each keeps
    its own participants, so nobody who takes part in only one of them reads the other through the
    join (the inviting practice learns only that its invitation was accepted). A coordinator of the
    organisation can undo the join within ``UNDO_DAYS``.
    """

    UNDO_DAYS = 30

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="joins_out")
    into = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="joins_in")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=JoinDecision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Entscheidung über einen Doppelfall"
        verbose_name_plural = "Entscheidungen über Doppelfälle"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "into", "organisation"],
                condition=Q(undone_at__isnull=True),
                name="case_join_one_decision",
            ),
            # A case belongs to at most one other case for an organisation.
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(undone_at__isnull=True, decision="joined"),
                name="case_join_one_target",
            ),
            models.CheckConstraint(condition=~Q(case=models.F("into")), name="case_join_two_cases"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.into_id} ({self.decision})"


class SpecialistFinding(models.TextChoices):
    """The insoweit erfahrene Fachkraft's view of the weighty indications (§ 8a Abs. 4 S. 1 Nr. 2
    SGB VIII, § 4 Abs. 2 KKG): part of its advice, never preselected."""

    CONFIRMED = "confirmed", "Gewichtige Anhaltspunkte für eine Kindeswohlgefährdung liegen vor"
    NOT_CONFIRMED = "not_confirmed", "Gewichtige Anhaltspunkte liegen nicht vor"
    UNCLEAR = "unclear", "Weitere Klärung erforderlich"


class SpecialistAdvice(models.Model):
    """The advice of an insoweit erfahrene Fachkraft taking part pseudonymised, recorded by it: its
    view of the indications and its recommendation, written without identifying data (screened)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="specialist_advice")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()
    finding = models.CharField("Einschätzung", max_length=20, choices=SpecialistFinding.choices)
    recommendation = models.TextField("Empfehlung zum weiteren Vorgehen", max_length=2000)

    class Meta:
        verbose_name = "Beratungsergebnis der insoweit erfahrenen Fachkraft"
        verbose_name_plural = "Beratungsergebnisse der insoweit erfahrenen Fachkraft"
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["case", "-given_at"], name="specialist_advice_case")]

    def __str__(self) -> str:
        return f"Beratungsergebnis {self.pk}"
