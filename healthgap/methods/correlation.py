"""Correlation between two indicators across areas: Pearson's r with Fisher's z limits, and
Spearman's rank correlation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from healthgap.methods._common import (
    OUTPUT_TYPES,
    add_limits,
    check_choice,
    confidence_label,
    confidence_levels,
    group_codes,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
    shape_output,
    z_value,
)

MIN_PAIRS = 4  # Fisher's z needs n - 3 > 0


def _pair_statistics(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(Pearson r, its two-sided p-value, Spearman rho) of the complete pairs given."""
    if len(x) < MIN_PAIRS or np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan, np.nan, np.nan
    pearson = stats.pearsonr(x, y)
    return float(pearson.statistic), float(pearson.pvalue), float(stats.spearmanr(x, y)[0])


def correlation(
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    type: str = "full",
) -> pd.DataFrame:
    """Pearson's correlation coefficient of ``x`` and ``y`` per group, over the rows where both
    are present, with confidence limits from Fisher's z transformation (z = atanh(r), standard
    error 1 / sqrt(n - 3); Fisher R A (1921) "On the probable error of a coefficient of
    correlation deduced from a small sample", Metron 1:3-32), its two-sided p-value, and
    Spearman's rank correlation.

    Output (type="full"): ``by`` keys, ``pairs`` (n), ``p_value``, ``spearman``, ``value`` (r),
    limit column(s), ``confidence``, ``statistic``, ``method``. Fewer than 4 complete pairs, or
    a variable that does not vary, give NaN with the reason in ``statistic``.
    """
    data = require_frame(data)
    by_cols = grouping_columns(by)
    require_columns(data, x=x, y=y, by=by_cols)
    check_choice(type, "type", OUTPUT_TYPES)
    levels = confidence_levels(confidence)
    x_values = numeric_column(data, x, "x", allow_negative=True)
    y_values = numeric_column(data, y, "y", allow_negative=True)
    codes, keys = group_codes(data, by_cols)
    complete = ~np.isnan(x_values) & ~np.isnan(y_values)
    results = [
        (int(rows.sum()), *_pair_statistics(x_values[rows], y_values[rows]))
        for rows in (complete & (codes == group) for group in range(len(keys)))
    ]
    pairs = np.array([row[0] for row in results], dtype=np.int64)
    r = np.array([row[1] for row in results], dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        z, spread = np.arctanh(r), 1 / np.sqrt(pairs - 3)
        lowers = [np.tanh(z - z_value(level) * spread) for level in levels]
        uppers = [np.tanh(z + z_value(level) * spread) for level in levels]
    frame = keys
    frame["pairs"] = pairs
    frame["p_value"] = [row[2] for row in results]
    frame["spearman"] = [row[3] for row in results]
    frame["value"] = r
    add_limits(frame, levels, lowers, uppers)
    frame["confidence"] = confidence_label(levels)
    frame["statistic"] = np.where(
        np.isnan(r), f"correlation (NA for fewer than {MIN_PAIRS} pairs or no variation)",
        "correlation",
    )  # fmt: skip
    frame["method"] = "Pearson, Fisher's z limits"
    return shape_output(frame, type, levels, base=by_cols, summary=["pairs", "p_value", "spearman"])


__all__ = ["correlation"]
