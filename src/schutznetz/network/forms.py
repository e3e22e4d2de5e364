from __future__ import annotations

from django import forms

from schutznetz.network.models import (
    ContactChannel,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationUnit,
    Role,
    postal_code_validator,
)
from schutznetz.network.services import ORGANISATION_EDITABLE_FIELDS


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label="Suchbegriff", required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(
        label="Art der Organisation", required=False, choices=[("", "Alle Arten"), *OrganisationKind.choices]
    )
    place = forms.CharField(
        label="Ort oder PLZ", required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )


class JurisdictionLookupForm(forms.Form):
    postal_code = forms.CharField(
        label="Postleitzahl",
        max_length=10,
        help_text="Postleitzahl des gewöhnlichen Aufenthalts des Kindes",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    municipality = forms.CharField(
        label="Gemeinde / Stadtteil",
        required=False,
        max_length=100,
        help_text="Nur nötig, wenn eine Postleitzahl zwischen Jugendämtern aufgeteilt ist",
    )


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ContactChannelForm(forms.ModelForm):
    class Meta:
        model = ContactChannel
        fields = ["kind", "label", "value", "availability"]


class OnCallShiftForm(forms.Form):
    membership = forms.ModelChoiceField(label="Person", queryset=Membership.objects.none())
    starts_at = forms.DateTimeField(
        label="Beginn", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(label="Ende", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    phone = forms.CharField(
        label="Telefon während des Dienstes",
        required=False,
        max_length=40,
        help_text="Leer lassen, um die dienstliche Nummer der Person zu verwenden",
    )
    note = forms.CharField(label="Hinweis", required=False, max_length=200)

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        field.label_from_instance = lambda m: m.user.display_name  # type: ignore[method-assign]


class JurisdictionAreaForm(forms.Form):
    postal_code = forms.CharField(label="Postleitzahl", max_length=5, validators=[postal_code_validator])
    municipality = forms.CharField(
        label="Gemeinde / Stadtteil",
        required=False,
        max_length=100,
        help_text="Nur angeben, wenn die Postleitzahl aufgeteilt ist",
    )


class UnitForm(forms.ModelForm):
    class Meta:
        model = OrganisationUnit
        fields = ["name", "phone", "email"]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="Rolle", choices=Role.choices)
    job_title = forms.CharField(label="Funktion", required=False, max_length=120)
    phone = forms.CharField(label="Telefon (dienstlich)", required=False, max_length=40)
    unit = forms.ModelChoiceField(
        label="Organisationseinheit",
        required=False,
        queryset=OrganisationUnit.objects.none(),
        empty_label="keine",
    )

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = organisation.units.all()
