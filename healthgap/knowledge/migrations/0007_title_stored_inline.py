"""PostgreSQL keeps each document's title inside its table row (storage MAIN). Once the search
vector was kept in the row (0006), a row passed the TOAST threshold and every other text column
longer than a TOAST pointer, titles included, was moved out of line: ordering the matches by
title then fetched both titles from the TOAST table at each comparison (sorting the 1,814
documents matching "smoking" among 10,000 read 43,000 buffers and took most of the search).
A value left unchanged keeps its TOAST pointer, so the rewrite gives each title a new value
(the same text). Nothing changes on SQLite."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE knowledge_document ALTER COLUMN title SET STORAGE MAIN",
    "UPDATE knowledge_document SET title = title || ''",
]
BACKWARD = ["ALTER TABLE knowledge_document ALTER COLUMN title SET STORAGE EXTENDED"]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0006_search_vector_stored_inline")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
