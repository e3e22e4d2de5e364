"""The knowledge base: articles in versions, and German full-text search with highlighted snippets."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from schutznetz.network import policy
from schutznetz.network.models import KnowledgeArticle, KnowledgeAttachment, OrganisationKind, Role

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_NOT_ALLOWED = "Wissensartikel pflegen die Koordinationen und die Netzwerkadministration."
MSG_QUERY_SHORT = "Bitte mindestens drei Zeichen eingeben."
MSG_AUDIENCE = "Unbekannte Zielgruppe."
MSG_REVISED = "Von diesem Artikel gibt es bereits eine neuere Fassung."
MSG_ATTACHMENT_TYPE = "Erlaubt sind PDF, Word, Excel, OpenDocument, PNG und JPEG."
MSG_ATTACHMENT_SIZE = "Ein Anhang darf höchstens 20 MB groß sein."
MSG_ATTACHMENT_EMPTY = "Die Datei ist leer."
MAX_ATTACHMENT = 20 * 1024 * 1024
# Recognised by their first bytes, not by the name or the type the browser claims.
_SIGNATURES = [
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (
        b"PK\x03\x04",
        "application/octet-stream",
        {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"},
    ),
]
_OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
RESULTS = 25
# Markers the database puts around matches; the rest of the snippet is escaped, then they become <mark>.
_START, _STOP = "\x02", "\x03"


def _user_kinds(user: User) -> list[str]:
    return sorted({m.organisation.kind for m in policy.active_memberships(user)})


def articles_for(user: User) -> QuerySet[KnowledgeArticle]:
    """Current articles published to one of the user's organisation kinds (or to everyone)."""
    qs = KnowledgeArticle.objects.filter(is_current=True)
    if policy.is_network_admin(user):
        return qs
    audience = Q(audiences=[])
    for kind in _user_kinds(user):
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
    return [Hit(a, _highlight(a.snippet)) for a in rows]  # type: ignore[attr-defined]


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


def can_edit(user: User) -> bool:
    return user.is_active and (
        policy.is_network_admin(user)
        or any(m.role == Role.COORDINATOR for m in policy.active_memberships(user))
    )


def _check(actor: User, title: str, body: str, audiences: list[str]) -> None:
    if not can_edit(actor):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not title.strip() or not body.strip():
        raise ValidationError({"title": ["Bitte Titel und Text angeben."]})
    if any(a not in OrganisationKind.values for a in audiences):
        raise ValidationError({"audiences": [MSG_AUDIENCE]})


@transaction.atomic
def article_create(
    *, actor: User, title: str, body: str, tags: list[str] | None = None, audiences: list[str] | None = None
) -> KnowledgeArticle:
    audiences = audiences or []
    _check(actor, title, body, audiences)
    return KnowledgeArticle.objects.create(
        title=title.strip(),
        body=body.strip(),
        tags=sorted({t.strip() for t in tags or [] if t.strip()}),
        audiences=audiences,
        created_by=actor,
    )


@transaction.atomic
def article_revise(
    *,
    actor: User,
    article: KnowledgeArticle,
    title: str,
    body: str,
    tags: list[str] | None = None,
    audiences: list[str] | None = None,
) -> KnowledgeArticle:
    """A new version; the old one stays readable but is no longer listed or searched."""
    current = KnowledgeArticle.objects.select_for_update().get(pk=article.pk)
    if not current.is_current:
        raise ValidationError({"title": [MSG_REVISED]})
    audiences = current.audiences if audiences is None else audiences
    _check(actor, title, body, audiences)
    current.is_current = False
    current.save(update_fields=["is_current"])
    revision = KnowledgeArticle.objects.create(
        title=title.strip(),
        body=body.strip(),
        tags=current.tags if tags is None else sorted(set(tags)),
        audiences=audiences,
        version=current.version + 1,
        predecessor=current,
        created_by=actor,
    )
    KnowledgeAttachment.objects.bulk_create(
        [
            KnowledgeAttachment(
                article=revision,
                file=a.file.name,
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                uploaded_by=a.uploaded_by,
            )
            for a in current.attachments.all()
        ]
    )
    return revision


def _attachment_type(upload: UploadedFile) -> str:
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type, suffixes in _SIGNATURES:
        if head.startswith(signature) and suffix in suffixes:
            return _OFFICE_TYPES.get(suffix, content_type)
    raise ValidationError({"file": [MSG_ATTACHMENT_TYPE]})


@transaction.atomic
def attachment_add(*, actor: User, article: KnowledgeArticle, upload: UploadedFile) -> KnowledgeAttachment:
    """Attach a file to the current version of an article (those who may edit articles)."""
    article = KnowledgeArticle.objects.select_for_update().get(pk=article.pk)
    _check(actor, article.title, article.body, article.audiences)
    if not article.is_current:
        raise ValidationError({"file": [MSG_REVISED]})
    if not upload.size:
        raise ValidationError({"file": [MSG_ATTACHMENT_EMPTY]})
    if upload.size > MAX_ATTACHMENT:
        raise ValidationError({"file": [MSG_ATTACHMENT_SIZE]})
    content_type = _attachment_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = os.path.basename(upload.name or "anhang")[:200]
    return KnowledgeAttachment.objects.create(
        article=article,
        file=upload,
        name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )


def attachment_get_for(user: User, article_pk: int, pk: int) -> KnowledgeAttachment:
    """An attachment of an article the user may read; 404 otherwise."""
    article = article_get_for(user, article_pk)
    attachment = KnowledgeAttachment.objects.filter(article=article, pk=pk).select_related("article").first()
    if attachment is None:
        raise Http404("Anhang nicht gefunden.")
    return attachment
