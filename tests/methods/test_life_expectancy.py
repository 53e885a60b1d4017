"""Life expectancy (Chiang II abridged life table, Silcocks et al. variance).

No GPL test data is used here: the reference values are computed in this file from first
principles (a plainly written scalar life table, and a three-band table worked by hand), and the
rest are consistency checks and the suppression rules of PHEindicatormethods.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, life_expectancy

AGES = [0, 1, *range(5, 95, 5)]

# Approximate England-like death rates per person-year by band (0, 1-4, ..., 85-89, 90+).
# fmt: off
ENGLAND_LIKE_RATES = np.array(
    [0.0039, 0.00012, 0.00007, 0.00009, 0.00025, 0.00035, 0.00045, 0.0006, 0.0009, 0.0013,
     0.002, 0.003, 0.0046, 0.0074, 0.011, 0.018, 0.030, 0.052, 0.095, 0.21]
)
ENGLAND_LIKE_POPS = np.array(
    [6000, 25000, 32000, 31000, 30000, 33000, 36000, 37000, 35000, 33000,
     34000, 35000, 33000, 29000, 27000, 25000, 18000, 12000, 7000, 3500]
)
# fmt: on


def england_like(pops=ENGLAND_LIKE_POPS, rates=ENGLAND_LIKE_RATES, **extra):
    frame = pd.DataFrame({"age": AGES, "pop": pops, "deaths": np.round(rates * pops)})
    for name, value in extra.items():
        frame[name] = value
    return frame


def chiang_by_hand(deaths, pops, ages, z=1.959963984540054):
    """Chiang II life table written out band by band (independent scalar implementation)."""
    k = len(ages)
    m = [d / p for d, p in zip(deaths, pops)]
    n = [ages[i + 1] - ages[i] for i in range(k - 1)] + [None]
    a = [0.1 if age == 0 else 0.5 for age in ages]
    q = []
    for i in range(k - 1):
        if deaths[i] <= pops[i] / n[i] / a[i]:
            q.append(n[i] * m[i] / (1 + n[i] * (1 - a[i]) * m[i]))
        else:
            q.append(1.0)
    q.append(1.0)  # everyone alive at the start of the open band dies in it
    lx = [100000.0]
    for i in range(k - 1):
        lx.append(lx[i] * (1 - q[i]))
    dx = [lx[i] - (lx[i + 1] if i + 1 < k else 0.0) for i in range(k)]
    big_l = [n[i] * (lx[i + 1] + a[i] * dx[i]) for i in range(k - 1)] + [lx[-1] / m[-1]]
    t = [sum(big_l[i:]) for i in range(k)]
    e = [t[i] / lx[i] if lx[i] > 0 else 0.0 for i in range(k)]  # nobody left: 0, as R
    var_q = [0.0 if dx[i] == 0 else q[i] ** 2 * (1 - q[i]) / deaths[i] for i in range(k - 1)]
    terms = [lx[i] ** 2 * ((1 - a[i]) * n[i] + e[i + 1]) ** 2 * var_q[i] for i in range(k - 1)]
    terms.append((lx[-1] / 2) ** 2 * 4 / (deaths[-1] * m[-1] ** 2))  # Silcocks' final band
    se = [math.sqrt(sum(terms[i:]) / lx[i] ** 2) if lx[i] > 0 else math.nan for i in range(k)]
    return e, [ei - z * s for ei, s in zip(e, se)], [ei + z * s for ei, s in zip(e, se)]


def run(frame, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean table must not warn
        return life_expectancy(frame, "deaths", "pop", "age", **kwargs)


# --- reference values ------------------------------------------------------------------------


def test_matches_scalar_chiang_table_at_every_age():
    frame = england_like()
    result = run(frame)
    e, low, high = chiang_by_hand(frame.deaths.tolist(), frame["pop"].tolist(), AGES)
    np.testing.assert_allclose(result["value"], e, rtol=1e-12)
    np.testing.assert_allclose(result["lowercl"], low, rtol=1e-12)
    np.testing.assert_allclose(result["uppercl"], high, rtol=1e-12)
    assert result["age"].tolist() == AGES


def test_three_band_table_worked_by_hand():
    # Bands 0, 1-4, 5+; 10 deaths in 1,000 infants, 8 in 4,000, 300 in 3,000 aged 5+.
    frame = pd.DataFrame({"age": [0, 1, 5], "pop": [1000, 4000, 3000], "deaths": [10, 8, 300]})
    result = life_expectancy(frame, "deaths", "pop", "age", age_contents=[0, 1, 5])
    q0 = 0.01 / (1 + 0.9 * 0.01)  # M0 = 0.01, n = 1, a = 0.1
    q1 = 4 * 0.002 / (1 + 4 * 0.5 * 0.002)  # M1 = 0.002, n = 4, a = 0.5
    l1 = 1e5 * (1 - q0)
    l2 = l1 * (1 - q1)
    big_l0 = 1 * (l1 + 0.1 * (1e5 - l1))
    big_l1 = 4 * (l2 + 0.5 * (l1 - l2))
    big_l2 = l2 / 0.1  # open band: l / M
    e2 = big_l2 / l2  # = 10 years
    e1 = (big_l1 + big_l2) / l1
    e0 = (big_l0 + big_l1 + big_l2) / 1e5
    np.testing.assert_allclose(result["value"], [e0, e1, e2], rtol=1e-12)
    assert e2 == pytest.approx(10)
    # Variance of e at the open band: 1 / (D M^2) = 1 / (300 * 0.01) -> se = 0.57735
    se2 = (result["uppercl"].iloc[2] - result["value"].iloc[2]) / 1.959963984540054
    assert se2 == pytest.approx(math.sqrt(1 / 3), rel=1e-12)
    # ... and at age 1: Chiang's term for band 1 plus the open-band term, over l1^2.
    var_q1 = q1**2 * (1 - q1) / 8
    var1 = (l1**2 * (0.5 * 4 + e2) ** 2 * var_q1 + l2**2 / 3) / l1**2
    se1 = (result["uppercl"].iloc[1] - result["value"].iloc[1]) / 1.959963984540054
    assert se1 == pytest.approx(math.sqrt(var1), rel=1e-12)
    # Total person-years 8,000 > 5,000, so nothing is suppressed.
    assert result["statistic"].tolist() == [f"life expectancy at {a}" for a in (0, 1, 5)]


def test_full_output_columns_and_cumulative_counts():
    frame = england_like()
    result = run(frame)
    assert list(result.columns) == [
        "age",
        "value",
        "lowercl",
        "uppercl",
        "pops_used",
        "dths_used",
        "confidence",
        "statistic",
        "method",
    ]
    assert result["pops_used"].iloc[0] == frame["pop"].sum()
    assert result["dths_used"].iloc[-1] == frame["deaths"].iloc[-1]
    assert result["confidence"].unique().tolist() == ["95%"]
    assert result["method"].iloc[0] == "Chiang, using Silcocks et al for confidence limits"


def test_standard_type_multiple_levels_and_le_age():
    frame = england_like()
    result = run(frame, type="standard", confidence=(95, 99.8), le_age=[0, 65])
    assert list(result.columns) == [
        "age",
        "value",
        "lower95_0cl",
        "upper95_0cl",
        "lower99_8cl",
        "upper99_8cl",
    ]
    assert result["age"].tolist() == [0, 65]
    assert (result["lower99_8cl"] < result["lower95_0cl"]).all()
    assert (result["upper99_8cl"] > result["upper95_0cl"]).all()


def test_le_age_not_in_age_contents_warns_and_returns_all():
    with pytest.warns(UserWarning, match="le_age not in the vector described by age_contents"):
        result = life_expectancy(england_like(), "deaths", "pop", "age", le_age=[4, 6])
    assert len(result) == 20


def test_text_band_labels_in_any_row_order():
    labels = ["0", "1-4"] + [f"{a} - {a + 4}" for a in range(5, 90, 5)] + ["90 +"]
    frame = england_like()
    expected = run(frame)["value"].to_numpy()
    frame["band"] = labels
    shuffled = frame.sample(frac=1, random_state=3)
    result = life_expectancy(shuffled, "deaths", "pop", "band", age_contents=labels)
    assert result["band"].tolist() == labels
    np.testing.assert_allclose(result["value"], expected, rtol=1e-12)


# --- consistency checks ----------------------------------------------------------------------


def test_england_like_schedule_gives_plausible_life_expectancy():
    result = run(england_like(pops=ENGLAND_LIKE_POPS * 20))
    at = dict(zip(result["age"], result["value"]))
    assert 79 <= at[0] <= 83
    assert 17 <= at[65] <= 22
    width = result["uppercl"].iloc[0] - result["lowercl"].iloc[0]
    assert 0 < width < 1  # a large population gives a narrow interval


def test_more_deaths_in_one_band_lowers_le_at_and_below_it_only():
    base = run(england_like())["value"].to_numpy()
    frame = england_like()
    frame.loc[frame.age == 50, "deaths"] *= 3
    worse = run(frame)["value"].to_numpy()
    band = AGES.index(50)
    assert (worse[: band + 1] < base[: band + 1]).all()
    np.testing.assert_allclose(worse[band + 1 :], base[band + 1 :], rtol=1e-12)


def test_larger_population_same_rates_narrows_interval_not_value():
    small = run(england_like())
    large = run(england_like(pops=ENGLAND_LIKE_POPS * 10, rates=ENGLAND_LIKE_RATES))
    np.testing.assert_allclose(small["value"], large["value"], rtol=2e-3)  # rounding of deaths
    assert ((large["uppercl"] - large["lowercl"]) < (small["uppercl"] - small["lowercl"])).all()


def test_silcocks_standard_error_agrees_with_simulation():
    """Deaths drawn as Poisson counts around the observed ones: the spread of the simulated
    life expectancies should match the analytic standard error (Chiang + Silcocks)."""
    frame = england_like()
    analytic = run(frame)
    se = (analytic["uppercl"] - analytic["lowercl"]).to_numpy() / (2 * 1.959963984540054)
    rng = np.random.default_rng(20240101)
    n_sims = 4000
    sims = pd.DataFrame(
        {
            "sim": np.repeat(np.arange(n_sims), 20),
            "age": np.tile(AGES, n_sims),
            "pop": np.tile(frame["pop"].to_numpy(), n_sims),
            "deaths": rng.poisson(np.tile(frame["deaths"].to_numpy(), n_sims)),
        }
    )
    simulated = life_expectancy(sims, "deaths", "pop", "age", by="sim", type="standard")
    spread = simulated.pivot(index="sim", columns="age", values="value").std().to_numpy()
    np.testing.assert_allclose(spread, se, rtol=0.08)


def test_zero_deaths_in_a_band_is_fine():
    frame = england_like()
    frame.loc[frame.age.isin([5, 10]), "deaths"] = 0
    result = run(frame)  # no warning
    e, low, high = chiang_by_hand(frame.deaths.tolist(), frame["pop"].tolist(), AGES)
    np.testing.assert_allclose(result["value"], e, rtol=1e-12)
    np.testing.assert_allclose(result["lowercl"], low, rtol=1e-12)


def test_band_with_very_high_mortality_uses_q_of_one():
    frame = england_like()
    frame.loc[frame.age == 85, "deaths"] = frame.loc[frame.age == 85, "pop"] * 0.45  # M > 0.4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = life_expectancy(frame, "deaths", "pop", "age")
    # q = 1 in the 85-89 band: nobody reaches 90, whose life expectancy is then 0 (as R).
    e, low, _ = chiang_by_hand(frame.deaths.tolist(), frame["pop"].tolist(), AGES)
    np.testing.assert_allclose(result["value"], e, rtol=1e-12)
    np.testing.assert_allclose(result["lowercl"].iloc[:19], low[:19], rtol=1e-12)
    assert result["value"].iloc[-1] == 0


# --- suppression rules -----------------------------------------------------------------------


def tiny(total):
    """A table whose population sums to ``total`` (spread evenly) with modest deaths."""
    pops = np.full(20, total / 20)
    return pd.DataFrame({"age": AGES, "pop": pops, "deaths": np.round(pops * 0.05) + 1})


def test_total_population_of_5000_or_less_is_suppressed():
    with pytest.warns(UserWarning, match="total population of less than 5,000"):
        result = life_expectancy(tiny(5000), "deaths", "pop", "age")
    assert result["value"].isna().all()
    assert result[["lowercl", "uppercl"]].isna().all().all()
    assert result["statistic"].iloc[0] == (
        "life expectancy at 0: not calculated, total population of 5,000 or less"
    )


def test_just_over_5000_person_years_is_calculated():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its interval is wide: only the 5,000 rule matters
        result = life_expectancy(tiny(5020), "deaths", "pop", "age")
    assert "5,000" not in " ".join(result["statistic"])
    assert result["lowercl"].notna().all()


def test_interval_wider_than_20_years_hides_value_keeps_limits():
    frame = pd.DataFrame({"age": AGES, "pop": np.full(20, 300.0), "deaths": np.full(20, 2.0)})
    frame.loc[frame.age == 90, "deaths"] = 1
    with pytest.warns(UserWarning, match="95% confidence interval > 20 years"):
        result = life_expectancy(frame, "deaths", "pop", "age")
    wide = (result["uppercl"] - result["lowercl"]) > 20
    assert wide.any()
    assert result.loc[wide, "value"].isna().all()
    assert result.loc[~wide, "value"].notna().all()
    assert result.loc[wide, "lowercl"].notna().all()
    assert result.loc[wide, "statistic"].str.endswith("wider than 20 years").all()


@pytest.mark.parametrize(
    ("change", "message", "reason"),
    [
        ({"deaths": -5}, "negative deaths", "negative deaths in an age band"),
        ({"pop": 0}, "zero or less population", "zero or negative population"),
        ({"deaths": 10**6}, "more deaths than population", "more deaths than population"),
        ({"deaths": np.nan}, "missing deaths or population", "missing deaths or population"),
    ],
)
def test_invalid_band_suppresses_only_that_group(change, message, reason):
    good = england_like(area="good")
    bad = england_like(area="bad")
    column, value = next(iter(change.items()))
    bad.loc[bad.age == 10, column] = value
    frame = pd.concat([bad, good], ignore_index=True)
    with pytest.warns(UserWarning, match=message):
        result = life_expectancy(frame, "deaths", "pop", "age", by="area")
    assert result["area"].unique().tolist() == ["bad", "good"]  # sorted group keys
    bad_rows = result[result.area == "bad"]
    assert bad_rows["value"].isna().all() and bad_rows["uppercl"].isna().all()
    assert bad_rows["statistic"].str.contains(reason).all()
    np.testing.assert_allclose(
        result.loc[result.area == "good", "value"], run(england_like())["value"], rtol=1e-12
    )


def test_group_missing_a_band_gets_nan_and_warning():
    good = england_like(area="a")
    short = england_like(area="b")
    short = short[short.age != 45]
    with pytest.warns(UserWarning, match="do not contain records for all age bands"):
        result = life_expectancy(pd.concat([good, short]), "deaths", "pop", "age", by="area")
    assert len(result) == 39
    assert result.loc[result.area == "b", "value"].isna().all()
    assert result.loc[result.area == "a", "value"].notna().all()


def test_no_deaths_in_final_band_cannot_close_the_table():
    frame = england_like()
    frame.loc[frame.age == 90, "deaths"] = 0
    with pytest.warns(UserWarning, match="no deaths in the final"):
        result = life_expectancy(frame, "deaths", "pop", "age")
    assert result["value"].isna().all()
    assert result["statistic"].str.contains("no deaths in the final age band").all()


def test_many_groups_vectorised_match_one_at_a_time():
    rng = np.random.default_rng(7)
    frames = []
    for i in range(25):
        pops = rng.integers(2000, 40000, size=20)
        frames.append(
            england_like(
                pops=pops,
                rates=ENGLAND_LIKE_RATES * rng.uniform(0.7, 1.4),
                area=f"A{i:02d}",
                sex=i % 2,
            )
        )
    frame = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=1)
    together = life_expectancy(frame, "deaths", "pop", "age", by=["area", "sex"])
    for i in (0, 13, 24):
        alone = run(frames[i].drop(columns=["area", "sex"]))
        np.testing.assert_allclose(
            together.loc[together.area == f"A{i:02d}", "value"], alone["value"], rtol=1e-12
        )


# --- argument errors -------------------------------------------------------------------------


def test_startage_not_matching_age_contents_raises():
    frame = england_like()
    frame.loc[frame.age == 90, "age"] = 95
    with pytest.raises(MethodArgumentError, match="startage: .*do not match age_contents"):
        life_expectancy(frame, "deaths", "pop", "age")


def test_duplicated_band_in_a_group_raises_naming_group():
    frame = pd.concat([england_like(area="x"), england_like(area="x").iloc[[3]]])
    with pytest.raises(MethodArgumentError, match=r"startage: age band 10 appears more .*'x'"):
        life_expectancy(frame, "deaths", "pop", "age", by="area")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"age_contents": [1, 0, *range(5, 95, 5)]}, "age_contents: the first age band"),
        ({"age_contents": [0, 1, 10, 5, *range(15, 95, 5)]}, "age_contents: .*ascending"),
        ({"confidence": 0.8}, "confidence"),
        ({"type": "brief"}, "type"),
        ({"by": "region"}, "by: column 'region'"),
    ],
)
def test_invalid_arguments_raise_naming_the_argument(kwargs, match):
    with pytest.raises(MethodArgumentError, match=match):
        life_expectancy(england_like(), "deaths", "pop", "age", **kwargs)


def test_non_numeric_deaths_raise():
    frame = england_like()
    frame["deaths"] = frame["deaths"].astype(object)
    frame.loc[3, "deaths"] = "n/a"
    with pytest.raises(MethodArgumentError, match="deaths: column 'deaths' has non-numeric"):
        life_expectancy(frame, "deaths", "pop", "age")


def test_not_a_dataframe_raises():
    with pytest.raises(MethodArgumentError, match="data: expected a pandas DataFrame"):
        life_expectancy([1, 2, 3], "deaths", "pop", "age")
