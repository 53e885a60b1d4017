"""Speed of the core methods at national scale (run: ``pytest bench --benchmark-only``).

Not part of the normal test run (``testpaths`` is ``tests``). Synthetic data, fixed seed.
"""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import dsr, funnel_limits, funnel_significance

N_LSOA, N_BANDS, N_SEXES, N_YEARS = 32_844, 19, 2, 10


@pytest.fixture(scope="module")
def lsoa_counts() -> pd.DataFrame:
    """Deaths and populations for every LSOA x sex x year x 19 age bands (12.5 million rows)."""
    rng = np.random.default_rng(2019)
    n_rows = N_LSOA * N_YEARS * N_SEXES * N_BANDS
    codes = pd.Categorical.from_codes(
        np.repeat(np.arange(N_LSOA), N_YEARS * N_SEXES * N_BANDS),
        categories=[f"E01{i:06d}" for i in range(N_LSOA)],
    )
    year = np.tile(np.repeat(np.arange(2013, 2013 + N_YEARS), N_SEXES * N_BANDS), N_LSOA)
    sex = pd.Categorical.from_codes(
        np.tile(np.repeat([0, 1], N_BANDS), N_LSOA * N_YEARS), categories=["Female", "Male"]
    )
    band_rate = np.geomspace(0.0005, 0.2, N_BANDS)
    pop = rng.integers(20, 150, n_rows).astype(np.float64)
    count = rng.poisson(pop * np.tile(band_rate, n_rows // N_BANDS)).astype(np.float64)
    return pd.DataFrame(
        {"lsoa": codes, "year": year.astype(np.int16), "sex": sex, "count": count, "pop": pop}
    )


def test_dsr_all_lsoas_two_levels(benchmark, lsoa_counts):
    result = benchmark.pedantic(
        dsr,
        args=(lsoa_counts, "count", "pop"),
        kwargs={"by": ["lsoa", "sex", "year"], "confidence": (0.95, 0.998)},
        rounds=5,
        iterations=1,
        warmup_rounds=1,
    )
    assert len(result) == N_LSOA * N_SEXES * N_YEARS
    assert {"lower95_0cl", "upper99_8cl"} <= set(result.columns)


@pytest.fixture(scope="module")
def gp_practices() -> pd.DataFrame:
    rng = np.random.default_rng(2019)
    registered = rng.integers(1_000, 60_000, 6_500).astype(np.float64)
    screened = rng.binomial(registered.astype(np.int64), 0.72).astype(np.float64)
    return pd.DataFrame({"screened": screened, "registered": registered})


def test_funnel_limits_gp_practices(benchmark, gp_practices):
    def run():
        limits = funnel_limits(
            gp_practices, "screened", "registered", statistic="proportion", multiplier=100
        )
        flagged = funnel_significance(
            gp_practices, "screened", "registered", statistic="proportion"
        )
        return limits, flagged

    limits, flagged = benchmark(run)
    assert len(limits) == 100 and len(flagged) == 6_500


def test_funnel_ratio_limits_gp_practices(benchmark, gp_practices):
    expected = gp_practices.assign(expected=gp_practices["screened"] * 0.97)
    limits = benchmark(
        funnel_limits,
        expected,
        "screened",
        "expected",
        statistic="ratio",
        multiplier=100,
        ratio_type="isr",
    )
    assert len(limits) == 100
