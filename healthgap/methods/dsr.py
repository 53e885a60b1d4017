"""Directly standardised rates with Dobson confidence limits (R ``calculate_dsr``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    OUTPUT_TYPES,
    MethodArgumentError,
    add_limits,
    all_at_least,
    byars_lower,
    byars_upper,
    check_choice,
    check_positive_number,
    confidence_label,
    confidence_levels,
    contiguous_group_starts,
    format_number,
    group_codes,
    group_sum,
    grouping_columns,
    numeric_column,
    numeric_vector,
    position_in_group,
    require_columns,
    require_frame,
    shape_output,
)

#: European Standard Population 2013 (Eurostat), 19 five-year bands 0-4, 5-9, ..., 85-89, 90+.
ESP2013 = np.array(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    dtype="float64",
)  # fmt: skip

#: Below this many events in a group no DSR is given (PHE Technical Guide).
MIN_TOTAL_COUNT = 10


def dsr(
    data: pd.DataFrame,
    x: str,
    n: str,
    *,
    stdpop: Sequence[float] | np.ndarray | str | None = None,
    stdpoptype: str = "vector",
    by: str | Sequence[str] | None = None,
    confidence: float | Iterable[float] = 0.95,
    multiplier: float = 100000,
    independent_events: bool = True,
    eventfreq: str | None = None,
    ageband: str | None = None,
    type: str = "full",
) -> pd.DataFrame:
    """Directly standardised rate per group with Dobson confidence limits.

    DSR = sum(w_i * x_i / n_i) / sum(w_i) * multiplier over the standardisation categories
    (age bands) i, with standard population weights w_i. Limits follow Dobson A, Kuulasmaa K,
    Eberle E & Scherer J (1991) "Confidence intervals for weighted sums of Poisson parameters",
    Stat Med 10:457-462: the Byar's limits of the total count (Breslow & Day 1987) are scaled
    by sqrt(var(DSR) / total count), var(DSR) = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2. Matches R
    PHEindicatormethods ``calculate_dsr`` (v2.1), including the adjustment for
    non-independent events described in the OHID Public Health Technical Guidance.

    Parameters
    ----------
    stdpop, stdpoptype
        ``stdpoptype="vector"`` (default): ``stdpop`` is a sequence matched *by position* to the
        rows of each group (default: the 19-band European Standard Population 2013, ``ESP2013``);
        every group must have exactly ``len(stdpop)`` rows, in the same age order.
        ``stdpoptype="field"``: ``stdpop`` names a column of ``data``; groups may then have
        different numbers of age bands.
    independent_events, eventfreq, ageband
        With ``independent_events=False``, ``x`` counts *people* who had each number of events
        given in column ``eventfreq`` (1, 2, 3 ...), one row per group, age band (column
        ``ageband``) and frequency. The DSR uses events = sum(eventfreq * x); its variance is
        sum over frequencies of eventfreq^2 * the variance from the people counts, which widens
        the limits. A vector ``stdpop`` is then matched to the age bands in the order they first
        appear in ``data``; each group needs every age band.

    Missing counts count as zero. A group with fewer than 10 events in total gets NaN value and
    limits and ``statistic`` "dsr NA for total count < 10".

    Output columns (type="full"): ``by`` keys, ``total_count``, ``total_pop``, ``value``,
    limit column(s), ``confidence``, ``statistic`` ("dsr per 100000") and ``method`` ("Dobson",
    or "Dobson, with confidence adjusted for non-independent events").

    Raises MethodArgumentError for negative counts or standard populations, populations that
    are missing or not above zero, groups whose row count differs from the standard population
    (a missing age band), rows of one group and age band with different populations,
    non-numeric columns, a bad confidence level, multiplier or type.
    """
    data = require_frame(data)
    by_cols = grouping_columns(by)
    check_choice(stdpoptype, "stdpoptype", ("vector", "field"))
    check_choice(type, "type", OUTPUT_TYPES)
    if not isinstance(independent_events, bool | np.bool_):
        raise MethodArgumentError("independent_events: must be True or False")
    require_columns(data, x=x, n=n, by=by_cols)
    if stdpoptype == "field":
        if not isinstance(stdpop, str):
            raise MethodArgumentError('stdpop: with stdpoptype="field" give a column name')
        require_columns(data, stdpop=stdpop)
    if not independent_events:
        if eventfreq is None:
            raise MethodArgumentError("eventfreq: required when independent_events is False")
        if ageband is None:
            raise MethodArgumentError("ageband: required when independent_events is False")
        require_columns(data, eventfreq=eventfreq, ageband=ageband)
    levels = confidence_levels(confidence)
    multiplier = check_positive_number(multiplier, "multiplier")

    counts = numeric_column(data, x, "x")
    pops = numeric_column(data, n, "n", allow_negative=True)
    if not all_at_least(pops, np.nextafter(0, 1)):  # NaN fails it too
        if np.isnan(pops).any():
            raise MethodArgumentError(f"n: column {n!r} cannot have missing values")
        raise MethodArgumentError(f"n: populations in column {n!r} must be greater than zero")

    codes, keys = group_codes(data, by_cols)
    n_groups = len(keys)
    if independent_events:
        weights = _standard_weights(data, stdpop, stdpoptype, codes, n_groups)
        rows_once = None
        frequency = None
    else:
        frequency = numeric_column(data, eventfreq, "eventfreq")
        if np.isnan(frequency).any():
            raise MethodArgumentError(f"eventfreq: column {eventfreq!r} cannot have missing values")
        band_codes, bands = pd.factorize(data[ageband], use_na_sentinel=True)
        if (band_codes < 0).any():
            raise MethodArgumentError(f"ageband: column {ageband!r} cannot have missing values")
        pair = codes.astype(np.int64) * len(bands) + band_codes
        if stdpoptype == "vector":
            vector = _vector(stdpop)
            if len(vector) != len(bands):
                raise MethodArgumentError(
                    f"stdpop: has {len(vector)} values but column {ageband!r} has "
                    f"{len(bands)} age bands"
                )
            weights = vector[band_codes]
        else:
            weights = numeric_column(data, stdpop, "stdpop")
            if np.isnan(weights).any():
                raise MethodArgumentError(f"stdpop: column {stdpop!r} cannot have missing values")
        rows_once = _first_of_each(pair)
        _check_constant_within(pair, rows_once, pops, weights)
        if stdpoptype == "vector":
            bands_per_group = np.bincount(codes[rows_once], minlength=n_groups)
            if (bands_per_group != len(bands)).any():
                raise MethodArgumentError(
                    f"ageband: every group needs all {len(bands)} age bands of stdpop"
                )

    starts = contiguous_group_starts(codes, n_groups)
    present = counts if all_at_least(counts, 0) else np.nan_to_num(counts, nan=0.0)
    ratio = weights / pops
    if independent_events:
        events = present
        weighted = present * ratio
        person_variance = np.multiply(weighted, ratio, out=ratio)
        total_pop = group_sum(codes, pops, n_groups, starts)
        if stdpoptype == "vector":  # every group has every band, so the total is the vector's
            weight_total = np.full(n_groups, float(np.sum(_vector(stdpop))))
        else:
            weight_total = group_sum(codes, weights, n_groups, starts)
    else:
        events = frequency * present
        weighted = events * ratio
        person_variance = frequency**2 * present * ratio**2
        once = rows_once.astype("float64")
        total_pop = group_sum(codes, pops * once, n_groups)
        weight_total = group_sum(codes, weights * once, n_groups)
    total_count = group_sum(codes, events, n_groups, starts)
    weighted_rate = group_sum(codes, weighted, n_groups, starts)
    variance = group_sum(codes, person_variance, n_groups, starts) / weight_total**2
    with np.errstate(divide="ignore", invalid="ignore"):
        value = weighted_rate / weight_total * multiplier
        scale = np.sqrt(variance / total_count) * multiplier
        lowers = [value + scale * (byars_lower(total_count, lv) - total_count) for lv in levels]
        uppers = [value + scale * (byars_upper(total_count, lv) - total_count) for lv in levels]

    small = total_count < MIN_TOTAL_COUNT
    frame = keys
    frame["total_count"] = total_count
    frame["total_pop"] = total_pop
    frame["value"] = np.where(small, np.nan, value)
    add_limits(
        frame,
        levels,
        [np.where(small, np.nan, low) for low in lowers],
        [np.where(small, np.nan, high) for high in uppers],
    )
    frame["confidence"] = confidence_label(levels)
    statistic = np.full(n_groups, f"dsr per {format_number(multiplier)}", dtype=object)
    statistic[small] = f"dsr NA for total count < {MIN_TOTAL_COUNT}"
    frame["statistic"] = statistic
    frame["method"] = (
        "Dobson"
        if independent_events
        else "Dobson, with confidence adjusted for non-independent events"
    )
    return shape_output(frame, type, levels, base=by_cols, summary=["total_count", "total_pop"])


def _standard_weights(
    data: pd.DataFrame,
    stdpop: Sequence[float] | np.ndarray | str | None,
    stdpoptype: str,
    codes: np.ndarray,
    n_groups: int,
) -> np.ndarray:
    """Standard population weight for each row (independent events)."""
    if stdpoptype == "field":
        weights = numeric_column(data, stdpop, "stdpop")
        if not all_at_least(weights, 0) and np.isnan(weights).any():
            raise MethodArgumentError(f"stdpop: column {stdpop!r} cannot have missing values")
        return weights
    vector = _vector(stdpop)
    rows_per_group = np.bincount(codes, minlength=n_groups)
    wrong = np.flatnonzero(rows_per_group != len(vector))
    if len(wrong):
        raise MethodArgumentError(
            f"stdpop: has {len(vector)} values but {len(wrong)} group(s) have a different number "
            f"of rows (first: {int(rows_per_group[wrong[0]])} rows); each group needs one row per "
            "standard population band, in the same order (is an age band missing?)"
        )
    return vector[position_in_group(codes, n_groups)]


def _vector(stdpop) -> np.ndarray:
    return numeric_vector(ESP2013 if stdpop is None else stdpop, "stdpop")


def _first_of_each(pair: np.ndarray) -> np.ndarray:
    """Boolean mask of the first row of each distinct ``pair`` code."""
    uniques, inverse = np.unique(pair, return_inverse=True)
    first = np.full(len(uniques), len(pair), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(pair)))
    mask = np.zeros(len(pair), dtype=bool)
    mask[first] = True
    return mask


def _check_constant_within(
    pair: np.ndarray, rows_once: np.ndarray, pops: np.ndarray, weights: np.ndarray
) -> None:
    """Each group and age band must have one population and one standard population."""
    uniques, inverse = np.unique(pair, return_inverse=True)
    first_row = np.flatnonzero(rows_once)
    first_of = np.empty(len(uniques), dtype=np.int64)
    first_of[inverse[first_row]] = first_row
    reference = first_of[inverse]
    if (pops != pops[reference]).any() or (weights != weights[reference]).any():
        raise MethodArgumentError(
            "n: rows with the same group and age band have different populations (n) or "
            "standard populations (stdpop)"
        )


__all__ = ["ESP2013", "dsr"]
