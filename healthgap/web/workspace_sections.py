"""Each app's share of the workspace: its "my work" section and its navigation entry.

The domain apps cannot import ``web`` (it sits above them), so their parts are registered here,
when the web app is ready.
"""

from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.workspace import programmes_i_lead
from healthgap.knowledge.workspace import documents_i_own
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


def register() -> None:
    # After "Workspace" and "Outcomes", before "Administration".
    NAVIGATION.insert(2, NavEntry("Delivery plan", "delivery:programmes", roles=INTERNAL_ROLES))
    register_section(programmes_section)
    # Knowledge hub: after "Delivery plan".
    NAVIGATION.insert(3, NavEntry("Knowledge hub", "knowledge:documents", roles=INTERNAL_ROLES))
    register_section(knowledge_section)
