"""Benchmarks for life expectancy and SII at national scale (pytest bench --benchmark-only).

Life expectancy: 7,000 areas x 20 age bands (about the number of MSOAs in England), target
under 2 seconds. SII: 300 areas x 10 deprivation deciles with the default 100,000 simulated
repetitions. Data are synthetic, drawn with numpy's default_rng(2019).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import life_expectancy, sii

AGES = [0, 1, *range(5, 95, 5)]
# England-like death rates per person-year by band (0, 1-4, 5-9, ..., 85-89, 90+).
RATES = np.array(
    [0.0039, 0.00012, 0.00007, 0.00009, 0.00025, 0.00035, 0.00045, 0.0006, 0.0009, 0.0013,
     0.002, 0.003, 0.0046, 0.0074, 0.011, 0.018, 0.030, 0.052, 0.095, 0.21]
)  # fmt: skip
LE_TARGET_SECONDS = 2.0


@pytest.fixture(scope="module")
def le_areas():
    """7,000 areas x 20 bands: populations of a few thousand per band, Poisson deaths."""
    rng = np.random.default_rng(2019)
    n_areas = 7000
    pops = rng.integers(300, 4000, size=(n_areas, 20)).astype(float)
    risk = rng.uniform(0.7, 1.4, size=(n_areas, 1))
    deaths = rng.poisson(pops * RATES * risk).astype(float)
    deaths[:, -1] = np.maximum(deaths[:, -1], 1)
    return pd.DataFrame(
        {
            "area": np.repeat([f"E02{i:06d}" for i in range(n_areas)], 20),
            "age": np.tile(AGES, n_areas),
            "pop": pops.ravel(),
            "deaths": deaths.ravel(),
        }
    )


@pytest.fixture(scope="module")
def sii_areas():
    """300 areas x 10 deciles of life expectancy with standard errors."""
    rng = np.random.default_rng(2019)
    n_areas = 300
    pops = rng.integers(5000, 40000, size=(n_areas, 10)).astype(float)
    gradient = rng.uniform(3, 12, size=(n_areas, 1))
    le = 76 + gradient * np.linspace(0, 1, 10) + rng.normal(0, 0.6, size=(n_areas, 10))
    se = rng.uniform(0.2, 1.5, size=(n_areas, 10))
    return pd.DataFrame(
        {
            "area": np.repeat([f"E06{i:06d}" for i in range(n_areas)], 10),
            "decile": np.tile(np.arange(1, 11), n_areas),
            "pop": pops.ravel(),
            "le": le.ravel(),
            "se": se.ravel(),
        }
    )


def run_le(frame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some small synthetic areas have wide intervals
        return life_expectancy(frame, "deaths", "pop", "age", by="area")


def test_life_expectancy_7000_areas(benchmark, le_areas):
    result = benchmark.pedantic(run_le, args=(le_areas,), rounds=5, iterations=1)
    assert len(result) == 7000 * 20
    at_birth = result.loc[result.age == 0, "value"]
    assert at_birth.notna().mean() > 0.9 and 70 < at_birth.median() < 90
    if benchmark.stats is not None:
        assert benchmark.stats.stats.mean < LE_TARGET_SECONDS


def test_sii_300_areas_100000_repetitions(benchmark, sii_areas):
    result = benchmark.pedantic(
        sii, args=(sii_areas, "le", "decile", "pop"), kwargs={"by": "area", "se": "se"},
        rounds=3, iterations=1,
    )  # fmt: skip
    assert len(result) == 300
    assert (result["sii_lowercl"] < result["sii"]).all()
    assert (result["sii"] < result["sii_uppercl"]).all()


def test_sii_300_areas_10000_repetitions(benchmark, sii_areas):
    """The repetitions the R package's own tests use."""
    result = benchmark.pedantic(
        sii, args=(sii_areas, "le", "decile", "pop"),
        kwargs={"by": "area", "se": "se", "repetitions": 10_000, "rii": True},
        rounds=5, iterations=1,
    )  # fmt: skip
    assert result["sii"].notna().all() and result["rii_lowercl"].notna().all()
