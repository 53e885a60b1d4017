"""The cause-group table: ICD-10 ranges as published (ONS cause groupings), first match wins."""

import numpy as np

from healthgap.mortality import causes


def groups_of(*codes, age_days=None):
    ordinals = causes.ordinals(causes.normalised(np.array(codes)))
    days = None if age_days is None else np.array(age_days, dtype=float)
    return list(causes.classify(ordinals, days))


def test_range_ends_include_every_subdivision():
    assert groups_of("I00", "I99.9", "H99", "J00") == [
        "circulatory", "circulatory", "other", "respiratory",
    ]  # fmt: skip


def test_liver_before_digestive_and_covid_only_u07_1_and_2():
    assert groups_of("K70.3", "K77", "K78", "K93.8") == ["liver", "liver", "digestive", "digestive"]
    assert groups_of("U07.1", "U07.2", "U07.3", "U071") == ["covid", "covid", "other", "covid"]


def test_external_and_mental_groups():
    assert groups_of("V01", "X59.9", "Y89", "F10.2", "F99") == [
        "external", "external", "external", "mental", "mental",
    ]  # fmt: skip


def test_deaths_under_28_days_whatever_the_cause():
    assert groups_of("P07.3", "I21", "P07.3", age_days=[27, 5, 28]) == [
        "neonatal", "neonatal", "other",
    ]  # fmt: skip


def test_icd10_format():
    codes = np.array(["I21", "I21.9", "I219", "X59X", "I2", "21.9", "I21.99", "II1"])
    assert list(causes.is_icd10(causes.normalised(codes))) == [
        True, True, True, True, False, False, False, False,
    ]  # fmt: skip


def test_preventable_share_under_75_only():
    ordinals = causes.ordinals(np.array(["C34.1", "C34.1", "I21", "C50", "X70"]))
    shares = causes.preventable_share(ordinals, np.array([60, 75, 60, 60, 20]))
    assert list(shares) == [1.0, 0.0, 0.5, 0.0, 1.0]


def test_a_cause_group_in_words_names_its_codes_and_what_earlier_rows_take():
    # The table (mortality/data/cause_groups.csv): neonatal first, liver before digestive.
    assert causes.cause_description("circulatory") == (
        "Circulatory diseases (ICD-10 I00-I99, except deaths under 28 days)"
    )
    assert causes.cause_description("digestive") == (
        "Digestive diseases (other than liver) (ICD-10 K00-K93, except K70-K77 and deaths "
        "under 28 days)"
    )
    assert (
        causes.cause_description("neonatal")
        == "Deaths under 28 days (any cause, age under 28 days)"
    )
    assert causes.cause_description(causes.ALL_CAUSES) == "All causes (every ICD-10 code)"
    assert causes.cause_description(causes.OTHER).startswith("Other causes")


def test_a_measure_chooses_all_causes_or_any_group_of_the_table():
    choices = dict(causes.cause_choices())
    assert list(choices)[0] == causes.ALL_CAUSES and list(choices)[-1] == causes.OTHER
    assert choices["cancer"] == "Cancer" and len(choices) == len(causes.cause_groups()) + 2
