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
    limit_column_names,
    numeric_column,
    require_columns,
    require_frame,
)
from healthgap.methods._series import (
    format_value,
    least_squares,
    series_in_time_order,
    t_quantile,
)
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

    frames = []
    for key, rows in series_in_time_order(data, by_columns, period_order):
        latest = rows[-points:]
        fit = _fit(values[latest], None if errors is None else errors[latest], points, levels)
        frame = pd.DataFrame({**key, "latest_period": data[period_order].to_numpy()[rows[-1]]},
                             index=range(horizon))  # fmt: skip
        frame["step"] = np.arange(1, horizon + 1)
        frames.append(_forecast_frame(frame, fit, levels))
    if not frames:
        columns = [*by_columns, "latest_period", "step", "value"]
        return pd.DataFrame(
            columns=columns + [n for pair in limit_column_names(levels) for n in pair]
        )
    out = pd.concat(frames, ignore_index=True)
    statistic = out.pop("statistic").to_numpy()
    return describe(out, levels, statistic, METHOD_OLS if errors is None else METHOD_WLS)


def _fit(y: np.ndarray, errors: np.ndarray | None, points: int, levels) -> dict:
    """The line through one series' latest points, or the reason there is none."""
    usable = len(y) == points and np.isfinite(y).all()
    if errors is not None:
        usable = usable and bool(np.isfinite(errors).all() and (errors > 0).all())
    if not usable:
        return {"reason": f"forecast: needs the latest {points} periods, each with a value"
                + ("" if errors is None else " and a standard error above zero")}  # fmt: skip
    weights = None if errors is None else 1 / errors**2
    time = np.arange(1, points + 1, dtype="float64")
    design = np.column_stack([np.ones(points), time])
    coefficients, covariance, _, scale = least_squares(design, y, weights)
    return {
        "coefficients": coefficients,
        "covariance": covariance,
        "scale": scale,
        "latest_weight": 1.0 if weights is None else weights[-1],
        "points": points,
    }


def _forecast_frame(frame: pd.DataFrame, fit: dict, levels) -> pd.DataFrame:
    if "reason" in fit:
        frame["value"] = np.nan
        add_limits(frame, levels, [np.full(len(frame), np.nan)] * len(levels),
                   [np.full(len(frame), np.nan)] * len(levels))  # fmt: skip
        frame["slope"] = frame["slope_se"] = frame["residual_sd"] = np.nan
        frame["points_used"] = 0
        frame["statistic"] = fit["reason"]
        return frame
    at = np.column_stack([np.ones(len(frame)), fit["points"] + frame["step"].to_numpy()])
    predicted = at @ fit["coefficients"]
    variance = (
        np.einsum("ij,jk,ik->i", at, fit["covariance"], at) + fit["scale"] / fit["latest_weight"]
    )
    half_widths = [t_quantile(level, fit["points"] - 2) * np.sqrt(variance) for level in levels]
    frame["value"] = predicted
    add_limits(frame, levels, [predicted - h for h in half_widths],
               [predicted + h for h in half_widths])  # fmt: skip
    frame["slope"] = fit["coefficients"][1]
    frame["slope_se"] = np.sqrt(fit["covariance"][1, 1])
    frame["residual_sd"] = np.sqrt(fit["scale"])
    frame["points_used"] = fit["points"]
    frame["statistic"] = "forecast"
    return frame


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
