"""Means with Student's t confidence limits (R ``phe_mean``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from healthgap.methods._common import (
    OUTPUT_TYPES,
    add_limits,
    check_choice,
    confidence_label,
    confidence_levels,
    group_codes,
    group_sum_strict,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
    shape_output,
)


def mean(
    data: pd.DataFrame,
    x: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    type: str = "full",
) -> pd.DataFrame:
    """Mean of ``x`` per group with confidence limits from Student's t distribution.

    limits = mean -/+ t(1 - alpha/2; k - 1) * sd / sqrt(k), sd the sample standard deviation of
    the k values ("Student" (1908) "The probable error of a mean", Biometrika 6:1-25; PHE
    Technical Guide "Confidence intervals"). Matches R PHEindicatormethods ``phe_mean`` (v2):
    a missing value makes the group's sum, mean and limits NaN; ``value_count`` counts every row.

    Output (type="full"): ``by`` keys, ``value_sum``, ``value_count``, ``stdev``, ``value``,
    limit column(s), ``confidence``, ``statistic`` ("mean"), ``method``
    ("Student's t-distribution"). A group with a single value has NaN limits and ``statistic``
    "mean (limits NA for fewer than 2 values)".
    """
    data = require_frame(data)
    by_cols = grouping_columns(by)
    require_columns(data, x=x, by=by_cols)
    check_choice(type, "type", OUTPUT_TYPES)
    levels = confidence_levels(confidence)
    values = numeric_column(data, x, "x", allow_negative=True)

    codes, keys = group_codes(data, by_cols)
    n_groups = len(keys)
    count = np.bincount(codes, minlength=n_groups).astype("float64")
    total = group_sum_strict(codes, values, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        average = total / count
        squares = group_sum_strict(codes, (values - average[codes]) ** 2, n_groups)
        stdev = np.sqrt(squares / (count - 1))
        stdev[count < 2] = np.nan
        half_widths = [
            student_t.ppf(1 - (1 - level) / 2, count - 1) * stdev / np.sqrt(count)
            for level in levels
        ]
    frame = keys
    frame["value_sum"] = total
    frame["value_count"] = count.astype(np.int64)
    frame["stdev"] = stdev
    frame["value"] = average
    add_limits(
        frame, levels, [average - h for h in half_widths], [average + h for h in half_widths]
    )
    frame["confidence"] = confidence_label(levels)
    statistic = np.full(n_groups, "mean", dtype=object)
    statistic[count < 2] = "mean (limits NA for fewer than 2 values)"
    frame["statistic"] = statistic
    frame["method"] = "Student's t-distribution"
    summary = ["value_sum", "value_count", "stdev"]
    return shape_output(frame, type, levels, base=by_cols, summary=summary)


__all__ = ["mean"]
