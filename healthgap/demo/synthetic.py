"""Synthetic demo data: life expectancy by ward and by local deprivation decile.

Deaths by ward and decile are not published openly, so the demo generates them: real mid-2019
populations (MSOA single years of age, shared equally among each MSOA's LSOAs), an England-like
death rate for each age band scaled by each LSOA's IMD 2019 rank, and Poisson noise from a fixed
seed. Life expectancy is then computed with :func:`healthgap.methods.life_expectancy`. Every
figure is stored on indicators marked ``is_synthetic``, and pages showing them say so.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.areas.models import IMD, Area, AreaType, Deprivation, PopulationEstimate
from healthgap.constants import PERSONS
from healthgap.indicators.models import Polarity, ValueType
from healthgap.ingest.values import ValueTable, load_values
from healthgap.methods import life_expectancy

SEED = 2019
YEARS = 3  # deaths pooled over 2017-19, as Fingertips pools life expectancy
PERIOD_LABEL = "2017 - 19"
ALL_AGES = "All ages"
BANDS = (0, 1, *range(5, 95, 5))
# Annual deaths per person in each band, roughly England's (ONS 2017-19), before deprivation.
BASE_RATES = (
    0.0040, 0.00012, 0.00008, 0.0001, 0.0003, 0.0004, 0.0005, 0.0007, 0.001, 0.0015,
    0.0023, 0.0035, 0.0055, 0.0085, 0.013, 0.021, 0.035, 0.062, 0.11, 0.22,
)  # fmt: skip
ENGLAND_LSOAS = 32844
DECILE_TYPE = "Local deprivation decile (IMD 2019, within the authority)"
WARD_LE = "SYN-LE-WARD"
DECILE_LE = "SYN-LE-DECILE"
SYNTHETIC_DOMAIN = "Inequalities (synthetic)"
SYNTHETIC_IMPORTER = "synthetic"
SYNTHETIC_NOTE = "Synthetic: generated for the demo, not real"
SYNTHETIC_SOURCE = (
    f"Synthetic: deaths generated with seed {SEED} over ONS mid-2019 populations; "
    "life expectancy by Chiang II (healthgap.methods)"
)


def band_of(age: int) -> int:
    return 0 if age == 0 else 1 if age < 5 else min(age // 5 + 1, len(BANDS) - 1)


def decile_label(decile: int) -> str:
    suffix = {1: " (most deprived)", 10: " (least deprived)"}.get(decile, "")
    return f"{decile}{suffix}"


def _lsoas(city: Area) -> list[dict]:
    """The city's LSOAs with their MSOA, ward and IMD rank."""
    rows = Deprivation.objects.filter(
        domain=IMD, year=2019, area__area_type=AreaType.LSOA, area__parent__parent=city
    ).values("area_id", "area__parent_id", "area__ward_id", "rank")
    return [
        {"code": r["area_id"], "msoa": r["area__parent_id"], "ward": r["area__ward_id"],
         "rank": r["rank"]}
        for r in rows
    ]  # fmt: skip


def _lsoa_population(lsoas: list[dict]) -> dict[str, np.ndarray]:
    """{LSOA: population by band}, each MSOA's single years shared equally among its LSOAs."""
    per_msoa = defaultdict(int)
    for lsoa in lsoas:
        per_msoa[lsoa["msoa"]] += 1
    msoa_bands: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(BANDS)))
    counts = PopulationEstimate.objects.filter(
        area_id__in=list(per_msoa), year=2019, sex="persons"
    ).values_list("area_id", "age", "count")
    for msoa, age, count in counts:
        msoa_bands[msoa][band_of(age)] += count
    return {lsoa["code"]: msoa_bands[lsoa["msoa"]] / per_msoa[lsoa["msoa"]] for lsoa in lsoas}


def local_deciles(lsoas: list[dict]) -> dict[str, int]:
    """Each LSOA's decile of IMD rank within the city (1 = most deprived tenth of its LSOAs)."""
    ordered = sorted(lsoas, key=lambda lsoa: lsoa["rank"])
    return {lsoa["code"]: 1 + (10 * i) // len(ordered) for i, lsoa in enumerate(ordered)}


def _synthetic_deaths(lsoas, population, rng) -> dict[str, np.ndarray]:
    rates = np.array(BASE_RATES)
    deaths = {}
    for lsoa in sorted(lsoas, key=lambda lsoa: lsoa["code"]):
        factor = 1.5 - 0.8 * lsoa["rank"] / ENGLAND_LSOAS  # most deprived 1.5x, least 0.7x
        deaths[lsoa["code"]] = rng.poisson(population[lsoa["code"]] * YEARS * rates * factor)
    return deaths


def _grouped_frame(groups: dict[str, list[str]], population, deaths) -> pd.DataFrame:
    rows = []
    for group, members in groups.items():
        for band_index, start in enumerate(BANDS):
            rows.append(
                {
                    "group": group,
                    "startage": start,
                    "population": YEARS * sum(population[m][band_index] for m in members),
                    "deaths": sum(int(deaths[m][band_index]) for m in members),
                }
            )
    return pd.DataFrame(rows)


def life_expectancy_by_group(groups, population, deaths) -> pd.DataFrame:
    frame = _grouped_frame(groups, population, deaths)
    result = life_expectancy(
        frame, "deaths", "population", "startage", by="group", le_age=0, confidence=(0.95, 0.998)
    )
    totals = frame.groupby("group")[["deaths", "population"]].sum()
    return result.join(totals, on="group")


def city_groups(city: Area) -> tuple[dict, dict, dict, dict]:
    """Wards, local deciles and the whole city as groups of LSOA codes, and the LSOA data."""
    lsoas = _lsoas(city)
    rng = np.random.default_rng([SEED, int(city.code[1:])])
    population = _lsoa_population(lsoas)
    deaths = _synthetic_deaths(lsoas, population, rng)
    wards, deciles = defaultdict(list), defaultdict(list)
    decile_of = local_deciles(lsoas)
    for lsoa in lsoas:
        wards[lsoa["ward"]].append(lsoa["code"])
        deciles[decile_of[lsoa["code"]]].append(lsoa["code"])
    wards[city.code] = [lsoa["code"] for lsoa in lsoas]
    return dict(wards), dict(deciles), population, deaths


def _indicators() -> dict[str, dict]:
    """Each synthetic indicator's fields by code, as the indicator store's loader takes them."""
    common = {
        "domain": SYNTHETIC_DOMAIN,
        "unit": "years",
        "value_type": ValueType.LIFE_EXPECTANCY,
        "method": "Chiang II abridged life table, Silcocks confidence intervals",
        "polarity": Polarity.HIGH_IS_GOOD,
        "source": SYNTHETIC_SOURCE,
        "licence": "Synthetic (generated by healthgap); populations OGL v3",
        "is_synthetic": True,
        # Stand-ins for figures computed from record-level deaths: published under control.
        "needs_disclosure_control": True,
    }
    names = {
        WARD_LE: "Life expectancy at birth by ward (synthetic)",
        DECILE_LE: "Life expectancy at birth by local deprivation decile (synthetic)",
    }
    return {code: {"name": name, **common} for code, name in names.items()}


def _value_rows(indicator: str, result: pd.DataFrame, area_for, category_for) -> pd.DataFrame:
    """One row per group in the canonical columns of :class:`ValueTable`."""
    groups = result["group"].tolist()
    categories = [category_for(group) for group in groups]
    return pd.DataFrame(
        {
            "indicator": indicator,
            "area": [area_for(group) for group in groups],
            "period": PERIOD_LABEL,
            "sex": PERSONS,
            "age": ALL_AGES,
            "category_type": [category_type for category_type, _ in categories],
            "category": [str(category) for _, category in categories],
            "value": _rounded(result["value"]),
            "lower95": _rounded(result["lower95_0cl"]),
            "upper95": _rounded(result["upper95_0cl"]),
            "lower998": _rounded(result["lower99_8cl"]),
            "upper998": _rounded(result["upper99_8cl"]),
            "count": result["deaths"].astype(float).to_numpy(),
            "denominator": result["population"].astype(float).round().to_numpy(),
            "value_note": SYNTHETIC_NOTE,
        }
    )


def _rounded(numbers: pd.Series) -> np.ndarray:
    return numbers.astype(float).round(2).to_numpy()


def synthetic_values(cities) -> pd.DataFrame:
    """Life expectancy by ward and by local decile for each city, as one table of values."""
    parts = []
    for city in cities:
        wards, deciles, population, deaths = city_groups(city)
        by_ward = life_expectancy_by_group(wards, population, deaths)
        parts.append(_value_rows(WARD_LE, by_ward, lambda g: g, lambda g: ("", "")))
        by_decile = life_expectancy_by_group(deciles, population, deaths)
        parts.append(
            _value_rows(
                DECILE_LE,
                by_decile,
                lambda g, city=city: city.code,
                lambda g: (DECILE_TYPE, decile_label(g)),
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["_line"] = np.arange(2, len(frame) + 2)
    return frame


def load_synthetic_life_expectancy(cities=None) -> int:
    """Generate the synthetic figures for the demo boards and load them like any imported file
    (an import record, benchmarking and history); running again changes nothing (same seed,
    same values, same file)."""
    cities = list(cities or Area.objects.filter(is_hwb=True))
    frame = synthetic_values(cities)
    with tempfile.TemporaryDirectory() as folder:
        # The loader records each file by its SHA-256: the same figures make the same file.
        path = Path(folder) / f"synthetic_life_expectancy_seed_{SEED}.csv"
        frame.to_csv(path, index=False)
        names = {column: column for column in frame.columns}
        table = ValueTable(path, SYNTHETIC_IMPORTER, frame, names, _indicators())
        return load_values(table).rows
