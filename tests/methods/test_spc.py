"""XmR chart with the Making Data Count rules: a published worked example and each rule's
constructed must-trigger / must-not-trigger series."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, describe_spc, spc

# NHSRplotthedots vignette "Deviations from Excel defaults" (nhs-r-community/NHSRplotthedots,
# vignettes/deviations.Rmd): 18 daily points with one outlier. Published to two decimals:
# with outlier screening (the R default) UPL 4.6, mean 1.94, LPL -0.72; without it, as the
# Making Data Count Excel tool computes, UPL 6.95, mean 1.94, LPL -3.06. In both charts the
# fifth point is the only special cause ("special cause improvement" where increase is good).
VIGNETTE_DATA = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def chart(values, **kwargs):
    frame = pd.DataFrame({"month": range(1, len(values) + 1), "value": values})
    return spc(frame, "value", period_order="month", **kwargs)


@pytest.mark.parametrize(("screen", "lower", "upper"), [(False, -3.06, 6.95), (True, -0.72, 4.60)])
def test_vignette_limits_with_and_without_outlier_screening(screen, lower, upper):
    result = chart(VIGNETTE_DATA, screen_outliers=screen, polarity="higher is better")
    assert result["centre"].round(2).unique().tolist() == [1.94]
    assert result["lower_process_limit"].round(2).unique().tolist() == [lower]
    assert result["upper_process_limit"].round(2).unique().tolist() == [upper]
    assert result["beyond_limit"].tolist() == [i == 4 for i in range(18)]
    assert result["variation"].tolist() == [
        "special cause improving" if i == 4 else "common cause" for i in range(18)
    ]
    assert result["moving_range"].iloc[4] == 8 and np.isnan(result["moving_range"].iloc[0])


def test_default_follows_making_data_count_excel_tool_not_screening():
    assert chart(VIGNETTE_DATA)["upper_process_limit"].round(2).iloc[0] == 6.95


# Each rule below: a noisy background (alternating 8 and 12, so no run or trend of its own)
# with one pattern inserted; the test first checks the construction, then the rule.
def background(before, pattern, after):
    return [12, 8] * before + list(pattern) + [8, 12] * after


def test_shift_of_seven_on_one_side_triggers():
    values = background(4, [10.5, 10.8] * 3 + [10.5], 2) + [8]
    result = chart(values)
    run = slice(8, 15)
    assert (result["value"][run] > result["centre"][run]).all()
    assert result["shift"].tolist() == [8 <= i < 15 for i in range(len(values))]
    assert (result["special_cause"][run] == "shift").all()
    assert set(result["variation"][run]) == {"special cause high"}


def test_six_on_one_side_is_not_a_shift():
    values = background(4, [10.5, 10.8] * 3, 2) + [8, 12]
    result = chart(values)
    assert (result["value"][8:14] > result["centre"][8:14]).all()
    assert not result["shift"].any()
    assert (result["variation"] == "common cause").all()


def test_point_on_the_mean_breaks_a_shift():
    values = [10.0] * 3 + [12, 8] * 7 + [10.0] * 3
    result = chart(values)
    assert (result["centre"] == 10).all() and not result["shift"].any()


def test_trend_of_seven_rising_triggers_and_six_does_not():
    rising = [9, 9.5, 10, 10.5, 11, 11.5, 11.9]
    result = chart([8, 12] * 4 + rising + [8, 12] * 2 + [8])
    assert result["trend"].tolist() == [8 <= i < 15 for i in range(len(result))]
    assert (result["special_cause"][8:15] == "trend").all()
    shorter = chart([8, 12] * 4 + rising[:6] + [8, 12] * 2 + [8, 12])
    assert not shorter["trend"].any()


def test_falling_trend_is_concerning_where_higher_is_better():
    falling = [11.9, 11.5, 11, 10.5, 10, 9.5, 9]
    result = chart([12, 8] * 4 + falling + [12, 8] * 2 + [12], polarity="higher is better")
    assert set(result["variation"][8:15]) == {"special cause concerning"}
    assert (result["variation"].drop(range(8, 15)) == "common cause").all()


def test_equal_neighbours_break_a_trend():
    flat_step = [9, 9.5, 10, 10, 10.5, 11, 11.5, 11.9]
    result = chart([8, 12] * 4 + flat_step + [8, 12] * 2)
    assert not result["trend"].any()


def near_series(second_near):
    """Background of 9/11 with two points above the mean; the second inside or outside the band."""
    return [9, 11] * 8 + [15.6, 10.6, second_near] + [9, 11, 9, 11]


def test_two_of_three_close_to_a_limit_on_one_side_triggers():
    result = chart(near_series(15.6), polarity="lower is better")
    upper2, upper = result["upper_two_sigma"].iloc[0], result["upper_process_limit"].iloc[0]
    window = result.iloc[16:19]
    assert (upper2 < window["value"].iloc[[0, 2]]).all() and (window["value"] < upper).all()
    assert (window["value"] > window["centre"]).all()
    assert result["two_of_three"].tolist() == [i in (16, 18) for i in range(len(result))]
    assert window["variation"].tolist() == [
        "special cause concerning",
        "common cause",
        "special cause concerning",
    ]


def test_one_of_three_close_to_a_limit_is_not_special():
    result = chart(near_series(10.8))
    assert result["value"].iloc[16] > result["upper_two_sigma"].iloc[0]
    assert result["value"].iloc[18] < result["upper_two_sigma"].iloc[0]
    assert not result["two_of_three"].any()


def test_two_close_points_on_opposite_sides_are_not_special():
    values = [9, 11] * 8 + [15.6, 10.6, 4.4] + [11, 9, 11, 9]
    result = chart(values)
    assert result["value"].iloc[16] > result["upper_two_sigma"].iloc[0]
    assert result["lower_process_limit"].iloc[0] < result["value"].iloc[18]
    assert result["value"].iloc[18] < result["lower_two_sigma"].iloc[0]
    assert not result["two_of_three"].any()


@pytest.mark.parametrize(
    ("polarity", "target", "assurance"),
    [
        ("higher is better", 20, "consistently failing"),
        ("higher is better", -10, "consistently passing"),
        ("lower is better", 20, "consistently passing"),
        ("lower is better", -10, "consistently failing"),
        ("higher is better", 2, "hit and miss"),
        ("no judgement", 20, None),
    ],
)
def test_assurance_against_target(polarity, target, assurance):
    result = chart(VIGNETTE_DATA, polarity=polarity, target=target)
    assert result["assurance"].unique().tolist() == [assurance]


def test_no_target_gives_no_assurance():
    assert chart(VIGNETTE_DATA, polarity="higher is better")["assurance"].isna().all()


def test_fewer_than_fifteen_points_give_nan_limits_with_reason():
    result = chart(VIGNETTE_DATA[:14])
    assert result["upper_process_limit"].isna().all() and result["centre"].isna().all()
    assert result["statistic"].iloc[0].startswith("spc: 14 points in the phase")
    assert result["variation"].isna().all()
    assert chart(VIGNETTE_DATA[:14], min_points=12)["upper_process_limit"].notna().all()


def test_rebase_gives_each_phase_its_own_limits():
    values = [9, 11] * 8 + [19, 21] * 8
    frame = pd.DataFrame({"month": range(32), "value": values})
    result = spc(frame, "value", period_order="month", rebase_at=16)
    assert result["phase"].tolist() == [1] * 16 + [2] * 16
    assert result["centre"].tolist() == [10.0] * 16 + [20.0] * 16
    assert not result["shift"].any()
    assert (chart(values)["shift"]).all()  # unrebased, both halves are runs


def test_baseline_fixes_limits_on_first_points():
    values = [9, 11] * 8 + [19, 21] * 4
    result = chart(values, baseline=16)
    assert (result["centre"] == 10).all() and (result["upper_process_limit"] == 10 + 2.66 * 2).all()
    assert result["beyond_limit"].tolist() == [i >= 16 for i in range(24)]
    assert (result["points_in_limits"] == 16).all()


def test_groups_are_charted_separately_in_time_order():
    frame = pd.DataFrame(
        {
            "area": ["B"] * 18 + ["A"] * 18,
            "month": list(range(18, 0, -1)) * 2,
            "value": VIGNETTE_DATA[::-1] + [v * 10 for v in VIGNETTE_DATA[::-1]],
        }
    )
    result = spc(frame, "value", period_order="month", by="area")
    assert result["area"].tolist() == ["A"] * 18 + ["B"] * 18
    assert result["month"].tolist() == list(range(1, 19)) * 2
    assert result["centre"].round(1).tolist() == [19.4] * 18 + [1.9] * 18


def test_missing_value_is_left_out():
    values = VIGNETTE_DATA + [np.nan]
    result = chart(values)
    assert result["statistic"].iloc[-1] == "spc: value missing"
    assert result["centre"].round(2).iloc[0] == 1.94


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"polarity": "up"}, "polarity"),
        ({"target": "nope"}, "target"),
        ({"target": True}, "target"),
        ({"baseline": 1}, "baseline"),
        ({"min_points": 5}, "min_points"),
        ({"rebase_at": 99}, "rebase_at"),
        ({"screen_outliers": "yes"}, "screen_outliers"),
        ({"by": "nope"}, "by"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, argument):
    with pytest.raises(MethodArgumentError, match=f"^{argument}:"):
        chart(VIGNETTE_DATA, **kwargs)


def test_repeated_period_is_refused():
    frame = pd.DataFrame({"month": [1, 1], "value": [1, 2]})
    with pytest.raises(MethodArgumentError, match="^period_order:"):
        spc(frame, "value", period_order="month")


def test_describe_common_cause_with_target_above_the_limits():
    result = chart(VIGNETTE_DATA, polarity="higher is better", target=8)
    text = describe_spc(result.iloc[-1], digits=2)
    assert text == (
        "The value, 1.00, is within the process limits (-3.06 to 6.95) and shows no "
        "special-cause pattern: common-cause variation. The target, 8.00, lies above the upper "
        "process limit, so on current performance it will consistently not be met."
    )


def test_describe_special_cause_and_hit_and_miss():
    result = chart(VIGNETTE_DATA, polarity="lower is better", target=2)
    text = describe_spc(result.iloc[4])
    assert text.startswith("The value, 10.0, lies beyond the process limits (mean 1.9")
    assert "special-cause variation, concerning" in text
    assert text.endswith("(hit and miss).")


def test_describe_too_few_points():
    text = describe_spc(chart(VIGNETTE_DATA[:10]).iloc[-1])
    assert text.startswith("No process limits are given: 10 points in the phase")


def test_flat_series_has_limits_on_the_mean_and_no_special_cause():
    result = chart([5.0] * 15, screen_outliers=True)
    assert (result["upper_process_limit"] == 5).all() and (result["lower_process_limit"] == 5).all()
    assert (result["variation"] == "common cause").all()
