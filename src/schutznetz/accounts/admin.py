from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from schutznetz.accounts.models import User


@admin.register(User)
class SchutznetzUserAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: audit records and case histories refer to them."""

    fieldsets = (*(UserAdmin.fieldsets or ()), ("Schutznetz", {"fields": ("title",)}))
    list_display = ("username", "first_name", "last_name", "email", "is_active", "last_login")

    def has_delete_permission(self, request: HttpRequest | None, obj: Any = None) -> bool:
        return False
