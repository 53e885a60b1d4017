"""Interrupted time series: segmented linear regression, with an optional comparator series.

Wagner, Soumerai, Zhang & Ross-Degnan (2002), "Segmented regression analysis of interrupted
time series studies in medication use research", J Clin Pharm Ther 27:299-309:

    y_t = b0 + b1 t + b2 after_t + b3 (t - T) after_t + e_t,   after_t = 1 where t >= T

b0 baseline level (at t = 0), b1 baseline trend, b2 level change at the intervention time T,
b3 trend change. The counterfactual is the fitted line without b2 and b3; the effect k time
units after T is b2 + b3 k.

With a comparator series (Linden 2015, "Conducting interrupted time-series analysis for single-
and multiple-group comparisons", Stata Journal 15(2):480-500, the ``itsa`` model) both series
are fitted together, the study series' terms added to the comparator's through an indicator z:
level and trend change are then the study series' changes over and above the comparator's
(difference in differences), and its counterfactual keeps the comparator's changes.

Standard errors are ordinary least squares, or Newey-West (Bartlett kernel, ``lags`` lags,
products of residuals taken within a series, the n / (n - p) small-sample factor as Stata's
``newey``) where residuals may be autocorrelated. Limits use Student's t on n - p degrees of
freedom. Fewer than 3 points before or after the intervention give NaN with the reason (Wagner
et al. recommend 12 each side; Bernal et al. 2017 discuss power for short series).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    add_limits,
    check_choice,
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

__all__ = ["describe_segmented_regression", "segmented_regression"]

FEWEST_EACH_SIDE = 3
AUTOCORRELATION = ("none", "newey-west")
STUDY, COMPARATOR = "study", "comparator"
ESTIMATE, EFFECT, SERIES = "estimate", "effect", "series"
LEVEL, TREND = "baseline level", "baseline trend"
LEVEL_CHANGE, TREND_CHANGE = "level change", "trend change"
# Terms of the comparator model: coefficients (comparator: 0-3, study minus comparator: 4-7).
COMPARATOR_TERMS = {
    LEVEL: (0, 4), TREND: (1, 5), LEVEL_CHANGE: (6,), TREND_CHANGE: (7,),
    "comparator baseline level": (0,), "comparator baseline trend": (1,),
    "comparator level change": (2,), "comparator trend change": (3,),
    "baseline level difference": (4,), "baseline trend difference": (5,),
}  # fmt: skip
SINGLE_TERMS = {LEVEL: (0,), TREND: (1,), LEVEL_CHANGE: (2,), TREND_CHANGE: (3,)}
METHOD = "segmented regression (Wagner et al. 2002)"


def segmented_regression(
    data: pd.DataFrame,
    value: str,
    time: str,
    *,
    intervention: float,
    by: str | Sequence[str] | None = None,
    comparator: str | None = None,
    autocorrelation: str = "none",
    lags: int = 1,
    effect_after: Sequence[float] | None = None,
    confidence: float | Sequence[float] = 0.95,
) -> pd.DataFrame:
    """Segmented regression of each series around ``intervention``.

    Parameters
    ----------
    data, value:
        One row per series and time point.
    time:
        Numeric time column (month number, year ...), equally spaced.
    intervention:
        The time the intervention starts: points at or after it are "after".
    by:
        Grouping column(s): one analysis per group.
    comparator:
        Column holding a comparator series' value (e.g. England's) at the same times.
    autocorrelation:
        "none" (OLS standard errors) or "newey-west" (to ``lags`` lags).
    effect_after:
        Time units after the intervention at which to give the effect (default: 0 and the
        latest time point).
    confidence:
        Level(s) of the limits.

    Returns
    -------
    One long frame; ``part`` says what each row is: "estimate" rows (``term``: baseline level,
    baseline trend, level change, trend change, and with a comparator the comparator's own
    terms and the baseline differences), "effect" rows (the effect ``time`` units after the
    intervention) with ``estimate``, ``se``, limits and ``p_value``; and "series" rows
    (``series``: study or comparator) with ``time``, ``observed``, ``fitted`` and
    ``counterfactual`` to draw. Then ``confidence``, ``statistic`` and ``method``.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    levels = confidence_levels(confidence)
    autocorrelation = check_choice(autocorrelation, "autocorrelation", AUTOCORRELATION)
    if isinstance(lags, bool) or not isinstance(lags, int | np.integer) or lags < 1:
        raise MethodArgumentError("lags: must be a whole number of at least 1")
    if isinstance(intervention, bool) or not isinstance(intervention, int | float | np.number):
        raise MethodArgumentError(f"intervention: must be a time number, got {intervention!r}")
    offsets = _effect_offsets(effect_after)
    require_columns(data, value=value, time=time, by=by_columns, comparator=comparator)
    columns = {
        "observed": numeric_column(data, value, "value", allow_negative=True),
        "time": numeric_column(data, time, "time", allow_negative=True),
    }
    if comparator is not None:
        columns["comparator"] = numeric_column(data, comparator, "comparator", allow_negative=True)

    settings = {"intervention": float(intervention), "levels": levels, "offsets": offsets,
                "autocorrelation": autocorrelation, "lags": int(lags)}  # fmt: skip
    parts = []
    for key, rows in series_in_time_order(data, by_columns, time, argument="time"):
        analysis = _analyse({name: values[rows] for name, values in columns.items()}, settings)
        parts.append({**{column: np.full(len(analysis["part"]), key[column], dtype=object)
                         for column in by_columns}, **analysis})  # fmt: skip
    if not parts:
        names = [n for pair in limit_column_names(levels) for n in pair]
        return pd.DataFrame(columns=[*by_columns, "part", "series", "term", "time", *names])
    out = pd.DataFrame({name: np.concatenate([part[name] for part in parts]) for name in parts[0]})
    for column in by_columns:
        out[column] = out[column].astype(data[column].dtype, errors="ignore")
    statistic = out.pop("statistic").to_numpy()
    method = METHOD + (f", Newey-West standard errors to lag {lags}"
                       if autocorrelation == "newey-west" else ", OLS standard errors")  # fmt: skip
    if comparator is not None:
        method += ", difference from the comparator series (Linden 2015)"
    return describe(out, levels, statistic, method)


def _effect_offsets(effect_after: object) -> tuple[float, ...] | None:
    if effect_after is None:
        return None
    offsets = [effect_after] if np.isscalar(effect_after) else list(effect_after)  # type: ignore[arg-type]
    for offset in offsets:
        if isinstance(offset, bool) or not isinstance(offset, int | float | np.number):
            raise MethodArgumentError(f"effect_after: {offset!r} is not a number")
        if offset < 0:
            raise MethodArgumentError(f"effect_after: {offset!r} is before the intervention")
    return tuple(float(o) for o in offsets)


def _design(time: np.ndarray, intervention: float) -> np.ndarray:
    after = (time >= intervention).astype(float)
    return np.column_stack([np.ones(len(time)), time, after, (time - intervention) * after])


def _analyse(series: dict, settings: dict) -> dict:
    """Estimate, effect and series rows for one series (and its comparator)."""
    time, intervention = series["time"], settings["intervention"]
    with_comparator = "comparator" in series
    single = _design(time, intervention)
    if with_comparator:
        zeros = np.zeros_like(single)
        design = np.vstack([np.hstack([single, single]), np.hstack([single, zeros])])
        y = np.concatenate([series["observed"], series["comparator"]])
        series_id = np.repeat([0, 1], len(time))
        terms, change_columns = COMPARATOR_TERMS, (6, 7)
    else:
        design, y, series_id = single, series["observed"], np.zeros(len(time), dtype=int)
        terms, change_columns = SINGLE_TERMS, (2, 3)
    complete = np.isfinite(y)
    offsets = settings["offsets"] or (0.0, float(time.max() - intervention))
    reason = _too_few(time[np.isfinite(series["observed"])], intervention)
    if reason is None and with_comparator:
        reason = _too_few(time[np.isfinite(series["comparator"])], intervention, COMPARATOR)
    if reason is not None:
        coefficients = np.full(design.shape[1], np.nan)
        covariance, degrees = np.full((design.shape[1],) * 2, np.nan), 1
    else:
        coefficients, covariance, residuals, _ = least_squares(design[complete], y[complete])
        if settings["autocorrelation"] == "newey-west":
            covariance = _newey_west(
                design[complete], residuals, series_id[complete], settings["lags"]
            )
        degrees = int(complete.sum() - design.shape[1])
    contrasts = [(term, _contrast(design.shape[1], columns)) for term, columns in terms.items()]
    for offset in offsets:
        vector = _contrast(design.shape[1], change_columns[:1])
        vector[change_columns[1]] = offset
        contrasts.append((offset, vector))
    rows = _inference(contrasts, coefficients, covariance, degrees, settings["levels"])
    drawn = _series_rows(design, y, coefficients, change_columns, series_id, time)
    return _stack(rows, drawn, reason or "segmented regression")


def _stack(estimates: dict, drawn: dict, statistic: str) -> dict:
    """Estimate/effect rows above series rows, each column filled with NaN where it is absent."""
    size_top, size_bottom = len(estimates["part"]), len(drawn["part"])
    stacked = {}
    for name in [*estimates, *(n for n in drawn if n not in estimates)]:
        top = estimates.get(name, np.full(size_top, np.nan))
        bottom = drawn.get(name, np.full(size_bottom, np.nan))
        stacked[name] = np.concatenate([top, bottom])
    stacked["statistic"] = np.full(size_top + size_bottom, statistic, dtype=object)
    return stacked


def _too_few(time: np.ndarray, intervention: float, which: str = STUDY) -> str | None:
    before, after = int((time < intervention).sum()), int((time >= intervention).sum())
    if min(before, after) < FEWEST_EACH_SIDE:
        return (
            f"segmented regression: the {which} series has {before} points before and {after} "
            f"after the intervention; at least {FEWEST_EACH_SIDE} each side are needed"
        )
    return None


def _contrast(size: int, columns: Sequence[int]) -> np.ndarray:
    vector = np.zeros(size)
    vector[list(columns)] = 1
    return vector


def _inference(contrasts, coefficients, covariance, degrees, levels) -> dict:
    """Estimate, SE, limits and p-value of each contrast c'b."""
    from scipy.special import stdtr  # Student's t distribution function, a plain ufunc

    matrix = np.array([vector for _, vector in contrasts])
    estimate = matrix @ coefficients
    variance = np.einsum("ij,jk,ik->i", matrix, covariance, matrix)
    se = np.sqrt(np.maximum(variance, 0))  # rounding can leave an exact fit's variance at -1e-17
    frame = {
        "part": np.array([ESTIMATE if isinstance(name, str) else EFFECT for name, _ in contrasts],
                         dtype=object),
        "series": np.full(len(contrasts), STUDY, dtype=object),
        "term": np.array([name if isinstance(name, str) else "effect" for name, _ in contrasts],
                         dtype=object),
        "time": np.array([np.nan if isinstance(name, str) else name for name, _ in contrasts]),
        "estimate": estimate,
        "se": se,
    }  # fmt: skip
    halves = [t_quantile(level, degrees) * se for level in levels]
    add_limits(frame, levels, [estimate - h for h in halves], [estimate + h for h in halves])
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["p_value"] = 2 * stdtr(degrees, -np.abs(estimate / se))
    return frame


def _series_rows(design, y, coefficients, change_columns, series_id, time) -> dict:
    counterfactual_design = design.copy()
    counterfactual_design[:, list(change_columns)] = 0
    return {
        "part": np.full(len(y), SERIES, dtype=object),
        "series": np.where(series_id == 0, STUDY, COMPARATOR).astype(object),
        "time": np.tile(time, series_id.max() + 1),
        "observed": y,
        "fitted": design @ coefficients,
        "counterfactual": counterfactual_design @ coefficients,
    }


def _newey_west(
    design: np.ndarray, residuals: np.ndarray, series_id: np.ndarray, lags: int
) -> np.ndarray:
    """Newey-West (1987) covariance, Bartlett weights, lags within each series only."""
    n, p = design.shape
    scores = design * residuals[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        same = series_id[lag:] == series_id[:-lag]
        cross = scores[lag:][same].T @ scores[:-lag][same]
        meat += (1 - lag / (lags + 1)) * (cross + cross.T)
    bread = np.linalg.inv(design.T @ design)
    return n / (n - p) * bread @ meat @ bread


def describe_segmented_regression(
    result: pd.DataFrame, digits: int = 1, time_unit: str = "period"
) -> str:
    """One series' segmented regression in words: trend, changes, effect, assumptions."""
    estimates = result[result["part"] == ESTIMATE].set_index("term")
    if estimates["statistic"].iloc[0] != "segmented regression":
        reason = str(estimates["statistic"].iloc[0]).removeprefix("segmented regression: ")
        return f"No interrupted time series estimate is given: {reason}."
    number = lambda x: format_value(x, digits)  # noqa: E731
    lower_name, upper_name = _first_limits(result)
    level = str(estimates["confidence"].iloc[0]).split(",")[0]

    def with_limits(row) -> str:
        return f"{number(row['estimate'])} ({level} CI {number(row[lower_name])} to " \
               f"{number(row[upper_name])})"  # fmt: skip

    relative = " relative to the comparator" if "comparator level change" in estimates.index else ""
    sentences = [
        f"Before the intervention the value was changing by "
        f"{with_limits(estimates.loc[TREND])} a {time_unit}.",
        f"At the intervention its level changed by {with_limits(estimates.loc[LEVEL_CHANGE])}"
        f"{relative}, and its trend by {with_limits(estimates.loc[TREND_CHANGE])} a "
        f"{time_unit}.",
    ]
    for _, effect in result[result["part"] == EFFECT].iterrows():
        verdict = (
            "its interval includes zero, so the data are consistent with no effect"
            if effect[lower_name] <= 0 <= effect[upper_name]
            else "its interval excludes zero, so chance alone is an unlikely explanation"
        )
        sentences.append(
            f"{effect['time']:g} {time_unit}s after the intervention the estimated "
            f"effect is {with_limits(effect)}: {verdict}."
        )
    errors = (
        "residuals allowed to be autocorrelated (Newey-West standard errors)"
        if "Newey-West" in str(estimates["method"].iloc[0])
        else "independent residuals"
    )
    sentences.append(
        f"This assumes a straight-line trend before and after, no other change at the same "
        f"time{' in the study series alone' if relative else ''}, and {errors}; it shows "
        "association, not proof that the intervention caused the change."
    )
    return " ".join(sentences)


def _first_limits(result: pd.DataFrame) -> tuple[str, str]:
    if "lowercl" in result.columns:
        return "lowercl", "uppercl"
    lower = next(c for c in result.columns if c.startswith("lower") and c.endswith("cl"))
    return lower, "upper" + lower.removeprefix("lower")
