"""Crude rates with Byar's or exact Poisson confidence limits (R ``phe_rate``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from healthgap.methods._common import (
    OUTPUT_TYPES,
    MethodArgumentError,
    add_limits,
    check_choice,
    check_positive_number,
    confidence_label,
    confidence_levels,
    format_number,
    grouping_columns,
    numeric_column,
    poisson_count_limits,
    poisson_method,
    require_columns,
    require_frame,
    rows_or_group_totals,
    shape_output,
)


def rate(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 100000,
    type: str = "full",
) -> pd.DataFrame:
    """Crude rate ``x / n * multiplier`` with Poisson confidence limits.

    Limits use Byar's approximation for 10 or more events (Breslow NE & Day NE (1987)
    "Statistical methods in cancer research, volume II", IARC) and the exact Poisson limits
    from the chi-squared distribution below 10 events (Armitage P & Berry G (2002) "Statistical
    methods in medical research", 4th edn). Matches R PHEindicatormethods ``phe_rate`` (v2).

    Without ``by`` one row per input row, input columns kept; with ``by`` counts and
    denominators are summed per group first (NaN if any member is missing). Numerators may
    exceed denominators (rates per person-year can).

    Output columns (type="full"): kept columns, ``value``, limit column(s), ``confidence``,
    ``statistic`` ("rate per 100000") and ``method`` ("Byars" or "Exact" per row; None where the
    count is missing).
    """
    data = require_frame(data)
    by_cols = grouping_columns(by)
    require_columns(data, x=x, n=n, by=by_cols)
    check_choice(type, "type", OUTPUT_TYPES)
    counts = numeric_column(data, x, "x")
    denominators = numeric_column(data, n, "n", allow_negative=True)
    if (denominators <= 0).any():
        raise MethodArgumentError(f"n: denominators in column {n!r} must be greater than zero")
    levels = confidence_levels(confidence)
    multiplier = check_positive_number(multiplier, "multiplier")

    frame, base = rows_or_group_totals(data, {x: counts, n: denominators}, by_cols)
    xs = frame[x].to_numpy(dtype="float64")
    ns = frame[n].to_numpy(dtype="float64")
    frame["value"] = xs / ns * multiplier
    lowers, uppers = [], []
    for level in levels:
        low, high = poisson_count_limits(xs, level)
        lowers.append(low / ns * multiplier)
        uppers.append(high / ns * multiplier)
    add_limits(frame, levels, lowers, uppers)
    frame["confidence"] = confidence_label(levels)
    frame["statistic"] = f"rate per {format_number(multiplier)}"
    frame["method"] = poisson_method(xs)
    return shape_output(frame, type, levels, base=base).reset_index(drop=True)


__all__ = ["rate"]
