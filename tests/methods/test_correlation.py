"""Pearson and Spearman correlation (healthgap.methods.correlation).

Worked example: Anscombe F J (1973) "Graphs in statistical analysis", The American
Statistician 27(1):17-21, Table 1: four data sets whose correlation coefficient is 0.816 each.
"""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError
from healthgap.methods.correlation import correlation

ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
ANSCOMBE_X4 = [8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8]
ANSCOMBE_Y = {
    "I": [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68],
    "II": [9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74],
    "III": [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73],
    "IV": [6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.50, 5.56, 7.91, 6.89],
}


def _anscombe() -> pd.DataFrame:
    frames = [
        pd.DataFrame({"set": name, "x": ANSCOMBE_X4 if name == "IV" else ANSCOMBE_X, "y": y})
        for name, y in ANSCOMBE_Y.items()
    ]
    return pd.concat(frames, ignore_index=True)


def test_anscombes_four_data_sets_each_have_r_0_816():
    result = correlation(_anscombe(), "x", "y", by="set")
    assert list(result["set"]) == ["I", "II", "III", "IV"]
    assert result["value"].tolist() == pytest.approx([0.816] * 4, abs=0.001)
    assert result["pairs"].tolist() == [11] * 4


def test_fisher_limits_surround_r_symmetrically_on_the_z_scale():
    result = correlation(_anscombe(), "x", "y", by="set", confidence=(0.95, 0.998)).iloc[0]
    z = np.arctanh([result["lower95_0cl"], result["value"], result["upper95_0cl"]])
    assert z[1] - z[0] == pytest.approx(z[2] - z[1])
    assert z[2] - z[1] == pytest.approx(1.959964 / np.sqrt(11 - 3), rel=1e-6)
    assert result["lower99_8cl"] < result["lower95_0cl"] < result["value"]


def test_missing_values_drop_the_pair_and_small_groups_give_nan_with_the_reason():
    data = pd.DataFrame({"x": [1, 2, 3, np.nan, 5], "y": [2, 4, 7, 9, np.nan]})
    result = correlation(data, "x", "y").iloc[0]
    assert result["pairs"] == 3 and np.isnan(result["value"])
    assert "fewer than 4 pairs" in result["statistic"]


def test_a_bad_argument_is_named():
    with pytest.raises(MethodArgumentError, match="^y:"):
        correlation(pd.DataFrame({"x": [1, 2]}), "x", "missing")
    with pytest.raises(MethodArgumentError, match="^x:"):
        correlation(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]}), "x", "y")
