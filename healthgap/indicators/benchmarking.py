"""Benchmark indicator values with healthgap.methods, for whole tables at once.

For each value: the comparison with England and with the area's region at 95% and at 99.8%
(``compare_to_benchmark``), the rank, quartile and quintile among English upper-tier authorities
(``quantile``), and Fingertips' recent trend as if the value were the latest (``recent_trend``).
Everything is column arithmetic on a pandas frame: no query and no model object per row.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from healthgap.constants import ENGLAND_CODE, NOT_COMPARED
from healthgap.indicators.models import Polarity, ValueType
from healthgap.methods import compare_to_benchmark, quantile, recent_trend

CANNOT = "Cannot be calculated"
BREAKDOWN = ["indicator", "period", "sex", "age", "category_type", "category"]
SERIES = ["indicator", "area", "sex", "age", "category_type", "category"]
RESULTS = [
    "compared_to_england",
    "compared_to_region",
    "compared_to_england_998",
    "compared_to_region_998",
    "comparison_basis",
    "rank_upper_tier",
    "ranked_among",
    "quartile_upper_tier",
    "quintile_upper_tier",
    "recent_trend",
    "trend_basis",
]
COMPARE_POLARITY = {
    Polarity.HIGH_IS_GOOD: "high is good",
    Polarity.LOW_IS_GOOD: "low is good",
    Polarity.NO_JUDGEMENT: "no judgement",
}
TREND_POLARITY = {
    Polarity.HIGH_IS_GOOD: "RAG - High is good",
    Polarity.LOW_IS_GOOD: "RAG - Low is good",
    Polarity.NO_JUDGEMENT: "BOB - Blue orange blue",
}
TREND_TYPES = (ValueType.PROPORTION, ValueType.CRUDE_RATE)


def benchmark(frame: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The RESULTS columns for each row of ``frame`` (same index).

    ``frame``: BREAKDOWN columns plus area, value, lower95, upper95, lower998, upper998, count,
    denominator, period_start (datetime64), single_year (bool) and, optionally, published_england
    / published_region (labels a file carried) and prior_* (labels stored before).
    ``indicators``: indexed by code, with polarity and value_type. ``areas``: indexed by code,
    with region (code or "") and upper_tier (bool).
    """
    frame = frame.reset_index(drop=True)
    polarity = _per_row(frame["indicator"], indicators["polarity"], object)
    group = frame.groupby(BREAKDOWN, sort=False, observed=True).ngroup().to_numpy()
    # Areas worked on as categorical codes: each distinct area's region looked up once.
    areas_seen = frame["area"].astype("category")
    area = areas_seen.cat.codes.to_numpy().astype(np.int64)
    labels = areas_seen.cat.categories.astype(str)
    region_labels = labels.map(areas["region"]).fillna("")
    region_of = np.asarray(labels.get_indexer(region_labels), dtype=np.int64)
    region = region_of[area]  # the region's own code among the areas, -1 if it has no value
    is_england = np.asarray(labels == ENGLAND_CODE)[area]
    is_region = np.asarray(region_of == np.arange(len(labels)))[area]
    out = pd.DataFrame(index=frame.index)
    england = _benchmark_values(frame, group, is_england, None, None)
    regional = _benchmark_values(frame, group, is_region, area, region)
    # England is not compared with itself, nor England or a region with a region.
    own = {"england": is_england, "region": np.asarray(region_labels == "")[area]}
    by_polarity = {words: polarity == key for key, words in COMPARE_POLARITY.items()}
    by_polarity = {words: rows for words, rows in by_polarity.items() if rows.any()}
    for name, benchmark_value in (("england", england), ("region", regional)):
        for suffix, low, high in [("", "lower95", "upper95"), ("_998", "lower998", "upper998")]:
            out[f"compared_to_{name}{suffix}"] = _compare(
                frame, benchmark_value, low, high, by_polarity
            )
    _published_fallback(frame, out)
    for name, mask in own.items():
        out.loc[mask, [f"compared_to_{name}", f"compared_to_{name}_998"]] = NOT_COMPARED
    out.loc[own["england"], "comparison_basis"] = ""
    upper_tier = labels.map(areas["upper_tier"]).fillna(False).to_numpy(dtype=bool)[area]
    out = out.join(_ranks(frame, group, polarity, upper_tier))
    out["recent_trend"] = _trends(frame, indicators, polarity)
    _published_trend(frame, out)
    return out


def _per_row(column: pd.Series, lookup: pd.Series, dtype) -> np.ndarray:
    """``lookup`` (indexed by the column's values) for each row, worked on distinct values."""
    text = column.astype("category")
    mapped = text.cat.categories.astype(str).map(lookup)
    return np.append(np.asarray(mapped, dtype=dtype), None)[text.cat.codes.to_numpy()]


def _benchmark_values(frame, group, is_benchmark, area, region) -> np.ndarray:
    """The benchmark's value for each row: same breakdown, benchmark area (England or region)."""
    values = frame["value"].to_numpy()
    if area is None:
        lookup = np.full(group.max() + 1 if len(group) else 0, np.nan)
        lookup[group[is_benchmark]] = values[is_benchmark]
        return lookup[group]
    # One integer per (breakdown, area): area and region are codes among the same areas.
    span = int(max(area.max(), region.max()) + 1) if len(area) else 1
    keys = pd.Index(group[is_benchmark].astype(np.int64) * span + area[is_benchmark])
    where = keys.get_indexer(group.astype(np.int64) * span + region)
    where[region < 0] = -1
    found = values[is_benchmark]
    return np.where(where >= 0, found[np.maximum(where, 0)] if len(found) else np.nan, np.nan)


def _compare(frame, benchmark_value, low, high, by_polarity: dict) -> np.ndarray:
    """Each row's label against the benchmark; ``by_polarity``: the rows of each polarity
    (in COMPARE_POLARITY's words), only those with any."""
    labels = np.full(len(frame), NOT_COMPARED, dtype=object)
    data = pd.DataFrame(
        {
            "value": frame["value"].to_numpy(),
            "lower": frame[low].to_numpy(),
            "upper": frame[high].to_numpy(),
            "benchmark": benchmark_value,
        }
    )
    for words, rows in by_polarity.items():
        everyone = len(by_polarity) == 1  # no copy of the rows when one polarity has them all
        result = compare_to_benchmark(
            data if everyone else data[rows], "value", "lower", "upper", "benchmark",
            polarity=words,
        )  # fmt: skip
        labels[rows] = result["comparison"].to_numpy()
    return labels


def texts(column: pd.Series) -> np.ndarray:
    """A column's cells as texts (object array), missing cells as "": the same as
    ``column.astype(object).fillna("").astype(str)``, worked on a categorical's distinct values."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = np.asarray(column.cat.categories.astype(object).map(str), dtype=object)
        return np.append(labels, "")[column.cat.codes.to_numpy()]
    return column.astype(object).fillna("").astype(str).to_numpy()


def _published_fallback(frame: pd.DataFrame, out: pd.DataFrame) -> None:
    """Where limits are missing keep the label the publisher computed (the file's, or the prior)."""
    computed = out["compared_to_england"].to_numpy() != NOT_COMPARED
    basis = np.where(computed, "computed", "").astype(object)
    for name in ("england", "region"):
        labels = out[f"compared_to_{name}"].to_numpy().copy()
        for source, column in (
            ("published", f"published_{name}"),
            ("prior", f"prior_compared_to_{name}"),
        ):
            if column not in frame:
                continue
            given = texts(frame[column])
            if source == "prior":
                given = np.where(
                    frame["prior_comparison_basis"].to_numpy() == "published", given, ""
                )
            use = (labels == NOT_COMPARED) & (given != "") & (given != NOT_COMPARED)
            labels[use] = given[use]
            basis[use & (name == "england")] = "published"
        out[f"compared_to_{name}"] = labels
    out["comparison_basis"] = basis


def _published_trend(frame: pd.DataFrame, out: pd.DataFrame) -> None:
    """Where the store lacks the history to compute a trend, keep the marker the publisher
    computed (the file's, or the one kept as published before), with basis "published"."""
    markers = out["recent_trend"].to_numpy().copy()
    basis = np.where(markers != CANNOT, "computed", "").astype(object)
    for column in ("published_trend", "prior_recent_trend"):
        if column not in frame:
            continue
        given = texts(frame[column])
        if column == "prior_recent_trend":
            given = np.where(frame["prior_trend_basis"].to_numpy() == "published", given, "")
        use = (markers == CANNOT) & (given != "") & (given != CANNOT)
        markers[use] = given[use]
        basis[use] = "published"
    out["recent_trend"] = markers
    out["trend_basis"] = basis


def _ranks(frame, group, polarity, upper_tier) -> pd.DataFrame:
    values = frame["value"].to_numpy()
    ranked = upper_tier & ~np.isnan(values)
    signed = np.where(polarity == Polarity.HIGH_IS_GOOD, -values, values)
    out = pd.DataFrame({c: _missing_integers(len(frame)) for c in RESULTS[5:9]}, index=frame.index)
    if not ranked.any():
        return out
    data = pd.DataFrame({"g": group[ranked], "signed": signed[ranked], "value": values[ranked]})
    rank = data.groupby("g")["signed"].rank(method="min").to_numpy()
    among = np.bincount(data["g"].to_numpy())[data["g"].to_numpy()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quartile = quantile(data, "signed", by="g", nquantiles=4, invert=False, type="standard")
        quintile = quantile(data, "value", by="g", nquantiles=5, invert=False, type="standard")
    out.loc[ranked, "rank_upper_tier"] = rank.astype("int64")
    out.loc[ranked, "ranked_among"] = among.astype("int64")
    out.loc[ranked, "quartile_upper_tier"] = pd.array(quartile["quantile"].to_numpy()).astype(
        "Int64"
    )
    out.loc[ranked, "quintile_upper_tier"] = pd.array(quintile["quantile"].to_numpy()).astype(
        "Int64"
    )
    return out


def _missing_integers(n: int) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))


def _trends(frame: pd.DataFrame, indicators: pd.DataFrame, polarity: np.ndarray) -> np.ndarray:
    """Recent trend for each value as if it were the latest: its 5-point window ending there."""
    markers = np.full(len(frame), CANNOT, dtype=object)
    value_type = _per_row(frame["indicator"], indicators["value_type"], object)
    eligible = np.isin(value_type, TREND_TYPES) & frame["single_year"].to_numpy(dtype=bool)
    if not eligible.any():
        return markers
    columns = ["value", "lower95", "upper95", "count", "denominator", "period_start"]
    data = frame.loc[eligible, columns].reset_index(drop=True)
    data["polarity"] = pd.Series(polarity[eligible]).map(TREND_POLARITY).to_numpy()
    series = frame.loc[eligible, SERIES].groupby(SERIES, sort=False, observed=True).ngroup()
    data["series"] = series.to_numpy()
    is_proportion = value_type[eligible] == ValueType.PROPORTION
    where = np.flatnonzero(eligible)
    for proportion in (True, False):
        rows = is_proportion == proportion
        if rows.any():
            markers[where[rows]] = _every_trend(data.loc[rows], proportion)
    return markers


def _every_trend(data: pd.DataFrame, proportion: bool) -> np.ndarray:
    """The trend marker of every row of one kind (proportions or rates), windows taken once."""
    kwargs = {"count": "count", "denominator": "denominator"} if proportion else {}
    trend = recent_trend(
        data,
        None if proportion else "value",
        None if proportion else "lower95",
        None if proportion else "upper95",
        period_order="period_start",
        by="series",
        polarity="polarity",
        every_period=True,
        **kwargs,
    )
    return trend["marker"].to_numpy()
