"""Form rendering in KERN UX markup for every form of the project (and of django-two-factor-auth)."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"
