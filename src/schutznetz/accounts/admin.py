from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from schutznetz.accounts import services
from schutznetz.accounts.models import User


def _changed_fields(message: Any) -> list[str]:
    """The fields named in the admin's change message (``construct_change_message``)."""
    fields: list[str] = []
    for entry in message if isinstance(message, list) else []:
        fields += entry.get("changed", {}).get("fields", [])
    return fields


@admin.register(User)
class SchutznetzUserAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: audit records and case histories refer to them.

    Every change made here (the granting of staff or superuser rights and a new password above all)
    is on the audit trail, and the person is told when their rights or password change.
    """

    fieldsets = (*(UserAdmin.fieldsets or ()), ("Schutznetz", {"fields": ("title",)}))
    list_display = ("username", "first_name", "last_name", "email", "is_active", "last_login")

    def has_delete_permission(self, request: HttpRequest | None, obj: Any = None) -> bool:
        return False

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        services.user_changed_by_admin(actor=cast(User, request.user), user=obj, fields=[], created=True)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        fields = _changed_fields(message)
        services.user_changed_by_admin(actor=cast(User, request.user), user=obj, fields=fields, created=False)
        return super().log_change(request, obj, message)
