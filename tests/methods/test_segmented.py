"""Interrupted time series (segmented regression): the Sicilian smoking-ban series checked
against statsmodels, exact recovery of constructed effects, and the comparator model."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from healthgap.methods import (
    MethodArgumentError,
    describe_segmented_regression,
    segmented_regression,
)

# Lopez Bernal J, Cummins S, Gasparrini A. "Interrupted time series regression for the
# evaluation of public health interventions: a tutorial". Int J Epidemiol 2017;46(1):348-355,
# supplementary dataset sicily.csv: monthly acute coronary events (ages 0-69) in Sicily and the
# age-standardised population, January 2002 to November 2006; the smoking ban began in January
# 2005 (month 37). The tutorial's published coefficients are from Poisson models, so this linear
# method is checked on the same data against statsmodels' OLS and Newey-West covariance.
SICILY_ACES = [
    728,
    659,
    791,
    734,
    757,
    726,
    760,
    740,
    720,
    814,
    795,
    858,
    887,
    766,
    851,
    769,
    781,
    756,
    766,
    752,
    765,
    831,
    879,
    928,
    914,
    808,
    937,
    840,
    916,
    828,
    845,
    818,
    860,
    839,
    887,
    886,
    831,
    796,
    833,
    820,
    877,
    758,
    767,
    738,
    781,
    843,
    850,
    908,
    1021,
    859,
    976,
    888,
    962,
    838,
    810,
    876,
    843,
    936,
    912,
]
SICILY_STDPOP = [
    379875.3,
    376495.5,
    377040.8,
    377116.4,
    377383.4,
    374113.1,
    379513.3,
    376295.5,
    374653.2,
    378485.6,
    375955.5,
    378349.7,
    376762.4,
    379032.3,
    379360.4,
    376162,
    377972.4,
    381830.7,
    379888.6,
    380872.2,
    380966.9,
    381240.4,
    382104.9,
    381802.7,
    381656.3,
    383680,
    383504.2,
    386462.9,
    383783.1,
    380836.8,
    383483,
    380906.2,
    382926.8,
    384052.4,
    384449.6,
    383428.4,
    388153.2,
    388373.2,
    386470.1,
    386033.2,
    383686.4,
    385509.3,
    385901.9,
    386516.6,
    388436.5,
    383255.2,
    390148.7,
    385874.9,
    391613.6,
    391750.4,
    394005.6,
    391364.9,
    391664.6,
    389022.3,
    391878.5,
    388575.3,
    392989,
    390018.8,
    390712.3,
]
BAN_MONTH = 37


def sicily() -> pd.DataFrame:
    rate = np.array(SICILY_ACES) / np.array(SICILY_STDPOP) * 100_000
    return pd.DataFrame({"month": np.arange(1, 60), "rate": rate})


def statsmodels_fit(data, **fit_kwargs):
    t = data["month"].to_numpy(dtype=float)
    after = (t >= BAN_MONTH).astype(float)
    design = np.column_stack([np.ones_like(t), t, after, (t - BAN_MONTH) * after])
    return sm.OLS(data["rate"].to_numpy(), design).fit(**fit_kwargs)


def estimates(result):
    return result[result["part"] == "estimate"].set_index("term")


TERMS = ["baseline level", "baseline trend", "level change", "trend change"]


def test_sicily_matches_statsmodels_ols():
    data = sicily()
    result = segmented_regression(data, "rate", "month", intervention=BAN_MONTH)
    model = statsmodels_fit(data)
    found = estimates(result).loc[TERMS]
    np.testing.assert_allclose(found["estimate"], model.params, rtol=1e-9)
    np.testing.assert_allclose(found["se"], model.bse, rtol=1e-9)
    np.testing.assert_allclose(found["p_value"], model.pvalues, rtol=1e-7)
    limits = model.conf_int(alpha=0.05)
    np.testing.assert_allclose(found["lowercl"], limits[:, 0], rtol=1e-9)
    np.testing.assert_allclose(found["uppercl"], limits[:, 1], rtol=1e-9)
    series = result[result["part"] == "series"]
    np.testing.assert_allclose(series["fitted"], model.fittedvalues, rtol=1e-9)
    assert series["time"].tolist() == list(range(1, 60))


def test_sicily_newey_west_matches_statsmodels_hac():
    data = sicily()
    result = segmented_regression(
        data, "rate", "month", intervention=BAN_MONTH, autocorrelation="newey-west", lags=2
    )
    model = statsmodels_fit(data, cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True})
    found = estimates(result).loc[TERMS]
    np.testing.assert_allclose(found["estimate"], model.params, rtol=1e-9)
    np.testing.assert_allclose(found["se"], np.sqrt(np.diag(model.cov_params())), rtol=1e-9)
    assert "Newey-West" in result["method"].iloc[0]


# Linden A. "Conducting interrupted time-series analysis for single- and multiple-group
# comparisons". Stata Journal 2015;15(2):480-500, single-group example: California's annual
# cigarette sales (packs per capita, 1970-2000; Abadie, Diamond & Hainmueller 2010, as in the
# R package synthdid's california_prop99) with Proposition 99 from 1989. Published estimates
# (itsa ..., single trperiod(1989) lag(1)): pre-intervention trend _t -1.779474, level change
# _x1989 -20.0581, trend change _x_t1989 -1.494652.
CALIFORNIA_PACKS = [
    123,
    121,
    123.5,
    124.4,
    126.7,
    127.1,
    128,
    126.4,
    126.1,
    121.9,
    120.2,
    118.6,
    115.4,
    110.8,
    104.8,
    102.8,
    99.7,
    97.5,
    90.1,
    82.4,
    77.8,
    68.7,
    67.5,
    63.4,
    58.6,
    56.4,
    54.5,
    53.8,
    52.3,
    47.2,
    41.6,
]


def test_linden_2015_california_published_estimates():
    data = pd.DataFrame({"year": range(1970, 2001), "packs": CALIFORNIA_PACKS})
    result = segmented_regression(
        data, "packs", "year", intervention=1989, autocorrelation="newey-west", lags=1
    )
    found = estimates(result)["estimate"]
    assert found["baseline trend"] == pytest.approx(-1.779474, abs=5e-7)
    assert found["level change"] == pytest.approx(-20.0581, abs=5e-5)
    assert found["trend change"] == pytest.approx(-1.494652, abs=5e-7)
    counterfactual = result[result["part"] == "series"]["counterfactual"].to_numpy()
    assert counterfactual[-1] - counterfactual[-2] == pytest.approx(-1.779474, abs=5e-7)


def exact_series(times, level, trend, jump, slope_change, start):
    t = np.asarray(times, dtype=float)
    after = t >= start
    return level + trend * t + after * (jump + slope_change * (t - start))


def test_exact_effects_counterfactual_and_effects_are_recovered():
    t = np.arange(2010, 2024)
    data = pd.DataFrame({"year": t, "value": exact_series(t, -300, 0.2, -3, -0.5, 2017)})
    result = segmented_regression(data, "value", "year", intervention=2017, effect_after=[0, 4])
    found = estimates(result)["estimate"]
    np.testing.assert_allclose(found.loc[TERMS], [-300, 0.2, -3, -0.5], atol=1e-7)
    effects = result[result["part"] == "effect"]
    assert effects["time"].tolist() == [0, 4]
    np.testing.assert_allclose(effects["estimate"], [-3, -5], atol=1e-8)
    series = result[result["part"] == "series"]
    np.testing.assert_allclose(series["counterfactual"], -300 + 0.2 * t, atol=1e-8)
    np.testing.assert_allclose(series["fitted"], data["value"], atol=1e-8)


def comparator_data(noise=0.0):
    t = np.arange(1, 25, dtype=float)
    rng = np.random.default_rng(7)
    england = exact_series(t, 50, 0.3, -1.0, -0.1, 13) + noise * rng.standard_normal(24)
    local = england + 4 + 0.05 * t + exact_series(t, 0, 0, -2.5, -0.4, 13)
    return pd.DataFrame(
        {"month": t, "local": local + noise * rng.standard_normal(24), "england": england}
    )


def test_comparator_changes_are_over_and_above_the_comparators():
    result = segmented_regression(comparator_data(), "local", "month", intervention=13,
                                  comparator="england", effect_after=[5])  # fmt: skip
    found = estimates(result)["estimate"]
    np.testing.assert_allclose(
        found.loc[["level change", "trend change", "comparator level change",
                   "comparator trend change", "baseline level difference",
                   "baseline trend difference", "baseline level", "baseline trend"]],
        [-2.5, -0.4, -1.0, -0.1, 4, 0.05, 54, 0.35], atol=1e-8,
    )  # fmt: skip
    effect = result[result["part"] == "effect"]["estimate"].iloc[0]
    assert effect == pytest.approx(-2.5 - 0.4 * 5)
    study = result[(result["part"] == "series") & (result["series"] == "study")]
    expected = comparator_data()["local"] - exact_series(study["time"], 0, 0, -2.5, -0.4, 13)
    np.testing.assert_allclose(study["counterfactual"], expected, atol=1e-8)
    assert len(result[result["series"] == "comparator"]) == 24


def test_comparator_model_matches_statsmodels_on_the_stacked_design():
    data = comparator_data(noise=0.8)
    result = segmented_regression(data, "local", "month", intervention=13, comparator="england")
    t = data["month"].to_numpy()
    after = (t >= 13).astype(float)
    single = np.column_stack([np.ones(24), t, after, (t - 13) * after])
    z = np.repeat([1.0, 0.0], 24)[:, None]
    stacked = np.vstack([single, single])
    design = np.hstack([stacked, stacked * z])  # Linden (2015): z, z_t, z_x, z_x_t
    model = sm.OLS(np.concatenate([data["local"], data["england"]]), design).fit()
    found = estimates(result)
    assert found.loc["level change", "estimate"] == pytest.approx(model.params[6], rel=1e-9)
    assert found.loc["trend change", "se"] == pytest.approx(model.bse[7], rel=1e-9)


def test_too_few_points_after_give_nan_with_reason():
    data = sicily().iloc[:38]
    result = segmented_regression(data, "rate", "month", intervention=BAN_MONTH)
    assert result["estimate"].dropna().empty
    assert result["statistic"].iloc[0] == (
        "segmented regression: the study series has 36 points before and 2 after the "
        "intervention; at least 3 each side are needed"
    )
    assert describe_segmented_regression(result).startswith(
        "No interrupted time series estimate is given: the study series has 36 points"
    )


def test_groups_are_analysed_separately():
    data = pd.concat(
        [sicily().assign(area="Sicily"), sicily().assign(area="Copy", rate=lambda d: d["rate"] * 2)]
    )
    result = segmented_regression(data, "rate", "month", intervention=BAN_MONTH, by="area")
    change = result[result["term"] == "level change"].set_index("area")["estimate"]
    assert change["Copy"] == pytest.approx(2 * change["Sicily"])


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"intervention": "2005"}, "intervention"),
        ({"autocorrelation": "ar1"}, "autocorrelation"),
        ({"lags": 0}, "lags"),
        ({"effect_after": [-1]}, "effect_after"),
        ({"comparator": "nope"}, "comparator"),
        ({"confidence": 2}, "confidence"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, argument):
    kwargs.setdefault("intervention", BAN_MONTH)
    with pytest.raises(MethodArgumentError, match=f"^{argument}:"):
        segmented_regression(sicily(), "rate", "month", **kwargs)


def test_describe_states_estimates_and_assumptions():
    t = np.arange(1, 25)
    data = pd.DataFrame({"month": t, "value": exact_series(t, 10, 0.5, -3, -0.2, 13)})
    data.loc[::3, "value"] += 0.1  # a little noise so the limits are finite
    result = segmented_regression(data, "value", "month", intervention=13, effect_after=[6])
    text = describe_segmented_regression(result, time_unit="month")
    assert text.startswith("Before the intervention the value was changing by 0.5 (95% CI")
    assert "At the intervention its level changed by -3.0 (95% CI" in text
    assert "6 months after the intervention the estimated effect is -4.2" in text
    assert "its interval excludes zero, so chance alone is an unlikely explanation" in text
    assert text.endswith("it shows association, not proof that the intervention caused the change.")


def test_describe_with_comparator_says_relative_to_it():
    data = comparator_data(noise=0.5)
    result = segmented_regression(data, "local", "month", intervention=13, comparator="england")
    text = describe_segmented_regression(result, time_unit="month")
    assert "relative to the comparator" in text
    assert "no other change at the same time in the study series alone" in text


def test_missing_time_is_refused():
    data = sicily().astype({"month": float})
    data.loc[3, "month"] = np.nan
    with pytest.raises(MethodArgumentError, match="^time:"):
        segmented_regression(data, "rate", "month", intervention=BAN_MONTH)
