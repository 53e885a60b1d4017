"""docs/roles.md and the code cannot drift apart: the table lists exactly Role.ALL, and each
role's predicates column is what the predicates in accounts/permissions.py say."""

import re

import pytest

from healthgap.accounts.permissions import PREDICATES
from healthgap.constants import Role
from tests.accounts.factories import UserFactory
from tests.conftest import REPO_ROOT

ROLES_DOC = REPO_ROOT / "docs" / "roles.md"


def roles_table() -> dict[str, dict[str, str]]:
    """The markdown table's rows, keyed by role, each a {header: cell} dict."""
    lines = [line for line in ROLES_DOC.read_text().splitlines() if line.startswith("|")]
    headers = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = dict(zip(headers, (cell.strip() for cell in line.strip("|").split("|"))))
        rows[cells["Role"]] = cells
    return rows


def test_the_table_lists_exactly_the_roles_in_the_code_in_order():
    assert tuple(roles_table()) == Role.ALL


def test_every_row_says_who_holds_the_role_and_what_they_can_and_cannot_do():
    for role, row in roles_table().items():
        for column in ("Who holds it", "What they can do", "What they cannot do"):
            assert row[column], f"{role}: empty {column!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.ALL)
def test_the_predicates_column_is_what_the_code_grants(role):
    documented = set(re.findall(r"`(\w+)`", roles_table()[role]["Predicates"]))
    user = UserFactory(roles=[role])
    assert documented == {name for name, predicate in PREDICATES.items() if predicate(user)}
