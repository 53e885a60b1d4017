"""Sharing out a death known only by its postcode district across the district's LSOAs.

A postcode district (outcode: "CV1", "LE2") covers parts of several LSOAs, and an LSOA may
straddle districts. Each LSOA's share of a district is its population times the fraction of
its postcodes that lie in the district (postcodes from the ONS postcode lookup that the setting
``POSTCODE_LOOKUP`` names), normalised so that a district's shares add up to one. The lookup
gives 2021 LSOA codes: unchanged ones are used as they are, a piece of a 2011 LSOA split in 2021
(or a recoded one) as that 2011 LSOA (``areas.lsoa_changes``, from the lookup's LSOA names);
2021 LSOAs made of several 2011 ones (merged, or changed several-to-several) are left out and
counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.areas.lsoa_changes import MATCH_COLUMNS
from healthgap.areas.models import Area, AreaType
from healthgap.areas.queries import lsoa_2021_matches
from healthgap.areas.search import PostcodeLookup, configured_postcode_lookup
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


def district_shares(districts, matches: pd.DataFrame) -> DistrictShares:
    """The shares of the ``districts`` (upper-case outcodes) from the configured postcode
    lookup, its 2021 LSOAs' ``matches`` (``configured_2021_matches``) and the held LSOA
    populations; empty when the lookup file is absent."""
    lookup = configured_postcode_lookup()
    counts = postcode_counts(lsoas_2011_by_postcode(lookup, matches) if lookup else {}, districts)
    return shares_by_population(counts, held_lsoa_population(counts["lsoa"].unique()))


def lsoas_2011_by_postcode(lookup: PostcodeLookup, matches: pd.DataFrame) -> dict[str, str]:
    """The lookup's postcodes with the 2011 LSOA each lies in, where one 2011 LSOA holds the
    whole of its 2021 LSOA; the 2021 code is kept otherwise (and left out as not held)."""
    parents = whole_2011_parents(matches)
    by_postcode = lookup.lsoas_by_postcode
    return {postcode: parents.get(code, code) for postcode, code in by_postcode.items()}


def configured_2021_matches() -> pd.DataFrame:
    """``lsoa_2021_matches`` (lsoa21, lsoa11, kind, share) of the 2021 LSOAs the configured
    postcode lookup names; empty when the lookup file is absent."""
    lookup = configured_postcode_lookup()
    names = lookup.lsoa_names if lookup else {}
    return lsoa_2021_matches(names) if names else pd.DataFrame(columns=MATCH_COLUMNS)


def whole_2011_parents(matches: pd.DataFrame) -> dict[str, str]:
    """Of ``lsoa_2021_matches``: 2021 LSOA code -> the one 2011 LSOA that holds all of it."""
    whole = matches[~several_2011_lsoas(matches)]
    return dict(zip(whole["lsoa21"], whole["lsoa11"], strict=True))


def several_2011_lsoas(matches: pd.DataFrame) -> pd.Series:
    """Rows of ``lsoa_2021_matches`` whose 2021 LSOA spans several 2011 ones (merged)."""
    return matches.groupby("lsoa21")["lsoa11"].transform("size") > 1
