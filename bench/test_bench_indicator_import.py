"""Importing a 1,000,000-row Fingertips export with benchmarking (run: ``make bench``).

The file is generated with a fixed seed: 100 indicators (half proportions with counts, half
directly standardised rates with limits) x England, the 9 regions and every upper-tier authority
x 3 sexes x single years, cut at 1,000,000 rows. The import parses and validates the whole file,
writes it (executemany on SQLite, COPY on PostgreSQL), benchmarks every value (England and
region at 95% and 99.8%, rank/quartile/quintile, recent trend) and commits. Rows per second and
peak memory (resident set size of the process, sampled) are printed and kept in extra_info.

The re-import benchmark loads that file, then times importing a revision of it in which 10% of
the values changed (one more event in the count, so new value and limits): the changed values are
updated in place (keeping their ids) with their old figures kept as history, and every value is
benchmarked again.
Run on PostgreSQL with ``scripts/with_postgres.sh .venv/bin/python -m pytest bench -k import``.
"""

import csv
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.db import connection

from healthgap.areas.models import Area, AreaType
from healthgap.demo.loader import load_demo_authorities
from healthgap.indicators.models import Indicator, IndicatorValue, SupersededValue
from healthgap.ingest.fingertips import EXPORT_COLUMNS, import_fingertips_export
from healthgap.methods import proportion

ROWS = 1_000_000
INDICATORS = 100
YEARS = list(range(1995, 2025))
SEXES = ["Persons", "Male", "Female"]
REVISED_SHARE = 0.1


@pytest.fixture
def authorities(transactional_db):
    """England, the regions and the local authorities, loaded for each test: a transactional
    test empties every table after it."""
    load_demo_authorities()


def generate(path: Path, areas: list[str], revised: float = 0.0) -> int:
    """The export file, written with the csv module; returns its number of rows. ``revised``:
    the share of rows (chosen at random) given one more event than in the original file."""
    rng = np.random.default_rng(2024)
    per_indicator = len(areas) * len(SEXES) * len(YEARS)
    n = min(ROWS, per_indicator * INDICATORS)
    index = np.arange(n)
    indicator = 90000 + index // per_indicator
    area = np.array(areas)[(index // (len(SEXES) * len(YEARS))) % len(areas)]
    sex = np.array(SEXES)[(index // len(YEARS)) % len(SEXES)]
    year = np.array(YEARS)[index % len(YEARS)]
    denominator = rng.integers(5_000, 500_000, n).astype(float)
    count = rng.binomial(denominator.astype(int), rng.uniform(0.02, 0.3, n)).astype(float)
    changed = np.random.default_rng(2025).choice(n, size=round(n * revised), replace=False)
    count[changed] += 1
    limits = proportion(
        pd.DataFrame({"x": count, "n": denominator}),
        "x",
        "n",
        confidence=(0.95, 0.998),
        multiplier=100,
    )
    is_rate = indicator % 2 == 1
    columns = {
        "IndicatorID": indicator,
        "IndicatorName": np.char.add("Generated indicator ", indicator.astype(str)),
        "AreaCode": area,
        "Sex": sex,
        "Age": np.full(n, "All ages"),
        "Timeperiod": year,
        "Value": limits["value"].to_numpy(),
        "Lower_CI_95.0_limit": limits["lower95_0cl"].to_numpy(),
        "Upper_CI_95.0_limit": limits["upper95_0cl"].to_numpy(),
        "Lower_CI_99.8_limit": limits["lower99_8cl"].to_numpy(),
        "Upper_CI_99.8_limit": limits["upper99_8cl"].to_numpy(),
        "Count": np.where(is_rate, np.nan, count),
        "Denominator": np.where(is_rate, np.nan, denominator),
    }
    frame = pd.DataFrame({name: columns.get(name, "") for name in EXPORT_COLUMNS})
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return n


class PeakMemory:
    """Highest resident set size of this process while the block runs (sampled every 20 ms)."""

    def __enter__(self):
        self.peak = self.start = self._rss()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()

    def _sample(self):
        while self._running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.02)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * 4096


def generated_file(path: Path, revised: float = 0.0) -> int:
    """Write the export file for England, the regions and the upper-tier authorities, with its
    100 indicators created; returns its number of rows."""
    areas = [
        "E92000001",
        *Area.objects.filter(area_type=AreaType.REGION).values_list("code", flat=True),
    ]
    areas += list(Area.objects.upper_tier().values_list("code", flat=True))
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=str(code),
                name=f"Generated indicator {code}",
                value_type="dsr" if code % 2 else "proportion",
                polarity="low" if code % 3 else "high",
            )
            for code in range(90000, 90000 + INDICATORS)
        ],
        ignore_conflicts=True,
    )
    return generate(path, areas, revised)


def timed_import(benchmark, path: Path, rows: int) -> dict:
    """Import the file once under the benchmark; print and keep rows/s and memory."""
    results = {}

    def run():
        with PeakMemory() as memory:
            started, cpu = time.perf_counter(), time.process_time()
            results["load"] = import_fingertips_export(path)
            results["seconds"] = time.perf_counter() - started
            results["cpu_seconds"] = time.process_time() - cpu
        results["memory"] = memory

    benchmark.pedantic(run, rounds=1, iterations=1)
    rate = rows / results["seconds"]
    # The machine may be shared: rows per second of this process's own CPU does not depend on
    # what else runs (SQLite works inside the process; a PostgreSQL server's CPU is not in it).
    cpu_rate = rows / results["cpu_seconds"]
    peak_mb = results["memory"].peak / 2**20
    growth_mb = (results["memory"].peak - results["memory"].start) / 2**20
    benchmark.extra_info.update(
        rows=rows,
        rows_per_second=round(rate),
        cpu_seconds=round(results["cpu_seconds"], 1),
        rows_per_cpu_second=round(cpu_rate),
        peak_rss_mb=round(peak_mb),
        rss_growth_mb=round(growth_mb),
        database=connection.vendor,
    )
    print(
        f"\n{connection.vendor}: {results['load'].describe()} in {results['seconds']:.1f} s = "
        f"{rate:,.0f} rows/s ({results['cpu_seconds']:.1f} s of this process's CPU = "
        f"{cpu_rate:,.0f} rows per CPU-second); "
        f"peak RSS {peak_mb:,.0f} MB ({growth_mb:,.0f} MB above the start)"
    )
    return results


def generated_values():
    return IndicatorValue.objects.filter(indicator__gte="90000", indicator__lt="90100")


# transaction=True: the import's transaction really commits, so the time includes the commit and
# PostgreSQL's deferred foreign-key checks, as a real `healthgap import` pays them.
@pytest.mark.django_db(transaction=True)
def test_import_one_million_fingertips_rows(benchmark, tmp_path, authorities):
    path = tmp_path / "fingertips_1m.csv"
    n = generated_file(path)
    results = timed_import(benchmark, path, n)
    assert results["load"].new == n == generated_values().count()


@pytest.mark.django_db(transaction=True)
def test_re_import_one_million_rows_with_a_tenth_changed(benchmark, tmp_path, authorities):
    original, revision = tmp_path / "fingertips_1m.csv", tmp_path / "fingertips_1m_revised.csv"
    n = generated_file(original)
    generated_file(revision, revised=REVISED_SHARE)
    started = time.perf_counter()
    first = import_fingertips_export(original)
    seconds = time.perf_counter() - started
    print(f"\n{connection.vendor}: first load {first.describe()} in {seconds:.1f} s")
    ids = np.sort(np.array(generated_values().values_list("id", flat=True)))
    results = timed_import(benchmark, revision, n)
    load, changed = results["load"], round(n * REVISED_SHARE)
    assert (load.new, load.replaced, load.unchanged) == (0, changed, n - changed)
    assert SupersededValue.objects.count() == changed
    after = np.sort(np.array(generated_values().values_list("id", flat=True)))
    assert np.array_equal(after, ids)
