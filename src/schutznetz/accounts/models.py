from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class SchutznetzUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # User names are stored in lower case; logins are not case-sensitive.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").lower()})


class User(AbstractUser):
    """A person who signs in. Acts for organisations through memberships (network.Membership).

    Users are deactivated (``is_active = False``), never deleted: audit records point at them.
    """

    title = models.CharField("Titel", max_length=40, blank=True, help_text="z. B. Dr. med.")

    objects: ClassVar[SchutznetzUserManager] = SchutznetzUserManager()

    class Meta:
        verbose_name = "Benutzerkonto"
        verbose_name_plural = "Benutzerkonten"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username = self.username.lower()
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
