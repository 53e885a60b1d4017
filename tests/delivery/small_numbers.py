"""A measure on an indicator under disclosure control with small counts, made with factories:
the board report's tests (test_report_disclosure) and the workspace's
(test_workspace_disclosure, tests/security/test_security_log) read its figures."""

from datetime import date

import pandas as pd

from healthgap.delivery import services
from healthgap.delivery.models import Frequency, OutcomeMeasure, TargetKind
from healthgap.indicators.models import IndicatorValue, Polarity, ValueType
from healthgap.methods import proportion
from tests.delivery.plan import england, indicator, measure, year
from tests.factories import AreaFactory, EnglandFactory

AREA = "E06T93001"
TODAY = date(2024, 6, 1)
# (year, count, denominator): 2018 (the baseline) and 2020 have 1-7 events, the others are
# rounded to 5 (12 -> 10, 23 -> 25, 31 -> 30); odd denominators make each percentage distinct.
SERIES = [("2018", 3, 41), ("2019", 12, 53), ("2020", 4, 47), ("2021", 23, 61), ("2022", 31, 67)]
SUPPRESSED_YEARS = ("2018", "2020")


def figures(count: float, denominator: float) -> dict:
    """A percentage with its Wilson 95% limits (healthgap.methods.proportion)."""
    frame = pd.DataFrame({"count": [float(count)], "denominator": [float(denominator)]})
    row = proportion(frame, "count", "denominator", multiplier=100).iloc[0]
    return {"value": row["value"], "lower95": row["lowercl"], "upper95": row["uppercl"]}


def small_series_measure(analyst) -> OutcomeMeasure:
    """A measure on a flagged proportion whose area has small counts; its target a 20% rise on
    the 2018 baseline (3 events: suppressed)."""
    EnglandFactory()
    AreaFactory(code=AREA, name="Smallham")
    ind = indicator("t-small", polarity=Polarity.HIGH_IS_GOOD, value_type=ValueType.PROPORTION,
                    unit="%", needs_disclosure_control=True)  # fmt: skip
    for label, count, denominator in SERIES:
        IndicatorValue.objects.create(
            indicator=ind, area_id=AREA, period=year(label), count=float(count),
            denominator=float(denominator), **figures(count, denominator),
        )  # fmt: skip
        england(ind, label, 20.0)
    item = measure(analyst, ind, area_code=AREA, frequency=Frequency.YEARLY)
    item.baseline_period = year("2018")
    for name, chosen in {"target_kind": TargetKind.PERCENT_CHANGE, "target_input": 20.0,
                         "target_date": date(2030, 12, 31)}.items():  # fmt: skip
        setattr(item, name, chosen)
    return services.set_target(item, analyst, item.version, today=TODAY)


def stored_figures(item) -> list[float]:
    """Every stored figure the public must not see: the suppressed years' values and limits,
    the rounded years' own (their published ones come from the rounded count), the baseline
    and the target made from it."""
    figures = [item.baseline_value, item.target_value]
    for row in IndicatorValue.objects.filter(indicator=item.indicator, area_id=AREA):
        figures += [row.value, row.lower95, row.upper95]
    return figures
