"""The crisis protocol: everyone responsible alerted at the same minute, each answer on record.

A crisis is raised from a case (later also before the young person is known). Who is alerted comes
from the crisis roster of the agreements that bind the raising organisation and from the case's
participants: for each organisation its person on call now, or — a gap — its coordination.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class CrisisUrgency(models.TextChoices):
    ACUTE = "acute", "akut – Eigen- oder Fremdgefährdung jetzt"
    URGENT = "urgent", "dringend – Klärung in den nächsten Stunden"


class CrisisFunction(models.TextChoices):
    """An organisation's part in a crisis (Dortmund's agreement between the Jugendamt, the child
    psychiatry and the care providers; the ambulance service alerted at the same time)."""

    YOUTH_OFFICE = "youth_office", "Jugendamt"
    CHILD_PSYCHIATRY = "child_psychiatry", "Kinder- und Jugendpsychiatrie"
    AMBULANCE = "ambulance", "Rettungsdienst"
    CARE_PROVIDER = "care_provider", "Träger"
    GUARDIAN = "guardian", "Gesetzliche Vertretung (Vormund)"
    OTHER = "other", "Weitere beteiligte Stelle"


class CrisisStatus(models.TextChoices):
    OPEN = "open", "laufend"
    CLOSED = "closed", "abgeschlossen"


class Crisis(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Empty while the young person is not known to the system (raised with a short label and age);
    # joined to a case later.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject = models.CharField("Kurzbezeichnung", max_length=60, blank=True)
    age = models.PositiveSmallIntegerField("Alter", null=True, blank=True)
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    urgency = models.CharField("Dringlichkeit", max_length=10, choices=CrisisUrgency.choices)
    situation = models.TextField("Lage", max_length=1000)
    location = models.CharField("Aufenthaltsort jetzt", max_length=200)
    emergency_call_at = models.DateTimeField("Notruf 112 abgesetzt", null=True, blank=True)
    emergency_call_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The persons with custody are not in the network: the Jugendamt's person on call tells them.
    guardians_informed_at = models.DateTimeField("Sorgeberechtigte informiert", null=True, blank=True)
    guardians_informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=CrisisStatus.choices, default=CrisisStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    debrief = models.TextField("Nachbesprechung", max_length=4000, blank=True)
    # Admitted to a child-psychiatry clinic: the clinic joins the help planning (§ 36 SGB VIII) on the
    # consent of the persons with custody, recorded here.
    admitted_to = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_by = models.CharField("Einwilligung erteilt von", max_length=200, blank=True)
    consent_on = models.DateField("Einwilligung erteilt am", null=True, blank=True)

    class Meta:
        verbose_name = "Krise"
        verbose_name_plural = "Krisen"
        constraints = [
            # Two people raising a crisis for the same case at once raise one crisis.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="crisis_one_open_per_case"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(debrief="")),
                name="crisis_closed_with_debrief",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | ~Q(subject=""), name="crisis_case_or_subject"
            ),
        ]
        indexes = [models.Index(fields=["case", "-raised_at"], name="crisis_case")]

    def __str__(self) -> str:
        return f"Krise {self.pk}"

    @property
    def label(self) -> str:
        """How the crisis is named: the case's pseudonym, or the short label until it is joined."""
        if self.case is not None:
            return f"Fall {self.case.child.pseudonym}"
        age = f", {self.age} Jahre" if self.age is not None else ""
        return f"„{self.subject}“{age} (noch keinem Fall zugeordnet)"


class CrisisResponse(models.TextChoices):
    TAKEN = "taken", "übernommen"
    ON_THE_WAY = "on_the_way", "unterwegs"
    NOT_RESPONSIBLE = "not_responsible", "nicht zuständig"


class RecipientSource(models.TextChoices):
    ON_CALL = "on_call", "Rufbereitschaft"
    COORDINATION = "coordination", "Koordination"
    MEMBER = "member", "weitere Fachkraft der Stelle"


class CrisisRecipient(models.Model):
    """One organisation's part in a crisis and the person alerted for it; ``user`` is empty when
    the organisation has neither anyone on call nor a coordination (a gap nobody could fill)."""

    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="recipients")
    function = models.CharField(max_length=20, choices=CrisisFunction.choices)
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phone = models.CharField(max_length=40, blank=True)  # the shift's phone, or the person's
    source = models.CharField(max_length=20, choices=RecipientSource.choices)
    gap = models.BooleanField(default=False)  # nobody of the organisation was on call
    alerted_at = models.DateTimeField()
    # 0: the first alert; 1, 2, …: alerted because nobody of the organisation had answered in time.
    step = models.PositiveSmallIntegerField(default=0)
    respond_by = models.DateTimeField()  # the agreements' time for a crisis (ResponseUnit.MINUTES)
    escalated_at = models.DateTimeField(null=True, blank=True)  # the next step was taken
    response = models.CharField(max_length=20, choices=CrisisResponse.choices, blank=True)
    response_reason = models.CharField("Begründung", max_length=500, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Alarmierte Stelle"
        verbose_name_plural = "Alarmierte Stellen"
        constraints = [
            models.UniqueConstraint(fields=["crisis", "organisation", "user"], name="crisis_recipient_once"),
            models.CheckConstraint(
                condition=~Q(response="not_responsible") | ~Q(response_reason=""),
                name="crisis_not_responsible_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "crisis"], name="crisis_recipient_user"),
            models.Index(
                fields=["respond_by"], name="crisis_recipient_due", condition=Q(escalated_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_function_display()}: {self.organisation_id}"

    @property
    def alert_key(self) -> str:
        return f"crisis:{self.crisis_id}:{self.pk}"
