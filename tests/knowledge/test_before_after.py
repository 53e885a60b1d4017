"""Before and after a programme started: the interrupted time series of its outcome measures
against England, the empty states that say what is needed, and the page with its twins.

The series are made with a known effect: the area follows England's trend 10 below it until the
programme starts, then drops a further 4 (a level change of -4 relative to England, no trend
change), with small deterministic wiggles so that the fit is not exact."""

import csv
import io
import math
from datetime import date

import pytest
from django.urls import reverse

from healthgap.constants import Role
from healthgap.delivery.models import MeasureClaim
from healthgap.knowledge.before_after import analyse_measure, analyse_programme
from healthgap.knowledge.models import Evaluation, EvaluationMethod
from tests.accounts.factories import UserFactory
from tests.delivery.plan import england, indicator, measure, value
from tests.factories import UpperTierFactory
from tests.publishing.people import programme

pytestmark = pytest.mark.django_db
START = date(2019, 6, 1)  # 2014-2018 before, 2019 onwards after
YEARS = range(2014, 2024)


@pytest.fixture
def analyst():
    return UserFactory(roles=[Role.ANALYST])


@pytest.fixture
def area():
    return UpperTierFactory()


def england_value(year: int) -> float:
    return 40 - 0.5 * (year - 2014) + 0.3 * math.sin(year)


def area_value(year: int) -> float:
    drop = 4 if year >= 2019 else 0
    return england_value(year) - 10 - drop + 0.2 * math.cos(3 * year)


def make_series(ind, area, years=YEARS, with_england=True):
    for year in years:
        value(ind, area.code, str(year), area_value(year))
        if with_england:
            england(ind, str(year), england_value(year))


@pytest.fixture
def claimed(analyst, area):
    """A programme started in June 2019 claiming a measure with ten years of data."""
    ind = indicator(code="ba-1", name="Smoking prevalence")
    make_series(ind, area)
    item = measure(analyst, ind, area_code=area.code)
    started = programme(analyst, start_date=START)
    MeasureClaim.objects.create(programme=started, measure=item)
    return started, item


def estimate(analysis, term):
    return next(row for row in analysis.estimates if row["term"] == term)


def test_level_change_relative_to_england_is_found(claimed):
    started, item = claimed
    missing, analyses = analyse_programme(started)
    assert missing == "" and [a.measure for a in analyses] == [item]
    analysis = analyses[0]
    assert analysis.comparator == "England"
    level = estimate(analysis, "level change")
    assert level["estimate"] == pytest.approx(-4, abs=0.6)
    assert level["lower"] < -4 < level["upper"]
    assert (
        estimate(analysis, "trend change")["lower"]
        < 0
        < estimate(analysis, "trend change")["upper"]
    )
    assert analysis.intervention_period == "2019"
    assert "relative to the comparator" in analysis.words
    assert "association, not proof" in analysis.words


def test_series_rows_hold_both_series_with_the_counterfactual(claimed):
    _, analyses = analyse_programme(claimed[0])
    rows = analyses[0].series
    assert {row["series"] for row in rows} == {"Coventry", "England"}
    assert len(rows) == 2 * len(YEARS)
    first_after = next(r for r in rows if r["series"] == "Coventry" and r["after"])
    assert first_after["period"] == "2019"
    assert first_after["observed"] == pytest.approx(area_value(2019))
    # Without the programme the area would have stayed about 10 below England.
    assert first_after["counterfactual"] == pytest.approx(england_value(2019) - 10, abs=0.8)


def test_without_englands_values_the_area_is_analysed_alone(analyst, area):
    ind = indicator(code="ba-2")
    make_series(ind, area, with_england=False)
    analysis = analyse_measure(measure(analyst, ind, area_code=area.code), START)
    assert analysis.comparator == "" and not analysis.missing
    assert {row["series"] for row in analysis.series} == {"Coventry"}
    assert "relative to the comparator" not in analysis.words


def test_too_few_periods_after_the_start_says_what_is_needed(analyst, area):
    ind = indicator(code="ba-3")
    make_series(ind, area, years=range(2014, 2021))  # 2019 and 2020 after: two
    analysis = analyse_measure(measure(analyst, ind, area_code=area.code), START)
    assert analysis.series == [] and analysis.words == ""
    assert "5 periods with a value before" in analysis.missing
    assert "2 after" in analysis.missing and "at least 3 of each" in analysis.missing


def test_a_programme_without_start_date_or_measures_says_what_is_needed(analyst):
    missing, analyses = analyse_programme(programme(analyst, name="Undated"))
    assert analyses == [] and "start date" in missing
    missing, analyses = analyse_programme(programme(analyst, name="Dated", start_date=START))
    assert analyses == [] and "outcome measure" in missing


def test_page_draws_describes_and_offers_its_twins(client, analyst, claimed):
    started, _ = claimed
    client.force_login(analyst)
    url = reverse("before_after", args=[started.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="before-after-1"' in html and 'id="before-after-1-spec"' in html
    assert "relative to the comparator" in html and "Assumptions and limits" in html

    data = client.get(url + ".json").json()
    assert data["ok"] and len(data["tables"]["series"]) == 2 * len(YEARS)
    assert {row["term"] for row in data["tables"]["estimates"]} >= {"level change"}

    table = list(csv.reader(io.StringIO(client.get(url + ".csv").content.decode())))
    assert table[0][:3] == ["Outcome measure", "Period", "Series"]
    assert len(table) == 1 + 2 * len(YEARS)


def test_page_empty_state_and_links(client, analyst):
    started = programme(analyst, start_date=START)
    Evaluation.private_objects.create(
        programme=started,
        question="Did smoking fall?",
        method=EvaluationMethod.INTERRUPTED_TIME_SERIES,
    )
    client.force_login(analyst)
    url = reverse("before_after", args=[started.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="before-after-missing"' in page and "outcome measure" in page
    assert url in client.get(started.get_absolute_url()).content.decode()
    assert url in client.get(reverse("knowledge:evaluations")).content.decode()


def test_page_needs_signing_in_and_a_known_programme(client, analyst):
    url = reverse("before_after", args=[999999])
    assert client.get(url).status_code == 302
    client.force_login(analyst)
    assert client.get(url).status_code == 404
    assert client.get(url + ".json").json()["ok"] is False
