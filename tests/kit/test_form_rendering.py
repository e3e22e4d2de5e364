"""Selects are written in Python for speed; they must say what Django's templates say."""

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
