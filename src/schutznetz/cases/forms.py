from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from schutznetz.accounts import queries as account_queries
from schutznetz.accounts.models import User
from schutznetz.audit.models import AuditAction
from schutznetz.cases import queries
from schutznetz.cases.access_log import LogFilter
from schutznetz.cases.models import (
    CaseRole,
    Confirmation,
    FeedbackNote,
    LegalBasis,
    SpecialistFinding,
    TaskTrigger,
    bases_open_to,
)
from schutznetz.kit.forms import DateField, choices_from_rows
from schutznetz.network import queries as network_queries
from schutznetz.network.models import Organisation, Urgency
from schutznetz.people.identity import ChildIdentity
from schutznetz.people.models import GuardianRelation, Sex

MSG_LOOKALIKE = (
    "Zu diesen Angaben gibt es in Ihren Fällen bereits ein Kind mit "
    "gleichem oder ähnlich klingendem Namen. Bitte prüfen Sie die Treffer oben."
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChildSearchForm(forms.Form):
    """The search stands on one page with the new-case form, which has the same fields: its ids
    carry a prefix of their own, so that each label names its own field."""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "suche_%s")
        super().__init__(*args, **kwargs)


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
    task_completes_on = forms.ChoiceField(
        label="Erledigt sich von selbst",
        required=False,
        choices=[("", "nein, ich hake ihn selbst ab"), *TaskTrigger.choices],
        help_text="z. B. „Jugendamt informieren“: erledigt, sobald die Mitteilung gesendet ist",
    )
    organisation = forms.ModelChoiceField(
        label="Fallführende Organisation", queryset=Organisation.objects.none()
    )
    confirm_new_child = forms.BooleanField(
        label="Es handelt sich um ein anderes Kind als die angezeigten Treffer", required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.user = user
        # Children in the user's cases that look like this one; set by clean().
        self.matches: list[queries.ChildMatch] | None = None
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations = network_queries.organisations_of(user)
        first_two = list(organisations[:2])  # one query for "is there only one?"
        if len(first_two) == 1:
            field.initial = first_two[0]

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
        return child_identity_from(self.cleaned_data)


def child_identity_from(d: dict[str, Any]) -> ChildIdentity:
    """The child as a form with the child's fields (names, birth date, sex, address) cleaned it."""
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
    completes_on = forms.ChoiceField(
        label="Erledigt sich von selbst",
        required=False,
        choices=[("", "nein, wird von Hand abgehakt"), *TaskTrigger.choices],
    )
    field_order = ["title", "owner", "due_date", "completes_on"]


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
    # Role and legal basis are the inviter's judgement: nothing preselected.
    role = forms.ChoiceField(label="Rolle im Fall", choices=[("", "Bitte wählen"), *CaseRole.choices])
    legal_basis = forms.ChoiceField(
        label="Rechtsgrundlage", choices=[("", "Bitte wählen"), *LegalBasis.choices]
    )
    pseudonymised = forms.BooleanField(
        label="Pseudonymisiert (ohne Name, Geburtsdatum, Anschrift)",
        required=False,
        help_text="Eine insoweit erfahrene Fachkraft und eine Beratung nach § 4 Abs. 2 KKG sind immer "
        "pseudonymisiert beteiligt.",
    )
    summary = forms.CharField(
        label="Pseudonymisierte Fallschilderung",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Was pseudonymisiert Beteiligte statt des Anlasses lesen, z. B. die Fragestellung an die "
        "insoweit erfahrene Fachkraft: ohne Namen, Geburtsdaten und Anschriften.",
    )
    reason = forms.CharField(
        label="Anlass der Einladung",
        required=False,
        max_length=500,
        help_text="Was die eingeladene Organisation vor der Annahme liest, z. B. „Bitte um Beteiligung an "
        "der Gefährdungseinschätzung“: ohne Namen, Geburtsdaten und Anschriften.",
    )
    urgency = forms.TypedChoiceField(
        label="Dringlichkeit",
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        required=False,
        empty_value=Urgency.NORMAL,
    )

    def __init__(self, *args: Any, inviter_kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        choices_from_rows(field, network_queries.organisation_rows(network_queries.active_organisations()))
        if inviter_kind:  # only the bases the inviting organisation may use (``bases_open_to``)
            basis = self.fields["legal_basis"]
            assert isinstance(basis, forms.ChoiceField)
            open_bases = bases_open_to(inviter_kind)
            basis.choices = [
                ("", "Bitte wählen"),
                *((v, label) for v, label in LegalBasis.choices if v in open_bases),
            ]


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


MSG_PERIOD = "Das Ende des Zeitraums liegt vor seinem Beginn."


class AccessLogFilterForm(forms.Form):
    """Filters of an access log: the case's (with organisation) or the organisation's (with case)."""

    person = forms.ModelChoiceField(
        label="Person", required=False, queryset=User.objects.none(), empty_label="Alle"
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", required=False, queryset=Organisation.objects.none(), empty_label="Alle"
    )
    case = forms.CharField(
        label="Fall (Pseudonym des Kindes)", required=False, max_length=40, help_text="z. B. K-Q55T-83HX"
    )
    action = forms.ChoiceField(label="Vorgang", required=False, choices=[("", "Alle"), *AuditAction.choices])
    since = DateField(label="von (Datum)", required=False, widget=DATE)
    until = DateField(label="bis (Datum)", required=False, widget=DATE)

    def __init__(
        self,
        data: Any,
        *,
        people: QuerySet[User],
        organisations: QuerySet[Organisation] | None = None,
        by_case: bool = False,
    ) -> None:
        super().__init__(data)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = people
        choices_from_rows(person, [(u.pk, u.display_name) for u in people])
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        if organisations is None:
            del self.fields["organisation"]
        else:
            organisation.queryset = organisations
            choices_from_rows(organisation, [(o.pk, o.name) for o in organisations])
        if not by_case:
            del self.fields["case"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", MSG_PERIOD)
        return data

    def log_filter(self) -> LogFilter:
        """The filter asked for (nothing, when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return LogFilter()
        d = self.cleaned_data
        return LogFilter(
            person=d["person"].pk if d.get("person") else None,
            organisation=d["organisation"].pk if d.get("organisation") else None,
            action=d.get("action") or "",
            since=d.get("since"),
            until=d.get("until"),
            case=(d.get("case") or "").strip(),
        )


YES_NO = [("ja", "ja"), ("nein", "nein")]


class FeedbackForm(forms.Form):
    """§ 4 Abs. 4 KKG: exactly the law's three answers, one of the fixed phrases and a callback number,
    no free text (the medical pathway's reports and the Jugendamt's intake use it alike). Nothing is
    preselected: each answer is the Jugendamt's judgement. The field names are those of
    ``cases.feedback.FeedbackInput``."""

    confirmed = forms.ChoiceField(
        label="Sieht das Jugendamt die gewichtigen Anhaltspunkte für eine Gefährdung bestätigt?",
        choices=Confirmation.choices,
        widget=forms.RadioSelect,
    )
    became_active = forms.TypedChoiceField(
        label="Ist das Jugendamt zum Schutz des Kindes tätig geworden?",
        choices=YES_NO,
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    still_active = forms.TypedChoiceField(
        label="Ist das Jugendamt noch tätig?",
        choices=YES_NO,
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    note = forms.ChoiceField(
        label="Hinweis",
        choices=FeedbackNote.choices,
        required=False,
        initial=FeedbackNote.NONE,
        widget=forms.RadioSelect,
        help_text=(
            "Mehr als diese Angaben erlaubt § 4 Abs. 4 KKG nicht; Falldaten gehören nicht in die Rückmeldung."
        ),
    )
    callback_phone = forms.CharField(
        label="Rückrufnummer",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text="Dienstliche Rufnummer des Jugendamts, z. B. 0231 50-12345.",
    )


class AdviceForm(forms.Form):
    """The insoweit erfahrene Fachkraft's advice: its view of the indications (nothing preselected)
    and its recommendation, without names, birth dates or addresses."""

    finding = forms.ChoiceField(
        label="Einschätzung der gewichtigen Anhaltspunkte",
        choices=SpecialistFinding.choices,
        widget=forms.RadioSelect,
    )
    recommendation = forms.CharField(
        label="Empfehlung zum weiteren Vorgehen",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pseudonymisiert: ohne Namen, Geburtsdaten und Anschriften.",
    )
