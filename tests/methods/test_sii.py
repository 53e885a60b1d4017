"""Slope and relative index of inequality against PHEindicatormethods' SII test workbook.

The workbook (GPL-3) is read from the shared data folder at run time, never copied. Each case
below repeats a call from the R package's tests/testthat/testSII.R: its records, the arguments
and the record holding the expected figures. Point estimates must agree to 1e-6; simulated
limits within the 5% tolerance the R tests use (compared here value by value, which is
stricter than R's mean relative difference).
"""

import importlib
import warnings

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, sii

sii_module = importlib.import_module("healthgap.methods.sii")  # the package exports the function

BY = ["Area", "Grouping1", "Grouping2"]
CL = {"lower_cl": "LowerCL", "upper_cl": "UpperCL"}
SE = {"se": "StandardError"}

# (first record, last record, record with the expected figures, arguments) as testSII.R
CASES = [
    (1, 20, 1, dict(value_type=0, rii=True, **SE)),
    (1, 20, 1, dict(value_type=0, rii=True, **CL)),
    (1, 20, 246, dict(value_type=0, rii=True, intercept=True, **CL)),
    (21, 40, 21, dict(value_type=0, rii=True, confidence=0.99, **CL)),
    (21, 40, 21, dict(value_type=0, rii=True, confidence=99, **SE)),
    (226, 245, 226, dict(value_type=0, rii=True, confidence=(95, 99), **SE)),
    (41, 60, 41, dict(value_type=0, rii=True, **SE)),
    (61, 70, 61, dict(value_type=0, rii=True, **SE)),  # quintiles: SII and RII only
    (71, 90, 71, dict(value_type=1, rii=True, **SE)),
    (71, 90, 71, dict(value_type=1, rii=True, **CL)),
    (71, 90, 266, dict(value_type=1, rii=True, intercept=True, **CL)),
    (306, 325, 306, dict(value_type=1, rii=True, intercept=True, transform=True, **CL)),
    (
        386,
        405,
        386,
        dict(value_type=1, rii=True, intercept=True, transform=True, multiplier=-1, **CL),
    ),  # fmt: skip
    (
        406,
        425,
        406,
        dict(value_type=1, rii=True, intercept=True, transform=True, confidence=98, **CL),
    ),  # fmt: skip
    (
        366,
        385,
        366,
        dict(value_type=1, rii=True, intercept=True, transform=True, confidence=(95, 98), **CL),
    ),  # fmt: skip
    (426, 445, 426, dict(value_type=1, transform=True, **CL)),
    (91, 110, 91, dict(value_type=2, rii=True, **SE)),
    (91, 110, 91, dict(value_type=2, rii=True, **CL)),
    (91, 110, 91, dict(value_type=2, rii=True, value=None, x="Count", **CL)),
    (91, 110, 286, dict(value_type=1, rii=True, intercept=True, **CL)),
    (111, 130, 111, dict(value_type=2, rii=True, multiplier=100, **CL)),
    (111, 130, 111, dict(value_type=2, multiplier=100, **CL)),
    (131, 150, 131, dict(value_type=2, rii=True, multiplier=-100, **CL)),
    (131, 150, 131, dict(value_type=2, multiplier=-100, **CL)),
    (326, 345, 326, dict(value_type=2, rii=True, intercept=True, transform=True, **CL)),
    (
        346,
        365,
        346,
        dict(value_type=2, rii=True, intercept=True, transform=True, multiplier=-1, **CL),
    ),  # fmt: skip
    (
        466,
        485,
        466,
        dict(value_type=2, rii=True, intercept=True, transform=True, confidence=98, **CL),
    ),  # fmt: skip
    (
        486,
        505,
        486,
        dict(value_type=2, rii=True, intercept=True, transform=True, confidence=(95, 98), **CL),
    ),  # fmt: skip
    (446, 465, 446, dict(value_type=2, transform=True, **CL)),
]


@pytest.fixture(scope="module")
def workbook(shared_data):
    path = shared_data / "methods_testdata" / "pheindicatormethods_testdata_SII.xlsx"
    return pd.read_excel(path, sheet_name="testdata_SII")


@pytest.fixture(scope="module")
def le_by_decile(shared_data):
    path = (
        shared_data
        / "methods_testdata"
        / "pheindicatormethods_LE_data_by_local_deprivation_decile.csv"
    )  # noqa: E501
    return pd.read_csv(path)


def records(frame, first, last):
    return frame[(frame.RecordNo >= first) & (frame.RecordNo <= last)]


def expected_limits(expected, levels, with_rii):
    """(our column, workbook column) pairs for the limits of one or two levels."""
    if levels == 1:
        pairs = [("sii_lowercl", "sii_lowercl_1"), ("sii_uppercl", "sii_uppercl_1")]
        if with_rii:
            pairs += [("rii_lowercl", "rii_lowercl_1"), ("rii_uppercl", "rii_uppercl_1")]
        return pairs
    first, second = expected
    pairs = []
    for stat in ["sii", "rii"] if with_rii else ["sii"]:
        pairs += [
            (f"{stat}_lower{first}cl", f"{stat}_lowercl_1"),
            (f"{stat}_upper{first}cl", f"{stat}_uppercl_1"),
            (f"{stat}_lower{second}cl", f"{stat}_lowercl_2"),
            (f"{stat}_upper{second}cl", f"{stat}_uppercl_2"),
        ]
    return pairs


@pytest.mark.parametrize(("first", "last", "answer", "kwargs"), CASES)
def test_reproduces_r_test_workbook(workbook, first, last, answer, kwargs):
    kwargs = dict(kwargs)
    value = kwargs.pop("value", "Value")
    data = records(workbook, first, last)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = sii(data, value, "Quantile", "Population", by=BY, type="standard",
                     repetitions=100_000, **kwargs)  # fmt: skip
    n_quantiles = data["Quantile"].nunique()
    expected = workbook[workbook.RecordNo.isin([answer, answer + n_quantiles])]
    assert result[BY].to_numpy().tolist() == expected[BY].to_numpy().tolist()

    np.testing.assert_allclose(result["sii"], expected["sii"], rtol=1e-6, atol=1e-9)
    if kwargs.get("rii"):
        np.testing.assert_allclose(result["rii"], expected["rii"], rtol=1e-6)
    else:
        assert "rii" not in result
    if kwargs.get("intercept"):
        np.testing.assert_allclose(result["intercept"], expected["Intercept"], rtol=1e-6)
    if expected["sii_lowercl_1"].isna().all():
        return  # the quintile case has no limits in the workbook
    confidence = kwargs.get("confidence", 0.95)
    levels = len(confidence) if isinstance(confidence, tuple) else 1
    suffixes = [f"{c:.1f}".replace(".", "_") for c in confidence] if levels > 1 else None
    for ours, theirs in expected_limits(suffixes, levels, kwargs.get("rii", False)):
        np.testing.assert_allclose(result[ours], expected[theirs], rtol=0.05, err_msg=ours)


def test_same_seed_same_limits_and_other_seed_differs(workbook):
    data = records(workbook, 1, 20)
    args = dict(by=BY, se="StandardError", repetitions=2000, rii=True)
    first = sii(data, "Value", "Quantile", "Population", seed=5, **args)
    again = sii(data, "Value", "Quantile", "Population", seed=5, **args)
    other = sii(data, "Value", "Quantile", "Population", seed=6, **args)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["sii_lowercl"], other["sii_lowercl"])
    np.testing.assert_allclose(first["sii"], other["sii"])


def test_block_size_does_not_change_results(workbook, monkeypatch):
    data = records(workbook, 71, 90)
    args = dict(by=BY, value_type=1, rii=True, repetitions=1000, **CL)
    whole = sii(data, "Value", "Quantile", "Population", **args)
    monkeypatch.setattr(sii_module, "_BLOCK_ELEMENTS", 70)  # 7 repetitions per block
    pd.testing.assert_frame_equal(whole, sii(data, "Value", "Quantile", "Population", **args))


def synthetic(n_areas=3, n_quantiles=10, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for area in range(n_areas):
        pops = rng.integers(5_000, 30_000, n_quantiles)
        values = 75 + np.linspace(0, 8, n_quantiles) + rng.normal(0, 0.5, n_quantiles)
        ses = rng.uniform(0.2, 1.5, n_quantiles)
        for q in range(n_quantiles):
            rows.append((f"E{area:02d}", q + 1, pops[q], values[q], ses[q]))
    return pd.DataFrame(rows, columns=["area", "decile", "pop", "le", "se"])


def test_point_estimate_is_population_weighted_regression():
    data = synthetic()
    result = sii(data, "le", "decile", "pop", by="area", se="se", rii=True, intercept=True,
                 repetitions=1000)  # fmt: skip
    for i, (_, area) in enumerate(data.groupby("area")):
        share = area["pop"] / area["pop"].sum()
        rank = share.cumsum() - share / 2
        slope, at_zero = np.polyfit(rank, area["le"], 1, w=np.sqrt(share))
        assert result["sii"].iloc[i] == pytest.approx(slope, rel=1e-10)
        assert result["intercept"].iloc[i] == pytest.approx(at_zero, rel=1e-10)
        assert result["rii"].iloc[i] == pytest.approx((at_zero + slope) / at_zero, rel=1e-10)


def test_simulated_limits_match_normal_theory():
    """For untransformed values the SII is linear in them, so its sampling distribution is
    normal with variance sum(w_q^2 se_q^2): the simulated limits must agree with that."""
    data = synthetic(n_areas=2)
    result = sii(data, "le", "decile", "pop", by="area", se="se", confidence=(0.95, 0.998))
    for i, (_, area) in enumerate(data.groupby("area")):
        share = (area["pop"] / area["pop"].sum()).to_numpy()
        rank = np.cumsum(share) - share / 2
        design = np.column_stack([np.sqrt(share), rank * np.sqrt(share)])
        weights = (np.linalg.inv(design.T @ design) @ design.T)[1] * np.sqrt(share)
        sd = np.sqrt(np.sum(weights**2 * area["se"].to_numpy() ** 2))
        for level, suffix in ((0.95, "95_0"), (0.998, "99_8")):
            z = {0.95: 1.959964, 0.998: 3.090232}[level]
            centre = result["sii"].iloc[i]
            tolerance = 0.03 * z * sd
            low, high = (
                result[f"sii_lower{suffix}cl"].iloc[i],
                result[f"sii_upper{suffix}cl"].iloc[i],
            )
            assert low == pytest.approx(centre - z * sd, abs=tolerance)
            assert high == pytest.approx(centre + z * sd, abs=tolerance)


def test_life_expectancy_by_deprivation_decile(le_by_decile):
    """The LE-by-decile data R's SII examples use: 722 areas x sex, two with a single row."""
    with pytest.warns(UserWarning, match="some records have been removed"):
        result = sii(le_by_decile, "LifeExp", "Decile", "Pop", by=["Sex", "GeoCode"],
                     se="SE", repetitions=1000)  # fmt: skip
    assert len(result) == le_by_decile.groupby(["Sex", "GeoCode"]).ngroups
    incomplete = result["sii"].isna()
    assert incomplete.sum() == 2
    assert result.loc[incomplete, "statistic"].str.contains("missing for some quantiles").all()
    done = result[~incomplete]
    assert (done["sii_lowercl"] < done["sii"]).all() and (done["sii"] < done["sii_uppercl"]).all()
    assert done["sii"].median() == pytest.approx(9, abs=4)  # years, most to least deprived
    # one area recomputed on its own gives the same point estimate
    one = le_by_decile[(le_by_decile.Sex == 2) & (le_by_decile.GeoCode == done.GeoCode.iloc[5])]
    alone = sii(one, "LifeExp", "Decile", "Pop", se="SE", repetitions=1000)
    row = done[(done.Sex == 2) & (done.GeoCode == done.GeoCode.iloc[5])]
    assert alone["sii"].iloc[0] == pytest.approx(row["sii"].iloc[0], rel=1e-12)


def test_group_with_missing_quantile_or_value_gets_nan_with_reason(workbook):
    data = records(workbook, 1, 20).copy()
    data = data[data.RecordNo != 16]  # area2 loses decile 6
    with pytest.warns(UserWarning, match="some records have been removed"):
        result = sii(data, "Value", "Quantile", "Population", by=BY, **CL)
    assert np.isnan(result["sii"].iloc[1]) and np.isnan(result["sii_uppercl"].iloc[1])
    assert result["statistic"].iloc[1].endswith("data missing for some quantiles")
    assert result["sii"].iloc[0] == pytest.approx(6.934616, rel=1e-6)

    data = records(workbook, 1, 20).copy()
    data.loc[data.RecordNo == 3, "Value"] = np.nan
    with pytest.warns(UserWarning, match="some records have been removed"):
        result = sii(data, "Value", "Quantile", "Population", by=BY, **CL)
    assert np.isnan(result["sii"].iloc[0]) and not np.isnan(result["sii"].iloc[1])
    assert "unusable value or standard error" in result["statistic"].iloc[0]


def test_output_columns_full_and_reliability(workbook):
    data = records(workbook, 1, 20)
    result = sii(data, "Value", "Quantile", "Population", by=BY, repetitions=1000,
                 rii=True, reliability_stat=True, **CL)  # fmt: skip
    assert list(result.columns) == [
        *BY, "sii", "rii", "sii_lowercl", "sii_uppercl", "rii_lowercl", "rii_uppercl",
        "sii_mad95_0", "rii_mad95_0", "indicator_type", "multiplier", "transform",
        "confidence", "statistic", "method",
    ]  # fmt: skip
    assert result["method"].iloc[0] == "simulation 1000 reps"
    assert result["statistic"].iloc[0] == (
        "slope index of inequality and relative index of inequality"
    )
    width = result["sii_uppercl"] - result["sii_lowercl"]
    assert ((result["sii_mad95_0"] > 0) & (result["sii_mad95_0"] < 0.2 * width)).all()
    plain = sii(data, "Value", "Quantile", "Population", by=BY, repetitions=1000,
                type="standard", **CL)  # fmt: skip
    assert list(plain.columns) == [*BY, "sii", "sii_lowercl", "sii_uppercl"]


def test_ungrouped_data_gives_one_row(workbook):
    result = sii(records(workbook, 1, 10), "Value", "Quantile", "Population",
                 repetitions=1000, type="standard", **CL)  # fmt: skip
    assert len(result) == 1
    assert result["sii"].iloc[0] == pytest.approx(6.934616, rel=1e-6)


def test_more_than_ten_quantiles_warns(workbook):
    with pytest.warns(UserWarning, match="large number of quantiles"):
        sii(records(workbook, 211, 225), "Value", "Quantile", "Population", repetitions=1000,
            **CL)  # fmt: skip


@pytest.mark.parametrize(
    ("records_range", "kwargs", "match"),
    [
        ((1, 20), dict(value_type=3, **SE), "value_type"),
        ((1, 20), dict(value_type="rate", **SE), "value_type"),
        ((1, 20), dict(repetitions=999, **SE), "repetitions: must be 1000"),
        ((1, 20), dict(repetitions="many", **SE), "repetitions"),
        ((1, 20), dict(multiplier="none", **SE), "multiplier"),
        ((1, 20), dict(confidence=0.35, **SE), "confidence"),
        ((1, 20), dict(confidence=135, **SE), "confidence"),
        ((1, 20), dict(lower_cl="LowerCL"), "se: give se, or both"),
        ((1, 20), dict(transform=True, value_type=0, **CL), "transform: value_type"),
        ((1, 20), dict(transform=True, value_type=1, **SE), "se: must not be given"),
        ((1, 20), dict(value_type=2, **SE), "value: proportions"),
        ((1, 20), dict(type="brief", **SE), "type"),
        ((151, 160), dict(**SE), "population: .*zero or negative"),
        ((161, 165), dict(**SE), "se: .*negative standard errors"),
        ((171, 175), dict(value_type=2, **CL), "lower_cl: confidence limit proportions"),
        ((176, 180), dict(value_type=2, **CL), "lower_cl: confidence limit proportions"),
        ((1, 3), dict(**CL), "quantile: the number of quantiles must be between 5 and 100"),
    ],
)
def test_invalid_arguments_raise_naming_the_argument(workbook, records_range, kwargs, match):
    data = records(workbook, *records_range)
    with pytest.raises(MethodArgumentError, match=match):
        sii(data, "Value", "Quantile", "Population", by=BY, **kwargs)


def test_zero_count_for_proportion_raises(workbook):
    with pytest.raises(MethodArgumentError, match="x: .*zero or negative counts"):
        sii(records(workbook, 166, 170).assign(Quantile=range(1, 6)), None, "Quantile",
            "Population", x="Count", value_type=2, **SE)  # fmt: skip


def test_non_numeric_column_and_duplicate_quantile_raise(workbook):
    data = records(workbook, 151, 160)
    with pytest.raises(MethodArgumentError, match="population: column 'Grouping1'"):
        sii(data, "Value", "Quantile", "Grouping1", **SE)
    doubled = pd.concat([records(workbook, 1, 10), records(workbook, 3, 3)])
    with pytest.raises(MethodArgumentError, match="quantile: quantile 3 appears more than once"):
        sii(doubled, "Value", "Quantile", "Population", **SE)
    with pytest.raises(MethodArgumentError, match="value: give the value column"):
        sii(doubled, None, "Quantile", "Population", **SE)
