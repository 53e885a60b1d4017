"""Benchmark data for the outcome pages, added to a demo database (never to the shipped demo):
60 indicators in 6 domains for every upper-tier authority, region and England over 3 periods,
and one indicator for Coventry's 195 LSOAs. Synthetic, fixed seed.

Run as ``python -m bench.web_data`` with the benchmark's DATABASE_URL / HEALTHGAP_VAR.
"""

from __future__ import annotations

import os
from datetime import date

import numpy as np

N_INDICATORS, N_DOMAINS, YEARS = 60, 6, (2019, 2020, 2021)
LSOA_INDICATOR = "BENCH-LSOA"
COVENTRY = "E08000026"


def load() -> int:
    from django.db import transaction

    from healthgap.areas.models import Area, AreaType
    from healthgap.indicators.models import Indicator, IndicatorValue, Period

    rng = np.random.default_rng(60)
    periods = [
        Period.objects.get_or_create(
            label=str(year), defaults={"start": date(year, 1, 1), "end": date(year, 12, 31)}
        )[0]
        for year in YEARS
    ]
    areas = list(
        Area.objects.filter(
            area_type__in=[AreaType.COUNTY, AreaType.UNITARY, AreaType.REGION, AreaType.ENGLAND]
        ).values_list("code", flat=True)
    )
    lsoas = list(
        Area.objects.of_type(AreaType.LSOA)
        .filter(parent__parent_id=COVENTRY)
        .values_list("code", flat=True)
    )
    values = []
    with transaction.atomic():
        for number in range(N_INDICATORS):
            indicator, _ = Indicator.objects.update_or_create(
                code=f"BENCH-{number:02d}",
                defaults={
                    "name": f"Benchmark indicator {number:02d}",
                    "domain": f"Benchmark domain {number % N_DOMAINS}",
                    "unit": "%",
                    "polarity": "low" if number % 2 else "high",
                    "is_synthetic": True,
                },
            )
            for period in periods:
                values += _values(indicator, period, areas, rng)
        lsoa_indicator, _ = Indicator.objects.update_or_create(
            code=LSOA_INDICATOR,
            defaults={"name": "Benchmark LSOA indicator", "domain": "Benchmark small areas",
                      "unit": "%", "polarity": "low", "is_synthetic": True},
        )  # fmt: skip
        values += _values(lsoa_indicator, periods[-1], [*lsoas, COVENTRY], rng)
        IndicatorValue.objects.filter(indicator__code__startswith="BENCH-").delete()
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return len(values)


def _values(indicator, period, codes, rng):
    from healthgap.indicators.models import IndicatorValue

    centre = rng.uniform(10, 60)
    found = []
    for code in codes:
        value = centre * rng.uniform(0.7, 1.3)
        half = value * rng.uniform(0.02, 0.1)
        found.append(
            IndicatorValue(
                indicator=indicator, area_id=code, period=period, value=value,
                lower95=value - half, upper95=value + half,
                lower998=value - 1.6 * half, upper998=value + 1.6 * half,
                count=round(value * 10), denominator=1000,
            )
        )  # fmt: skip
    return found


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthgap.settings.dev")
    import django

    django.setup()
    print(f"benchmark values: {load():,}")
