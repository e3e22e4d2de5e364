"""Identity records in plain form (only ever in memory) and their index keys."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from schutznetz.people import models
from schutznetz.people.vault import get_vault, normalise_name, phonetic


@dataclass(frozen=True)
class ChildIdentity:
    given_name: str
    family_name: str
    birth_date: date
    sex: str = "none"
    street: str = ""
    postal_code: str = ""
    city: str = ""

    def to_record(self) -> dict[str, str]:
        return {**asdict(self), "birth_date": self.birth_date.isoformat()}

    @classmethod
    def from_record(cls, record: dict[str, str]) -> ChildIdentity:
        fields: dict[str, Any] = {**record, "birth_date": date.fromisoformat(record["birth_date"])}
        return cls(**fields)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def address_line(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)


@dataclass(frozen=True)
class IndexKeys:
    exact: str
    family_month: str
    names: str


def index_keys(*, given_name: str, family_name: str, birth_date: date) -> IndexKeys:
    """Blind index keys: exact (names + birth date) and fuzzy (sound of the names, birth month)."""
    vault = get_vault()
    return IndexKeys(
        exact=vault.blind(
            "exact", normalise_name(family_name), normalise_name(given_name), birth_date.isoformat()
        ),
        family_month=vault.blind("family-month", phonetic(family_name), f"{birth_date:%Y-%m}"),
        names=vault.blind("names", phonetic(given_name), phonetic(family_name)),
    )


@dataclass(frozen=True)
class GuardianIdentity:
    given_name: str
    family_name: str
    phone: str = ""
    address: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


# The kinds of sealed rows: part of each record's associated data.
CHILD = "child"
GUARDIAN = "guardian"


def child_row(identity: ChildIdentity) -> models.Child:
    """An unsaved child: the identity sealed to the row, the blind-index keys and a fresh random
    pseudonym.

    The one way a child row is made, by the services and by bulk loads alike.
    """
    keys = index_keys(
        given_name=identity.given_name, family_name=identity.family_name, birth_date=identity.birth_date
    )
    child = models.Child(
        pseudonym=models.new_pseudonym(),
        exact_key=keys.exact,
        fuzzy_family_month=keys.family_month,
        fuzzy_names=keys.names,
    )
    child.key_id, child.identity = get_vault().seal(identity.to_record(), kind=CHILD, row_id=child.pk)
    return child


def child_reseal(child: models.Child, identity: ChildIdentity) -> None:
    """Seal a changed identity (a new address) to the child's row; name and birth date, and with them
    the blind indexes, stay as they are."""
    child.key_id, child.identity = get_vault().seal(identity.to_record(), kind=CHILD, row_id=child.pk)


def child_identity(child: models.Child) -> ChildIdentity:
    record = get_vault().open(child.identity, key_id=child.key_id, kind=CHILD, row_id=child.pk)
    return ChildIdentity.from_record(record)


def guardian_seal(guardian: models.Guardian, identity: GuardianIdentity) -> None:
    """Seal the identity to the saved guardian row (its primary key is the associated data)."""
    assert guardian.pk is not None, "a guardian's identity is sealed to its saved row"
    guardian.key_id, guardian.identity = get_vault().seal(asdict(identity), kind=GUARDIAN, row_id=guardian.pk)


def guardian_identity(guardian: models.Guardian) -> GuardianIdentity:
    record = get_vault().open(guardian.identity, key_id=guardian.key_id, kind=GUARDIAN, row_id=guardian.pk)
    return GuardianIdentity(**record)
