"""Fingertips' recent-trend marker: is the indicator rising or falling over the latest 5 points?

Rules as OHID Fingertips applies them (fingertips-open, PholioVisualisation
``TrendMarkerCalculator``/``TrendRequest``; PHE Fingertips technical guide "Recent trends"):

* the test needs the latest 5 points of a series to be valid (an unbroken run back from the
  latest: a missing or suppressed point breaks it) and uses those 5, timed 1..5;
* proportions (``count`` and ``denominator`` given): the chi-squared test for trend in
  proportions (Cochran-Armitage form; Armitage P, Berry G & Matthews JNS, *Statistical Methods
  in Medical Research*, 4th ed. 2002, s. 15.5)
  ``X2 = N (N sum(r t) - R sum(n t))^2 / (R (N - R) (N sum(n t^2) - (sum(n t))^2))``;
  the direction is the least-squares slope of logit(r / n) on t;
* other values: weighted least squares of the value on t with weights 1 / SE^2,
  SE = (upper95 - lower95) / 3.92, and X2 = (slope / SE(slope))^2;
* significant when X2 > 9.5495 (chi-squared, 1 df, p = 0.002: 99.8%) and the slope's sign is
  the same in the full fit and in each of the 5 fits leaving one point out (a sign change
  means one point drives the trend);
* labels by polarity: "RAG - Low is good" -> increasing is getting worse, "RAG - High is good"
  -> increasing is getting better, otherwise plain "Increasing"/"Decreasing"; else "No
  significant change" or "Cannot be calculated".

Fingertips only reports it for proportions and crude rates of single-year periods; choosing
which indicators qualify is left to the caller. All groups are tested together with array
arithmetic (no loop over groups).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    group_codes,
    grouping_columns,
    numeric_column,
    require_columns,
    require_frame,
)

__all__ = ["CHI_SQUARED_998", "recent_trend"]

POINTS = 5
CHI_SQUARED_998 = 9.54953570608324  # chi-squared 1 df at p = 0.002 (Excel CHIINV(0.002, 1))
SE_DIVISOR = 3.92  # 2 x 1.96, as Fingertips converts a 95% interval to a standard error

CANNOT = "Cannot be calculated"
NO_CHANGE = "No significant change"
_POLARITY_LABELS = {
    "rag - low is good": ("Increasing and getting worse", "Decreasing and getting better"),
    "rag - high is good": ("Increasing and getting better", "Decreasing and getting worse"),
    "bob - blue orange blue": ("Increasing", "Decreasing"),
    "not applicable": ("Increasing", "Decreasing"),
}
METHOD_PROPORTION = "chi-squared test for trend in proportions"
METHOD_WEIGHTED = "weighted linear regression, weights 1/SE^2"


def recent_trend(
    data: pd.DataFrame,
    value: str | None,
    lower95: str | None,
    upper95: str | None,
    *,
    count: str | None = None,
    denominator: str | None = None,
    period_order: str,
    by: str | Sequence[str] | None = None,
    polarity: str | None = None,
    every_period: bool = False,
) -> pd.DataFrame:
    """Recent-trend marker for each group (series) in ``data``, or for every row of it.

    Parameters
    ----------
    data:
        One row per group and period.
    value, lower95, upper95:
        Columns with each period's value and 95% limits. For proportions (``count`` and
        ``denominator`` given) they may be None; when given, a missing value or limit still
        breaks the run (Fingertips treats it as suppressed).
    count, denominator:
        Give both to test a proportion by the chi-squared test for trend.
    period_order:
        Column whose sort order is time order (year, or a sortable period key).
    by:
        Grouping column(s): one series and one marker per group.
    polarity:
        "RAG - Low is good", "RAG - High is good", "BOB - Blue orange blue", "Not applicable"
        (case-insensitive), None for plain Increasing/Decreasing, or the name of a column
        holding one of these per row (the latest row of each group is used).
    every_period:
        If true, the marker of every row as if its period were its group's latest (its window:
        it and the up to four periods before it), as a store of past values needs; each window
        is taken from the sorted rows once, never copied out.

    Returns
    -------
    One row per group (or, with ``every_period``, per row of ``data``, on its index), with the
    group's key columns, ``marker`` (the label), ``chi_squared``, ``slope`` (per period: value
    units for the regression, logit scale for proportions), ``points_used`` (5, or 0 when
    not calculated), ``latest_period``, ``statistic`` (the reason when not calculated) and
    ``method``.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    proportion = count is not None or denominator is not None
    if proportion and (count is None or denominator is None):
        missing = "denominator" if denominator is None else "count"
        raise MethodArgumentError(f"{missing}: give both count and denominator for proportions")
    if not proportion and (value is None or lower95 is None or upper95 is None):
        raise MethodArgumentError(
            "value: value, lower95 and upper95 are needed unless count and denominator are given"
        )
    if not isinstance(period_order, str):
        raise MethodArgumentError("period_order: give the name of the column that orders time")
    require_columns(
        data, value=value, lower95=lower95, upper95=upper95, count=count,
        denominator=denominator, period_order=period_order, by=by_columns,
    )  # fmt: skip
    polarity_column = _polarity_column(data, polarity)

    n_rows = len(data)
    valid = np.ones(n_rows, dtype=bool)
    numbers = {}
    for name, column in (("value", value), ("lower95", lower95), ("upper95", upper95)):
        if column is not None:
            numbers[name] = numeric_column(data, column, name, allow_negative=True)
            valid &= np.isfinite(numbers[name])
    if proportion:
        numbers["count"] = numeric_column(data, count, "count")  # type: ignore[arg-type]
        numbers["denominator"] = numeric_column(data, denominator, "denominator")  # type: ignore[arg-type]
        r, n = numbers["count"], numbers["denominator"]
        with np.errstate(invalid="ignore"):
            valid &= np.isfinite(r) & np.isfinite(n) & (r > 0) & (r < n)
    else:
        with np.errstate(invalid="ignore"):
            valid &= numbers["upper95"] > numbers["lower95"]

    if data[period_order].isna().any():
        raise MethodArgumentError(f"period_order: column {period_order!r} has missing periods")
    codes, keys = group_codes(data, by_columns)
    order = _time_order(data, period_order, codes)
    rows, available, latest_rows = _windows(codes, order, len(keys), every_period)
    computable = (available >= POINTS) & valid[rows].all(axis=1)

    t = np.arange(1, POINTS + 1, dtype="float64")
    masks = np.ones((POINTS + 1, POINTS))  # full fit, then each leave-one-out fit
    masks[np.arange(1, POINTS + 1), np.arange(POINTS)] = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if proportion:
            chi2, slopes = _proportion_test(
                numbers["count"][rows], numbers["denominator"][rows], t, masks
            )
        else:
            chi2, slopes = _weighted_test(
                numbers["value"][rows], numbers["lower95"][rows], numbers["upper95"][rows],
                t, masks,
            )  # fmt: skip
    slope = slopes[:, 0]
    consistent = np.all(slopes < 0, axis=1) | np.all(slopes >= 0, axis=1)
    significant = computable & consistent & (chi2 > CHI_SQUARED_998) & (slope != 0)

    increasing_label, decreasing_label = _labels(data, polarity, polarity_column, latest_rows)
    marker = np.where(
        significant,
        np.where(slope > 0, increasing_label, decreasing_label),
        np.where(computable, NO_CHANGE, CANNOT),
    ).astype(object)

    reason = np.where(
        available < POINTS,
        "recent trend: not enough data points to calculate recent trend",
        "recent trend: not enough data points with valid values to calculate recent trend",
    ).astype(object)
    statistic = np.where(computable, "recent trend", reason).astype(object)

    if every_period:
        out = keys.take(codes).set_axis(data.index)
    else:
        out = keys.copy().reset_index(drop=True) if by_columns else pd.DataFrame(index=range(1))
        if not by_columns and len(keys) == 0:
            out = pd.DataFrame(index=range(0))
    out["marker"] = marker
    out["chi_squared"] = np.where(computable, chi2, np.nan)
    out["slope"] = np.where(computable, slope, np.nan)
    out["points_used"] = np.where(computable, POINTS, 0)
    latest = data[period_order].to_numpy()[latest_rows] if n_rows else []
    out["latest_period"] = latest
    out["statistic"] = statistic
    out["method"] = METHOD_PROPORTION if proportion else METHOD_WEIGHTED
    return out


def _time_order(data: pd.DataFrame, period_order: str, codes: np.ndarray) -> np.ndarray:
    """Rows sorted by group then period; a period twice in a group is an argument error."""
    period_codes, period_labels = pd.factorize(data[period_order], sort=True)
    order = np.lexsort((period_codes, codes))
    sorted_codes, sorted_periods = codes[order], period_codes[order]
    repeated = (sorted_codes[1:] == sorted_codes[:-1]) & (sorted_periods[1:] == sorted_periods[:-1])
    if repeated.any():
        period = period_labels[sorted_periods[1:][repeated][0]]
        period = period.item() if isinstance(period, np.generic) else period
        raise MethodArgumentError(
            f"period_order: period {period!r} appears more than once in a group"
        )
    return order


def _windows(
    codes: np.ndarray, order: np.ndarray, n_groups: int, every_period: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The windows tested: the rows of the POINTS periods up to each window's latest, (windows x
    POINTS) row numbers, with how many periods each has up to its latest and the latest's row.

    One window per group (ending at its latest period), or with ``every_period`` one per row of
    the data, in its order (ending at that row). Missing places take row 0, never computable.
    """
    sizes = np.bincount(codes, minlength=n_groups)
    ends = np.cumsum(sizes)  # one past each group's last row in ``order``
    if every_period:  # windows in the rows' own order, each ending at its row
        position = np.empty(len(order), dtype=np.intp)
        position[order] = np.arange(len(order))  # each row's place in group-then-time order
        available = position - (ends - sizes)[codes] + 1
        ends = position + 1
    else:
        available = sizes
    take = ends[:, None] + np.arange(-POINTS, 0)[None, :]
    take = np.where((available >= POINTS)[:, None], take, 0)
    if not len(order):
        return np.zeros((len(ends), POINTS), np.intp), available, np.zeros(len(ends), np.intp)
    return order[take], available, order[np.maximum(ends - 1, 0)]


def _fit_sums(terms: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Each window's sum of ``terms`` (windows x POINTS) over the points of each fit in
    ``masks``: (windows, fits). einsum's own loop rather than a matrix product: BLAS would split
    so thin a product across threads that wait for each other, several times the CPU."""
    return np.einsum("wp,fp->wf", terms, masks)


def _weighted_test(
    values: np.ndarray, lower: np.ndarray, upper: np.ndarray, t: np.ndarray, masks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared of the full weighted fit and the slopes of all six fits, (groups, 6)."""
    weights = 1 / ((upper - lower) / SE_DIVISOR) ** 2
    s1 = _fit_sums(weights, masks)
    s2 = _fit_sums(weights * values * t, masks)
    s3 = _fit_sums(weights * t, masks)
    s4 = _fit_sums(weights * values, masks)
    s5 = _fit_sums(weights * t**2, masks)
    determinant = s1 * s5 - s3**2
    slopes = (s1 * s2 - s3 * s4) / determinant
    variance = s1[:, 0] / determinant[:, 0]
    return slopes[:, 0] ** 2 / variance, slopes


def _proportion_test(
    counts: np.ndarray, denominators: np.ndarray, t: np.ndarray, masks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared test for trend in proportions and the logit slopes of all six fits."""
    n_total = denominators.sum(axis=1)
    r_total = counts.sum(axis=1)
    rt = (counts * t).sum(axis=1)
    nt = (denominators * t).sum(axis=1)
    nt2 = (denominators * t**2).sum(axis=1)
    chi2 = (
        n_total
        * (n_total * rt - r_total * nt) ** 2
        / (r_total * (n_total - r_total) * (n_total * nt2 - nt**2))
    )
    logit = np.log(counts / (denominators - counts))
    k = masks.sum(axis=1)
    sum_y = _fit_sums(logit, masks)
    sum_ty = _fit_sums(logit * t, masks)
    sum_t = masks @ t
    sum_t2 = masks @ t**2
    slopes = (k * sum_ty - sum_y * sum_t) / (k * sum_t2 - sum_t**2)
    return chi2, slopes


def _polarity_column(data: pd.DataFrame, polarity: str | None) -> str | None:
    if polarity is None:
        return None
    if not isinstance(polarity, str):
        raise MethodArgumentError(f"polarity: must be a polarity name or column, got {polarity!r}")
    if polarity in data.columns:
        bad = {
            p
            for p in data[polarity].dropna().unique()
            if not isinstance(p, str) or p.strip().lower() not in _POLARITY_LABELS
        }
        if bad:
            raise MethodArgumentError(
                f"polarity: column {polarity!r} has unknown polarities {sorted(map(str, bad))}"
            )
        return polarity
    if polarity.strip().lower() not in _POLARITY_LABELS:
        raise MethodArgumentError(
            f"polarity: {polarity!r} is neither a column nor one of 'RAG - Low is good', "
            "'RAG - High is good', 'BOB - Blue orange blue', 'Not applicable'"
        )
    return None


def _labels(
    data: pd.DataFrame, polarity: str | None, column: str | None, latest_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Increasing and decreasing labels for each group."""
    n_groups = len(latest_rows)
    if polarity is None:
        return np.full(n_groups, "Increasing"), np.full(n_groups, "Decreasing")
    if column is None:
        up, down = _POLARITY_LABELS[polarity.strip().lower()]
        return np.full(n_groups, up), np.full(n_groups, down)
    names = data[column].to_numpy()[latest_rows] if len(data) else np.array([])
    # Worked on the distinct names (a few polarities among up to a million groups); code -1
    # (a missing name) picks the plain labels appended last.
    codes, distinct = pd.factorize(names, use_na_sentinel=True)
    pairs = [_polarity_pair(name) for name in distinct]
    pairs.append(("Increasing", "Decreasing"))
    up = np.array([p[0] for p in pairs], dtype=object)[codes]
    down = np.array([p[1] for p in pairs], dtype=object)[codes]
    return up, down


def _polarity_pair(name) -> tuple[str, str]:
    if not isinstance(name, str):
        return ("Increasing", "Decreasing")
    return _POLARITY_LABELS.get(name.strip().lower(), ("Increasing", "Decreasing"))
