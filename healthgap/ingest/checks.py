"""Recompute what a file published and record where healthgap's figures disagree.

Where a row carries a count and denominator, its value and 95%/99.8% limits are recomputed with
``healthgap.methods`` (Wilson for proportions, Byar's/exact for crude rates, with the multiplier
the published value implies); where it carries Fingertips' own comparison or trend labels they
are compared with healthgap's. Each disagreement becomes a :class:`ValueCheck`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.constants import NOT_COMPARED
from healthgap.indicators.benchmarking import CANNOT, texts
from healthgap.indicators.models import Indicator, IndicatorValue, ValueCheck, ValueType
from healthgap.ingest import bulk
from healthgap.methods import proportion, rate

KEY = ["indicator", "area", "period", "sex", "age", "category_type", "category"]
RELATIVE_TOLERANCE = 1e-3
LIMITS = {
    "lower95": "lower95_0cl",
    "upper95": "upper95_0cl",
    "lower998": "lower99_8cl",
    "upper998": "upper99_8cl",
}


def record_checks(rows: pd.DataFrame, results: pd.DataFrame, record) -> int:
    """Store a ValueCheck for each disagreement among the freshly loaded ``rows``."""
    rows = rows.reset_index(drop=True)
    results = results.reset_index(drop=True)
    found = [*_label_checks(rows, results), *_recomputed_checks(rows)]
    found = [frame for frame in found if len(frame)]
    if not found:
        return 0
    checks = pd.concat(found, ignore_index=True)
    ids = _value_ids(rows.loc[checks["row"].unique()], record)
    checks["value_id"] = ids.reindex(checks["row"]).to_numpy()
    columns = {c: checks[c] for c in ("value_id", "field", "given", "computed", "method")}
    columns["import_record_id"] = np.full(len(checks), record.id)
    return bulk.insert_rows(ValueCheck._meta.db_table, columns, "checks")


def _label_checks(rows: pd.DataFrame, results: pd.DataFrame) -> list[pd.DataFrame]:
    found = []
    pairs = [
        ("compared_to_england", "published_england", NOT_COMPARED),
        ("compared_to_region", "published_region", NOT_COMPARED),
        ("recent_trend", "published_trend", CANNOT),
    ]
    computed_basis = results["comparison_basis"].to_numpy() == "computed"
    for field, published, nothing in pairs:
        if published not in rows:
            continue
        given = texts(rows[published])
        ours = results[field].astype(str).to_numpy()
        mask = (given != "") & (given != nothing) & (ours != nothing) & (given != ours)
        if field != "recent_trend":
            mask &= computed_basis
        found.append(_frame(mask, field, given, ours, "healthgap.methods"))
    return found


def _recomputed_checks(rows: pd.DataFrame) -> list[pd.DataFrame]:
    codes = rows["indicator"].unique().tolist()
    types = dict(Indicator.objects.filter(code__in=codes).values_list("code", "value_type"))
    value_type = rows["indicator"].map(types).to_numpy()
    count, denominator = rows["count"].to_numpy(), rows["denominator"].to_numpy()
    usable = ~np.isnan(rows["value"].to_numpy()) & (denominator > 0) & (count >= 0)
    found = []
    for kind, method, name in [
        (ValueType.PROPORTION, proportion, "Wilson score interval"),
        (ValueType.CRUDE_RATE, rate, "Byar's method"),
    ]:
        mask = usable & (value_type == kind)
        if kind == ValueType.PROPORTION:
            mask &= count <= denominator
        if mask.any():
            found += _recompute(rows.loc[mask], method, name)
    return found


def _multiplier(rows: pd.DataFrame) -> np.ndarray:
    """The power of ten the published value implies (100 for a percentage, 100,000 a rate)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rows["value"].to_numpy() / (rows["count"].to_numpy() / rows["denominator"])
        power = np.round(np.log10(ratio))
    return np.where(np.isfinite(power), 10.0 ** np.clip(power, 0, 6), 1.0)


def _recompute(rows: pd.DataFrame, method, name: str) -> list[pd.DataFrame]:
    multiplier = _multiplier(rows)
    found = []
    for factor in np.unique(multiplier):
        part = rows.loc[multiplier == factor]
        data = pd.DataFrame({"x": part["count"].to_numpy(), "n": part["denominator"].to_numpy()})
        if method is rate:
            data = data[data["x"] >= 0]
        computed = method(data, "x", "n", confidence=(0.95, 0.998), multiplier=float(factor))
        label = f"{name}, x {factor:g}"
        found.append(_compare(part, "value", computed["value"].to_numpy(), label))
        for ours, theirs in LIMITS.items():
            found.append(_compare(part, ours, computed[theirs].to_numpy(), label))
    return found


def _compare(part: pd.DataFrame, field: str, computed: np.ndarray, method: str) -> pd.DataFrame:
    given = part[field].to_numpy()
    mask = ~np.isnan(given) & ~np.isclose(given, computed, rtol=RELATIVE_TOLERANCE, atol=1e-9)
    return pd.DataFrame(
        {
            "row": part.index.to_numpy()[mask],
            "field": field,
            "given": _numbers(given[mask]),
            "computed": _numbers(computed[mask]),
            "method": method,
        }
    )


def _numbers(values: np.ndarray) -> np.ndarray:
    return np.array([f"{v:.6g}" for v in values], dtype=object)


def _frame(mask, field, given, computed, method) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": np.flatnonzero(mask),
            "field": field,
            "given": given[mask],
            "computed": computed[mask],
            "method": method,
        }
    )


def _value_ids(rows: pd.DataFrame, record) -> pd.Series:
    """The stored id of each of ``rows`` (index: the row's position), found by its key."""
    stored = pd.DataFrame.from_records(
        IndicatorValue.objects.filter(import_record=record).values(
            "id", "indicator_id", "area_id", "period_id", "sex", "age", "category_type", "category"
        )
    )
    stored.columns = ["id", *KEY]
    keyed = rows[KEY].reset_index().merge(stored, on=KEY, how="left")
    return keyed.set_index("index")["id"]
