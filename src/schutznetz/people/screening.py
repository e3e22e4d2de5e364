"""Screening free text for obvious identifiers of children, for texts that must not hold them
(minutes of network meetings, notes on help offers): birth dates, and names that sound like a
child in the identity vault.

Names are compared by their blind index only (Kölner Phonetik of given and family name under the
vault key), so nothing is decrypted. A hit is not proof, and a miss is no guarantee: the check
catches the obvious slip, the people writing remain responsible.
"""

from __future__ import annotations

import re
from itertools import pairwise

from django.core.exceptions import ValidationError

from schutznetz.people.models import Child
from schutznetz.people.vault import get_vault, phonetic

# "geb. 3.4.2019", "geboren am 03.04.19", "Geburtsdatum: 2019-04-03", "* 03.04.2019"
_BIRTH_DATE = re.compile(
    r"(?:\bgeb(?:oren)?\b\.?(?:\s+am)?|\bGeburtsdatum\b:?|\*)\s*"
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b|\d{4}-\d{2}-\d{2}\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*", re.UNICODE)
MAX_PAIRS = 2000


def _name_pairs(text: str) -> list[tuple[str, str]]:
    """Neighbouring capitalised words: candidates for 'given name family name'."""
    words = [m.group(0) for m in _WORD.finditer(text)]
    pairs = [(a, b) for a, b in pairwise(words) if a[0].isupper() and b[0].isupper()]
    return pairs[:MAX_PAIRS]


def child_identifiers_in(text: str) -> list[str]:
    """The passages of ``text`` that look like a child's birth date or a child's name in the vault."""
    found = [m.group(0).strip() for m in _BIRTH_DATE.finditer(text)]
    pairs = _name_pairs(text)
    if pairs:
        vault = get_vault()
        keys = {vault.blind("names", phonetic(a), phonetic(b)): f"{a} {b}" for a, b in pairs}
        hits = set(Child.objects.filter(fuzzy_names__in=list(keys)).values_list("fuzzy_names", flat=True))
        found += [name for key, name in keys.items() if key in hits]
    return found


def screen_texts(message: str, **texts: str) -> None:
    """Refuse free texts that hold obvious identifiers of children: a ``ValidationError`` per field,
    with ``message`` naming (up to three of) the passages found (``{found}``)."""
    errors = {}
    for field, text in texts.items():
        found = child_identifiers_in(text)
        if found:
            errors[field] = [message.format(found=", ".join(f"„{f}“" for f in found[:3]))]
    if errors:
        raise ValidationError(errors)
