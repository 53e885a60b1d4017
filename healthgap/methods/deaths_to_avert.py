"""Deaths a year to avert for an area to reach a target's death rates ("closing the gap").

Two targets, as in the conventions of the OHID Segment Tool and Lewer et al. (Lancet Public
Health 2020;5:e33-41):

* the target's **age-specific rates** m*_a (England's, the top-quartile threshold area's, the
  least deprived decile's ...): deaths to avert = sum over bands a of (d_a - m*_a x P_a) / years;
* a **target DSR** T, the area's rates all scaled down together: (1 - T / DSR) x deaths / years.
  The shortcut (DSR - T) x population / 100,000 is right only when the area's age structure is
  the standard population's, so it is not used.

Both are observed minus expected deaths, the expected count E being fixed by the target (in the
DSR mode E = T / DSR x deaths: scaling every band's deaths scales the DSR alike, so E does not
move with the observed count). The uncertainty is therefore the Poisson uncertainty of the
observed count D alone: the exact Poisson limits below 10 deaths and Byar's approximation from 10
(as ``rate`` and ``isratio``) are put through the same linear formula, (D_lower - E) / years and
(D_upper - E) / years. The target itself is taken as known.
"""

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
    confidence_levels,
    describe,
    group_codes,
    group_sum,
    group_sum_strict,
    grouping_columns,
    numeric_column,
    poisson_count_limits,
    require_columns,
    require_frame,
    shape_output,
)
from healthgap.methods.dsr import dsr

__all__ = ["ALL_AGES", "deaths_to_avert"]

#: The ``ageband`` label of each group's total row.
ALL_AGES = "All ages"
STATISTIC = "deaths a year above the target"
STATISTIC_NONE_TO_AVERT = "no deaths to avert: at or below the target"
METHOD_RATES = (
    "observed minus expected at the target's age-specific rates; limits from the Poisson "
    "uncertainty of the observed deaths (exact below 10, Byar's from 10)"
)
METHOD_DSR = (
    "observed minus expected at the target DSR, the area's rates scaled together "
    "((1 - target / DSR) x deaths); limits from the Poisson uncertainty of the observed deaths "
    "(exact below 10, Byar's from 10)"
)


def deaths_to_avert(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    ageband: str,
    *,
    by: str | Sequence[str] | None = None,
    target_rates: pd.DataFrame | None = None,
    target_dsr: float | None = None,
    stdpop: Sequence[float] | np.ndarray | str | None = None,
    stdpoptype: str = "vector",
    multiplier: float = 100000,
    years_of_data: float = 1,
    confidence: float | Iterable[float] = 0.95,
    type: str = "full",
) -> pd.DataFrame:
    """Deaths a year that would not happen if each group had the target's death rates.

    Parameters
    ----------
    data:
        Deaths and population by age band for each group (``by``: area, sex, cause, ward, LSOA
        ...). Several rows of one group and band (one per year, say) are added together, so
        ``years_of_data`` is the number of years the deaths and populations cover.
    target_rates:
        Age-specific rates to reach, as a DataFrame with the ``ageband`` column and the same
        ``deaths`` and ``population`` columns (e.g. England's rows over the same years): the
        rate of a band is its deaths over its population. Any ``by`` columns it has (sex,
        cause) are matched too, so England's male rates apply to the area's men. It must have
        a rate for every band and key found in ``data``, and the same set of bands.
    target_dsr:
        Instead of ``target_rates``: a DSR per ``multiplier`` to reach; each group's DSR is
        :func:`dsr` of its rows with ``stdpop``/``stdpoptype`` (default the 19-band ESP 2013,
        matched by position, so give the rows in age order).
    years_of_data:
        The observed and expected deaths are divided by it: deaths a year.
    confidence, type:
        As the other methods.

    Returns
    -------
    One row per group and band (bands in the order first seen), then the group's total with
    ``ageband`` "All ages": the ``by`` columns, ``ageband``, ``observed`` and ``expected``
    deaths a year, ``value`` (observed minus expected: deaths a year to avert), the limits,
    ``confidence``, ``statistic`` and ``method``. The bands add up to the total exactly.

    A target in the wrong direction (rates or DSR above the area's) is not an error: the value
    is negative, so that bands still add up to the total, and ``statistic`` says "no deaths to
    avert: at or below the target" wherever the value is 0 or less. With a target DSR, a group
    whose DSR is not given (fewer than 10 deaths) is NaN with the reason in ``statistic``.

    Raises MethodArgumentError naming the argument: neither or both targets, a missing column
    (an ``ageband`` column absent from ``target_rates`` included), bands of ``data`` and
    ``target_rates`` that do not match, negative deaths, populations not above zero.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    require_columns(data, deaths=deaths, population=population, ageband=ageband, by=by_columns)
    if (target_rates is None) == (target_dsr is None):
        raise MethodArgumentError("target_rates: give either target_rates or target_dsr")
    levels = confidence_levels(confidence)
    check_choice(type, "type", OUTPUT_TYPES)
    years = check_positive_number(years_of_data, "years_of_data")
    band_codes, band_labels = pd.factorize(data[ageband], sort=False)  # bands as first seen
    if (band_codes < 0).any():
        raise MethodArgumentError(f"ageband: column {ageband!r} has missing values")
    observed = np.nan_to_num(numeric_column(data, deaths, "deaths"))
    pops = numeric_column(data, population, "population", allow_negative=True)
    if not (pops > 0).all():
        raise MethodArgumentError(
            f"population: column {population!r} must be above zero with no missing values"
        )

    row_group, groups = group_codes(data, by_columns)
    if target_rates is not None:
        expected = pops * _target_rate_per_row(
            data, target_rates, deaths, population, ageband, by_columns
        )
        reason = None
        method = METHOD_RATES
    else:
        target = check_positive_number(target_dsr, "target_dsr")
        expected, reason = _expected_at_target_dsr(
            data,
            deaths,
            population,
            target,
            row_group,
            by=by_columns or None,
            stdpop=stdpop,
            stdpoptype=stdpoptype,
            multiplier=multiplier,
        )
        method = METHOD_DSR

    frame = _band_and_total_rows(
        (row_group, groups), (ageband, band_codes, band_labels), observed, expected, reason
    )
    _add_values_and_limits(frame, levels, years)
    describe(frame, levels, _statistic(frame), method)
    return shape_output(
        frame, type, levels, base=[*by_columns, ageband], summary=["observed", "expected"]
    )


def _target_rate_per_row(
    data: pd.DataFrame,
    target_rates: object,
    deaths: str,
    population: str,
    ageband: str,
    by_columns: list[str],
) -> np.ndarray:
    """The target's rate (deaths / population) for each row of ``data``, matched by band."""
    target = require_frame(target_rates, "target_rates")
    for column in (ageband, deaths, population):
        if column not in target.columns:
            raise MethodArgumentError(
                f"target_rates: column {column!r} is not in target_rates "
                f"(columns: {list(target.columns)})"
            )
    keys = [column for column in by_columns if column in target.columns] + [ageband]
    missing_bands = set(target[ageband]) ^ set(data[ageband])
    if missing_bands:
        shown = ", ".join(sorted(map(str, missing_bands)))
        raise MethodArgumentError(
            f"target_rates: its age bands do not match those of data (in one only: {shown})"
        )
    codes, target_keys = group_codes(target, keys)
    target_deaths = group_sum(
        codes, numeric_column(target, deaths, "target_rates"), len(target_keys)
    )
    target_pops = group_sum(
        codes, numeric_column(target, population, "target_rates"), len(target_keys)
    )
    if not (target_pops > 0).all():
        raise MethodArgumentError(f"target_rates: column {population!r} must be above zero")
    target_keys["_target_rate"] = target_deaths / target_pops
    matched = data[keys].merge(target_keys, on=keys, how="left", validate="many_to_one")
    rate = matched["_target_rate"].to_numpy()
    if np.isnan(rate).any():
        first = matched.loc[np.isnan(rate), keys].iloc[0].to_dict()
        raise MethodArgumentError(f"target_rates: no target rate for {first}")
    return rate


def _expected_at_target_dsr(
    data: pd.DataFrame, deaths: str, population: str, target: float, row_group, **dsr_options
) -> tuple[np.ndarray, np.ndarray]:
    """Expected deaths per row, T / DSR x deaths, and each group's reason (None if given)."""
    rates = dsr(data, deaths, population, **dsr_options)
    # dsr's rows are the same sorted groups as row_group's.
    scale = (target / rates["value"].to_numpy())[row_group]
    expected = scale * np.nan_to_num(numeric_column(data, deaths, "deaths"))
    reason = np.array("not calculated, " + rates["statistic"].astype(object), dtype=object)
    reason[rates["value"].notna().to_numpy()] = None
    return expected, reason


def _band_and_total_rows(
    grouping: tuple[np.ndarray, pd.DataFrame],
    bands: tuple[str, np.ndarray, pd.Index],
    observed: np.ndarray,
    expected: np.ndarray,
    group_reason: np.ndarray | None,
) -> pd.DataFrame:
    """Observed and expected deaths per group and band, each group followed by its total."""
    (row_group, totals), (ageband, band_codes, band_labels) = grouping, bands
    n_groups = len(totals)
    pair = pd.DataFrame({"group": row_group, "band": band_codes})
    pair_codes, pairs = group_codes(pair, ["group", "band"])  # integer keys: fast
    group_of_band = pairs["group"].to_numpy()
    band_rows = totals.iloc[group_of_band].reset_index(drop=True)
    band_rows[ageband] = band_labels.to_numpy(dtype=object)[pairs["band"].to_numpy()]
    n_bands = len(band_rows)
    band_rows["observed"] = group_sum(pair_codes, observed, n_bands)
    # Expected deaths are NaN where a group's DSR is not given, and must stay so in the sums.
    band_rows["expected"] = group_sum_strict(pair_codes, expected, n_bands)
    totals = totals.copy()
    totals["observed"] = group_sum(group_of_band, band_rows["observed"].to_numpy(), n_groups)
    totals["expected"] = group_sum_strict(group_of_band, band_rows["expected"].to_numpy(), n_groups)
    totals[ageband] = ALL_AGES
    if group_reason is not None:
        band_rows["_reason"] = group_reason[group_of_band]
        totals["_reason"] = group_reason
    frame = pd.concat([band_rows, totals], ignore_index=True)
    return frame.take(_totals_after_their_bands(group_of_band, n_groups)).reset_index(drop=True)


def _totals_after_their_bands(group_of_band: np.ndarray, n_groups: int) -> np.ndarray:
    """Row order putting each group's total after its bands (band rows are in group order)."""
    n_bands = len(group_of_band)
    bands_to_date = np.cumsum(np.bincount(group_of_band, minlength=n_groups))
    order = np.empty(n_bands + n_groups, dtype=np.intp)
    order[np.arange(n_bands) + group_of_band] = np.arange(n_bands)
    order[bands_to_date + np.arange(n_groups)] = n_bands + np.arange(n_groups)
    return order


def _add_values_and_limits(frame: pd.DataFrame, levels: Sequence[float], years: float) -> None:
    """Deaths a year (observed minus expected) with Poisson limits on the observed count."""
    count = frame["observed"].to_numpy()
    expected = frame["expected"].to_numpy()
    lowers, uppers = [], []
    for level in levels:
        low, high = poisson_count_limits(count, level)
        lowers.append((low - expected) / years)
        uppers.append((high - expected) / years)
    frame["observed"] = count / years
    frame["expected"] = expected / years
    frame["value"] = (count - expected) / years
    add_limits(frame, levels, lowers, uppers)


def _statistic(frame: pd.DataFrame) -> np.ndarray:
    value = frame["value"].to_numpy()
    labels = np.array([STATISTIC_NONE_TO_AVERT, STATISTIC], dtype=object)
    statistic = labels[(value > 0).astype(np.intp)]
    if "_reason" in frame.columns:
        reason = frame.pop("_reason").to_numpy(dtype=object)
        has_reason = pd.notna(reason)
        statistic[has_reason] = reason[has_reason]
    return statistic
