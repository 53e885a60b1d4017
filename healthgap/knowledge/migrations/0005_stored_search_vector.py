"""PostgreSQL keeps the weighted text vector in a stored generated column with the GIN index on
it: ranking then reads each match's vector instead of building it again from the text (which
took seconds for a common word among 10,000 documents). Nothing changes on SQLite. The
expressions are written out here, as in 0002, so that this migration stays as it was."""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(authors, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(\"text\", '')), 'D')"
)
FORWARD = [
    "DROP INDEX IF EXISTS knowledge_document_search",
    f"ALTER TABLE knowledge_document ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX knowledge_document_search_vector ON knowledge_document USING GIN (search_vector)",
]
BACKWARD = [
    "ALTER TABLE knowledge_document DROP COLUMN IF EXISTS search_vector",
    f"CREATE INDEX knowledge_document_search ON knowledge_document USING GIN (({VECTOR}))",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_history_without_links")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
