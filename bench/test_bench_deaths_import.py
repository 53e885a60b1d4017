"""Importing a year of England's deaths, record by record: 500,000 rows (run: ``make bench``).

The extract is generated with a fixed seed over every English LSOA (2011 codes, loaded from the
demo's IMD file): ages from an England-like distribution, both sexes, dates through 2019, ICD-10
underlying causes from every chapter. The import reads and checks every row, counts the deaths
by LSOA x age band x sex x year x cause group and writes only those counts, in one transaction.
The issue asks for 20 s at most; the test checks the process's CPU time against it (wall time
is printed too), since a shared machine's load can stretch wall time several-fold.
"""

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from healthgap.areas.models import Area, AreaType
from healthgap.demo.loader import demo_file, load_demo_authorities
from healthgap.ingest import geography
from healthgap.ingest.deaths import import_deaths
from healthgap.mortality.models import DeathCount

RECORDS = 500_000
LIMIT_SECONDS = 20
CODES = ["I21.9", "I64", "C34.9", "C50.9", "J44.9", "J18.9", "K70.3", "K92.2", "X70", "V89.2",
         "F03", "U07.1", "G30.9", "E11.9", "N18.5", "P07.3", "A41.9", "R99"]  # fmt: skip


@pytest.fixture
def lsoas(transactional_db):
    load_demo_authorities()
    geography.load_lsoas_with_imd(demo_file("deprivation/iod2019_file1_imd_lsoa_england.csv"))
    return list(Area.objects.filter(area_type=AreaType.LSOA).values_list("code", flat=True))


def generate(path: Path, lsoas: list[str]) -> None:
    rng = np.random.default_rng(500_000)
    ages = np.clip(rng.normal(78, 14, RECORDS), 0, 105).astype(int)
    days = rng.integers(0, 365, RECORDS)
    dates = (pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    pd.DataFrame(
        {
            "date_of_death": dates,
            "age_years": ages,
            "sex": rng.choice(["1", "2"], RECORDS),
            "lsoa_code": np.asarray(lsoas)[rng.integers(0, len(lsoas), RECORDS)],
            "underlying_cause": rng.choice(CODES, RECORDS),
        }
    ).to_csv(path, index=False)


def test_import_a_year_of_englands_deaths(benchmark, tmp_path, lsoas):
    path = tmp_path / "deaths_england_2019.csv"
    generate(path, lsoas)
    timings = []

    def run():
        started, cpu = time.perf_counter(), time.process_time()
        result = import_deaths(path)
        timings.append((time.perf_counter() - started, time.process_time() - cpu))
        return result

    result = benchmark.pedantic(run, rounds=1, iterations=1)
    wall, cpu = timings[0]
    print(f"\n{RECORDS:,} deaths -> {result.cells:,} cells in {wall:.1f} s ({cpu:.1f} s CPU)")
    benchmark.extra_info.update({"records": RECORDS, "cells": result.cells, "cpu_seconds": cpu})
    assert result.deaths == RECORDS
    assert sum(DeathCount.objects.values_list("deaths", flat=True)) == RECORDS
    assert cpu <= LIMIT_SECONDS  # this process's own time: the machine may be shared
