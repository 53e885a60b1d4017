"""A modelled prevalence by age band and sex, brought to the bands of the practices' lists.

A model's bands (say 16-24, 25-34 ... 75+, by sex) rarely match the persons-only list bands of
the open QOF files (0-5, 6-15, 16, 17, 18-49, 50+). Each single year of age takes the
prevalence of the model's band holding it (none: 0, the model does not count those ages); sexes
are combined by the reference population's men and women at that age (unless the model gives
persons); and each list band's prevalence is the population-weighted mean over its single
years, as in indirect standardisation with a finer reference (PHE, "Technical guide: Common
public health statistics and their confidence intervals", indirect standardisation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.constants import FEMALE, MALE, PERSONS

OLDEST = 90  # single years run 0 to 90, 90 meaning 90 and over (as ONS estimates)
AGES = np.arange(OLDEST + 1)


def list_band_prevalence(
    rates: pd.DataFrame, weights: pd.DataFrame, bands: list[tuple[int, int | None]]
) -> pd.DataFrame:
    """Prevalence (0-1) per condition and list band.

    ``rates``: condition, sex ("Male", "Female" or "Persons"), age_start, age_end (None: and
    over), prevalence. ``weights``: sex ("Male"/"Female"), age (0-90), people; empty for equal
    weights. ``bands``: the list bands as (start, end or None). Returns condition, band (the
    band's start age), prevalence.
    """
    by_sex = _weights_by_sex(weights)
    persons = by_sex.sum(axis=1)
    rows = []
    for condition, part in rates.groupby("condition", sort=True):
        single_years = _single_year_prevalence(part, by_sex)
        for start, end in bands:
            value = _band_mean(single_years, persons, start, end)
            rows.append({"condition": condition, "band": start, "prevalence": value})
    return pd.DataFrame(rows, columns=["condition", "band", "prevalence"])


def age_sex_band_prevalence(
    rates: pd.DataFrame, weights: pd.DataFrame, bands: list[tuple[int, int | None]]
) -> pd.DataFrame:
    """Prevalence (0-1) per condition, sex and list band, for lists given by sex (such as NHS
    Digital's five-year bands): each sex keeps its own prevalence (the model's Persons rows
    where it gives no sexes), and each band's is the mean over its single years weighted by
    the reference population of that sex. Arguments as :func:`list_band_prevalence`; returns
    condition, sex, band (the band's start age), prevalence."""
    by_sex = _weights_by_sex(weights)
    rows = []
    for condition, part in rates.groupby("condition", sort=True):
        for sex in (MALE, FEMALE):
            own = part[part["sex"] == sex]
            single_years = _spread(own if not own.empty else part[part["sex"] == PERSONS])
            for start, end in bands:
                value = _band_mean(single_years, by_sex[sex], start, end)
                rows.append(
                    {"condition": condition, "sex": sex, "band": start, "prevalence": value}
                )
    return pd.DataFrame(rows, columns=["condition", "sex", "band", "prevalence"])


def _band_mean(single_years: pd.Series, people: pd.Series, start: int, end: int | None) -> float:
    """The population-weighted mean prevalence of a band's single years; a band starting past
    the oldest single year (95+) takes that year's (90 and over)."""
    ages = slice(min(start, OLDEST), OLDEST if end is None else min(end, OLDEST))
    weights = people.loc[ages]
    return float((single_years.loc[ages] * weights).sum() / weights.sum())


def _weights_by_sex(weights: pd.DataFrame) -> pd.DataFrame:
    """People by single year (index) and sex (columns Male, Female); 1 each where not held."""
    frame = pd.DataFrame({MALE: 1.0, FEMALE: 1.0}, index=AGES)
    if weights is not None and not weights.empty:
        held = weights.pivot_table(index="age", columns="sex", values="people", aggfunc="sum")
        held = held.reindex(index=AGES, columns=[MALE, FEMALE])
        if held.notna().all().all() and (held.sum(axis=1) > 0).all():
            frame = held.astype(float)
    return frame


def _single_year_prevalence(part: pd.DataFrame, by_sex: pd.DataFrame) -> pd.Series:
    """Each single year's persons prevalence for one condition (0 outside the model's ages)."""
    if (part["sex"] == PERSONS).any():
        return _spread(part[part["sex"] == PERSONS])
    male, female = (_spread(part[part["sex"] == sex]) for sex in (MALE, FEMALE))
    return (male * by_sex[MALE] + female * by_sex[FEMALE]) / by_sex.sum(axis=1)


def _spread(rows: pd.DataFrame) -> pd.Series:
    values = pd.Series(0.0, index=AGES)
    for start, end, prevalence in zip(rows["age_start"], rows["age_end"], rows["prevalence"]):
        last = OLDEST if end is None or pd.isna(end) else min(int(end), OLDEST)
        values.loc[int(start) : last] = prevalence
    return values
