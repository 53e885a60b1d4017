"""Each app's share of the workspace: its "my work" section and its navigation entry.

The domain apps cannot import ``web`` (it sits above them), so their parts are registered here,
when the web app is ready.
"""

from datetime import date

from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.workspace import programmes_i_lead
from healthgap.improvement.workspace import my_challenges, my_open_actions
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


def register() -> None:
    # After "Workspace" and "Outcomes", before "Administration".
    NAVIGATION.insert(2, NavEntry("Delivery plan", "delivery:programmes", roles=INTERNAL_ROLES))
    register_section(programmes_section)
    # Improvement: every role, peer reviewers too (they see only their own challenge).
    NAVIGATION.insert(3, NavEntry("Peer challenge", "improvement:challenges"))
    register_section(improvement_section)
