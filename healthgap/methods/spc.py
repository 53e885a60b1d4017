"""XmR (individuals) statistical process control chart with NHS "Making Data Count" rules.

As NHS England's "Making Data Count" (MDC) guidance and its Excel tool apply it, and as the NHS-R
package NHSRplotthedots (``ptd_spc``) implements it:

* centre line: the mean of the points; moving range: |x_i - x_(i-1)|; process limits: mean
  +/- 2.66 x mean moving range (2.66 = 3 / d2, d2 = 1.128 for ranges of two points), and
  "near the limit" lines at 2 sigma (mean +/- 2/3 x 2.66 x mean moving range);
* ``screen_outliers``: leave out moving ranges of 3.267 x the mean moving range or more before
  the mean moving range is recomputed (Nelson 1982; Provost & Murray 2011). NHSRplotthedots does
  so by default but the MDC Excel tool does not ("Deviations from Excel defaults" vignette), so
  the default here is False, as MDC;
* special-cause rules, each flagging every point of the pattern:
  a point beyond a process limit ("astronomical point");
  a shift: 7 or more consecutive points on one side of the mean (a point on the mean breaks it);
  a trend: 7 or more consecutive points each higher (or each lower) than the one before, i.e. 6
  successive rises or falls (an equal neighbour breaks it), as NHSRplotthedots and the MDC tool
  count it;
  two out of three consecutive points beyond 2 sigma (inside the limits) with all three on the
  same side of the mean;
  when several rules flag a point its reading follows the precedence beyond-limit, trend, two of
  three, shift (NHSRplotthedots ``ptd_special_cause_type``);
* variation reading by polarity: "common cause", "special cause improving", "special cause
  concerning"; with no judgement "special cause high" / "special cause low";
* assurance against a target, from the latest phase's limits: target beyond the limit on the
  good side -> "consistently passing"; on the bad side -> "consistently failing"; between the
  limits -> "hit and miss"; none without a target or a polarity (as NHSRplotthedots).

MDC recommends at least 15 points before limits are relied on (NHSRplotthedots warns below 12
and calls such limits "trial limits"): with fewer than ``min_points`` (15 by default; 12 may be
given) in a phase, its centre and limits are NaN and ``statistic`` says why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)
from healthgap.methods._series import format_value, polarity_sign, series_in_time_order

__all__ = ["describe_spc", "spc"]

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
NEAR_LIMIT_FACTOR = 2 * LIMIT_FACTOR / 3  # 2 sigma
OUTLIER_RANGE_FACTOR = 3.267  # D4 for moving ranges of two points
SHIFT_POINTS = 7
TREND_POINTS = 7
MIN_POINTS = 15
SMALLEST_MIN_POINTS = 12

BEYOND_LIMIT, TREND, TWO_OF_THREE, SHIFT = "beyond limit", "trend", "two of three", "shift"
COMMON_CAUSE = "common cause"
IMPROVING, CONCERNING = "special cause improving", "special cause concerning"
HIGH, LOW = "special cause high", "special cause low"
PASSING, FAILING, HIT_AND_MISS = "consistently passing", "consistently failing", "hit and miss"
METHOD = "XmR chart: mean +/- 2.66 x mean moving range"
SCREENED = "; moving ranges of 3.267 x the mean or more left out of the limits"


def spc(
    data: pd.DataFrame,
    value: str,
    *,
    period_order: str,
    by: str | Sequence[str] | None = None,
    polarity: str = "no judgement",
    target: float | str | None = None,
    baseline: int | None = None,
    rebase_at: object | Sequence[object] | None = None,
    screen_outliers: bool = False,
    min_points: int = MIN_POINTS,
) -> pd.DataFrame:
    """XmR chart of each series: one row per point with its limits, rules and readings.

    Parameters
    ----------
    data, value:
        One row per series and period; ``value`` names the plotted column. Missing values are
        left out of the chart (their rows stay, with NaN limits).
    period_order:
        Column whose sort order is time order; periods must be equally spaced.
    by:
        Grouping column(s): one chart per group.
    polarity:
        "higher is better", "lower is better" or "no judgement".
    target:
        A number, or the name of a column (each series' latest row is used).
    baseline:
        Compute each phase's mean and limits from its first ``baseline`` points only (MDC's
        "fix the limits"; NHSRplotthedots ``fix_after_n_points``).
    rebase_at:
        A period (or periods) of ``period_order`` at which a new phase, with its own mean and
        limits, starts in every series.
    screen_outliers:
        Leave moving ranges of 3.267 x the mean moving range or more out of the limits.
    min_points:
        Fewest points a phase's limits are computed from (15, as MDC; at least 12).

    Returns
    -------
    One row per input row, in series then time order: the ``by`` columns, ``period_order``,
    ``value`` (the plotted value, whatever the input column's name), ``phase``, ``centre``,
    ``moving_range``, ``lower_process_limit``, ``upper_process_limit``, ``lower_two_sigma``,
    ``upper_two_sigma``, the flags ``beyond_limit``, ``shift``, ``trend``, ``two_of_three``,
    ``special_cause`` (the rule that reads the point, or None), ``variation``, ``target``,
    ``assurance`` (per series), ``points_in_limits``, ``statistic`` and ``method``.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    if not isinstance(period_order, str):
        raise MethodArgumentError("period_order: give the name of the column that orders time")
    require_columns(data, value=value, period_order=period_order, by=by_columns)
    direction = polarity_sign(polarity)
    target_column = _target_column(data, target)
    _check_count(baseline, "baseline", minimum=2, allow_none=True)
    _check_count(min_points, "min_points", minimum=SMALLEST_MIN_POINTS, allow_none=False)
    if not isinstance(screen_outliers, bool):
        raise MethodArgumentError(
            f"screen_outliers: must be True or False, got {screen_outliers!r}"
        )
    rebase_periods = _rebase_periods(data, period_order, rebase_at)
    values = numeric_column(data, value, "value", allow_negative=True)
    targets = (
        numeric_column(data, target_column, "target", allow_negative=True)
        if target_column
        else np.full(len(data), np.nan if target is None else float(target))
    )

    settings = {"baseline": baseline, "screen": screen_outliers, "min_points": min_points}
    out = _charts(data, by_columns, period_order, values, targets, rebase_periods,
                  direction, settings)  # fmt: skip
    out["method"] = METHOD + (SCREENED if screen_outliers else "")
    return out


def _charts(data, by_columns, period_order, values, targets, rebase_periods, direction, settings):
    """Every series' chart, gathered as arrays and made into one frame at the end."""
    keys, sizes, all_rows, columns = [], [], [], {name: [] for name in _OUTPUT_COLUMNS[:-1]}
    periods = data[period_order].to_numpy()
    for key, rows in series_in_time_order(data, by_columns, period_order):
        phase = np.cumsum(np.isin(periods[rows], rebase_periods))
        chart = _series_chart(values[rows], phase - phase[0] + 1, direction, settings)
        target = targets[rows[-1]]
        chart["assurance"] = np.full(len(rows), _assurance(chart, target, direction), dtype=object)
        chart["target"] = np.full(len(rows), target)
        for name in columns:
            columns[name].append(chart[name])
        keys.append(key)
        sizes.append(len(rows))
        all_rows.append(rows)
    out = pd.DataFrame(keys, columns=by_columns).loc[np.repeat(np.arange(len(keys)), sizes)]
    out = out.reset_index(drop=True)
    out[period_order] = periods[np.concatenate(all_rows)] if all_rows else []
    for name, parts in columns.items():
        out[name] = np.concatenate(parts) if parts else []
    return out


_FLAG_COLUMNS = ("beyond_limit", "shift", "trend", "two_of_three")
_OUTPUT_COLUMNS = [
    "value", "phase", "centre", "moving_range", "lower_process_limit", "upper_process_limit",
    "lower_two_sigma", "upper_two_sigma", "beyond_limit", "shift", "trend", "two_of_three",
    "special_cause", "variation", "target", "assurance", "points_in_limits", "statistic",
    "method",
]  # fmt: skip


def _series_chart(values: np.ndarray, phase: np.ndarray, direction: int, settings: dict) -> dict:
    """Columns of one series' chart, phase by phase."""
    n = len(values)
    chart = {name: np.full(n, np.nan) for name in _OUTPUT_COLUMNS[:8]}
    chart.update({name: np.zeros(n, dtype=bool) for name in _FLAG_COLUMNS})
    for name in ("special_cause", "variation", "statistic"):
        chart[name] = np.full(n, None, dtype=object)
    chart["points_in_limits"] = np.zeros(n, dtype=int)
    chart["value"] = values
    chart["phase"] = phase
    for number in np.unique(phase):
        in_phase = np.flatnonzero((phase == number) & np.isfinite(values))
        _fill_phase(chart, in_phase, values[in_phase], direction, settings)
    missing = ~np.isfinite(values)
    chart["statistic"][missing] = "spc: value missing"
    return chart


def _fill_phase(
    chart: dict, rows: np.ndarray, y: np.ndarray, direction: int, settings: dict
) -> None:
    """Limits, rules and readings of one phase's valid points, written into ``chart``."""
    if len(rows) == 0:
        return
    chart["moving_range"][rows[1:]] = np.abs(np.diff(y))
    used = y[: settings["baseline"]] if settings["baseline"] else y
    chart["points_in_limits"][rows] = len(used)
    if len(used) < settings["min_points"]:
        chart["statistic"][rows] = (
            f"spc: {len(used)} points in the phase; limits need at least "
            f"{settings['min_points']} (Making Data Count recommends 15)"
        )
        return
    centre, spread = _centre_and_spread(used, settings["screen"])
    limits = {
        "centre": centre,
        "lower_process_limit": centre - LIMIT_FACTOR * spread,
        "upper_process_limit": centre + LIMIT_FACTOR * spread,
        "lower_two_sigma": centre - NEAR_LIMIT_FACTOR * spread,
        "upper_two_sigma": centre + NEAR_LIMIT_FACTOR * spread,
    }
    for name, number in limits.items():
        chart[name][rows] = number
    flags, rule, sign = special_causes(y, limits)
    for name, flag in flags.items():
        chart[name][rows] = flag
    chart["special_cause"][rows] = rule
    chart["variation"][rows] = _variation(rule, sign, direction)
    chart["statistic"][rows] = "spc"


def _centre_and_spread(y: np.ndarray, screen: bool) -> tuple[float, float]:
    """The mean and the (optionally screened) mean moving range."""
    ranges = np.abs(np.diff(y))
    mean_range = ranges.mean()
    if screen and mean_range > 0:  # a flat series has nothing to screen
        mean_range = ranges[ranges < OUTLIER_RANGE_FACTOR * mean_range].mean()
    return float(y.mean()), float(mean_range)


def special_causes(y: np.ndarray, limits: dict) -> tuple[dict, np.ndarray, np.ndarray]:
    """Each rule's flags and, per point, the rule that reads it (None) and its direction."""
    side = np.sign(y - limits["centre"]).astype(int)
    beyond = (y > limits["upper_process_limit"]) | (y < limits["lower_process_limit"])
    near = ~beyond & ((y > limits["upper_two_sigma"]) | (y < limits["lower_two_sigma"]))
    trend_direction = _trend_direction(np.sign(np.diff(y)).astype(int))
    flags = {
        "beyond_limit": beyond,
        "shift": _runs_at_least(side, SHIFT_POINTS),
        "trend": trend_direction != 0,
        "two_of_three": _two_of_three(near, side),
    }
    order = ("beyond_limit", "trend", "two_of_three", "shift")  # precedence
    rule = np.select([flags[name] for name in order],
                     [BEYOND_LIMIT, TREND, TWO_OF_THREE, SHIFT], None).astype(object)  # fmt: skip
    sign = np.where(~beyond & flags["trend"], trend_direction, side)
    return flags, rule, np.where(rule == None, 0, sign)  # noqa: E711 (element-wise)


def _run_bounds(codes: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, end exclusive, code) of each run of equal non-zero codes."""
    if len(codes) == 0:
        return []
    changes = np.flatnonzero(np.diff(codes) != 0) + 1
    starts, ends = np.r_[0, changes], np.r_[changes, len(codes)]
    return [(a, b, int(codes[a])) for a, b in zip(starts, ends) if codes[a] != 0]


def _runs_at_least(side: np.ndarray, length: int) -> np.ndarray:
    flags = np.zeros(len(side), dtype=bool)
    for start, end, _ in _run_bounds(side):
        if end - start >= length:
            flags[start:end] = True
    return flags


def _trend_direction(rises: np.ndarray) -> np.ndarray:
    """Per point, +1/-1 where it is part of a trend; a point ending one trend and starting the
    next takes the later one's direction (as NHSRplotthedots reads it from the right)."""
    direction = np.zeros(len(rises) + 1, dtype=int)
    for start, end, sign in _run_bounds(rises):
        if end - start + 1 >= TREND_POINTS:  # a run of d rises spans d + 1 points
            direction[start : end + 1] = sign
    return direction


def _two_of_three(near: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Near points in any window of 3 with 2 or more near points, all 3 on one side."""
    if len(near) < 3:
        return np.zeros(len(near), dtype=bool)
    window = np.ones(3, dtype=int)
    near_count = np.convolve(near.astype(int), window, "valid")
    side_total = np.convolve(side, window, "valid")
    signal = (near_count >= 2) & (np.abs(side_total) == 3)
    covered = np.convolve(signal.astype(int), window, "full")[: len(near)] > 0
    return covered & near


def _variation(rule: np.ndarray, sign: np.ndarray, direction: int) -> np.ndarray:
    if direction == 0:
        special = np.where(sign > 0, HIGH, LOW)
    else:
        special = np.where(sign * direction > 0, IMPROVING, CONCERNING)
    return np.where(rule == None, COMMON_CAUSE, special).astype(object)  # noqa: E711


def _assurance(chart: dict, target: float, direction: int) -> str | None:
    """Assurance from the latest phase's limits."""
    lower, upper = chart["lower_process_limit"][-1], chart["upper_process_limit"][-1]
    if direction == 0 or not np.isfinite([target, lower, upper]).all():
        return None
    if target > upper:
        return FAILING if direction > 0 else PASSING
    if target < lower:
        return PASSING if direction > 0 else FAILING
    return HIT_AND_MISS


def _target_column(data: pd.DataFrame, target: object) -> str | None:
    if target is None:
        return None
    if isinstance(target, str):
        require_columns(data, target=target)
        return target
    if isinstance(target, bool) or not isinstance(target, int | float | np.number):
        raise MethodArgumentError(f"target: must be a number or a column name, got {target!r}")
    if not np.isfinite(target):
        raise MethodArgumentError(f"target: must be finite, got {target!r}")
    return None


def _check_count(number: object, argument: str, *, minimum: int, allow_none: bool) -> None:
    if number is None and allow_none:
        return
    if isinstance(number, bool) or not isinstance(number, int | np.integer) or number < minimum:
        raise MethodArgumentError(f"{argument}: must be a whole number of at least {minimum}")


def _rebase_periods(data: pd.DataFrame, period_order: str, rebase_at: object) -> np.ndarray:
    if rebase_at is None:
        return np.array([], dtype=object)
    periods = [rebase_at] if np.isscalar(rebase_at) else list(rebase_at)  # type: ignore[arg-type]
    known = set(data[period_order].tolist())
    for period in periods:
        if period not in known:
            raise MethodArgumentError(f"rebase_at: period {period!r} is not in {period_order!r}")
    return np.array(periods, dtype=object)


_RULE_WORDS = {
    BEYOND_LIMIT: "lies beyond the process limits",
    SHIFT: f"is part of a run of {SHIFT_POINTS} or more points on one side of the mean",
    TREND: f"is part of a run of {TREND_POINTS} or more points each rising or each falling",
    TWO_OF_THREE: "is one of two out of three points close to a process limit",
}
_VARIATION_WORDS = {
    IMPROVING: "special-cause variation, improving",
    CONCERNING: "special-cause variation, concerning",
    HIGH: "special-cause variation (high)",
    LOW: "special-cause variation (low)",
}


def describe_spc(row: pd.Series | dict, digits: int = 1) -> str:
    """The chart's reading of one point (usually the latest) and its assurance, in words."""
    number = lambda x: format_value(x, digits)  # noqa: E731
    value, lower, upper = row["value"], row["lower_process_limit"], row["upper_process_limit"]
    if not np.isfinite(lower) or not np.isfinite(upper):
        return f"No process limits are given: {str(row['statistic']).removeprefix('spc: ')}."
    limits = f"{number(lower)} to {number(upper)}"
    if not isinstance(row["special_cause"], str):
        text = (
            f"The value, {number(value)}, is within the process limits ({limits}) and shows "
            "no special-cause pattern: common-cause variation."
        )
    else:
        text = (
            f"The value, {number(value)}, {_RULE_WORDS[row['special_cause']]} (mean "
            f"{number(row['centre'])}, limits {limits}): "
            f"{_VARIATION_WORDS[row['variation']]}."
        )
    return " ".join([text, _assurance_words(row, number)]).strip()


def _assurance_words(row: pd.Series | dict, number) -> str:
    assurance = row.get("assurance")
    if assurance is None or not isinstance(assurance, str):
        return ""
    target = number(row["target"])
    if assurance == HIT_AND_MISS:
        return (
            f"The target, {target}, lies between the process limits, so it will be met in "
            "some periods and missed in others (hit and miss)."
        )
    side = "above the upper" if row["target"] > row["upper_process_limit"] else "below the lower"
    outcome = "consistently be met" if assurance == PASSING else "consistently not be met"
    return (
        f"The target, {target}, lies {side} process limit, so on current performance it will "
        f"{outcome}."
    )
