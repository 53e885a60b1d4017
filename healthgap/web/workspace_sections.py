"""Each app's share of the workspace: its "my work" section and its navigation entry.

The domain apps cannot import ``web`` (it sits above them), so their parts are registered here,
when the web app is ready.
"""

from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.workspace import milestones_i_own, programmes_i_lead
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


def register_places() -> None:
    NAVIGATION.insert(-1, NavEntry("Places and routes", "places:places", roles=INTERNAL_ROLES))
    register_section(places_section)


def register() -> None:
    # After "Workspace" and "Outcomes", before "Administration".
    NAVIGATION.insert(2, NavEntry("Delivery plan", "plan:strategies", roles=INTERNAL_ROLES))
    NAVIGATION.insert(3, NavEntry("Programmes", "delivery:programmes", roles=INTERNAL_ROLES))
    register_section(programmes_section)
    register_section(milestones_section)
    register_places()
