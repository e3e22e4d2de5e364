from __future__ import annotations

from django import forms
from django.conf import settings


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Bezeichnung",
        max_length=100,
        help_text="Wofür das Token ist, z. B. „Fachverfahren Jugendamt“.",
    )
    days = forms.IntegerField(
        label="gültig für (Tage)",
        min_value=1,
        max_value=settings.API_TOKEN_LIFETIME_DAYS,
        initial=settings.API_TOKEN_LIFETIME_DAYS,
    )
