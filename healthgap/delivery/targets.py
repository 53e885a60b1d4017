"""Targets turned into numbers and profiled period by period: the baseline and the benchmarks
come from the indicator store, found by the measure's series key."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE
from healthgap.delivery.models import Frequency, OutcomeMeasure, TargetKind
from healthgap.indicators.models import IndicatorValue, Period, Polarity
from healthgap.methods import trajectory
from healthgap.methods._series import format_value

#: The words healthgap.methods (spc, forecast) take for each indicator polarity.
METHOD_POLARITY = {
    Polarity.HIGH_IS_GOOD: "higher is better",
    Polarity.LOW_IS_GOOD: "lower is better",
    Polarity.NO_JUDGEMENT: "no judgement",
}
MONTHS_PER_STEP = {Frequency.YEARLY: 12, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}
TOP_QUARTILE = 75  # percentile of upper-tier values on the good side


class TargetError(ValueError):
    """A target that cannot be set as asked (the message says why and names the field)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def polarity_words(measure: OutcomeMeasure) -> str:
    return METHOD_POLARITY[measure.indicator.polarity]


def series_rows(measure: OutcomeMeasure, area_code: str | None = None):
    """The store's values of the measure's series (or the same key for another area)."""
    return IndicatorValue.objects.filter(
        indicator_id=measure.indicator_id,
        area_id=area_code or measure.area_id,
        sex=measure.sex,
        age=measure.age,
        category_type=measure.category_type,
        category=measure.category,
    ).select_related("period")


def latest_value(measure: OutcomeMeasure) -> IndicatorValue | None:
    rows = series_rows(measure).exclude(value__isnull=True).order_by("-period__end")
    return rows.first()


def baseline_row(measure: OutcomeMeasure) -> IndicatorValue:
    """The value of the chosen baseline period, or the latest value when none is chosen."""
    if measure.baseline_period_id is None:
        row = latest_value(measure)
        if row is None:
            raise TargetError("indicator", "The indicator store has no value for this series yet")
        return row
    rows = series_rows(measure).filter(period_id=measure.baseline_period_id)
    row = rows.exclude(value__isnull=True).first()
    if row is None:
        raise TargetError(
            "baseline_period", f"The indicator store has no value for {measure.baseline_period}"
        )
    return row


def _value_at(measure: OutcomeMeasure, period: Period, area_code: str) -> float | None:
    row = series_rows(measure, area_code).filter(period=period).first()
    return row.value if row else None


def _top_quartile(measure: OutcomeMeasure, period: Period) -> float | None:
    values = IndicatorValue.objects.filter(
        indicator_id=measure.indicator_id,
        period=period,
        sex=measure.sex,
        age=measure.age,
        category_type=measure.category_type,
        category=measure.category,
        area__in=Area.objects.upper_tier(),
        value__isnull=False,
    ).values_list("value", flat=True)
    values = list(values)
    if not values:
        return None
    good_high = measure.indicator.polarity == Polarity.HIGH_IS_GOOD
    return float(np.percentile(values, TOP_QUARTILE if good_high else 100 - TOP_QUARTILE))


def resolve_target(measure: OutcomeMeasure) -> tuple[float, str]:
    """The target as a number and how it was reached, in words."""
    baseline, period = measure.baseline_value, measure.baseline_period
    number = lambda x: format_value(x, 1)  # noqa: E731
    kind = measure.target_kind
    if kind in (TargetKind.VALUE, TargetKind.PERCENT_CHANGE) and measure.target_input is None:
        noun = "value" if kind == TargetKind.VALUE else "percentage change"
        raise TargetError("target_input", f"Enter the target {noun}")
    if kind == TargetKind.VALUE:
        return measure.target_input, f"A value of {number(measure.target_input)}"
    if kind == TargetKind.PERCENT_CHANGE:
        value = baseline * (1 + measure.target_input / 100)
        return value, (
            f"A change of {measure.target_input:+g}% on the baseline {number(baseline)} ({period})"
        )
    if kind == TargetKind.TOP_QUARTILE:
        value = _top_quartile(measure, period)
        if value is None:
            raise TargetError("target_kind", f"No upper-tier authority has a value for {period}")
        return value, f"The top-quartile threshold of upper-tier authorities in {period}"
    england = _value_at(measure, period, ENGLAND_CODE)
    if england is None:
        raise TargetError("target_kind", f"England has no value for {period} to aim at")
    if kind == TargetKind.ENGLAND:
        return england, f"England's value in {period}, {number(england)}"
    return baseline + (england - baseline) / 2, (
        f"Half the gap between the baseline {number(baseline)} and England's "
        f"{number(england)} in {period}"
    )


def check_direction(measure: OutcomeMeasure, target: float) -> None:
    """Refuses a target on the wrong side of the baseline for the indicator's polarity."""
    polarity, baseline = measure.indicator.polarity, measure.baseline_value
    number = lambda x: format_value(x, 1)  # noqa: E731
    if polarity == Polarity.HIGH_IS_GOOD and target <= baseline:
        raise TargetError(
            "target_kind",
            f"Higher is better for this indicator, but the target ({number(target)}) is not "
            f"above the baseline ({number(baseline)})",
        )
    if polarity == Polarity.LOW_IS_GOOD and target >= baseline:
        raise TargetError(
            "target_kind",
            f"Lower is better for this indicator, but the target ({number(target)}) is not "
            f"below the baseline ({number(baseline)})",
        )


def add_months(month_end: date, months: int) -> date:
    """The last day of the month ``months`` after the month of ``month_end``."""
    first = month_end.replace(day=1)
    index = first.year * 12 + first.month - 1 + months + 1
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def trajectory_dates(baseline_end: date, target_date: date, frequency: str) -> list[date]:
    """Period ends from the baseline's to the first at or after the target date."""
    step = MONTHS_PER_STEP[frequency]
    dates = [baseline_end]
    while dates[-1] < target_date:
        dates.append(add_months(baseline_end, step * len(dates)))
    return dates


def profile(measure: OutcomeMeasure) -> list[tuple[date, float]]:
    """The value expected at each period end from the baseline to the target, with
    ``healthgap.methods.trajectory`` counting periods as its steps."""
    dates = trajectory_dates(measure.baseline_period.end, measure.target_date, measure.frequency)
    steps = len(dates) - 1
    path = trajectory(measure.baseline_value, 0, measure.target_value, steps, kind=measure.shape)
    return list(zip(dates, path["expected"].tolist(), strict=True))
