"""The admin shows the network's data; it changes nothing past the services.

Units, contact channels, members, on-call shifts and jurisdiction areas are maintained on the
organisation's own pages (and the API), where the services keep their rules (at least one
coordinator, the administration role only from the administration, no overlapping areas, shifts
withdrawn with a membership) and write the audit trail. What the admin still changes, the
organisation's entry, goes through the same services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from schutznetz.network import services
from schutznetz.network.models import (
    ContactChannel,
    JurisdictionArea,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationUnit,
)

if TYPE_CHECKING:
    from schutznetz.accounts.models import User


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnitInline(ReadOnlyInline):
    model = OrganisationUnit
    fields = ("name", "phone", "email")


class ContactChannelInline(ReadOnlyInline):
    model = ContactChannel
    fields = ("kind", "label", "value", "availability")


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("user", "role", "job_title", "unit", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "postal_code", "city", "is_active")
    list_filter = ("kind", "state", "is_active")
    search_fields = ("name", "city", "postal_code")
    inlines = [UnitInline, ContactChannelInline, MembershipInline]
    # An address typed without a scheme is taken as https://, as in the organisation form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm, change: bool) -> None:
        actor = cast("User", request.user)
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            # The form has already set the new values on ``obj``; the service compares with the stored row.
            stored = Organisation.objects.get(pk=obj.pk)
            services.organisation_update(actor=actor, organisation=stored, data=data)
            obj.refresh_from_db()
        else:
            created = services.organisation_create(actor=actor, data=form.cleaned_data)
            obj.pk = created.pk
            obj.refresh_from_db()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OnCallShift)
class OnCallShiftAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "membership", "starts_at", "ends_at", "cancelled_at")
    list_filter = ("organisation",)
    date_hierarchy = "starts_at"


@admin.register(JurisdictionArea)
class JurisdictionAreaAdmin(ReadOnlyAdmin):
    list_display = ("postal_code", "municipality", "youth_office")
    search_fields = ("postal_code", "municipality", "youth_office__name")
