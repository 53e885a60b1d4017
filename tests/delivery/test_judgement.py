"""A value's 95% interval against the value its trajectory expects, as the issue's rule states
(Fingertips' comparison with a goal): where higher is better, on track if the lower limit is at
or above the expected value, off track if the upper limit is below it, otherwise cannot be told
apart; mirrored where lower is better."""

import math

import pytest

from healthgap.delivery.judgement import (
    INDISTINGUISHABLE,
    NO_JUDGEMENT,
    NOT_ENOUGH_DATA,
    OFF_TRACK,
    ON_TRACK,
    judge_against_trajectory,
)

HIGHER, LOWER = "higher is better", "lower is better"


@pytest.mark.parametrize(
    "value, lower, upper, expected, polarity, status",
    [
        (72.0, 70.0, 74.0, 70.0, HIGHER, ON_TRACK),  # lower limit exactly at: on track
        (72.0, 70.1, 74.0, 70.0, HIGHER, ON_TRACK),
        (68.0, 66.0, 69.9, 70.0, HIGHER, OFF_TRACK),
        (68.0, 66.0, 70.0, 70.0, HIGHER, INDISTINGUISHABLE),  # upper limit touches: not off
        (71.0, 69.0, 73.0, 70.0, HIGHER, INDISTINGUISHABLE),
        (380.0, 350.0, 400.0, 400.0, LOWER, ON_TRACK),  # upper limit exactly at: on track
        (420.0, 400.1, 440.0, 400.0, LOWER, OFF_TRACK),
        (410.0, 390.0, 430.0, 400.0, LOWER, INDISTINGUISHABLE),
        (410.0, 390.0, 430.0, 400.0, "no judgement", NO_JUDGEMENT),
    ],
)
def test_interval_against_the_expected_value(value, lower, upper, expected, polarity, status):
    verdict = judge_against_trajectory(value, lower, upper, expected, polarity, period="2024")
    assert verdict.status == status


def test_the_words_give_the_numbers_that_made_the_judgement():
    verdict = judge_against_trajectory(420.0, 400.1, 440.0, 400.0, LOWER, period="2021 - 23")
    assert verdict.words == (
        "The value for 2021 - 23, 420.0 (95% confidence interval 400.1 to 440.0), against the "
        "400.0 expected: off track (even its lower limit is above it)."
    )


@pytest.mark.parametrize(
    "value, lower, upper, expected, reason",
    [
        (None, None, None, 70.0, "there is no value for 2024"),
        (71.0, math.nan, math.nan, 70.0, "has no confidence interval"),
        (71.0, 69.0, 73.0, None, "the trajectory has no expected value for 2024"),
    ],
)
def test_not_enough_data_says_why(value, lower, upper, expected, reason):
    verdict = judge_against_trajectory(value, lower, upper, expected, HIGHER, period="2024")
    assert verdict.status == NOT_ENOUGH_DATA and reason in verdict.words
