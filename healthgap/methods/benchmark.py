"""Compare values with a benchmark the way Fingertips does (confidence interval vs value)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.constants import NOT_COMPARED
from healthgap.methods._common import (
    MethodArgumentError,
    numeric_column,
    require_columns,
    require_frame,
)

POLARITIES = {
    "low is good": "low",
    "rag - low is good": "low",
    "high is good": "high",
    "rag - high is good": "high",
    "no judgement": "neutral",
    "bob - blue orange blue": "neutral",
}


def compare_to_benchmark(
    data: pd.DataFrame,
    value: str,
    lower: str,
    upper: str,
    benchmark: str | float,
    *,
    polarity: str = "low is good",
    lower_998: str | None = None,
    upper_998: str | None = None,
    column: str = "comparison",
) -> pd.DataFrame:
    """Label each value against a benchmark by whether its confidence interval excludes it.

    As Fingertips (OHID ``ValueCategoriesCalculator``; PHE Technical Guide "Comparing with a
    benchmark"): an interval wholly above the benchmark is "higher", wholly below "lower",
    otherwise "Similar" (touching counts as similar). ``polarity`` turns higher/lower into
    "Better"/"Worse" ("low is good", "high is good") or keeps "Higher"/"Lower"
    ("no judgement"); Fingertips' own names ("RAG - Low is good", "RAG - High is good",
    "BOB - Blue orange blue") are accepted too.

    With ``lower_998`` and ``upper_998`` (99.8% limits) as well as the 95% ``lower``/``upper``,
    the five-level legend is produced: "Better 99.8%", "Better 95%", "Similar", "Worse 95%",
    "Worse 99.8%" (or "Higher 99.8%" ... "Lower 99.8%" without judgement).

    ``benchmark`` is a column name (e.g. the England value joined on) or one number. Rows with a
    missing value, limit or benchmark get "Not compared". Returns ``data`` with ``column`` added.
    """
    data = require_frame(data)
    require_columns(data, value=value, lower=lower, upper=upper)
    key = polarity.strip().lower() if isinstance(polarity, str) else None
    if key not in POLARITIES:
        raise MethodArgumentError(
            "polarity: must be 'low is good', 'high is good' or 'no judgement' "
            f"(or a Fingertips polarity name); got {polarity!r}"
        )
    if (lower_998 is None) != (upper_998 is None):
        raise MethodArgumentError("lower_998: give both lower_998 and upper_998, or neither")
    values = numeric_column(data, value, "value", allow_negative=True)
    low95 = numeric_column(data, lower, "lower", allow_negative=True)
    high95 = numeric_column(data, upper, "upper", allow_negative=True)
    if isinstance(benchmark, str):
        require_columns(data, benchmark=benchmark)
        target = numeric_column(data, benchmark, "benchmark", allow_negative=True)
    elif isinstance(benchmark, int | float | np.number) and not isinstance(benchmark, bool):
        target = np.full(len(data), float(benchmark))
    else:
        raise MethodArgumentError(f"benchmark: give a column name or a number, got {benchmark!r}")

    higher_word, lower_word = {
        "low": ("Worse", "Better"),
        "high": ("Better", "Worse"),
        "neutral": ("Higher", "Lower"),
    }[POLARITIES[key]]
    missing = np.isnan(values) | np.isnan(low95) | np.isnan(high95) | np.isnan(target)
    above95 = low95 > target
    below95 = high95 < target
    if lower_998 is None:
        conditions = [missing, above95, below95]
        choices = [NOT_COMPARED, higher_word, lower_word]
    else:
        require_columns(data, lower_998=lower_998, upper_998=upper_998)
        low998 = numeric_column(data, lower_998, "lower_998", allow_negative=True)
        high998 = numeric_column(data, upper_998, "upper_998", allow_negative=True)
        missing |= np.isnan(low998) | np.isnan(high998)
        conditions = [missing, low998 > target, above95, high998 < target, below95]
        choices = [
            NOT_COMPARED,
            f"{higher_word} 99.8%",
            f"{higher_word} 95%",
            f"{lower_word} 99.8%",
            f"{lower_word} 95%",
        ]
    # The label's position among the choices, then the labels taken by position: a few shared
    # strings rather than one new string per row.
    labels = np.array([*choices, "Similar"], dtype=object)
    out = data.copy()
    out[column] = labels[np.select(conditions, range(len(choices)), default=len(choices))]
    return out


__all__ = ["compare_to_benchmark"]
