"""Disclosure control on the signed-in delivery pages (issue 17: "Analysts signed in see
unsuppressed figures, marked as such"). A measure on a flagged proportion whose area has small
counts (``small_series``: 3 of 41 events at the 2018 baseline, 4 of 47 in 2020, the other years
rounded to 5): programme leads, board members and board officers get its figures as the public
does, on the strategy and measure pages, in the plan's XLSX, and on the programme's
before-and-after page with its CSV and JSON, and so do administrators, as on the outcome and
place pages and in the API (roles.md); analysts get them as stored, marked "Unsuppressed" on the
page and in the export, and their exports are logged (the plan's XLSX:
tests/security/test_security_log.py)."""

import io
import json
import logging
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from healthgap.constants import SECURITY_LOGGER, Role
from healthgap.delivery.models import MeasureClaim
from healthgap.indicators.disclosure import UNSUPPRESSED_NOTE
from healthgap.indicators.models import IndicatorValue
from tests.accounts.factories import UserFactory
from tests.delivery import plan
from tests.delivery.small_numbers import figures, small_series_measure, stored_figures
from tests.publishing.people import programme

pytestmark = pytest.mark.django_db
CONTROLLED_ROLES = [Role.PROGRAMME_LEAD, Role.BOARD_MEMBER, Role.BOARD_OFFICER, Role.ADMINISTRATOR]
UNSUPPRESSED_ROLES = [Role.ANALYST]
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


# ---- A programme's before-and-after page (workspace/knowledge) and its CSV and JSON twins ----

# (year, count, denominator): 2015 and 2019 have 1-7 events, the others are rounded to 5.
BEFORE_AFTER = [
    (2014, 12, 53), (2015, 3, 41), (2016, 23, 61), (2017, 31, 67), (2018, 17, 59),
    (2019, 4, 47), (2020, 26, 71), (2021, 13, 57), (2022, 18, 63), (2023, 22, 73),
]  # fmt: skip


@pytest.fixture
def started(small_series):
    """A programme started in June 2019 claiming a measure of a flagged proportion with small
    counts over ten years (England's values alongside, not under control at national level)."""
    ind = small_series.indicator
    IndicatorValue.objects.filter(indicator=ind).delete()
    for year, count, denominator in BEFORE_AFTER:
        IndicatorValue.objects.create(
            indicator=ind, area_id=small_series.area_id, period=plan.year(str(year)),
            count=float(count), denominator=float(denominator), **figures(count, denominator),
        )  # fmt: skip
        plan.england(ind, str(year), 20.0 + year % 3)
    creator = UserFactory(roles=[Role.ANALYST])
    item = programme(creator, start_date=date(2019, 6, 1))
    MeasureClaim.objects.create(programme=item, measure=small_series)
    return item


def _before_after(client, role, item) -> dict[str, str]:
    """The page and its twins as text, as ``role`` gets them."""
    client.force_login(UserFactory(roles=[role]))
    url = reverse("before_after", args=[item.pk])
    answers = {name: client.get(url + suffix) for name, suffix in
               (("page", ""), ("csv", ".csv"), ("json", ".json"))}  # fmt: skip
    assert {answer.status_code for answer in answers.values()} == {200}
    return {name: answer.content.decode() for name, answer in answers.items()}


def _stored_values(item) -> list[float]:
    """The claimed measure's values as stored in its area (England's are published as they are)."""
    area = item.claims.get().measure.area_id
    return [row.value for row in IndicatorValue.objects.filter(area_id=area)]


@pytest.mark.parametrize("role", CONTROLLED_ROLES)
def test_before_and_after_gives_others_no_suppressed_or_unrounded_value(client, started, role):
    for name, text in _before_after(client, role, started).items():
        assert _leaked(text, _stored_values(started)) == [], name
        assert UNSUPPRESSED_NOTE not in text, name
    data = json.loads(_before_after(client, role, started)["json"])
    study = [row for row in data["tables"]["series"] if row["series"] == "Smallham"]
    assert [row["period"] for row in study] == ["2014", "2016", "2017", "2018", "2020", "2021",
                                                "2022", "2023"]  # fmt: skip
    assert study[0]["observed"] == pytest.approx(figures(10, 53)["value"])  # 12 shown as 10


def test_analysts_before_and_after_is_stored_marked_and_logged(client, started, caplog):
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        answers = _before_after(client, Role.ANALYST, started)
    assert "Unsuppressed figures" in answers["page"]
    assert UNSUPPRESSED_NOTE in answers["csv"] and UNSUPPRESSED_NOTE in answers["json"]
    assert set(_leaked(answers["csv"], _stored_values(started))) == set(_stored_values(started))
    logged = f"unsuppressed before-and-after of programme {started.pk} exported"
    assert f"{logged} (csv)" in caplog.text and f"{logged} (json)" in caplog.text
