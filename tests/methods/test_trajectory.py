"""Trajectories from a baseline to a target, worked by hand, and the deaths to avert on them."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, trajectory, trajectory_deaths_to_avert


def test_linear_trajectory_by_hand():
    result = trajectory(400, 2020, 300, 2025)
    assert result["year"].tolist() == [2020, 2021, 2022, 2023, 2024, 2025]
    np.testing.assert_allclose(result["expected"], [400, 380, 360, 340, 320, 300])


def test_percentage_trajectory_changes_by_the_same_percentage_each_year():
    # 400 to 324 over 2 years is 10% down a year: 400, 360, 324.
    result = trajectory(400, 2020, 324, 2022, kind="percentage")
    np.testing.assert_allclose(result["expected"], [400, 360, 324])
    ratios = result["expected"].iloc[1:].to_numpy() / result["expected"].iloc[:-1].to_numpy()
    np.testing.assert_allclose(ratios, 0.9)


def test_deaths_to_avert_along_a_crude_rate_trajectory():
    # 500 deaths in a population of 100,000 (500 per 100,000); target 400 by 2022.
    path = trajectory(500, 2020, 400, 2022)
    result = trajectory_deaths_to_avert(path, deaths=500, rate=500)
    # deaths - expected rate x population / 100,000: 0, 50, 100.
    np.testing.assert_allclose(result["deaths_to_avert"], [0, 50, 100])
    assert list(result.columns) == ["year", "expected", "deaths_to_avert"]


def test_deaths_to_avert_along_a_dsr_trajectory_over_pooled_years():
    path = trajectory(1000, 2019, 800, 2021)
    result = trajectory_deaths_to_avert(path, deaths=3000, rate=1000, years_of_data=3)
    # (1 - T / DSR) x deaths / years: 0, 0.1 x 1000, 0.2 x 1000.
    np.testing.assert_allclose(result["deaths_to_avert"], [0, 100, 200])


def test_target_year_before_baseline_is_refused():
    with pytest.raises(MethodArgumentError, match="target_year: 2019 must be after"):
        trajectory(400, 2020, 300, 2019)
    with pytest.raises(MethodArgumentError, match="target_year"):
        trajectory(400, 2020, 300, 2020)


def test_argument_errors_name_the_argument():
    with pytest.raises(MethodArgumentError, match="kind"):
        trajectory(400, 2020, 300, 2025, kind="exponential")
    with pytest.raises(MethodArgumentError, match="baseline_year: must be a whole year"):
        trajectory(400, 2020.5, 300, 2025)
    with pytest.raises(MethodArgumentError, match="target_value"):
        trajectory(400, 2020, 0, 2025, kind="percentage")
    with pytest.raises(MethodArgumentError, match="baseline_value"):
        trajectory(float("nan"), 2020, 300, 2025)
    with pytest.raises(MethodArgumentError, match="rate"):
        trajectory_deaths_to_avert(trajectory(400, 2020, 300, 2025), deaths=10, rate=0)
    with pytest.raises(MethodArgumentError, match="path: column 'expected'"):
        trajectory_deaths_to_avert(pd.DataFrame({"year": [2020]}), deaths=10, rate=5)
