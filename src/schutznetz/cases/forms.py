from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.utils import timezone

from schutznetz.accounts import queries as account_queries
from schutznetz.accounts.models import User
from schutznetz.cases import queries
from schutznetz.cases.models import CaseRole, LegalBasis
from schutznetz.kit.forms import DateField, choices_from_rows
from schutznetz.network import queries as network_queries
from schutznetz.network.models import Organisation
from schutznetz.people.identity import ChildIdentity
from schutznetz.people.models import GuardianRelation, Sex

MSG_LOOKALIKE = (
    "Zu diesen Angaben gibt es in Ihren Fällen bereits ein Kind mit "
    "gleichem oder ähnlich klingendem Namen. Bitte prüfen Sie die Treffer oben."
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChildSearchForm(forms.Form):
    family_name = forms.CharField(label="Familienname", max_length=100)
    given_name = forms.CharField(label="Vorname", max_length=100)
    birth_date = DateField(label="Geburtsdatum", widget=DATE)

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Das Geburtsdatum liegt in der Zukunft.")
        if value.year < 1990:
            raise forms.ValidationError("Bitte das Geburtsdatum prüfen.")
        return value


class CaseCreateForm(ChildSearchForm):
    sex = forms.ChoiceField(label="Geschlecht (laut Geburtenregister)", choices=Sex.choices, initial=Sex.NONE)
    street = forms.CharField(label="Straße und Hausnummer", max_length=200, required=False)
    postal_code = forms.RegexField(
        label="Postleitzahl",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Bitte eine fünfstellige Postleitzahl angeben."},
    )
    city = forms.CharField(label="Ort", max_length=100, required=False)
    title = forms.CharField(
        label="Anlass", max_length=200, help_text="Kurz und ohne Namen, z. B. „Hämatome unklarer Ursache“"
    )
    task_title = forms.CharField(label="Nächster Schritt", max_length=200)
    task_due = DateField(label="fällig am", widget=DATE)
    organisation = forms.ModelChoiceField(
        label="Fallführende Organisation", queryset=Organisation.objects.none()
    )
    confirm_new_child = forms.BooleanField(
        label="Es handelt sich um ein anderes Kind als die angezeigten Treffer", required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Children in the user's cases that look like this one; set by clean().
        self.matches: list[queries.ChildMatch] | None = None
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations = network_queries.organisations_of(user)
        if organisations.count() == 1:
            field.initial = organisations.first()

    def clean(self) -> dict[str, Any]:
        """A child that looks like one in the user's cases needs the user's confirmation first."""
        data = super().clean() or {}
        if not self.errors:
            self.matches = queries.child_search_for(
                self.user,
                given_name=data["given_name"],
                family_name=data["family_name"],
                birth_date=data["birth_date"],
            )
            if self.matches and not data["confirm_new_child"]:
                self.add_error("confirm_new_child", MSG_LOOKALIKE)
        return data

    def identity(self) -> ChildIdentity:
        d = self.cleaned_data
        return ChildIdentity(
            given_name=d["given_name"].strip(),
            family_name=d["family_name"].strip(),
            birth_date=d["birth_date"],
            sex=d["sex"],
            street=d["street"].strip(),
            postal_code=d["postal_code"] or "",
            city=d["city"].strip(),
        )


class _OwnerForm(forms.Form):
    """A task's owner: a person of an organisation that takes part in the case with identity."""

    owner = forms.ModelChoiceField(label="Zuständig", queryset=User.objects.none())

    def __init__(self, *args: Any, case_id: UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff = queries.case_staff(case_id)
        choices_from_rows(field, account_queries.name_rows(staff))


class TaskForm(_OwnerForm):
    title = forms.CharField(label="Aufgabe", max_length=200)
    due_date = DateField(label="fällig am", widget=DATE)
    field_order = ["title", "owner", "due_date"]


class TaskCompleteForm(forms.Form):
    note = forms.CharField(
        label="Vermerk", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_title = forms.CharField(label="Nächster Schritt", required=False, max_length=200)
    next_due = DateField(label="fällig am", required=False, widget=DATE)


class TaskReassignForm(_OwnerForm):
    due_date = DateField(label="fällig am", required=False, widget=DATE)


class GuardianForm(forms.Form):
    relation = forms.ChoiceField(label="Art", choices=GuardianRelation.choices)
    given_name = forms.CharField(label="Vorname", max_length=100)
    family_name = forms.CharField(label="Familienname", max_length=100)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)
    address = forms.CharField(label="Anschrift, falls abweichend", max_length=200, required=False)


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=network_queries.active_organisations()
    )
    role = forms.ChoiceField(label="Rolle im Fall", choices=CaseRole.choices)
    legal_basis = forms.ChoiceField(label="Rechtsgrundlage", choices=LegalBasis.choices)
    pseudonymised = forms.BooleanField(
        label="Pseudonymisiert (ohne Name, Geburtsdatum, Anschrift)", required=False
    )
    summary = forms.CharField(
        label="Pseudonymisierte Fallschilderung",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Was pseudonymisiert Beteiligte statt des Anlasses lesen, z. B. die Fragestellung an die "
        "insoweit erfahrene Fachkraft: ohne Namen, Geburtsdaten und Anschriften.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        choices_from_rows(field, network_queries.organisation_rows(network_queries.active_organisations()))


class HandoverForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label="An Organisation", queryset=Organisation.objects.none())
    note = forms.CharField(label="Begründung", required=False, max_length=500)

    def __init__(self, *args: Any, case_id: UUID, exclude: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.handover_candidates(case_id, exclude=exclude)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Grund des Abschlusses", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    open_tasks_note = forms.CharField(
        label="Warum offene Aufgaben entfallen",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
