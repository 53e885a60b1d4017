"""healthgap.methods.proportion against R phe_proportion and its test workbook."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, proportion
from tests.methods._phe_workbooks import assert_close, assert_frame_values, sheet

LIMITS_2 = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]


@pytest.fixture
def prop(shared_data):
    return sheet(shared_data, "Proportion", "testdata_Prop")


def test_workbook_two_levels_proportion_and_percentage(prop):
    for rows, multiplier in ((slice(0, 8), 1), (slice(8, 16), 100)):
        expected = prop.iloc[rows].reset_index(drop=True)
        out = proportion(
            expected[["Area", "Numerator", "Denominator"]],
            "Numerator",
            "Denominator",
            confidence=(0.95, 0.998),
            multiplier=multiplier,
        )
        assert list(out.columns) == [
            "Area",
            "Numerator",
            "Denominator",
            "value",
            *LIMITS_2,
            "confidence",
            "statistic",
            "method",
        ]
        assert_frame_values(out, expected, ["value", *LIMITS_2])
        assert (out["statistic"] == expected["statistic"]).all()
        assert (out["method"] == "Wilson").all()
        assert (out["confidence"] == "95%, 99.8%").all()


@pytest.mark.parametrize("level", [0.95, 95, 0.998, 99.8])
def test_workbook_single_level(prop, level):
    expected = prop.iloc[:8]
    out = proportion(expected.iloc[:, :3], "Numerator", "Denominator", confidence=level)
    suffix = "95_0" if level in (0.95, 95) else "99_8"
    assert_close(out["lowercl"], expected[f"lower{suffix}cl"])
    assert_close(out["uppercl"], expected[f"upper{suffix}cl"])
    assert out["confidence"].iloc[0] == ("95%" if suffix == "95_0" else "99.8%")


def test_workbook_missing_values_give_nan(prop):
    expected = prop.iloc[16:19]
    out = proportion(expected.iloc[:, :3], "Numerator", "Denominator", confidence=(0.95, 0.998))
    assert_frame_values(out, expected, ["value", *LIMITS_2])
    assert list(out["statistic"]) == ["proportion of 1"] * 3
    assert list(out["method"]) == ["Wilson"] * 3


def test_workbook_grouped(shared_data, prop):
    expected = sheet(shared_data, "Proportion", "testdata_Prop_g").iloc[:8]
    out = proportion(prop.iloc[:8].iloc[:, :3], "Numerator", "Denominator", by="Area")
    # the grouped sheet doubles each area; group the original rows twice over
    doubled = pd.concat([prop.iloc[:8, :3]] * 2)
    out = proportion(doubled, "Numerator", "Denominator", by="Area")
    assert list(out["Area"]) == list(expected["Area"])
    assert_frame_values(out, expected, ["Numerator", "Denominator", "value", "lowercl", "uppercl"])
    assert (out["confidence"] == "95%").all()


def test_grouped_missing_member_makes_group_nan():
    df = pd.DataFrame({"g": ["a", "a", "b"], "x": [1, np.nan, 3], "n": [10, 10, 10]})
    out = proportion(df, "x", "n", by="g")
    assert np.isnan(out.loc[0, "value"]) and out.loc[1, "value"] == pytest.approx(0.3)


def test_types_select_columns(prop):
    data = prop.iloc[:8, :3]
    base = ["Area", "Numerator", "Denominator"]
    assert list(proportion(data, "Numerator", "Denominator", type="value").columns) == [
        *base,
        "value",
    ]
    assert list(proportion(data, "Numerator", "Denominator", type="lower").columns) == [
        *base,
        "lowercl",
    ]
    two = proportion(data, "Numerator", "Denominator", type="upper", confidence=(0.95, 0.998))
    assert list(two.columns) == [*base, "upper95_0cl", "upper99_8cl"]
    standard = proportion(data, "Numerator", "Denominator", type="standard")
    assert list(standard.columns) == [*base, "value", "lowercl", "uppercl"]


def test_no_confidence_requested(prop):
    out = proportion(prop.iloc[:8, :3], "Numerator", "Denominator", confidence=None)
    assert list(out.columns) == ["Area", "Numerator", "Denominator", "value", "statistic"]


def test_edge_cases_zero_and_all_events():
    df = pd.DataFrame({"x": [0, 5, 1], "n": [5, 5, 1]})
    out = proportion(df, "x", "n")
    assert out.loc[0, "lowercl"] == pytest.approx(0, abs=1e-15)
    assert out.loc[1, "uppercl"] == pytest.approx(1)
    assert 0 < out.loc[2, "lowercl"] < 1
    assert out["statistic"].iloc[0] == "proportion of 1"
    assert proportion(df, "x", "n", multiplier=1000)["statistic"].iloc[0] == "proportion of 1000"


def test_single_row_and_empty():
    assert len(proportion(pd.DataFrame({"x": [3], "n": [9]}), "x", "n")) == 1
    empty = proportion(pd.DataFrame({"x": [], "n": []}), "x", "n")
    assert len(empty) == 0 and "lowercl" in empty.columns


def test_numeric_text_is_accepted_and_other_text_rejected():
    out = proportion(pd.DataFrame({"x": ["3"], "n": ["9"]}), "x", "n")
    assert out["value"].iloc[0] == pytest.approx(1 / 3)
    with pytest.raises(MethodArgumentError, match="^x: .*non-numeric"):
        proportion(pd.DataFrame({"x": ["three"], "n": [9]}), "x", "n")


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        ({"x": [-1], "n": [10]}, {}, "^x: .*negative"),
        ({"x": [1], "n": [0]}, {}, "^n: .*greater than zero"),
        ({"x": [1], "n": [-4]}, {}, "^n: .*greater than zero"),
        ({"x": [11], "n": [10]}, {}, "^x: .*less than or equal"),
        ({"x": [1], "n": [10]}, {"confidence": 0.8}, "^confidence: "),
        ({"x": [1], "n": [10]}, {"confidence": 50}, "^confidence: "),
        ({"x": [1], "n": [10]}, {"confidence": 130}, "^confidence: "),
        ({"x": [1], "n": [10]}, {"confidence": "0.95"}, "^confidence: "),
        ({"x": [1], "n": [10]}, {"type": "combined"}, "^type: "),
        ({"x": [1], "n": [10]}, {"multiplier": 0}, "^multiplier: "),
        ({"x": [1], "n": [10]}, {"by": "area"}, "^by: "),
    ],
)
def test_errors_name_the_argument(frame, kwargs, message):
    with pytest.raises(MethodArgumentError, match=message):
        proportion(pd.DataFrame(frame), "x", "n", **kwargs)


def test_missing_column_and_not_a_frame():
    with pytest.raises(MethodArgumentError, match="^x: "):
        proportion(pd.DataFrame({"n": [1]}), "x", "n")
    with pytest.raises(MethodArgumentError, match="^data: "):
        proportion([1, 2], "x", "n")
