from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse_lazy

from schutznetz.accounts.models import User
from schutznetz.kit.forms import DateField, DateTimeField, PickedField, SearchPicker, label_choices
from schutznetz.meetings import queries
from schutznetz.meetings.models import MeetingAttendee, MeetingKind
from schutznetz.network import queries as network_queries
from schutznetz.network.models import Membership, Organisation

if TYPE_CHECKING:
    from schutznetz.meetings.models import Meeting

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NO_CHILD_DATA = (
    "Keine personenbezogenen Daten von Kindern (Namen, Geburtsdaten, Anschriften): "
    "Einzelfälle gehören in die Fallakte. Texte mit Geburtsdaten oder Namen aus dem "
    "Identitätsspeicher werden nicht gespeichert."
)


def invitees_field(label: str, *, required: bool) -> PickedField:
    return PickedField(
        label=label,
        required=required,
        widget=SearchPicker(
            search_url=reverse_lazy("meetings:invitables"),
            search_label="Person, Team oder Organisation suchen",
        ),
        help_text=(
            "Ein Team oder eine ganze Organisation einzuladen lädt alle ihre aktiven Mitglieder ein "
            "(ohne Datenschutzbeauftragte)."
        ),
        error_messages={"required": "Bitte mindestens eine Person, ein Team oder eine Organisation wählen."},
    )


def label_picked(form: forms.Form) -> None:
    """On a re-shown form, the picked invitees keep their names (one query per kind picked)."""
    if not form.is_bound:
        return
    field = form.fields["invitees"]
    assert isinstance(field, PickedField)
    tokens = field.widget.value_from_datadict(form.data, form.files, form.add_prefix("invitees")) or []
    known = network_queries.invitables_by_token(tokens)
    field.pick_labels((t, known[t].full_label) for t in tokens if t in known)


class MeetingForm(forms.Form):
    organiser = forms.ModelChoiceField(label="Einladende Organisation", queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label="Art", choices=MeetingKind.choices)
    title = forms.CharField(label="Titel", max_length=200)
    starts_at = DateTimeField(label="Beginn", widget=DATETIME)
    ends_at = DateTimeField(label="Ende", widget=DATETIME)
    location = forms.CharField(
        label="Ort", max_length=200, help_text="Anschrift und Raum oder Videokonferenz"
    )
    agenda = forms.CharField(
        label="Tagesordnung",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=NO_CHILD_DATA,
    )
    published = forms.BooleanField(
        label="Im Netzwerk ausschreiben",
        required=False,
        help_text="Titel, Termin, Ort und Tagesordnung werden für alle Mitglieder des Netzwerks sichtbar.",
    )
    invitees = invitees_field("Eingeladen", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ModelChoiceField)
        organiser.queryset = network_queries.organisations_acting_for(user)
        if not self.is_bound and "organiser" not in self.initial:
            # Who acts for one organisation only has nothing to choose.
            self.initial["organiser"] = network_queries.sole_organisation_acting_for(user)
        label_picked(self)

    def clean_invitees(self) -> list[Membership]:
        return queries.invitees_for(self.cleaned_data["invitees"], field=None)


class RescheduleForm(forms.Form):
    starts_at = DateTimeField(label="Neuer Beginn", widget=DATETIME)
    ends_at = DateTimeField(label="Neues Ende", widget=DATETIME)
    location = forms.CharField(label="Ort", max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Grund der Absage", max_length=300, help_text="Die Eingeladenen erfahren ihn mit der Absage."
    )


class ResponseForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", "Zusagen"), ("0", "Absagen")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label="Anwesend waren",
        required=False,
        queryset=MeetingAttendee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, attendees: list[MeetingAttendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = queries.attendees_of(meeting)
        label_choices(field, lambda a: f"{a.user.display_name} ({a.organisation.name})")
        by_pk = {a.pk: a for a in attendees}
        # Choices from the attendees already loaded, so that the page needs no query per person.
        field.widget.choices = [(a.pk, field.label_from_instance(a)) for a in by_pk.values()]
        self.initial.setdefault("present", [a.pk for a in attendees if a.attended])


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Protokoll",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=NO_CHILD_DATA,
    )
    decisions = forms.CharField(
        label="Beschlüsse", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(label="Aufgabe", max_length=200)
    owner = forms.ModelChoiceField(label="Zuständig", queryset=User.objects.none())
    due_date = DateField(label="fällig am", widget=DATE)

    def __init__(self, *args: Any, meeting: Meeting, attendees: list[MeetingAttendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.action_item_owners(meeting, attendees)
        label_choices(field, lambda u: u.display_name)


class ActionItemCompleteForm(forms.Form):
    note = forms.CharField(label="Vermerk", required=False, max_length=2000)


class MeetingInviteForm(forms.Form):
    invitees = invitees_field("Weitere einladen", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_picked(self)

    def clean_invitees(self) -> list[Membership]:
        return queries.invitees_for(self.cleaned_data["invitees"], field=None)
