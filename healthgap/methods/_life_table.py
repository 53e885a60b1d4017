"""The abridged life table shared by life expectancy and its gap decomposition.

Band labels (``0, 1, 5, ..., 90`` or text such as ``"5-9"``, ``"90 +"``) are parsed and checked
here, and the Chiang II table (Chiang CL 1984; as PHE's Life Expectancy Calculator and R
PHEindicatormethods' ``phe_life_expectancy``) is built from death rates as (groups x bands) array
arithmetic, so that :func:`life_expectancy` and :func:`arriaga` use one and the same table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from healthgap.methods._common import MethodArgumentError

#: The 20 bands of the abridged life table: <1, 1-4, 5-9, ..., 85-89, 90+.
DEFAULT_AGE_CONTENTS: tuple[int, ...] = (0, 1, *range(5, 95, 5))
#: Survivors at age 0 (l_0) of the life table.
RADIX = 1e5
#: Fraction of the first year of life lived by infants who die in it (Chiang); 0.5 elsewhere.
INFANT_FRACTION_LIVED = 0.1


@dataclass(frozen=True)
class LifeTable:
    """Columns of abridged life tables, each an array of shape (groups, bands).

    ``survivors`` l_x, ``years`` nL_x (person-years lived in the band), ``total_years`` T_x
    (person-years lived at and above x), ``expectancy`` e_x, ``q`` the probability of dying in
    the band, ``fraction_lived`` a_x and ``width`` n (for the open band, 2 / M).
    """

    survivors: np.ndarray
    years: np.ndarray
    total_years: np.ndarray
    expectancy: np.ndarray
    q: np.ndarray
    fraction_lived: np.ndarray
    width: np.ndarray


def chiang_life_table(rates: np.ndarray, start_ages: np.ndarray) -> LifeTable:
    """Chiang II abridged life table from death rates M (groups x bands) and band start ages.

    M_i = D_i / P_i; a_i = 0.1 at age 0 else 0.5; q_i = n_i M_i / (1 + n_i (1 - a_i) M_i), or 1
    when a_i n_i M_i > 1 (more deaths than the band could hold); l_0 = 100,000,
    l_{i+1} = l_i (1 - q_i); d_i = l_i - l_{i+1}; L_i = n_i (l_{i+1} + a_i d_i) and, for the
    open final band, L_w = l_w / M_w; T_i = sum of L_j for j >= i; e_i = T_i / l_i (0 where
    nobody is left, as R).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        width = np.empty_like(rates)
        width[:, :-1] = np.diff(start_ages)
        width[:, -1] = 2 / rates[:, -1]
        fraction = np.where(start_ages == 0, INFANT_FRACTION_LIVED, 0.5)[None, :]
        chiang = rates * width / (1 + rates * width * (1 - fraction))
        q = np.where(rates * width * fraction <= 1, chiang, 1.0)
        survivors = np.empty_like(rates)
        survivors[:, 0] = RADIX
        survivors[:, 1:] = RADIX * np.cumprod(1 - q[:, :-1], axis=1)
        following = np.zeros_like(rates)
        following[:, :-1] = survivors[:, 1:]
        years = width * (following + fraction * (survivors - following))
        years[:, -1] = survivors[:, -1] / rates[:, -1]
        total_years = np.cumsum(years[:, ::-1], axis=1)[:, ::-1]
        expectancy = np.where(survivors == 0, 0.0, total_years / survivors)
    return LifeTable(survivors, years, total_years, expectancy, q, fraction, width)


def check_age_contents(age_contents: Sequence[int | str]) -> list[int | str]:
    if isinstance(age_contents, str) or not isinstance(age_contents, Sequence | np.ndarray):
        raise MethodArgumentError("age_contents: give the band labels as a list, youngest first")
    contents = list(age_contents)
    if len(contents) < 2:
        raise MethodArgumentError("age_contents: give at least two age bands")
    starts = [start_age(label, argument="age_contents") for label in contents]
    if starts[0] != 0:
        raise MethodArgumentError("age_contents: the first age band must start at 0")
    out_of_place = [label for label, s, t in zip(contents, starts, sorted(starts)) if s != t]
    if out_of_place or len(set(starts)) != len(starts):
        shown = ", ".join(map(str, out_of_place)) or "repeated start ages"
        raise MethodArgumentError(
            "age_contents: bands must be in ascending order of start age; out of position: " + shown
        )
    return contents


def start_age(label: object, argument: str = "age_contents") -> int:
    """The first whole number in a band label (``"10 - 14"`` -> 10, ``90`` -> 90)."""
    if isinstance(label, bool):
        raise MethodArgumentError(f"{argument}: {label!r} is not an age band")
    if isinstance(label, int | np.integer):
        return int(label)
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return int(label)
    match = re.search(r"\d+", str(label))
    if match is None:
        raise MethodArgumentError(f"{argument}: no start age found in band label {label!r}")
    return int(match.group())


def label_key(label: object) -> str:
    if isinstance(label, int | np.integer) and not isinstance(label, bool):
        return str(int(label))
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return str(int(label))
    return str(label).strip()


def band_index(column: pd.Series, contents: Sequence[int | str]) -> np.ndarray:
    """Position of each row's band in age_contents; mismatches raise naming the arguments."""
    if column.isna().any():
        raise MethodArgumentError(f"startage: column {column.name!r} has missing age bands")
    keys = [label_key(label) for label in contents]
    if len(set(keys)) != len(keys):
        raise MethodArgumentError("age_contents: a band label appears more than once")
    inverse, uniques = pd.factorize(column, sort=False)
    unique_keys = [label_key(label) for label in uniques]
    index = pd.Index(keys).get_indexer(unique_keys)
    unknown = [label for label, i in zip(uniques, index) if i < 0]
    absent = sorted(set(keys) - set(unique_keys), key=keys.index)
    if unknown or absent:
        parts = []
        if unknown:
            parts.append(f"labels not in age_contents: {', '.join(map(str, unknown))}")
        if absent:
            parts.append(f"age_contents bands found in no row: {', '.join(absent)}")
        raise MethodArgumentError(
            "startage: the contents of the startage column do not match age_contents ("
            + "; ".join(parts)
            + ")"
        )
    return index[inverse]
