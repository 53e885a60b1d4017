"""The people and objects the role matrix's rows name, made through the apps' services on first
use in each case (so a row pays only for the objects in its own path and data).

``{programme}``, ``{milestone}``, ``{update}``, ``{document}`` and ``{evaluation}`` are the
matrix's programme lead's own (drafts); the ``other_`` ones another lead's. ``{challenge}`` names
the matrix's peer reviewer on its team (its challenge manager is another reviewer);
``{other_challenge}`` does not. ``{meeting}`` and ``{paper}`` are a draft meeting and its paper,
``{published_meeting}`` and ``{published_paper}`` published ones. Strategies, measures and
trajectories come from the demo (a plan takes the demo's indicators to build), which leaves them
drafts; ``{published_strategy}`` is the first of them published.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from healthgap.accounts.models import Organisation, Sector
from healthgap.areas.models import Area, AreaType
from healthgap.board import services as board
from healthgap.board.models import Action as BoardAction
from healthgap.board.models import AgendaItem, Committee, CommitteeKind, ItemType, Meeting, Member
from healthgap.board.models import Theme as BoardTheme
from healthgap.constants import Role
from healthgap.delivery import services as delivery
from healthgap.delivery.models import (
    BoardReport,
    Milestone,
    OutcomeMeasure,
    Programme,
    Strategy,
    TrajectoryPoint,
)
from healthgap.improvement import services as improvement
from healthgap.improvement.models import (
    Challenge,
    FindingKind,
    MetGroup,
    PeerRole,
    TeamMember,
    VisitSession,
)
from healthgap.indicators.models import Indicator
from healthgap.knowledge import services as knowledge
from healthgap.knowledge.models import (
    Document,
    DocumentType,
    Evaluation,
    EvaluationMethod,
    Tag,
    TagKind,
)
from healthgap.places import services as places
from healthgap.places.models import Place
from healthgap.places.services import PlaceDefinition
from healthgap.publishing import services as publishing
from tests.accounts.factories import UserFactory

SAMPLE_AREA = "E08000026"  # Coventry, in the demo
DUE = datetime.date(2030, 3, 31)
A_PDF = b"%PDF-1.4\n%matrix\n"
AN_HTML_PAGE = b"<!doctype html><html><body><p>Matrix chapter.</p></body></html>"

# The people the objects name, by the role they hold; the requester for a role column is the
# person of that column's name (so the matrix's programme lead leads ``{programme}``).
PEOPLE = {
    "anonymous": None,
    "peer_reviewer": Role.PEER_REVIEWER,
    "programme_lead": Role.PROGRAMME_LEAD,
    "board_officer": Role.BOARD_OFFICER,
    "board_member": Role.BOARD_MEMBER,
    "analyst": Role.ANALYST,
    "administrator": Role.ADMINISTRATOR,
    "another_lead": Role.PROGRAMME_LEAD,
    "challenge_manager": Role.PEER_REVIEWER,
    "another_reviewer": Role.PEER_REVIEWER,
}


class Cast:
    """The people and objects of one case; ``path.format_map(cast)`` makes what a path names."""

    def __init__(self):
        self.users: dict[str, object] = {}
        self.made: dict[str, object] = {}

    def user(self, name: str):
        if name not in self.users:
            self.users[name] = UserFactory(roles=[PEOPLE[name]])
        return self.users[name]

    def get(self, name: str):
        if name not in self.made:
            self.made[name] = MAKERS[name](self)
        return self.made[name]

    def __getitem__(self, name: str) -> str:
        made = self.get(name)
        return str(getattr(made, "pk", made))


# Delivery ---------------------------------------------------------------------------------------
def _programme(cast: Cast, name: str, lead: str) -> Programme:
    item = Programme(name=name, summary="Matrix.", lead=cast.user(lead))
    return publishing.create(item, cast.user("analyst"))


def _milestone(cast: Cast, programme: str, lead: str) -> Milestone:
    milestone = Milestone(title="Matrix milestone", owner=cast.user(lead), due_date=DUE)
    return delivery.add_milestone(cast.get(programme), milestone, cast.user(lead))


def _report(cast: Cast) -> BoardReport:
    report = BoardReport(
        strategy=cast.get("strategy"),
        generated_at=timezone.now(),
        generated_by=cast.user("analyst"),
        html="<p>Matrix report.</p>",
        pdf=A_PDF,
    )
    return publishing.create(report, cast.user("analyst"))


DELIVERY = {
    "programme": lambda cast: _programme(cast, "Own", "programme_lead"),
    "other_programme": lambda cast: _programme(cast, "Another lead's", "another_lead"),
    "published_programme": lambda cast: publishing.publish(
        _programme(cast, "Published", "programme_lead"), cast.user("analyst")
    ),
    "milestone": lambda cast: _milestone(cast, "programme", "programme_lead"),
    "other_milestone": lambda cast: _milestone(cast, "other_programme", "another_lead"),
    "update": lambda cast: delivery.record_update(
        cast.get("programme"), cast.user("programme_lead"), "Matrix update."
    ),
    "strategy": lambda cast: Strategy.private_objects.order_by("pk").first(),
    # The demo's plans are drafts: the API rows publish the first (undone with the case).
    "published_strategy": lambda cast: publishing.publish(
        Strategy.private_objects.order_by("pk").first(), cast.user("analyst")
    ),
    "measure": lambda cast: OutcomeMeasure.objects.order_by("pk").first(),
    "trajectory_point": lambda cast: TrajectoryPoint.objects.order_by("pk").first(),
    "report": _report,
    "published_report": lambda cast: publishing.publish(_report(cast), cast.user("analyst")),
    "withdrawn_report": lambda cast: publishing.withdraw(
        cast.get("published_report"), cast.user("analyst"), "Superseded."
    ),
}


# Board ------------------------------------------------------------------------------------------
def _meeting(cast: Cast) -> Meeting:
    meeting = Meeting(committee=cast.get("committee"), starts_at=timezone.now())
    return board.record_meeting(meeting, cast.user("board_officer"))


def _published_meeting(cast: Cast) -> Meeting:
    return publishing.publish(_meeting(cast), cast.user("analyst"))


def _agenda_item(cast: Cast, meeting: str) -> AgendaItem:
    item = AgendaItem(
        meeting=cast.get(meeting),
        number=1,
        title="Matrix item",
        theme=BoardTheme.CHILDREN,
        item_type=ItemType.DISCUSSION,
    )
    return board.add_agenda_item(item, cast.user("board_officer"))


def _paper(cast: Cast, item: str):
    upload = SimpleUploadedFile("paper.pdf", A_PDF, content_type="application/pdf")
    return board.upload_paper(cast.get(item), "Matrix paper", upload, cast.user("board_officer"))


def _member(cast: Cast) -> Member:
    organisation, _ = Organisation.objects.get_or_create(
        name="Matrix council", defaults={"sector": Sector.COUNCIL}
    )
    member = Member(
        committee=cast.get("committee"),
        name="Matrix member",
        role="Cabinet member",
        organisation=organisation,
        start_date=datetime.date(2025, 4, 1),
    )
    return publishing.create(member, cast.user("board_officer"))


def _board_action(cast: Cast) -> BoardAction:
    action = BoardAction(meeting=cast.get("meeting"), description="Matrix action", due_date=DUE)
    return board.add_action(action, cast.user("board_officer"))


BOARD = {
    "committee": lambda cast: publishing.create(
        Committee(name="Matrix board", kind=CommitteeKind.BOARD), cast.user("board_officer")
    ),
    "meeting": _meeting,
    "published_meeting": _published_meeting,
    "agenda_item": lambda cast: _agenda_item(cast, "meeting"),
    "published_item": lambda cast: _agenda_item(cast, "published_meeting"),
    "paper": lambda cast: _paper(cast, "agenda_item"),
    "published_paper": lambda cast: _paper(cast, "published_item"),
    "member": _member,
    "board_action": _board_action,
}


# Improvement ------------------------------------------------------------------------------------
def _challenge(cast: Cast, title: str, reviewer: str) -> Challenge:
    headline, maturity = improvement.default_frameworks()
    challenge = Challenge(
        area=Area.objects.get(code=SAMPLE_AREA),
        title=title,
        framework=headline,
        maturity_framework=maturity,
        lead=cast.user("challenge_manager"),
        visit_start=datetime.date(2026, 3, 10),
        visit_end=datetime.date(2026, 3, 12),
    )
    challenge = publishing.create(challenge, cast.user("analyst"))
    peer = TeamMember(
        challenge=challenge, name="Matrix peer", role=PeerRole.MEMBER_PEER, user=cast.user(reviewer)
    )
    improvement.add_part(peer, cast.user("challenge_manager"))
    return challenge


def _assessment(cast: Cast):
    challenge = cast.get("challenge")
    question = cast.get("question")
    return improvement.assess(challenge, question, 3, "Matrix.", cast.user("board_officer"))


def _recommendation_action(cast: Cast):
    return improvement.add_action(
        cast.get("recommendation"),
        cast.user("board_officer"),
        title="Matrix action",
        owner=cast.user("programme_lead"),
        due_date=DUE,
    )


def _finding(cast: Cast, challenge: str = "challenge"):
    return improvement.add_finding(
        cast.get(challenge),
        cast.user("challenge_manager"),
        FindingKind.STRENGTH,
        "Matrix finding.",
        cast.get("question"),
    )


def _visit_session(cast: Cast):
    session = VisitSession(
        challenge=cast.get("challenge"),
        day=datetime.date(2026, 3, 10),
        starts_at=datetime.time(9),
        title="Matrix session",
        group=MetGroup.STAFF,
    )
    return improvement.add_part(session, cast.user("challenge_manager"))


IMPROVEMENT = {
    "finding": _finding,
    "other_finding": lambda cast: _finding(cast, "other_challenge"),
    "visit_session": _visit_session,
    "challenge": lambda cast: _challenge(cast, "Matrix challenge", "peer_reviewer"),
    "other_challenge": lambda cast: _challenge(cast, "Another challenge", "another_reviewer"),
    "published_challenge": lambda cast: publishing.publish(
        _challenge(cast, "Published challenge", "peer_reviewer"), cast.user("analyst")
    ),
    "framework": lambda cast: cast.get("challenge").framework,
    "question": lambda cast: cast.get("framework").questions.order_by("number").first(),
    "assessment": _assessment,
    "recommendation": lambda cast: improvement.add_recommendation(
        cast.get("challenge"), "Matrix recommendation.", True, cast.user("challenge_manager")
    ),
    "improvement_action": _recommendation_action,
}


# Knowledge --------------------------------------------------------------------------------------
def _document(cast: Cast, owner: str) -> Document:
    document = Document(
        title="Matrix chapter", document_type=DocumentType.JSNA_CHAPTER, owner=cast.user(owner)
    )
    upload = knowledge.Upload("chapter.html", AN_HTML_PAGE)
    return knowledge.create_document(document, cast.user(owner), upload)


def _evaluation(cast: Cast, programme: str) -> Evaluation:
    evaluation = Evaluation(
        programme=cast.get(programme),
        question="Did it work?",
        method=EvaluationMethod.BEFORE_AFTER,
    )
    return knowledge.create_evaluation(evaluation, cast.user("analyst"))


KNOWLEDGE = {
    "document": lambda cast: _document(cast, "programme_lead"),
    "other_document": lambda cast: _document(cast, "another_lead"),
    "published_document": lambda cast: publishing.publish(
        _document(cast, "programme_lead"), cast.user("analyst")
    ),
    "priority": lambda cast: Tag.objects.create(kind=TagKind.PRIORITY, name="Matrix priority"),
    "evaluation": lambda cast: _evaluation(cast, "programme"),
    "other_evaluation": lambda cast: _evaluation(cast, "other_programme"),
}


def _draft_place(cast: Cast) -> Place:
    """A draft copy of the demo's first example place."""
    example = Place.public_objects.order_by("pk").first()
    definition = PlaceDefinition(
        "Matrix place", example.kind, example.city, example.member_type, example.members
    )
    return places.define_place(definition, cast.user("analyst"))


PLACES = {
    "place": _draft_place,
    "published_place": lambda cast: Place.public_objects.order_by("pk").first(),
    "practice": lambda cast: (
        Area.objects.filter(area_type=AreaType.GP_PRACTICE)
        .order_by("code")
        .values_list("code", flat=True)[0]
    ),
}

MAKERS = {
    "area": lambda cast: SAMPLE_AREA,
    "indicator": lambda cast: Indicator.objects.order_by("code").values_list("code")[0][0],
    **DELIVERY,
    **BOARD,
    **IMPROVEMENT,
    **KNOWLEDGE,
    **PLACES,
}
