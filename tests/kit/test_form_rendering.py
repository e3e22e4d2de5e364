"""Fields and widgets are written in Python for speed: the widgets must say what Django's templates
say, the fields what KERN UX asks for (label, hint, error, linked for assistive technology)."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import TemplatesSetting

from schutznetz.kit.forms import KernFormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Bitte wählen"), ("a", "Anna <Ärztin> & Co"), ("b", 'B "quoted"')]
    )
    grouped = forms.ChoiceField(
        choices=[("Jugendamt", [("1", "Müller"), ("2", "Özdemir")]), ("Praxis", [("3", "Schulz")])]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    disabled = forms.ChoiceField(choices=[("1", "eins")], disabled=True)


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_selects_match_djangos_templates() -> None:
    data = {"plain": "a", "grouped": "2", "many": ["x", "z"], "disabled": "1"}
    fast = Sample(data, renderer=KernFormRenderer())
    slow = Sample(data, renderer=TemplatesSetting())
    for name in ("plain", "grouped", "many", "disabled"):
        ours = str(fast[name].as_widget())
        djangos = str(slow[name].as_widget())
        assert _normalised(ours) == _normalised(djangos), name


def test_labels_and_values_are_escaped() -> None:
    html = str(Sample(renderer=KernFormRenderer())["plain"].as_widget())
    assert "Anna &lt;Ärztin&gt; &amp; Co" in html
    assert "B &quot;quoted&quot;" in html
    assert "<Ärztin>" not in html


class Person(forms.Form):
    """Every single-value kind of field that the KERN field markup is written in Python for."""

    name = forms.CharField(label="Name <Kind>", help_text="Wie im Ausweis & Pass")
    note = forms.CharField(label="Vermerk", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    born = forms.DateField(label="Geburtsdatum", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="Art", choices=[("a", "Mutter"), ("b", "Vater")])
    consent = forms.BooleanField(label="Einwilligung liegt vor", required=False, help_text="schriftlich")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def test_inputs_and_textareas_say_what_djangos_templates_say() -> None:
    data = {"name": 'O\'Brien "<b>"', "note": "Zeile 1\n<script>", "born": "2015-03-01", "kind": "b"}
    data |= {"consent": "on", "secret": "&x"}
    for bound in (data, None):
        fast = Person(bound, renderer=KernFormRenderer())
        slow = Person(bound, renderer=TemplatesSetting())
        for name in ("name", "note", "born", "consent", "secret"):
            attrs = {"class": "c", "aria-invalid": "true", "required": True, "disabled": False}
            assert str(fast[name].as_widget(attrs=attrs)) == str(slow[name].as_widget(attrs=attrs)), name


def test_a_field_says_its_label_hint_and_whether_it_is_optional() -> None:
    form = Person(renderer=KernFormRenderer())
    name = str(form["name"].as_field_group())
    assert '<label class="kern-label" for="id_name">Name &lt;Kind&gt;</label>' in name
    assert '<div class="kern-hint" id="id_name-hint">Wie im Ausweis &amp; Pass</div>' in name
    assert 'aria-describedby="id_name-hint"' in name and 'class="kern-form-input__input"' in name
    assert "optional" not in name and "kern-error" not in name and "aria-invalid" not in name
    note = str(form["note"].as_field_group())
    assert '<span class="kern-label__optional">– optional</span></label>' in note
    assert '<textarea name="note" cols="40" rows="2" class="kern-form-input__input" id="id_note">' in note
    kind = str(form["kind"].as_field_group())
    assert '<div class="kern-form-input__select-wrapper"><select name="kind"' in kind
    consent = str(form["consent"].as_field_group())
    assert consent.startswith('<div class="kern-form-check">\n  <input type="checkbox" name="consent"')
    assert '<label class="kern-label" for="id_consent">Einwilligung liegt vor</label>' in consent
    assert "optional" not in consent  # a checkbox is a statement, not an optional entry


def test_an_error_is_linked_to_its_field_and_announced() -> None:
    form = Person({"name": "", "born": "kein Datum", "kind": "z"}, renderer=KernFormRenderer())
    assert not form.is_valid()
    name = str(form["name"].as_field_group())
    assert name.startswith('<div class="kern-form-input kern-form-input--error">')
    assert '<p class="kern-error" id="id_name-error" role="alert">' in name
    assert 'aria-invalid="true"' in name and 'aria-describedby="id_name-hint id_name-error"' in name
    assert "kern-form-input__input--error" in name
    born = str(form["born"].as_field_group())
    assert 'value="kein Datum"' in born and 'id="id_born-error"' in born
    kind = str(form["kind"].as_field_group())
    assert "kern-form-input__select--error" in kind


def test_a_whole_form_is_rendered_with_its_hidden_fields() -> None:
    html = str(Person(renderer=KernFormRenderer()))
    assert html.count('<div class="kern-form-input">') == 4
    assert html.count('<div class="kern-form-check">') == 1
    assert '<input type="hidden" name="secret" id="id_secret">' in html
