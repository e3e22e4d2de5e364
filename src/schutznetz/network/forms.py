from __future__ import annotations

from typing import Any, cast

from django import forms

from schutznetz.kit.forms import DateField, DateTimeField, label_choices
from schutznetz.network import queries
from schutznetz.network.agreements.services import ClauseInput
from schutznetz.network.models import (
    ContactChannel,
    FederalState,
    HandoverKind,
    JurisdictionArea,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationUnit,
    Profession,
    ResponseUnit,
    Role,
    Urgency,
    postal_code_validator,
)
from schutznetz.network.services import ORGANISATION_EDITABLE_FIELDS


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label="Suchbegriff",
        help_text="Name oder Art der Organisation, ein Team (z. B. ASD), eine Person oder ihre Funktion",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
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

    def offer_districts(self, areas: list[JurisdictionArea]) -> None:
        """A postal code split between youth offices: the districts the areas name, to choose from
        (the part without a name as „übriges Gebiet“, which the lookup takes for the rest)."""
        choices = [
            (
                a.municipality or queries.OTHER_AREA,
                f"{a.municipality or queries.OTHER_AREA} ({a.youth_office.name})",
            )
            for a in areas
        ]
        field = self.fields["municipality"]
        field.label, field.help_text = "Stadtteil bzw. Gemeinde, in dem das Kind lebt", ""
        field.widget = forms.RadioSelect(choices=choices)
        bound = self["municipality"]  # made while validating, with the label of then
        bound.label, bound.help_text = field.label, field.help_text


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
    starts_at = DateTimeField(label="Beginn", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = DateTimeField(label="Ende", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    phone = forms.CharField(
        label="Telefon während des Dienstes",
        required=False,
        max_length=40,
        help_text="Leer lassen, um die dienstliche Nummer der Person zu verwenden",
    )
    note = forms.CharField(label="Hinweis", required=False, max_length=200)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.active_members_of(organisation)
        label_choices(field, lambda m: m.user.display_name)


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
    profession = forms.ChoiceField(
        label="Beruf", required=False, choices=[("", "nicht angegeben"), *Profession.choices]
    )
    phone = forms.CharField(label="Telefon (dienstlich)", required=False, max_length=40)
    unit = forms.ModelChoiceField(
        label="Organisationseinheit",
        required=False,
        queryset=OrganisationUnit.objects.none(),
        empty_label="keine",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = organisation.units.all()


class MemberAddForm(MembershipForm):
    """A person with an account joins the organisation: named by user name and e-mail address."""

    username = forms.CharField(label="Benutzername", max_length=150)
    email = forms.EmailField(label="E-Mail-Adresse des Kontos")
    field_order = ["username", "email", "role", "job_title", "profession", "phone", "unit"]


class AgreementForm(forms.Form):
    title = forms.CharField(label="Bezeichnung", max_length=200)
    parties = forms.ModelMultipleChoiceField(
        label="Vertragsparteien",
        queryset=queries.active_organisations(),
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = DateField(label="gültig ab", widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = DateField(
        label="gültig bis", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(label="Bundesland (für Feiertage)", choices=FederalState.choices, initial="NW")
    document = forms.FileField(label="Unterzeichnetes Dokument (PDF)", required=False)


# Rows of a formset left untouched must submit nothing, so every select starts empty.
PICK = [("", "– bitte wählen –")]


class ClauseForm(forms.Form):
    handover_kind = forms.ChoiceField(label="Art der Übergabe", choices=PICK + HandoverKind.choices)
    urgency = forms.ChoiceField(label="Dringlichkeit", choices=PICK + Urgency.choices)
    responsible = forms.ModelChoiceField(label="verantwortlich", queryset=Organisation.objects.none())
    response_value = forms.IntegerField(label="Reaktionszeit", min_value=1, max_value=10000)
    response_unit = forms.ChoiceField(label="Einheit", choices=PICK + ResponseUnit.choices)
    contact_channel = forms.CharField(label="Kontaktweg", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.active_organisations()


class CrisisRosterForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.none())
    role = forms.ChoiceField(label="Rolle", choices=PICK + Role.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.active_organisations()


class _RowsFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The filled rows that are not marked for deletion (call after is_valid())."""
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class _ClauseRows(_RowsFormSet):
    def clause_inputs(self) -> list[ClauseInput]:
        return [ClauseInput(**row) for row in self.rows()]


class _RosterRows(_RowsFormSet):
    def entries(self) -> list[tuple[Organisation, str]]:
        return [(row["organisation"], row["role"]) for row in self.rows()]


# formset_factory makes a subclass of the formset given; the stubs only know it as a BaseFormSet.
ClauseFormSet = cast(
    "type[_ClauseRows]", forms.formset_factory(ClauseForm, formset=_ClauseRows, extra=3, max_num=30)
)
CrisisRosterFormSet = cast(
    "type[_RosterRows]", forms.formset_factory(CrisisRosterForm, formset=_RosterRows, extra=2, max_num=30)
)


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label="Suchbegriff", max_length=200, widget=forms.TextInput(attrs={"type": "search"}))


class SynonymForm(forms.Form):
    expressions = forms.CharField(
        label="Begriffe, die dasselbe bedeuten",
        max_length=500,
        help_text="durch Kommas getrennt, z. B. „ISEF, insoweit erfahrene Fachkraft“",
    )

    def clean_expressions(self) -> list[str]:
        return [e.strip() for e in self.cleaned_data["expressions"].split(",") if e.strip()]


class ArticleForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    body = forms.CharField(label="Text", max_length=50000, widget=forms.Textarea(attrs={"rows": 12}))
    tags = forms.CharField(
        label="Schlagwörter", max_length=300, required=False, help_text="durch Kommas getrennt"
    )
    audiences = forms.MultipleChoiceField(
        label="Zielgruppen",
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ohne Auswahl sehen alle Organisationen den Artikel",
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Datei",
        help_text="PDF, Word, Excel, OpenDocument, PNG oder JPEG, höchstens 20 MB",
    )
