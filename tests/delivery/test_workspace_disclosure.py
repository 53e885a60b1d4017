"""Disclosure control on the signed-in delivery pages (issue 17: "Analysts signed in see
unsuppressed figures, marked as such"). A measure on a flagged proportion whose area has small
counts (``small_series``: 3 of 41 events at the 2018 baseline, 4 of 47 in 2020, the other years
rounded to 5): programme leads, board members and board officers get its figures as the public
does, on the strategy and measure pages and in the plan's XLSX; analysts and administrators get
them as stored, marked "Unsuppressed" on the page and in the export. (The security log of the
analysts' export: tests/security/test_security_log.py.)"""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from healthgap.constants import Role
from healthgap.indicators.disclosure import UNSUPPRESSED_NOTE
from tests.accounts.factories import UserFactory
from tests.delivery.small_numbers import figures, small_series_measure, stored_figures

pytestmark = pytest.mark.django_db
CONTROLLED_ROLES = [Role.PROGRAMME_LEAD, Role.BOARD_MEMBER, Role.BOARD_OFFICER]
UNSUPPRESSED_ROLES = [Role.ANALYST, Role.ADMINISTRATOR]
NUMBER = re.compile(r"(?<![\d.])\d+\.(\d+)")


@pytest.fixture
def small_series():
    return small_series_measure(UserFactory(roles=[Role.ANALYST]))


def _leaked(text: str, figures: list[float]) -> list[float]:
    """The figures written in ``text`` at any precision of one decimal place or more (a table
    shows 7.3, a chart's data 7.317073170731708)."""
    shown = {(match.group(0), len(match.group(1))) for match in NUMBER.finditer(text)}
    return [f for f in figures if any(token == f"{f:.{places}f}" for token, places in shown)]


def _page(client, role, url: str) -> str:
    client.force_login(UserFactory(roles=[role]))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _pages(item) -> list[str]:
    return [item.get_absolute_url(), reverse("plan:strategy", args=[item.priority.strategy_id])]


def _workbook(client, role, item):
    client.force_login(UserFactory(roles=[role]))
    url = reverse("plan:strategy_xlsx", args=[item.priority.strategy_id])
    return load_workbook(io.BytesIO(client.get(url).content))


def _sheet(workbook, title: str) -> list[dict]:
    header, *rows = list(workbook[title].iter_rows(values_only=True)) or [()]
    return [dict(zip(header, row)) for row in rows]


def _cells(workbook) -> list:
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


@pytest.mark.parametrize("role", CONTROLLED_ROLES)
def test_the_pages_show_others_no_suppressed_or_unrounded_figure(client, small_series, role):
    for url in _pages(small_series):
        text = _page(client, role, url)
        assert _leaked(text, stored_figures(small_series)) == [], url
        assert "Under disclosure control (small numbers)" in text
        assert "Unsuppressed" not in text
    text = _page(client, role, small_series.get_absolute_url())
    assert "Suppressed in 2018" in text  # the baseline, 3 events
    assert "Withheld (made from a baseline under disclosure control)" in text
    published = figures(10, 53)["value"]  # 2019: 12 events published as 10
    assert _leaked(text, [published]) == [published]


@pytest.mark.parametrize("role", CONTROLLED_ROLES)
def test_the_xlsx_gives_others_no_suppressed_or_unrounded_figure(client, small_series, role):
    workbook = _workbook(client, role, small_series)
    numbers = [cell for cell in _cells(workbook) if isinstance(cell, float)]
    stored = stored_figures(small_series)
    assert [f for f in stored if any(f == pytest.approx(n) for n in numbers)] == []
    words = " ".join(cell for cell in _cells(workbook) if isinstance(cell, str))
    assert _leaked(words, stored) == []
    [row] = _sheet(workbook, "Measures")
    assert row["Baseline"] is None and row["Target"] is None
    assert row["Disclosure control"].startswith("Under disclosure control (small numbers)")
    assert _sheet(workbook, "Trajectories") == []  # made from the suppressed baseline


def test_the_check_finds_the_stored_figures_without_the_flag(client, small_series):
    """The same series without the flag (published as stored): the checks find its figures."""
    small_series.indicator.needs_disclosure_control = False
    small_series.indicator.save()
    text = _page(client, Role.BOARD_MEMBER, small_series.get_absolute_url())
    assert small_series.baseline_value in _leaked(text, stored_figures(small_series))
    [row] = _sheet(_workbook(client, Role.BOARD_MEMBER, small_series), "Measures")
    assert row["Baseline"] == pytest.approx(small_series.baseline_value)
    assert row["Disclosure control"] is None  # an empty cell


@pytest.mark.parametrize("role", UNSUPPRESSED_ROLES)
def test_analysts_see_the_stored_figures_marked_unsuppressed(client, small_series, role):
    for url in _pages(small_series):
        text = _page(client, role, url)
        assert "Unsuppressed figures" in text, url
        assert f"{small_series.baseline_value:.1f} " in text  # 3 of 41: 7.3%
        assert f"{small_series.target_value:.1f} by" in text


@pytest.mark.parametrize("role", UNSUPPRESSED_ROLES)
def test_analysts_xlsx_has_the_stored_figures_and_says_so(client, small_series, role):
    workbook = _workbook(client, role, small_series)
    [row] = _sheet(workbook, "Measures")
    assert row["Baseline"] == pytest.approx(small_series.baseline_value)
    assert row["Target"] == pytest.approx(small_series.target_value)
    assert row["Disclosure control"] == UNSUPPRESSED_NOTE
    trajectory = _sheet(workbook, "Trajectories")
    assert trajectory and {point["Disclosure control"] for point in trajectory} == {
        UNSUPPRESSED_NOTE
    }
