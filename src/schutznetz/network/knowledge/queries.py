"""Reads of the knowledge base: the articles a user may read, search with highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from schutznetz.kit import german_search
from schutznetz.network.knowledge import policy
from schutznetz.network.models import KnowledgeArticle, KnowledgeAttachment, SearchSynonym

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_QUERY_SHORT = "Bitte ein Wort (mindestens zwei Buchstaben) oder einen Paragrafen wie „§ 8a“ eingeben."
TOPIC_GENERAL = "Allgemein"
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


def synonym_groups() -> list[list[str]]:
    return [group.expressions for group in SearchSynonym.objects.all()]


def synonyms() -> QuerySet[SearchSynonym]:
    return SearchSynonym.objects.select_related("created_by")


def synonym_get(pk: int) -> SearchSynonym:
    synonym = SearchSynonym.objects.filter(pk=pk).first()
    if synonym is None:
        raise Http404("Synonym nicht gefunden.")
    return synonym


def search(user: User, query: str, *, tag: str = "") -> list[Hit]:
    """Ranked matches among the articles the user may read, with highlighted snippets.

    The same stems and the same query on both databases (``kit.german_search``): PostgreSQL matches
    the stored ``tsvector``, SQLite the FTS5 table; both find the same articles."""
    parsed = german_search.parse(" ".join(query.split()), synonym_groups())
    if not parsed:
        raise ValidationError({"q": [MSG_QUERY_SHORT]})
    scope = articles_for(user)
    if tag:
        scope = scope.filter(tags__icontains=f'"{tag}"')
    if connection.vendor == "postgresql":
        articles = _search_postgresql(scope, parsed)
    else:
        articles = _search_sqlite(scope, parsed)
    return [
        Hit(a, _highlight(german_search.snippet(a.body, parsed, start_mark=_START, stop_mark=_STOP)))
        for a in articles
    ]


def _search_postgresql(
    scope: QuerySet[KnowledgeArticle], query: german_search.Query
) -> list[KnowledgeArticle]:
    # The stored, GIN-indexed vector of the title's (weight A) and the body's (B) stems: migration 0016.
    document = RawSQL(  # noqa: S611 - a fixed column name, no input
        f'"{KnowledgeArticle._meta.db_table}"."search_document"', [], output_field=SearchVectorField()
    )
    ts_query = SearchQuery(query.tsquery(), config="simple", search_type="raw")
    rows = (
        scope.annotate(document=document)
        .filter(document=ts_query)
        .annotate(rank=SearchRank(document, ts_query))
        .order_by("-rank", "title")[:RESULTS]
    )
    return list(rows)


def _search_sqlite(scope: QuerySet[KnowledgeArticle], query: german_search.Query) -> list[KnowledgeArticle]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM network_knowledge_fts WHERE network_knowledge_fts MATCH %s "
            "ORDER BY bm25(network_knowledge_fts, 10.0, 1.0) LIMIT 500",
            [query.fts5()],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    articles = scope.in_bulk(ranked)
    return [articles[pk] for pk in ranked if pk in articles][:RESULTS]


@dataclass(frozen=True)
class Topic:
    name: str
    articles: list[KnowledgeArticle]


def topics_for(user: User) -> list[Topic]:
    """The articles the user may read, by their keywords (an article without one under „Allgemein“)."""
    by_topic: dict[str, list[KnowledgeArticle]] = {}
    for article in articles_for(user).only("pk", "title", "tags").order_by("title"):
        for tag in article.tags or [TOPIC_GENERAL]:
            by_topic.setdefault(tag, []).append(article)
    names = sorted(by_topic, key=lambda name: (name == TOPIC_GENERAL, name.casefold()))
    return [Topic(name, by_topic[name]) for name in names]


def attachment_get_for(user: User, article_pk: int, pk: int) -> KnowledgeAttachment:
    """An attachment of an article the user may read; 404 otherwise."""
    article = article_get_for(user, article_pk)
    attachment = KnowledgeAttachment.objects.filter(article=article, pk=pk).select_related("article").first()
    if attachment is None:
        raise Http404("Anhang nicht gefunden.")
    return attachment


def attachments_of(article: KnowledgeArticle) -> list[KnowledgeAttachment]:
    return list(article.attachments.all())
