"""Each measure's progress from the store: the latest value against the trajectory, SPC for
long series and a forecast (deaths to avert: test_deaths.py)."""

from datetime import date

import pytest

from healthgap.constants import Role
from healthgap.delivery import services
from healthgap.delivery.judgement import NOT_ENOUGH_DATA, OFF_TRACK, ON_TRACK
from healthgap.delivery.models import Frequency, TargetKind
from healthgap.delivery.progress import measure_progress, periods_to_year_end
from healthgap.indicators.models import IndicatorValue, Period, Polarity
from tests.delivery.plan import COVENTRY, indicator, measure, value
from tests.publishing.people import person

# Coventry, England and the upper-tier authorities come from the demo.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


def _target(analyst, item, today=date(2024, 6, 1), **fields):
    defaults = dict(target_kind=TargetKind.VALUE, target_input=16.0, target_date=date(2027, 12, 31))
    for name, figure in {**defaults, **fields}.items():
        setattr(item, name, figure)
    return services.set_target(item, analyst, item.version, today=today)


@pytest.mark.parametrize(
    "latest, status",
    # Trajectory 20 (2023) -> 16 (2027): 19 expected in 2024. Lower is better.
    [((18.0, 17.0, 19.0), ON_TRACK), ((20.5, 19.5, 21.5), OFF_TRACK)],
)
def test_latest_value_judged_against_its_period_on_the_trajectory(analyst, latest, status):
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0, 19.0, 21.0)
    item = _target(analyst, measure(analyst, ind))
    value(ind, COVENTRY, "2024", *latest)
    progress = measure_progress(item)
    assert progress.status == status
    assert "against the 19.0 expected" in progress.verdict.words
    assert [point["expected"] for point in progress.points] == pytest.approx([20.0, 19.0])


def test_no_value_since_the_baseline_is_not_enough_data(analyst):
    ind = indicator()
    value(ind, COVENTRY, "2023", 20.0, 19.0, 21.0)
    progress = measure_progress(_target(analyst, measure(analyst, ind)))
    assert progress.status == NOT_ENOUGH_DATA
    assert "no value has been published since the baseline (2023)" in progress.verdict.words


def _quarter(number: int) -> Period:
    year, quarter = 2021 + number // 4, number % 4 + 1
    start_month = 4 + 3 * (quarter - 1)
    start = date(year + (start_month > 12), (start_month - 1) % 12 + 1, 1)
    end_month = start.month + 2
    end = date(start.year, end_month + 1, 1) if end_month < 12 else date(start.year + 1, 1, 1)
    end = date.fromordinal(end.toordinal() - 1)
    label = f"{year}/{str(year + 1)[2:]} Q{quarter}"
    return Period.objects.get_or_create(label=label, defaults={"start": start, "end": end})[0]


def test_a_long_quarterly_series_gets_an_spc_reading_and_a_year_end_forecast(analyst):
    ind = indicator(polarity=Polarity.HIGH_IS_GOOD)
    figures = [60, 62, 61, 63, 60, 62, 64, 61, 63, 62, 60, 61, 63, 62, 61, 62]
    for number, figure in enumerate(figures):
        IndicatorValue.objects.create(
            indicator=ind,
            area_id=COVENTRY,
            period=_quarter(number),
            value=figure,
            lower95=figure - 2,
            upper95=figure + 2,
        )
    item = measure(analyst, ind)
    item = _target(
        analyst,
        item,
        target_input=70.0,
        frequency=Frequency.QUARTERLY,
        target_date=date(2027, 3, 31),
        today=date(2025, 4, 1),
    )
    progress = measure_progress(item)
    # Values hover around 62 with a mean moving range near 1.9: limits about 57 to 67, so a
    # target of 70 lies above the upper limit: the process will consistently fail to reach it.
    assert progress.assurance == "consistently failing"
    assert "62" in progress.spc_words
    assert progress.forecast_words.startswith("On the trend of the latest 5 values")
    assert "The target, 70.0" in progress.forecast_words


def test_periods_to_the_financial_year_end():
    assert periods_to_year_end(date(2024, 6, 30), Frequency.QUARTERLY) == 3
    assert periods_to_year_end(date(2025, 3, 31), Frequency.QUARTERLY) == 1
    assert periods_to_year_end(date(2024, 12, 31), Frequency.MONTHLY) == 3
    assert periods_to_year_end(date(2024, 12, 31), Frequency.YEARLY) == 1
