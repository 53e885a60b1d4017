"""Overdispersion of funnel plots: Spiegelhalter's additive random-effects adjustment.

Spiegelhalter DJ (2005) "Handling over-dispersion of performance indicators", Qual Saf Health
Care 14:347-351, as NHS-R's FunnelPlotR applies it (Mainey C et al., CRAN ``FunnelPlotR``):

1. each record's z-score on a variance-stabilising scale: the log of observed / expected for
   ratios and rates (y = log(O / E), s = 1 / sqrt(E), target 0: FunnelPlotR's "SHMI" scale) and
   the arcsine square root for proportions (y = asin(sqrt(p)), s = 1 / (2 sqrt(n)), target the
   transformed overall proportion); z = (y - target) / s;
2. z-scores winsorised at the 10% and 90% quantiles (pulled in to them, not dropped), so that
   the few true outliers do not inflate the estimate;
3. the dispersion ratio phi = mean of the winsorised z squared (1 when the data are as
   variable as chance alone makes them);
4. the between-record variance tau^2 = max(0, (n phi - (n - 1)) / (sum w - sum w^2 / sum w)),
   w = 1 / s^2 (DerSimonian & Laird 1986), 0 whenever n phi <= n - 1;
5. limits widened on the transformed scale to target +/- z sqrt(s^2 + tau^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from healthgap.methods._common import MethodArgumentError

DEFAULT_WINSORISE = 0.1
# FunnelPlotR's correction for records with no events, whose log ratio is otherwise -infinity.
ZERO_EVENTS_CORRECTION = 0.5
# z of the two-sided 95% (2 sigma) and 99.8% (3 sigma) funnel limits.
LIMIT_Z = {"2s": float(norm.ppf(0.975)), "3s": float(norm.ppf(0.999))}


@dataclass(frozen=True)
class Dispersion:
    """phi (dispersion ratio), tau2 (between-record variance) and the records they used."""

    phi: float
    tau2: float
    records: int


@dataclass(frozen=True)
class Scores:
    """Each record's transformed value, its standard error and the transformed target."""

    y: np.ndarray
    s: np.ndarray
    target: float

    def z(self, tau2: float = 0.0) -> np.ndarray:
        """z-scores, unadjusted (tau2 = 0) or adjusted for the between-record variance."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.y - self.target) / np.sqrt(self.s**2 + tau2)


def check_winsorise(winsorise: object) -> float:
    """The share winsorised at each end: a number from 0 up to (not including) 0.5."""
    if isinstance(winsorise, bool) or not isinstance(winsorise, int | float | np.number):
        raise MethodArgumentError(f"winsorise: must be a number, got {winsorise!r}")
    if not 0 <= float(winsorise) < 0.5:
        raise MethodArgumentError(f"winsorise: must be from 0 up to 0.5, got {winsorise!r}")
    return float(winsorise)


def transformed_scores(
    statistic: str, events: np.ndarray, denominators: np.ndarray, average: float
) -> Scores:
    """Scores of each record: arcsine for proportions, log O/E for ratios and rates.

    For ratios ``denominators`` are the expected counts; for rates expected = average x
    denominator. Records with no events count 0.5 events on the log scale.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if statistic == "proportion":
            return Scores(
                y=np.arcsin(np.sqrt(events / denominators)),
                s=1 / (2 * np.sqrt(denominators)),
                target=float(np.arcsin(np.sqrt(average))),
            )
        expected = denominators if statistic == "ratio" else average * denominators
        observed = np.maximum(events, ZERO_EVENTS_CORRECTION)
        return Scores(y=np.log(observed / expected), s=1 / np.sqrt(expected), target=0.0)


def estimate_dispersion(scores: Scores, winsorise: float) -> Dispersion:
    """phi from the winsorised z-scores and tau^2 from phi (records with a finite z only)."""
    z = scores.z()
    usable = np.isfinite(z)
    z, s = z[usable], scores.s[usable]
    n = len(z)
    if n < 2:
        raise MethodArgumentError("overdispersion: needs at least 2 records with a usable score")
    low, high = np.quantile(z, [winsorise, 1 - winsorise])  # R's quantile type 7
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    weights = 1 / s**2
    spread = weights.sum() - (weights**2).sum() / weights.sum()
    tau2 = max(0.0, (n * phi - (n - 1)) / spread) if spread > 0 else 0.0
    return Dispersion(phi=phi, tau2=float(tau2), records=n)


def proportion_limit(n: np.ndarray, average: float, tau2: float, name: str, side: str):
    """Overdispersed proportion limit at denominator n, back from the arcsine scale.

    The angle is kept within [0, pi/2] so the limit stays within 0..1 and monotonic.
    """
    sign = -1 if side == "lower" else 1
    spread = LIMIT_Z[name] * np.sqrt(1 / (4 * np.asarray(n, dtype="float64")) + tau2)
    angle = np.clip(np.arcsin(np.sqrt(average)) + sign * spread, 0, np.pi / 2)
    return np.sin(angle) ** 2


def ratio_limit(expected: np.ndarray, tau2: float, name: str, side: str) -> np.ndarray:
    """Overdispersed observed / expected limit at an expected count, back from the log scale."""
    sign = -1 if side == "lower" else 1
    spread = LIMIT_Z[name] * np.sqrt(1 / np.asarray(expected, dtype="float64") + tau2)
    return np.exp(sign * spread)


def significance(z_adjusted: np.ndarray) -> np.ndarray:
    """Funnel significance labels from adjusted z-scores (above the target is "High")."""
    conditions = [
        z_adjusted > LIMIT_Z["3s"],
        z_adjusted > LIMIT_Z["2s"],
        z_adjusted < -LIMIT_Z["3s"],
        z_adjusted < -LIMIT_Z["2s"],
    ]
    choices = ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"]
    return np.select(conditions, choices, default="Not significant").astype(object)
