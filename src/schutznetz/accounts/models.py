from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from schutznetz.kit.folding import fold


class SchutznetzUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # User names are stored in lower case; logins are not case-sensitive.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").lower()})


class User(AbstractUser):
    """A person who signs in. Acts for organisations through memberships (network.Membership).

    Users are deactivated (``is_active = False``), never deleted: audit records point at them.
    """

    title = models.CharField("Titel", max_length=40, blank=True, help_text="z. B. Dr. med.")
    # The name folded for search ("Yilmaz" finds "Yılmaz"; ``kit.folding``), kept by ``save``.
    search_key = models.CharField(max_length=320, blank=True, editable=False)

    objects: ClassVar[SchutznetzUserManager] = SchutznetzUserManager()

    class Meta:
        verbose_name = "Benutzerkonto"
        verbose_name_plural = "Benutzerkonten"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username = self.username.lower()
        self.search_key = fold(f"{self.first_name} {self.last_name}")
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_name", "last_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name_of(self.title, self.first_name, self.last_name, self.username)

    NAME_FIELDS = ("title", "first_name", "last_name", "username")

    @staticmethod
    def name_of(title: str, first_name: str, last_name: str, username: str) -> str:
        """The display name from the ``NAME_FIELDS`` (for lists read with ``values_list``)."""
        name = " ".join(p for p in (title, first_name, last_name) if p)
        return name or username

    def __str__(self) -> str:
        return self.display_name


class ApiToken(models.Model):
    """A personal token for a professional's software (Fachverfahren) to use the REST API.

    Shown once when made; only the SHA-256 of the token is stored (``digest``), so a copy of the
    database grants no access. It expires (``expires_at``), lapses when unused for long
    (``API_TOKEN_IDLE_DAYS``) and can be revoked; ``prefix`` names it in lists.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("Bezeichnung", max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("gültig bis")
    last_used_at = models.DateTimeField("zuletzt verwendet", null=True, blank=True)
    revoked_at = models.DateTimeField("widerrufen am", null=True, blank=True)

    class Meta:
        verbose_name = "API-Token"
        verbose_name_plural = "API-Tokens"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
