"""Network meetings: round tables, the Arbeitskreis Kinderschutz, workshops and training events.

Meetings hold no personal data of children. Their action items are tasks of the case core
(``cases.Task`` with ``meeting`` instead of ``case``), so they appear in "Meine Aufgaben" and are
reminded and escalated by the same worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class MeetingKind(models.TextChoices):
    ROUND_TABLE = "round_table", "Runder Tisch"
    WORKING_GROUP = "working_group", "Arbeitskreis Kinderschutz"
    TRAINING_EVENT = "training_event", "Fortbildung / Workshop"


class Meeting(models.Model):
    kind = models.CharField("Art", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("Titel", max_length=200)
    organiser = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="organised_meetings"
    )
    starts_at = models.DateTimeField("Beginn")
    ends_at = models.DateTimeField("Ende")
    location = models.CharField("Ort", max_length=200)
    agenda = models.TextField("Tagesordnung", max_length=5000, blank=True)
    # Published meetings are announced to the whole network (title, time, place, agenda);
    # attendance, minutes and action items stay with the organiser and the invited.
    published = models.BooleanField("im Netzwerk ausgeschrieben", default=False)
    minutes = models.TextField("Protokoll", max_length=20000, blank=True)
    decisions = models.TextField("Beschlüsse", max_length=5000, blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    minutes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # iCalendar SEQUENCE: raised on every change of time or place, so calendars update the entry.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField("abgesagt am", null=True, blank=True)
    cancel_reason = models.CharField("Grund der Absage", max_length=300, blank=True)

    class Meta:
        verbose_name = "Netzwerktreffen"
        verbose_name_plural = "Netzwerktreffen"
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start")
        ]
        indexes = [
            models.Index(fields=["organiser", "-starts_at"], name="meeting_organiser_start"),
            models.Index(fields=["published", "-starts_at"], name="meeting_published_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_names_kind(self) -> bool:
        """The title begins with the kind's first word ("Runder Tisch Medizin", "Arbeitskreis …")."""
        first = self.get_kind_display().split()[0].casefold()
        return self.title.casefold().startswith(first)

    @property
    def label(self) -> str:
        """Kind and title, without saying the kind twice ("Runder Tisch „Runder Tisch …“")."""
        return f"„{self.title}“" if self.title_names_kind else f"{self.get_kind_display()} „{self.title}“"


class AttendeeResponse(models.TextChoices):
    INVITED = "invited", "eingeladen"
    ACCEPTED = "accepted", "zugesagt"
    DECLINED = "declined", "abgesagt"


class MeetingAttendee(models.Model):
    """A person invited to a meeting, for the organisation they represent there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_invitations"
    )
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    response = models.CharField(
        max_length=10, choices=AttendeeResponse.choices, default=AttendeeResponse.INVITED
    )
    attended = models.BooleanField("anwesend", null=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    # An invitation left unanswered is reminded, then escalated (meetings/reminders.py).
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Eingeladene Person"
        verbose_name_plural = "Eingeladene"
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendee_once_per_meeting")]
        indexes = [models.Index(fields=["organisation", "meeting"], name="attendee_org_meeting")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_response_display()})"
