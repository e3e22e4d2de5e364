"""Search keys that find a name however it is typed: "Yilmaz" finds "Yılmaz", "Muller" and "Müller"
find "Müller", "Strasse" finds "Straße". Stored beside the names (``search_key`` fields) so that
PostgreSQL and SQLite compare the same folded text with a plain ``contains``."""

from __future__ import annotations

import unicodedata

# Letters NFKD does not take apart: Turkish dotless i, ß, ligatures and slashed letters.
_LETTERS = str.maketrans({"ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})


def fold(text: str) -> str:
    """Lower case, without accents and diacritics, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.translate(_LETTERS).split())


def fold_words(query: str, *, limit: int = 5) -> list[str]:
    """The folded words of a query (at most ``limit``)."""
    return fold(query).split()[:limit]
