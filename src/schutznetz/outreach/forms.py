from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from schutznetz.accounts.models import User
from schutznetz.kit.forms import DateField, label_choices
from schutznetz.network import queries as network_queries
from schutznetz.network.models import Membership, Organisation
from schutznetz.network.policy import active_memberships
from schutznetz.outreach import queries
from schutznetz.outreach.models import BookingOutcome, HelpCategory, ReferralStatus, Weekday
from schutznetz.outreach.queries import Slot
from schutznetz.outreach.services import MSG_CONSENT

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PSEUDONYMISED = (
    "Keine Namen: die Kennung, unter der Ihre Einrichtung die Familie führt (z. B. Patientennummer)."
)
CONSENT = "Die Familie ist mit der Vermittlung einverstanden (Einwilligung dokumentiert)."
SLOT_FORMAT = "%Y-%m-%d %H:%M"


class ConsultationHourForm(forms.Form):
    practice = forms.ModelChoiceField(
        label="Praxis",
        queryset=queries.practices(),
    )
    counsellor = forms.ModelChoiceField(label="Beratende Fachkraft", queryset=Membership.objects.none())
    weekday = forms.TypedChoiceField(label="Wochentag", choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label="von", widget=TIME)
    end_time = forms.TimeField(label="bis", widget=TIME)
    slot_minutes = forms.IntegerField(
        label="Dauer eines Termins (Minuten)", min_value=10, max_value=120, initial=30
    )
    location = forms.CharField(label="Raum", max_length=200, required=False)
    valid_from = DateField(label="ab", widget=DATE)
    valid_until = DateField(label="bis einschließlich", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["counsellor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.counsellors()
        label_choices(field, lambda m: f"{m.user.display_name} – {m.organisation.name}")


class BookingForm(forms.Form):
    slot = forms.ChoiceField(label="Termin")
    reference = forms.CharField(label="Kennung der Familie", max_length=40, help_text=PSEUDONYMISED)
    topic = forms.CharField(label="Anliegen", max_length=300, help_text="Stichworte, ohne Namen")
    consent_recorded = forms.BooleanField(label=CONSENT, error_messages={"required": MSG_CONSENT})

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                f"{s.day:%Y-%m-%d} {s.start:%H:%M}",
                f"{Weekday(s.day.weekday()).label}, {s.day:%d.%m.%Y}, {s.start:%H:%M} Uhr",
            )
            for s in slots
            if s.free
        ]

    def clean_slot(self) -> datetime:
        return datetime.strptime(self.cleaned_data["slot"], SLOT_FORMAT)  # noqa: DTZ007 (a wall-clock slot)


class HelpOfferFilterForm(forms.Form):
    q = forms.CharField(label="Suchbegriff", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Art des Angebots", required=False, choices=[("", "Alle Arten"), *HelpCategory.choices]
    )
    postal_code = forms.RegexField(
        label="Postleitzahl der Familie",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Bitte eine fünfstellige Postleitzahl angeben."},
    )


class HelpOfferForm(forms.Form):
    provider = forms.ModelChoiceField(label="Träger", queryset=Organisation.objects.none())
    title = forms.CharField(label="Bezeichnung", max_length=200)
    category = forms.ChoiceField(label="Art des Angebots", choices=HelpCategory.choices)
    target_group = forms.CharField(label="Zielgruppe", max_length=300)
    description = forms.CharField(
        label="Beschreibung", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = forms.CharField(label="Kontakt", max_length=200)
    capacity_note = forms.CharField(label="Kapazität", required=False, max_length=200)
    waiting_weeks = forms.IntegerField(label="Wartezeit (Wochen)", required=False, min_value=0, max_value=104)
    postal_codes = forms.CharField(
        label="Zuständig für Postleitzahlen",
        required=False,
        max_length=2000,
        help_text="Durch Komma oder Leerzeichen getrennt; leer lassen, wenn es im ganzen Netzwerk gilt",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = network_queries.organisations_acting_for(user)

    def clean_postal_codes(self) -> list[str]:
        text: str = self.cleaned_data["postal_codes"]
        return text.replace(",", " ").split()


class BookingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Ergebnis", choices=BookingOutcome.choices)
    note = forms.CharField(
        label="Vermerk", required=False, max_length=500, help_text="Stichworte, ohne Namen; bleibt bei Ihnen"
    )
    shared = forms.BooleanField(
        label="Die Familie ist einverstanden, dass die Praxis das Ergebnis erfährt", required=False
    )


class ReferralForm(forms.Form):
    from_organisation = forms.ModelChoiceField(
        label="Vermittelnde Stelle", queryset=Organisation.objects.none()
    )
    family_postal_code = forms.CharField(label="Postleitzahl der Familie", max_length=5)
    reference = forms.CharField(label="Kennung der Familie", max_length=40, help_text=PSEUDONYMISED)
    note = forms.CharField(
        label="Anliegen", required=False, max_length=500, help_text="Stichworte, ohne Namen"
    )
    consent_recorded = forms.BooleanField(label=CONSENT, error_messages={"required": MSG_CONSENT})

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = network_queries.organisations_acting_for(user)
        own = [m.organisation_id for m in active_memberships(user)]
        if len(own) == 1:  # most people act for one organisation: preselect it
            field.initial, field.empty_label = own[0], None


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Neuer Stand", choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.REFERRED]
    )
    note = forms.CharField(label="Vermerk", required=False, max_length=500)
