"""Arriaga's decomposition of a life expectancy gap by age band and cause of death.

Arriaga EE (1984) "Measuring and explaining the change in life expectancies", Demography
21:83-96, in the notation of Preston SH, Heuveline P & Guillot M (2001) *Demography: measuring
and modeling population processes*, Blackwell (the age decomposition of chapter 3 and its split
by cause in chapter 4), as OHID's Segment Tool uses it. Both life tables are the Chiang II tables of
:func:`healthgap.methods.life_expectancy`, so the gap decomposed is exactly the gap between the
two life expectancies that function gives.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    group_codes,
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
    start_age,
)

__all__ = ["arriaga"]

METHOD = "Arriaga, Chiang II life tables; causes split by their share of the rate difference"
STATISTIC = "contribution to life expectancy gap (years)"
#: As life_expectancy: no life table from 5,000 person-years or fewer (ONS Methodology Series 33).
MIN_TOTAL_POPULATION = 5000
REASON_LOW_POPULATION = "not calculated, total population of 5,000 or less"
REASON_NO_FINAL_DEATHS = "not calculated, no deaths in the final (open) age band"


def arriaga(
    data: pd.DataFrame,
    deaths: str,
    population: str,
    startage: str,
    *,
    groups: str,
    first: object,
    second: object,
    by: str | Sequence[str] | None = None,
    cause: str | None = None,
    age_contents: Sequence[int | str] = DEFAULT_AGE_CONTENTS,
) -> pd.DataFrame:
    """Contribution of each age band (and cause) to the life expectancy gap between two groups.

    The gap is ``e0(second) - e0(first)``: put the area first and its comparator (England, the
    least deprived quintile, the city, women) second, and a shorter-lived area has a positive
    gap whose positive contributions are the bands where its death rates are higher.

    For band x of width n, with life tables 1 (``first``) and 2 (``second``)::

        Delta_x = l1_x / l1_0 * (nL2_x / l2_x - nL1_x / l1_x)
                  + T2_{x+n} / l1_0 * (l1_x / l2_x - l1_{x+n} / l2_{x+n})

    and for the open final band ``l1_x / l1_0 * (T2_x / l2_x - T1_x / l1_x)``. The terms
    telescope, so the contributions add up to the gap exactly. With ``cause``, each band's
    contribution is shared among causes in proportion to ``(m2_{x,c} - m1_{x,c}) / (m2_x -
    m1_x)`` (Preston et al. 2001), which again adds up exactly; a band whose all-cause
    rates are equal contributes 0 and so does each of its causes.

    Parameters
    ----------
    data:
        One row per group, population and age band (and cause): deaths and population.
        Rows whose ``groups`` value is neither ``first`` nor ``second`` are ignored.
    deaths, population, startage:
        Column names; ``startage`` holds the band labels of ``age_contents`` (the 20 bands
        <1, 1-4, 5-9, ..., 85-89, 90+ by default, as :func:`life_expectancy`).
    groups, first, second:
        The column telling the two populations apart and the values naming them.
    by:
        Column(s) giving one decomposition each (sex, area, period ...).
    cause:
        Column of cause groups; the all-cause rate of a band is the sum over its causes, and
        the band's population must be the same on every cause row. A cause absent from a band
        has no deaths there.

    Returns
    -------
    DataFrame with the ``by`` columns, ``startage``, ``cause`` (if given), ``value`` (the
    contribution in years), ``le_first`` and ``le_second`` (life expectancy at birth of each),
    ``statistic`` and ``method``; one row per group, band (and cause), in sorted key order.
    A decomposition whose life tables cannot be built (total population of 5,000 or less, or
    no deaths in the final band, in either population) is NaN with the reason in ``statistic``.

    Raises MethodArgumentError (naming the argument) for missing columns, band labels not in
    ``age_contents``, a band present for one population but not the other, a row repeated,
    ``first`` or ``second`` absent from ``groups``, populations that are missing or not above
    zero, negative deaths, or a population differing between the cause rows of one band.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    require_columns(
        data, deaths=deaths, population=population, startage=startage, groups=groups, by=by_columns
    )
    if cause is not None:
        require_columns(data, cause=cause)
    contents = check_age_contents(age_contents)
    start_ages = np.array([start_age(label) for label in contents], dtype="float64")
    data = _rows_of_the_two_groups(data, groups, first, second)

    death_values = numeric_column(data, deaths, "deaths")
    pop_values = numeric_column(data, population, "population")
    if np.isnan(pop_values).any() or (pop_values <= 0).any():
        raise MethodArgumentError(
            f"population: column {population!r} must be above zero with no missing values"
        )
    band = band_index(data[startage], contents)
    which = (data[groups] == second).to_numpy().astype(np.intp)
    codes, keys = group_codes(data, by_columns)
    cause_codes, causes = _cause_codes(data, cause)

    shape = (len(keys), 2, len(contents), len(causes))
    cells = (codes, which, band, cause_codes)
    cause_deaths = _fill_once(shape, cells, np.nan_to_num(death_values), startage)
    pops = _band_population(shape, cells, pop_values, population)
    _check_bands_match(pops, keys, by_columns, contents, first, second)

    rates_by_cause = cause_deaths / pops[..., None]
    rates = rates_by_cause.sum(axis=3)
    first_table = chiang_life_table(rates[:, 0], start_ages)
    second_table = chiang_life_table(rates[:, 1], start_ages)
    by_band = arriaga_contributions(first_table, second_table)
    contribution = by_band[..., None] * _cause_shares(rates_by_cause, rates)

    reason = _reasons(cause_deaths.sum(axis=3), pops)
    failed = reason != ""
    contribution[failed] = np.nan
    expectancies = [
        np.where(failed, np.nan, t.expectancy[:, 0]) for t in (first_table, second_table)
    ]
    return _output(
        keys,
        by_columns,
        (startage, contents),
        (cause, causes),
        contribution,
        expectancies,
        reason,
    )


def arriaga_contributions(first, second) -> np.ndarray:
    """Arriaga's band contributions (groups x bands) from two :class:`LifeTable`-like tables.

    Only ``survivors`` (l), ``years`` (nL) and ``total_years`` (T) are used, so published life
    tables can be decomposed as well; the final band is taken as open (nL = T).
    """
    l1, big_l1, t1 = first.survivors, first.years, first.total_years
    l2, big_l2, t2 = second.survivors, second.years, second.total_years
    radix = l1[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        result = l1 / radix * (big_l2 / l2 - big_l1 / l1)
        result[:, -1] = l1[:, -1] / radix[:, 0] * (t2[:, -1] / l2[:, -1] - t1[:, -1] / l1[:, -1])
        survival_ratio = l1 / l2
        result[:, :-1] += t2[:, 1:] / radix * (survival_ratio[:, :-1] - survival_ratio[:, 1:])
    return result


def _rows_of_the_two_groups(
    data: pd.DataFrame, groups: str, first: object, second: object
) -> pd.DataFrame:
    if first == second:
        raise MethodArgumentError("second: must differ from first")
    for argument, value in (("first", first), ("second", second)):
        if not (data[groups] == value).any():
            raise MethodArgumentError(f"{argument}: {value!r} is not in column {groups!r}")
    return data.loc[data[groups].isin([first, second])]


def _cause_codes(data: pd.DataFrame, cause: str | None) -> tuple[np.ndarray, pd.Index]:
    if cause is None:
        return np.zeros(len(data), dtype=np.intp), pd.Index([None])
    if data[cause].isna().any():
        raise MethodArgumentError(f"cause: column {cause!r} has missing values")
    codes, uniques = pd.factorize(data[cause], sort=True)
    return codes, pd.Index(uniques)


def _fill_once(shape, cells, values: np.ndarray, startage: str) -> np.ndarray:
    """An array of ``shape`` holding each row's value at its cell; a repeated cell raises."""
    seen = np.zeros(shape, dtype=np.int64)
    np.add.at(seen, cells, 1)
    if (seen > 1).any():
        raise MethodArgumentError(
            f"{startage}: an age band appears more than once for one group and population "
            "(and cause); give each once"
        )
    filled = np.zeros(shape)
    filled[cells] = values
    return filled


def _band_population(shape, cells, pop_values: np.ndarray, population: str) -> np.ndarray:
    """Population per (group, population, band); NaN where the band is absent."""
    highest = np.full(shape[:3], -np.inf)
    lowest = np.full(shape[:3], np.inf)
    np.maximum.at(highest, cells[:3], pop_values)
    np.minimum.at(lowest, cells[:3], pop_values)
    present = np.isfinite(highest)
    if (highest[present] != lowest[present]).any():
        raise MethodArgumentError(
            f"population: column {population!r} differs between the cause rows of one age band"
        )
    return np.where(present, highest, np.nan)


def _check_bands_match(pops, keys, by_columns, contents, first, second) -> None:
    absent = np.isnan(pops)
    if not absent.any():
        return
    group, side, band = np.argwhere(absent)[0]
    named = (first, second)[side]
    where = ""
    if by_columns:
        values = ", ".join(f"{column}={keys.iloc[group][column]!r}" for column in by_columns)
        where = f" ({values})"
    raise MethodArgumentError(
        f"startage: age band {contents[band]!r} is missing for {named!r}{where}; both "
        "populations need every band of age_contents"
    )


def _cause_shares(rates_by_cause: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Each cause's share of its band's rate difference (1 without causes; 0 if no difference)."""
    cause_difference = rates_by_cause[:, 1] - rates_by_cause[:, 0]
    difference = (rates[:, 1] - rates[:, 0])[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(difference == 0, 0.0, cause_difference / difference)


def _reasons(band_deaths: np.ndarray, pops: np.ndarray) -> np.ndarray:
    """Why a group's decomposition cannot be given ('' where it can), as life_expectancy."""
    reason = np.full(band_deaths.shape[0], "", dtype=object)
    reason[(band_deaths[:, :, -1] == 0).any(axis=1)] = REASON_NO_FINAL_DEATHS
    reason[(pops.sum(axis=2) <= MIN_TOTAL_POPULATION).any(axis=1)] = REASON_LOW_POPULATION
    return reason


def _output(keys, by_columns, bands, causes, contribution, expectancies, reason) -> pd.DataFrame:
    """One row per group, band and cause, in that order."""
    (startage, contents), (cause, cause_values) = bands, causes
    n_groups, n_bands, n_causes = contribution.shape
    group = np.repeat(np.arange(n_groups), n_bands * n_causes)
    out = keys.iloc[group].reset_index(drop=True) if by_columns else pd.DataFrame()
    out[startage] = np.tile(np.repeat(np.asarray(contents, dtype=object), n_causes), n_groups)
    if cause is not None:
        out[cause] = np.tile(cause_values.to_numpy(dtype=object), n_groups * n_bands)
    out["value"] = contribution.reshape(-1)
    out["le_first"] = expectancies[0][group]
    out["le_second"] = expectancies[1][group]
    out["statistic"] = np.where(
        reason[group] == "", STATISTIC, STATISTIC + ": " + reason[group].astype(str)
    )
    out["method"] = METHOD
    return out
