"""Proportions with Wilson score confidence limits (R ``phe_proportion``)."""

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
    require_columns,
    require_frame,
    rows_or_group_totals,
    shape_output,
    wilson_lower,
    wilson_upper,
)


def proportion(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] | None = 0.95,
    multiplier: float = 1,
    type: str = "full",
) -> pd.DataFrame:
    """Proportion ``x / n`` with Wilson score confidence limits.

    Method: Wilson EB (1927) "Probable inference, the law of succession, and statistical
    inference", J Am Stat Assoc 22:209-212; Newcombe RG & Altman DG (2000) in "Statistics with
    confidence", 2nd edn, pp 46-48; PHE Technical Guide "Confidence intervals". Matches R
    PHEindicatormethods ``phe_proportion`` (v2).

    Without ``by`` one row is returned per input row, with the input columns kept; with ``by``
    numerators and denominators are summed per group first (NaN if any member is missing).
    ``confidence=None`` gives the proportion only. ``multiplier=100`` gives percentages.

    Output columns (type="full"): the kept columns, ``value``, the limit column(s),
    ``confidence``, ``statistic`` ("proportion of 1" or "percentage") and ``method`` ("Wilson").
    Missing numerators or denominators give NaN values.

    Raises MethodArgumentError for negative numerators, denominators not above zero, numerators
    above their denominator, non-numeric columns, a bad confidence level or type.
    """
    data = require_frame(data)
    by_cols = grouping_columns(by)
    require_columns(data, x=x, n=n, by=by_cols)
    check_choice(type, "type", OUTPUT_TYPES)
    numerators = numeric_column(data, x, "x")
    denominators = numeric_column(data, n, "n", allow_negative=True)
    if (denominators <= 0).any():
        raise MethodArgumentError(f"n: denominators in column {n!r} must be greater than zero")
    if (numerators > denominators).any():
        raise MethodArgumentError(
            f"x: numerators in column {x!r} must be less than or equal to their denominator "
            "for a proportion"
        )
    levels = () if confidence is None else confidence_levels(confidence)
    multiplier = check_positive_number(multiplier, "multiplier")

    frame, base = rows_or_group_totals(data, {x: numerators, n: denominators}, by_cols)
    xs = frame[x].to_numpy(dtype="float64")
    ns = frame[n].to_numpy(dtype="float64")
    frame["value"] = xs / ns * multiplier
    statistic = "percentage" if multiplier == 100 else f"proportion of {format_number(multiplier)}"
    if not levels:
        frame["statistic"] = statistic
        columns = [*base, "value"] + (["statistic"] if type == "full" else [])
        return frame.loc[:, columns].reset_index(drop=True)
    add_limits(
        frame,
        levels,
        [wilson_lower(xs, ns, level) * multiplier for level in levels],
        [wilson_upper(xs, ns, level) * multiplier for level in levels],
    )
    frame["confidence"] = confidence_label(levels)
    frame["statistic"] = statistic
    frame["method"] = "Wilson"
    return shape_output(frame, type, levels, base=base).reset_index(drop=True)


__all__ = ["proportion"]
