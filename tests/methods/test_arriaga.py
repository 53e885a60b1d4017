"""Arriaga's decomposition of a life expectancy gap by age band and cause.

Checked four ways: the contributions add up to the gap between the two ``life_expectancy``
values exactly (real ONS 2014 data for Coventry and England); they agree with stepwise
replacement (Andreev, Shkolnikov & Begun 2002) computed here on the independent scalar life
table of test_life_expectancy; the cause split is worked by hand; and the published worked
example of Ponnapalli (2005) is reproduced.
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, arriaga, life_expectancy
from healthgap.methods.arriaga import arriaga_contributions
from tests.methods._ons_mortality_2014 import deaths_2014
from tests.methods.test_life_expectancy import (
    AGES,
    ENGLAND_LIKE_POPS,
    ENGLAND_LIKE_RATES,
    chiang_by_hand,
)

COVENTRY, ENGLAND = "E08000026", "E92000001"


def two_populations(rates_first, rates_second, pops=ENGLAND_LIKE_POPS):
    """One frame of two synthetic populations ("A" and "B") with the given death rates."""
    frames = []
    for name, rates in (("A", rates_first), ("B", rates_second)):
        frames.append(
            pd.DataFrame({"pop_name": name, "age": AGES, "pop": pops, "deaths": rates * pops})
        )
    return pd.concat(frames, ignore_index=True)


def decompose(frame, **kwargs):
    return arriaga(
        frame, "deaths", "pop", "age", groups="pop_name", first="A", second="B", **kwargs
    )


def e0_by_hand(rates):
    """Life expectancy at birth from the scalar Chiang table written out in test_life_expectancy."""
    expectancy, _, _ = chiang_by_hand(list(rates), [1.0] * len(rates), AGES)
    return expectancy[0]


def stepwise_replacement(rates_first, rates_second, *, upwards):
    """Replace population 1's rates by population 2's one band at a time (Andreev et al. 2002)."""
    order = range(len(rates_first)) if upwards else reversed(range(len(rates_first)))
    current = np.array(rates_first, dtype=float)
    contributions = np.zeros(len(current))
    for band in order:
        before = e0_by_hand(current)
        current[band] = rates_second[band]
        contributions[band] = e0_by_hand(current) - before
    return contributions


# --- exact additivity on real data -------------------------------------------------------------


def test_coventry_male_gap_to_england_decomposes_exactly(shared_data):
    data = deaths_2014(shared_data, COVENTRY, ENGLAND)
    men = data[data["sex"] == "Male"]
    result = arriaga(
        men, "deaths", "population", "startage", groups="area_code", first=COVENTRY, second=ENGLAND
    )
    expectancy = life_expectancy(men, "deaths", "population", "startage", by="area_code", le_age=0)
    le = expectancy.set_index("area_code")["value"]
    assert len(result) == 20
    assert result["value"].sum() == pytest.approx(le[ENGLAND] - le[COVENTRY], abs=1e-9)
    assert result["le_first"].iloc[0] == pytest.approx(le[COVENTRY], abs=1e-12)
    assert result["le_second"].iloc[0] == pytest.approx(le[ENGLAND], abs=1e-12)
    # From these 2014 registrations Coventry men live about three quarters of a year less.
    assert 0.5 < le[ENGLAND] - le[COVENTRY] < 1


def test_men_and_women_of_each_area_decompose_exactly(shared_data):
    data = deaths_2014(shared_data, COVENTRY, ENGLAND)
    result = arriaga(
        data,
        "deaths",
        "population",
        "startage",
        groups="sex",
        first="Male",
        second="Female",
        by="area_code",
    )
    for _, rows in result.groupby("area_code"):
        gap = rows["le_second"].iloc[0] - rows["le_first"].iloc[0]
        assert rows["value"].sum() == pytest.approx(gap, abs=1e-9)
        assert gap > 2  # women outlive men in both


# --- an independent numerical method -----------------------------------------------------------


def test_agrees_with_stepwise_replacement_on_an_independent_life_table():
    rates_first = ENGLAND_LIKE_RATES * np.linspace(1.6, 1.1, len(AGES))
    rates_second = ENGLAND_LIKE_RATES
    result = decompose(two_populations(rates_first, rates_second))
    gap = e0_by_hand(rates_second) - e0_by_hand(rates_first)
    upwards = stepwise_replacement(rates_first, rates_second, upwards=True)
    downwards = stepwise_replacement(rates_first, rates_second, upwards=False)
    assert upwards.sum() == pytest.approx(gap, abs=1e-9)
    assert result["value"].sum() == pytest.approx(gap, abs=1e-9)
    # Arriaga's formula is stepwise replacement from the oldest band down (Andreev et al. 2002)
    np.testing.assert_allclose(result["value"], downwards, atol=1e-9)
    # ... and close to replacing upwards: the two orders differ only by interaction terms.
    np.testing.assert_allclose(result["value"], upwards, atol=0.03)


# --- a published worked example ----------------------------------------------------------------

# Ponnapalli KM (2005) "A comparison of different methods for decomposition of changes in
# expectation of life at birth and differentials in life expectancy at birth", Demographic
# Research 12(7):141-172, the worked example of US females 1935 (population 1) and 1995
# (population 2): l_x (radix 1) and e_x of both life tables at ages 0, 5, 15, 25, 45, 65, 85+.
PONNAPALLI_AGES = [0, 5, 15, 25, 45, 65, 85]
PONNAPALLI_L1 = [1.00000, 0.93887, 0.92613, 0.90341, 0.82368, 0.60779, 0.12281]
PONNAPALLI_E1 = [63.32, 62.39, 53.19, 44.38, 27.61, 13.21, 4.49]
PONNAPALLI_L2 = [1.00000, 0.99179, 0.98999, 0.98524, 0.96298, 0.85504, 0.41424]
PONNAPALLI_E2 = [79.00, 74.65, 64.78, 55.06, 36.06, 19.00, 6.62]
# The symmetric Arriaga ("Arriaga 3": the mean of the decompositions from 1 to 2 and, sign
# reversed, from 2 to 1) total effect by age group, published in the same table (years).
PONNAPALLI_ARRIAGA_SYMMETRIC = [3.85, 0.73, 1.01, 2.55, 3.31, 3.66, 0.57]


def published_table(survivors, expectancy):
    alive = np.array([survivors])
    total = alive * np.array([expectancy])
    years = total.copy()
    years[:, :-1] -= total[:, 1:]
    return SimpleNamespace(survivors=alive, years=years, total_years=total)


def test_reproduces_ponnapalli_2005_worked_example():
    first = published_table(PONNAPALLI_L1, PONNAPALLI_E1)
    second = published_table(PONNAPALLI_L2, PONNAPALLI_E2)
    forwards = arriaga_contributions(first, second)[0]
    backwards = arriaga_contributions(second, first)[0]
    assert forwards.sum() == pytest.approx(79.00 - 63.32, abs=1e-9)
    assert -backwards.sum() == pytest.approx(79.00 - 63.32, abs=1e-9)
    # The published life tables give e_x to 2 decimals, so agree to about 0.01 year.
    symmetric = (forwards - backwards) / 2
    np.testing.assert_allclose(symmetric, PONNAPALLI_ARRIAGA_SYMMETRIC, atol=0.015)


# --- split by cause ----------------------------------------------------------------------------


def with_causes(frame, shares):
    """Split each row's deaths into causes by fixed shares; the population repeats per cause."""
    rows = [frame.assign(cause=name, deaths=frame["deaths"] * share) for name, share in shares]
    return pd.concat(rows, ignore_index=True)


def test_cause_split_is_proportional_to_rate_differences_and_adds_up():
    rates_first = ENGLAND_LIKE_RATES * 1.3
    frame = two_populations(rates_first, ENGLAND_LIKE_RATES)
    # In A the extra deaths are all circulatory: circulatory rate 0.3 m + 0.3 m, other 0.7 m.
    a = frame["pop_name"] == "A"
    circulatory = frame.assign(
        cause="circulatory", deaths=np.where(a, 0.6 / 1.3, 0.3) * frame.deaths
    )
    other = frame.assign(cause="other", deaths=np.where(a, 0.7 / 1.3, 0.7) * frame.deaths)
    result = decompose(pd.concat([circulatory, other], ignore_index=True), cause="cause")
    by_age = decompose(frame)
    assert list(result.columns[:2]) == ["age", "cause"]
    per_band = result.pivot(index="age", columns="cause", values="value")
    np.testing.assert_allclose(per_band["other"], 0.0, atol=1e-12)  # same rate in A and B
    np.testing.assert_allclose(per_band.sum(axis=1), by_age.set_index("age")["value"], rtol=1e-12)
    assert result["value"].sum() == pytest.approx(by_age["le_second"][0] - by_age["le_first"][0])


def test_cause_shares_worked_by_hand():
    # One band's all-cause rates 0.010 (A) and 0.007 (B): cancer 0.006 -> 0.003, injury 0.004
    # -> 0.004 ... shares of the difference: cancer (0.003 - 0.006) / (0.007 - 0.010) = 1.
    rates_first = ENGLAND_LIKE_RATES.copy()
    rates_first[10] = 0.010
    rates_second = ENGLAND_LIKE_RATES.copy()
    rates_second[10] = 0.007
    frame = two_populations(rates_first, rates_second)
    cancer = frame.assign(cause="cancer", deaths=frame["deaths"] * 0.5)
    cancer.loc[10, "deaths"] = 0.006 * cancer.loc[10, "pop"]
    cancer.loc[30, "deaths"] = 0.003 * cancer.loc[30, "pop"]
    injury = frame.assign(cause="injury", deaths=frame["deaths"] - cancer["deaths"])
    result = decompose(pd.concat([cancer, injury], ignore_index=True), cause="cause")
    band = result[result["age"] == AGES[10]].set_index("cause")["value"]
    total = decompose(frame).loc[10, "value"]
    assert band["cancer"] == pytest.approx(total, rel=1e-12)
    assert band["injury"] == pytest.approx(0.0, abs=1e-12)


# --- validation and small numbers --------------------------------------------------------------


def test_band_missing_from_one_population_names_startage():
    frame = two_populations(ENGLAND_LIKE_RATES * 1.2, ENGLAND_LIKE_RATES)
    frame = frame.drop(index=25)  # B's 20-24 band
    with pytest.raises(MethodArgumentError, match=r"startage: age band 20 is missing for 'B'"):
        decompose(frame)


def test_non_banded_data_names_startage():
    frame = pd.DataFrame(
        {
            "pop_name": np.repeat(["A", "B"], 91),
            "age": np.tile(np.arange(91), 2),
            "pop": 1000.0,
            "deaths": 5.0,
        }
    )
    with pytest.raises(MethodArgumentError, match="startage"):
        decompose(frame)


def test_unknown_group_value_names_the_argument():
    frame = two_populations(ENGLAND_LIKE_RATES, ENGLAND_LIKE_RATES)
    with pytest.raises(MethodArgumentError, match="second: 'England'"):
        arriaga(frame, "deaths", "pop", "age", groups="pop_name", first="A", second="England")


def test_population_differing_between_cause_rows_is_refused():
    frame = with_causes(
        two_populations(ENGLAND_LIKE_RATES, ENGLAND_LIKE_RATES), [("x", 0.5), ("y", 0.5)]
    )
    frame.loc[0, "pop"] += 1
    with pytest.raises(MethodArgumentError, match="population: .* differs between the cause rows"):
        decompose(frame, cause="cause")


def test_small_population_gives_nan_with_reason():
    small = np.full(len(AGES), 200)  # 4,000 person-years in all
    result = decompose(two_populations(ENGLAND_LIKE_RATES * 1.5, ENGLAND_LIKE_RATES, pops=small))
    assert result["value"].isna().all()
    assert result["statistic"].str.contains("total population of 5,000 or less").all()
