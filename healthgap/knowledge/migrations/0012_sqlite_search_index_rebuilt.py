"""SQLite's full-text table is a copy of the searched columns that the document services keep;
0010 extended some summaries (meeting items that name no agenda item) without it, so those
words could not be found. The copy is made again from every document. Nothing to do on
PostgreSQL, whose search vector is a generated column. The table and its columns are written out
here rather than imported, so that this migration stays as it was when the code moves on."""

from django.db import migrations

SQLITE_REFILL = [
    "DELETE FROM knowledge_document_fts",
    "INSERT INTO knowledge_document_fts (rowid, title, summary, authors, text) "
    "SELECT id, title, summary, authors, text FROM knowledge_document",
]


def refill(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in SQLITE_REFILL:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0011_remove_meeting_items_text")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
