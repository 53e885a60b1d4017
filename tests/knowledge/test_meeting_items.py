"""Documents linked to board agenda items: chosen on the form (labelled with the meeting, newest
first), saved by the services, listed on the document and meeting pages (the public sees only
published meetings' items and published documents), and the old free text moved to links (the
migration's functions by hand; the migration itself in test_meeting_items_migration.py)."""

import importlib

import pytest
from django.urls import reverse

from healthgap.board import services as board_services
from healthgap.board.models import AgendaItem, ItemType, Theme
from healthgap.knowledge import services
from healthgap.knowledge.forms import DocumentForm
from healthgap.knowledge.models import Document
from healthgap.publishing.services import publish
from tests.board.people import board, meeting, officer

pytestmark = pytest.mark.django_db

move = importlib.import_module("healthgap.knowledge.migrations.0010_meeting_items_to_links")


def _item(user, held, number, title) -> AgendaItem:
    item = AgendaItem(
        meeting=held,
        number=number,
        title=title,
        theme=Theme.WIDER_DETERMINANTS,
        item_type=ItemType.DISCUSSION,
    )
    return board_services.add_agenda_item(item, user)


@pytest.fixture
def olu():
    return officer()


@pytest.fixture
def items(olu):
    """'Housing and health' at a published March meeting; 'Air quality' at a draft May one."""
    committee = board(olu)
    march = meeting(olu, committee, 2026, 3, 12)
    may = meeting(olu, committee, 2026, 5, 14)
    housing = _item(olu, march, 1, "Housing and health")
    air = _item(olu, may, 2, "Air quality")
    publish(march, olu)
    return {"housing": housing, "air": air}


def test_a_saved_link_is_kept_and_the_save_is_in_the_history(add_document, analyst, items):
    document = add_document("Damp homes")
    services.save_document(document, analyst, 1, relations={"agenda_items": [items["housing"]]})
    assert list(Document.private_objects.get(pk=document.pk).agenda_items.all()) == [
        items["housing"]
    ]
    newest = document.history.first()
    assert (newest.version, newest.history_user) == (2, analyst)
    assert list(items["housing"].documents.all()) == [document]


def test_the_form_names_each_item_with_its_meeting_newest_first(items):
    labels = [label for _, label in DocumentForm().fields["agenda_items"].choices]
    assert labels == [
        "14 May 2026 Coventry Health and Wellbeing Board formal meeting: Air quality",
        "12 March 2026 Coventry Health and Wellbeing Board formal meeting: Housing and health",
    ]


def test_a_link_chosen_on_the_form_is_saved_and_shown_on_both_pages(client, analyst, items):
    client.force_login(analyst)
    response = client.post(
        reverse("knowledge:document_new"),
        {
            "version": 1,
            "title": "Damp homes",
            "document_type": "engagement",
            "external_url": "https://example.org/damp",
            "agenda_items": [items["housing"].pk, items["air"].pk],
        },
    )
    document = Document.private_objects.get(title="Damp homes")
    assert response.url == document.get_absolute_url()
    assert set(document.agenda_items.all()) == {items["housing"], items["air"]}
    workspace = client.get(document.get_absolute_url()).content.decode()
    assert reverse("board:meeting", args=[items["air"].meeting_id]) in workspace
    assert ": Air quality</li>" in workspace and ": Housing and health</li>" in workspace


def test_the_public_document_page_names_only_published_meetings_items(
    client, analyst, add_document, items
):
    document = add_document("Damp homes", relations={"agenda_items": list(items.values())})
    publish(document, analyst)
    page = client.get(reverse("knowledge_public:document", args=[document.pk])).content.decode()
    assert ": Housing and health</li>" in page
    assert reverse("public_meeting", args=[items["housing"].meeting_id]) in page
    assert "Air quality" not in page


def test_a_document_without_meeting_items_says_so(client, analyst, add_document):
    document = add_document("Air quality chapter")
    client.force_login(analyst)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Not linked to any board meeting item." in page
    publish(document, analyst)
    client.logout()
    public = client.get(reverse("knowledge_public:document", args=[document.pk])).content.decode()
    assert "Not linked to any published board meeting item." in public


def test_the_public_meeting_page_lists_published_documents_only(
    client, olu, analyst, add_document, items
):
    linked = {"agenda_items": [items["housing"]]}
    published = add_document("Damp homes findings", relations=linked)
    add_document("Draft damp survey", relations=linked)
    march = items["housing"].meeting
    public_url = reverse("public_meeting", args=[march.pk])
    assert "Documents: none published" in client.get(public_url).content.decode()

    publish(published, analyst)
    page = client.get(public_url).content.decode()
    assert reverse("knowledge_public:document", args=[published.pk]) in page
    assert "Damp homes findings" in page and "Draft damp survey" not in page

    client.force_login(olu)
    workspace = client.get(reverse("board:meeting", args=[march.pk])).content.decode()
    assert "Damp homes findings" in workspace and "Draft damp survey" in workspace


# The migration's move, by hand: agenda items of two meetings, one title used at both.
class _Item:
    def __init__(self, title):
        self.title = title


def test_each_line_naming_one_item_becomes_a_link_ignoring_case_and_spaces():
    housing, winter_a, winter_b = (
        _Item("Housing and health"),
        _Item("Winter plan"),
        _Item("Winter plan"),
    )
    by_title = move.items_by_title([housing, winter_a, winter_b])
    text = "  HOUSING and Health \n\nWinter plan\nA talk at the library\n"
    matched, unmatched = move.match_lines(text, by_title)
    assert matched == [housing]
    # A title at two meetings names neither for sure: kept as text, as is an unknown line.
    assert unmatched == ["Winter plan", "A talk at the library"]


def test_unmatched_lines_are_kept_in_the_summary_under_a_heading():
    assert move.summary_keeping("Findings.", ["Winter plan"]) == (
        "Findings.\n\nMeeting items:\nWinter plan"
    )
    assert move.summary_keeping("", ["Winter plan", "Budget"]) == (
        "Meeting items:\nWinter plan\nBudget"
    )
    assert move.summary_keeping("Findings.", []) == "Findings."
