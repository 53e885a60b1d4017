"""healthgap.methods.rate against R phe_rate, its test workbook and the Byar's sheet."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, rate
from healthgap.methods._common import byars_lower, byars_upper, wilson_lower, wilson_upper
from tests.methods._phe_workbooks import assert_close, assert_frame_values, sheet

LIMITS_2 = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


def _methods(frame):
    return [None if pd.isna(m) else m for m in frame["method"]]


@pytest.fixture
def rates(shared_data):
    return sheet(shared_data, "Rate", "testdata_Rate")


@pytest.mark.parametrize(("rows", "multiplier"), [(slice(0, 8), 100), (slice(8, 16), 100000)])
def test_workbook_two_levels(rates, rows, multiplier):
    expected = rates.iloc[rows].reset_index(drop=True)
    out = rate(
        expected.iloc[:, :3],
        "Numerator",
        "Denominator",
        confidence=(0.95, 0.998),
        multiplier=multiplier,
    )
    assert_frame_values(out, expected, ["value", *LIMITS_2])
    assert list(out["method"]) == list(expected["method"])
    assert list(out["statistic"]) == list(expected["statistic"])
    assert (out["confidence"] == "95%, 99.8%").all()


def test_workbook_missing_values_and_numerator_above_denominator(rates):
    expected = rates.iloc[16:20].reset_index(drop=True)
    out = rate(expected.iloc[:, :3], "Numerator", "Denominator", confidence=(0.95, 0.998))
    assert_frame_values(out, expected, ["value", *LIMITS_2])
    expected_method = [None if pd.isna(m) else m for m in expected["method"]]
    assert _methods(out) == expected_method


def test_workbook_single_level_99_8(rates):
    expected = rates.iloc[8:16]
    out = rate(expected.iloc[:, :3], "Numerator", "Denominator", confidence=99.8)
    assert_close(out["lowercl"], expected["lower99_8cl"])
    assert_close(out["uppercl"], expected["upper99_8cl"])


def test_workbook_grouped(shared_data, rates):
    expected = sheet(shared_data, "Rate", "testdata_Rate_g")
    doubled = pd.concat([rates.iloc[8:16, :3]] * 2 + [rates.iloc[16:20, :3]])
    out = rate(doubled, "Numerator", "Denominator", by="Area")
    out = out.set_index("Area").loc[expected["Area"]].reset_index()
    assert_frame_values(out, expected, ["Numerator", "Denominator", "value", "lowercl", "uppercl"])
    expected_method = [None if pd.isna(m) else m for m in expected["method"]]
    assert _methods(out) == expected_method


def test_workbook_byars_and_wilson_sheet(shared_data):
    bw = sheet(shared_data, "Byars_Wilson", "testdata_B_W")
    for _, row in bw.iterrows():
        level = 0.95 if row["confidence"] == "95%" else 0.998
        if row["method"] == "Byars":
            low, high = byars_lower([row["x"]], level), byars_upper([row["x"]], level)
        else:
            low = wilson_lower([row["x"]], [row["n"]], level)
            high = wilson_upper([row["x"]], [row["n"]], level)
        assert_close(low, [row["lowercl"]])  # NaN where Byar's goes negative (x=1, 99.8%)
        assert_close(high, [row["uppercl"]])


def test_zero_events_exact_limits():
    out = rate(pd.DataFrame({"x": [0], "n": [1000]}), "x", "n")
    assert out["lowercl"].iloc[0] == 0
    # exact upper limit for 0 events: chi2(0.975, 2) / 2 = 3.688879
    assert out["uppercl"].iloc[0] == pytest.approx(3.688879454 / 1000 * 100000)
    assert out["method"].iloc[0] == "Exact"


def test_threshold_between_exact_and_byars():
    out = rate(pd.DataFrame({"x": [9, 10], "n": [100, 100]}), "x", "n")
    assert list(out["method"]) == ["Exact", "Byars"]


def test_tiny_denominator_and_statistic_text():
    out = rate(pd.DataFrame({"x": [3], "n": [0.5]}), "x", "n", multiplier=1000)
    assert out["value"].iloc[0] == pytest.approx(6000)
    assert out["statistic"].iloc[0] == "rate per 1000"


def test_grouping_by_two_columns_sorted():
    df = pd.DataFrame(
        {"y": [2021, 2020, 2020, 2021], "s": ["m", "f", "f", "m"], "x": [1, 2, 3, 4], "n": 10}
    )
    out = rate(df, "x", "n", by=["y", "s"], type="standard")
    assert list(out.columns) == ["y", "s", "x", "n", "value", "lowercl", "uppercl"]
    assert out[["y", "s", "x"]].values.tolist() == [[2020, "f", 5], [2021, "m", 5]]


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        ({"x": [-65], "n": [100]}, {}, "^x: "),
        ({"x": [65], "n": [0]}, {}, "^n: "),
        ({"x": [65], "n": [-100]}, {}, "^n: "),
        ({"x": ["a"], "n": [100]}, {}, "^x: .*non-numeric"),
        ({"x": [65], "n": [100]}, {"confidence": 0.5}, "^confidence: "),
        ({"x": [65], "n": [100]}, {"confidence": 40}, "^confidence: "),
        ({"x": [65], "n": [100]}, {"confidence": 9998}, "^confidence: "),
        ({"x": [65], "n": [100]}, {"confidence": []}, "^confidence: "),
        ({"x": [65], "n": [100]}, {"type": "combined"}, "^type: "),
        ({"x": [65], "n": [100]}, {"multiplier": "1000"}, "^multiplier: "),
    ],
)
def test_errors_name_the_argument(frame, kwargs, message):
    with pytest.raises(MethodArgumentError, match=message):
        rate(pd.DataFrame(frame), "x", "n", **kwargs)


def test_nan_inputs_do_not_raise():
    out = rate(pd.DataFrame({"x": [np.nan, 5], "n": [100, np.nan]}), "x", "n")
    assert out["value"].isna().all()
