"""healthgap.methods.mean (R phe_mean): Student's t limits, NaN handling, errors."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from healthgap.methods import MethodArgumentError, mean


def test_matches_scipy_t_interval_per_group():
    df = pd.DataFrame({"area": ["A"] * 3 + ["B"] * 4, "v": [20, 30, 40, 200, 310, 400, 1]})
    out = mean(df, "v", by="area", confidence=(0.95, 0.998))
    for row, values in zip(out.itertuples(), ([20, 30, 40], [200, 310, 400, 1])):
        sem = stats.sem(values)
        low95, high95 = stats.t.interval(0.95, len(values) - 1, np.mean(values), sem)
        low998, high998 = stats.t.interval(0.998, len(values) - 1, np.mean(values), sem)
        assert row.value == pytest.approx(np.mean(values))
        assert row.stdev == pytest.approx(np.std(values, ddof=1))
        assert (row.lower95_0cl, row.upper95_0cl) == pytest.approx((low95, high95))
        assert (row.lower99_8cl, row.upper99_8cl) == pytest.approx((low998, high998))
    assert list(out.columns) == [
        "area",
        "value_sum",
        "value_count",
        "stdev",
        "value",
        "lower95_0cl",
        "upper95_0cl",
        "lower99_8cl",
        "upper99_8cl",
        "confidence",
        "statistic",
        "method",
    ]
    assert out["method"].iloc[0] == "Student's t-distribution"


def test_r_example_value():
    # phe_mean(data.frame(values = c(30,40,50,60)), values): mean 45, 95% limits 24.456, 65.544
    out = mean(pd.DataFrame({"values": [30, 40, 50, 60]}), "values")
    assert out["value"].iloc[0] == 45
    assert out["lowercl"].iloc[0] == pytest.approx(45 - 3.182446305 * np.sqrt(500 / 3) / 2)


def test_single_value_and_nan():
    out = mean(pd.DataFrame({"g": ["a", "b", "b"], "v": [5, 1, np.nan]}), "v", by="g")
    assert out["value"].iloc[0] == 5 and np.isnan(out["lowercl"].iloc[0])
    assert out["statistic"].iloc[0] == "mean (limits NA for fewer than 2 values)"
    assert np.isnan(out["value"].iloc[1]) and out["value_count"].iloc[1] == 2


def test_types_and_negative_values_allowed():
    df = pd.DataFrame({"v": [-3.0, 1.0, 2.0]})
    assert list(mean(df, "v", type="value").columns) == ["value"]
    assert list(mean(df, "v", type="upper").columns) == ["uppercl"]
    assert list(mean(df, "v", type="standard").columns) == [
        "value_sum",
        "value_count",
        "stdev",
        "value",
        "lowercl",
        "uppercl",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"confidence": 0.5}, "^confidence: "), ({"type": "x"}, "^type: "), ({"by": "z"}, "^by: ")],
)
def test_errors(kwargs, message):
    with pytest.raises(MethodArgumentError, match=message):
        mean(pd.DataFrame({"v": [1, 2]}), "v", **kwargs)
    with pytest.raises(MethodArgumentError, match="^x: .*non-numeric"):
        mean(pd.DataFrame({"v": ["a", "b"]}), "v")
