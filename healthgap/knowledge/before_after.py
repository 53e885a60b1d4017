"""Before and after a programme started: for each outcome measure it is judged by, an
interrupted time series of the measure's indicator (``healthgap.methods.segmented_regression``)
with England's values of the same indicator as the comparator when England has enough of them,
described in words (``describe_segmented_regression``) with its assumptions and limits.

The periods are taken in order as equally spaced time points (0, 1, 2 ...); the first period
that ends on or after the programme's start date is the first "after" point.

An indicator under disclosure control is analysed as the public gets it (``published``:
suppressed periods left out, the others from the rounded count), or as stored for analysts,
marked ``unsuppressed``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Q

from healthgap.constants import ENGLAND_CODE
from healthgap.delivery.models import OutcomeMeasure, Programme
from healthgap.delivery.progress import SERIES_KEY, disclosure_note
from healthgap.delivery.targets import series_rows
from healthgap.indicators.disclosure import disclosed_series
from healthgap.methods import describe_segmented_regression, segmented_regression
from healthgap.methods.segmented import FEWEST_EACH_SIDE

RECOMMENDED_EACH_SIDE = 12  # Wagner et al. (2002)
ENGLAND = "England"
# The terms shown in the estimates table, in the method's words.
TERMS = (
    "baseline level",
    "baseline trend",
    "level change",
    "trend change",
    "comparator level change",
    "comparator trend change",
)
LIMITATIONS = (
    "The periods are treated as equally spaced, and the period in which the programme started "
    "counts as after it. Other changes at the same time (other programmes, a change in how the "
    "indicator is counted, the pandemic) cannot be told apart from the programme's effect. "
    f"Short series give wide intervals: Wagner et al. (2002) recommend {RECOMMENDED_EACH_SIDE} "
    "points each side."
)


@dataclass
class MeasureAnalysis:
    """One outcome measure before and after the start: ``missing`` says what is needed when no
    estimate could be made; otherwise the series drawn, the estimates and the words."""

    measure: OutcomeMeasure
    missing: str = ""
    series: list[dict] = field(default_factory=list)
    estimates: list[dict] = field(default_factory=list)
    words: str = ""
    comparator: str = ""
    controlled: bool = False  # the series as published (disclosure control)
    unsuppressed: bool = False  # the stored series of an indicator under control: analysts'

    @property
    def disclosure_note(self) -> str:
        return disclosure_note(self.controlled, self.unsuppressed)

    @property
    def intervention_period(self) -> str | None:
        after = [row["period"] for row in self.series if row["after"]]
        return after[0] if after else None


def programme_measures(programme: Programme) -> list[OutcomeMeasure]:
    """The measures the programme claims and those of the priorities it delivers."""
    found = OutcomeMeasure.objects.filter(
        Q(claims__programme=programme) | Q(priority__programmes=programme)
    )
    return list(found.distinct().select_related("indicator", "area").order_by("pk"))


def what_is_needed(programme: Programme, measures: list[OutcomeMeasure]) -> str:
    """Why the programme has no before-and-after analysis at all, or "" when it may have one."""
    if programme.start_date is None:
        return "Give the programme a start date: the analysis compares the periods before it "\
               "with those after."  # fmt: skip
    if not measures:
        return "Link the programme to an outcome measure (claim a measure, or link a priority "\
               "that has measures): the analysis follows the measure's indicator."  # fmt: skip
    return ""


def analyse_programme(
    programme: Programme, published: bool = False
) -> tuple[str, list[MeasureAnalysis]]:
    measures = programme_measures(programme)
    missing = what_is_needed(programme, measures)
    if missing:
        return missing, []
    return "", [analyse_measure(m, programme.start_date, published) for m in measures]


def _values(measure: OutcomeMeasure, area_code: str | None, controlled: bool) -> dict:
    """The series' values by period: as stored, or (``controlled``) as published."""
    rows = series_rows(measure, area_code).exclude(value__isnull=True)
    values = {row.period: row.value for row in rows}
    if not controlled:
        return values
    key = {name: getattr(measure, name) for name in SERIES_KEY}
    shown = disclosed_series(measure.indicator, {**key, "area_id": area_code or measure.area_id})
    return {
        period: shown[period.label]["value"]
        for period in values
        if shown.get(period.label, {}).get("value") is not None
    }


def analyse_measure(measure: OutcomeMeasure, start, published: bool = False) -> MeasureAnalysis:
    flagged = measure.indicator.needs_disclosure_control
    analysis = _analysis(measure, start, controlled=published and flagged)
    analysis.controlled, analysis.unsuppressed = published and flagged, flagged and not published
    return analysis


def _analysis(measure: OutcomeMeasure, start, controlled: bool) -> MeasureAnalysis:
    area_values = _values(measure, None, controlled)
    periods = sorted(area_values, key=lambda period: (period.end, period.start))
    after = [period.end >= start for period in periods]
    before_count, after_count = after.count(False), after.count(True)
    if min(before_count, after_count) < FEWEST_EACH_SIDE:
        return MeasureAnalysis(
            measure,
            missing=(
                f"The indicator has {before_count} periods with a value before the programme "
                f"started and {after_count} after: at least {FEWEST_EACH_SIDE} of each are "
                f"needed ({RECOMMENDED_EACH_SIDE} each side are recommended)."
            ),
        )
    england_values = _values(measure, ENGLAND_CODE, controlled)
    frame = pd.DataFrame(
        {
            "period": [period.label for period in periods],
            "time": np.arange(len(periods), dtype=float),
            "value": [area_values[period] for period in periods],
            "england": [england_values.get(period, np.nan) for period in periods],
            "after": after,
        }
    )
    intervention = float(after.index(True))
    england_each_side = [
        int(frame.loc[frame["after"] == side, "england"].notna().sum()) for side in (False, True)
    ]
    comparator = "england" if min(england_each_side) >= FEWEST_EACH_SIDE else None
    result = segmented_regression(
        frame, "value", "time", intervention=intervention, comparator=comparator
    )
    return MeasureAnalysis(
        measure,
        series=_series(result, frame, measure.area.name),
        estimates=_estimates(result),
        words=describe_segmented_regression(result, time_unit="period"),
        comparator=ENGLAND if comparator else "",
    )


def _series(result: pd.DataFrame, frame: pd.DataFrame, area_name: str) -> list[dict]:
    drawn = result[result["part"] == "series"]
    labels = dict(zip(frame["time"], frame["period"]))
    after = dict(zip(frame["time"], frame["after"]))
    names = {"study": area_name, "comparator": ENGLAND}
    return [
        {
            "period": labels[row.time],
            "time": int(row.time),
            "series": names[row.series],
            "after": bool(after[row.time]),
            "observed": _number(row.observed),
            "fitted": _number(row.fitted),
            "counterfactual": _number(row.counterfactual),
        }
        for row in drawn.itertuples()
    ]


def _estimates(result: pd.DataFrame) -> list[dict]:
    rows = result[(result["part"] == "estimate") & result["term"].isin(TERMS)]
    return [
        {
            "term": row["term"],
            "estimate": _number(row["estimate"]),
            "lower": _number(row["lowercl"]),
            "upper": _number(row["uppercl"]),
            "p_value": _number(row["p_value"]),
        }
        for _, row in rows.iterrows()
    ]


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
