"""Standardised figures under disclosure control (issue 17): where rounding changes the count
behind a DSR, an ISR or a life expectancy, nothing published may depend on the true count. A
DSR's Dobson limits (Dobson et al. 1991, Stat Med 10:457-462) are value + s (Byar's limit of
the count - the count), so (value - lower) / (upper - value) is a function of the count alone;
an ISR's are Byar's limits of the observed count over the expected deaths (Breslow & Day 1987).
"""

import math

import pytest
from scipy.optimize import brentq

from healthgap.indicators.disclosure import controlled_rows, indicator_rows
from healthgap.indicators.models import ValueType
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    UpperTierFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db
Z95 = 1.959963984540054


def byars(o: float, sign: int) -> float:
    if sign < 0:
        return o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    return (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * math.sqrt(o + 1))) ** 3


def dobson(value: float, count: float, scale: float) -> tuple[float, float]:
    return value + scale * (byars(count, -1) - count), value + scale * (byars(count, 1) - count)


def count_behind_dsr(row: dict) -> float:
    ratio = (row["value"] - row["lower95"]) / (row["upper95"] - row["value"])
    return brentq(lambda o: (o - byars(o, -1)) / (byars(o, 1) - o) - ratio, 10, 1e7)


def _published(value_type: str, counts: dict[str, float]) -> dict[str, dict]:
    """A flagged indicator of ``value_type`` for a city's wards (counts by ward; the city holds
    their sum), as controlled_rows publishes it, by area."""
    indicator = IndicatorFactory(value_type=value_type, needs_disclosure_control=True)
    period = PeriodFactory(year=2021)
    city = UpperTierFactory()
    areas = [city, *(WardFactory(parent=city) for _ in counts)]
    for area, count in zip(areas, [sum(counts.values()), *counts.values()]):
        value = 10.0 * count if value_type != ValueType.LIFE_EXPECTANCY else 80.0
        lower, upper = dobson(value, count, 4.0)
        IndicatorValueFactory(
            indicator=indicator, area=area, period=period, count=count,
            denominator=1000.0, value=value, lower95=lower, upper95=upper,
        )  # fmt: skip
    rows = controlled_rows(value_type, indicator_rows(indicator))
    names = dict(zip([area.code for area in areas], ["city", *counts]))
    return {names[row["area_id"]]: row for row in rows}


def test_a_dsr_from_a_rounded_count_gives_back_only_the_rounded_count():
    shown = _published(ValueType.DSR, {"a": 23.0, "b": 40.0})
    a = shown["a"]
    assert a["count"] == 25.0
    assert a["value"] == pytest.approx(230.0 * 25 / 23)
    assert count_behind_dsr(a) == pytest.approx(25.0, abs=1e-6)
    assert shown["b"]["value"] == 400.0  # 40 is already a multiple of 5: as computed
    assert count_behind_dsr(shown["b"]) == pytest.approx(40.0, abs=1e-6)


def test_an_isr_from_a_rounded_count_has_the_rounded_count_observed():
    shown = _published(ValueType.ISR, {"a": 23.0, "b": 40.0})
    a = shown["a"]
    per_event = 230.0 / 23
    assert (a["value"], a["lower95"], a["upper95"]) == pytest.approx(
        (25 * per_event, byars(25, -1) * per_event, byars(25, 1) * per_event)
    )


def test_life_expectancy_keeps_its_limits_and_small_counts_hide_it():
    # c (3) is suppressed and d (20), the smallest other ward, with it
    shown = _published(ValueType.LIFE_EXPECTANCY, {"a": 88.0, "b": 40.0, "c": 3.0, "d": 20.0})
    assert shown["a"]["value"] == 80.0 and shown["a"]["lower95"] is not None
    assert shown["b"]["lower95"] is not None
    assert shown["c"]["suppressed"] and shown["c"]["value"] is None
    assert shown["d"]["suppressed"] and shown["d"]["lower95"] is None
