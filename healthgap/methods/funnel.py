"""Funnel plot control limits and significance (R ``calculate_funnel_limits``,
``assign_funnel_significance``, ``calculate_funnel_points``).

Control limits are the 95% (2 sigma, 0.025 each side) and 99.8% (3 sigma, 0.001 each side)
limits around the overall average, as in the OHID Public Health Technical Guidance on funnel
plots (Spiegelhalter DJ (2005) "Funnel plots for comparing institutional performance", Stat Med
24:1185-1202). Proportion limits are Wilson score limits solved for the average (Wilson 1927);
ratio and rate limits are exact Poisson limits found by the same bisection the Fingertips Excel
tool and the R package use, so the figures agree with both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm, poisson

from healthgap.methods import _overdispersion as od
from healthgap.methods._common import (
    MethodArgumentError,
    check_choice,
    check_positive_number,
    numeric_column,
    require_columns,
    require_frame,
)

SIGNIFICANCE_LEVELS = [
    "High (0.001)",
    "High (0.025)",
    "Low (0.001)",
    "Low (0.025)",
    "Not significant",
]
DSR_TOO_FEW = "Not applicable for events less than 10 for dsrs"
STATISTICS = ("proportion", "ratio", "rate")
N_POINTS = 100


# (side, limit name, tail probability, which end the bisection solves for) of the 2- and
# 3-sigma Poisson funnel limits, shared by ratio and rate funnels.
POISSON_LIMITS = (
    ("lower", "2s", 0.025, "high"),
    ("upper", "2s", 0.025, "low"),
    ("lower", "3s", 0.001, "high"),
    ("upper", "3s", 0.001, "low"),
)


def funnel_limits(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    multiplier: float,
    rate: str | None = None,
    ratio_type: str | None = None,
    rate_type: str | None = None,
    years_of_data: float | None = None,
    overdispersion: bool = False,
    winsorise: float = od.DEFAULT_WINSORISE,
    type: str = "full",
) -> pd.DataFrame:
    """100 points of the 95% and 99.8% funnel control limits for plotting.

    statistic="proportion": numerator/denominator; x column ``Population``; limits as
    ``multiplier`` x proportion (0..multiplier) and ``baseline`` = overall proportion.
    statistic="ratio" (``ratio_type`` "count" or "isr"): numerator observed, denominator
    expected; x column ``Observed_events``; ``*_exp_events`` are the expected counts at which
    the observed count sits on each limit; limits as ratio - 1 ("count") or ratio x 100 ("isr").
    statistic="rate" (``rate_type`` "crude" or "dsr"): numerator events and ``rate`` per
    ``multiplier``; denominators are derived as multiplier x events / rate (a ``denominator``
    column is needed where events are 0); x column ``Events``; ``*_population_1_year`` is the
    yearly population on each limit given ``years_of_data``.

    The x axis runs from 0 (or just below the smallest denominator when denominators vary less
    than two-fold) to just above the largest, on a geometric-style scale, as in the R package.
    type="full" adds ``statistic`` (e.g. "rate (dsr per 100,000)") and ``method``
    ("Wilson" or "Poisson").

    ``overdispersion=True`` adds ``phi`` and ``tau2`` (Spiegelhalter's additive random-effects
    adjustment, z-scores winsorised at ``winsorise`` and 1 - ``winsorise``: see
    ``_overdispersion``) and, when tau2 > 0, widens the limits: proportions on the arcsine
    scale, ratios and rates on the log scale, each evaluated with the x point as the
    denominator (proportions), the expected count (ratios: ``*_exp_events`` are then the x
    points) or the expected events (rates: the population is x / the average rate). With
    tau2 = 0 (phi no more than (n - 1) / n) the limits are the unadjusted ones.
    """
    data = require_frame(data)
    check_choice(statistic, "statistic", STATISTICS)
    check_choice(type, "type", ("full", "standard"))
    if overdispersion:
        winsorise = od.check_winsorise(winsorise)
    multiplier = check_positive_number(multiplier, "multiplier")
    events, derived = _derived_denominators(
        data, numerator, denominator, rate, statistic, rate_type, multiplier, for_limits=True
    )
    if statistic == "ratio":
        check_choice(ratio_type, "ratio_type", ("count", "isr"))
    if statistic == "rate":
        years_of_data = check_positive_number(years_of_data, "years_of_data")
    if not np.isfinite(derived).any():
        raise MethodArgumentError(f"{numerator}: no usable records to draw funnel limits from")

    average = events.sum() / np.nansum(derived)
    low_denominator = np.nanmin(derived)
    high_denominator = np.nanmax(derived)
    years = years_of_data if statistic == "rate" else 1.0
    if high_denominator > 2 * low_denominator:
        axis_min = 0.0
    else:
        axis_min = _floor_to_significance(low_denominator / years) * years
    axis_max = _ceiling_to_significance(high_denominator / years) * years
    if statistic == "rate":
        axis_min = np.floor(axis_min * average)
        axis_max = np.ceil(axis_max * average)
    points = _axis_points(axis_min, axis_max, shift=1 if statistic == "ratio" else 0)

    if statistic == "proportion":
        out = pd.DataFrame({"Population": points})
        for name, p in (("2s", 0.975), ("3s", 0.999)):
            low = _proportion_limit(p, points, average, "low", multiplier)
            high = _proportion_limit(p, points, average, "high", multiplier)
            out[f"lower_{name}_limit"] = np.maximum(0, low)
            out[f"upper_{name}_limit"] = np.minimum(multiplier, high)
        out = out[
            ["Population", "lower_2s_limit", "upper_2s_limit", "lower_3s_limit", "upper_3s_limit"]
        ]
        out["baseline"] = average * multiplier
        label, method = "proportion", "Wilson"
    elif statistic == "ratio":
        out = pd.DataFrame({"Observed_events": points})
        for side, name, p, solve in POISSON_LIMITS:
            expected = _poisson_funnel(points, p, solve)
            out[f"{side}_{name}_exp_events"] = expected
            ratio = points / expected
            out[f"{side}_{name}_limit"] = ratio - 1 if ratio_type == "count" else ratio * 100
        label, method = f"ratio ({ratio_type})", "Poisson"
    else:
        out = pd.DataFrame({"Events": points})
        for side, name, p, solve in POISSON_LIMITS:
            population = _poisson_funnel(points, p, solve) / average
            out[f"{side}_{name}_population_1_year"] = population / years_of_data
            out[f"{side}_{name}_limit"] = points / population * multiplier
        out["baseline"] = average * multiplier
        label = f"rate ({rate_type} per {_thousands(multiplier)})"
        method = "Poisson"
    if overdispersion:
        _, dispersion = _dispersion(statistic, rate_type, events, derived, winsorise)
        if dispersion.tau2 > 0:
            method = _widen_limits(
                out, statistic, average, dispersion.tau2, multiplier, ratio_type, years
            )
        out["phi"] = dispersion.phi
        out["tau2"] = dispersion.tau2
    if type == "full":
        out["statistic"] = label
        out["method"] = method
    return out


def funnel_significance(
    data: pd.DataFrame,
    numerator: str,
    denominator: str | None = None,
    *,
    statistic: str,
    rate: str | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
    overdispersion: bool = False,
    winsorise: float = od.DEFAULT_WINSORISE,
) -> pd.DataFrame:
    """Whether each record lies outside the 95% / 99.8% funnel limits of the overall average.

    Adds a categorical ``significance`` column: "High (0.001)", "High (0.025)", "Low (0.001)",
    "Low (0.025)" or "Not significant" (and, for DSRs with fewer than 10 events, "Not applicable
    for events less than 10 for dsrs"). Proportions use Wilson limits at each record's
    denominator; ratios compare 1 with the Byar's / exact Poisson limits of observed / expected
    (Breslow & Day 1987); rates compare the overall rate with those limits of events / derived
    denominator. Matches R PHEindicatormethods ``assign_funnel_significance`` (v2).

    ``overdispersion=True`` adds the figures that make a record an outlier: ``z_score`` (on
    the arcsine or log scale, see ``_overdispersion``), ``z_adjusted`` (divided by
    sqrt(s^2 + tau2) instead of s), ``phi`` and ``tau2``; when tau2 > 0 the significance comes
    from ``z_adjusted`` against +/-1.96 and +/-3.09 (the overdispersed limits).
    """
    data = require_frame(data)
    check_choice(statistic, "statistic", STATISTICS)
    if overdispersion:
        winsorise = od.check_winsorise(winsorise)
    if statistic == "rate":
        multiplier = check_positive_number(multiplier, "multiplier")
    events, derived = _derived_denominators(
        data, numerator, denominator, rate, statistic, rate_type, multiplier, for_limits=False
    )
    levels = list(SIGNIFICANCE_LEVELS)
    if statistic == "proportion":
        average = events.sum() / derived.sum()
        share = events / derived
        conditions = [
            share < _proportion_limit(0.999, derived, average, "low", 1),
            share < _proportion_limit(0.975, derived, average, "low", 1),
            share > _proportion_limit(0.999, derived, average, "high", 1),
            share > _proportion_limit(0.975, derived, average, "high", 1),
        ]
        choices = ["Low (0.001)", "Low (0.025)", "High (0.001)", "High (0.025)"]
    else:
        target = 1.0 if statistic == "ratio" else events.sum() / np.nansum(derived)
        conditions = [
            target < _ratio_bound(events, derived, 0.998, "low"),
            target < _ratio_bound(events, derived, 0.95, "low"),
            target > _ratio_bound(events, derived, 0.998, "high"),
            target > _ratio_bound(events, derived, 0.95, "high"),
        ]
        choices = ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"]
    result = np.select(conditions, choices, default="Not significant").astype(object)
    out = data.copy()
    if overdispersion:
        scores, dispersion = _dispersion(statistic, rate_type, events, derived, winsorise)
        z_adjusted = scores.z(dispersion.tau2)
        if dispersion.tau2 > 0:
            result = od.significance(z_adjusted)
        out["z_score"] = scores.z()
        out["z_adjusted"] = z_adjusted
        out["phi"] = dispersion.phi
        out["tau2"] = dispersion.tau2
    if statistic == "rate" and rate_type == "dsr":
        result[events < 10] = DSR_TOO_FEW
        levels.append(DSR_TOO_FEW)
    out.insert(len(data.columns), "significance", pd.Categorical(result, categories=levels))
    return out


def funnel_points(
    data: pd.DataFrame,
    numerator: str,
    rate: str,
    *,
    denominator: str | None = None,
    rate_type: str,
    years_of_data: float,
    multiplier: float,
    overdispersion: bool = False,
    winsorise: float = od.DEFAULT_WINSORISE,
) -> pd.DataFrame:
    """Rate funnels: the points to plot for each record.

    Adds ``<rate>_chart`` (the rate; NaN for DSRs from fewer than 10 events) and
    ``denominator_derived`` (multiplier x events / rate / years_of_data: the yearly population
    the funnel x axis uses; for 0 events the ``denominator`` column / years_of_data). Matches R
    PHEindicatormethods ``calculate_funnel_points`` (v2).

    ``overdispersion=True`` adds ``phi`` and ``tau2``, as :func:`funnel_limits` gives them.
    """
    data = require_frame(data)
    check_choice(rate_type, "rate_type", ("dsr", "crude"))
    if overdispersion:
        winsorise = od.check_winsorise(winsorise)
    years_of_data = check_positive_number(years_of_data, "years_of_data")
    multiplier = check_positive_number(multiplier, "multiplier")
    events, derived = _derived_denominators(
        data, numerator, denominator, rate, "rate", rate_type, multiplier, for_limits=False
    )
    rates = numeric_column(data, rate, "rate")
    out = data.copy()
    if rate_type == "dsr":
        small = events < 10
        out[f"{rate}_chart"] = np.where(small, np.nan, rates)
        out["denominator_derived"] = np.where(small, np.nan, derived / years_of_data)
    else:
        out[f"{rate}_chart"] = rates
        out["denominator_derived"] = derived / years_of_data
    if overdispersion:
        _, dispersion = _dispersion("rate", rate_type, events, derived, winsorise)
        out["phi"] = dispersion.phi
        out["tau2"] = dispersion.tau2
    return out


# -- helpers ---------------------------------------------------------------------------------


def _derived_denominators(
    data, numerator, denominator, rate, statistic, rate_type, multiplier, *, for_limits
) -> tuple[np.ndarray, np.ndarray]:
    """Numerators and the denominators the funnel uses (derived from rates for rate funnels)."""
    require_columns(data, numerator=numerator, denominator=denominator)
    events = numeric_column(data, numerator, "numerator")
    if statistic == "rate":
        check_choice(rate_type, "rate_type", ("dsr", "crude"))
        if rate is None:
            raise MethodArgumentError("rate: give the column holding the rates")
        require_columns(data, rate=rate)
        rates = numeric_column(data, rate, "rate")
        pops = None if denominator is None else numeric_column(data, denominator, "denominator")
        if np.isnan(events).any():
            raise MethodArgumentError(
                "numerator: for rates, numerators must be given for every record, even when zero"
            )
        zero = events == 0
        if zero.any():
            if pops is None:
                raise MethodArgumentError(
                    "denominator: for rates with 0 events in a record, give the denominator column"
                )
            if (zero & ~(pops > 0)).any():
                raise MethodArgumentError(
                    "denominator: records with 0 events need a denominator greater than zero"
                )
        if np.isnan(rates[~zero]).any():
            raise MethodArgumentError("rate: rates must be given for every record with events")
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = multiplier * events / rates
        if rate_type == "dsr":
            derived = np.where(zero, np.nan, derived)
        else:
            derived = np.where(zero, pops if pops is not None else np.nan, derived)
        return events, derived
    if denominator is None:
        raise MethodArgumentError(f"denominator: required for statistic={statistic!r}")
    pops = numeric_column(data, denominator, "denominator", allow_negative=True)
    if statistic == "proportion" and (np.isnan(events).any() or np.isnan(pops).any()):
        raise MethodArgumentError(
            "numerator: for proportions, numerators and denominators must be given for every "
            "record, even when zero"
        )
    if not for_limits and (pops <= 0).any():
        raise MethodArgumentError("denominator: denominators must be greater than zero")
    if statistic == "proportion" and (events > pops).any():
        raise MethodArgumentError(
            "numerator: numerators must be less than or equal to the denominator for a proportion"
        )
    return events, pops


def _dispersion(statistic, rate_type, events, derived, winsorise):
    """Each record's overdispersion scores and the phi and tau2 they give; DSRs from fewer
    than 10 events take no part (they are not plotted)."""
    average = events.sum() / np.nansum(derived)
    if statistic == "rate" and rate_type == "dsr":
        derived = np.where(events < 10, np.nan, derived)
    scores = od.transformed_scores(statistic, events, derived, average)
    return scores, od.estimate_dispersion(scores, winsorise)


def _widen_limits(out, statistic, average, tau2, multiplier, ratio_type, years) -> str:
    """Replace the limit columns of ``out`` by the overdispersed ones; return the method."""
    x = out.iloc[:, 0].to_numpy(dtype="float64")
    for side in ("lower", "upper"):
        for name in ("2s", "3s"):
            if statistic == "proportion":
                limit = od.proportion_limit(x, average, tau2, name, side) * multiplier
            else:
                ratio = od.ratio_limit(x, tau2, name, side)
                if statistic == "ratio":
                    out[f"{side}_{name}_exp_events"] = x
                    limit = ratio - 1 if ratio_type == "count" else ratio * 100
                else:
                    out[f"{side}_{name}_population_1_year"] = x / average / years
                    limit = average * ratio * multiplier
            out[f"{side}_{name}_limit"] = limit
    scale = "arcsine" if statistic == "proportion" else "log"
    return f"Overdispersed ({scale} scale, Spiegelhalter 2005)"


def _proportion_limit(p, population, average, side, multiplier):
    """Proportion at which a Wilson limit at probability ``p`` for ``population`` meets the
    average (the closed form behind the Fingertips funnel-plot tool)."""
    z2 = norm.ppf(p) ** 2
    population = np.asarray(population, dtype="float64")
    a = average * (population / z2 + 1)
    b = 1 / z2 + 1 / population
    c = average * (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1))
    root = np.sqrt(a * a - b * c)
    solved = (a - root) / b if side == "low" else (a + root) / b
    return solved / population * multiplier


def _poisson_funnel(observed: np.ndarray, p: float, side: str) -> np.ndarray:
    """Poisson mean at which ``observed`` is the ``p`` tail, by the published bisection.

    side="low": mean with P(X >= observed) = p; side="high": mean with P(X <= observed) = p.
    The bisection on v = mean / (observed + 1 + mean) halves its step from 0.5 until it is
    below 1e-7, exactly as the Fingertips tool does (so results match it to its precision).
    """
    observed = np.asarray(observed, dtype="float64")
    v = np.full(observed.shape, 0.5)
    step = 0.5
    while step > 1e-7:
        step /= 2
        mean = (1 + observed) * v / (1 - v)
        if side == "low":
            move_down = poisson.sf(observed - 1, mean) > p
        else:
            move_down = poisson.cdf(observed, mean) < p
        v = np.where(move_down, v - step, v + step)
    return (1 + observed) * v / (1 - v)


def _ratio_bound(observed, expected, p, side):
    """Byar's (10+ events) or exact Poisson limit of observed / expected at confidence p."""
    observed = np.asarray(observed, dtype="float64")
    tail = 0.5 + p / 2
    z = norm.ppf(tail)
    with np.errstate(divide="ignore", invalid="ignore"):
        if side == "low":
            exact = np.where(observed == 0, 0.0, chi2.isf(tail, 2 * observed) / 2)
            byars = observed * (1 - 1 / (9 * observed) - z / 3 / np.sqrt(observed)) ** 3
        else:
            exact = chi2.ppf(tail, 2 * observed + 2) / 2
            o1 = observed + 1
            byars = o1 * (1 - 1 / (9 * o1) + z / 3 / np.sqrt(o1)) ** 3
        return np.where(observed < 10, exact, byars) / expected


def _r_nchar(number: float) -> int:
    """Characters R uses to print a whole number (R prefers 1e+05 to 100000 when shorter)."""
    digits = str(int(number))
    if number == 0:
        return 1
    significant = digits.rstrip("0")
    exponent = len(digits) - 1
    mantissa = len(significant) + (1 if len(significant) > 1 else 0)
    scientific = mantissa + 2 + max(2, len(str(exponent)))
    return scientific if len(digits) > scientific else len(digits)


def _floor_to_significance(x: float, down: float = 0.95) -> float:
    """Round x * 0.95 down to its leading digit, for a tidy axis minimum (as in R)."""
    if x == 0:
        return 0.0
    power = _r_nchar(np.floor(x * down)) - 1
    return float(np.floor(x * down / 10.0**power) * 10.0**power)


def _ceiling_to_significance(x: float, up: float = 1.05) -> float:
    """Round x * 1.05 up at its second digit, for a tidy axis maximum (as in R)."""
    if x == 0:
        return 0.0
    power = _r_nchar(np.ceil(x * up)) - 2
    return float(np.ceil(x * up / 10.0**power) * 10.0**power)


def _axis_points(axis_min: float, axis_max: float, *, shift: int) -> np.ndarray:
    """100 x values, closer together at the small end (each step a root of the rest)."""
    points = np.empty(N_POINTS)
    points[0] = max(1.0, axis_min)
    for j in range(2, N_POINTS + 1):  # 99 steps of a recurrence, not a loop over records
        previous = points[j - 2]
        remaining = N_POINTS + 1 - (j - shift)
        step = np.round((axis_max / previous) ** (1 / remaining) * previous)
        points[j - 1] = max(step, previous + 1)
    return points


def _thousands(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


__all__ = ["SIGNIFICANCE_LEVELS", "funnel_limits", "funnel_points", "funnel_significance"]
