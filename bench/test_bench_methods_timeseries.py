"""Speed of the time-series methods on one indicator's monthly series for every upper-tier
local authority and ICB sub-location (run: ``make bench``). Synthetic data, fixed seed."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import forecast, segmented_regression, spc

N_SERIES, N_MONTHS = 1_000, 60


@pytest.fixture(scope="module")
def monthly() -> pd.DataFrame:
    rng = np.random.default_rng(2024)
    month = np.tile(np.arange(1, N_MONTHS + 1), N_SERIES)
    level = np.repeat(rng.uniform(50, 90, N_SERIES), N_MONTHS)
    value = level + 0.05 * month + rng.normal(0, 2, N_SERIES * N_MONTHS)
    return pd.DataFrame(
        {"area": np.repeat([f"E0{i:07d}" for i in range(N_SERIES)], N_MONTHS),
         "month": month, "value": value, "england": 70 + 0.05 * month}
    )  # fmt: skip


def run(benchmark, function, *args, **kwargs):
    return benchmark.pedantic(function, args=args, kwargs=kwargs, rounds=3, iterations=1)


def test_spc_every_area(benchmark, monthly):
    result = run(benchmark, spc, monthly, "value", period_order="month", by="area",
                 polarity="higher is better", target=75)  # fmt: skip
    assert len(result) == N_SERIES * N_MONTHS


def test_forecast_every_area(benchmark, monthly):
    result = run(benchmark, forecast, monthly, "value", period_order="month", by="area",
                 horizon=6)  # fmt: skip
    assert len(result) == N_SERIES * 6


def test_segmented_regression_every_area_with_comparator(benchmark, monthly):
    result = run(benchmark, segmented_regression, monthly, "value", "month", intervention=37,
                 by="area", comparator="england", autocorrelation="newey-west", lags=2)  # fmt: skip
    assert (result["part"] == "estimate").sum() == N_SERIES * 10
