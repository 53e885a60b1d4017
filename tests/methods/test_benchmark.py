"""healthgap.methods.compare_to_benchmark: Fingertips' benchmark comparison."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, compare_to_benchmark


@pytest.fixture
def areas():
    return pd.DataFrame(
        {
            "value": [10.0, 20.0, 30.0, 22.0, 15.0, np.nan, 18.0],
            "lo95": [8.0, 19.0, 25.0, 20.0, 12.0, np.nan, 15.0],
            "hi95": [12.0, 21.0, 35.0, 24.0, 18.0, np.nan, 20.0],
            "lo998": [7.0, 18.5, 22.0, 19.0, 11.0, np.nan, 14.0],
            "hi998": [13.0, 21.5, 38.0, 25.0, 20.5, np.nan, 21.0],
        }
    )


def test_three_levels_by_polarity(areas):
    low = compare_to_benchmark(areas, "value", "lo95", "hi95", 20, polarity="low is good")
    assert list(low["comparison"]) == [
        "Better",
        "Similar",
        "Worse",
        "Similar",
        "Better",
        "Not compared",
        "Similar",
    ]
    high = compare_to_benchmark(areas, "value", "lo95", "hi95", 20, polarity="RAG - High is good")
    assert high["comparison"].iloc[0] == "Worse" and high["comparison"].iloc[2] == "Better"
    neutral = compare_to_benchmark(areas, "value", "lo95", "hi95", 20, polarity="no judgement")
    assert neutral["comparison"].iloc[0] == "Lower" and neutral["comparison"].iloc[2] == "Higher"


def test_touching_the_benchmark_is_similar(areas):
    out = compare_to_benchmark(areas, "value", "lo95", "hi95", 20)
    assert out["comparison"].iloc[6] == "Similar"  # upper limit equals the benchmark


def test_five_levels_with_998(areas):
    out = compare_to_benchmark(
        areas, "value", "lo95", "hi95", 20, lower_998="lo998", upper_998="hi998"
    )
    assert list(out["comparison"]) == [
        "Better 99.8%",
        "Similar",
        "Worse 99.8%",
        "Similar",
        "Better 95%",
        "Not compared",
        "Similar",
    ]
    neutral = compare_to_benchmark(
        areas,
        "value",
        "lo95",
        "hi95",
        20,
        polarity="BOB - Blue orange blue",
        lower_998="lo998",
        upper_998="hi998",
    )
    assert neutral["comparison"].iloc[4] == "Lower 95%"


def test_benchmark_column_and_missing_benchmark(areas):
    areas["england"] = [20.0] * 6 + [np.nan]
    out = compare_to_benchmark(areas, "value", "lo95", "hi95", "england", column="vs_england")
    assert out["vs_england"].iloc[0] == "Better" and out["vs_england"].iloc[6] == "Not compared"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"polarity": "up"}, "^polarity: "),
        ({"lower_998": "lo998"}, "^lower_998: "),
        ({"benchmark": "nope"}, "^benchmark: "),
        ({"benchmark": None}, "^benchmark: "),
    ],
)
def test_errors(areas, kwargs, message):
    args = {"benchmark": 20, **kwargs}
    with pytest.raises(MethodArgumentError, match=message):
        compare_to_benchmark(areas, "value", "lo95", "hi95", args.pop("benchmark"), **args)
