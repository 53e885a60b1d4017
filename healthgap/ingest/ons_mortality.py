"""Under-75 mortality from all causes, computed from ONS deaths and population by age and sex.

Fingertips indicator 108's definition: deaths under 75 per 100,000, directly standardised to the
2013 European Standard Population (``healthgap.methods.dsr``, Dobson limits), for persons, males
and females. Deaths come from ONS "Deaths registered by area of usual residence" (Table 2, by
sex and five-year age band), the population from ONS MYE2 (single years of age by sex). As deaths
and people add up, an area the deaths table does not list (Somerset county) is computed from its
districts' counts, and ONS's "Cornwall and Isles of Scilly" row is Cornwall with the Isles of
Scilly, as Fingertips publishes it. Every upper-tier authority, region and England gets a value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.areas.models import Area, AreaType
from healthgap.indicators.catalog import CATALOG, FINGERTIPS_SOURCE, OGL
from healthgap.ingest.errors import ProblemList
from healthgap.ingest.frames import FrameProblems
from healthgap.ingest.mye2 import AGES, read_mye2
from healthgap.ingest.tables import parse_number, read_csv
from healthgap.ingest.values import LoadResult, ValueTable, load_values
from healthgap.methods import ESP2013, dsr

INDICATOR = "108"
UNDER_75 = 75
ALL_AGES = None
CORNWALL, SCILLY = "E06000052", "E06000053"
CORNWALL_AND_SCILLY = "Cornwall and Isles of Scilly"
SEXES = {"Male": "Male", "Female": "Female"}
SOURCE = (
    "Office for National Statistics: deaths registered by area of usual residence and mid-year "
    "population estimates"
)


def _bands(below: int | None) -> int:
    """How many ESP 2013 bands (0-4, 5-9 ... 90+) ages under ``below`` fill (None: all 19)."""
    return len(ESP2013) if below is None else below // 5


def _band(age_label: str, below: int | None) -> int | None:
    """The ESP band (0 = 0-4) of a deaths-table age label, None at or above ``below`` or for
    totals."""
    start = age_label.split("-")[0].rstrip("+")
    if not start.isdigit() or (below is not None and int(start) >= below):
        return None
    return min(int(start) // 5, len(ESP2013) - 1)


def _deaths(path: Path, below: int | None = UNDER_75) -> tuple[pd.DataFrame, dict[str, int]]:
    """Deaths under ``below`` by area, sex and band, and each area's first line in the file."""
    _, rows = read_csv(path, ["area_code_from_mye2", "area_name", "sex", "age_band", "deaths"])
    problems = ProblemList(path)
    records, lines = [], {}
    for row in rows:
        code = row["area_code_from_mye2"].strip()
        if not code and row["area_name"].strip() == CORNWALL_AND_SCILLY:
            code = CORNWALL
        band = _band(row["age_band"].strip(), below)
        if not code.startswith("E") or band is None or row["sex"] not in SEXES:
            continue
        deaths = parse_number(row["deaths"], row.line, "deaths", problems, minimum=0)
        records.append((code, SEXES[row["sex"]], band, deaths))
        lines.setdefault(code, row.line)
    problems.raise_if_any()
    frame = pd.DataFrame(records, columns=["area", "sex", "band", "deaths"])
    return frame.groupby(["area", "sex", "band"], as_index=False)["deaths"].sum(), lines


def _population(path: Path, sex: str, below: int | None = UNDER_75) -> pd.DataFrame:
    """Population under ``below`` by area and band from an ONS MYE2 table."""
    table = read_mye2(path)
    ages = AGES if below is None else AGES[:below]
    long = table.melt(id_vars="CODE", value_vars=ages, var_name="age", value_name="population")
    long["band"] = np.minimum(long["age"].astype(int) // 5, len(ESP2013) - 1)
    long["area"] = long["CODE"].replace({SCILLY: CORNWALL})
    grouped = long.groupby(["area", "band"], as_index=False)["population"].sum()
    return grouped.assign(sex=sex)


def _counties_from_districts(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts for counties the deaths table lacks, summed over their districts."""
    present = set(counts["area"])
    districts = Area.objects.filter(area_type=AreaType.DISTRICT, parent__area_type=AreaType.COUNTY)
    county_of = {
        code: county
        for code, county in districts.values_list("code", "parent_id")
        if county not in present
    }
    members = counts[counts["area"].isin(county_of)].assign(
        area=lambda frame: frame["area"].map(county_of)
    )
    summed = members.groupby(["area", "sex", "band"], as_index=False)[["deaths", "population"]]
    return summed.sum()


def death_counts(
    deaths_path: Path, males_path: Path, females_path: Path, below: int | None = UNDER_75
) -> pd.DataFrame:
    """Deaths and population under ``below`` (None: all ages) by area (store codes only), sex
    (Male, Female, Persons) and ESP band."""
    deaths, _ = _deaths(deaths_path, below)
    population = pd.concat(
        [_population(males_path, "Male", below), _population(females_path, "Female", below)],
        ignore_index=True,
    )
    counts = deaths.merge(population, on=["area", "sex", "band"], how="inner")
    counts = pd.concat([counts, _counties_from_districts(counts)], ignore_index=True)
    persons = counts.groupby(["area", "band"], as_index=False)[["deaths", "population"]].sum()
    counts = pd.concat([counts, persons.assign(sex="Persons")], ignore_index=True)
    known = set(
        Area.objects.filter(code__in=counts["area"].unique()).values_list("code", flat=True)
    )
    counts = counts[counts["area"].isin(known)]
    # Only areas with every band: an area ONS lists for deaths but not population is left out.
    complete = counts.groupby(["area", "sex"])["band"].transform("nunique") == _bands(below)
    return counts[complete].sort_values(["area", "sex", "band"], ignore_index=True)


def standardised_rates(counts: pd.DataFrame, below: int | None = UNDER_75) -> pd.DataFrame:
    """Directly standardised rates per 100,000 (ESP 2013 bands under ``below``) by area, sex."""
    rates = dsr(
        counts,
        "deaths",
        "population",
        stdpop=ESP2013[: _bands(below)],
        by=["area", "sex"],
        confidence=(0.95, 0.998),
    )
    return rates.rename(
        columns={
            "total_count": "count",
            "total_pop": "denominator",
            "lower95_0cl": "lower95",
            "upper95_0cl": "upper95",
            "lower99_8cl": "lower998",
            "upper99_8cl": "upper998",
        }
    )


def import_under_75_mortality(
    deaths_path: Path, males_path: Path, females_path: Path, year: int = 2014
) -> LoadResult:
    """Under-75 mortality (indicator 108) for ``year``, loaded like any indicator file."""
    deaths_path = Path(deaths_path)
    counts = death_counts(deaths_path, Path(males_path), Path(females_path))
    rates = standardised_rates(counts)
    _, lines = _deaths(deaths_path)
    derived = ~rates["area"].isin(lines)
    known = CATALOG[INDICATOR]
    frame = pd.DataFrame(
        {
            "_line": rates["area"].map(lines).fillna(0).astype("int64").to_numpy(),
            "indicator": INDICATOR,
            "area": rates["area"].to_numpy(),
            "period": str(year),
            "sex": rates["sex"].to_numpy(),
            "age": known.age,
            "category_type": "",
            "category": "",
            "value_note": np.where(derived, "Summed from its districts' deaths and population", ""),
        }
    )
    for column in ("value", "lower95", "upper95", "lower998", "upper998", "count", "denominator"):
        frame[column] = rates[column].to_numpy(dtype="float64")
    names = {column: column for column in frame.columns}
    indicators = {
        INDICATOR: {
            "name": known.name,
            "domain": known.domain,
            "unit": known.unit,
            "value_type": known.value_type,
            "polarity": known.polarity,
            "method": known.method,
            "definition": (
                "Deaths from all causes under 75 years per 100,000 population, directly "
                "standardised to the 2013 European Standard Population; computed by healthgap "
                "from ONS deaths by age and sex and ONS mid-year population estimates."
            ),
            "source": f"{SOURCE}; definition as {FINGERTIPS_SOURCE} indicator {INDICATOR}",
            "licence": OGL,
        }
    }
    table = ValueTable(
        deaths_path, "ons-mortality", frame, names, indicators, FrameProblems(deaths_path)
    )
    return load_values(table)
