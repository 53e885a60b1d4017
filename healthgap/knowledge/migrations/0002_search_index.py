"""The full-text index: an FTS5 table on SQLite (filled by the document services), a GIN index
on the weighted text vector on PostgreSQL (kept by the database). The expressions are written
out here rather than imported, so that this migration stays as it was when the code moves on."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE knowledge_document_fts USING fts5("
    "title, summary, authors, text, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_document_fts"
POSTGRES_CREATE = (
    "CREATE INDEX knowledge_document_search ON knowledge_document USING GIN (("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(authors, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(\"text\", '')), 'D')))"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS knowledge_document_search"


def _run(statements: dict[str, str]):
    def run(apps, schema_editor):
        statement = statements.get(schema_editor.connection.vendor)
        if statement:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
