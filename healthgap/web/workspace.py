"""The signed-in workspace: "My work" sections that apps register, and the navigation by area of
work, each entry with the roles that see it. Apps append to both when they are loaded, e.g. in
their ``AppConfig.ready``::

    from healthgap.web.workspace import NavEntry, NAVIGATION, register_section
    NAVIGATION.append(NavEntry("Delivery plan", "delivery:plan", roles=(Role.PROGRAMME_LEAD,)))
    register_section(programmes_section)     # (user) -> WorkSection
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from healthgap.constants import Role


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    due: date | None = None
    status: str = ""


@dataclass
class WorkSection:
    """One app's share of "My work"; ``first_step`` says what to do when it is empty."""

    title: str
    owned: list[WorkItem] = field(default_factory=list)
    overdue: list[WorkItem] = field(default_factory=list)
    awaiting_approval: list[WorkItem] = field(default_factory=list)
    first_step: str = ""
    first_step_url: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.owned or self.overdue or self.awaiting_approval)

    @property
    def groups(self) -> list[tuple[str, list[WorkItem]]]:
        return [
            ("Overdue", self.overdue),
            ("Waiting for your approval", self.awaiting_approval),
            ("Yours", self.owned),
        ]


SECTION_PROVIDERS: list[Callable[[object], WorkSection | None]] = []


def register_section(provider: Callable[[object], WorkSection | None]):
    """Adds a ``(user) -> WorkSection`` provider to "My work" (usable as a decorator)."""
    SECTION_PROVIDERS.append(provider)
    return provider


def sections_for(user) -> list[WorkSection]:
    return [section for provider in SECTION_PROVIDERS if (section := provider(user)) is not None]


@dataclass(frozen=True)
class NavEntry:
    """A link in the signed-in navigation; ``roles`` empty means every signed-in user."""

    label: str
    url_name: str
    roles: tuple[str, ...] = ()

    def visible_to(self, role_names: set[str]) -> bool:
        return not self.roles or bool(role_names & set(self.roles))


INTERNAL_ROLES = tuple(role for role in Role.ALL if role != Role.PEER_REVIEWER)
NAVIGATION: list[NavEntry] = [
    NavEntry("Workspace", "web:workspace"),
    NavEntry("Outcomes", "web:home"),
    NavEntry("Administration", "admin:index", roles=(Role.ADMINISTRATOR,)),
]

# What a role does first when nothing is assigned to it yet.
FIRST_STEPS = {
    Role.ADMINISTRATOR: "Set up two-step verification, then add your board's organisations and "
    "users in Administration.",
    Role.ANALYST: "Open your board's outcomes to check the latest indicator values.",
    Role.PROGRAMME_LEAD: "Ask your board officer to name you as the lead of a programme.",
    Role.BOARD_MEMBER: "Read your board's outcomes before the next meeting.",
    Role.BOARD_OFFICER: "Open your board's outcomes and plan the next meeting's papers.",
    Role.PEER_REVIEWER: "Wait for the board to add you to a peer challenge.",
}


def role_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        names.add(Role.ADMINISTRATOR)
    return names


def navigation_entries(user, current_path: str = "") -> list[dict]:
    roles = role_names(user)
    entries = []
    for entry in NAVIGATION:
        if entry.visible_to(roles):
            url = reverse(entry.url_name)
            entries.append({"label": entry.label, "url": url, "current": current_path == url})
    return entries


def navigation(request) -> dict:
    """Context processor: the signed-in navigation (empty for the public)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_nav": []}
    return {"main_nav": navigation_entries(user, request.path)}


def first_steps(user) -> list[str]:
    roles = role_names(user)
    return [step for role, step in FIRST_STEPS.items() if role in roles]
