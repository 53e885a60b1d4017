"""Age labels as intervals of years, and which age bands add up to a wider one.

Values are published by age as Fingertips labels them ("All ages", "<75 yrs", "10-34 yrs",
"65+ yrs", "0-4"): an interval [start, end) in years. Bands of one indicator that tile a wider
band held for the same area, period, sex and breakdown make an additive relation (the wider
band's count is the sum of theirs), which disclosure control must know about (issue 17: "age
bands from all ages").
"""

from __future__ import annotations

import math
import re

from healthgap.constants import ALL_AGES

Interval = tuple[float, float]
_BAND = re.compile(r"^\s*(?:(\d+)\s*-\s*(\d+)|<\s*(\d+)|(\d+)\s*\+)\s*(?:yrs?|years?)?\s*$")


def age_interval(label: str) -> Interval | None:
    """[start, end) in years of an age label ("10-34 yrs" -> (10, 35)); None for a label that
    is not a plain band ("<75 yrs, persons aged 18+", "Not applicable")."""
    if label.strip().lower() == ALL_AGES.lower():
        return 0.0, math.inf
    found = _BAND.match(label)
    if not found:
        return None
    start, end, under, over = found.groups()
    if start is not None:
        return float(start), float(end) + 1
    return (0.0, float(under)) if under is not None else (float(over), math.inf)


def tilings(labels: list[str]) -> list[tuple[str, list[str]]]:
    """(whole, parts) for each label whose interval the other labels' intervals fill exactly,
    without overlap (one tiling per whole: its widest parts, so that the relations between
    finer bands come from those bands' own tilings)."""
    intervals = {label: age_interval(label) for label in labels}
    bands = {label: band for label, band in intervals.items() if band is not None}
    found = []
    for whole, (start, end) in bands.items():
        inside = [
            (band, label)
            for label, band in bands.items()
            if label != whole and band != (start, end) and start <= band[0] and band[1] <= end
        ]
        parts = _tile(start, end, sorted(inside, key=lambda item: (item[0][0], -item[0][1])))
        if parts:
            found.append((whole, parts))
    return found


def _tile(start: float, end: float, inside: list[tuple[Interval, str]]) -> list[str] | None:
    """Labels whose bands run from ``start`` to ``end`` end to end (widest first), or None."""
    if start == end:
        return []
    for (band_start, band_end), label in inside:
        if band_start == start and band_end <= end:
            rest = _tile(band_end, end, inside)
            if rest is not None:
                return [label, *rest]
    return None
