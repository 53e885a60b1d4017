"""The JSNA's coverage as grids, so gaps are visible: the strategy's priorities by type of
document, and a board's wards by priority (documents in force: not withdrawn)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from healthgap.areas.models import Area, AreaType
from healthgap.knowledge.models import Document, DocumentType, Tag, TagKind
from healthgap.publishing.models import PublicationState


@dataclass(frozen=True)
class Grid:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]  # row label, a count per column

    @property
    def gaps(self) -> int:
        return sum(count == 0 for _label, counts in self.rows for count in counts)


def _in_force():
    return Document.private_objects.exclude(publication_state=PublicationState.WITHDRAWN)


def priorities_by_type(priorities: list[Tag]) -> Grid:
    pairs = Counter(_in_force().filter(tags__in=priorities).values_list("tags", "document_type"))
    types = DocumentType.choices
    rows = [(p.name, [pairs[(p.pk, value)] for value, _ in types]) for p in priorities]
    return Grid("Documents on each priority, by type", [label for _, label in types], rows)


def wards_by_priority(board: Area, priorities: list[Tag]) -> Grid:
    wards = list(Area.objects.filter(area_type=AreaType.WARD, parent=board).order_by("name"))
    tagged = _in_force().filter(wards__in=wards, tags__in=priorities)
    pairs = Counter(tagged.values_list("wards", "tags"))
    rows = [(w.name, [pairs[(w.code, p.pk)] for p in priorities]) for w in wards]
    caption = f"Documents on each priority covering each ward of {board.name}"
    return Grid(caption, [p.name for p in priorities], rows)


def coverage_context(request) -> dict:
    boards = list(Area.objects.filter(is_hwb=True).order_by("name"))
    chosen = request.GET.get("area")
    board = next((b for b in boards if b.code == chosen), boards[0] if boards else None)
    priorities = list(Tag.objects.filter(kind=TagKind.PRIORITY).order_by("name"))
    grids = [priorities_by_type(priorities)]
    if board is not None:
        grids.append(wards_by_priority(board, priorities))
    return {"boards": boards, "board": board, "grids": grids}
