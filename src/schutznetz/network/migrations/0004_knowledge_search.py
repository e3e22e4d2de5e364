from __future__ import annotations

from django.db import migrations

# PostgreSQL: a GIN index over the German text search vector of title and body.
PG_CREATE = """
CREATE INDEX knowledge_article_fts ON network_knowledgearticle USING GIN (
    (setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
     || setweight(to_tsvector('german'::regconfig, coalesce(body, '')), 'B'))
);
"""
PG_DROP = "DROP INDEX IF EXISTS knowledge_article_fts;"

# SQLite: an external-content FTS5 table kept in step by triggers. The trigram tokenizer finds word
# parts, so "Misshandlung" also finds "Misshandlungen" without a German stemmer.
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE network_knowledge_fts USING fts5(title, body, content='network_knowledgearticle', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON network_knowledgearticle BEGIN "
    "INSERT INTO network_knowledge_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON network_knowledgearticle BEGIN "
    "INSERT INTO network_knowledge_fts(network_knowledge_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON network_knowledgearticle BEGIN "
    "INSERT INTO network_knowledge_fts(network_knowledge_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO network_knowledge_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_fts_insert",
    "DROP TABLE IF EXISTS network_knowledge_fts",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_knowledge")]
    operations = [migrations.RunPython(forwards, backwards)]
