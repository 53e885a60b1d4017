"""EXAMPLE lists by sex and five-year age band for the demo's practices (issue 12).

NHS Digital publishes each practice's list by sex and five-year band, but the open files the
demo bundles hold only the all-ages list (``nhsd_gp_registered_patients_by_practice_england_
2022-05.csv``). So the demo splits each practice's real all-ages list by the age and sex of the
people around it: the single-year population of the MSOA holding its postcode's LSOA (ONS
small area estimates, mid-2019, persons; the authority's where the demo holds no MSOA), split
into men and women by its authority's share of men at each age (ONS MYE2, mid-2014), then drawn
with a fixed seed. The lists are imported through the real importer, flagged ``is_example``, and
labelled "example" on every page showing them. The same seed writes the same file: loading the
demo again changes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.areas.models import Area, AreaType, PopulationEstimate, Sex
from healthgap.areas.search import configured_postcode_lookup
from healthgap.constants import ENGLAND_CODE
from healthgap.demo.loader import demo_file
from healthgap.ingest.practice_age_sex import import_gp_patients_age_sex
from healthgap.practices.models import Practice

SEED = 2024
EXTRACT_DATE = "01May2022"  # the month of the real all-ages file
ALL_AGES_FILE = "gp_practice/nhsd_gp_registered_patients_by_practice_england_2022-05.csv"
OLDEST = 90  # ONS single years end at 90, meaning 90 and over
# Share of the 90-and-overs aged 95 or more (about one in five in ONS's mid-year estimates for
# England): the five-year file has a 95+ band that single years to 90+ cannot give.
NINETY_FIVE_PLUS_SHARE = 0.2
BAND_STARTS = list(range(0, 95, 5)) + [95]


def example_age_sex_steps():
    return [("example practice lists by age and sex", load_example_age_sex_lists)]


def load_example_age_sex_lists() -> int:
    lists = _all_ages_lists()
    structures = _Structures()
    rng = np.random.default_rng(SEED)
    rows = [
        line
        for practice, patients in sorted(lists.items())
        for line in _practice_rows(practice, patients, structures.of(practice), rng)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"example_gp_patients_age_sex_seed_{SEED}.csv"
        header = "EXTRACT_DATE,ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS"
        path.write_text("\n".join([header, *rows]) + "\n")
        return import_gp_patients_age_sex(path, is_example=True).rows


def _all_ages_lists() -> dict[str, int]:
    """The real all-ages list of each practice the demo holds, by code."""
    frame = pd.read_csv(demo_file(ALL_AGES_FILE), dtype={"CODE": str})
    held = set(Practice.objects.values_list("area_id", flat=True))
    frame = frame[frame["CODE"].isin(held) & (frame["SEX"] == "ALL") & (frame["AGE"] == "ALL")]
    return dict(zip(frame["CODE"], frame["NUMBER_OF_PATIENTS"].astype(int)))


class _Structures:
    """People by sex and single year of age around each practice, read once."""

    def __init__(self):
        self.lookup = configured_postcode_lookup()
        self.postcodes = dict(Practice.objects.values_list("area_id", "postcode"))
        self.parents = dict(
            Area.objects.filter(area_type=AreaType.LSOA).values_list("code", "parent_id")
        )
        self.persons = _single_years(Sex.PERSONS)
        self.men, self.women = _single_years(Sex.MALE), _single_years(Sex.FEMALE)

    def of(self, practice: str) -> pd.DataFrame:
        key = self.postcodes.get(practice, "").replace(" ", "").upper()
        lsoa = self.lookup.lsoas_by_postcode.get(key) if self.lookup else None
        authority = self.lookup.wards_by_postcode.get(key, ("", ""))[0] if self.lookup else ""
        if authority not in self.men.columns:
            authority = ENGLAND_CODE
        male_share = self.men[authority] / (self.men[authority] + self.women[authority])
        msoa = self.parents.get(lsoa)
        if msoa in self.persons.columns:
            persons = self.persons[msoa]
            return pd.DataFrame(
                {"Male": persons * male_share, "Female": persons * (1 - male_share)}
            )
        return pd.DataFrame({"Male": self.men[authority], "Female": self.women[authority]})


def _single_years(sex: str) -> pd.DataFrame:
    """People by single year (index 0-90) and area (columns), latest year held per area."""
    rows = PopulationEstimate.objects.filter(sex=sex).values_list("area_id", "year", "age", "count")
    frame = pd.DataFrame(list(rows), columns=["area", "year", "age", "count"])
    latest = frame[frame["year"] == frame.groupby("area")["year"].transform("max")]
    table = latest.pivot_table(index="age", columns="area", values="count", aggfunc="sum")
    complete = table.reindex(range(OLDEST + 1)).dropna(axis=1)
    return complete[complete.columns[(complete.sum() > 0).to_numpy()]]


def _practice_rows(practice: str, patients: int, structure: pd.DataFrame, rng) -> list[str]:
    """The practice's rows in NHS Digital's layout: its list drawn across sex and band in
    proportion to the people around it, then each sex's ALL-ages row."""
    shares = pd.concat([_five_year(structure["Male"]), _five_year(structure["Female"])])
    counts = rng.multinomial(patients, (shares / shares.sum()).to_numpy())
    males, females = counts[: len(BAND_STARTS)], counts[len(BAND_STARTS) :]
    rows = []
    for sex, drawn in (("MALE", males), ("FEMALE", females)):
        rows += [
            f"{EXTRACT_DATE},{practice},{sex},{_band_code(start)},{count}"
            for start, count in zip(BAND_STARTS, drawn)
        ]
        rows.append(f"{EXTRACT_DATE},{practice},{sex},ALL,{drawn.sum()}")
    return rows


def _five_year(people: pd.Series) -> pd.Series:
    """Single years 0-90 (90: and over) summed into the file's bands 0_4 ... 90_94, 95+."""
    bands = people.groupby(np.minimum(people.index // 5 * 5, OLDEST)).sum()
    oldest = bands.loc[OLDEST]
    bands.loc[OLDEST] = oldest * (1 - NINETY_FIVE_PLUS_SHARE)
    bands.loc[95] = oldest * NINETY_FIVE_PLUS_SHARE
    return bands.reindex(BAND_STARTS)


def _band_code(start: int) -> str:
    return f"{start}+" if start == BAND_STARTS[-1] else f"{start}_{start + 4}"
