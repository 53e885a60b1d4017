"""ONS deaths registered in 2014 by local authority, sex and age band, with mid-2014 populations.

Read in place from the shared data folder's ``mortality/`` (Open Government Licence v3; see
SOURCES.md there): "Deaths registered by area of usual residence, 2014" Table 2 (tidied) and
MYE2 mid-2014 single-year populations, summed into the 20 life-table bands <1, 1-4, ..., 90+.
"""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

BAND_LABELS = ["0", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
BAND_STARTS = [0, 1, *range(5, 95, 5)]


def _population(folder: Path, sex: str) -> pd.DataFrame:
    raw = pd.read_csv(folder / f"ons_mye2_mid2014_{sex.lower()}s_single_year_la.csv", skiprows=2)
    raw = raw.rename(columns={"CODE": "area_code"}).drop(columns=["NAME", "ALL AGES"])
    long = raw.melt(id_vars="area_code", var_name="age", value_name="population")
    long["population"] = pd.to_numeric(long["population"].astype(str).str.replace(",", ""))
    band = np.searchsorted(BAND_STARTS, long["age"].astype(int), side="right") - 1
    long["age_band"] = np.asarray(BAND_LABELS)[band]
    long["sex"] = sex
    return long.groupby(["area_code", "sex", "age_band"], as_index=False)["population"].sum()


@cache
def _deaths_and_population(folder: Path) -> pd.DataFrame:
    deaths = pd.read_csv(folder / "ons_deaths_area_2014_table2_by_age_sex_tidy.csv")
    deaths = deaths.rename(columns={"area_code_from_mye2": "area_code"})
    deaths = deaths[(deaths["age_band"] != "All ages") & deaths["area_code"].notna()]
    pops = pd.concat([_population(folder, "Male"), _population(folder, "Female")])
    merged = deaths.merge(pops, on=["area_code", "sex", "age_band"], validate="one_to_one")
    merged["startage"] = merged["age_band"].map(dict(zip(BAND_LABELS, BAND_STARTS)))
    return merged.sort_values(["area_code", "sex", "startage"]).reset_index(drop=True)


def deaths_2014(shared_data: Path, *area_codes: str) -> pd.DataFrame:
    """Rows area_code, area_name, sex, age_band, startage, deaths, population (20 bands each)."""
    data = _deaths_and_population(shared_data / "mortality")
    return data[data["area_code"].isin(area_codes)].reset_index(drop=True).copy()
