"""The migration that moves each document's free-text meeting items to links, run for real:
the database is migrated back to before it, given a document, and migrated forward again.

Not marked ``django_db``: the test asks for ``transactional_db`` after the fixture that puts
back the migrations' own rows, so that their restoring comes after the closing flush."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from healthgap.knowledge.models import Document
from healthgap.knowledge.search import search_documents

BEFORE_MOVE = [("knowledge", "0009_document_agenda_items")]


@pytest.fixture
def rows_the_migrations_made(django_db_blocker):
    """Puts back, after the flush that ends a transactional test, the rows the migrations
    made (role groups, default frameworks): the tests that run later expect them."""
    with django_db_blocker.unblock():
        rows = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        # Empty again without post_migrate's content types, which the rows carry themselves.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(rows)


@pytest.fixture
def before_the_move(rows_the_migrations_made, transactional_db):
    """The database as it was before the move; migrated forward again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_MOVE)
    yield executor.loader.project_state(BEFORE_MOVE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_moves_text_to_links_and_keeps_what_names_no_item(before_the_move):
    apps = before_the_move
    committee = apps.get_model("board", "Committee").objects.create(name="Board", kind="board")
    Meeting, AgendaItem = apps.get_model("board", "Meeting"), apps.get_model("board", "AgendaItem")
    march = Meeting.private_objects.create(
        committee=committee, starts_at=datetime.datetime(2026, 3, 12, 14, tzinfo=datetime.UTC)
    )
    housing = AgendaItem.objects.create(
        meeting=march,
        number=1,
        title="Housing and health",
        theme="prevention",
        item_type="decision",
    )
    document = apps.get_model("knowledge", "Document").private_objects.create(
        title="Damp homes",
        summary="Findings.",
        document_type="engagement",
        external_url="https://example.org/damp",
        meeting_items=" housing AND health \nA talk at the library",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Document.private_objects.get(pk=document.pk)
    assert list(moved.agenda_items.values_list("pk", flat=True)) == [housing.pk]
    assert moved.summary == "Findings.\n\nMeeting items:\nA talk at the library"
    # The words kept in the summary are found by search, on SQLite too (0012).
    found = search_documents(Document.private_objects.all(), "library talk")
    assert [result.document.pk for result in found.results] == [document.pk]
