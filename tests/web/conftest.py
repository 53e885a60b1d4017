"""Outcome-page fixtures: indicator values made through the ORM, so that page tests do not
depend on which Fingertips files the demo imports."""

import numpy as np
import pytest

from healthgap.areas.models import Area, AreaType
from healthgap.indicators.models import IndicatorValue, Period, Polarity, ValueType
from tests.factories import IndicatorFactory, PeriodFactory

COVENTRY, LEICESTER, ENGLAND = "E08000026", "E06000016", "E92000001"
WEST_MIDLANDS = "E12000005"


def _periods(years) -> list[Period]:
    return [PeriodFactory(year=year) for year in years]


def make_indicator(code, name, domain, polarity, centre, *, periods=range(2015, 2021), seed=1):
    """An indicator with a value and 95%/99.8% limits for every upper-tier authority, region
    and England in each period; Coventry is made clearly worse than England."""
    indicator = IndicatorFactory(
        code=code,
        name=name,
        domain=domain,
        unit="per 100,000",
        value_type=ValueType.DSR,
        polarity=polarity,
    )
    rng = np.random.default_rng(seed)
    areas = list(
        Area.objects.filter(
            area_type__in=[AreaType.COUNTY, AreaType.UNITARY, AreaType.REGION, AreaType.ENGLAND]
        ).values_list("code", flat=True)
    )
    values = []
    for step, period in enumerate(_periods(periods)):
        for code_ in areas:
            value = centre if code_ == ENGLAND else centre * rng.uniform(0.7, 1.3)
            if code_ == COVENTRY:
                value = centre * (1.4 + 0.02 * step)
            half = 0.05 * value
            values.append(
                IndicatorValue(
                    indicator=indicator, area_id=code_, period=period, value=round(value, 2),
                    lower95=value - half, upper95=value + half,
                    lower998=value - 1.6 * half, upper998=value + 1.6 * half,
                    count=round(value * 3), denominator=300000,
                )
            )  # fmt: skip
    IndicatorValue.objects.bulk_create(values)
    return indicator


@pytest.fixture
def indicators(db):
    """Two indicators in two domains: a low-is-good rate and a high-is-good one."""
    return [
        make_indicator("T1", "Test mortality rate", "Mortality", Polarity.LOW_IS_GOOD, 300),
        make_indicator(
            "T2", "Test screening rate", "Prevention", Polarity.HIGH_IS_GOOD, 70, seed=2
        ),
    ]


@pytest.fixture(autouse=True)
def demo(demo_db):
    """Every page test runs on the demo (areas, boundaries, Fingertips files, synthetic data)."""
