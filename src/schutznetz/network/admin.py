from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from schutznetz.network.models import (
    ContactChannel,
    JurisdictionArea,
    Membership,
    OnCallShift,
    Organisation,
    OrganisationUnit,
)


class UnitInline(admin.TabularInline):
    model = OrganisationUnit
    extra = 0


class ContactChannelInline(admin.TabularInline):
    model = ContactChannel
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "postal_code", "city", "is_active")
    list_filter = ("kind", "state", "is_active")
    search_fields = ("name", "city", "postal_code")
    inlines = [UnitInline, ContactChannelInline, MembershipInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ("organisation", "membership", "starts_at", "ends_at", "cancelled_at")
    list_filter = ("organisation",)
    date_hierarchy = "starts_at"
    readonly_fields = ("created_by", "created_at", "cancelled_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Shifts are written through the on-call service, which validates them.
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(JurisdictionArea)
class JurisdictionAreaAdmin(admin.ModelAdmin):
    list_display = ("postal_code", "municipality", "youth_office")
    search_fields = ("postal_code", "municipality", "youth_office__name")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Areas are added through the jurisdiction service, which rejects overlaps.
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
