from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from schutznetz.cases.forms import child_identity_from
from schutznetz.cases.models import LegalBasis
from schutznetz.cases.queries import ChildMatch
from schutznetz.kit.forms import DateField, DateTimeField
from schutznetz.network.models import Organisation, Urgency
from schutznetz.people.identity import ChildIdentity
from schutznetz.people.models import Sex
from schutznetz.welfare.models import (
    AreaRating,
    CareReason,
    ConferenceMode,
    DangerFrom,
    Endangerment,
    HelpType,
    IntakeSource,
    Outcome,
)
from schutznetz.welfare.services import (
    GUEST_BASES,
    MSG_CLINIC,
    MSG_COURT,
    MSG_PROVIDER,
    MSG_REVIEW_ON,
    AssessmentInput,
    AttendanceInput,
    CareTakingInput,
    ClinicInput,
    ConferenceInput,
    CourtReferralInput,
    DecisionInput,
    GuestInput,
    HelpPlanInput,
    MeasureInput,
    MoveInput,
    SafetyPlanInput,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MSG_CHILD = "Bitte Vorname, Familienname und Geburtsdatum des Kindes angeben oder einen Fall zuordnen."


class IntakeForm(forms.Form):
    youth_office = forms.TypedChoiceField(label="Jugendamt", coerce=int)
    received_at = DateTimeField(label="Eingegangen am", widget=DATETIME)
    source = forms.ChoiceField(
        label="Bekannt geworden durch", choices=[("", "– bitte wählen –"), *IntakeSource.choices]
    )
    urgency = forms.ChoiceField(
        label="Dringlichkeit", choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )
    account = forms.CharField(
        label="Was wurde mitgeteilt?", max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    reporter_anonymous = forms.BooleanField(label="Die meldende Person bleibt anonym", required=False)
    reporter_name = forms.CharField(label="Name der meldenden Person", max_length=200, required=False)
    reporter_contact = forms.CharField(
        label="Erreichbarkeit (Telefon, E-Mail)", max_length=200, required=False
    )
    reporter_organisation = forms.TypedChoiceField(
        label="Meldende Einrichtung im Netzwerk", coerce=int, required=False, empty_value=None
    )
    family_name = forms.CharField(label="Familienname des Kindes", max_length=100, required=False)
    given_name = forms.CharField(label="Vorname des Kindes", max_length=100, required=False)
    birth_date = DateField(label="Geburtsdatum", widget=DATE, required=False)
    sex = forms.ChoiceField(label="Geschlecht (laut Geburtenregister)", choices=Sex.choices, initial=Sex.NONE)
    street = forms.CharField(label="Straße und Hausnummer", max_length=200, required=False)
    postal_code = forms.RegexField(
        label="Postleitzahl",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Bitte eine fünfstellige Postleitzahl angeben."},
    )
    city = forms.CharField(label="Ort", max_length=100, required=False)
    # The service checks that the Jugendamt takes part in the case; the choices are the likely matches.
    join_case = forms.UUIDField(label="Meldung diesem Fall zuordnen", required=False, widget=forms.Select)
    confirm_new = forms.BooleanField(
        label="Es handelt sich um ein anderes Kind als die angezeigten Treffer", required=False
    )

    def __init__(
        self,
        *args: Any,
        offices: list[Organisation],
        organisations: list[tuple[int, str]],
        matches: list[ChildMatch] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth_office"].choices = [(o.pk, o.name) for o in offices]  # type: ignore[attr-defined]
        if len(offices) == 1:
            self.fields["youth_office"].initial = offices[0].pk
        self.fields["reporter_organisation"].choices = [  # type: ignore[attr-defined]
            ("", "– keine oder außerhalb des Netzwerks –"),
            *organisations,
        ]
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["join_case"].widget.choices = [
            ("", "– neuer Fall –"),
            *(
                (str(case.pk), f"Fall {case.child.pseudonym}: {m.identity.full_name}, {case.title}")
                for m in matches or []
                for case in m.cases
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("join_case") and not (
            data.get("given_name") and data.get("family_name") and data.get("birth_date")
        ):
            self.add_error("given_name", MSG_CHILD)
        return data

    def child(self) -> ChildIdentity | None:
        if self.cleaned_data.get("join_case"):
            return None
        return child_identity_from(self.cleaned_data)


class FirstContactForm(forms.Form):
    note = forms.CharField(label="Vermerk (ohne Namen Dritter)", max_length=300, required=False)


class AssessmentForm(forms.Form):
    """§ 8a risk assessment; the areas come from the configured catalogue (rating and note each)."""

    home_visit_at = DateTimeField(label="Hausbesuch am", widget=DATETIME, required=False)
    child_seen_at = DateTimeField(label="Kind gesehen am", widget=DATETIME, required=False)
    child_seen_by = forms.CharField(label="Kind gesehen von", max_length=200, required=False)
    sources = forms.CharField(
        label="Erkenntnisquellen", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    participants = forms.CharField(
        label="Beteiligte Fachkräfte und Stellen (außer den Unterzeichnenden)", max_length=500, required=False
    )
    reporter_involved = forms.BooleanField(label="Die meldende Stelle war beteiligt", required=False)
    outcome = forms.ChoiceField(label="Ergebnis", choices=Outcome.choices, widget=forms.RadioSelect)
    endangerments = forms.MultipleChoiceField(
        label="Art der Gefährdung (mehrere möglich)",
        choices=Endangerment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    danger_from = forms.MultipleChoiceField(
        label="Die Gefährdung geht aus von (mehrere möglich)",
        choices=DangerFrom.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    repeat_report = forms.BooleanField(label="Wiederholte Meldung zu diesem Kind", required=False)
    change_note = forms.CharField(label="Grund der Korrektur", max_length=300, required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], correcting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        for code, label in areas:
            self.fields[f"area_{code}"] = forms.ChoiceField(
                label=label, choices=AreaRating.choices, initial=AreaRating.UNKNOWN
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=f"{label}: Begründung", max_length=1000, required=False
            )
        if not correcting:
            del self.fields["change_note"]

    def area_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"area_{code}"], self[f"note_{code}"]) for code, _ in self.areas]

    def assessment_input(self) -> AssessmentInput:
        d = self.cleaned_data
        return AssessmentInput(
            outcome=d["outcome"],
            areas={code: {"rating": d[f"area_{code}"], "note": d[f"note_{code}"]} for code, _ in self.areas},
            endangerments=d["endangerments"],
            danger_from=d["danger_from"],
            home_visit_at=d["home_visit_at"],
            child_seen_at=d["child_seen_at"],
            child_seen_by=d["child_seen_by"],
            sources=d["sources"],
            participants=d["participants"],
            reporter_involved=d["reporter_involved"],
            repeat_report=d["repeat_report"],
        )


MEASURE_ROWS = 4


class SafetyPlanForm(forms.Form):
    """A safety plan with up to four measures; empty rows are left out."""

    agreed_on = DateField(label="Vereinbart am", widget=DATE)
    agreed_with = forms.CharField(
        label="Vereinbart mit (z. B. Mutter, Vater, Jugendliche/r)", max_length=200, required=False
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = [("", "– bitte wählen –"), *staff]
        for n in range(1, MEASURE_ROWS + 1):
            self.fields[f"measure_{n}"] = forms.CharField(
                label=f"Maßnahme {n}: Beschreibung",
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"responsible_{n}"] = forms.CharField(
                label=f"Maßnahme {n}: verantwortlich (Person oder Stelle)", max_length=200, required=False
            )
            self.fields[f"owner_{n}"] = forms.TypedChoiceField(
                label=f"Maßnahme {n}: nachgehalten von",
                choices=owners,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"due_{n}"] = DateField(label=f"Maßnahme {n}: Frist", widget=DATE, required=False)
            self.fields[f"check_{n}"] = DateField(
                label=f"Maßnahme {n}: Überprüfung am", widget=DATE, required=False
            )

    def measure_rows(self) -> list[list[forms.BoundField]]:
        names = ("measure", "responsible", "owner", "due", "check")
        return [[self[f"{name}_{n}"] for name in names] for n in range(1, MEASURE_ROWS + 1)]

    def plan_input(self) -> SafetyPlanInput:
        d = self.cleaned_data
        measures = [
            MeasureInput(
                measure=d[f"measure_{n}"],
                responsible=d[f"responsible_{n}"],
                owner_id=d[f"owner_{n}"],
                due_date=d[f"due_{n}"],
                check_date=d[f"check_{n}"],
            )
            for n in range(1, MEASURE_ROWS + 1)
            if d[f"measure_{n}"].strip()
            or d[f"responsible_{n}"].strip()
            or d[f"owner_{n}"]
            or d[f"due_{n}"]
            or d[f"check_{n}"]
        ]
        return SafetyPlanInput(agreed_on=d["agreed_on"], agreed_with=d["agreed_with"], measures=measures)


class CourtReferralForm(forms.Form):
    court = forms.TypedChoiceField(
        label="Familiengericht",
        coerce=int,
        error_messages={"required": MSG_COURT, "invalid_choice": MSG_COURT},
    )
    referred_on = DateField(label="Angerufen am", widget=DATE)
    urgent = forms.BooleanField(label="Eilverfahren (einstweilige Anordnung) beantragt", required=False)
    reason = forms.CharField(
        label="Begründung (Gefährdung, warum die Eltern sie nicht abwenden wollen oder können)",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    follow_up_date = DateField(
        label="Wiedervorlage",
        widget=DATE,
        required=False,
        help_text="Ohne Angabe zwei Wochen nach der Anrufung.",
    )

    def __init__(self, *args: Any, courts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", "– bitte wählen –"), *courts]  # type: ignore[attr-defined]

    def referral_input(self) -> CourtReferralInput:
        d = self.cleaned_data
        return CourtReferralInput(
            court_id=d["court"],
            referred_on=d["referred_on"],
            reason=d["reason"],
            urgent=d["urgent"],
            follow_up_date=d["follow_up_date"],
        )


class CareTakingForm(forms.Form):
    begins_at = DateTimeField(label="Beginn", widget=DATETIME)
    reason = forms.ChoiceField(
        label="Anlass (§ 42 Abs. 1 SGB VIII)", choices=CareReason.choices, widget=forms.RadioSelect
    )
    reason_note = forms.CharField(
        label="Begründung", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label="Unterbringung (Einrichtung oder Bereitschaftspflege)", max_length=200)
    ends_at = DateTimeField(label="Ende", widget=DATETIME, required=False)
    court_decision_on = DateField(label="Entscheidung des Familiengerichts am", widget=DATE, required=False)

    def care_input(self) -> CareTakingInput:
        d = self.cleaned_data
        return CareTakingInput(
            begins_at=d["begins_at"],
            place=d["place"],
            reason=d["reason"],
            reason_note=d["reason_note"],
            ends_at=d["ends_at"],
            court_decision_on=d["court_decision_on"],
        )


class CareTakingEndForm(forms.Form):
    ends_at = DateTimeField(label="Ende", widget=DATETIME, required=False)
    court_decision_on = DateField(label="Entscheidung des Familiengerichts am", widget=DATE, required=False)


class HelpPlanForm(forms.Form):
    help_type = forms.ChoiceField(label="Hilfeart", choices=[("", "– bitte wählen –"), *HelpType.choices])
    goals = forms.CharField(
        label="Ziele der Hilfe", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    provider = forms.TypedChoiceField(
        label="Leistungserbringer",
        coerce=int,
        error_messages={"required": MSG_PROVIDER, "invalid_choice": MSG_PROVIDER},
    )
    starts_on = DateField(label="Beginn der Hilfe", widget=DATE)
    review_on = DateField(
        label="Nächste Überprüfung", widget=DATE, error_messages={"required": MSG_REVIEW_ON}
    )
    young_person_involved = forms.BooleanField(
        label="Das Kind bzw. der/die Jugendliche hat an der Hilfeplanung mitgewirkt", required=False
    )
    guardians_involved = forms.CharField(
        label="Beteiligte Personensorgeberechtigte (oder warum nicht beteiligt)", max_length=200
    )

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "– bitte wählen –"), *providers]  # type: ignore[attr-defined]

    def plan_input(self) -> HelpPlanInput:
        d = self.cleaned_data
        return HelpPlanInput(
            help_type=d["help_type"],
            goals=d["goals"],
            provider_id=d["provider"],
            starts_on=d["starts_on"],
            review_on=d["review_on"],
            young_person_involved=d["young_person_involved"],
            guardians_involved=d["guardians_involved"],
        )


class HelpPlanReviewForm(forms.Form):
    held_on = DateField(label="Hilfeplangespräch am", widget=DATE)
    result = forms.CharField(
        label="Ergebnis der Überprüfung", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = DateField(
        label="Nächste Überprüfung", widget=DATE, error_messages={"required": MSG_REVIEW_ON}
    )


class HelpPlanClinicForm(forms.Form):
    clinic = forms.TypedChoiceField(
        label="Klinik für Kinder- und Jugendpsychiatrie",
        coerce=int,
        error_messages={"required": MSG_CLINIC, "invalid_choice": MSG_CLINIC},
    )
    discharged_on = DateField(label="Entlassen am", widget=DATE)
    consent_on = DateField(label="Einwilligung erteilt am", widget=DATE)
    consent_by = forms.CharField(
        label="Einwilligung erteilt von (z. B. Mutter als Personensorgeberechtigte)", max_length=200
    )

    def __init__(self, *args: Any, clinics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = [("", "– bitte wählen –"), *clinics]  # type: ignore[attr-defined]

    def clinic_input(self) -> ClinicInput:
        d = self.cleaned_data
        return ClinicInput(
            clinic_id=d["clinic"],
            discharged_on=d["discharged_on"],
            consent_on=d["consent_on"],
            consent_by=d["consent_by"],
        )


GUEST_ROWS = 2
DECISION_ROWS = 4


class ConferenceForm(forms.Form):
    """Plan a case conference: people of the case's organisations, and up to two guests from
    organisations outside the case, each with the legal basis or consent."""

    starts_at = DateTimeField(label="Beginn", widget=DATETIME)
    ends_at = DateTimeField(label="Ende", widget=DATETIME)
    mode = forms.ChoiceField(label="Form", choices=ConferenceMode.choices, widget=forms.RadioSelect)
    location = forms.CharField(label="Ort oder Einwahl", max_length=200, required=False)
    agenda = forms.CharField(label="Tagesordnung", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    participants = forms.TypedMultipleChoiceField(
        label="Teilnehmende aus den beteiligten Stellen",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, *args: Any, staff: list[tuple[int, str]], guests: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = staff  # type: ignore[attr-defined]
        bases = [("", "– bitte wählen –"), *((b, LegalBasis(b).label) for b in GUEST_BASES)]
        for n in range(1, GUEST_ROWS + 1):
            self.fields[f"guest_{n}"] = forms.TypedChoiceField(
                label=f"Gast {n}",
                choices=[("", "– kein Gast –"), *guests],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"guest_{n}_basis"] = forms.ChoiceField(
                label=f"Gast {n}: Rechtsgrundlage", choices=bases, required=False
            )
            self.fields[f"guest_{n}_consent_by"] = forms.CharField(
                label=f"Gast {n}: Einwilligung erteilt von", max_length=200, required=False
            )
            self.fields[f"guest_{n}_consent_on"] = DateField(
                label=f"Gast {n}: Einwilligung erteilt am", widget=DATE, required=False
            )
            self.fields[f"guest_{n}_until"] = DateField(
                label=f"Gast {n}: Einsicht in das Protokoll bis", widget=DATE, required=False
            )

    def guest_rows(self) -> list[list[forms.BoundField]]:
        parts = ("", "_basis", "_consent_by", "_consent_on", "_until")
        return [[self[f"guest_{n}{p}"] for p in parts] for n in range(1, GUEST_ROWS + 1)]

    def conference_input(self) -> ConferenceInput:
        d = self.cleaned_data
        guests = [
            GuestInput(
                user_id=d[f"guest_{n}"],
                legal_basis=d[f"guest_{n}_basis"],
                access_until=d[f"guest_{n}_until"],
                consent_by=d[f"guest_{n}_consent_by"],
                consent_on=d[f"guest_{n}_consent_on"],
            )
            for n in range(1, GUEST_ROWS + 1)
            if d[f"guest_{n}"] or d[f"guest_{n}_basis"] or d[f"guest_{n}_consent_by"]
        ]
        return ConferenceInput(
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            mode=d["mode"],
            location=d["location"],
            agenda=d["agenda"],
            participant_ids=d["participants"],
            guests=guests,
        )


class MinutesForm(forms.Form):
    """Attendance of each invited person, the minutes and up to four decisions."""

    minutes = forms.CharField(label="Protokoll", max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(
        self, *args: Any, attendees: list[tuple[int, str]], staff: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attendee_ids = [pk for pk, _ in attendees]
        for pk, name in attendees:
            self.fields[f"present_{pk}"] = forms.BooleanField(label=f"{name}: anwesend", required=False)
            self.fields[f"mode_{pk}"] = forms.ChoiceField(
                label=f"{name}: Teilnahme",
                choices=[("", "wie geplant"), *ConferenceMode.choices],
                required=False,
            )
            self.fields[f"minutes_{pk}"] = forms.IntegerField(
                label=f"{name}: Dauer der Teilnahme (Minuten)", min_value=1, max_value=600, required=False
            )
        owners = [("", "– bitte wählen –"), *staff]
        for n in range(1, DECISION_ROWS + 1):
            self.fields[f"decision_{n}"] = forms.CharField(
                label=f"Beschluss {n}: Inhalt", max_length=500, required=False
            )
            self.fields[f"decision_{n}_owner"] = forms.TypedChoiceField(
                label=f"Beschluss {n}: verantwortlich",
                choices=owners,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"decision_{n}_due"] = DateField(
                label=f"Beschluss {n}: Frist", widget=DATE, required=False
            )

    def attendance_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"{p}_{pk}"] for p in ("present", "mode", "minutes")] for pk in self.attendee_ids]

    def decision_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"decision_{n}{p}"] for p in ("", "_owner", "_due")] for n in range(1, DECISION_ROWS + 1)
        ]

    def attendance(self) -> dict[int, AttendanceInput]:
        d = self.cleaned_data
        return {
            pk: AttendanceInput(
                present=d[f"present_{pk}"], mode=d[f"mode_{pk}"], minutes_attended=d[f"minutes_{pk}"]
            )
            for pk in self.attendee_ids
        }

    def decisions(self) -> list[DecisionInput]:
        d = self.cleaned_data
        return [
            DecisionInput(
                text=d[f"decision_{n}"], owner_id=d[f"decision_{n}_owner"], due_date=d[f"decision_{n}_due"]
            )
            for n in range(1, DECISION_ROWS + 1)
            if d[f"decision_{n}"].strip() or d[f"decision_{n}_owner"] or d[f"decision_{n}_due"]
        ]


class MoveForm(forms.Form):
    street = forms.CharField(label="Neue Anschrift: Straße und Hausnummer", max_length=200)
    postal_code = forms.RegexField(
        label="Postleitzahl", regex=r"^\d{5}$", error_messages={"invalid": "Bitte fünf Ziffern angeben."}
    )
    city = forms.CharField(label="Ort", max_length=100)
    information = forms.CharField(
        label="Informationen für das neue Jugendamt zur Gefährdungseinschätzung",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Was das neue Jugendamt wissen muss, um das Gefährdungsrisiko einzuschätzen "
        "(§ 8a Abs. 6 SGB VIII); die geltende Gefährdungseinschätzung und der Schutzplan werden mitgezeigt.",
    )

    def move_input(self) -> MoveInput:
        d = self.cleaned_data
        return MoveInput(
            street=d["street"], postal_code=d["postal_code"], city=d["city"], information=d["information"]
        )


class MoveDeclineForm(forms.Form):
    reason = forms.CharField(label="Grund der Ablehnung", max_length=500)


class GuestEndForm(forms.Form):
    reason = forms.CharField(label="Grund (z. B. Einwilligung widerrufen)", max_length=300)
