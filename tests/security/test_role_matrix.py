"""The role matrix (docs/role-matrix.csv): every URL pattern x every role -> allowed or denied.

Each row is requested as each role in a fresh database transaction and the outcome compared with
the table; a URL pattern with no row fails, so a new page must be added to the table (see
docs/security.md). Object-level rows name an object in the path or data, such as
``{programme}`` (led by the matrix's programme lead) or ``{other_programme}`` (by another lead):
``tests/security/matrix_cast.py`` lists them and makes, in each case, those its row names.
Administrators have verified their second factor.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from healthgap.constants import Role
from tests.conftest import REPO_ROOT
from tests.security.matrix_cast import Cast

MATRIX = REPO_ROOT / "docs" / "role-matrix.csv"
ANONYMOUS = "anonymous"
# The table's role columns, in order, and the group each stands for.
ROLE_COLUMNS = {
    ANONYMOUS: None,
    "peer_reviewer": Role.PEER_REVIEWER,
    "programme_lead": Role.PROGRAMME_LEAD,
    "board_officer": Role.BOARD_OFFICER,
    "board_member": Role.BOARD_MEMBER,
    "analyst": Role.ANALYST,
    "administrator": Role.ADMINISTRATOR,
}
ALLOWED, DENIED = "allowed", "denied"
# A row named "<namespace>:*" covers every URL pattern in that namespace (Django's admin).
WILDCARD = ":*"


@dataclass(frozen=True)
class MatrixRow:
    url_name: str
    method: str
    path: str
    data: str
    expected: dict[str, str]

    @property
    def test_id(self) -> str:
        return f"{self.method} {self.path}"


def read_matrix() -> list[MatrixRow]:
    with MATRIX.open(encoding="utf-8", newline="") as file:
        return [
            MatrixRow(
                row["url_name"],
                row["method"],
                row["path"],
                row["data"],
                {column: row[column] for column in ROLE_COLUMNS},
            )
            for row in csv.DictReader(file)
        ]


def url_pattern_names(patterns=None, namespace: str = "") -> set[str]:
    """Every URL pattern's full name (``namespace:name``); an unnamed one as ``?<regex>``."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_pattern_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name or f'?{pattern.pattern}'}")
    return names


def is_covered(name: str, rows: list[MatrixRow]) -> bool:
    for row in rows:
        if row.url_name == name:
            return True
        if row.url_name.endswith(WILDCARD) and name.startswith(row.url_name[:-1]):
            return True
    return False


def columns_to_request(row: MatrixRow) -> list[str]:
    """Every role on SQLite. On PostgreSQL, the first role the row allows and the first it denies:
    who may do what is decided in Python, the same on both databases, so the second run only needs
    each page's queries to run once each way (which keeps CI's second database pass short)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return list(ROLE_COLUMNS)
    firsts = {outcome: None for outcome in (ALLOWED, DENIED)}
    for column in ROLE_COLUMNS:
        firsts[row.expected[column]] = firsts[row.expected[column]] or column
    return [column for column in firsts.values() if column]


ROWS = read_matrix()
CASES = [
    pytest.param(row, column, id=f"{row.test_id} as {column}")
    for row in ROWS
    for column in columns_to_request(row)
]


def test_every_url_pattern_has_a_row_in_the_role_matrix():
    missing = sorted(name for name in url_pattern_names() if not is_covered(name, ROWS))
    header = ",".join(["url_name,method,path,data", *ROLE_COLUMNS, "why"])
    assert missing == [], (
        f"Add rows to {MATRIX.relative_to(REPO_ROOT)} ({header}) for: {', '.join(missing)}"
    )


def test_every_cell_of_the_matrix_says_allowed_or_denied():
    for row in ROWS:
        assert row.method in ("GET", "POST"), row
        assert set(row.expected.values()) <= {ALLOWED, DENIED}, row


def sign_in(client, user, column: str) -> None:
    client.force_login(user)
    if column == "administrator":
        # Administration needs a verified second factor: as if a backup code had been entered.
        device = StaticDevice.objects.create(user=user, name="backup")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def is_refusal(location: str) -> bool:
    """A redirect that refuses: to sign in (or enter a second factor) before coming back, or to
    the page saying administration needs a verified second factor. (Signing out also ends on
    the sign-in page, but with nothing to come back to.)"""
    target = urlsplit(location)
    if target.path in ("/admin/login/", reverse("web:two_step_required")):
        return True
    sign_in_pages = (settings.LOGIN_URL, reverse("web:two_step_verify"))
    return target.path in sign_in_pages and "next" in parse_qs(target.query)


def outcome(response) -> str:
    status = response.status_code
    assert status < 500, f"server error {status}"
    if 200 <= status < 300:
        return ALLOWED
    if 300 <= status < 400:
        return DENIED if is_refusal(response["Location"]) else ALLOWED
    return DENIED  # 403 refused, 404 hidden, 405 not offered


@pytest.fixture(scope="module", autouse=True)
def uploads_in_tmp(tmp_path_factory):
    """The papers and documents the cases upload go to one temporary folder, set once for the
    module rather than per case."""
    folder = tmp_path_factory.mktemp("uploads")
    with override_settings(VAR_DIR=folder, MEDIA_ROOT=folder / "media"):
        yield


@pytest.fixture(scope="module", autouse=True)
def no_foreign_key_scan_of_the_demo_after_each_case():
    """Django's TestCase checks every foreign key in the database after each test, which on
    SQLite scans the whole demo (about 0.27 s a case, a third of this module's time). The cases
    only request pages; the services they make objects with are checked by their own tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "check_constraints", lambda table_names=None: None)
        yield


@pytest.mark.usefixtures("demo_db")
@pytest.mark.django_db
@pytest.mark.parametrize(("row", "column"), CASES)
def test_each_role_is_allowed_or_denied_each_url_as_the_matrix_says(client, row, column):
    cast = Cast()
    path = row.path.format_map(cast)
    matched = resolve(urlsplit(path).path).view_name
    if row.url_name.endswith(WILDCARD):
        assert matched.startswith(row.url_name[:-1]), (path, matched)
    else:
        assert matched == row.url_name, (path, matched)
    if column != ANONYMOUS:
        sign_in(client, cast.user(column), column)
    if row.method == "POST":
        response = client.post(path, dict(parse_qsl(row.data.format_map(cast))))
    else:
        response = client.get(path)
    assert outcome(response) == row.expected[column], (
        f"{row.method} {path} as {column}: {response.status_code} {response.get('Location', '')}"
    )
