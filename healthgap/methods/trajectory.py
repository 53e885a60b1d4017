"""Trajectories from a baseline to a target, and the deaths to avert along them.

A board that sets "premature mortality down to 300 per 100,000 by 2030" needs the value
expected each year on the way (to judge progress) and the deaths a year that each step means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    check_choice,
    check_positive_number,
    require_columns,
    require_frame,
)

__all__ = ["TRAJECTORY_KINDS", "trajectory", "trajectory_deaths_to_avert"]

#: "linear": equal steps each year; "percentage": the same percentage change each year.
TRAJECTORY_KINDS = ("linear", "percentage")


def trajectory(
    baseline_value: float,
    baseline_year: int,
    target_value: float,
    target_year: int,
    *,
    kind: str = "linear",
) -> pd.DataFrame:
    """The value expected in each year from the baseline year to the target year inclusive.

    ``kind="linear"``: baseline + (target - baseline) x (year - baseline_year) / span;
    ``kind="percentage"``: baseline x (target / baseline) ^ ((year - baseline_year) / span),
    a constant percentage change a year (both values must then be above zero). ``span`` is
    target_year - baseline_year. A baseline period of several years (2017-19) is placed at its
    last year or mid-year as the caller chooses: give that year as ``baseline_year``.

    Returns a DataFrame with ``year`` and ``expected``, one row per year. Raises
    MethodArgumentError naming the argument for a target year not after the baseline year,
    years that are not whole numbers, values that are not finite numbers, or a value of 0 or
    less with ``kind="percentage"``.
    """
    check_choice(kind, "kind", TRAJECTORY_KINDS)
    start = _whole_year(baseline_year, "baseline_year")
    end = _whole_year(target_year, "target_year")
    if end <= start:
        raise MethodArgumentError(f"target_year: {end} must be after baseline_year {start}")
    if kind == "percentage":
        baseline = check_positive_number(baseline_value, "baseline_value")
        target = check_positive_number(target_value, "target_value")
    else:
        baseline = _finite_number(baseline_value, "baseline_value")
        target = _finite_number(target_value, "target_value")
    years = np.arange(start, end + 1)
    progress = (years - start) / (end - start)
    if kind == "linear":
        expected = baseline + (target - baseline) * progress
    else:
        expected = baseline * (target / baseline) ** progress
    return pd.DataFrame({"year": years, "expected": expected})


def trajectory_deaths_to_avert(
    path: pd.DataFrame, deaths: float, rate: float, *, years_of_data: float = 1
) -> pd.DataFrame:
    """Deaths a year to avert to be on a trajectory in each of its years.

    ``path`` is a :func:`trajectory` (its ``expected`` values are rates); ``deaths`` are the
    observed deaths over ``years_of_data`` years and ``rate`` the observed rate on the same
    scale as the trajectory (a crude rate or a DSR). The area's rates are scaled together, as
    :func:`deaths_to_avert` does for a target DSR: deaths x (1 - expected / rate) / years.
    For a crude rate this is exactly deaths - expected x population / multiplier. Negative
    values mean the area is already below the trajectory that year.

    Returns ``path`` with a ``deaths_to_avert`` column added.
    """
    path = require_frame(path, "path")
    require_columns(path, path=["year", "expected"])
    count = _finite_number(deaths, "deaths")
    if count < 0:
        raise MethodArgumentError(f"deaths: must be 0 or more, got {deaths!r}")
    observed_rate = check_positive_number(rate, "rate")
    years = check_positive_number(years_of_data, "years_of_data")
    result = path.copy()
    result["deaths_to_avert"] = count * (1 - result["expected"] / observed_rate) / years
    return result


def _whole_year(value: object, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise MethodArgumentError(f"{argument}: must be a year such as 2030, got {value!r}")
    if not float(value).is_integer():
        raise MethodArgumentError(f"{argument}: must be a whole year, got {value!r}")
    return int(value)


def _finite_number(value: object, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise MethodArgumentError(f"{argument}: must be a number, got {value!r}")
    if not np.isfinite(float(value)):
        raise MethodArgumentError(f"{argument}: must be a finite number, got {value!r}")
    return float(value)
