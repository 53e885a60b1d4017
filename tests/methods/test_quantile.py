"""healthgap.methods.quantile (R phe_quantile): the PHE quantile assignment rule."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, quantile


def _rule(values, q, invert):
    """The published rule applied one area at a time (reference for the vectorised code)."""
    present = [v for v in values if not np.isnan(v)]
    n = len(present)
    out = []
    for v in values:
        if np.isnan(v) or n < q:
            out.append(np.nan)
            continue
        rank = 1 + sum((w > v) if invert else (w < v) for w in present)
        k = np.floor(q + 1 - np.ceil((n + 1 - rank) / (n / q)))
        out.append(1.0 if k == 0 else k)
    return out


@pytest.mark.parametrize("invert", [True, False])
@pytest.mark.parametrize("nq", [4, 5, 10])
def test_matches_rule_with_ties_and_groups(invert, nq):
    rng = np.random.default_rng(7)
    values = rng.integers(0, 40, 230).astype(float)
    values[[3, 50, 199]] = np.nan
    region = np.repeat(["R1", "R2", "R3"], [100, 97, 33])
    df = pd.DataFrame({"region": region, "v": values})
    out = quantile(df, "v", by="region", nquantiles=nq, invert=invert)
    for name in ["R1", "R2", "R3"]:
        mask = region == name
        np.testing.assert_array_equal(
            out.loc[mask, "quantile"].to_numpy(), _rule(list(values[mask]), nq, invert)
        )
    assert out["groupvars"].iloc[0] == "region"
    assert set(out["quantile"].dropna()) <= set(range(1, nq + 1))


def test_deciles_of_100_distinct_values():
    out = quantile(pd.DataFrame({"v": np.arange(100.0)}), "v", invert=False)
    assert out["quantile"].value_counts().tolist() == [10] * 10
    assert out["quantile"].iloc[0] == 1 and out["quantile"].iloc[-1] == 10
    assert out["qinverted"].iloc[0] == "lowest quantile represents lowest values"
    assert quantile(pd.DataFrame({"v": np.arange(100.0)}), "v")["quantile"].iloc[0] == 10


def test_invert_from_field_per_group():
    df = pd.DataFrame(
        {"g": ["a"] * 4 + ["b"] * 4, "v": [1.0, 2, 3, 4] * 2, "inv": [True] * 4 + [False] * 4}
    )
    out = quantile(df, "v", by="g", nquantiles=2, invert="inv", inverttype="field")
    assert out["quantile"].tolist() == [2, 2, 1, 1, 1, 1, 2, 2]


def test_too_few_areas_warns_and_gives_nan():
    with pytest.warns(UserWarning, match="fewer than 10"):
        out = quantile(pd.DataFrame({"v": [1.0, 2, 3]}), "v")
    assert out["quantile"].isna().all()


def test_standard_type_keeps_only_quantile():
    out = quantile(pd.DataFrame({"v": np.arange(20.0)}), "v", type="standard")
    assert list(out.columns) == ["v", "quantile"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"invert": "yes"}, "^invert: "),
        ({"inverttype": "column"}, "^inverttype: "),
        ({"invert": "inv", "inverttype": "field"}, "^invert: .*same value"),
        ({"nquantiles": 0}, "^nquantiles: "),
        ({"nquantiles": 2.5}, "^nquantiles: "),
        ({"type": "value"}, "^type: "),
    ],
)
def test_errors(kwargs, message):
    df = pd.DataFrame({"g": ["a", "a"], "v": [1.0, 2.0], "inv": [True, False]})
    with pytest.raises(MethodArgumentError, match=message):
        quantile(df, "v", by="g", **kwargs)
    with pytest.raises(MethodArgumentError, match="^values: "):
        quantile(pd.DataFrame({"v": ["a", "b"]}), "v")
