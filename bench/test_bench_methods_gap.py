"""Speed of dsr on an ordinary user frame, and of the closing-the-gap methods, at national scale.

Run: ``pytest bench/test_bench_methods_gap.py --benchmark-only``. Synthetic data, fixed seed.
Unlike ``test_bench_methods_core`` the group columns are what a user's CSV gives: LSOA codes
and sexes as text, years as integers, and the standard population as a column.
"""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import ESP2013, deaths_to_avert, dsr

N_LSOA, N_BANDS, N_SEXES, N_YEARS = 32_844, 19, 2, 10
ESP_BANDS = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]


@pytest.fixture(scope="module")
def user_frame() -> pd.DataFrame:
    """Every LSOA x year x sex x 19 age bands (12.5 million rows), text and integer keys."""
    rng = np.random.default_rng(2019)
    rows_per_lsoa = N_YEARS * N_SEXES * N_BANDS
    n_rows = N_LSOA * rows_per_lsoa
    lsoa_codes = np.array([f"E01{i:06d}" for i in range(N_LSOA)], dtype=object)
    band_rate = np.geomspace(0.0005, 0.2, N_BANDS)
    pop = rng.integers(20, 150, n_rows).astype(np.float64)
    return pd.DataFrame(
        {
            "lsoa": np.repeat(lsoa_codes, rows_per_lsoa),
            "year": np.tile(np.repeat(np.arange(2013, 2013 + N_YEARS), N_SEXES * N_BANDS), N_LSOA),
            "sex": np.tile(
                np.repeat(np.array(["Female", "Male"], dtype=object), N_BANDS), n_rows // 38
            ),
            "ageband": np.tile(np.array(ESP_BANDS, dtype=object), n_rows // N_BANDS),
            "count": rng.poisson(pop * np.tile(band_rate, n_rows // N_BANDS)).astype(np.float64),
            "pop": pop,
            "esp": np.tile(ESP2013, n_rows // N_BANDS),
        }
    )


def test_dsr_user_frame_all_lsoas_two_levels(benchmark, user_frame):
    result = benchmark.pedantic(
        dsr,
        args=(user_frame, "count", "pop"),
        kwargs={
            "by": ["lsoa", "sex", "year"],
            "stdpop": "esp",
            "stdpoptype": "field",
            "confidence": (0.95, 0.998),
        },
        rounds=3,
        iterations=1,
        warmup_rounds=1,
    )
    assert len(result) == N_LSOA * N_SEXES * N_YEARS
    assert {"lower95_0cl", "upper99_8cl"} <= set(result.columns)


def test_deaths_to_avert_all_lsoas_at_a_target_dsr(benchmark, user_frame):
    one_year = user_frame[user_frame["year"] == 2022]
    result = benchmark.pedantic(
        deaths_to_avert,
        args=(one_year, "count", "pop", "ageband"),
        kwargs={"by": ["lsoa", "sex"], "target_dsr": 900, "stdpop": "esp", "stdpoptype": "field"},
        rounds=3,
        iterations=1,
    )
    assert len(result) == N_LSOA * N_SEXES * (N_BANDS + 1)
