"""The demo's example documents: linked to priorities and wards, labelled example, some
published, one past its review date; loading them again changes nothing."""

import pytest
from django.urls import reverse

from healthgap.demo.knowledge import load_example_documents
from healthgap.knowledge.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]


def test_example_documents_per_city_linked_to_priorities_and_wards():
    coventry = Document.private_objects.filter(organisation__area_id="E08000026")
    assert coventry.count() == 4
    assert all(d.tags.filter(kind="priority").exists() for d in coventry)
    assert coventry.filter(wards__name="Foleshill").exists()
    assert all("(example)" in d.title for d in Document.private_objects.all())


def test_example_documents_link_the_demo_boards_agenda_items():
    """The housing findings go with the board's housing item; every link is on the city's own
    board, at a published meeting (the demo agendas are drawn at random, so some may be none)."""
    linked = Document.private_objects.filter(agenda_items__isnull=False).distinct()
    assert linked.exists()
    for document in linked:
        for item in document.agenda_items.select_related("meeting__committee"):
            assert item.meeting.committee.area_id == document.organisation.area_id
            assert item.meeting.is_published
    housing = linked.filter(title__contains="damp and cold homes")
    for document in housing:
        assert {item.title for item in document.agenda_items.all()} == {"Housing and health"}


def test_loading_again_changes_nothing():
    def state():
        rows = Document.private_objects.values_list("pk", "version", "agenda_items")
        return list(rows.order_by("pk", "agenda_items"))

    before = state()
    load_example_documents()
    assert state() == before


def test_public_hub_finds_a_published_example_by_a_word_from_its_file(client):
    page = client.get(reverse("knowledge_public:hub"), {"q": "takeaways"}).content.decode()
    assert "healthy weight needs assessment (example)" in page
    assert 'data-testid="example-notice"' in page
