"""Forecast from the recent trend: a hand-worked textbook prediction interval and statsmodels
OLS/WLS as an independent check."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from healthgap.methods import MethodArgumentError, describe_forecast, forecast


def frame(values, **extra):
    return pd.DataFrame({"year": range(2015, 2015 + len(values)), "value": values, **extra})


def test_hand_worked_prediction_interval():
    # Montgomery, Peck & Vining, Introduction to Linear Regression Analysis (5th ed.), eq. 2.45:
    # y0 +/- t(0.975, n-2) sqrt(s^2 (1 + 1/n + (x0 - xbar)^2 / Sxx)). For y = 1, 3, 2, 5, 4 at
    # x = 1..5 by hand: Sxx = 10, Sxy = 8, slope 0.8, intercept 0.6, SSE 3.6, s^2 1.2; at
    # x0 = 6 the forecast is 5.4 with variance 1.2 x 2.1 = 2.52, t(0.975, 3) = 3.182446.
    result = forecast(frame([1, 3, 2, 5, 4]), "value", period_order="year")
    row = result.iloc[0]
    half = 3.182446305284263 * np.sqrt(2.52)
    assert row["value"] == pytest.approx(5.4)
    assert row["lowercl"] == pytest.approx(5.4 - half)
    assert row["uppercl"] == pytest.approx(5.4 + half)
    assert row["slope"] == pytest.approx(0.8)
    assert row["slope_se"] == pytest.approx(np.sqrt(1.2 / 10))
    assert row["latest_period"] == 2019 and row["step"] == 1 and row["points_used"] == 5


def test_matches_statsmodels_ols_over_a_horizon_at_two_levels():
    values = [40.1, 41.0, 39.2, 44.8, 45.3, 46.0, 47.9, 47.1]
    result = forecast(frame(values), "value", period_order="year", horizon=4,
                      confidence=(0.95, 0.998))  # fmt: skip
    latest = np.array(values[-5:])
    model = sm.OLS(latest, sm.add_constant(np.arange(1.0, 6.0))).fit()
    ahead = sm.add_constant(np.arange(6.0, 10.0), has_constant="add")
    for level, suffix in ((0.95, "95_0"), (0.998, "99_8")):
        expected = model.get_prediction(ahead).summary_frame(alpha=1 - level)
        np.testing.assert_allclose(result["value"], expected["mean"], rtol=1e-10)
        np.testing.assert_allclose(result[f"lower{suffix}cl"], expected["obs_ci_lower"], rtol=1e-10)
        np.testing.assert_allclose(result[f"upper{suffix}cl"], expected["obs_ci_upper"], rtol=1e-10)
    assert result["step"].tolist() == [1, 2, 3, 4]
    assert result["confidence"].iloc[0] == "95%, 99.8%"


def test_weighted_by_limits_matches_statsmodels_wls():
    values = [12.0, 12.6, 13.1, 12.9, 14.2]
    half = np.array([0.8, 0.5, 1.1, 0.6, 0.9])
    data = frame(values, low=np.array(values) - half, high=np.array(values) + half)
    result = forecast(data, "value", period_order="year", lower="low", upper="high", horizon=2)
    weights = 1 / (2 * half / 3.92) ** 2
    model = sm.WLS(values, sm.add_constant(np.arange(1.0, 6.0)), weights=weights).fit()
    ahead = sm.add_constant(np.array([6.0, 7.0]), has_constant="add")
    expected = model.get_prediction(ahead, weights=weights[-1]).summary_frame(alpha=0.05)
    np.testing.assert_allclose(result["value"], expected["mean"], rtol=1e-10)
    np.testing.assert_allclose(result["lowercl"], expected["obs_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(result["uppercl"], expected["obs_ci_upper"], rtol=1e-10)
    assert "weighted" in result["method"].iloc[0]
    se_result = forecast(data.assign(se=2 * half / 3.92), "value", period_order="year", se="se",
                         horizon=2)  # fmt: skip
    np.testing.assert_allclose(se_result["uppercl"], result["uppercl"], rtol=1e-12)


def test_perfect_line_forecasts_exactly():
    result = forecast(frame([2 + 3 * t for t in range(1, 8)]), "value", period_order="year",
                      horizon=3, points=7)  # fmt: skip
    np.testing.assert_allclose(result["value"], [26, 29, 32])
    np.testing.assert_allclose(result["uppercl"] - result["lowercl"], 0, atol=1e-9)


def test_only_latest_points_are_used_and_groups_are_separate():
    data = pd.concat([
        frame([100, 0, 1, 2, 3, 4]).assign(area="A"),
        frame([5, 4, 3, 2, 1]).assign(area="B"),
    ])  # fmt: skip
    result = forecast(data.sample(frac=1, random_state=1), "value", period_order="year", by="area")
    assert result["area"].tolist() == ["A", "B"]
    np.testing.assert_allclose(result["value"], [5, 0], atol=1e-9)
    assert result["latest_period"].tolist() == [2020, 2019]


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, np.nan, 4.0, 5.0]])
def test_too_few_or_missing_points_give_nan_with_reason(values):
    row = forecast(frame(values), "value", period_order="year").iloc[0]
    assert np.isnan(row["value"]) and np.isnan(row["uppercl"]) and row["points_used"] == 0
    assert row["statistic"] == "forecast: needs the latest 5 periods, each with a value"
    assert describe_forecast(row) == (
        "No forecast is given: needs the latest 5 periods, each with a value."
    )


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"horizon": 0}, "horizon"),
        ({"points": 2}, "points"),
        ({"lower": "value"}, "lower"),
        ({"se": "value", "lower": "value", "upper": "value"}, "se"),
        ({"confidence": 0.5}, "confidence"),
        ({"by": "nope"}, "by"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, argument):
    with pytest.raises(MethodArgumentError, match=f"^{argument}:"):
        forecast(frame([1, 2, 3, 4, 5]), "value", period_order="year", **kwargs)


def test_describe_with_target():
    row = forecast(frame([1, 3, 2, 5, 4]), "value", period_order="year").iloc[0]
    text = describe_forecast(row, target=12)
    assert text == (
        "On the trend of the latest 5 values (a rise of 0.8 a period), the value 1 period ahead "
        "is forecast at 5.4 (95% prediction interval 0.3 to 10.5). The target, 12.0, lies above "
        "the interval, so on this trend the value will probably stay below it."
    )
    assert "lies within the interval" in describe_forecast(row, target=5)
