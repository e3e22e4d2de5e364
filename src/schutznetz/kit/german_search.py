"""German full-text search that gives the same answers on PostgreSQL and SQLite.

Both databases index the same stems, made here: words are lower-cased, German stop words dropped,
reduced by the Snowball German stemmer (the algorithm PostgreSQL's ``german`` configuration uses,
in its current version) and then by a few rules that join a participle to its noun
("vernachlässigt" → "vernachlass", like "Vernachlässigung"; "misshandelt" → "misshandl", like
"Misshandlung"). A paragraph reference is one term: "§ 8a", "§8a" and "§§ 8a" all become ``p8a``;
a query of "8a" alone finds it too.

A query is a conjunction of its terms; a term of four letters or more also finds longer stems that
begin with it (typing "Vernachl" finds "Vernachlässigung"); a synonym (``KWG`` for
"Kindeswohlgefährdung", ``ISEF`` for "insoweit erfahrene Fachkraft") is an alternative of the words it
stands for. The query is compiled to a ``to_tsquery('simple', …)`` text for PostgreSQL and to an FTS5
``MATCH`` expression for SQLite; stems hold only letters and digits, so user input never reaches
either syntax.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import snowballstemmer

# The German stop-word list of the Snowball project (which PostgreSQL's ``german`` uses), shortened
# to the words that occur in professional prose.
STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anderm andern anders auch auf aus bei bin bis bist da damit dann das dass daß dasselbe dazu dein
    deine deinem deinen deiner deines dem demselben den denn denselben der derer derselbe derselben des
    desselben dessen dich die dies diese dieselbe dieselben diesem diesen dieser dieses dir doch dort
    du durch ein eine einem einen einer eines einig einige einigem einigen einiger einiges einmal er es
    etwas euch euer eure eurem euren eurer eures für gegen gewesen hab habe haben hat hatte hatten hier
    hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden
    jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können
    könnte machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines
    mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen
    seiner seines selbst sich sie sind so solche solchem solchen solcher solches soll sollte sondern
    sonst über um und uns unser unsere unserem unseren unserer unseres unter viel vom von vor während
    war waren warst was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie
    wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen
    """.split()  # noqa: SIM905 - a list to read, not to edit word by word
)

# A paragraph reference ("§ 8a", "§§ 4", "§8a") or a word of letters and digits.
_TOKEN = re.compile(r"§{1,2}\s*(\d+[a-z]?)\b|([^\W_]+)", re.IGNORECASE)
MIN_PREFIX = 4
_BARE_PARAGRAPH = re.compile(r"\d{1,4}[a-z]?")
# Participles and verb forms the stemmer leaves apart from their nouns.
_JOIN_RULES = (("igt", ""), ("elt", "l"), ("eln", "l"), ("el", "l"))


@functools.cache
def _stemmer() -> snowballstemmer.GermanStemmer:
    return snowballstemmer.stemmer("german")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The search stem of one lower-case word."""
    if word.isdigit() or not word.isalpha():
        return word
    result: str = _stemmer().stemWord(word)
    for ending, replacement in _JOIN_RULES:
        if result.endswith(ending) and len(result) - len(ending) + len(replacement) >= MIN_PREFIX + 1:
            return result[: len(result) - len(ending)] + replacement
    return result


@dataclass(frozen=True)
class Token:
    term: str  # the stem
    start: int  # where the word stands in the text
    end: int


def tokens(text: str) -> list[Token]:
    """The text's terms with their places in the text; stop words and single letters left out."""
    found = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        paragraph, word = (group and group.lower() for group in match.groups())
        if paragraph:
            found.append(Token("p" + paragraph, match.start(), match.end()))
        elif word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        else:
            found.append(Token(stem(word), match.start(), match.end()))
    return found


def index_text(text: str) -> str:
    """What the database indexes for a text: its stems, separated by spaces."""
    return " ".join(t.term for t in tokens(text))


# A query: a conjunction of clauses, each a disjunction of alternatives, each a conjunction of terms.
Alternative = tuple[str, ...]
Clause = tuple[Alternative, ...]


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> set[str]:
        return {term for clause in self.clauses for alternative in clause for term in alternative}

    def matches(self, term: str) -> bool:
        """Whether a stem of the text answers one of the query's terms (for highlighting)."""
        return any(term == t or (_prefix(t) and term.startswith(t)) for t in self.terms)

    def tsquery(self) -> str:
        """A ``to_tsquery('simple', …)`` text."""
        return " & ".join(
            "(" + " | ".join("(" + " & ".join(map(_ts_term, alt)) + ")" for alt in clause) + ")"
            for clause in self.clauses
        )

    def fts5(self) -> str:
        """An FTS5 ``MATCH`` expression over the indexed stems."""
        return " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(map(_fts_term, alt)) + ")" for alt in clause) + ")"
            for clause in self.clauses
        )


def _prefix(term: str) -> bool:
    return len(term) >= MIN_PREFIX and term.isalpha()


def _ts_term(term: str) -> str:
    return f"{term}:*" if _prefix(term) else term


def _fts_term(term: str) -> str:
    return f'"{term}"*' if _prefix(term) else f'"{term}"'


def parse(text: str, synonyms: Iterable[Sequence[str]] = ()) -> Query:
    """The query for what a user typed; ``synonyms`` are groups of expressions that mean the same."""
    terms = [t.term for t in tokens(text)]
    groups = [
        [alt for alt in (tuple(index_text(expr).split()) for expr in group) if alt] for group in synonyms
    ]
    clauses: list[Clause] = []
    i = 0
    while i < len(terms):
        for group in groups:
            # The longest expression of a group that the query spells out here.
            spelled = [alt for alt in group if tuple(terms[i : i + len(alt)]) == alt]
            if spelled and len(group) > 1:
                span = max(len(alt) for alt in spelled)
                clauses.append(tuple(group))
                i += span
                break
        else:
            term = terms[i]
            # "8a" typed without "§" finds "§ 8a" too (and "42" finds "§ 42").
            bare_paragraph = _BARE_PARAGRAPH.fullmatch(term)
            clauses.append(((term,), ("p" + term,)) if bare_paragraph else ((term,),))
            i += 1
    return Query(tuple(dict.fromkeys(clauses)))


def snippet(text: str, query: Query, *, words: int = 30, start_mark: str, stop_mark: str) -> str:
    """About ``words`` words of the text where the most matches are, with each matching word between
    the marks (the caller escapes the text and turns the marks into ``<mark>``)."""
    text = unicodedata.normalize("NFC", text).replace(start_mark, "").replace(stop_mark, "")
    found = tokens(text)
    hits = [i for i, t in enumerate(found) if query.matches(t.term)]
    if not found:
        return text[:200]
    best = 0
    if hits:
        # The window that holds the most matches.
        best = max(hits, key=lambda h: sum(1 for j in hits if h <= j < h + words))
        best = max(0, best - words // 4)
    window = found[best : best + words]
    begin = found[best].start if best else 0
    end = window[-1].end
    marked = set(h for h in hits if best <= h < best + words)
    parts = ["…" if begin else ""]
    cursor = begin
    for index in range(best, best + len(window)):
        token = found[index]
        parts.append(text[cursor : token.start])
        word = text[token.start : token.end]
        parts.append(f"{start_mark}{word}{stop_mark}" if index in marked else word)
        cursor = token.end
    parts.append(text[cursor:end])
    if end < len(text.rstrip()):
        parts.append("…")
    return "".join(parts)
