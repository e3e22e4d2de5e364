"""Screening free text for what identifies a person, in texts that must not hold it: minutes of
network meetings, bookings of consultation hours, referrals, and what pseudonymised participants of a
case read.

Nothing is looked up in the identity vault: a refusal must never tell whether someone is known to the
network (a name that sounds like a child of *another* organisation's case is no reason to refuse,
and no answer to whoever probes for it). The text is checked against

- patterns: a birth date ("geb. 3.4.2019"), a street address ("Münsterstraße 80"), a full name of
  the pattern "Vorname Nachname" (a common given name followed by a capitalised word), unless it is
  the name of a member of the network (minutes name the professionals present);
- the identities the writer already knows: those of the writer's own cases (``known``).

A refusal names the passage that looks identifying. A hit is not proof and a miss is no guarantee:
the check catches the obvious slip; the people writing remain responsible. Refusals are counted per
user (``SCREENING_REFUSALS_PER_HOUR``): whoever keeps trying variants is stopped for a while.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

# "geb. 3.4.2019", "geboren am 03.04.19", "Geburtsdatum: 2019-04-03", "* 03.04.2019"
_BIRTH_DATE = re.compile(
    r"(?:\bgeb(?:oren)?\b\.?(?:\s+am)?|\bGeburtsdatum\b:?|\*)\s*"
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b|\d{4}-\d{2}-\d{2}\b)",
    re.IGNORECASE,
)
# "Münsterstraße 80", "Am Westpark 3a", "Hohe Str. 40", "Quaggaallee 3"
_ADDRESS = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß.-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|pfad|stieg)"
    r"\s+\d{1,4}\s?[a-zA-Z]?\b"
    r"|\b(?:Am|An der|Auf dem|Im|In der|Zum|Zur)\s+[A-ZÄÖÜ][\wäöüß-]+\s+\d{1,4}\s?[a-zA-Z]?\b"
)
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*", re.UNICODE)
MAX_TEXT = 50_000
CODE = "identifying"
MSG_TOO_MANY = (
    "Zu viele Eingaben wurden wegen möglicher personenbezogener Angaben abgelehnt. Bitte versuchen Sie "
    "es in einer Stunde erneut."
)


class Person(Protocol):
    """An identity the writer knows (a child or guardian of one of their own cases)."""

    @property
    def given_name(self) -> str: ...

    @property
    def family_name(self) -> str: ...


@functools.cache
def given_names() -> frozenset[str]:
    path = Path(__file__).with_name("given_names.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_member(given: str, family: str) -> bool:
    from schutznetz.accounts.models import User

    return User.objects.filter(first_name__iexact=given, last_name__iexact=family).exists()


def _full_names(text: str) -> list[str]:
    words = [m.group(0) for m in _WORD.finditer(text)]
    names = given_names()
    found = []
    for a, b in pairwise(words):
        if a in names and b[0].isupper() and len(b) > 1 and not _is_member(a, b):
            found.append(f"{a} {b}")
    return found


def _known_passages(text: str, known: Iterable[Person]) -> list[str]:
    found = []
    folded = text.casefold()
    for person in known:
        given, family = person.given_name.strip(), person.family_name.strip()
        candidates = [f"{given} {family}", f"{family}, {given}", family if len(family) >= 4 else ""]
        street = getattr(person, "street", "") or getattr(person, "address", "")
        candidates.append(street.split(",")[0].strip() if street else "")
        born = getattr(person, "birth_date", None)
        if isinstance(born, date):
            candidates += [f"{born:%d.%m.%Y}", f"{born.day}.{born.month}.{born.year}", born.isoformat()]
        found += [c for c in candidates if c and c.casefold() in folded]
    return found


def identifying_passages(text: str, *, known: Iterable[Person] = ()) -> list[str]:
    """The passages of ``text`` that look like a name, a birth date or an address."""
    text = text[:MAX_TEXT]
    found = [m.group(0).strip() for m in _BIRTH_DATE.finditer(text)]
    found += [m.group(0).strip() for m in _ADDRESS.finditer(text)]
    found += _full_names(text)
    found += _known_passages(text, known)
    return list(dict.fromkeys(found))


def _refusals_key(user: User) -> str:
    return f"screening-refusals:{user.pk}"


def screen_texts(
    message: str, *, actor: User | None = None, known: Iterable[Person] = (), **texts: str
) -> None:
    """Refuse free texts that look identifying: a ``ValidationError`` (code ``identifying``) per field,
    with ``message`` naming (up to three of) the passages found (``{found}``)."""
    limit: int = settings.SCREENING_REFUSALS_PER_HOUR
    if actor is not None and cache.get(_refusals_key(actor), 0) >= limit:
        raise ValidationError(MSG_TOO_MANY, code=CODE)
    known = list(known)
    errors = {}
    for field, text in texts.items():
        found = identifying_passages(text, known=known)
        if found:
            passages = ", ".join(f"„{f}“" for f in found[:3])
            errors[field] = [ValidationError(message.format(found=passages), code=CODE)]
    if errors:
        if actor is not None:
            key = _refusals_key(actor)
            cache.add(key, 0, timeout=3600)
            try:
                cache.incr(key)
            except ValueError:  # expired in between
                cache.set(key, 1, timeout=3600)
        raise ValidationError(errors)


def is_refusal(error: ValidationError) -> bool:
    """Whether a service's error is a screening refusal (to be audited by whoever caught it)."""
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return any(e.code == CODE for group in errors for e in group)
