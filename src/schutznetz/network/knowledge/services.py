"""Writes to the knowledge base: articles in versions, attachments checked by their content."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from schutznetz.kit.german_search import index_text
from schutznetz.network.knowledge import policy
from schutznetz.network.models import KnowledgeArticle, KnowledgeAttachment, OrganisationKind, SearchSynonym

if TYPE_CHECKING:
    from schutznetz.accounts.models import User

MSG_NOT_ALLOWED = policy.MSG_NOT_ALLOWED
MSG_AUDIENCE = "Unbekannte Zielgruppe."
MSG_REVISED = "Von diesem Artikel gibt es bereits eine neuere Fassung."
MSG_ATTACHMENT_TYPE = "Erlaubt sind PDF, Word, Excel, OpenDocument, PNG und JPEG."
MSG_ATTACHMENT_SIZE = "Ein Anhang darf höchstens 20 MB groß sein."
MSG_ATTACHMENT_EMPTY = "Die Datei ist leer."
MSG_SYNONYM_FEW = "Bitte mindestens zwei Begriffe angeben, die dasselbe bedeuten (durch Kommas getrennt)."
MSG_SYNONYM_EMPTY = "„{}“ enthält kein Wort, nach dem gesucht werden kann."
MSG_SYNONYM_TAKEN = "„{}“ steht schon in einer anderen Gruppe von Synonymen."
MAX_SYNONYMS = 10
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


def _check(actor: User, title: str, body: str, audiences: list[str]) -> None:
    policy.require_edit(actor)
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
        **_text(title, body),
        tags=sorted({t.strip() for t in tags or [] if t.strip()}),
        audiences=audiences,
        created_by=actor,
    )


def _text(title: str, body: str) -> dict[str, str]:
    """Title and body with the stems the search indexes (``kit.german_search``)."""
    title, body = title.strip(), body.strip()
    return {"title": title, "body": body, "search_title": index_text(title), "search_body": index_text(body)}


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
        **_text(title, body),
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


def _synonym_expressions(expressions: list[str], *, besides: int | None = None) -> list[str]:
    """The group's expressions, each once; refused when fewer than two, one without a searchable
    word, or one already in another group (``besides``: the group being edited)."""
    unique = list(dict.fromkeys(" ".join(e.split()) for e in expressions if e.strip()))
    if len(unique) < 2 or len(unique) > MAX_SYNONYMS:
        raise ValidationError({"expressions": [MSG_SYNONYM_FEW]})
    others = SearchSynonym.objects.exclude(pk=besides) if besides is not None else SearchSynonym.objects.all()
    taken = {index_text(e) for group in others for e in group.expressions}
    for expression in unique:
        stems = index_text(expression)
        if not stems:
            raise ValidationError({"expressions": [MSG_SYNONYM_EMPTY.format(expression)]})
        if stems in taken:
            raise ValidationError({"expressions": [MSG_SYNONYM_TAKEN.format(expression)]})
    return unique


@transaction.atomic
def synonym_create(*, actor: User, expressions: list[str]) -> SearchSynonym:
    """A group of expressions that mean the same in a search ("KWG", "Kindeswohlgefährdung")."""
    policy.require_edit(actor)
    return SearchSynonym.objects.create(expressions=_synonym_expressions(expressions), created_by=actor)


@transaction.atomic
def synonym_update(*, actor: User, synonym: SearchSynonym, expressions: list[str]) -> SearchSynonym:
    """Change a group's expressions (add a spelling, take one out); the search applies it at once."""
    policy.require_edit(actor)
    synonym.expressions = _synonym_expressions(expressions, besides=synonym.pk)
    synonym.save(update_fields=["expressions"])
    return synonym


@transaction.atomic
def synonym_delete(*, actor: User, synonym: SearchSynonym) -> None:
    policy.require_edit(actor)
    SearchSynonym.objects.filter(pk=synonym.pk).delete()
