"""Example documents for the knowledge hub: a few per demo city, written for the demo and
labelled "example" on every page that shows them, tagged with the demo's priorities and wards,
linked to any demo programme whose name carries their keyword and to the demo board's agenda
items on their subject (at its latest published meeting that had one). Safe to run twice: a
document whose title exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User

from healthgap.accounts.models import Sector
from healthgap.accounts.services import get_or_create_organisation
from healthgap.areas.models import Area, AreaType
from healthgap.board.models import AgendaItem, CommitteeKind, Meeting
from healthgap.delivery.models import Programme
from healthgap.knowledge import services
from healthgap.knowledge.models import Document, DocumentType, Tag, TagKind
from healthgap.knowledge.services import Upload
from healthgap.publishing.services import publish

EXAMPLE_NOTE = "Example document written for the healthgap demo; not a real report."
CITIES = {"coventry": "E08000026", "leicester": "E06000016"}


@dataclass(frozen=True)
class ExampleDocument:
    title: str
    document_type: str
    summary: str
    paragraphs: tuple[str, ...]
    wards: tuple[str, ...]
    priorities: tuple[str, ...]
    themes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    issued_on: date = date(2024, 4, 1)
    review_on: date = date(2027, 4, 1)
    programme_keyword: str = ""
    published: bool = True
    # Titles of the demo board's agenda items it informed (see healthgap/demo/board.py).
    meeting_item_titles: tuple[str, ...] = ()


def _examples(place: str, wards: tuple[str, str]) -> list[ExampleDocument]:
    first, second = wards
    return [
        ExampleDocument(
            f"{place} JSNA chapter: smoking and tobacco (example)",
            DocumentType.JSNA_CHAPTER,
            f"Who smokes in {place}, where, and what helps people stop.",
            (
                f"Smoking remains the largest single cause of the gap in life expectancy in "
                f"{place}. Prevalence is highest in routine and manual occupations and in "
                f"{first} and {second}.",
                "Smoking in pregnancy is falling but stays above the England average. "
                "Stop smoking services reach fewer than one in twenty smokers a year.",
            ),
            (first, second),
            ("Smoking",),
            ("Tobacco",),
            ("Routine and manual workers",),
            date(2023, 9, 1),
            date(2025, 9, 1),  # past its review date: flagged to its owner
            programme_keyword="smok",
        ),
        ExampleDocument(
            f"{place} healthy weight needs assessment (example)",
            DocumentType.NEEDS_ASSESSMENT,
            "Excess weight in children and adults, the food environment and physical activity.",
            (
                f"One in four reception children in {first} are overweight or obese, and "
                "the share doubles by year 6. Hot food takeaways cluster near schools.",
                "Adults in the most deprived quintile are least likely to be active for "
                "150 minutes a week.",
            ),
            (first,),
            ("Healthy weight",),
            ("Physical activity", "Food environment"),
            ("Children and young people",),
            date(2024, 2, 1),
            programme_keyword="weight",
            meeting_item_titles=("Healthy weight",),
        ),
        ExampleDocument(
            f"Evaluation of {place}'s community wellbeing hubs (example)",
            DocumentType.EVALUATION,
            "A mixed-methods evaluation of drop-in wellbeing hubs in two wards.",
            (
                "Interviews with 40 visitors found that loneliness and debt were the most "
                "common reasons to attend. Referrals to talking therapies rose after the hubs "
                "opened, but the change cannot be separated from the national trend.",
            ),
            (second,),
            ("Mental wellbeing",),
            ("Mental health",),
            ("Older people", "Carers"),
            date(2024, 11, 1),
            programme_keyword="wellbeing",
            meeting_item_titles=("Mental wellbeing", "Suicide prevention plan"),
        ),
        ExampleDocument(
            f"{place} residents' views on damp and cold homes (example)",
            DocumentType.ENGAGEMENT,
            "Findings of a listening exercise with tenants about housing and health.",
            (
                f"Tenants in {first} described mould, condensation and high heating costs, "
                "and asthma in their children. Many did not know whom to ask for help.",
            ),
            (first, second),
            ("Housing and health",),
            ("Housing",),
            ("Children and young people",),
            date(2025, 1, 1),
            published=False,
            meeting_item_titles=("Housing and health",),
        ),
    ]


WARDS = {"coventry": ("Foleshill", "St Michael's"), "leicester": ("Spinney Hills", "Abbey")}


def _tags(kind: str, names: tuple[str, ...]) -> list[Tag]:
    return [Tag.objects.get_or_create(kind=kind, name=name)[0] for name in names]


def _wards(board: Area, names: tuple[str, ...]) -> list[Area]:
    wards = Area.objects.filter(area_type=AreaType.WARD, parent=board, name__in=names)
    return list(wards)


def _create(example: ExampleDocument, board: Area, city: str, user) -> Document:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in example.paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{example.title}'
        f"</title></head><body><h1>{example.title}</h1>{body}<p>{EXAMPLE_NOTE}</p>"
    )
    organisation = get_or_create_organisation(f"{board.name} City Council", Sector.COUNCIL, board)
    document = Document(
        title=example.title,
        document_type=example.document_type,
        summary=example.summary,
        authors=f"{board.name} public health team (example)",
        organisation=organisation,
        issued_on=example.issued_on,
        review_on=example.review_on,
        owner=user,
    )
    relations = {
        "tags": [
            *_tags(TagKind.PRIORITY, example.priorities),
            *_tags(TagKind.THEME, example.themes),
            *_tags(TagKind.POPULATION_GROUP, example.groups),
        ],
        "wards": _wards(board, example.wards),
        "programmes": _programmes(example.programme_keyword),
        "agenda_items": _latest_meeting_items(board, example.meeting_item_titles),
    }
    upload = Upload(f"{city}-{example.document_type}.html", (html + "</html>").encode())
    document = services.create_document(document, user, upload, relations)
    if example.published:
        publish(document, user)
    return document


def _programmes(keyword: str) -> list[Programme]:
    if not keyword:
        return []
    return list(Programme.private_objects.filter(name__icontains=keyword))


def _latest_meeting_items(board: Area, titles: tuple[str, ...]) -> list[AgendaItem]:
    """The city board's items with these titles at its latest published meeting that has any:
    the demo meetings' agendas are drawn at random, so a title may be at no meeting."""
    items = AgendaItem.objects.filter(
        meeting__in=Meeting.public_objects.filter(committee__area=board),
        meeting__committee__kind=CommitteeKind.BOARD,
        title__in=titles,
    ).order_by("-meeting__starts_at", "number")
    latest = items.first()
    return [item for item in items if item.meeting_id == latest.meeting_id] if latest else []


def load_example_documents() -> int:
    """Creates the missing example documents; returns how many examples exist."""
    count = 0
    for city, code in CITIES.items():
        board = Area.objects.filter(code=code).first()
        if board is None:
            continue
        user = User.objects.filter(username=f"{city}.analyst").first()
        for example in _examples(board.name, WARDS[city]):
            if not Document.private_objects.filter(title=example.title).exists():
                _create(example, board, city, user)
            count += 1
    return count


def knowledge_steps():
    return [("example knowledge hub documents", load_example_documents)]
