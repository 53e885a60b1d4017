"""What the admissions growth page compares: practices, primary care networks or integrated
care boards, each with its admissions and patients in two periods, against the rest of the
cluster they belong to (ratio of rate ratios)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse

from healthgap.areas.models import Area, AreaType
from healthgap.methods import ratio_of_rate_ratios
from healthgap.practices import queries
from healthgap.web.pages.practices.common import practice_url

PRACTICE_LEVEL, PCN_LEVEL, ICB_LEVEL = "practice", "pcn", "icb"
GROWTH_LEVELS = [
    (PRACTICE_LEVEL, "Each practice against the rest of the area's practices"),
    (PCN_LEVEL, "Each primary care network against the rest of the area's practices"),
    (ICB_LEVEL, "Each integrated care board against every other practice held"),
]
LEVEL_WORDS = {
    PRACTICE_LEVEL: ("Practice", "practices"),
    PCN_LEVEL: ("Primary care network", "primary care networks"),
    ICB_LEVEL: ("Integrated care board", "integrated care boards"),
}


@dataclass
class GrowthUnits:
    """What the growth page compares: one row per unit (practice, PCN or ICB) with its
    admissions and patients in both periods, the units' names and links, the cluster they
    belong to, and the unit the headline is about (the area's own ICB at that level)."""

    level: str
    frame: pd.DataFrame
    names: dict[str, str]
    urls: dict[str, str]
    cluster: str
    own: str | None = None


def growth_units(level: str, choice, names: dict[str, str], area: Area) -> GrowthUnits:
    """The units at ``level`` for ``choice`` (indicator code, first and last period), from the
    area's practices (``names`` by code)."""
    code, first, last = choice
    if level == PRACTICE_LEVEL:
        urls = {practice: practice_url(practice) for practice in names}
        frame = _two_periods(code, first, last, list(names))
        return GrowthUnits(level, frame, names, urls, f"the practices of {area.name}")
    # Primary care networks among the area's practices; ICBs among every practice held.
    members = list(names) if level == PCN_LEVEL else queries.practices_with_values(code)
    group_type = AreaType.PCN if level == PCN_LEVEL else AreaType.ICB
    groups = queries.practice_groups(members, group_type)
    frame = _two_periods(code, first, last, list(groups))
    frame = frame.assign(area_id=frame["area_id"].map(lambda p: groups[p].code))
    frame = frame.groupby("area_id", as_index=False).sum()
    query = urlencode({"indicator": code, "from": first, "to": last})
    urls = {
        unit: f"{reverse('web:outcome', args=[unit, 'admissions-growth'])}?{query}"
        for unit in frame["area_id"]
    }
    unit_names = {group.code: group.name for group in groups.values()}
    if level == PCN_LEVEL:
        return GrowthUnits(level, frame, unit_names, urls, f"the practices of {area.name}")
    own = Counter(groups[p].code for p in names if p in groups).most_common(1)
    cluster = "every practice held (all the integrated care boards)"
    return GrowthUnits(level, frame, unit_names, urls, cluster, own[0][0] if own else None)


def _two_periods(code: str, first: str, last: str, codes: list[str]) -> pd.DataFrame:
    before = queries.practice_values(code, first, codes)[["area_id", "count", "denominator"]]
    after = queries.practice_values(code, last, codes)[["area_id", "count", "denominator"]]
    frame = before.merge(after, on="area_id", suffixes=("_1", "_2")).dropna()
    return frame[(frame["denominator_1"] > 0) & (frame["denominator_2"] > 0)]


def growth_against_cluster(frame: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Each practice against the rest of the cluster (so the two are independent); the
    cluster's own growth, all practices together, is the "cluster average"."""
    totals = frame[["count_1", "denominator_1", "count_2", "denominator_2"]].sum()
    rest = {f"rest_{c}": totals[c] - frame[c] for c in totals.index}
    work = frame.assign(**rest).reset_index(drop=True)
    result = ratio_of_rate_ratios(
        work,
        before=("count_1", "denominator_1"),
        after=("count_2", "denominator_2"),
        reference_before=("rest_count_1", "rest_denominator_1"),
        reference_after=("rest_count_2", "rest_denominator_2"),
    )
    cluster = (totals["count_2"] / totals["denominator_2"]) / (
        totals["count_1"] / totals["denominator_1"]
    )
    return result, 100 * (cluster - 1)
