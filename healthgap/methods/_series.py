"""Helpers shared by the time-series methods (SPC, forecast, segmented regression).

Each of these methods works series by series: ``by`` names the columns that pick out one series
and ``period_order`` (or ``time``) the column whose sort order is time order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import MethodArgumentError, group_codes

HIGHER_IS_BETTER = "higher is better"
LOWER_IS_BETTER = "lower is better"
NO_JUDGEMENT = "no judgement"
POLARITIES = (HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_JUDGEMENT)


def polarity_sign(polarity: object) -> int:
    """+1 where higher is better, -1 where lower is better, 0 for no judgement."""
    if not isinstance(polarity, str) or polarity.strip().lower() not in POLARITIES:
        raise MethodArgumentError(
            f"polarity: must be one of {', '.join(map(repr, POLARITIES))}; got {polarity!r}"
        )
    return {HIGHER_IS_BETTER: 1, LOWER_IS_BETTER: -1, NO_JUDGEMENT: 0}[polarity.strip().lower()]


def series_in_time_order(
    data: pd.DataFrame, by: Sequence[str], period_order: str, argument: str = "period_order"
) -> Iterator[tuple[dict, np.ndarray]]:
    """Yield (group key, row positions in time order) for each series; repeated periods raise."""
    if data[period_order].isna().any():
        raise MethodArgumentError(f"{argument}: column {period_order!r} has missing periods")
    codes, keys = group_codes(data, list(by))
    periods = data[period_order].to_numpy()
    period_codes, _ = pd.factorize(data[period_order], sort=True)
    order = np.lexsort((period_codes, codes))
    starts = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    for group in range(len(keys)):
        rows = order[starts[group] : starts[group + 1]]
        repeated = period_codes[rows][1:] == period_codes[rows][:-1]
        if repeated.any():
            period = periods[rows][1:][repeated][0]
            raise MethodArgumentError(
                f"{argument}: period {period!r} appears more than once in a series"
            )
        key = {column: keys[column].iloc[group] for column in by}
        yield key, rows


def format_value(value: float, digits: int) -> str:
    """A number for a sentence: thousands separated, ``digits`` decimal places."""
    return f"{value:,.{digits}f}"


def least_squares(
    design: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(Weighted) least squares: coefficients, their covariance, residuals and the residual
    variance s^2 = sum(w r^2) / (n - p), the scale estimated from the fit as statsmodels' OLS and
    WLS do."""
    weights = np.ones(len(y)) if weights is None else weights
    root = np.sqrt(weights)
    coefficients, *_ = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)
    residuals = y - design @ coefficients
    degrees = len(y) - design.shape[1]
    scale = float(np.sum(weights * residuals**2) / degrees)
    inverse = np.linalg.inv(design.T @ (design * weights[:, None]))
    return coefficients, scale * inverse, residuals, scale


@functools.lru_cache(maxsize=256)
def t_quantile(level: float, degrees: int) -> float:
    """Two-sided Student's t quantile for a confidence level."""
    from scipy.stats import t

    return float(t.ppf(level + (1 - level) / 2, degrees))
