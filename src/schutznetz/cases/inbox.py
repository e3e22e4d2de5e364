"""The Jugendamt's incoming reports, whichever pathway brought them (DESIGN.md: the core imports no
pathway). A pathway registers, when it starts, a function that lists what reached the user's
organisations through it: the youth-welfare intake its recorded reports, the medical pathway the
reports of doctors (§ 4 Abs. 3 KKG). The intake list shows them together, those not yet taken up
first, the nearest deadline first (overdue ones lead)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import F, QuerySet
from django.urls import reverse

if TYPE_CHECKING:
    from schutznetz.accounts.models import User


@dataclass(frozen=True)
class IncomingReport:
    """One entry of the intake list. Its address is made only for the entries a page shows (a list
    is read up to the page asked for and one entry more)."""

    url_name: str  # the entry's page, with ``pk``
    pk: Any
    pseudonym: str
    source: str  # by whom it became known
    sender: str  # the reporting organisation, if one of the network
    urgency: str
    received_at: datetime
    due_at: datetime  # first contact or acknowledgement due
    done_at: datetime | None  # first contact made or receipt acknowledged
    done: str  # what was done ("Erstkontakt", "Eingang bestätigt")

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=[self.pk])


# A provider returns at most ``limit`` entries, those the list shows first (``waiting_then_done``).
Provider = Callable[["User", int], list[IncomingReport]]
_PROVIDERS: dict[str, Provider] = {}
LIMIT = 200


def register(key: str, provider: Provider) -> None:
    _PROVIDERS[key] = provider


def incoming_for(user: User, limit: int) -> list[IncomingReport]:
    """The first ``limit`` entries of the intake list (at most ``LIMIT``): each pathway reads no more
    than that, so a page costs what it shows, not what the office has received."""
    limit = min(limit, LIMIT)
    rows = [row for provider in _PROVIDERS.values() for row in provider(user, limit)]
    rows.sort(key=_order)
    return rows[:limit]


def waiting_from(user: User, key: str, limit: int) -> list[IncomingReport]:
    """The entries of one pathway's provider not yet taken up (the offers on a move, listed beside
    the lead hand-overs); none when no such pathway is installed."""
    provider = _PROVIDERS.get(key)
    if provider is None:
        return []
    return [row for row in provider(user, min(limit, LIMIT)) if row.done_at is None]


_R = TypeVar("_R")


def waiting_then_done(queryset: QuerySet[Any, _R], *, done: str, due: str, limit: int) -> list[_R]:
    """At most ``limit`` of an organisation's incoming entries: those not yet taken up (``done`` is
    empty), the nearest deadline (``due``) first, then those taken up, the latest first.

    Two bounded queries, each read down the organisation's index in exactly that order (no tie
    breaker that the index does not hold), so that the cost does not grow with the organisation's
    history (one query ordered by both had to sort all of it). Both always run, so that the page's
    query count does not depend on the data. For a list, ``queryset`` is best a ``values()`` one:
    model instances of a few hundred rows cost more than reading them."""
    # Ordered by the empty column too, as the index is: PostgreSQL reads "IS NULL" as no equality.
    waiting = list(queryset.filter(**{f"{done}__isnull": True}).order_by(done, due)[:limit])
    rest = max(limit - len(waiting), 1)
    taken: list[Any] = list(queryset.filter(**{f"{done}__isnull": False}).order_by(F(done).desc())[:rest])
    return (waiting + taken)[:limit]


def _order(row: IncomingReport) -> tuple[int, float]:
    """Open ones first by deadline; then those taken up, the latest first."""
    if row.done_at is None:
        return (0, row.due_at.timestamp())
    return (1, -row.done_at.timestamp())
