"""Fingertips recent-trend marker, checked against independent textbook formulations."""

import numpy as np
import pandas as pd
import pytest

from healthgap.methods import MethodArgumentError, recent_trend

YEARS = list(range(2015, 2023))  # 8 periods


def series(values, half_widths, area="A", years=None):
    years = years or YEARS[-len(values) :]
    values = np.asarray(values, dtype=float)
    half = np.broadcast_to(np.asarray(half_widths, dtype=float), values.shape)
    return pd.DataFrame(
        {"area": area, "year": years, "value": values, "lcl": values - half, "ucl": values + half}
    )


def trend(frame, **kwargs):
    kwargs.setdefault("by", "area")
    return recent_trend(frame, "value", "lcl", "ucl", period_order="year", **kwargs)


def test_weighted_regression_matches_textbook_wls():
    values = [50.0, 51.5, 51.0, 53.0, 54.5]
    half = [1.0, 1.2, 0.9, 1.1, 1.3]
    result = trend(series(values, half))
    se = np.array(half) * 2 / 3.92
    t = np.arange(1, 6)
    design = np.column_stack([np.ones(5), t])
    weight = np.diag(1 / se**2)
    cov = np.linalg.inv(design.T @ weight @ design)
    slope = (cov @ design.T @ weight @ np.array(values))[1]
    assert result["slope"].iloc[0] == pytest.approx(slope, rel=1e-12)
    assert result["chi_squared"].iloc[0] == pytest.approx(slope**2 / cov[1, 1], rel=1e-12)
    assert result["chi_squared"].iloc[0] > 9.5495
    assert result["marker"].iloc[0] == "Increasing"
    assert result["points_used"].iloc[0] == 5
    assert result["latest_period"].iloc[0] == 2022
    assert result["method"].iloc[0] == "weighted linear regression, weights 1/SE^2"


def test_proportion_chi_squared_matches_armitage_form():
    counts = np.array([300, 320, 345, 360, 390])
    denominators = np.array([1000, 1010, 1005, 990, 1000])
    frame = pd.DataFrame({"area": "A", "year": YEARS[-5:], "r": counts, "n": denominators})
    frame["value"] = frame.r / frame.n
    result = recent_trend(frame, "value", None, None, count="r", denominator="n",
                          period_order="year", by="area")  # fmt: skip
    t = np.arange(1, 6)
    p = counts.sum() / denominators.sum()
    n_total = denominators.sum()
    numerator = np.sum(t * (counts - denominators * p)) ** 2
    denominator = (
        p * (1 - p) * (np.sum(denominators * t**2) - np.sum(denominators * t) ** 2 / n_total)
    )
    assert result["chi_squared"].iloc[0] == pytest.approx(numerator / denominator, rel=1e-10)
    logit = np.log(counts / (denominators - counts))
    assert result["slope"].iloc[0] == pytest.approx(np.polyfit(t, logit, 1)[0], rel=1e-10)
    assert result["marker"].iloc[0] == "Increasing"
    assert result["method"].iloc[0] == "chi-squared test for trend in proportions"


@pytest.mark.parametrize(
    ("polarity", "rising", "falling"),
    [
        ("RAG - High is good", "Increasing and getting better", "Decreasing and getting worse"),
        ("RAG - Low is good", "Increasing and getting worse", "Decreasing and getting better"),
        ("BOB - Blue orange blue", "Increasing", "Decreasing"),
        ("not applicable", "Increasing", "Decreasing"),
        (None, "Increasing", "Decreasing"),
    ],
)
def test_labels_follow_polarity(polarity, rising, falling):
    up = series([10, 12, 14, 16, 18], 0.5, area="up")
    down = series([18, 16, 14, 12, 10], 0.5, area="down")
    result = trend(pd.concat([up, down]), polarity=polarity)
    assert dict(zip(result.area, result.marker)) == {"down": falling, "up": rising}


def test_polarity_from_a_column_per_group():
    up = series([10, 12, 14, 16, 18], 0.5, area="a").assign(pol="RAG - Low is good")
    up2 = series([10, 12, 14, 16, 18], 0.5, area="b").assign(pol="RAG - High is good")
    result = trend(pd.concat([up, up2]), polarity="pol")
    assert result.marker.tolist() == [
        "Increasing and getting worse",
        "Increasing and getting better",
    ]


def test_small_change_is_not_significant():
    result = trend(series([50.0, 50.4, 49.8, 50.5, 50.6], 2.0))
    assert result["chi_squared"].iloc[0] < 9.5495
    assert result["marker"].iloc[0] == "No significant change"
    assert result["statistic"].iloc[0] == "recent trend"


def test_one_point_driving_the_trend_is_not_significant():
    # Rising overall only because of the last point: without it the slope is negative.
    result = trend(series([12.0, 10.0, 10.0, 10.0, 30.0], 0.2))
    assert result["chi_squared"].iloc[0] > 9.5495
    assert result["slope"].iloc[0] > 0
    assert result["marker"].iloc[0] == "No significant change"


def test_only_the_latest_five_points_are_used():
    early = series([90.0, 5.0, 70.0, 10, 12, 14, 16, 18], 0.5, years=YEARS)
    latest = series([10, 12, 14, 16, 18], 0.5)
    pd.testing.assert_frame_equal(trend(early), trend(latest))


def test_gap_in_latest_five_breaks_the_run_but_older_gap_does_not():
    values = [np.nan, 5.0, 10, 12, 14, 16, 18, 20]
    result = trend(series(values, 0.5, years=YEARS))
    assert result["marker"].iloc[0] == "Increasing"
    values = [1.0, 5.0, 10, 12, np.nan, 16, 18, 20]
    result = trend(series(values, 0.5, years=YEARS))
    assert result["marker"].iloc[0] == "Cannot be calculated"
    assert result["points_used"].iloc[0] == 0 and np.isnan(result["chi_squared"].iloc[0])
    assert result["statistic"].iloc[0].endswith("with valid values to calculate recent trend")


def test_missing_limits_or_zero_width_interval_break_the_run():
    frame = series([10, 12, 14, 16, 18], 0.5)
    frame.loc[2, "ucl"] = np.nan
    assert trend(frame)["marker"].iloc[0] == "Cannot be calculated"
    frame = series([10, 12, 14, 16, 18], 0.5)
    frame.loc[2, "ucl"] = frame.loc[2, "lcl"]
    assert trend(frame)["marker"].iloc[0] == "Cannot be calculated"


def test_fewer_than_five_points_cannot_be_calculated():
    result = trend(series([10, 12, 14, 16], 0.5))
    assert result["marker"].iloc[0] == "Cannot be calculated"
    assert result["statistic"].iloc[0] == (
        "recent trend: not enough data points to calculate recent trend"
    )


def test_proportion_with_all_cases_or_none_cannot_be_calculated():
    frame = pd.DataFrame({"area": "A", "year": YEARS[-5:], "r": [5, 6, 7, 8, 9],
                          "n": [10, 10, 10, 10, 9]})  # fmt: skip
    result = recent_trend(frame, None, None, None, count="r", denominator="n",
                          period_order="year", by="area")  # fmt: skip
    assert result["marker"].iloc[0] == "Cannot be calculated"


def test_many_groups_in_any_row_order():
    rng = np.random.default_rng(11)
    frames = [series(rng.normal(50, 1, 8).cumsum() / 8, 0.3, area=f"E{i:03d}", years=YEARS)
              for i in range(200)]  # fmt: skip
    frame = pd.concat(frames).sample(frac=1, random_state=2)
    together = trend(frame)
    assert together["area"].tolist() == [f"E{i:03d}" for i in range(200)]
    for i in (0, 57, 199):
        alone = trend(frames[i])
        assert together["chi_squared"].iloc[i] == pytest.approx(alone["chi_squared"].iloc[0])
        assert together["marker"].iloc[i] == alone["marker"].iloc[0]


def test_ungrouped_series_gives_one_row():
    frame = series([10, 12, 14, 16, 18], 0.5).drop(columns="area")
    result = recent_trend(frame, "value", "lcl", "ucl", period_order="year")
    assert len(result) == 1 and result["marker"].iloc[0] == "Increasing"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"count": "value"}, "denominator: give both"),
        ({"polarity": "good is good"}, "polarity"),
        ({"by": "region"}, "by: column 'region'"),
    ],
)
def test_invalid_arguments_raise(kwargs, match):
    with pytest.raises(MethodArgumentError, match=match):
        trend(series([10, 12, 14, 16, 18], 0.5), **kwargs)


def test_repeated_period_and_non_numeric_value_raise():
    frame = pd.concat([series([10, 12, 14, 16, 18], 0.5), series([1], 0.5)])
    with pytest.raises(MethodArgumentError, match="period_order: period 2022 appears more"):
        trend(frame)
    frame = series([10, 12, 14, 16, 18], 0.5)
    frame["value"] = frame["value"].astype(object)
    frame.loc[0, "value"] = "x"
    with pytest.raises(MethodArgumentError, match="value: column 'value' has non-numeric"):
        trend(frame)
    with pytest.raises(MethodArgumentError, match="value: value, lower95 and upper95"):
        recent_trend(frame, "value", None, "ucl", period_order="year")


def test_every_period_gives_each_row_the_marker_of_its_own_latest_window():
    """Each row's marker with ``every_period`` is the marker recent_trend gives the series cut
    at that row (a store of past values benchmarks every year as if it were the latest)."""
    rising = series([40.0, 41.0, 43.0, 44.5, 46.0, 47.0, 49.5, 50.0], 0.8, area="A")
    mixed = series([30.0, 29.0, 31.0, 28.0, 30.5, 27.0], 2.5, area="B")
    short = series([10.0, 11.0, 12.0], 0.5, area="C")
    frame = pd.concat([rising, mixed, short], ignore_index=True).sample(frac=1, random_state=3)
    every = trend(frame, every_period=True, polarity="RAG - Low is good")
    assert every.index.equals(frame.index)
    for label, row in frame.iterrows():
        cut = frame[(frame["area"] == row["area"]) & (frame["year"] <= row["year"])]
        latest = trend(cut, polarity="RAG - Low is good").iloc[0]
        assert every.loc[label, "area"] == row["area"]
        assert every.loc[label, "marker"] == latest["marker"]
        assert every.loc[label, "points_used"] == latest["points_used"]
        assert every.loc[label, "statistic"] == latest["statistic"]
        assert every.loc[label, "slope"] == pytest.approx(latest["slope"], rel=1e-9, nan_ok=True)
    assert set(every["marker"]) >= {"Increasing and getting worse", "Cannot be calculated"}
