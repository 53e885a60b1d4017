"""Sharing out a death known only by its postcode district across the district's LSOAs.

A postcode district (outcode: "CV1", "LE2") covers parts of several LSOAs, and an LSOA may
straddle districts. Each LSOA's share of a district is its population times the fraction of
its postcodes that lie in the district (postcodes from the ONS postcode lookup that the setting
``POSTCODE_LOOKUP`` names), normalised so that a district's shares add up to one. The lookup
gives 2021 LSOA codes: those equal to a code healthgap holds (every unchanged LSOA, and split or
merged ones whose new code the project holds) are used; the others are left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.areas.models import Area, AreaType
from healthgap.areas.search import configured_postcode_lookup
from healthgap.mortality.queries import lsoa_population

INWARD_CODE_LENGTH = 3  # "1AA" of "CV1 1AA": the outcode is the rest


@dataclass(frozen=True)
class DistrictShares:
    """``shares``: district, lsoa, share (each district's shares add up to one);
    ``left_out``: district, lsoa pairs of the lookup whose LSOA healthgap does not hold or
    has no population for."""

    shares: pd.DataFrame
    left_out: pd.DataFrame

    @property
    def districts(self) -> set[str]:
        return set(self.shares["district"])


def postcode_counts(lsoa_by_postcode: dict[str, str], districts) -> pd.DataFrame:
    """For each LSOA of the ``districts``: district, lsoa, postcodes (its postcodes in the
    district) and lsoa_postcodes (all its postcodes in the lookup). Postcodes are keyed
    without spaces ("CV11AA"), as ``areas.search.postcode_lookup`` gives them."""
    frame = pd.DataFrame(
        {
            "district": [postcode[:-INWARD_CODE_LENGTH] for postcode in lsoa_by_postcode],
            "lsoa": list(lsoa_by_postcode.values()),
        },
        dtype=object,
    )
    per_lsoa = frame.groupby("lsoa").size().rename("lsoa_postcodes")
    wanted = frame[frame["district"].isin(list(districts))]
    pairs = wanted.groupby(["district", "lsoa"]).size().rename("postcodes").reset_index()
    return pairs.join(per_lsoa, on="lsoa")


def shares_by_population(counts: pd.DataFrame, population: pd.Series) -> DistrictShares:
    """Each LSOA's share of its district: population x postcodes / lsoa_postcodes, normalised
    over the district. ``population`` is indexed by LSOA code; LSOAs not in it are left out."""
    weight = counts["lsoa"].map(population) * counts["postcodes"] / counts["lsoa_postcodes"]
    usable = weight > 0  # NaN (not held) fails too
    kept = counts.loc[usable, ["district", "lsoa"]].assign(weight=weight[usable])
    district_total = kept.groupby("district")["weight"].transform("sum")
    kept = kept.assign(share=kept["weight"] / district_total).drop(columns="weight")
    kept = kept.reset_index(drop=True)
    left_out = counts.loc[~usable, ["district", "lsoa"]].reset_index(drop=True)
    return DistrictShares(kept, left_out)


def held_lsoa_population(codes) -> pd.Series:
    """Persons (all ages) by LSOA code for the ``codes`` healthgap holds, as the
    closing-the-gap pages count them (``queries.lsoa_population``: every LSOA of their MSOAs
    is passed so that an MSOA's estimate is shared among all of its LSOAs)."""
    msoas = Area.objects.filter(area_type=AreaType.LSOA, code__in=list(codes)).values("parent")
    rows = Area.objects.filter(area_type=AreaType.LSOA, parent__in=msoas).values_list(
        "code", "parent_id"
    )
    lsoas = pd.DataFrame.from_records(list(rows), columns=["lsoa", "msoa"])
    if lsoas.empty:
        return pd.Series(dtype=float)
    return lsoa_population(lsoas).groupby("lsoa")["population"].sum()


def district_shares(districts) -> DistrictShares:
    """The shares of the ``districts`` (upper-case outcodes) from the configured postcode
    lookup and the held LSOA populations; empty when the lookup file is absent."""
    lookup = configured_postcode_lookup()
    counts = postcode_counts(lookup.lsoas_by_postcode if lookup else {}, districts)
    return shares_by_population(counts, held_lsoa_population(counts["lsoa"].unique()))
