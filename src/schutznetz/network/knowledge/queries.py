"""Reads of the knowledge base: the articles a user may read, search with highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from schutznetz.network.knowledge import policy
from schutznetz.network.models import KnowledgeArticle, KnowledgeAttachment

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_QUERY_SHORT = "Bitte mindestens drei Zeichen eingeben."
RESULTS = 25
# Markers the database puts around matches; the rest of the snippet is escaped, then they become <mark>.
_START, _STOP = "\x02", "\x03"


def articles_for(user: User) -> QuerySet[KnowledgeArticle]:
    """Current articles published to one of the user's organisation kinds (or to everyone)."""
    qs = KnowledgeArticle.objects.filter(is_current=True)
    if policy.reads_everything(user):
        return qs
    audience = Q(audiences=[])
    for kind in policy.audience_kinds(user):
        audience |= (
            Q(audiences__contains=[kind])
            if connection.vendor == "postgresql"
            else Q(audiences__icontains=f'"{kind}"')
        )
    return qs.filter(audience)


def article_get_for(user: User, pk: int) -> KnowledgeArticle:
    article = articles_for(user).filter(pk=pk).select_related("created_by").first()
    if article is None:
        # Older versions stay readable for those who may read the article.
        article = (
            KnowledgeArticle.objects.filter(pk=pk, is_current=False).select_related("created_by").first()
        )
        if article is None or not _visible_chain(user, article):
            raise Http404("Artikel nicht gefunden.")
    return article


def _visible_chain(user: User, article: KnowledgeArticle) -> bool:
    newest = article
    while hasattr(newest, "successor"):
        newest = newest.successor
    return articles_for(user).filter(pk=newest.pk).exists()


@dataclass(frozen=True)
class Hit:
    article: KnowledgeArticle
    snippet: SafeString


def _highlight(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def search(user: User, query: str, *, tag: str = "") -> list[Hit]:
    """Ranked matches among the articles the user may read, with highlighted snippets."""
    query = " ".join(query.split())
    if len(query) < 3:
        raise ValidationError({"q": [MSG_QUERY_SHORT]})
    scope = articles_for(user)
    if tag:
        scope = scope.filter(tags__icontains=f'"{tag}"')
    if connection.vendor == "postgresql":
        return _search_postgresql(scope, query)
    return _search_sqlite(scope, query)


def _search_postgresql(scope: QuerySet[KnowledgeArticle], query: str) -> list[Hit]:
    # The stored, GIN-indexed vector of title (weight A) and body (B): migration 0006.
    document = RawSQL(  # noqa: S611 - a fixed column name, no input
        f'"{KnowledgeArticle._meta.db_table}"."search_document"', [], output_field=SearchVectorField()
    )
    ts_query = SearchQuery(query, config="german", search_type="websearch")
    rows = (
        scope.annotate(document=document)
        .filter(document=ts_query)
        .annotate(
            rank=SearchRank(document, ts_query),
            snippet=SearchHeadline(
                "body",
                ts_query,
                config="german",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=10,
            ),
        )
        .order_by("-rank", "title")[:RESULTS]
    )
    return [Hit(a, _highlight(a.snippet)) for a in rows]


def _search_sqlite(scope: QuerySet[KnowledgeArticle], query: str) -> list[Hit]:
    # Each word is a quoted phrase: FTS5 operators in user input have no effect.
    match = " ".join('"' + word.replace('"', '""') + '"' for word in query.split() if len(word) >= 3)
    if not match:
        raise ValidationError({"q": [MSG_QUERY_SHORT]})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, snippet(network_knowledge_fts, 1, %s, %s, '…', 64) FROM network_knowledge_fts "
            "WHERE network_knowledge_fts MATCH %s ORDER BY bm25(network_knowledge_fts, 10.0, 1.0) LIMIT 200",
            [_START, _STOP, match],
        )
        ranked = cursor.fetchall()
    articles = scope.in_bulk([row[0] for row in ranked])
    return [Hit(articles[pk], _highlight(text)) for pk, text in ranked if pk in articles][:RESULTS]


def attachment_get_for(user: User, article_pk: int, pk: int) -> KnowledgeAttachment:
    """An attachment of an article the user may read; 404 otherwise."""
    article = article_get_for(user, article_pk)
    attachment = KnowledgeAttachment.objects.filter(article=article, pk=pk).select_related("article").first()
    if attachment is None:
        raise Http404("Anhang nicht gefunden.")
    return attachment


def attachments_of(article: KnowledgeArticle) -> list[KnowledgeAttachment]:
    return list(article.attachments.all())
