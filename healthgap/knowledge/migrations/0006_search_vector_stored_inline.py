"""PostgreSQL keeps each document's search vector inside its table row (storage MAIN) instead of
in the TOAST table: a vector of a few kilobytes was moved out of line, so matching or ranking a
common word fetched every match's vector through the TOAST index, and a plan scanning the table
fetched all of them (a count of the documents matching "smoking" among 10,000 took 75 ms of the
server's CPU, 8 ms with the vectors in the rows). The rows are rewritten once so that the vectors
already stored move too (a stored generated column is recomputed on every update). Nothing
changes on SQLite."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE knowledge_document ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE knowledge_document SET title = title",
]
BACKWARD = ["ALTER TABLE knowledge_document ALTER COLUMN search_vector SET STORAGE EXTENDED"]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_stored_search_vector")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
