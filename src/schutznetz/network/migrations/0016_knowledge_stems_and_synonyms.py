from __future__ import annotations

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from schutznetz.kit.german_search import index_text

# Both databases now index the same German stems (kit.german_search), stored with each article by the
# service: PostgreSQL in a generated tsvector of the 'simple' configuration (the stems are made
# already), SQLite in an FTS5 table over the stem columns.
PG_FORWARDS = [
    "DROP INDEX IF EXISTS knowledge_article_search_document",
    "ALTER TABLE network_knowledgearticle DROP COLUMN IF EXISTS search_document",
    """
    ALTER TABLE network_knowledgearticle ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_body), 'B')
    ) STORED
    """,
    "CREATE INDEX knowledge_article_search_document ON network_knowledgearticle USING GIN (search_document)",
]
PG_BACKWARDS = [
    "DROP INDEX IF EXISTS knowledge_article_search_document",
    "ALTER TABLE network_knowledgearticle DROP COLUMN IF EXISTS search_document",
    """
    ALTER TABLE network_knowledgearticle ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('german'::regconfig, coalesce(body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX knowledge_article_search_document ON network_knowledgearticle USING GIN (search_document)",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_fts_insert",
    "DROP TABLE IF EXISTS network_knowledge_fts",
]


_SQLITE_TABLE = [
    "CREATE VIRTUAL TABLE network_knowledge_fts USING fts5(<A>, <B>, "
    "content='network_knowledgearticle', content_rowid='id', tokenize='<TOKENIZER>')",
    "CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON network_knowledgearticle BEGIN "
    "INSERT INTO network_knowledge_fts(rowid, <A>, <B>) VALUES (new.id, new.<A>, new.<B>); END",
    "CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON network_knowledgearticle BEGIN "
    "INSERT INTO network_knowledge_fts(network_knowledge_fts, rowid, <A>, <B>) "
    "VALUES ('delete', old.id, old.<A>, old.<B>); END",
    "CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON network_knowledgearticle BEGIN "
    "INSERT INTO network_knowledge_fts(network_knowledge_fts, rowid, <A>, <B>) "
    "VALUES ('delete', old.id, old.<A>, old.<B>); "
    "INSERT INTO network_knowledge_fts(rowid, <A>, <B>) VALUES (new.id, new.<A>, new.<B>); END",
    "INSERT INTO network_knowledge_fts(network_knowledge_fts) VALUES ('rebuild')",
]


def _sqlite_table(columns: tuple[str, str], tokenize: str) -> list[str]:
    """The FTS5 table over two columns of the article, kept in step by triggers (fixed names only)."""
    a, b = columns
    return [
        statement.replace("<A>", a).replace("<B>", b).replace("<TOKENIZER>", tokenize)
        for statement in _SQLITE_TABLE
    ]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Article = apps.get_model("network", "KnowledgeArticle")
    for article in Article.objects.only("title", "body").iterator():
        Article.objects.filter(pk=article.pk).update(
            search_title=index_text(article.title), search_body=index_text(article.body)
        )
    vendor = schema_editor.connection.vendor
    statements = (
        PG_FORWARDS
        if vendor == "postgresql"
        else [*_SQLITE_DROP, *_sqlite_table(("search_title", "search_body"), "unicode61")]
        if vendor == "sqlite"
        else []
    )
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = (
        PG_BACKWARDS
        if vendor == "postgresql"
        else [*_SQLITE_DROP, *_sqlite_table(("title", "body"), "trigram")]
        if vendor == "sqlite"
        else []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0015_open_requests_answer_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="knowledgearticle",
            name="search_body",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="knowledgearticle",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("expressions", models.JSONField(default=list, verbose_name="Begriffe")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "Synonym der Suche",
                "verbose_name_plural": "Synonyme der Suche",
                "ordering": ["id"],
            },
        ),
    ]
