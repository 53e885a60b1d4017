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
        raise MethodArgumentError(f"{argument}: expected a pandas DataFrame, got {type(data).__name__}")
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
            raise MethodArgumentError(f"{argument}: column {column!r} has non-numeric value {first!r}")
        series = converted
    elif not (pd.api.types.is_numeric_dtype(series) or series.isna().all()):
        raise MethodArgumentError(f"{argument}: column {column!r} must be numeric")
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    if not allow_negative and (values < 0).any():
        raise MethodArgumentError(f"{argument}: column {column!r} has negative values")
    return values


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
    frame: pd.DataFrame, levels: Sequence[float], statistic: str | np.ndarray, method: str | np.ndarray
) -> pd.DataFrame:
    """Add the closing confidence, statistic and method columns."""
    frame["confidence"] = confidence_label(levels)
    frame["statistic"] = statistic
    frame["method"] = method
    return frame
