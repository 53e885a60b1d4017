"""A modelled prevalence brought to the bands of a practice list (issue 12): single years take
their model band's prevalence, sexes combine by the reference population, and each list band
is the population-weighted mean. Worked by hand below."""

import pandas as pd
import pytest

from healthgap.practices.prevalence import list_band_prevalence

BANDS = [(0, 5), (6, 15), (16, 16), (17, 17), (18, 49), (50, None)]


def _rates(*rows):
    columns = ["condition", "sex", "age_start", "age_end", "prevalence"]
    return pd.DataFrame([("HYP", *row) for row in rows], columns=columns)


def _weights(male, female):
    """The same number of men (and of women) at every single year 0-90."""
    return pd.DataFrame(
        [(sex, age, people) for sex, people in (("Male", male), ("Female", female))
         for age in range(91)],
        columns=["sex", "age", "people"],
    )  # fmt: skip


def test_persons_bands_that_hold_list_bands_pass_straight_through():
    rates = _rates(("Persons", 18, 49, 0.05), ("Persons", 50, None, 0.30))
    result = list_band_prevalence(rates, _weights(1, 1), BANDS).set_index("band")["prevalence"]
    assert result.to_dict() == pytest.approx({0: 0, 6: 0, 16: 0, 17: 0, 18: 0.05, 50: 0.30})


def test_sexes_combine_by_the_reference_population():
    # Three women for each man: (1 x 0.10 + 3 x 0.30) / 4 = 0.25 at every age of the band.
    rates = _rates(("Male", 18, None, 0.10), ("Female", 18, None, 0.30))
    result = list_band_prevalence(rates, _weights(1, 3), BANDS).set_index("band")["prevalence"]
    assert result[18] == pytest.approx(0.25) and result[50] == pytest.approx(0.25)


def test_a_list_band_spanning_model_bands_takes_their_population_weighted_mean():
    # 50+ holds single years 50..90 (41 years, equal people each): 15 years (50-64) at 0.20 and
    # 26 years (65-90+) at 0.50 give (15 x 0.20 + 26 x 0.50) / 41 = 16 / 41.
    rates = _rates(("Persons", 50, 64, 0.20), ("Persons", 65, None, 0.50))
    result = list_band_prevalence(rates, _weights(1, 1), BANDS).set_index("band")["prevalence"]
    assert result[50] == pytest.approx(16 / 41)
    assert result[18] == 0  # the model says nothing of those ages


def test_equal_weights_when_no_reference_population_is_held():
    rates = _rates(("Male", 18, None, 0.10), ("Female", 18, None, 0.30))
    empty = pd.DataFrame(columns=["sex", "age", "people"])
    result = list_band_prevalence(rates, empty, BANDS).set_index("band")["prevalence"]
    assert result[18] == pytest.approx(0.20)
