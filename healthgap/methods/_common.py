"""Argument checking and output shaping shared by every method.

Every public method follows the PHEindicatormethods conventions so that one output shape holds
everywhere:

* input is a pandas DataFrame plus the *names* of its columns (``x="deaths"``); ``by=`` names
  grouping columns (a string or a list), and the result has one row per group;
* ``confidence`` is one level (``0.95``) or several (``(0.95, 0.998)``); 95 and 99.8 are accepted
  as percentages;
* one level gives ``lowercl``/``uppercl``; several give ``lower95_0cl``/``upper95_0cl``,
  ``lower99_8cl``/``upper99_8cl`` ... as the R package names them;
* ``confidence`` (``"95%"`` or ``"95%, 99.8%"``), ``statistic`` and ``method`` columns describe
  the figure; where a value cannot be given (too few events, say) it is NaN and ``statistic``
  says why, rather than raising.

Arguments are validated before any arithmetic and every message names the argument.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


class MethodArgumentError(ValueError):
    """An argument given to a healthgap.methods function is not usable."""


def confidence_levels(confidence: float | Iterable[float]) -> tuple[float, ...]:
    """Return the confidence levels as proportions (0.95), checking each is in [0.9, 1)."""
    raw = [confidence] if np.isscalar(confidence) else list(confidence)  # type: ignore[arg-type]
    if not raw:
        raise MethodArgumentError("confidence: give at least one level, e.g. 0.95")
    levels = []
    for level in raw:
        if isinstance(level, bool) or not isinstance(level, int | float | np.number):
            raise MethodArgumentError(f"confidence: {level!r} is not a number")
        level = float(level) / 100 if level >= 90 else float(level)
        if not 0.9 <= level < 1:
            raise MethodArgumentError(
                f"confidence: {level!r} must be between 0.9 and 1 (or 90 and 100)"
            )
        levels.append(level)
    return tuple(levels)


def confidence_label(levels: Sequence[float]) -> str:
    """'95%' or '95%, 99.8%' as the R package writes it."""
    return ", ".join(f"{level * 100:g}%" for level in levels)


def limit_column_names(levels: Sequence[float]) -> list[tuple[str, str]]:
    """(lower, upper) column names for each level: plain for one level, suffixed for several."""
    if len(levels) == 1:
        return [("lowercl", "uppercl")]
    names = []
    for level in levels:
        suffix = f"{level * 100:.1f}".replace(".", "_")
        names.append((f"lower{suffix}cl", f"upper{suffix}cl"))
    return names


def grouping_columns(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def require_frame(data: object, argument: str = "data") -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise MethodArgumentError(
            f"{argument}: expected a pandas DataFrame, got {type(data).__name__}"
        )
    return data


def require_columns(data: pd.DataFrame, **columns: str | Sequence[str] | None) -> None:
    """Check each named argument's column(s) exist in ``data``; the message names the argument."""
    for argument, names in columns.items():
        for name in grouping_columns(names):
            if name not in data.columns:
                raise MethodArgumentError(
                    f"{argument}: column {name!r} is not in data (columns: {list(data.columns)})"
                )


def numeric_column(
    data: pd.DataFrame, column: str, argument: str, *, allow_negative: bool = False
) -> np.ndarray:
    """The column as float64; non-numeric text or negative values raise naming the argument."""
    series = data[column]
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        converted = pd.to_numeric(series, errors="coerce")
        bad = converted.isna() & series.notna()
        if bad.any():
            first = series[bad].iloc[0]
            raise MethodArgumentError(
                f"{argument}: column {column!r} has non-numeric value {first!r}"
            )
        series = converted
    elif not (pd.api.types.is_numeric_dtype(series) or series.isna().all()):
        raise MethodArgumentError(f"{argument}: column {column!r} must be numeric")
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    if not allow_negative and not all_at_least(values, 0) and (values < 0).any():
        raise MethodArgumentError(f"{argument}: column {column!r} has negative values")
    return values


def all_at_least(values: np.ndarray, bound: float) -> bool:
    """True when every value is a number at or above ``bound`` (False for any NaN): one
    reduction, with no array of booleans as large as the column (millions of rows)."""
    return len(values) == 0 or bool(values.min() >= bound)


def add_limits(
    frame: pd.DataFrame,
    levels: Sequence[float],
    lower: Sequence[np.ndarray],
    upper: Sequence[np.ndarray],
) -> pd.DataFrame:
    """Attach lower/upper limit columns for each level, in the R package's order."""
    for (lower_name, upper_name), low, high in zip(limit_column_names(levels), lower, upper):
        frame[lower_name] = low
        frame[upper_name] = high
    return frame


def describe(
    frame: pd.DataFrame,
    levels: Sequence[float],
    statistic: str | np.ndarray,
    method: str | np.ndarray,
) -> pd.DataFrame:
    """Add the closing confidence, statistic and method columns."""
    frame["confidence"] = confidence_label(levels)
    frame["statistic"] = statistic
    frame["method"] = method
    return frame


# ------------------------------------------------------------------------------------------------
# Additions shared by the proportion, rate, DSR, ISR, mean, quantile and funnel methods.
# ------------------------------------------------------------------------------------------------

OUTPUT_TYPES = ("value", "lower", "upper", "standard", "full")

#: Group keys are factorised by runs of equal keys when runs average at least this many rows.
RUN_LENGTH_WORTHWHILE = 4


def check_choice(value: object, argument: str, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise naming the argument."""
    if not isinstance(value, str) or value not in allowed:
        raise MethodArgumentError(f"{argument}: must be one of {', '.join(allowed)}; got {value!r}")
    return value


def check_positive_number(value: object, argument: str) -> float:
    """A finite number greater than zero (multipliers, reference values, years of data)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise MethodArgumentError(f"{argument}: must be a number, got {value!r}")
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise MethodArgumentError(f"{argument}: must be greater than zero, got {value!r}")
    return number


def format_number(value: float) -> str:
    """A multiplier as R's ``format(x, scientific = FALSE)`` writes it: 100000, 1000, 0.5."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return np.format_float_positional(number, trim="-")


def z_value(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level (0.95 -> 1.959964)."""
    from scipy.stats import norm

    return float(norm.ppf(level + (1 - level) / 2))


def byars_lower(x: np.ndarray, level: float) -> np.ndarray:
    """Byar's approximation to the lower Poisson limit of a count (Breslow & Day 1987).

    Negative results (very small counts at high confidence) are NaN, as the R package gives NA.
    """
    x = np.asarray(x, dtype="float64")
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    return np.where(result < 0, np.nan, result)


def byars_upper(x: np.ndarray, level: float) -> np.ndarray:
    """Byar's approximation to the upper Poisson limit of a count (Breslow & Day 1987)."""
    x1 = np.asarray(x, dtype="float64") + 1
    z = z_value(level)
    return x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3


def exact_poisson_lower(x: np.ndarray, level: float) -> np.ndarray:
    """Exact lower Poisson limit of a count from the chi-squared distribution; 0 for no events.

    Armitage & Berry (2002): L = chi2(alpha/2; 2x) / 2.
    """
    from scipy.stats import chi2

    x = np.asarray(x, dtype="float64")
    with np.errstate(invalid="ignore"):
        result = chi2.ppf((1 - level) / 2, 2 * x) / 2
    return np.where(x == 0, 0.0, result)


def exact_poisson_upper(x: np.ndarray, level: float) -> np.ndarray:
    """Exact upper Poisson limit of a count: U = chi2(1 - alpha/2; 2x + 2) / 2."""
    from scipy.stats import chi2

    x = np.asarray(x, dtype="float64")
    return chi2.ppf(level + (1 - level) / 2, 2 * x + 2) / 2


def poisson_count_limits(x: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits for counts as PHE uses them: exact below 10 events, Byar's from 10 upwards.

    The exact limits are computed once per distinct small count (there are few: 0, 1, ... 9),
    as the chi-squared quantiles are slow over millions of rows.
    """
    x = np.asarray(x, dtype="float64")
    with np.errstate(invalid="ignore"):
        lower, upper = byars_lower(x, level), byars_upper(x, level)
    small = x < 10
    if small.any():
        counts, where = np.unique(x[small], return_inverse=True)
        lower[small] = exact_poisson_lower(counts, level)[where]
        upper[small] = exact_poisson_upper(counts, level)[where]
    return lower, upper


def poisson_method(x: np.ndarray) -> np.ndarray:
    """'Exact' below 10 events, 'Byars' from 10, None where the count is missing."""
    x = np.asarray(x, dtype="float64")
    method = np.where(x < 10, "Exact", "Byars").astype(object)
    method[np.isnan(x)] = None
    return method


def wilson_lower(x: np.ndarray, n: np.ndarray, level: float) -> np.ndarray:
    """Wilson score lower limit of a proportion x / n (Wilson 1927; Newcombe & Altman 2000)."""
    x = np.asarray(x, dtype="float64")
    n = np.asarray(n, dtype="float64")
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (2 * x + z**2 - z * np.sqrt(z**2 + 4 * x * (1 - x / n))) / 2 / (n + z**2)


def wilson_upper(x: np.ndarray, n: np.ndarray, level: float) -> np.ndarray:
    """Wilson score upper limit of a proportion x / n (Wilson 1927; Newcombe & Altman 2000)."""
    x = np.asarray(x, dtype="float64")
    n = np.asarray(n, dtype="float64")
    z = z_value(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (2 * x + z**2 + z * np.sqrt(z**2 + 4 * x * (1 - x / n))) / 2 / (n + z**2)


def _key_codes(series: pd.Series, rows: np.ndarray | None) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (0..k-1, missing values included as a key) and the sorted unique keys.

    Codes are given for the ``rows`` positions only (every row when None).
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        codes = codes if rows is None else codes[rows]
        categories = series.cat.categories
        if (codes < 0).any():
            codes = np.where(codes < 0, len(categories), codes)
            categories = categories.append(pd.Index([np.nan]))
        return codes, pd.Index(categories, name=series.name)
    values = series.to_numpy()
    values = values if rows is None else values[rows]
    codes, uniques = _factorized(values)
    return codes, pd.Index(uniques, name=series.name)


def _factorized(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` with missing values as a key. For Python objects
    (text) each distinct object is hashed once: rows of a key column repeat a few objects (an
    LSOA code's text over its years and sexes), and hashing their addresses is much faster than
    hashing the texts."""
    if values.dtype != object or len(values) == 0:
        return pd.factorize(values, sort=True, use_na_sentinel=False)
    object_codes, _ = pd.factorize(_addresses(values))
    first_of_object = np.empty(object_codes.max() + 1, dtype=np.intp)
    first_of_object[object_codes[::-1]] = np.arange(len(values) - 1, -1, -1)
    value_codes, uniques = pd.factorize(values[first_of_object], sort=True, use_na_sentinel=False)
    return value_codes[object_codes], uniques


def _key_runs(data: pd.DataFrame, by: Sequence[str]) -> np.ndarray | None:
    """First row of each run of rows with the same ``by`` keys, or None when runs are short.

    Rows usually come in runs of one group (an LSOA's 19 age bands, say): hashing only the
    first row of each run is several times faster than hashing every row, and comparing each
    row with the one before costs far less than hashing it. Missing values each start a run,
    which is harmless (the factorised keys still merge them).
    """
    n_rows = len(data)
    if n_rows < RUN_LENGTH_WORTHWHILE:
        return None
    changed = np.zeros(n_rows - 1, dtype=bool)
    for column in by:
        values = _comparable(data[column])
        try:
            changed |= np.asarray(values[1:] != values[:-1], dtype=bool)
        except (TypeError, ValueError):  # pd.NA compares as NA: let factorize see every row
            return None
        if np.count_nonzero(changed) * RUN_LENGTH_WORTHWHILE > n_rows:
            return None
    return np.concatenate(([0], np.flatnonzero(changed) + 1))


def _comparable(series: pd.Series) -> np.ndarray:
    """The column as values whose neighbours compare fast: a categorical's codes; for Python
    objects (text) the objects' addresses, since comparing the objects themselves calls Python
    for every row (most of dsr's time on a 12.5M-row frame with text keys). Equal addresses are
    one object, so one key; equal texts held in two objects only start a needless run, which
    the factorising of the runs' first rows merges again."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy()
    values = series.to_numpy()
    if values.dtype != object or len(values) == 0:
        return values
    return _addresses(values)


def _addresses(values: np.ndarray) -> np.ndarray:
    """The addresses of the objects of an object array, as unsigned integers (no copy of the
    objects, no Python call per element)."""
    values = np.ascontiguousarray(values)
    addresses = (ctypes.c_void_p * len(values)).from_address(values.ctypes.data)
    addresses.owner = values  # the objects' array lives as long as the view of their addresses
    return np.frombuffer(addresses, dtype=np.uintp)


def group_codes(data: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group each row by the ``by`` columns without a Python loop over rows or groups.

    Returns one integer code per row (0..g-1, groups in sorted key order, as dplyr's group_by
    orders them) and a frame of the g group keys. Each key column is factorized once (categorical
    columns reuse their codes), only at the first row of each run of equal keys when rows come
    in such runs; the codes are combined arithmetically in place and compacted with a bincount
    presence mask, so ten million rows group in a fraction of a second.
    """
    n_rows = len(data)
    if not by:
        return np.zeros(n_rows, dtype=np.intp), pd.DataFrame(index=range(1))
    heads = _key_runs(data, by)
    parts = [_key_codes(data[column], heads) for column in by]
    sizes = [max(len(uniques), 1) for _, uniques in parts]
    combined = parts[0][0].astype(np.int64)
    for (codes, _), size in zip(parts[1:], sizes[1:]):
        combined *= size
        combined += codes
    span = int(np.prod(np.asarray(sizes, dtype=np.float64)))
    if span <= max(4 * len(combined), 1 << 20):
        present = np.bincount(combined, minlength=span) > 0
        keep = np.flatnonzero(present)
        codes = combined if len(keep) == span else (np.cumsum(present) - 1)[combined]
    else:
        keep, codes = np.unique(combined, return_inverse=True)
    if heads is not None:
        codes = np.repeat(codes, np.diff(np.append(heads, n_rows)))
    unravelled = np.unravel_index(keep, sizes) if len(by) > 1 else (keep,)
    keys = pd.DataFrame(
        {column: uniques.take(idx) for column, (_, uniques), idx in zip(by, parts, unravelled)}
    )
    for column in by:
        if isinstance(data[column].dtype, pd.CategoricalDtype) and not keys[column].isna().any():
            keys[column] = pd.Categorical(keys[column], categories=data[column].cat.categories)
    return codes.astype(np.intp, copy=False), keys


def contiguous_group_starts(codes: np.ndarray, n_groups: int) -> np.ndarray | None:
    """First row of each group when each group's rows are one contiguous run, else None.

    The runs may come in any order (an LSOA's bands by year, then sex, grouped by LSOA, sex and
    year). Pass the result to :func:`group_sum` as ``starts``: summing contiguous runs with
    ``np.add.reduceat`` is several times faster than a weighted ``np.bincount``.
    """
    if len(codes) == 0:
        return None
    starts = np.concatenate(([0], np.flatnonzero(codes[1:] != codes[:-1]) + 1))
    return starts if len(starts) == n_groups else None


def group_sum(
    codes: np.ndarray, values: np.ndarray, n_groups: int, starts: np.ndarray | None = None
) -> np.ndarray:
    """Sum per group, missing values counting as zero (R's ``sum(x, na.rm = TRUE)``)."""

    def total_of(array: np.ndarray) -> np.ndarray:
        if starts is not None:
            total = np.empty(n_groups)
            total[codes[starts]] = np.add.reduceat(np.asarray(array, dtype="float64"), starts)
            return total
        return np.bincount(codes, weights=array, minlength=n_groups)

    total = total_of(values)
    if np.isnan(total).any():  # only then pay for a cleaned copy
        total = total_of(np.nan_to_num(values, nan=0.0))
    return total


def group_sum_strict(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum per group that is NaN when any member is missing (R's plain ``sum(x)``)."""
    return np.bincount(codes, weights=values, minlength=n_groups)


def position_in_group(codes: np.ndarray, n_groups: int) -> np.ndarray:
    """0-based position of each row within its group, in the order rows appear."""
    n_rows = len(codes)
    if n_rows == 0:
        return np.zeros(0, dtype=np.intp)
    change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if len(change) + 1 == n_groups:  # each group is one contiguous run: no sort needed
        starts = np.concatenate(([0], change))
        lengths = np.diff(np.concatenate((starts, [n_rows])))
        return np.arange(n_rows) - np.repeat(starts, lengths)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=n_groups)
    starts = np.cumsum(counts) - counts
    position = np.empty(n_rows, dtype=np.intp)
    position[order] = np.arange(n_rows) - starts[codes[order]]
    return position


def numeric_vector(values: object, argument: str, *, allow_negative: bool = False) -> np.ndarray:
    """A list/array/Series argument (a standard or reference population) as float64."""
    try:
        array = np.asarray(values, dtype="float64")
    except (TypeError, ValueError) as error:
        raise MethodArgumentError(f"{argument}: must be a sequence of numbers") from error
    if array.ndim != 1 or array.size == 0:
        raise MethodArgumentError(f"{argument}: must be a non-empty one-dimensional sequence")
    if not allow_negative and (array < 0).any():
        raise MethodArgumentError(f"{argument}: has negative values")
    return array


def shape_output(
    frame: pd.DataFrame,
    type: str,
    levels: Sequence[float],
    *,
    base: Sequence[str],
    summary: Sequence[str] = (),
) -> pd.DataFrame:
    """Keep the columns the R package keeps for each ``type``.

    ``base`` columns (group keys, or the input columns of row-wise methods) are always kept;
    ``summary`` columns (totals such as total_count) only for "standard" and "full".
    """
    check_choice(type, "type", OUTPUT_TYPES)
    names = limit_column_names(levels)
    lowers = [low for low, _ in names]
    uppers = [high for _, high in names]
    limits = [name for pair in names for name in pair]
    if type == "value":
        columns = [*base, "value"]
    elif type == "lower":
        columns = [*base, *lowers]
    elif type == "upper":
        columns = [*base, *uppers]
    else:
        columns = [*base, *summary, "value", *limits]
        if type == "full":
            columns += ["confidence", "statistic", "method"]
    return frame.loc[:, [column for column in columns if column in frame.columns]]


def rows_or_group_totals(
    data: pd.DataFrame, columns: dict[str, np.ndarray], by: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """The frame row-wise methods (proportion, rate) work on, and the columns always kept.

    Without ``by`` every input row is kept with all its columns (as the R package appends to an
    ungrouped data frame). With ``by`` the named numeric columns are summed per group; a group
    with any missing value sums to NaN, as R's ``sum`` does.
    """
    if not by:
        frame = data.copy()
        for name, values in columns.items():
            frame[name] = values
        return frame, list(frame.columns)
    codes, keys = group_codes(data, by)
    frame = keys
    for name, values in columns.items():
        frame[name] = group_sum_strict(codes, values, len(keys))
    return frame, [*by, *columns]
