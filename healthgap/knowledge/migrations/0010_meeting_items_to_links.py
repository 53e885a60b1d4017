"""Moves each document's free-text meeting items (one a line) to links to board agenda items.

A line names an item when it equals one item's title, ignoring case and surrounding spaces. A
line that names no item, or several (a title used at more than one meeting), is kept: it is
appended to the summary under "Meeting items:", so nothing written is lost. Its own migration
(a separate transaction from the column's removal, which PostgreSQL needs after these writes)."""

from collections import defaultdict

from django.db import migrations

UNMATCHED_HEADING = "Meeting items:"


def _key(title: str) -> str:
    return title.strip().casefold()


def items_by_title(items) -> dict[str, list]:
    """Agenda items under their title's key; a key with several items is ambiguous."""
    found = defaultdict(list)
    for item in items:
        found[_key(item.title)].append(item)
    return found


def match_lines(text: str, by_title: dict[str, list]) -> tuple[list, list[str]]:
    """The items the text's lines name, and the lines (trimmed) that name no single item."""
    matched, unmatched = [], []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        candidates = by_title.get(_key(line), [])
        if len(candidates) == 1:
            matched.append(candidates[0])
        else:
            unmatched.append(line)
    return matched, unmatched


def summary_keeping(summary: str, unmatched: list[str]) -> str:
    """The summary with the unmatched lines appended under their heading."""
    if not unmatched:
        return summary
    kept = "\n".join([UNMATCHED_HEADING, *unmatched])
    return f"{summary.rstrip()}\n\n{kept}" if summary.strip() else kept


def move_text_to_links(apps, schema_editor):
    Document = apps.get_model("knowledge", "Document")
    AgendaItem = apps.get_model("board", "AgendaItem")
    by_title = items_by_title(AgendaItem.objects.all())
    for document in Document._base_manager.exclude(meeting_items=""):
        matched, unmatched = match_lines(document.meeting_items, by_title)
        document.agenda_items.add(*matched)
        document.summary = summary_keeping(document.summary, unmatched)
        document.meeting_items = ""
        document.save(update_fields=["summary", "meeting_items"])


def move_links_to_text(apps, schema_editor):
    """Back: each linked item's title, one a line (the summary keeps what it was given)."""
    Document = apps.get_model("knowledge", "Document")
    for document in Document._base_manager.filter(agenda_items__isnull=False).distinct():
        titles = document.agenda_items.order_by("pk").values_list("title", flat=True)
        document.meeting_items = "\n".join(titles)
        document.save(update_fields=["meeting_items"])
        document.agenda_items.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0001_initial"),
        ("knowledge", "0009_document_agenda_items"),
    ]

    operations = [migrations.RunPython(move_text_to_links, move_links_to_text)]
