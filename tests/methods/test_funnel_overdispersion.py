"""Funnel overdispersion (issue 12): Spiegelhalter's additive random-effects adjustment.

Sources: Spiegelhalter DJ (2005) "Handling over-dispersion of performance indicators", Qual Saf
Health Care 14:347-351; NHS-R FunnelPlotR (v0.6, MIT), whose test
tests/testthat/test-classes_methods.R publishes phi = 2.948033 for six trusts with observed
100, 150, 180, 80, 120, 225 and expected 108, 112, 165, 95, 100, 220 on the log ("SHMI")
scale. FunnelPlotR's SHMI method truncates rather than winsorises, and with six records its
10% truncation keeps all six, so that figure is our phi with winsorise=0.
"""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import (
    MethodArgumentError,
    funnel_limits,
    funnel_points,
    funnel_significance,
)

Z95, Z998 = 1.959964, 3.090232  # the z values FunnelPlotR writes into its limits


@pytest.fixture
def six_trusts():
    return pd.DataFrame(
        {
            "observed": [100.0, 150, 180, 80, 120, 225],
            "expected": [108.0, 112, 165, 95, 100, 220],
        }
    )


def test_phi_matches_funnelplotr_published_figure(six_trusts):
    out = funnel_significance(
        six_trusts, "observed", "expected", statistic="ratio", overdispersion=True, winsorise=0
    )
    assert out["phi"].iloc[0] == pytest.approx(2.948033, abs=5e-7)
    # tau2 by hand from Spiegelhalter's formula, w = 1/s^2 = expected on the log scale
    expected = six_trusts["expected"].to_numpy()
    tau2 = (6 * 2.948033175 - 5) / (expected.sum() - (expected**2).sum() / expected.sum())
    assert out["tau2"].iloc[0] == pytest.approx(tau2, rel=1e-8)


def test_winsorising_pulls_the_extremes_in(six_trusts):
    z = np.sqrt(six_trusts["expected"]) * np.log(six_trusts["observed"] / six_trusts["expected"])
    # R quantile type 7 at 10% of six sorted z-scores: z(1) + 0.5 (z(2) - z(1)), likewise at 90%
    ordered = np.sort(z)
    low = ordered[0] + 0.5 * (ordered[1] - ordered[0])
    high = ordered[4] + 0.5 * (ordered[5] - ordered[4])
    phi = np.mean(np.clip(z, low, high) ** 2)
    out = funnel_significance(
        six_trusts, "observed", "expected", statistic="ratio", overdispersion=True
    )
    assert out["phi"].iloc[0] == pytest.approx(phi, rel=1e-12)
    assert out["phi"].iloc[0] < 2.948033
    np.testing.assert_allclose(out["z_score"], z, rtol=1e-12)
    tau2 = out["tau2"].iloc[0]
    np.testing.assert_allclose(
        out["z_adjusted"],
        np.log(six_trusts["observed"] / six_trusts["expected"])
        / np.sqrt(1 / six_trusts["expected"] + tau2),
        rtol=1e-12,
    )


def test_ratio_limits_are_funnelplotr_shmi_limits(six_trusts):
    out = funnel_limits(
        six_trusts,
        "observed",
        "expected",
        statistic="ratio",
        ratio_type="isr",
        multiplier=1,
        overdispersion=True,
        winsorise=0,
    )
    tau2 = out["tau2"].iloc[0]
    assert tau2 > 0
    expected = out["lower_2s_exp_events"].to_numpy()
    np.testing.assert_array_equal(expected, out["Observed_events"])
    # FunnelPlotR calculate_limits.R, SHMI: multiplier x exp(+/- z sqrt(1/E + tau2))
    for column, z in (
        ("lower_2s_limit", -Z95),
        ("upper_2s_limit", Z95),
        ("lower_3s_limit", -Z998),
        ("upper_3s_limit", Z998),
    ):
        np.testing.assert_allclose(
            out[column], 100 * np.exp(z * np.sqrt(1 / expected + tau2)), rtol=1e-6
        )
    assert out["method"].iloc[0].startswith("Overdispersed (log scale")
    # the adjusted limits are wider than the Poisson ones at every expected count above ~20
    plain = funnel_limits(
        six_trusts, "observed", "expected", statistic="ratio", ratio_type="isr", multiplier=1
    )
    assert "phi" not in plain.columns
    assert out["upper_3s_limit"].iloc[-1] > plain["upper_3s_limit"].iloc[-1]


def test_no_overdispersion_gives_tau2_zero_and_unadjusted_results():
    """Every record exactly on the target: phi = 0, so tau2 = 0 and nothing changes."""
    proportions = pd.DataFrame({"num": [30.0, 60, 90, 150], "den": [100.0, 200, 300, 500]})
    ratios = pd.DataFrame({"num": [30.0, 60, 90, 150], "den": [30.0, 60, 90, 150]})
    for df, statistic, extra in (
        (proportions, "proportion", {}),
        (ratios, "ratio", {"ratio_type": "count"}),
    ):
        plain = funnel_limits(df, "num", "den", statistic=statistic, multiplier=100, **extra)
        adjusted = funnel_limits(
            df, "num", "den", statistic=statistic, multiplier=100, overdispersion=True, **extra
        )
        assert adjusted["phi"].iloc[0] == pytest.approx(0, abs=1e-20)
        assert adjusted["tau2"].iloc[0] == 0
        pd.testing.assert_frame_equal(adjusted.drop(columns=["phi", "tau2"]), plain)


def test_phi_just_below_one_keeps_tau2_zero():
    # two records with z = +0.6 and -0.6: phi = 0.36, n phi = 0.72 < n - 1 = 1, so tau2 = 0
    expected = np.array([400.0, 400.0])
    observed = expected * np.exp(np.array([0.6, -0.6]) / np.sqrt(expected))
    df = pd.DataFrame({"o": observed, "e": expected})
    out = funnel_significance(df, "o", "e", statistic="ratio", overdispersion=True, winsorise=0)
    assert out["phi"].iloc[0] == pytest.approx(0.36)
    assert out["tau2"].iloc[0] == 0
    np.testing.assert_allclose(out["z_adjusted"], out["z_score"])


@pytest.fixture
def overdispersed_practices():
    """Practices whose true proportions vary (beta), far more than binomial chance."""
    rng = np.random.default_rng(12)
    den = rng.integers(2_000, 20_000, 400).astype(float)
    true = rng.beta(60, 140, 400)
    return pd.DataFrame({"num": rng.binomial(den.astype(int), true).astype(float), "den": den})


def test_overdispersed_proportions_widen_limits_and_flag_fewer(overdispersed_practices):
    df = overdispersed_practices
    plain = funnel_significance(df, "num", "den", statistic="proportion")
    adjusted = funnel_significance(df, "num", "den", statistic="proportion", overdispersion=True)
    assert adjusted["phi"].iloc[0] > 10 and adjusted["tau2"].iloc[0] > 0
    flagged_plain = (plain["significance"] != "Not significant").sum()
    flagged_adjusted = (adjusted["significance"] != "Not significant").sum()
    assert 0 < flagged_adjusted < flagged_plain
    # each adjusted label agrees with its z-score against the normal limits
    high = adjusted["z_adjusted"] > Z998
    assert (adjusted.loc[high, "significance"] == "High (0.001)").all()
    between = adjusted["z_adjusted"].abs() < Z95
    assert (adjusted.loc[between, "significance"] == "Not significant").all()
    # and the limits: a practice on the adjusted upper 95% limit has z_adjusted = 1.96
    limits = funnel_limits(
        df, "num", "den", statistic="proportion", multiplier=1, overdispersion=True
    )
    n = limits["Population"].to_numpy()
    average = df["num"].sum() / df["den"].sum()
    tau2 = limits["tau2"].iloc[0]
    upper = limits["upper_2s_limit"].to_numpy()
    z = (np.arcsin(np.sqrt(upper)) - np.arcsin(np.sqrt(average))) / np.sqrt(1 / (4 * n) + tau2)
    np.testing.assert_allclose(z[upper < 1], Z95, rtol=1e-6)
    assert (limits["lower_3s_limit"] >= 0).all() and (limits["upper_3s_limit"] <= 1).all()
    assert limits["lower_3s_limit"].is_monotonic_increasing


def test_rate_funnel_overdispersion():
    rng = np.random.default_rng(5)
    pop = rng.integers(20_000, 300_000, 150).astype(float)
    true = rng.gamma(20, 0.001 / 20, 150)  # rates vary around 100 per 100,000
    events = rng.poisson(pop * true).astype(float)
    df = pd.DataFrame({"events": events, "rate": events / pop * 1e5, "pop": pop})
    common = {"rate": "rate", "statistic": "rate", "rate_type": "crude", "multiplier": 1e5}
    limits = funnel_limits(df, "events", years_of_data=1, overdispersion=True, **common)
    points = funnel_points(
        df,
        "events",
        "rate",
        rate_type="crude",
        years_of_data=1,
        multiplier=1e5,
        overdispersion=True,
    )
    significance = funnel_significance(df, "events", overdispersion=True, **common)
    assert limits["tau2"].iloc[0] > 0
    for frame in (points, significance):
        assert frame["phi"].iloc[0] == limits["phi"].iloc[0]
        assert frame["tau2"].iloc[0] == limits["tau2"].iloc[0]
    average = events.sum() / pop.sum()
    x = limits["Events"].to_numpy()
    np.testing.assert_allclose(limits["upper_2s_population_1_year"], x / average)
    np.testing.assert_allclose(
        limits["upper_2s_limit"],
        average * np.exp(Z95 * np.sqrt(1 / x + limits["tau2"].iloc[0])) * 1e5,
        rtol=1e-6,
    )


@pytest.mark.parametrize("winsorise", [0.5, -0.1, "10%", True])
def test_winsorise_must_be_a_share_below_half(six_trusts, winsorise):
    with pytest.raises(MethodArgumentError, match="winsorise"):
        funnel_limits(
            six_trusts,
            "observed",
            "expected",
            statistic="ratio",
            ratio_type="isr",
            multiplier=1,
            overdispersion=True,
            winsorise=winsorise,
        )


def test_overdispersion_needs_two_records():
    df = pd.DataFrame({"o": [10.0], "e": [12.0]})
    with pytest.raises(MethodArgumentError, match="overdispersion"):
        funnel_significance(df, "o", "e", statistic="ratio", overdispersion=True)
