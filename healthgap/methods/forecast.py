"""Forecast from the recent trend, with a prediction interval.

A straight line is fitted to the latest ``points`` values of each series (5 by default, the
window of Fingertips' recent-trend marker), timed 1..k, by ordinary least squares, or by
weighted least squares with weights 1/SE^2 when each value's standard error is given (directly,
or as 95% limits: SE = (upper - lower) / 3.92, as Fingertips converts them). The value ``step``
periods after the latest is forecast with the t-distribution prediction interval (k - 2 degrees
of freedom) that adds the residual variance to the line's own uncertainty:

    var = x0' Cov(b) x0 + s^2 / w0,   s^2 = sum(w r^2) / (k - 2)

(Montgomery, Peck & Vining, *Introduction to Linear Regression Analysis*, 5th ed. 2012,
s. 2.4.2; w0 = 1 unweighted, else the latest point's weight, i.e. a future value as precise as
the latest). The periods are assumed equally spaced, and the trend to go on as it has: the
interval says nothing about changes of direction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    add_limits,
    confidence_levels,
    describe,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)
from healthgap.methods._series import format_value, series_in_time_order, t_quantile
from healthgap.methods.trend import SE_DIVISOR

__all__ = ["describe_forecast", "forecast"]

DEFAULT_POINTS = 5
FEWEST_POINTS = 3  # a line and one degree of freedom for its residual variance
METHOD_OLS = "least squares line on the latest points; t prediction interval"
METHOD_WLS = "weighted (1/SE^2) least squares line on the latest points; t prediction interval"


def forecast(
    data: pd.DataFrame,
    value: str,
    *,
    period_order: str,
    by: str | Sequence[str] | None = None,
    horizon: int = 1,
    points: int = DEFAULT_POINTS,
    lower: str | None = None,
    upper: str | None = None,
    se: str | None = None,
    confidence: float | Sequence[float] = 0.95,
) -> pd.DataFrame:
    """Forecast each series ``1..horizon`` periods beyond its latest from its recent trend.

    Parameters
    ----------
    data, value:
        One row per series and period.
    period_order:
        Column whose sort order is time order (periods equally spaced).
    by:
        Grouping column(s): one forecast per group.
    horizon:
        How many periods ahead (e.g. the months left to the year end).
    points:
        How many of the latest values the line is fitted to (at least 3).
    lower, upper, se:
        Give each value's 95% limits, or its standard error, to weight the fit by 1/SE^2.
    confidence:
        Level(s) of the prediction interval.

    Returns
    -------
    One row per group and step: the ``by`` columns, ``latest_period``, ``step``, ``value``
    (the forecast), the interval (``lowercl``/``uppercl``, or per level), ``slope`` (per
    period), ``slope_se``, ``residual_sd``, ``points_used``, ``confidence``, ``statistic``
    (the reason where no forecast is given) and ``method``.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    levels = confidence_levels(confidence)
    if not isinstance(period_order, str):
        raise MethodArgumentError("period_order: give the name of the column that orders time")
    _check_whole(horizon, "horizon", 1)
    _check_whole(points, "points", FEWEST_POINTS)
    if (lower is None) != (upper is None):
        raise MethodArgumentError("lower: give both lower and upper, or neither")
    if se is not None and lower is not None:
        raise MethodArgumentError("se: give either se or lower and upper, not both")
    require_columns(
        data, value=value, period_order=period_order, by=by_columns, lower=lower, upper=upper,
        se=se,
    )  # fmt: skip
    values = numeric_column(data, value, "value", allow_negative=True)
    errors = _standard_errors(data, lower, upper, se)

    keys, latest_rows, last_rows = [], [], []
    for key, rows in series_in_time_order(data, by_columns, period_order):
        keys.append(key)
        latest_rows.append(np.concatenate([np.full(points - len(rows[-points:]), -1),
                                           rows[-points:]]))  # fmt: skip
        last_rows.append(rows[-1])
    latest = np.array(latest_rows, dtype=np.intp).reshape(len(keys), points)
    fit = _fit_lines(values, errors, latest)
    out = pd.DataFrame(keys, columns=by_columns).loc[np.repeat(np.arange(len(keys)), horizon)]
    out = out.reset_index(drop=True)
    out["latest_period"] = data[period_order].to_numpy()[
        np.repeat(np.asarray(last_rows, dtype=np.intp), horizon)
    ]
    out["step"] = np.tile(np.arange(1, horizon + 1), len(keys))
    _add_forecasts(out, fit, points, levels)
    reason = f"forecast: needs the latest {points} periods, each with a value" + (
        "" if errors is None else " and a standard error above zero"
    )
    statistic = np.where(np.repeat(fit["usable"], horizon), "forecast", reason)
    return describe(out, levels, statistic, METHOD_OLS if errors is None else METHOD_WLS)


def _fit_lines(values: np.ndarray, errors: np.ndarray | None, latest: np.ndarray) -> dict:
    """Weighted least-squares lines through every series' latest points at once.

    Closed form of the weighted normal equations for y = a + b x: with sums S0 = sum w,
    S1 = sum w x, S2 = sum w x^2, det = S0 S2 - S1^2, Cov(a, b) = s^2 [[S2, -S1], [-S1, S0]] / det.
    """
    points = latest.shape[1]
    y = np.where(latest >= 0, values[latest], np.nan)
    weights = (
        np.ones_like(y) if errors is None else np.where(latest >= 0, errors[latest], 0) ** -2.0
    )
    usable = np.isfinite(y).all(axis=1) & np.isfinite(weights).all(axis=1)
    y, weights = np.where(usable[:, None], y, 0.0), np.where(usable[:, None], weights, 1.0)
    x = np.arange(1, points + 1, dtype="float64")
    s0, s1, s2 = weights.sum(axis=1), weights @ x, weights @ x**2
    sy, sxy = (weights * y).sum(axis=1), (weights * y) @ x
    det = s0 * s2 - s1**2
    slope = (s0 * sxy - s1 * sy) / det
    intercept = (s2 * sy - s1 * sxy) / det
    residuals = y - intercept[:, None] - slope[:, None] * x
    scale = (weights * residuals**2).sum(axis=1) / (points - 2)
    return {"usable": usable, "intercept": intercept, "slope": slope, "scale": scale,
            "sums": (s0, s1, s2, det), "latest_weight": weights[:, -1]}  # fmt: skip


def _add_forecasts(out: pd.DataFrame, fit: dict, points: int, levels) -> None:
    """Forecast, prediction interval and line statistics, NaN where the line is not usable."""
    horizon = int(out["step"].max()) if len(out) else 1

    def each_step(array: np.ndarray) -> np.ndarray:
        return np.repeat(np.where(fit["usable"], array, np.nan), horizon)

    s0, s1, s2, det = (each_step(array) for array in fit["sums"])
    scale = each_step(fit["scale"])
    at = points + out["step"].to_numpy(dtype="float64")
    predicted = each_step(fit["intercept"]) + each_step(fit["slope"]) * at
    line_variance = scale * (s2 - 2 * at * s1 + at**2 * s0) / det
    spread = np.sqrt(line_variance + scale / each_step(fit["latest_weight"]))
    half_widths = [t_quantile(level, points - 2) * spread for level in levels]
    out["value"] = predicted
    add_limits(out, levels, [predicted - h for h in half_widths],
               [predicted + h for h in half_widths])  # fmt: skip
    out["slope"] = each_step(fit["slope"])
    out["slope_se"] = np.sqrt(scale * s0 / det)
    out["residual_sd"] = np.sqrt(scale)
    out["points_used"] = np.where(np.repeat(fit["usable"], horizon), points, 0)


def _standard_errors(
    data: pd.DataFrame, lower: str | None, upper: str | None, se: str | None
) -> np.ndarray | None:
    if se is not None:
        return numeric_column(data, se, "se")
    if lower is None:
        return None
    low = numeric_column(data, lower, "lower", allow_negative=True)
    high = numeric_column(data, upper, "upper", allow_negative=True)  # type: ignore[arg-type]
    if (low > high).any():
        raise MethodArgumentError("lower: a lower limit is above its upper limit")
    return (high - low) / SE_DIVISOR


def _check_whole(number: object, argument: str, minimum: int) -> None:
    if isinstance(number, bool) or not isinstance(number, int | np.integer) or number < minimum:
        raise MethodArgumentError(f"{argument}: must be a whole number of at least {minimum}")


def describe_forecast(row: pd.Series | dict, digits: int = 1, target: float | None = None) -> str:
    """One forecast row in words, with the target's place against its interval if given."""
    number = lambda x: format_value(x, digits)  # noqa: E731
    if row["statistic"] != "forecast":
        return f"No forecast is given: {str(row['statistic']).removeprefix('forecast: ')}."
    lower_name = "lowercl" if "lowercl" in row else next(k for k in row if k.startswith("lower"))
    lower, upper = row[lower_name], row[lower_name.replace("lower", "upper", 1)]
    slope = row["slope"]
    movement = f"{'a rise' if slope >= 0 else 'a fall'} of {number(abs(slope))} a period"
    level = str(row["confidence"]).split(",")[0]
    steps = "period" if row["step"] == 1 else "periods"
    text = (
        f"On the trend of the latest {row['points_used']} values ({movement}), the value "
        f"{row['step']} {steps} ahead is forecast at {number(row['value'])} ({level} "
        f"prediction interval {number(lower)} to {number(upper)})."
    )
    if target is None:
        return text
    if target > upper:
        place = "lies above the interval, so on this trend the value will probably stay below it"
    elif target < lower:
        place = "lies below the interval, so on this trend the value will probably stay above it"
    else:
        place = "lies within the interval, so the trend alone cannot say whether it will be reached"
    return f"{text} The target, {number(target)}, {place}."
