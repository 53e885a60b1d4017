"""Life expectancy from an abridged life table (Chiang II) with Silcocks et al. confidence limits.

Follows the published methodology of PHE's Life Expectancy Calculator as implemented by
``phe_life_expectancy`` in the R package PHEindicatormethods (v2.x):

* abridged life table with age bands 0, 1-4, 5-9, ..., 85-89, 90+ completed by Chiang's
  method (Chiang CL, *The Life Table and its Construction*, in *Introduction to Stochastic
  Processes in Biostatistics*, Wiley 1968 and 1984; Newell C, *Methods and Models in Demography*,
  Wiley 1994): fraction of the interval lived by those dying a = 0.1 in the first year of life
  and 0.5 elsewhere, the final open interval's person-years l / M;
* variance of life expectancy as Chiang's weighted sum of the variances of the probabilities of
  dying, with the final-interval term of Silcocks PBS, Jenner DA & Reza R (2001) "Life expectancy
  as a summary of mortality in a population: statistical considerations and suitability for use
  by health authorities", J Epidemiol Community Health 55:38-43;
* no figure when total person-years are 5,000 or fewer (Toson & Baker 2003, ONS Methodology
  Series 33) and the point estimate suppressed when the 95% interval is wider than 20 years
  (PHE Fingertips technical guide; Eayres & Williams 2004, JECH 58:243-249).

The whole life table is computed as (groups x bands) array arithmetic: no Python loop over
groups, so thousands of areas take well under a second.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from healthgap.methods._common import (
    MethodArgumentError,
    add_limits,
    confidence_levels,
    describe,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)
from healthgap.methods._life_table import (
    DEFAULT_AGE_CONTENTS,
    band_index,
    check_age_contents,
    chiang_life_table,
    label_key,
    start_age,
)

__all__ = ["DEFAULT_AGE_CONTENTS", "life_expectancy"]

METHOD = "Chiang, using Silcocks et al for confidence limits"
MIN_TOTAL_POPULATION = 5000
MAX_CI_WIDTH = 20.0

# Warning texts as the R package words them (so users of both recognise them).
WARN_NEGATIVE_DEATHS = "some age bands have negative deaths; outputs have been suppressed to NAs"
WARN_ZERO_POPS = (
    "some age bands have a zero or less population; outputs have been suppressed to NAs"
)
WARN_INCOMPLETE = (
    "some groups do not contain records for all age bands; life expectancy cannot be "
    "calculated for these. These groups will contain NAs."
)
WARN_DEATHS_OVER_POPS = (
    "some age bands have more deaths than population; outputs have been suppressed to NAs"
)
WARN_LOW_POPS = (
    "some groups have a total population of less than 5,000; outputs have been suppressed to NAs"
)
WARN_WIDE_CI = (
    "some life expectancy values have a 95% confidence interval > 20 years; these values have "
    "been suppressed to NAs"
)
WARN_LE_AGE = (
    "le_age not in the vector described by age_contents; all life expectancies will be returned"
)
# healthgap additions (R reaches NA here too, but says so only through the wide-CI warning).
WARN_MISSING = "some age bands have missing deaths or population; outputs have been suppressed"
WARN_NO_FINAL_DEATHS = (
    "some groups have no deaths in the final (open) age band, so life expectancy cannot be "
    "calculated for them; outputs have been suppressed to NAs"
)

# Group-level reasons, in the order the R package applies its checks.
_REASONS = (
    ("missing", "missing deaths or population in an age band", WARN_MISSING),
    ("negative_deaths", "negative deaths in an age band", WARN_NEGATIVE_DEATHS),
    ("zero_pops", "zero or negative population in an age band", WARN_ZERO_POPS),
    ("incomplete", "not every age band is present", WARN_INCOMPLETE),
    ("deaths_over_pops", "more deaths than population in an age band", WARN_DEATHS_OVER_POPS),
    ("low_pops", "total population of 5,000 or less", WARN_LOW_POPS),
    ("no_final_deaths", "no deaths in the final age band", WARN_NO_FINAL_DEATHS),
)


def life_expectancy(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    startage: str,
    *,
    by: str | Sequence[str] | None = None,
    age_contents: Sequence[int | str] = DEFAULT_AGE_CONTENTS,
    le_age: str | int | Sequence[int | str] = "all",
    confidence: float | Sequence[float] = 0.95,
    type: str = "full",
) -> pd.DataFrame:
    """Life expectancy at each age band, with confidence limits, for each group.

    Parameters
    ----------
    data:
        One row per group and age band.
    deaths, population, startage:
        Column names: deaths and mid-year population (person-years) in the band, and the
        band's label (``0, 1, 5, ..., 90`` or text such as ``"5-9"`` or ``"90 +"``; the first
        number in the label is taken as the band's start age).
    by:
        Grouping column(s): one life table per group (area, sex, period ...).
    age_contents:
        Every band label, youngest first; the first must start at age 0. Each group needs
        each band exactly once.
    le_age:
        ``"all"`` or the band label(s) to return life expectancy at.
    confidence:
        0.95 (default) or several levels such as ``(0.95, 0.998)``.
    type:
        ``"full"`` adds ``pops_used``/``dths_used`` (person-years and deaths at and above the
        age), ``confidence``, ``statistic`` and ``method``; ``"standard"`` gives the value and
        limits only.

    Returns
    -------
    DataFrame with the ``by`` columns, ``startage``, ``value``, the limits and (full) the
    metadata columns, one row per group and requested age, groups in sorted key order.

    Rules (as PHEindicatormethods' ``phe_life_expectancy``)
    -------------------------------------------------------
    A group gets NaN throughout, with the reason in ``statistic`` and a warning, when any band
    has negative deaths, a population of zero or less, more deaths than population, when the
    group lacks a band, or when its total population is 5,000 or less. A value whose 95%
    interval is wider than 20 years is NaN (its limits are kept). With no deaths in the final
    band the table cannot be closed (its person-years are l/M), so the group is NaN; zero deaths
    in other bands are fine. Band labels in ``startage`` that are not in ``age_contents`` (or
    the reverse, over the whole data) and a band repeated within a group raise
    :class:`MethodArgumentError`.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    require_columns(data, deaths=deaths, population=population, startage=startage, by=by_columns)
    levels = confidence_levels(confidence)
    if type not in ("full", "standard"):
        raise MethodArgumentError(f"type: must be 'full' or 'standard', got {type!r}")

    contents = check_age_contents(age_contents)
    n_bands = len(contents)
    start_ages = np.array([start_age(label) for label in contents], dtype="float64")

    death_values = numeric_column(data, deaths, "deaths", allow_negative=True)
    pop_values = numeric_column(data, population, "population", allow_negative=True)
    band = band_index(data[startage], contents)

    codes, keys = _group_codes(data, by_columns)
    n_groups = len(keys)
    band_counts = np.zeros((n_groups, n_bands), dtype=np.int64)
    np.add.at(band_counts, (codes, band), 1)
    repeated = np.argwhere(band_counts > 1)
    if len(repeated):
        g, b = repeated[0]
        where = _describe_group(keys, g, by_columns)
        raise MethodArgumentError(
            f"startage: age band {contents[b]!r} appears more than once{where}; "
            "each group needs each band of age_contents exactly once"
        )

    # (groups x bands) matrices; absent bands stay NaN.
    deaths_m = np.full((n_groups, n_bands), np.nan)
    pops_m = np.full((n_groups, n_bands), np.nan)
    deaths_m[codes, band] = death_values
    pops_m[codes, band] = pop_values
    present = band_counts == 1

    reasons = _group_reasons(deaths_m, pops_m, present)
    computable = ~np.any(np.stack([mask for mask in reasons.values()]), axis=0)

    centre, se = _chiang_life_table(deaths_m, pops_m, start_ages)
    for key, _, warning in _REASONS:
        if reasons[key].any():
            warnings.warn(warning, stacklevel=2)
    centre[~computable] = np.nan
    se[~computable] = np.nan

    z95 = float(norm.ppf(0.975))
    with np.errstate(invalid="ignore"):
        wide = computable[:, None] & (z95 * se > MAX_CI_WIDTH / 2)
    if wide.any():
        warnings.warn(WARN_WIDE_CI, stacklevel=2)
    # The point estimate is hidden when the interval is too wide; its limits are kept (as R).
    value = np.where(np.isinf(centre) | wide, np.nan, centre)

    # Person-years and deaths at and above each age (reverse cumulative sums), as R's
    # pops_used/dths_used; absent bands count as zero.
    pops_used = np.cumsum(np.nan_to_num(pops_m)[:, ::-1], axis=1)[:, ::-1]
    dths_used = np.cumsum(np.nan_to_num(deaths_m)[:, ::-1], axis=1)[:, ::-1]

    rows_g, rows_b = np.nonzero(present)  # row-major: groups in key order, bands ascending
    wanted = _le_age_bands(le_age, contents)
    if wanted is not None:
        keep = np.isin(rows_b, wanted)
        rows_g, rows_b = rows_g[keep], rows_b[keep]

    if by_columns:
        out = keys.iloc[rows_g].reset_index(drop=True)
    else:
        out = pd.DataFrame(index=pd.RangeIndex(len(rows_g)))
    labels = np.asarray(contents, dtype=object)
    out[startage] = labels[rows_b]
    out["value"] = value[rows_g, rows_b]
    lower, upper = [], []
    with np.errstate(invalid="ignore"):
        for level in levels:
            z = float(norm.ppf(level + (1 - level) / 2))
            lower.append((centre - z * se)[rows_g, rows_b])
            upper.append((centre + z * se)[rows_g, rows_b])
    add_limits(out, levels, lower, upper)
    if type == "standard":
        return out

    out["pops_used"] = pops_used[rows_g, rows_b]
    out["dths_used"] = dths_used[rows_g, rows_b]
    statistic = np.array([f"life expectancy at {label}" for label in labels], dtype=object)
    statistic = statistic[rows_b]
    group_reason = np.full(n_groups, "", dtype=object)
    for key, text, _ in reversed(_REASONS):  # the first failing check names the reason
        group_reason[reasons[key]] = text
    row_reason = group_reason[rows_g]
    row_wide = wide[rows_g, rows_b]
    statistic = np.where(
        row_reason != "",
        statistic + ": not calculated, " + row_reason,
        np.where(
            row_wide,
            statistic + ": suppressed, 95% confidence interval wider than 20 years",
            statistic,
        ),
    )
    describe(out, levels, statistic, METHOD)
    return out


def _chiang_life_table(
    deaths: np.ndarray, pops: np.ndarray, start_ages: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy and its standard error at each band: arrays of shape (groups, bands).

    The table itself is :func:`chiang_life_table`. Var(q_i) = q_i^2 (1 - q_i) / D_i (0 where
    d_i = 0); the final band contributes (l_w / 2)^2 * 4 / (D_w M_w^2) = l_w^2 / (D_w M_w^2)
    (Silcocks). Var(e_i) is sum_{j >= i} l_j^2 ((1 - a_j) n_j + e_{j+1})^2 Var(q_j), divided
    by l_i^2.
    """
    n_bands = deaths.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        m = deaths / pops
        table = chiang_life_table(m, start_ages)
        q, a, width = table.q, table.fraction_lived, table.width
        survivors, expectancy = table.survivors, table.expectancy
        dying = survivors.copy()
        dying[:, :-1] -= survivors[:, 1:]

        var_q = np.where(dying == 0, 0.0, q**2 * (1 - q) / deaths)
        var_q[:, -1] = 4 / (deaths[:, -1] * m[:, -1] ** 2)
        weighted = np.empty_like(m)
        if n_bands > 1:
            weighted[:, :-1] = (
                var_q[:, :-1]
                * survivors[:, :-1] ** 2
                * ((1 - a[:, :-1]) * width[:, :-1] + expectancy[:, 1:]) ** 2
            )
        weighted[:, -1] = (survivors[:, -1] / 2) ** 2 * var_q[:, -1]
        total_var = np.cumsum(weighted[:, ::-1], axis=1)[:, ::-1]
        se = np.sqrt(total_var / survivors**2)
    return expectancy, se


def _group_reasons(
    deaths_m: np.ndarray, pops_m: np.ndarray, present: np.ndarray
) -> dict[str, np.ndarray]:
    """One boolean per group for each suppression rule (present bands only)."""
    with np.errstate(invalid="ignore"):
        missing = (present & (np.isnan(deaths_m) | np.isnan(pops_m))).any(axis=1)
        negative_deaths = (deaths_m < 0).any(axis=1)
        zero_pops = (pops_m <= 0).any(axis=1)
        incomplete = ~present.all(axis=1)
        over = (deaths_m > pops_m).any(axis=1)
        total = np.nansum(pops_m, axis=1)
        low = total <= MIN_TOTAL_POPULATION
        no_final = present[:, -1] & (deaths_m[:, -1] == 0)
    # Each reason applies only when no earlier check already removed the group (as R).
    ordered = [missing, negative_deaths, zero_pops, incomplete, over, low, no_final]
    removed = np.zeros(len(present), dtype=bool)
    result = {}
    for (key, _, _), mask in zip(_REASONS, ordered):
        result[key] = mask & ~removed
        removed |= mask
    return result


def _le_age_bands(le_age: object, contents: Sequence[int | str]) -> np.ndarray | None:
    """Band positions to return, or None for all (R warns and returns all if none match)."""
    if isinstance(le_age, str) and le_age == "all":
        return None
    requested = [le_age] if np.isscalar(le_age) else list(le_age)  # type: ignore[arg-type]
    if not requested:
        raise MethodArgumentError("le_age: give 'all' or at least one age band")
    keys = [label_key(label) for label in contents]
    wanted = [keys.index(k) for k in (label_key(x) for x in requested) if k in keys]
    if not wanted:
        warnings.warn(WARN_LE_AGE, stacklevel=3)
        return None
    return np.array(sorted(set(wanted)), dtype=np.intp)


def _group_codes(data: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row (groups in sorted key order) and the frame of group keys."""
    if not by:
        return np.zeros(len(data), dtype=np.intp), pd.DataFrame(index=range(1))
    grouped = data.groupby(by, sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    keys = grouped.size().reset_index()[by]
    return codes, keys


def _plain(value: object) -> object:
    """numpy scalars as Python ones, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def _describe_group(keys: pd.DataFrame, g: int, by: list[str]) -> str:
    if not by:
        return ""
    values = ", ".join(f"{column}={_plain(keys.iloc[g][column])!r}" for column in by)
    return f" in group {values}"
