"""healthgap.methods.funnel: limits, significance and points (R v2 funnel functions).

The limits were also checked by hand against the R package's own funnel fixtures (CSV files
in its tests/testthat folder, not copied here): the x axis points agree exactly, proportion
limits to the fixtures' 6 decimals and ratio limits to ~1e-8. These tests check the same
properties from first principles.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from healthgap.methods import (
    MethodArgumentError,
    funnel_limits,
    funnel_points,
    funnel_significance,
)
from healthgap.methods._common import wilson_lower, wilson_upper
from healthgap.methods.funnel import _r_nchar


@pytest.fixture
def practices():
    rng = np.random.default_rng(3)
    den = rng.integers(500, 20000, 300).astype(float)
    num = rng.binomial(den.astype(int), 0.3).astype(float)
    return pd.DataFrame({"num": num, "den": den})


def test_proportion_limits_are_wilson_limits_meeting_the_average(practices):
    out = funnel_limits(practices, "num", "den", statistic="proportion", multiplier=100)
    assert len(out) == 100 and out["Population"].is_monotonic_increasing
    assert out["Population"].iloc[0] == 1
    average = practices["num"].sum() / practices["den"].sum()
    assert out["baseline"].iloc[0] == pytest.approx(average * 100)
    big = out[out["Population"] > 200]
    n = big["Population"].to_numpy()
    for name, level in (("2s", 0.95), ("3s", 0.998)):
        low = big[f"lower_{name}_limit"].to_numpy() / 100
        high = big[f"upper_{name}_limit"].to_numpy() / 100
        # a practice exactly on the lower limit has its Wilson upper limit on the average
        np.testing.assert_allclose(wilson_upper(low * n, n, level), average, rtol=1e-9)
        np.testing.assert_allclose(wilson_lower(high * n, n, level), average, rtol=1e-9)
    assert list(out.columns) == [
        "Population",
        "lower_2s_limit",
        "upper_2s_limit",
        "lower_3s_limit",
        "upper_3s_limit",
        "baseline",
        "statistic",
        "method",
    ]
    assert out["method"].iloc[0] == "Wilson"


def test_axis_starts_near_smallest_when_denominators_similar():
    df = pd.DataFrame({"num": [30.0, 40.0], "den": [1000.0, 1500.0]})
    out = funnel_limits(df, "num", "den", statistic="proportion", multiplier=100, type="standard")
    assert out["Population"].iloc[0] == 900  # 0.95 x 1000 rounded down at the leading digit
    assert out["Population"].iloc[-1] <= 1600 and "statistic" not in out.columns


def test_r_prints_round_numbers_in_scientific_form():
    assert _r_nchar(100000) == 5  # "1e+05"
    assert _r_nchar(123456) == 6
    assert _r_nchar(1200000) == 7  # "1200000" ties "1.2e+06": fixed wins
    assert _r_nchar(0) == 1


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_ratio_limits_are_poisson_limits(ratio_type):
    df = pd.DataFrame({"obs": [8.0, 78.0, 300.0], "expected": [4.3, 90.0, 706.8]})
    out = funnel_limits(
        df, "obs", "expected", statistic="ratio", multiplier=100, ratio_type=ratio_type
    )
    o = out["Observed_events"].to_numpy()
    np.testing.assert_allclose(
        out["lower_2s_exp_events"], chi2.ppf(0.975, 2 * o + 2) / 2, rtol=1e-6, atol=1e-6
    )
    np.testing.assert_allclose(
        out["upper_3s_exp_events"], chi2.ppf(0.001, 2 * o) / 2, rtol=1e-6, atol=1e-6
    )
    ratio = o / out["lower_2s_exp_events"].to_numpy()
    expected = ratio - 1 if ratio_type == "count" else ratio * 100
    np.testing.assert_allclose(out["lower_2s_limit"], expected)
    assert out["statistic"].iloc[0] == f"ratio ({ratio_type})"


def test_rate_limits_and_labels():
    df = pd.DataFrame({"ev": [50.0, 120.0, 400.0], "rate": [500.0, 600.0, 450.0]})
    out = funnel_limits(
        df, "ev", rate="rate", statistic="rate", rate_type="dsr", multiplier=100000, years_of_data=3
    )
    derived = 100000 * df["ev"] / df["rate"]
    average = df["ev"].sum() / derived.sum()
    assert out["baseline"].iloc[0] == pytest.approx(average * 100000)
    e = out["Events"].to_numpy()
    np.testing.assert_allclose(
        out["lower_2s_limit"], e / (chi2.ppf(0.975, 2 * e + 2) / 2 / average) * 100000, rtol=1e-6
    )
    assert out["statistic"].iloc[0] == "rate (dsr per 100,000)"
    assert out["method"].iloc[0] == "Poisson"
    assert "lower_2s_population_1_year" in out.columns


def test_proportion_significance_matches_limits(practices):
    out = funnel_significance(practices, "num", "den", statistic="proportion")
    assert list(out["significance"].cat.categories) == [
        "High (0.001)",
        "High (0.025)",
        "Low (0.001)",
        "Low (0.025)",
        "Not significant",
    ]
    average = practices["num"].sum() / practices["den"].sum()
    p = practices["num"] / practices["den"]
    outside95 = (wilson_upper(practices["num"], practices["den"], 0.95) < average) | (
        wilson_lower(practices["num"], practices["den"], 0.95) > average
    )
    flagged = out["significance"] != "Not significant"
    assert (flagged == outside95).mean() > 0.98  # funnel vs CI: the same test, up to edge cases
    assert (out.loc[p > average, "significance"].astype(str).str[:3] != "Low").all()


def test_ratio_significance():
    df = pd.DataFrame(
        {"obs": [8, 151, 159, 0, 16, 6], "expected": [6.24, 106.44, 232.93, 240.63, 36.39, 4.29]}
    )
    out = funnel_significance(df, "obs", "expected", statistic="ratio")
    assert list(out["significance"]) == [
        "Not significant",
        "High (0.001)",
        "Low (0.001)",
        "Low (0.001)",
        "Low (0.001)",
        "Not significant",
    ]


def test_rate_significance_dsr_small_counts():
    df = pd.DataFrame({"n": [5, 200, 400, 0], "r": [100.0, 900.0, 400.0, 0], "p": [1, 1, 1, 500]})
    out = funnel_significance(
        df, "n", "p", statistic="rate", rate="r", rate_type="dsr", multiplier=100000
    )
    assert out["significance"].iloc[0] == "Not applicable for events less than 10 for dsrs"
    assert out["significance"].iloc[1] == "High (0.001)"
    assert out["significance"].iloc[2] == "Low (0.001)"
    crude = funnel_significance(
        df, "n", "p", statistic="rate", rate="r", rate_type="crude", multiplier=100000
    )
    assert "Not applicable" not in crude["significance"].astype(str).str.cat()


def test_funnel_points():
    df = pd.DataFrame({"ev": [5, 30, 0], "rate": [10.0, 60.0, 0.0], "pop": [1, 1, 9000]})
    dsr_points = funnel_points(
        df, "ev", "rate", denominator="pop", rate_type="dsr", years_of_data=3, multiplier=100000
    )
    assert np.isnan(dsr_points["rate_chart"].iloc[0])
    assert dsr_points["denominator_derived"].iloc[1] == pytest.approx(100000 * 30 / 60 / 3)
    crude = funnel_points(
        df, "ev", "rate", denominator="pop", rate_type="crude", years_of_data=3, multiplier=100000
    )
    assert crude["denominator_derived"].iloc[2] == pytest.approx(3000)
    assert crude["rate_chart"].iloc[0] == 10


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: funnel_limits(d, "x", "n", statistic="pop", multiplier=100), "^statistic: "),
        (
            lambda d: funnel_limits(
                d, "x", "n", statistic="proportion", multiplier=100, type="srtd"
            ),
            "^type: ",
        ),
        (lambda d: funnel_limits(d, "x", "n", statistic="ratio", multiplier=100), "^ratio_type: "),
        (
            lambda d: funnel_limits(
                d, "x", rate="n", statistic="rate", rate_type="dsr", multiplier=1e5
            ),
            "^years_of_data: ",
        ),
        (
            lambda d: funnel_significance(d.assign(n=[100, 0]), "x", "n", statistic="proportion"),
            "^denominator: ",
        ),
        (
            lambda d: funnel_significance(d.assign(x=[65, -80]), "x", "n", statistic="proportion"),
            "^numerator: ",
        ),
        (
            lambda d: funnel_significance(
                d.assign(x=[0, 3]),
                "x",
                rate="n",
                statistic="rate",
                rate_type="crude",
                multiplier=100,
            ),
            "^denominator: ",
        ),
        (
            lambda d: funnel_significance(d.assign(x=[101, 3]), "x", "n", statistic="proportion"),
            "^numerator: ",
        ),
    ],
)
def test_errors(call, message):
    with pytest.raises(MethodArgumentError, match=message):
        call(pd.DataFrame({"x": [65, 80], "n": [100, 100]}))
