from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from schutznetz.crisis.models import CrisisResponse, CrisisUrgency
from schutznetz.crisis.services import (
    MSG_CLINIC,
    MSG_CONSENT_BY,
    MSG_CONSENT_ON,
    MSG_DEBRIEF,
    Admission,
    CrisisInput,
)
from schutznetz.kit.forms import DateField


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
    reason = forms.CharField(
        label="Begründung, falls nicht zuständig",
        max_length=500,
        required=False,
        help_text="z. B. wer stattdessen zuständig ist – damit jemand anderes übernimmt",
    )


class CloseForm(forms.Form):
    debrief = forms.CharField(
        label="Nachbesprechung",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Was geschah, wer übernahm, wo ist das Kind oder die/der Jugendliche jetzt, was folgt.",
        error_messages={"required": MSG_DEBRIEF},
    )
    admitted = forms.BooleanField(
        label="In einer Klinik für Kinder- und Jugendpsychiatrie aufgenommen",
        required=False,
        help_text="Dann wird die Klinik mit Einwilligung in den Fall eingeladen, um an der Hilfeplanung "
        "(§ 36 SGB VIII) mitzuwirken, und das Jugendamt erhält die Aufgabe, das Hilfeplangespräch "
        "nach der Entlassung vorzubereiten.",
    )
    clinic = forms.ChoiceField(label="Klinik", required=False)
    consent_by = forms.CharField(
        label="Einwilligung erteilt von", max_length=200, required=False, help_text="z. B. Mutter und Vater"
    )
    consent_on = DateField(
        label="Einwilligung erteilt am", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, clinics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "– bitte wählen –"), *clinics]

    def clean(self) -> dict[str, Any]:
        """With an empty debrief the service is not asked: the admission's errors are named here too,
        so that the form reports every error at once."""
        data = super().clean() or {}
        if "debrief" in self.errors and data.get("admitted"):
            if not data.get("clinic"):
                self.add_error("clinic", MSG_CLINIC)
            if not (data.get("consent_by") or "").strip():
                self.add_error("consent_by", MSG_CONSENT_BY)
            if data.get("consent_on") is None and "consent_on" not in self.errors:
                self.add_error("consent_on", MSG_CONSENT_ON)
        return data

    def admission(self) -> Admission | None:
        d = self.cleaned_data
        if not d["admitted"]:
            return None
        return Admission(
            clinic_id=int(d["clinic"] or 0),
            consent_by=d["consent_by"],
            consent_on=d["consent_on"] or date.max,
        )


class UnknownCrisisForm(CrisisForm):
    """A crisis for a young person not yet known to the system."""

    organisation = forms.ChoiceField(label="Gemeldet für")
    subject = forms.CharField(
        label="Kurzbezeichnung",
        max_length=60,
        help_text="Ohne Namen, z. B. „Jugendlicher am Hauptbahnhof“ – alle Alarmierten lesen sie.",
    )
    age = forms.IntegerField(label="Alter (geschätzt)", min_value=0, max_value=27, required=False)
    field_order = ["organisation", "subject", "age", "urgency", "situation", "location", "emergency_called"]

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = organisations


class JoinCaseForm(forms.Form):
    pseudonym = forms.CharField(
        label="Pseudonym des Falls", max_length=20, help_text="z. B. K-AB12-CD34, wie auf der Fallseite"
    )
