"""Indirectly standardised ratios and rates (R ``calculate_ISRatio``, ``calculate_ISRate``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
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
    group_codes,
    group_sum,
    grouping_columns,
    numeric_column,
    numeric_vector,
    poisson_count_limits,
    poisson_method,
    position_in_group,
    require_columns,
    require_frame,
    shape_output,
)


def isratio(
    data: pd.DataFrame,
    x: str,
    n: str,
    x_ref: Sequence[float] | np.ndarray | str,
    n_ref: Sequence[float] | np.ndarray | str,
    *,
    refpoptype: str = "vector",
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    refvalue: float = 1,
    observed_totals: pd.DataFrame | None = None,
    type: str = "full",
) -> pd.DataFrame:
    """Indirectly standardised ratio (e.g. a standardised mortality ratio) per group.

    ratio = observed / expected * refvalue, where expected = sum(x_ref_i / n_ref_i * n_i) over
    the standardisation categories (age bands) i. Limits are Byar's approximation for 10 or more
    observed events (Breslow NE & Day NE (1987) "Statistical methods in cancer research,
    volume II", IARC) and exact Poisson limits below 10 (Armitage P & Berry G (2002)
    "Statistical methods in medical research", 4th edn), divided by expected. Matches R
    PHEindicatormethods ``calculate_ISRatio`` (v2).

    ``refpoptype="vector"``: ``x_ref`` and ``n_ref`` are sequences of reference events and
    populations matched by position to the rows of every group (each group needs that many
    rows). ``refpoptype="field"``: they name columns of ``data``. Missing observed counts,
    populations and reference counts count as zero. Populations may be zero.

    ``observed_totals``: a frame of the ``by`` columns and ``x`` giving total observed events per
    group when ``data`` has no age breakdown of events.

    Output (type="full"): ``by`` keys, ``observed``, ``expected``, ``value``, limit column(s),
    ``confidence``, ``statistic`` ("indirectly standardised ratio x 1"), ``method``
    ("Byars"/"Exact").
    """
    return _indirect(
        data,
        x,
        n,
        x_ref,
        n_ref,
        refpoptype,
        by,
        confidence,
        observed_totals,
        type,
        scale=check_positive_number(refvalue, "refvalue"),
        as_rate=False,
    )


def isr(
    data: pd.DataFrame,
    x: str,
    n: str,
    x_ref: Sequence[float] | np.ndarray | str,
    n_ref: Sequence[float] | np.ndarray | str,
    *,
    refpoptype: str = "vector",
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 100000,
    observed_totals: pd.DataFrame | None = None,
    type: str = "full",
) -> pd.DataFrame:
    """Indirectly standardised rate per group: the ratio times the reference crude rate.

    rate = observed / expected * ref_rate, ref_rate = sum(x_ref) / sum(n_ref) * multiplier;
    limits as :func:`isratio` (Byar's from 10 observed events, exact Poisson below; Breslow &
    Day 1987). Matches R PHEindicatormethods ``calculate_ISRate`` (v2). Arguments as
    :func:`isratio`.

    Output (type="full"): ``by`` keys, ``observed``, ``expected``, ``ref_rate``, ``value``,
    limit column(s), ``confidence``, ``statistic`` ("indirectly standardised rate per 100000"),
    ``method``.
    """
    return _indirect(
        data,
        x,
        n,
        x_ref,
        n_ref,
        refpoptype,
        by,
        confidence,
        observed_totals,
        type,
        scale=check_positive_number(multiplier, "multiplier"),
        as_rate=True,
    )


def _indirect(
    data, x, n, x_ref, n_ref, refpoptype, by, confidence, observed_totals, type, *, scale, as_rate
) -> pd.DataFrame:
    data = require_frame(data)
    by_cols = grouping_columns(by)
    check_choice(refpoptype, "refpoptype", ("vector", "field"))
    check_choice(type, "type", OUTPUT_TYPES)
    require_columns(data, n=n, by=by_cols)
    if observed_totals is None:
        require_columns(data, x=x)
    else:
        require_frame(observed_totals, "observed_totals")
        require_columns(observed_totals, x=x, by=by_cols)
    levels = confidence_levels(confidence)
    pops = numeric_column(data, n, "n")

    codes, keys = group_codes(data, by_cols)
    n_groups = len(keys)
    if refpoptype == "field":
        if not isinstance(x_ref, str) or not isinstance(n_ref, str):
            raise MethodArgumentError('x_ref: with refpoptype="field" give column names')
        require_columns(data, x_ref=x_ref, n_ref=n_ref)
        ref_events = numeric_column(data, x_ref, "x_ref")
        ref_pops = numeric_column(data, n_ref, "n_ref")
    else:
        rows_per_group = np.bincount(codes, minlength=n_groups)
        position = None
        columns = {}
        for argument, values in (("x_ref", x_ref), ("n_ref", n_ref)):
            vector = numeric_vector(values, argument)
            if (rows_per_group != len(vector)).any():
                raise MethodArgumentError(
                    f"{argument}: has {len(vector)} values but each group must have exactly that "
                    "many rows (one per standardisation category, in the same order)"
                )
            if position is None:
                position = position_in_group(codes, n_groups)
            columns[argument] = vector[position]
        ref_events, ref_pops = columns["x_ref"], columns["n_ref"]

    with np.errstate(divide="ignore", invalid="ignore"):
        expected_rows = np.nan_to_num(ref_events, nan=0.0) / ref_pops * np.nan_to_num(pops)
    expected = np.bincount(codes, weights=expected_rows, minlength=n_groups)
    if observed_totals is None:
        observed = group_sum(codes, numeric_column(data, x, "x"), n_groups)
    else:
        observed = _join_totals(keys, observed_totals, x, by_cols)

    if as_rate:
        ref_rate = (
            group_sum(codes, ref_events, n_groups)
            / np.bincount(codes, weights=ref_pops, minlength=n_groups)
            * scale
        )
        factor = ref_rate
        statistic = f"indirectly standardised rate per {format_number(scale)}"
    else:
        factor = np.full(n_groups, scale)
        statistic = f"indirectly standardised ratio x {format_number(scale)}"

    frame = keys
    frame["observed"] = observed
    frame["expected"] = expected
    summary = ["observed", "expected"]
    if as_rate:
        frame["ref_rate"] = ref_rate
        summary.append("ref_rate")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["value"] = observed / expected * factor
        lowers, uppers = [], []
        for level in levels:
            low, high = poisson_count_limits(observed, level)
            lowers.append(low / expected * factor)
            uppers.append(high / expected * factor)
    add_limits(frame, levels, lowers, uppers)
    frame["confidence"] = confidence_label(levels)
    frame["statistic"] = statistic
    frame["method"] = poisson_method(observed)
    return shape_output(frame, type, levels, base=by_cols, summary=summary)


def _join_totals(
    keys: pd.DataFrame, totals: pd.DataFrame, x: str, by_cols: list[str]
) -> np.ndarray:
    """Observed totals for each group from ``observed_totals`` (NaN where a group is absent)."""
    counts = numeric_column(totals, x, "x")
    if not by_cols:
        if len(totals) != 1:
            raise MethodArgumentError("observed_totals: without by, give exactly one row")
        return counts[:1]
    table = totals.loc[:, by_cols].assign(_observed=counts)
    if table.duplicated(by_cols).any():
        raise MethodArgumentError("observed_totals: has more than one row for a group")
    plain_keys = keys.loc[:, by_cols].astype(object)
    merged = plain_keys.merge(table.astype({c: object for c in by_cols}), on=by_cols, how="left")
    return merged["_observed"].to_numpy(dtype="float64")


__all__ = ["isr", "isratio"]
