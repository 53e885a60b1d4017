"""A modelled prevalence brought to the bands of a practice list (issue 12): single years take
their model band's prevalence, sexes combine by the reference population, and each list band
is the population-weighted mean. Worked by hand below."""

import pandas as pd
import pytest

from healthgap.practices.prevalence import age_sex_band_prevalence, list_band_prevalence

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


def test_age_sex_bands_keep_each_sexs_prevalence_and_weight_split_bands_by_that_sex():
    # Worked by hand: men 2% to 44 and 10% from 45, women 1% to 44 and 6% from 45. The five-year
    # band 40-44 lies inside the first model band; 45-49 inside the second; a list band 43-47
    # spans both: 2 single years at the first and 3 at the second (equal weights):
    # men (2 x 2% + 3 x 10%) / 5 = 6.8%, women (2 x 1% + 3 x 6%) / 5 = 4%.
    rates = _rates(
        ("Male", 0, 44, 0.02), ("Male", 45, None, 0.10),
        ("Female", 0, 44, 0.01), ("Female", 45, None, 0.06),
    )  # fmt: skip
    bands = [(40, 44), (45, 49), (43, 47), (95, None)]
    result = age_sex_band_prevalence(rates, _weights(1, 1), bands)
    found = result.set_index(["sex", "band"])["prevalence"].to_dict()
    assert found == pytest.approx(
        {("Male", 40): 0.02, ("Male", 45): 0.10, ("Male", 43): 0.068, ("Male", 95): 0.10,
         ("Female", 40): 0.01, ("Female", 45): 0.06, ("Female", 43): 0.04, ("Female", 95): 0.06}
    )  # fmt: skip


def test_age_sex_bands_from_a_persons_model_give_both_sexes_its_figures():
    rates = _rates(("Persons", 0, 49, 0.03), ("Persons", 50, None, 0.12))
    result = age_sex_band_prevalence(rates, _weights(3, 1), [(45, 49), (50, 54)])
    assert result["prevalence"].tolist() == pytest.approx([0.03, 0.12, 0.03, 0.12])
