"""Growth against a comparator: the ratio of two rate ratios (issue 12, admissions growth).

A practice's rate ratio is its rate in the second period over its rate in the first (1.127 is
growth of 12.7%); the comparator's (a cluster of practices, an ICB) is found the same way. Their
ratio says whether the practice grew faster than the comparator, and its confidence interval
whether the difference is more than chance. Each log rate ratio has standard error
sqrt(1/events before + 1/events after) (Poisson counts; Rothman KJ, Greenland S, Lash TL (2008)
"Modern Epidemiology", 3rd edn, ch. 14); the two are independent when the comparator excludes
the practice, so the log ratio of ratios has standard error sqrt(SE1^2 + SE2^2) and limits
exp(d -/+ z SE) (Altman DG, Bland JM (2003) "Interaction revisited: the difference between two
estimates", BMJ 326:219).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from healthgap.methods._common import (
    MethodArgumentError,
    add_limits,
    confidence_label,
    confidence_levels,
    limit_column_names,
    numeric_column,
    require_columns,
    require_frame,
    z_value,
)
from healthgap.methods.benchmark import compare_to_benchmark

NO_EVENTS = "Not calculated: a period with no events"
METHOD = "Ratio of rate ratios, log scale (Altman & Bland 2003)"


def ratio_of_rate_ratios(
    data: pd.DataFrame,
    *,
    before: Sequence[str],
    after: Sequence[str],
    reference_before: Sequence[str],
    reference_after: Sequence[str],
    confidence: float | Iterable[float] = (0.95, 0.998),
) -> pd.DataFrame:
    """Each row's growth between two periods against its comparator's growth.

    ``before``, ``after``, ``reference_before`` and ``reference_after`` each name two columns:
    (events, population). The comparator should not include the row's own events.

    Returns the input columns with ``rate_ratio`` and ``reference_rate_ratio`` (rate after /
    rate before), ``growth`` and ``reference_growth`` (percent), ``value`` (rate_ratio /
    reference_rate_ratio), its limits (``lower95_0cl`` ...), ``z``, ``p_value``,
    ``significance`` ("Higher 99.8%", "Higher 95%", "Similar", "Lower 95%", "Lower 99.8%"
    against 1; the outer levels need 0.95 and 0.998 in ``confidence``), ``confidence`` and
    ``method``. A row with no events in a period has NaN and the reason in ``method``.
    """
    data = require_frame(data)
    pairs = {
        "before": before,
        "after": after,
        "reference_before": reference_before,
        "reference_after": reference_after,
    }
    counts = {name: _pair(data, columns, name) for name, columns in pairs.items()}
    levels = confidence_levels(confidence)
    own_log, own_se = _log_rate_ratio(counts["before"], counts["after"])
    ref_log, ref_se = _log_rate_ratio(counts["reference_before"], counts["reference_after"])
    frame = data.copy()
    frame["rate_ratio"] = np.exp(own_log)
    frame["reference_rate_ratio"] = np.exp(ref_log)
    frame["growth"] = 100 * (frame["rate_ratio"] - 1)
    frame["reference_growth"] = 100 * (frame["reference_rate_ratio"] - 1)
    lowers, uppers = [], []
    for level in levels:
        value, lower, upper, z = compare_log_ratios(own_log, own_se, ref_log, ref_se, level)
        lowers.append(lower)
        uppers.append(upper)
    frame["value"] = value
    add_limits(frame, levels, lowers, uppers)
    frame["z"] = z
    frame["p_value"] = 2 * norm.sf(np.abs(z))
    frame["confidence"] = confidence_label(levels)
    frame["method"] = np.where(np.isfinite(z), METHOD, NO_EVENTS)
    return _with_significance(frame, levels)


def _pair(data: pd.DataFrame, columns: Sequence[str], argument: str):
    if isinstance(columns, str) or len(columns) != 2:
        raise MethodArgumentError(f"{argument}: give two column names, (events, population)")
    events, population = columns
    require_columns(data, **{argument: [events, population]})
    numbers = numeric_column(data, events, argument), numeric_column(data, population, argument)
    if (numbers[1] <= 0).any():
        raise MethodArgumentError(f"{argument}: populations in {population!r} must be above zero")
    return numbers


def _log_rate_ratio(before, after) -> tuple[np.ndarray, np.ndarray]:
    """log(rate after / rate before) and its Poisson standard error; NaN with no events."""
    (events_1, population_1), (events_2, population_2) = before, after
    usable = (events_1 > 0) & (events_2 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.log((events_2 / population_2) / (events_1 / population_1))
        se = np.sqrt(1 / events_1 + 1 / events_2)
    return np.where(usable, log_ratio, np.nan), np.where(usable, se, np.nan)


def compare_log_ratios(log_a, se_a, log_b, se_b, level: float):
    """exp(log_a - log_b) with its limits at ``level`` and the z statistic (Altman & Bland)."""
    difference = np.asarray(log_a, dtype=float) - np.asarray(log_b, dtype=float)
    se = np.sqrt(np.asarray(se_a, dtype=float) ** 2 + np.asarray(se_b, dtype=float) ** 2)
    z = z_value(level)
    return (
        np.exp(difference),
        np.exp(difference - z * se),
        np.exp(difference + z * se),
        difference / se,
    )


def _with_significance(frame: pd.DataFrame, levels) -> pd.DataFrame:
    """The five-level label against 1 (three levels without 99.8%; none without 95%)."""
    names = dict(zip(levels, limit_column_names(levels)))
    if 0.95 not in names:
        frame["significance"] = None
        return frame
    outer = dict(zip(("lower_998", "upper_998"), names[0.998])) if 0.998 in names else {}
    return compare_to_benchmark(
        frame, "value", *names[0.95], 1.0, polarity="no judgement", column="significance", **outer
    )


__all__ = ["ratio_of_rate_ratios"]
