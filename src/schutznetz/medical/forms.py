from __future__ import annotations

from typing import Any

from django import forms

from schutznetz.cases.models import LegalBasis, Participation
from schutznetz.kit.forms import DateField, DateTimeField
from schutznetz.medical import bodymap
from schutznetz.medical.models import AffectedNotice, NotDoneReason
from schutznetz.medical.services import FindingsInput, clean_injuries
from schutznetz.medical.vocabulary import (
    Assessment,
    Colour,
    EstimatedAge,
    HistoryConsistency,
    HistoryGiver,
    InjuryKind,
    Mobility,
    Pattern,
)
from schutznetz.network.models import Organisation, Urgency

CHOOSE = ("", "– bitte wählen –")


def judgement(label: str, choices: Any, **extra: Any) -> forms.ChoiceField:
    """A clinical judgement: starts empty and must be chosen (nothing preset, AWMF guideline)."""
    return forms.ChoiceField(label=label, choices=[CHOOSE, *choices], **extra)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
EXTRA_ROWS = 1  # one empty row without script; the body map adds more (htmx)


class FindingsForm(forms.Form):
    examined_at = DateTimeField(label="Untersuchung am", widget=DATETIME)
    history = forms.CharField(
        label="Anamnese: Schilderung des Hergangs",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Möglichst wörtlich, mit Angabe, wer was geschildert hat.",
    )
    history_by = judgement("Geschildert von", HistoryGiver.choices)
    history_at = DateTimeField(label="Geschildert am", widget=DATETIME)
    history_consistency = judgement(
        "Schlüssigkeit der Anamnese",
        HistoryConsistency.choices,
        help_text="Eine nicht schlüssige, wechselnde oder fehlende Schilderung ist ein Warnzeichen und "
        "erweitert die empfohlene Diagnostik.",
    )
    mobility = judgement("Mobilität des Kindes", Mobility.choices)
    examinations_done = forms.CharField(
        label="Durchgeführte Untersuchungen",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    examinations_recommended = forms.CharField(
        label="Empfohlene oder veranlasste Untersuchungen",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assessment = judgement("Gesamteinschätzung", Assessment.choices)
    assessment_note = forms.CharField(
        label="Begründung der Einschätzung",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(FindingsForm):
    change_note = forms.CharField(
        label="Grund der Korrektur",
        max_length=300,
        help_text="Die bisherige Fassung bleibt mit Verfasser und Zeitpunkt lesbar.",
    )


class InjuryForm(forms.Form):
    region = forms.ChoiceField(label="Körperregion", choices=[CHOOSE, *bodymap.choices()])
    kind = judgement("Art der Verletzung", InjuryKind.choices)
    size = forms.CharField(label="Größe (z. B. 3 × 2 cm)", max_length=40, required=False)
    colour = forms.ChoiceField(label="Farbe", choices=Colour.choices, initial=Colour.NOT_ASSESSABLE)
    pattern = forms.ChoiceField(label="Form", choices=Pattern.choices, initial=Pattern.UNSPECIFIC)
    estimated_age = forms.ChoiceField(
        label="Geschätztes Alter", choices=EstimatedAge.choices, initial=EstimatedAge.UNKNOWN
    )
    note = forms.CharField(label="Beschreibung", max_length=300, required=False)

    def has_changed(self) -> bool:
        """A row counts once a region is chosen; the preset choices alone leave it empty."""
        return bool(self.data.get(self.add_prefix("region")))


InjuryFormSet = forms.formset_factory(InjuryForm, extra=EXTRA_ROWS, max_num=60, absolute_max=60)


def injury_formset(data: Any = None, initial: list[dict[str, str]] | None = None) -> Any:
    return InjuryFormSet(data, initial=initial, prefix="injury")


def findings_input(form: FindingsForm, formset: Any) -> FindingsInput:
    """The content of a valid form and formset, the injuries cleaned as the API's are."""
    rows = [row.cleaned_data for row in formset.forms if row.has_changed() and row.cleaned_data]
    data = {
        name: form.cleaned_data[name] for name in FindingsInput.__dataclass_fields__ if name != "injuries"
    }
    return FindingsInput(injuries=clean_injuries(rows), **data)


def initial_of(version: Any) -> dict[str, Any]:
    """A version's content as the initial values of a correction."""
    return {name: getattr(version, name) for name in FindingsInput.__dataclass_fields__ if name != "injuries"}


class TalkForm(forms.Form):
    held = forms.TypedChoiceField(
        label="Wurde die Situation mit dem Kind und den Personensorgeberechtigten erörtert?",
        choices=[
            ("yes", "Ja, Gespräch geführt"),
            ("no", "Nein, das würde den wirksamen Schutz des Kindes in Frage stellen"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    held_at = DateTimeField(label="Gespräch am", widget=DATETIME, required=False)
    participants = forms.CharField(
        label="Gesprächsteilnehmende",
        max_length=300,
        required=False,
        help_text="z. B. Mutter, Kind (7 Jahre)",
    )
    result = forms.CharField(
        label="Ergebnis des Gesprächs",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_held_reason = forms.CharField(
        label="Begründung, warum kein Gespräch geführt wurde",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Foto (JPEG, PNG oder HEIC, höchstens 20 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/heif"}),
    )
    caption = forms.CharField(label="Was zeigt das Foto?", max_length=200)
    region = forms.ChoiceField(
        label="Körperregion", choices=[("", "– keine Angabe –"), *bodymap.choices()], required=False
    )
    shows_face = forms.BooleanField(label="Das Foto zeigt das Gesicht des Kindes", required=False)


class ConsultationForm(forms.Form):
    specialist = forms.TypedChoiceField(label="Fachstelle", coerce=int)
    urgency = forms.ChoiceField(label="Dringlichkeit", choices=Urgency.choices, initial=Urgency.NORMAL)
    question = forms.CharField(
        label="Fragestellung (pseudonymisiert)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ohne Namen, Geburtsdatum oder Anschrift. Die Fachstelle sieht Pseudonym, Alter in "
        "Monaten, Geschlecht und die codierten Befunde, keine Anamnese und keine Fotos mit Gesicht.",
    )

    def __init__(self, *args: Any, candidates: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [(o.pk, f"{o.name} ({o.get_kind_display()})") for o in candidates]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Antwort", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class ShareForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int)
    legal_basis = forms.ChoiceField(label="Rechtsgrundlage", choices=LegalBasis.choices)
    note = forms.CharField(label="Anmerkung", max_length=300, required=False)

    def __init__(self, *args: Any, candidates: list[Participation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(p.organisation_id, p.organisation.name) for p in candidates]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    """The Meldebogen (§ 4 Abs. 3 KKG, regional agreement under § 73c SGB V)."""

    youth_office = forms.TypedChoiceField(label="Jugendamt", coerce=int)
    override_reason = forms.CharField(
        label="Grund, falls die Mitteilung an ein anderes als das zuständige Jugendamt geht",
        max_length=500,
        required=False,
    )
    urgency = forms.ChoiceField(label="Dringlichkeit", choices=Urgency.choices, widget=forms.RadioSelect)
    affected_notice = forms.ChoiceField(
        label="Wurden die Betroffenen vorab auf die Mitteilung hingewiesen?",
        choices=AffectedNotice.choices,
        widget=forms.RadioSelect,
    )
    notice_omitted_reason = forms.CharField(
        label="Begründung, falls der Hinweis unterblieb",
        help_text="Warum der Hinweis den wirksamen Schutz des Kindes in Frage gestellt hätte.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indications = forms.CharField(
        label="Gewichtige Anhaltspunkte und Beobachtungen",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    measures_taken = forms.CharField(
        label="Bereits ergriffene Maßnahmen zur Abwendung der Gefährdung",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    other_bodies = forms.CharField(
        label="Weitere bereits beteiligte Stellen",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_repeat = forms.BooleanField(
        label="Ich sende bewusst eine weitere Mitteilung in diesem Quartal.", required=False
    )

    def __init__(
        self, *args: Any, offices: list[Organisation], competent: Organisation | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["youth_office"]
        field.choices = [  # type: ignore[attr-defined]
            ("", "– bitte wählen –"),
            *((o.pk, f"{o.name} (zuständig)" if o == competent else o.name) for o in offices),
        ]
        if competent is not None:
            field.initial = competent.pk


class ReportInvolveForm(forms.Form):
    due_date = DateField(label="Mitwirkung bis", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Worum es geht (ohne Namen)", max_length=120, required=False)


class DiagnosticForm(forms.Form):
    """One recommended examination: done, or not done for one of the fixed reasons."""

    code = forms.CharField(max_length=40)
    done = forms.ChoiceField(
        choices=[("ja", "durchgeführt"), ("nein", "nicht durchgeführt")],
        error_messages={"required": "Bitte angeben, ob die Untersuchung durchgeführt wurde."},
    )
    reason = forms.ChoiceField(choices=[("", "–"), *NotDoneReason.choices], required=False)
