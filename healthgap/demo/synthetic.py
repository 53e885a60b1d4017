"""Synthetic demo data: life expectancy by ward and by local deprivation decile.

Deaths by ward and decile are not published openly, so the demo generates them: real mid-2019
populations (MSOA single years of age, shared equally among each MSOA's LSOAs), an England-like
death rate for each age band scaled by each LSOA's IMD 2019 rank, and Poisson noise from a fixed
seed. Life expectancy is then computed with :func:`healthgap.methods.life_expectancy`. Every
figure is stored on indicators marked ``is_synthetic``, and pages showing them say so.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np
import pandas as pd
from django.db import transaction

from healthgap.areas.models import IMD, Area, AreaType, Deprivation, PopulationEstimate
from healthgap.indicators.models import (
    ImportRecord,
    Indicator,
    IndicatorValue,
    Period,
    Polarity,
    ValueType,
)
from healthgap.methods import life_expectancy

SEED = 2019
YEARS = 3  # deaths pooled over 2017-19, as Fingertips pools life expectancy
PERIOD = ("2017 - 19", "2017-01-01", "2019-12-31")
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


def _indicators() -> dict[str, Indicator]:
    common = {
        "domain": SYNTHETIC_DOMAIN,
        "unit": "years",
        "value_type": ValueType.LIFE_EXPECTANCY,
        "method": "Chiang II abridged life table, Silcocks confidence intervals",
        "polarity": Polarity.HIGH_IS_GOOD,
        "source": SYNTHETIC_SOURCE,
        "licence": "Synthetic (generated by healthgap); populations OGL v3",
        "is_synthetic": True,
    }
    names = {
        WARD_LE: "Life expectancy at birth by ward (synthetic)",
        DECILE_LE: "Life expectancy at birth by local deprivation decile (synthetic)",
    }
    return {
        code: Indicator.objects.update_or_create(code=code, defaults={"name": name, **common})[0]
        for code, name in names.items()
    }


def _values(indicator, period, record, result, area_for, category_for) -> list[IndicatorValue]:
    values = []
    for row in result.itertuples(index=False):
        category_type, category = category_for(row.group)
        values.append(
            IndicatorValue(
                indicator=indicator,
                area_id=area_for(row.group),
                period=period,
                sex="Persons",
                age="All ages",
                category_type=category_type,
                category=category,
                value=_rounded(row.value),
                lower95=_rounded(row.lower95_0cl),
                upper95=_rounded(row.upper95_0cl),
                lower998=_rounded(row.lower99_8cl),
                upper998=_rounded(row.upper99_8cl),
                count=float(row.deaths),
                denominator=round(float(row.population)),
                value_note="Synthetic: generated for the demo, not real",
                import_record=record,
            )
        )
    return values


def _rounded(number) -> float | None:
    return None if pd.isna(number) else round(float(number), 2)


def load_synthetic_life_expectancy(cities=None) -> int:
    """Generate and store the synthetic figures for the demo boards; running again changes
    nothing (same seed, same values)."""
    cities = list(cities or Area.objects.filter(is_hwb=True))
    fingerprint = hashlib.sha256(f"{SEED}:{BASE_RATES}".encode()).hexdigest()
    values = []
    with transaction.atomic():
        record, _ = ImportRecord.objects.get_or_create(
            sha256=fingerprint,
            importer="synthetic",
            defaults={"file_name": f"synthetic life expectancy (seed {SEED})"},
        )
        indicators = _indicators()
        period, _ = Period.objects.get_or_create(
            label=PERIOD[0], defaults={"start": PERIOD[1], "end": PERIOD[2]}
        )
        for city in cities:
            wards, deciles, population, deaths = city_groups(city)
            by_ward = life_expectancy_by_group(wards, population, deaths)
            values += _values(
                indicators[WARD_LE], period, record, by_ward, lambda g: g, lambda g: ("", "")
            )
            by_decile = life_expectancy_by_group(deciles, population, deaths)
            values += _values(
                indicators[DECILE_LE],
                period,
                record,
                by_decile,
                lambda g, city=city: city.code,
                lambda g: (DECILE_TYPE, decile_label(g)),
            )
        _store(values)
    return len(values)


def _store(values: list[IndicatorValue]) -> None:
    fields = ["value", "lower95", "upper95", "lower998", "upper998", "count", "denominator"]
    IndicatorValue.objects.bulk_create(
        values,
        update_conflicts=True,
        unique_fields=["indicator", "area", "period", "sex", "age", "category_type", "category"],
        update_fields=[*fields, "value_note", "import_record"],
    )
