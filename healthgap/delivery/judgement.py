"""Progress judged with confidence: a value's 95% interval against the value its trajectory
expects for that period, as Fingertips compares a value with a target. Pure Python."""

from __future__ import annotations

import math
from dataclasses import dataclass

from healthgap.methods._series import format_value

ON_TRACK = "on track"
OFF_TRACK = "off track"
INDISTINGUISHABLE = "cannot be distinguished from the trajectory"
NOT_ENOUGH_DATA = "not enough data"
NO_JUDGEMENT = "no judgement"

#: Order on the board report: the measures needing attention first.
STATUS_ORDER = (OFF_TRACK, INDISTINGUISHABLE, NOT_ENOUGH_DATA, NO_JUDGEMENT, ON_TRACK)


@dataclass(frozen=True)
class Verdict:
    status: str
    words: str


def _missing(number) -> bool:
    return number is None or (isinstance(number, float) and math.isnan(number))


def judge_against_trajectory(
    value, lower, upper, expected, polarity: str, *, period: str, digits: int = 1
) -> Verdict:
    """``polarity`` is "higher is better", "lower is better" or "no judgement". Where higher is
    better the value is on track if its lower 95% limit is at or above the expected value and
    off track if its upper limit is below it; mirrored where lower is better; otherwise its
    interval holds the expected value and the two cannot be told apart."""
    number = lambda x: format_value(x, digits)  # noqa: E731
    if _missing(value):
        return Verdict(NOT_ENOUGH_DATA, f"Not enough data: there is no value for {period}.")
    if _missing(lower) or _missing(upper):
        return Verdict(
            NOT_ENOUGH_DATA,
            f"Not enough data: the value for {period}, {number(value)}, has no confidence "
            "interval, so it cannot be judged against the trajectory.",
        )
    if _missing(expected):
        return Verdict(
            NOT_ENOUGH_DATA, f"Not enough data: the trajectory has no expected value for {period}."
        )
    interval = f"{number(value)} (95% confidence interval {number(lower)} to {number(upper)})"
    where = f"The value for {period}, {interval}, against the {number(expected)} expected"
    if polarity == "no judgement":
        return Verdict(NO_JUDGEMENT, f"{where}: the indicator has no polarity to judge it by.")
    good_side = 1 if polarity == "higher is better" else -1
    clears = lower >= expected if good_side > 0 else upper <= expected
    misses = upper < expected if good_side > 0 else lower > expected
    if clears:
        limit = "lower" if good_side > 0 else "upper"
        side = "at or above" if good_side > 0 else "at or below"
        return Verdict(ON_TRACK, f"{where}: on track (its {limit} limit is {side} it).")
    if misses:
        limit = "upper" if good_side > 0 else "lower"
        side = "below" if good_side > 0 else "above"
        return Verdict(OFF_TRACK, f"{where}: off track (even its {limit} limit is {side} it).")
    return Verdict(
        INDISTINGUISHABLE,
        f"{where}: cannot be distinguished from the trajectory (the interval holds it).",
    )
