"""The demo's deaths: real ONS deaths and populations by authority (2014), and a synthetic
record-level deaths extract for each demo city imported through ``healthgap import deaths``.

Record-level deaths are not open data, so each city's extract is generated with a fixed seed:
the synthetic deaths of :mod:`healthgap.demo.synthetic` (ONS mid-2019 populations, England-like
rates scaled by each LSOA's IMD rank) given a sex, an exact age, a date in 2017-19 and an
underlying cause drawn from age-specific cause shares tilted by deprivation. Every count it
makes is marked synthetic and every page showing it says so.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.areas.models import Area
from healthgap.demo.loader import demo_file
from healthgap.demo.synthetic import BANDS, ENGLAND_LSOAS, SEED, YEARS, city_groups
from healthgap.ingest.deaths import import_deaths
from healthgap.mortality.models import BAND_STARTS
from healthgap.mortality.queries import band_of_age
from healthgap.mortality.services import save_decile_deaths, save_published_deaths

PUBLISHED_YEAR = 2014
PUBLISHED_SOURCE = (
    "ONS, Deaths registered by area of usual residence 2014 (Table 2) and MYE2 mid-2014 "
    "population estimates; Open Government Licence v3"
)
DECILE_SOURCE = (
    "ONS ad hoc 007710: deaths under 75 and population by IMD decile, sex and single year of "
    "age, England 2001-2016, as reformatted by Lewer et al., Lancet Public Health 2020 (CC BY "
    "4.0); Open Government Licence v3"
)
DECILE_FILE = "mortality/ons_{kind}_u75_by_imd_decile_sex_single_age_england_2001_2016.csv"
DECILE_SEXES = {"m": "male", "f": "female"}
FIRST_YEAR = 2017  # the synthetic deaths cover 2017-19, as demo.synthetic's
# Underlying causes drawn for each group (a few common codes of each), and the share of deaths
# in each group by band: [under 1, 1-14, 15-44, 45-64, 65-79, 80+] (roughly England's pattern).
CAUSE_CODES = {
    "circulatory": ["I21.9", "I25.1", "I64", "I50.0"],
    "cancer": ["C34.9", "C18.9", "C50.9", "C61", "C25.9"],
    "respiratory": ["J44.9", "J18.9", "J84.1"],
    "liver": ["K70.3", "K74.6"],
    "digestive": ["K92.2", "K56.6", "K57.3"],
    "external": ["X70", "V89.2", "W19", "X42"],
    "mental": ["F03", "F10.2"],
    "other": ["G30.9", "E11.9", "N18.5", "G12.2"],
}
AGE_GROUP_STARTS = (0, 1, 15, 45, 65, 80)
CAUSE_SHARES = {  # per age group; each column sums to 1
    "circulatory": (0.01, 0.05, 0.14, 0.24, 0.26, 0.26),
    "cancer": (0.01, 0.18, 0.22, 0.40, 0.34, 0.18),
    "respiratory": (0.05, 0.08, 0.05, 0.08, 0.13, 0.15),
    "liver": (0.00, 0.00, 0.05, 0.07, 0.02, 0.01),
    "digestive": (0.02, 0.04, 0.03, 0.04, 0.04, 0.05),
    "external": (0.03, 0.30, 0.38, 0.06, 0.02, 0.02),
    "mental": (0.00, 0.00, 0.03, 0.02, 0.06, 0.13),
    "other": (0.88, 0.35, 0.10, 0.09, 0.13, 0.20),
}
# How much more common each cause is in the most deprived LSOA than the least (x at 1 + tilt).
DEPRIVATION_TILT = {"liver": 1.5, "external": 1.0, "respiratory": 0.8, "circulatory": 0.4}
MALE_SHARE = (0.55, 0.58, 0.68, 0.60, 0.56, 0.42)
NEONATAL_SHARE = 0.7  # of infant deaths, those under 28 days


def _band_rows(folder: Path) -> pd.DataFrame:
    """Deaths and mid-year population by authority, sex and life-table band."""
    deaths = pd.read_csv(folder / "ons_deaths_area_2014_table2_by_age_sex_tidy.csv")
    deaths = deaths[(deaths["age_band"] != "All ages") & deaths["area_code_from_mye2"].notna()]
    labels = ["0", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
    deaths["startage"] = deaths["age_band"].map(dict(zip(labels, BAND_STARTS)))
    deaths = deaths.rename(columns={"area_code_from_mye2": "area"})
    population = pd.concat([_population(folder, sex) for sex in ("male", "female")])
    deaths["sex"] = deaths["sex"].str.lower()
    return deaths.merge(population, on=["area", "sex", "startage"], validate="one_to_one")


def _population(folder: Path, sex: str) -> pd.DataFrame:
    raw = pd.read_csv(folder / f"ons_mye2_mid2014_{sex}s_single_year_la.csv", skiprows=2)
    raw = raw.rename(columns={"CODE": "area"}).drop(columns=["NAME", "ALL AGES"])
    long = raw.melt(id_vars="area", var_name="age", value_name="population")
    long["population"] = pd.to_numeric(long["population"].astype(str).str.replace(",", ""))
    band = np.searchsorted(BAND_STARTS, long["age"].astype(int), side="right") - 1
    long["startage"] = np.asarray(BAND_STARTS)[band]
    long["sex"] = sex
    return long.groupby(["area", "sex", "startage"], as_index=False)["population"].sum()


def load_published_deaths() -> int:
    """ONS 2014 deaths with their population for England and every authority the demo knows
    (authorities whose 2014 code has since changed are passed over)."""
    rows = _band_rows(Path(demo_file("mortality")))
    known = set(Area.objects.filter(code__in=rows["area"].unique()).values_list("code", flat=True))
    rows = rows[rows["area"].isin(known)].assign(year=PUBLISHED_YEAR)
    return save_published_deaths(rows, PUBLISHED_SOURCE)


def _decile_rows(kind: str) -> pd.DataFrame:
    wide = pd.read_csv(demo_file(DECILE_FILE.format(kind=kind)))
    long = wide.melt(id_vars=["year", "imd10", "sex"], var_name="age", value_name=kind)
    long["startage"] = band_of_age(long["age"].astype(int).to_numpy())
    long["sex"] = long["sex"].map(DECILE_SEXES)
    long = long.rename(columns={"imd10": "decile"})
    return long.groupby(["year", "decile", "sex", "startage"], as_index=False)[kind].sum()


def load_decile_deaths() -> int:
    """England's deaths under 75 and population by IMD decile, sex and band, 2001-2016."""
    rows = _decile_rows("deaths").merge(
        _decile_rows("population"), on=["year", "decile", "sex", "startage"],
        validate="one_to_one",
    )  # fmt: skip
    return save_decile_deaths(rows, DECILE_SOURCE)


def _age_group(startages: np.ndarray) -> np.ndarray:
    return np.searchsorted(AGE_GROUP_STARTS, startages, side="right") - 1


def _causes(rng, age_groups: np.ndarray, deprivation: np.ndarray) -> np.ndarray:
    """A cause group for each death: age-specific shares, tilted by the LSOA's deprivation."""
    names = list(CAUSE_SHARES)
    weights = np.array([CAUSE_SHARES[name] for name in names])[:, age_groups]
    tilt = np.array([DEPRIVATION_TILT.get(name, 0.0) for name in names])[:, None]
    weights = weights * (1 + tilt * deprivation[None, :])
    cumulative = np.cumsum(weights / weights.sum(axis=0), axis=0)
    drawn = (rng.random(len(age_groups))[None, :] > cumulative).sum(axis=0)
    return np.asarray(names)[np.minimum(drawn, len(names) - 1)]


def _codes(rng, groups: np.ndarray) -> np.ndarray:
    codes = np.empty(len(groups), dtype=object)
    for group, choices in CAUSE_CODES.items():
        where = groups == group
        codes[where] = rng.choice(choices, size=int(where.sum()))
    return codes


def synthetic_records(city: Area) -> pd.DataFrame:
    """One row per synthetic death in the city, in the layout the deaths importer reads."""
    _, _, _, deaths = city_groups(city)
    rng = np.random.default_rng([SEED, int(city.code[1:]), 28])
    ranks = dict(
        Area.objects.filter(code__in=list(deaths)).values_list("code", "deprivation__rank")
    )
    lsoas = sorted(deaths)
    counts = np.array([deaths[lsoa] for lsoa in lsoas], dtype=int)  # LSOA x band
    lsoa_index, band_index = np.nonzero(counts)
    repeat = counts[lsoa_index, band_index]
    lsoa_of = np.repeat(lsoa_index, repeat)
    start = np.asarray(BANDS)[np.repeat(band_index, repeat)]
    width = np.where(start == 0, 1, np.where(start == 1, 4, np.where(start == 90, 11, 5)))
    age = start + (rng.random(len(start)) * width).astype(int)
    deprivation = np.array([1 - (ranks.get(lsoas[i]) or ENGLAND_LSOAS) / ENGLAND_LSOAS
                            for i in lsoa_of])  # fmt: skip
    groups = _age_group(start)
    causes = _causes(rng, groups, deprivation)
    infant_days = np.where(
        rng.random(len(age)) < NEONATAL_SHARE, rng.integers(0, 28, len(age)),
        rng.integers(28, 365, len(age)),
    )  # fmt: skip
    days = rng.integers(0, 365 * YEARS, len(age))
    dates = pd.Timestamp(f"{FIRST_YEAR}-01-01") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame(
        {
            "date_of_death": dates.strftime("%Y-%m-%d"),
            "age_years": age,
            "sex": np.where(rng.random(len(age)) < np.asarray(MALE_SHARE)[groups], "M", "F"),
            "lsoa_code": np.asarray(lsoas)[lsoa_of],
            "underlying_cause": _codes(rng, causes),
            "age_days": np.where(age == 0, infant_days.astype(str), ""),
        }
    )


def load_synthetic_deaths(cities=None) -> int:
    """Each demo city's synthetic extract, written to a file and imported like a council's own
    (same seed, same file: importing it again changes nothing)."""
    cities = list(cities or Area.objects.filter(is_hwb=True).order_by("code"))
    total = 0
    with tempfile.TemporaryDirectory() as folder:
        for city in cities:
            path = Path(folder) / f"synthetic_deaths_{city.code}_seed_{SEED}.csv"
            synthetic_records(city).to_csv(path, index=False)
            total += import_deaths(path, is_synthetic=True).deaths
    return total


def mortality_steps():
    return [
        ("ONS deaths and population by authority, 2014", load_published_deaths),
        ("England's deaths under 75 by IMD decile, 2001-2016 (ONS)", load_decile_deaths),
        ("synthetic record-level deaths by city (seed 2019)", load_synthetic_deaths),
    ]
