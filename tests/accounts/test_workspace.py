"""The workspace: sections and navigation entries that apps register, shown by role."""

from datetime import date

import pytest

from healthgap.constants import Role
from healthgap.web import workspace
from healthgap.web.workspace import WorkItem, WorkSection
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    """A programmes section, as a delivery app would register it (the Board nav entry is the
    board app's own)."""

    def programmes(user):
        if not user.groups.filter(name=Role.PROGRAMME_LEAD).exists():
            return None
        late = WorkItem("Smoke-free homes", "/delivery/1", due=date(2026, 3, 31), status="Red")
        return WorkSection("Programmes", owned=[late], overdue=[late])

    monkeypatch.setattr(workspace, "SECTION_PROVIDERS", [])
    monkeypatch.setattr(workspace, "NAVIGATION", list(workspace.NAVIGATION))
    workspace.register_section(programmes)


def test_a_registered_section_lists_the_users_items(client, registered):
    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEAD]))
    page = client.get("/workspace/").content.decode()
    assert '<h2 class="govuk-heading-l">Programmes</h2>' in page
    assert '<h3 class="govuk-heading-m">Overdue</h3>' in page
    assert "Smoke-free homes</a> (due 31 March 2026) – Red" in page
    assert ">Board<" not in page


def test_navigation_entries_follow_the_roles(client, registered):
    officer = UserFactory(roles=[Role.BOARD_OFFICER])
    labels = [entry["label"] for entry in workspace.navigation_entries(officer)]
    assert labels == [
        "Workspace",
        "Outcomes",
        "Delivery plan",
        "Programmes",
        "Places and routes",
        "Board",
        "Peer challenge",
        "Knowledge hub",
    ]
    client.force_login(officer)
    page = client.get("/workspace/").content.decode()
    assert "Nothing is assigned to you yet" in page  # no section for a board officer
    assert "plan the next meeting" in page
