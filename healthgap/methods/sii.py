"""Slope index of inequality (SII) and relative index of inequality (RII).

Method of Low A & Low A (2004) "Measuring the gap: quantifying and comparing local health
inequalities", Journal of Public Health 26:388-395, as PHE's Fingertips technical guide and the
R package PHEindicatormethods (``phe_sii``, v2.x) apply it:

* quantiles (deprivation deciles, say) are ordered from most to least deprived and each is given
  the relative rank b = the midpoint of its share a of the population on the cumulative
  population scale (b_1 = a_1 / 2, b_2 = a_1 + a_2 / 2, ...);
* to allow for unequal quantile sizes the regression ``y * sqrt(a) = alpha * sqrt(a) + beta *
  b * sqrt(a)`` is fitted by least squares (weighted least squares of y on b with weights a);
  the SII is beta (the fitted difference between the ends of the scale, x = 1 minus x = 0) and
  the RII is (alpha + beta) / alpha;
* confidence limits are simulated: each quantile's value is redrawn from a normal distribution
  with its standard error (on the log scale for rates and the logit scale for proportions,
  back-transformed unless ``transform``), the line is refitted, and the limits are percentiles
  of the simulated SIIs/RIIs. The refits are vectorised across repetitions: for each group,
  every repetition's refit is one row of a matrix product (taken in cache-sized blocks).

With ``transform=True`` the regression itself is fitted to log rates or logit proportions and
the SII/RII are returned on the original scale (the fitted values at x = 0 and x = 1 transformed
back); the simulated limits pivot about the fitted value at x = 0.5, as the R package does.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from healthgap.methods._common import (
    MethodArgumentError,
    check_choice,
    confidence_label,
    confidence_levels,
    group_codes,
    grouping_columns,
    limit_column_names,
    numeric_column,
    require_columns,
    require_frame,
    z_value,
)

__all__ = ["sii"]

WARN_REMOVED = "WARNING: some records have been removed due to incomplete or invalid data"
WARN_MANY_QUANTILES = (
    "WARNING: Small values can make SII unstable when using a large number of quantiles"
)
VALUE_TYPES = {0: "normal", 1: "rate", 2: "proportion"}
RELIABILITY_SAMPLES = 10
_BLOCK_ELEMENTS = 65_536  # normal draws generated at once (256 KB, stays in cache)


def sii(
    data: pd.DataFrame,
    value: str | None,
    quantile: str,
    population: str,
    *,
    by: str | Sequence[str] | None = None,
    x: str | None = None,
    lower_cl: str | None = None,
    upper_cl: str | None = None,
    se: str | None = None,
    value_type: int = 0,
    transform: bool = False,
    multiplier: float = 1,
    repetitions: int = 100_000,
    confidence: float | Sequence[float] = 0.95,
    rii: bool = False,
    intercept: bool = False,
    reliability_stat: bool = False,
    type: str = "full",
    seed: int | None = 1,
) -> pd.DataFrame:
    """Slope (and optionally relative) index of inequality for each group.

    Parameters
    ----------
    data:
        One row per group and quantile.
    value:
        Column with the indicator value of each quantile (may be None for proportions when
        ``x`` gives the count, the value then being x / population).
    quantile, population:
        Columns with the quantile label (ordered most to least deprived when sorted) and its
        population (denominator).
    by:
        Grouping column(s): one SII per group.
    lower_cl, upper_cl, se:
        Either the 95% limits of each value (the standard error is then (upper - lower) / 3.92
        on the value's scale: log for rates, logit for proportions) or its standard error.
    value_type:
        0 other (normal), 1 rate, 2 proportion (values between 0 and 1).
    transform:
        Fit the regression to log rates / logit proportions (needs ``lower_cl``/``upper_cl``).
    multiplier:
        Scales the SII and its limits (100 for percentages); a negative multiplier reverses
        the polarity, so the RII is inverted.
    repetitions:
        Simulated samples for the limits (at least 1,000).
    confidence:
        Level(s) of the simulated limits.
    rii, intercept:
        Also return the RII (with limits) and the fitted value at x = 0.
    reliability_stat:
        Run 10 simulations and add the mean absolute difference of samples 2-10 from the first
        (``sii_mad95_0`` ...), a measure of simulation noise.
    type:
        ``"full"`` adds indicator_type, multiplier, transform, confidence, statistic, method.
    seed:
        Seed for numpy's ``default_rng``: the same seed gives the same limits.

    Returns
    -------
    DataFrame, one row per group: ``sii`` [``rii``], ``sii_lowercl``/``sii_uppercl``
    [``rii_lowercl``/``rii_uppercl``] (with several levels ``sii_lower95_0cl`` ...),
    [``intercept``], [``sii_mad95_0``, ``rii_mad95_0``] and the metadata columns.
    A group lacking valid data for any quantile gets NaN with the reason in ``statistic``
    (and a warning), rather than being dropped.
    """
    data = require_frame(data)
    by_columns = grouping_columns(by)
    levels = confidence_levels(confidence)
    check_choice(type, "type", ("standard", "full"))
    if isinstance(value_type, bool) or value_type not in VALUE_TYPES:
        raise MethodArgumentError(
            f"value_type: must be 0 (other), 1 (rate) or 2 (proportion), got {value_type!r}"
        )
    multiplier = _number(multiplier, "multiplier")
    if multiplier == 0:
        raise MethodArgumentError("multiplier: must not be zero")
    if isinstance(repetitions, bool) or not isinstance(repetitions, int | np.integer):
        raise MethodArgumentError(f"repetitions: must be a whole number, got {repetitions!r}")
    repetitions = int(repetitions)
    if repetitions < 1000:
        raise MethodArgumentError("repetitions: must be 1000 or greater (default 100,000)")
    for flag, name in ((transform, "transform"), (rii, "rii"), (intercept, "intercept")):
        if not isinstance(flag, bool | np.bool_):
            raise MethodArgumentError(f"{name}: must be True or False, got {flag!r}")
    if not isinstance(reliability_stat, bool | np.bool_):
        raise MethodArgumentError(
            f"reliability_stat: must be True or False, got {reliability_stat!r}"
        )
    if value is None and x is None:
        raise MethodArgumentError("value: give the value column (or x, the count, for proportions)")
    if value is None and value_type != 2:
        raise MethodArgumentError("value: x can stand in for value only when value_type is 2")
    if se is None and (lower_cl is None or upper_cl is None):
        raise MethodArgumentError("se: give se, or both lower_cl and upper_cl")
    if transform and value_type == 0:
        raise MethodArgumentError("transform: value_type must be 1 or 2 when transform is True")
    if transform and se is not None:
        raise MethodArgumentError("se: must not be given when transform is True (give the limits)")
    if transform and (lower_cl is None or upper_cl is None):
        raise MethodArgumentError(
            "lower_cl: lower_cl and upper_cl are needed when transform is True"
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise MethodArgumentError(f"seed: must be a whole number or None, got {seed!r}")
    require_columns(
        data, quantile=quantile, population=population, by=by_columns, value=value, x=x,
        lower_cl=lower_cl, upper_cl=upper_cl, se=se,
    )  # fmt: skip

    # --- input values ---------------------------------------------------------------------
    pops = numeric_column(data, population, "population", allow_negative=True)
    if (pops <= 0).any():
        raise MethodArgumentError(f"population: column {population!r} has zero or negative values")
    if value is not None:
        values = numeric_column(data, value, "value", allow_negative=True)
    else:
        counts = numeric_column(data, x, "x", allow_negative=True)  # type: ignore[arg-type]
        if (counts <= 0).any():
            raise MethodArgumentError(f"x: column {x!r} has zero or negative counts")
        values = counts / pops
    if value_type == 2 and ((values < 0) | (values > 1)).any():
        raise MethodArgumentError("value: proportions must all be between 0 and 1")
    if se is not None:
        errors = numeric_column(data, se, "se", allow_negative=True)
        if (errors < 0).any():
            raise MethodArgumentError(f"se: column {se!r} has negative standard errors")
    else:
        lows = numeric_column(data, lower_cl, "lower_cl", allow_negative=True)  # type: ignore[arg-type]
        highs = numeric_column(data, upper_cl, "upper_cl", allow_negative=True)  # type: ignore[arg-type]
        if value_type == 2 and ((lows < 0) | (lows > 1) | (highs < 0) | (highs > 1)).any():
            raise MethodArgumentError(
                "lower_cl: confidence limit proportions must all be between 0 and 1"
            )
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = _to_scale(values, value_type)
        if se is None:
            errors = (_to_scale(highs, value_type) - _to_scale(lows, value_type)) / (
                2 * z_value(0.95)
            )

    # --- quantiles and groups ----------------------------------------------------------------
    if data[quantile].isna().any():
        raise MethodArgumentError(f"quantile: column {quantile!r} has missing labels")
    q_index, q_labels = pd.factorize(data[quantile], sort=True)
    n_quantiles = len(q_labels)
    if not 5 <= n_quantiles <= 100:
        raise MethodArgumentError(
            f"quantile: the number of quantiles must be between 5 and 100 (found {n_quantiles})"
        )
    if n_quantiles > 10:
        warnings.warn(WARN_MANY_QUANTILES, stacklevel=2)
    codes, keys = group_codes(data, by_columns)
    n_groups = len(keys)
    seen = np.zeros((n_groups, n_quantiles), dtype=np.int64)
    np.add.at(seen, (codes, q_index), 1)
    if (seen > 1).any():
        g, q = np.argwhere(seen > 1)[0]
        where = (
            ""
            if not by_columns
            else " in group " + ", ".join(f"{c}={_plain(keys.iloc[g][c])!r}" for c in by_columns)
        )
        raise MethodArgumentError(
            f"quantile: quantile {_plain(q_labels[q])!r} appears more than once{where}"
        )

    valid_row = np.isfinite(pops) & np.isfinite(scaled) & np.isfinite(errors)
    pop_m = np.full((n_groups, n_quantiles), np.nan)
    raw_m = np.full((n_groups, n_quantiles), np.nan)
    scaled_m = np.full((n_groups, n_quantiles), np.nan)
    se_m = np.full((n_groups, n_quantiles), np.nan)
    ok_m = np.zeros((n_groups, n_quantiles), dtype=bool)
    pop_m[codes, q_index] = pops
    raw_m[codes, q_index] = values
    scaled_m[codes, q_index] = scaled
    se_m[codes, q_index] = errors
    ok_m[codes, q_index] = valid_row
    missing_quantile = seen.sum(axis=1) < n_quantiles
    invalid_value = ~missing_quantile & ~ok_m.all(axis=1)
    complete = ~(missing_quantile | invalid_value)
    if not complete.all():
        warnings.warn(WARN_REMOVED, stacklevel=2)

    # --- regression (all complete groups at once) --------------------------------------------
    idx = np.flatnonzero(complete)
    share = pop_m[idx] / pop_m[idx].sum(axis=1, keepdims=True)
    rank = np.cumsum(share, axis=1) - share / 2
    sqrt_a = np.sqrt(share)
    design = np.stack([sqrt_a, rank * sqrt_a], axis=2)  # (g, Q, 2)
    hat = _least_squares_operator(design)  # (g, 2, Q): coefficients = hat @ y
    fit_values = scaled_m[idx] if transform else raw_m[idx]
    alpha, beta = np.einsum("gkq,gq->kg", hat, sqrt_a * fit_values)

    # --- simulation ----------------------------------------------------------------------------
    n_samples = RELIABILITY_SAMPLES if reliability_stat else 1
    positions = _percentile_positions(repetitions, levels)
    slope_stats, rii_stats = _simulate(
        hat, sqrt_a, scaled_m[idx], se_m[idx], value_type=value_type, transform=transform,
        n_samples=n_samples, repetitions=repetitions, positions=positions, seed=seed,
        want_rii=rii and not transform, multiplier=multiplier,
    )  # fmt: skip
    # slope_stats/rii_stats: (g, samples, 2 * levels) order statistics (lower, upper per level)

    results = _summarise(
        alpha, beta, slope_stats, rii_stats, levels=levels, value_type=value_type,
        transform=transform, multiplier=multiplier,
    )  # fmt: skip

    # --- output --------------------------------------------------------------------------------
    out = keys.copy() if by_columns else pd.DataFrame(index=range(1))
    out = out.reset_index(drop=True)

    def column(values_for_complete: np.ndarray) -> np.ndarray:
        full = np.full(n_groups, np.nan)
        full[idx] = values_for_complete
        return full

    out["sii"] = column(results["sii"])
    if rii:
        out["rii"] = column(results["rii"])
    names = limit_column_names(levels)
    for i, (low, high) in enumerate(names):
        out[f"sii_{low}"] = column(results["sii_limits"][:, 0, 2 * i])
        out[f"sii_{high}"] = column(results["sii_limits"][:, 0, 2 * i + 1])
    if rii:
        for i, (low, high) in enumerate(names):
            out[f"rii_{low}"] = column(results["rii_limits"][:, 0, 2 * i])
            out[f"rii_{high}"] = column(results["rii_limits"][:, 0, 2 * i + 1])
    if intercept:
        out["intercept"] = column(results["intercept"])
    if reliability_stat:
        for i, level in enumerate(levels):
            suffix = f"{level * 100:.1f}".replace(".", "_")
            out[f"sii_mad{suffix}"] = column(_mad(results["sii_limits"], i))
            if rii:
                out[f"rii_mad{suffix}"] = column(_mad(results["rii_limits"], i))
    if type == "standard":
        return out

    out["indicator_type"] = VALUE_TYPES[value_type]
    out["multiplier"] = multiplier
    out["transform"] = {1: "log", 2: "logit"}[value_type] if transform else "none"
    out["confidence"] = confidence_label(levels)
    label = "slope index of inequality" + (" and relative index of inequality" if rii else "")
    statistic = np.full(n_groups, label, dtype=object)
    statistic[missing_quantile] = label + " not calculated: data missing for some quantiles"
    statistic[invalid_value] = (
        label + " not calculated: missing or unusable value or standard error for some quantiles"
    )
    out["statistic"] = statistic
    out["method"] = f"simulation {repetitions} reps"
    return out


def _plain(value: object) -> object:
    """numpy scalars as Python ones, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def _number(value: object, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise MethodArgumentError(f"{argument}: must be a number, got {value!r}")
    number = float(value)
    if not np.isfinite(number):
        raise MethodArgumentError(f"{argument}: must be finite, got {value!r}")
    return number


def _to_scale(values: np.ndarray, value_type: int) -> np.ndarray:
    """Log for rates, logit for proportions, unchanged otherwise."""
    if value_type == 1:
        return np.log(values)
    if value_type == 2:
        return np.log(values / (1 - values))
    return values


def _from_scale(values: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.exp(values)
    if value_type == 2:
        return 1 / (1 + np.exp(-values))
    return values


def _least_squares_operator(design: np.ndarray) -> np.ndarray:
    """(X'X)^-1 X' for a stack of (Q x 2) design matrices, via the explicit 2 x 2 inverse."""
    xtx = np.einsum("gqi,gqj->gij", design, design)
    det = xtx[:, 0, 0] * xtx[:, 1, 1] - xtx[:, 0, 1] * xtx[:, 1, 0]
    inverse = np.empty_like(xtx)
    inverse[:, 0, 0] = xtx[:, 1, 1]
    inverse[:, 1, 1] = xtx[:, 0, 0]
    inverse[:, 0, 1] = -xtx[:, 0, 1]
    inverse[:, 1, 0] = -xtx[:, 1, 0]
    inverse /= det[:, None, None]
    return np.einsum("gij,gqj->giq", inverse, design)


def _percentile_positions(repetitions: int, levels: Sequence[float]) -> np.ndarray:
    """0-based positions in the sorted sample of each level's lower and upper limit.

    As the R package: the round(R * (1 - c')) th and round(R * c') th smallest of R simulated
    values, c' = level + (1 - level) / 2 (rounding half to even, as R's round does).
    """
    positions = []
    for level in levels:
        upper_tail = level + (1 - level) / 2
        low = max(round(repetitions * (1 - upper_tail)), 1)
        high = min(round(repetitions * upper_tail), repetitions)
        positions += [low - 1, high - 1]
    return np.array(positions, dtype=np.intp)


def _simulate(
    hat: np.ndarray,
    sqrt_a: np.ndarray,
    scaled: np.ndarray,
    se: np.ndarray,
    *,
    value_type: int,
    transform: bool,
    n_samples: int,
    repetitions: int,
    positions: np.ndarray,
    seed: int | None,
    want_rii: bool,
    multiplier: float,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Order statistics of simulated slopes (times the multiplier unless transformed) and RIIs.

    Each repetition redraws every quantile's value as scaled + se * Z (Z standard normal),
    back-transforms it unless ``transform`` (or the values are plain), and refits the line:
    coefficients = hat @ (sqrt(a) * y). Where no back-transform is needed the refit is linear
    in Z, so the simulated coefficients are the fitted ones plus Z @ (hat * sqrt(a) * se)' -
    the same numbers computed without forming y. Standard normals are drawn in float32 (ample
    for percentiles; the fitted line itself is exact float64), group by group and in
    cache-sized blocks of repetitions; numpy's stream does not depend on the block size, so
    neither does the result for a given seed.
    """
    n_groups, n_quantiles = scaled.shape
    total = n_samples * repetitions
    rng = np.random.default_rng(seed)
    slope_stats = np.empty((n_groups, n_samples, len(positions)))
    rii_stats = np.empty((n_groups, n_samples, len(positions))) if want_rii else None
    linear = transform or value_type == 0
    if linear:
        fitted = np.einsum("gkq,gq->gk", hat, sqrt_a * scaled)  # (g, 2): alpha, beta
        noise_weights = (hat * (sqrt_a * se)[:, None, :]).astype(np.float32)  # (g, 2, Q)
    block = max(1, _BLOCK_ELEMENTS // n_quantiles)  # repetitions drawn at once (cache-sized)
    alphas = np.empty(total)
    slopes = np.empty(total)
    for g in range(n_groups):
        for start in range(0, total, block):
            stop = min(start + block, total)
            draws = rng.standard_normal((stop - start, n_quantiles), dtype=np.float32)
            if linear:
                noise = draws @ noise_weights[g].T  # (block, 2)
                alphas[start:stop] = fitted[g, 0] + noise[:, 0]
                slopes[start:stop] = fitted[g, 1] + noise[:, 1]
            else:
                values = _from_scale(scaled[g] + se[g] * draws, value_type) * sqrt_a[g]
                alphas[start:stop] = values @ hat[g, 0]
                slopes[start:stop] = values @ hat[g, 1]
        scaled_slopes = slopes if transform else slopes * multiplier
        scaled_slopes = scaled_slopes.reshape(n_samples, repetitions)
        slope_stats[g] = np.partition(scaled_slopes, positions, axis=1)[:, positions]
        if want_rii:
            ratios = (alphas + slopes) / alphas
            if multiplier < 0:
                ratios = 1 / ratios
            ratios = ratios.reshape(n_samples, repetitions)
            rii_stats[g] = np.partition(ratios, positions, axis=1)[:, positions]
    return slope_stats, rii_stats


def _summarise(
    alpha: np.ndarray,
    beta: np.ndarray,
    slope_stats: np.ndarray,
    rii_stats: np.ndarray | None,
    *,
    levels: Sequence[float],
    value_type: int,
    transform: bool,
    multiplier: float,
) -> dict[str, np.ndarray]:
    """Point estimates and limits (limits shaped (groups, samples, 2 * levels))."""
    if not transform:
        ratio = (alpha + beta) / alpha
        return {
            "sii": beta * multiplier,
            "rii": 1 / ratio if multiplier < 0 else ratio,
            "intercept": alpha,
            "sii_limits": slope_stats,
            "rii_limits": rii_stats if rii_stats is not None else np.full_like(slope_stats, np.nan),
        }
    # Transformed scale: the fitted line's ends, back-transformed.
    at_zero = _from_scale(alpha, value_type)
    at_one = _from_scale(alpha + beta, value_type)
    ratio = at_one / at_zero
    middle = (alpha + beta / 2)[:, None, None]  # fitted value at x = 0.5, transformed scale
    end_zero = _from_scale(middle - slope_stats / 2, value_type)
    end_one = _from_scale(middle + slope_stats / 2, value_type)
    sii_sims = (end_one - end_zero) * multiplier
    rii_sims = end_one / end_zero
    if multiplier < 0:
        # a negative multiplier reverses the order of the limits (and inverts the RII)
        sii_sims = _swap_pairs(sii_sims)
        rii_sims = 1 / _swap_pairs(rii_sims)
    return {
        "sii": (at_one - at_zero) * multiplier,
        "rii": 1 / ratio if multiplier < 0 else ratio,
        "intercept": at_zero * abs(multiplier),
        "sii_limits": sii_sims,
        "rii_limits": rii_sims,
    }


def _swap_pairs(limits: np.ndarray) -> np.ndarray:
    """Exchange each (lower, upper) pair along the last axis."""
    swapped = limits.copy()
    swapped[..., 0::2] = limits[..., 1::2]
    swapped[..., 1::2] = limits[..., 0::2]
    return swapped


def _mad(limits: np.ndarray, level_index: int) -> np.ndarray:
    """Mean absolute difference of samples 2..10 from sample 1, over both limits of a level."""
    pair = limits[:, :, 2 * level_index : 2 * level_index + 2]
    return np.abs(pair[:, 1:, :] - pair[:, :1, :]).mean(axis=(1, 2))
