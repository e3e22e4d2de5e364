from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from schutznetz.audit.models import AuditAction
from schutznetz.cases.models import (
    CaseRole,
    Confirmation,
    FeedbackNote,
    LegalBasis,
    Participation,
    SpecialistAdvice,
    SpecialistFinding,
    Task,
    TaskStatus,
    TaskTrigger,
    TimelineEntry,
)
from schutznetz.kit.rest.fields import MAX_ID, DateField, DateTimeField, StrictCharField, StrictRegexField
from schutznetz.network.models import Urgency
from schutznetz.people.models import GuardianRelation, Sex


class ChildIdentityOutput(serializers.Serializer):
    given_name = StrictCharField()
    family_name = StrictCharField()
    birth_date = DateField()
    sex = StrictCharField()
    street = StrictCharField()
    postal_code = StrictCharField()
    city = StrictCharField()


class TaskOutput(serializers.ModelSerializer):
    owner_name = StrictCharField(source="owner.display_name")

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "owner",
            "owner_name",
            "owner_organisation",
            "due_date",
            "status",
            "note",
            "completes_on",
        ]


class ParticipationOutput(serializers.ModelSerializer):
    organisation_name = StrictCharField(source="organisation.name")

    class Meta:
        model = Participation
        fields = ["id", "organisation", "organisation_name", "role", "legal_basis", "pseudonymised", "status"]


class TimelineOutput(serializers.ModelSerializer):
    class Meta:
        model = TimelineEntry
        fields = ["at", "kind", "text"]


class CaseSummaryOutput(serializers.Serializer):
    id = serializers.UUIDField(source="case.id")
    pseudonym = StrictCharField(source="case.child.pseudonym")
    child = ChildIdentityOutput(
        source="identity", allow_null=True, help_text="null bei pseudonymisierter Beteiligung"
    )
    title = StrictCharField(
        help_text="Anlass; bei pseudonymisierter Beteiligung die pseudonymisierte Fallschilderung"
    )
    state = StrictCharField(allow_null=True, help_text="null bei pseudonymisierter Beteiligung")
    lead_organisation = serializers.IntegerField(
        source="lead_organisation_id", allow_null=True, help_text="null bei pseudonymisierter Beteiligung"
    )
    lead_organisation_name = StrictCharField(
        allow_null=True, help_text="null bei pseudonymisierter Beteiligung"
    )
    lead_user_name = StrictCharField(allow_null=True, help_text="null bei pseudonymisierter Beteiligung")
    next_due_date = DateField(source="next_task.due_date", allow_null=True, default=None)


class CaseListInput(serializers.Serializer):
    only_mine = serializers.BooleanField(
        default=False, help_text="nur Fälle, die ich führe oder in denen ich eine offene Aufgabe habe"
    )


class GuardianOutput(serializers.Serializer):
    relation = StrictCharField()
    given_name = StrictCharField(source="identity.given_name")
    family_name = StrictCharField(source="identity.family_name")
    phone = StrictCharField(source="identity.phone")
    address = StrictCharField(source="identity.address")


class GuardianInput(serializers.Serializer):
    relation = serializers.ChoiceField(choices=GuardianRelation.choices)
    given_name = StrictCharField(max_length=100)
    family_name = StrictCharField(max_length=100)
    phone = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    address = StrictCharField(max_length=200, required=False, allow_blank=True, default="")


class CaseDetailOutput(serializers.Serializer):
    id = serializers.UUIDField(source="access.case.id")
    pseudonym = StrictCharField(source="access.case.child.pseudonym")
    child = ChildIdentityOutput(
        source="identity", allow_null=True, help_text="null bei pseudonymisierter Beteiligung"
    )
    title = StrictCharField(
        help_text="Anlass; bei pseudonymisierter Beteiligung die pseudonymisierte Fallschilderung"
    )
    state = StrictCharField(allow_null=True, help_text="null bei pseudonymisierter Beteiligung")
    lead_organisation = serializers.IntegerField(
        source="lead_organisation_id", allow_null=True, help_text="null bei pseudonymisierter Beteiligung"
    )
    lead_user = serializers.IntegerField(
        source="lead_user_id", allow_null=True, help_text="null bei pseudonymisierter Beteiligung"
    )
    pseudonymised = serializers.BooleanField(source="access.participation.pseudonymised")
    guardians = GuardianOutput(many=True, help_text="leer bei pseudonymisierter Beteiligung")
    participations = ParticipationOutput(many=True)
    tasks = TaskOutput(many=True)
    timeline = TimelineOutput(many=True)
    pending_handover = serializers.IntegerField(source="pending_handover.pk", allow_null=True, default=None)


def _not_future(value: date) -> None:
    if value > timezone.localdate():
        raise serializers.ValidationError("Das Geburtsdatum liegt in der Zukunft.", code="date_range")
    if value.year < 1990:
        raise serializers.ValidationError("Bitte das Geburtsdatum prüfen.", code="date_range")


class ChildIdentityInput(serializers.Serializer):
    given_name = StrictCharField(max_length=100)
    family_name = StrictCharField(max_length=100)
    birth_date = DateField(validators=[_not_future])
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NONE)
    street = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    postal_code = StrictRegexField(r"^(\d{5})?$", required=False, allow_blank=True, default="")
    city = StrictCharField(max_length=100, required=False, allow_blank=True, default="")


class TaskInput(serializers.Serializer):
    title = StrictCharField(max_length=200)
    due_date = DateField()
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    completes_on = serializers.ChoiceField(
        choices=TaskTrigger.choices,
        required=False,
        allow_blank=True,
        help_text="das Ereignis des Falls, das die Aufgabe von selbst erledigt (leer: von Hand)",
    )


class CaseCreateInput(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = StrictCharField(max_length=200)
    child = ChildIdentityInput()
    first_task = TaskInput()


class InviteInput(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    role = serializers.ChoiceField(choices=CaseRole.choices)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    pseudonymised = serializers.BooleanField(default=False)
    summary = StrictCharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Pseudonymisierte Fallschilderung für pseudonymisiert Beteiligte "
        "(ohne Namen, Geburtsdaten, Anschriften)",
    )
    reason = StrictCharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Anlass der Einladung, den die eingeladene Organisation vor der Annahme liest "
        "(ohne Namen, Geburtsdaten, Anschriften)",
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)


class AnswerInput(serializers.Serializer):
    accept = serializers.BooleanField()


class TaskCompleteInput(serializers.Serializer):
    note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    next_task = TaskInput(required=False)


class TaskReassignInput(serializers.Serializer):
    owner = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_date = DateField(required=False)


class HandoverInput(serializers.Serializer):
    to_organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class HandoverOutput(serializers.Serializer):
    id = serializers.IntegerField()
    to_organisation = serializers.IntegerField(source="to_organisation_id")
    status = StrictCharField()


class PendingHandoverOutput(serializers.Serializer):
    """A lead hand-over waiting for one of my organisations, named by the case's pseudonym; the
    reason may name the family and is read in the case, where the read is recorded."""

    id = serializers.IntegerField()
    case = serializers.UUIDField(source="case_id")
    pseudonym = StrictCharField(source="case.child.pseudonym")
    from_organisation = serializers.IntegerField(source="from_organisation_id")
    from_organisation_name = StrictCharField(source="from_organisation.name")
    to_organisation = serializers.IntegerField(source="to_organisation_id")
    to_organisation_name = StrictCharField(source="to_organisation.name")
    requested_by = StrictCharField(source="requested_by.display_name")
    requested_at = DateTimeField()
    respond_by = DateTimeField(allow_null=True, help_text="Antwort erbeten bis (nach den Vereinbarungen)")
    can_answer = serializers.SerializerMethodField(
        help_text="Ob ich sie annehmen oder ablehnen darf (die Koordination der übernehmenden Organisation)"
    )

    def get_can_answer(self, handover: Any) -> bool:
        return handover.pk in self.context["answerable"]


class CloseInput(serializers.Serializer):
    reason = StrictCharField(max_length=2000)
    open_tasks_note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class ChildSearchInput(serializers.Serializer):
    given_name = StrictCharField(max_length=100)
    family_name = StrictCharField(max_length=100)
    birth_date = DateField()


class ChildMatchOutput(serializers.Serializer):
    pseudonym = StrictCharField(source="child.pseudonym")
    child = ChildIdentityOutput(source="identity")
    exact = serializers.BooleanField()
    cases = serializers.SerializerMethodField()

    def get_cases(self, match: Any) -> list[str]:
        return [str(c.pk) for c in match.cases]


class MyTaskOutput(TaskOutput):
    """A task in a case (``case``) or an action item of a network meeting (``meeting``)."""

    case = serializers.UUIDField(source="case_id", allow_null=True)
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)

    class Meta(TaskOutput.Meta):
        fields = [*TaskOutput.Meta.fields, "case", "meeting"]


class InvitationOutput(ParticipationOutput):
    case = serializers.UUIDField(source="case_id")
    pseudonym = StrictCharField(source="case.child.pseudonym")
    respond_by = DateTimeField(allow_null=True, help_text="Antwort erbeten bis (nach den Vereinbarungen)")

    class Meta(ParticipationOutput.Meta):
        fields = [*ParticipationOutput.Meta.fields, "case", "pseudonym", "reason", "urgency", "respond_by"]


class AuditEventOutput(serializers.Serializer):
    seq = serializers.IntegerField(
        allow_null=True, help_text="Position in der Protokollkette; leer, bis der Eintrag versiegelt ist"
    )
    at = DateTimeField()
    actor = StrictCharField(source="actor.display_name", allow_null=True, default=None)
    actor_id = serializers.IntegerField(allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    action = StrictCharField()
    object_type = StrictCharField()
    purpose = StrictCharField()


class OrganisationAuditEventOutput(AuditEventOutput):
    case = serializers.SerializerMethodField(
        help_text="Pseudonym des Kindes, wenn der Eintrag einen Fall betrifft"
    )

    def get_case(self, event: Any) -> str | None:
        pseudonyms: dict[Any, str] = self.context.get("pseudonyms", {})
        return pseudonyms.get(event.case_id) if event.case_id else None


class AccessLogInput(serializers.Serializer):
    """Filters of an access log; all optional."""

    person = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Nutzer-ID")
    organisation = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Organisation (Fall: die handelnde; sonst: die eigene)",
    )
    action = serializers.ChoiceField(required=False, choices=AuditAction.choices)
    since = DateField(required=False, help_text="von (einschließlich)")
    until = DateField(required=False, help_text="bis (einschließlich)")
    case = StrictCharField(
        required=False, max_length=40, help_text="Pseudonym des Kindes (Protokoll der Organisation)"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError({"until": ["Das Ende des Zeitraums liegt vor seinem Beginn."]})
        return attrs


class OrganisationInput(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="die eigene Organisation (sonst die erste)"
    )


class AccessAlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = StrictCharField()
    at = DateTimeField()
    actor = StrictCharField(source="actor.display_name")
    actor_id = serializers.IntegerField()
    count = serializers.IntegerField(
        help_text="geöffnete Fälle in der Stunde (read_rate) oder Lesezugriffe auf abgegebene Fälle am Tag "
        "(history_reads)"
    )
    limit = serializers.IntegerField()
    window_start = DateTimeField()
    description = StrictCharField(help_text="was auffiel, als Satz ohne den Namen")


class DuplicateOutput(serializers.Serializer):
    id = serializers.UUIDField()
    pseudonym = StrictCharField(source="child.pseudonym")
    lead_organisation_name = StrictCharField(source="lead_organisation.name")
    created_at = DateTimeField()


class DuplicateSideOutput(serializers.Serializer):
    id = serializers.UUIDField(source="access.case.id")
    pseudonym = StrictCharField(source="access.case.child.pseudonym")
    child = ChildIdentityOutput(source="identity")
    title = StrictCharField(source="access.case.title")
    state = StrictCharField(source="access.case.state")
    lead_organisation_name = StrictCharField(source="access.case.lead_organisation.name")
    lead_user_name = StrictCharField(source="access.case.lead_user.display_name")
    created_at = DateTimeField(source="access.case.created_at")
    participants = serializers.SerializerMethodField()
    open_tasks = serializers.SerializerMethodField()

    def get_participants(self, detail: Any) -> list[str]:
        return [p.organisation.name for p in detail.participations]

    def get_open_tasks(self, detail: Any) -> int:
        return sum(1 for t in detail.tasks if t.status == TaskStatus.OPEN)


class CaseJoinOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.UUIDField(source="case_id", help_text="der neuere Fall")
    into = serializers.UUIDField(
        source="into_id", help_text="der ältere Fall, über den die Organisation arbeitet"
    )
    decision = StrictCharField(help_text="joined: zusammengeführt; distinct: kein Doppelfall")
    decided_at = DateTimeField()
    undone_at = DateTimeField(allow_null=True)


class JoinsOutput(serializers.Serializer):
    joined_into = CaseJoinOutput(source="into", allow_null=True)
    joined = CaseJoinOutput(many=True)


MSG_FEEDBACK_FIELD = (
    "Die Rückmeldung nach § 4 Abs. 4 KKG enthält nur die drei Antworten, einen vorgegebenen Hinweis "
    "und eine Rückrufnummer; dieses Feld ist nicht vorgesehen."
)


class FeedbackInputSerializer(serializers.Serializer):
    """§ 4 Abs. 4 KKG feedback (``cases.feedback``): three answers, a fixed phrase, a callback number;
    no free text."""

    confirmed = serializers.ChoiceField(choices=Confirmation.choices)
    became_active = serializers.BooleanField(
        help_text="Ist das Jugendamt zum Schutz des Kindes tätig geworden?"
    )
    still_active = serializers.BooleanField(help_text="Ist das Jugendamt noch tätig?")
    note = serializers.ChoiceField(choices=FeedbackNote.choices, default="", allow_blank=True)
    callback_phone = StrictCharField(max_length=30, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A field beyond these (a free text) is refused, not dropped: the sender must not believe
        it reached the reporter."""
        extra = sorted(set(self.initial_data) - set(self.fields))
        if extra:
            raise serializers.ValidationError({name: [MSG_FEEDBACK_FIELD] for name in extra})
        return attrs


FEEDBACK_OUTPUT_FIELDS = [
    "confirmed",
    "became_active",
    "still_active",
    "note",
    "callback_phone",
    "given_at",
]


class SpecialistAdviceInput(serializers.Serializer):
    finding = serializers.ChoiceField(choices=SpecialistFinding.choices)
    recommendation = StrictCharField(max_length=2000, help_text="ohne Namen, Geburtsdaten und Anschriften")


class SpecialistAdviceOutput(serializers.ModelSerializer):
    organisation_name = StrictCharField(source="organisation.name")
    given_by_name = StrictCharField(source="given_by.display_name")

    class Meta:
        model = SpecialistAdvice
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "given_by_name",
            "given_at",
            "finding",
            "recommendation",
        ]
