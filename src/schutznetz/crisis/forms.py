from __future__ import annotations

from django import forms

from schutznetz.crisis.models import CrisisResponse, CrisisUrgency
from schutznetz.crisis.services import CrisisInput


class CrisisForm(forms.Form):
    urgency = forms.ChoiceField(
        label="Dringlichkeit", choices=CrisisUrgency.choices, widget=forms.RadioSelect, initial="acute"
    )
    situation = forms.CharField(
        label="Lage",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Was geschieht gerade, wie akut ist die Eigen- oder Fremdgefährdung, wer ist vor Ort? "
        "Alle Alarmierten lesen diesen Text, auch Stellen, die am Fall nicht beteiligt sind: nur das "
        "Nötige, keine Namen.",
    )
    location = forms.CharField(
        label="Aufenthaltsort jetzt",
        max_length=200,
        help_text="Wo der Rettungsdienst und die Rufbereitschaft das Kind oder die/den Jugendliche(n) "
        "finden, z. B. Wohngruppe, Straße und Hausnummer.",
    )
    emergency_called = forms.BooleanField(label="Notruf 112 ist bereits abgesetzt", required=False)

    def crisis_input(self) -> CrisisInput:
        d = self.cleaned_data
        return CrisisInput(
            urgency=d["urgency"],
            situation=d["situation"],
            location=d["location"],
            emergency_called=d["emergency_called"],
        )


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label="Ihre Rückmeldung", choices=CrisisResponse.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label="Begründung (bei „nicht zuständig“)", max_length=500, required=False)


class CloseForm(forms.Form):
    debrief = forms.CharField(
        label="Nachbesprechung",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Was geschah, wer übernahm, wo ist das Kind oder die/der Jugendliche jetzt, was folgt.",
    )
