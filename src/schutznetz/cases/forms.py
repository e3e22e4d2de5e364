from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from schutznetz.accounts.models import User
from schutznetz.cases.models import CaseRole, LegalBasis, Participation, ParticipationStatus
from schutznetz.kit.forms import choices_from_rows
from schutznetz.network.models import Membership, Organisation
from schutznetz.people.models import GuardianRelation, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChildSearchForm(forms.Form):
    family_name = forms.CharField(label="Familienname", max_length=100)
    given_name = forms.CharField(label="Vorname", max_length=100)
    birth_date = forms.DateField(label="Geburtsdatum", widget=DATE)

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
    task_due = forms.DateField(label="fällig am", widget=DATE)
    organisation = forms.ModelChoiceField(
        label="Fallführende Organisation", queryset=Organisation.objects.none()
    )
    confirm_new_child = forms.BooleanField(
        label="Es handelt sich um ein anderes Kind als die angezeigten Treffer", required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            memberships__user=user, memberships__is_active=True, is_active=True
        )
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()


class TaskForm(forms.Form):
    title = forms.CharField(label="Aufgabe", max_length=200)
    owner = forms.ModelChoiceField(label="Zuständig", queryset=User.objects.none())
    due_date = forms.DateField(label="fällig am", widget=DATE)

    def __init__(self, *args: Any, case_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff = case_staff(case_id)
        choices_from_rows(
            field, ((row[0], User.name_of(*row[1:])) for row in staff.values_list("pk", *User.NAME_FIELDS))
        )


def case_staff(case_id: Any) -> Any:
    """People of the organisations that take part in the case with identity: possible task owners."""
    orgs = Participation.objects.filter(
        case_id=case_id, status=ParticipationStatus.ACTIVE, pseudonymised=False
    ).values("organisation_id")
    user_ids = Membership.objects.filter(organisation_id__in=orgs, is_active=True).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("last_name", "first_name")


class TaskCompleteForm(forms.Form):
    note = forms.CharField(
        label="Vermerk", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_title = forms.CharField(label="Nächster Schritt", required=False, max_length=200)
    next_due = forms.DateField(label="fällig am", required=False, widget=DATE)


class TaskReassignForm(TaskForm):
    title = None  # type: ignore[assignment]
    due_date = forms.DateField(label="fällig am", required=False, widget=DATE)


class GuardianForm(forms.Form):
    relation = forms.ChoiceField(label="Art", choices=GuardianRelation.choices)
    given_name = forms.CharField(label="Vorname", max_length=100)
    family_name = forms.CharField(label="Familienname", max_length=100)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)
    address = forms.CharField(label="Anschrift, falls abweichend", max_length=200, required=False)


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label="Rolle im Fall", choices=CaseRole.choices)
    legal_basis = forms.ChoiceField(label="Rechtsgrundlage", choices=LegalBasis.choices)
    pseudonymised = forms.BooleanField(
        label="Pseudonymisiert (ohne Name, Geburtsdatum, Anschrift)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        choices_from_rows(field, field.queryset.values_list("pk", "name"))  # type: ignore[union-attr]


class HandoverForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label="An Organisation", queryset=Organisation.objects.none())
    note = forms.CharField(label="Begründung", required=False, max_length=500)

    def __init__(self, *args: Any, case_id: Any, exclude: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        orgs = Participation.objects.filter(
            case_id=case_id, status=ParticipationStatus.ACTIVE, pseudonymised=False
        ).values("organisation_id")
        field.queryset = Organisation.objects.filter(pk__in=orgs).exclude(pk=exclude)


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
