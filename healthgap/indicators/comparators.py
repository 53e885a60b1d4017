"""Comparator groups: the region, England, statistical nearest neighbours and user groups.

CIPFA's nearest-neighbour lists are licensed, not open, so healthgap computes its own, in the
open: every English upper-tier authority is described by four variables, each standardised
(z-score across the authorities), and the neighbours are the authorities at the smallest
Euclidean distance. The method text stored with each group says exactly this.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Sum

from healthgap.areas.models import IMD, Area, AreaType, Deprivation, PopulationEstimate
from healthgap.indicators.models import ComparatorGroup, ComparatorMember

YEAR = 2019
FEATURES = ["imd_score", "log_population", "share_under_16", "share_65_and_over"]
METHOD = (
    "Statistical nearest neighbours computed by healthgap (CIPFA's lists are not open). Each "
    "English upper-tier authority is described by: (1) its IMD 2019 average score (MHCLG local "
    "authority summaries; for a county, the mean of its districts' scores, unweighted); (2) the "
    "natural log of its mid-2019 population; (3) the share of that population aged under 16 "
    "and (4) aged 65 and over (ONS mid-2019 single-year estimates). Each variable is "
    "standardised to mean 0 and standard deviation 1 across the authorities, with equal "
    "weights, and neighbours are ranked by Euclidean distance in those units. Ethnicity, "
    "which CIPFA-style models also use, is not in healthgap's open data and is left out."
)


def authority_features() -> pd.DataFrame:
    """The four variables for each upper-tier authority with complete data, indexed by code."""
    areas = pd.DataFrame.from_records(
        Area.objects.upper_tier().values("code", "name", "area_type"), index="code"
    )
    population = _population()
    frame = areas.join(population, how="inner").join(_imd_scores(areas), how="inner")
    frame["log_population"] = np.log(frame["population"])
    return frame.dropna(subset=FEATURES)


def _population() -> pd.DataFrame:
    rows = PopulationEstimate.objects.filter(year=YEAR, sex="persons").values("area", "age")
    counts = pd.DataFrame.from_records(rows.annotate(n=Sum("count")))
    if counts.empty:
        return pd.DataFrame(columns=["population", "share_under_16", "share_65_and_over"])
    table = counts.pivot_table(index="area", columns="age", values="n", aggfunc="sum").fillna(0)
    total = table.sum(axis=1)
    return pd.DataFrame(
        {
            "population": total,
            "share_under_16": table.loc[:, table.columns < 16].sum(axis=1) / total,
            "share_65_and_over": table.loc[:, table.columns >= 65].sum(axis=1) / total,
        }
    )


def _imd_scores(areas: pd.DataFrame) -> pd.DataFrame:
    scores = dict(
        Deprivation.objects.filter(domain=IMD, year=YEAR, score__isnull=False).values_list(
            "area", "score"
        )
    )
    districts = pd.DataFrame.from_records(
        Area.objects.filter(area_type=AreaType.DISTRICT, parent__in=list(areas.index)).values(
            "code", "parent"
        )
    )
    if not districts.empty:
        districts["score"] = districts["code"].map(scores)
        county = districts.groupby("parent")["score"].mean()
        scores.update({code: value for code, value in county.items() if code not in scores})
    return pd.DataFrame({"imd_score": pd.Series(scores, dtype=float)})


def nearest_neighbours(code: str, count: int = 15) -> pd.DataFrame:
    """The ``count`` authorities nearest to ``code``: rank, distance and each variable."""
    features = authority_features()
    if code not in features.index:
        raise ValueError(f"{code} is not an upper-tier authority with IMD and population data")
    values = features[FEATURES].to_numpy()
    z = (values - values.mean(axis=0)) / values.std(axis=0)
    distance = np.sqrt(((z - z[features.index.get_loc(code)]) ** 2).sum(axis=1))
    out = features.assign(distance=distance).drop(index=code).sort_values("distance")
    out = out.head(count)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


@transaction.atomic
def save_nearest_neighbours(code: str, count: int = 15) -> ComparatorGroup:
    """Store (or refresh) the nearest-neighbour group of an authority."""
    neighbours = nearest_neighbours(code, count)
    area = Area.objects.get(code=code)
    group, _ = ComparatorGroup.objects.update_or_create(
        area=area,
        name=f"{count} nearest neighbours of {area.name}",
        defaults={"kind": ComparatorGroup.Kind.NEAREST, "method": METHOD},
    )
    group.members.all().delete()
    ComparatorMember.objects.bulk_create(
        ComparatorMember(group=group, area_id=other, rank=row["rank"], distance=row["distance"])
        for other, row in neighbours.iterrows()
    )
    return group


@transaction.atomic
def save_user_group(name: str, codes: list[str], area: str | None = None) -> ComparatorGroup:
    """A user-defined group of areas (for an area, or free-standing)."""
    known = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValueError(f"unknown area codes: {', '.join(unknown)}")
    group, _ = ComparatorGroup.objects.update_or_create(
        area_id=area, name=name, defaults={"kind": ComparatorGroup.Kind.USER, "method": ""}
    )
    group.members.all().delete()
    ComparatorMember.objects.bulk_create(ComparatorMember(group=group, area_id=c) for c in codes)
    return group


def standard_groups(code: str) -> list[tuple[str, list[str]]]:
    """The region and England as (name, member codes): the current upper-tier authorities (those
    with mid-2019 population estimates) in the area's region, and all of them."""
    area = Area.objects.get(code=code)
    current = Area.objects.upper_tier().filter(population__year=YEAR).distinct()
    groups = []
    region = area.region()
    if region is not None:
        groups.append(
            (region.name, list(current.filter(parent=region).values_list("code", flat=True)))
        )
    groups.append(("England", list(current.values_list("code", flat=True))))
    return groups
