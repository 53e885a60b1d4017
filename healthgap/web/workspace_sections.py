"""Each app's share of the workspace: its "my work" section and its navigation entry.

The domain apps cannot import ``web`` (it sits above them), so their parts are registered here,
when the web app is ready.
"""

from datetime import date

from django.urls import reverse

from healthgap.board.workspace import my_board_actions
from healthgap.constants import Role
from healthgap.delivery.workspace import milestones_i_own, programmes_i_lead
from healthgap.improvement.workspace import my_challenges, my_open_actions
from healthgap.knowledge.workspace import documents_i_own
from healthgap.places.workspace import places_i_defined
from healthgap.web.workspace import (
    INTERNAL_ROLES,
    NAVIGATION,
    NavEntry,
    WorkItem,
    WorkSection,
    register_section,
)


def programmes_section(user) -> WorkSection | None:
    """The programmes the user leads; analysts and leads are told how to start one."""
    led = programmes_i_lead(user)
    if not led and not user.groups.filter(name__in=[Role.PROGRAMME_LEAD, Role.ANALYST]).exists():
        return None
    return WorkSection(
        title="Programmes",
        owned=[WorkItem(p["name"], p["url"], status=p["status"]) for p in led],
        first_step="You lead no programme yet: add one, or ask an analyst to name you as its lead.",
        first_step_url=reverse("delivery:programme_new"),
    )


def milestones_section(user) -> WorkSection | None:
    """Milestones the user owns that are not done; overdue ones first."""
    owned = milestones_i_own(user)
    if not owned:
        return None
    items = [WorkItem(m["name"], m["url"], status=m["status"]) for m in owned]
    return WorkSection(
        title="Milestones",
        overdue=[item for item in items if item.status == "Overdue"],
        owned=[item for item in items if item.status != "Overdue"],
    )


BOARD_ROLES = (Role.ADMINISTRATOR, Role.ANALYST, Role.BOARD_MEMBER, Role.BOARD_OFFICER)


def board_actions_section(user) -> WorkSection | None:
    """Board actions the user owns, the overdue ones first."""
    overdue, owned = my_board_actions(user)
    if not (overdue or owned):
        return None
    return WorkSection(
        title="Board actions",
        overdue=[WorkItem(a["title"], a["url"], due=a["due"]) for a in overdue],
        owned=[WorkItem(a["title"], a["url"], due=a["due"]) for a in owned],
    )


def improvement_section(user) -> WorkSection | None:
    """The peer challenges the user is on or manages, and the improvement actions they own."""
    challenges, actions = my_challenges(user), my_open_actions(user)
    if not challenges and not actions:
        return None
    owned = [WorkItem(c["name"], c["url"], status=c["status"]) for c in challenges]
    overdue = []
    for action in actions:
        item = WorkItem(action["name"], action["url"], due=action["due"], status=action["status"])
        (overdue if action["due"] < date.today() else owned).append(item)
    return WorkSection(title="Peer challenge and improvement", owned=owned, overdue=overdue)


def knowledge_section(user) -> WorkSection | None:
    """The documents the user owns; those past their review date are flagged as overdue."""
    mine = documents_i_own(user)
    if not mine["owned"] and not user.groups.filter(name=Role.ANALYST).exists():
        return None
    return WorkSection(
        title="Knowledge hub",
        owned=[WorkItem(d["title"], d["url"], status=d["status"]) for d in mine["owned"]],
        overdue=[WorkItem(d["title"], d["url"], due=d["due"]) for d in mine["overdue"]],
        first_step="You own no document yet: add a JSNA chapter, evaluation or research paper.",
        first_step_url=reverse("knowledge:document_new"),
    )


def places_section(user) -> WorkSection | None:
    """The places and routes the user defined; analysts are told how to start one."""
    defined = places_i_defined(user)
    if not defined and not user.groups.filter(name=Role.ANALYST).exists():
        return None
    return WorkSection(
        title="Places and routes",
        owned=[WorkItem(p["name"], p["url"], status=p["status"]) for p in defined],
        first_step="Define a neighbourhood, locality or route from wards, LSOAs or postcodes.",
        first_step_url=reverse("places:place_new"),
    )


def register() -> None:
    # After "Workspace" and "Outcomes", before "Administration", in the order of the work:
    # the plan, its programmes, the board that oversees them, then peer challenge (every role,
    # peer reviewers too: they see only their own challenge).
    NAVIGATION[2:2] = [
        NavEntry("Delivery plan", "plan:strategies", roles=INTERNAL_ROLES),
        NavEntry("Programmes", "delivery:programmes", roles=INTERNAL_ROLES),
        NavEntry("Places and routes", "places:places", roles=INTERNAL_ROLES),
        NavEntry("Board", "board:committees", roles=BOARD_ROLES),
        NavEntry("Peer challenge", "improvement:challenges"),
        NavEntry("Knowledge hub", "knowledge:documents", roles=INTERNAL_ROLES),
    ]
    register_section(programmes_section)
    register_section(milestones_section)
    register_section(board_actions_section)
    register_section(improvement_section)
    register_section(knowledge_section)
    register_section(places_section)
