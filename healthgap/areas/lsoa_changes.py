"""2021 LSOAs matched to the 2011 LSOAs healthgap holds, derived from their codes and names.

healthgap's geography is built on 2011 LSOAs (IMD 2019 and the boundaries use them), while Census
2021 files and current postcode lookups use 2021 LSOAs. Most codes did not change. ONS publishes
the exact best-fit lookup; where it is not to hand, the codes and names are enough for nearly every
change, because an LSOA's name is its MSOA's name and a letter ("Coventry 031C") and ONS kept the
MSOA's name when it split or merged the LSOAs inside it. Within one MSOA name, the 2011 codes that
no longer exist and the new 2021 codes cover the same ground:

- one old code and several new ones: a **split**, each new LSOA lies inside the old one (one
  old and one new: a **recoded** LSOA);
- several old codes and one new one: a **merge**;
- anything else (several to several, or codes that moved between MSOAs, which are left over in
  their MSOA and are gathered per authority): a **cluster**, matched only as a whole.

Each match carries the share of the 2021 LSOA's people who live in each 2011 LSOA: 1 for an
unchanged or recoded code or a split, and the 2011 LSOAs' shares of their population for a merge
or a cluster (residents spread evenly over the cluster's ground, the assumption to state when a
figure is apportioned). Pure: codes, names and populations in, a table out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

UNCHANGED, RECODED, SPLIT = "unchanged", "recoded", "split"
MERGE, CLUSTER = "merge", "cluster"
MATCH_COLUMNS = ["lsoa21", "lsoa11", "kind", "share"]


def match_2021_lsoas(
    lsoas_2011: Mapping[str, str],
    lsoas_2021: Mapping[str, str],
    population_2011: Mapping[str, float],
) -> pd.DataFrame:
    """One row per (2021 LSOA, 2011 LSOA) pair that share ground: ``lsoa21, lsoa11, kind, share``
    (``share``: of the 2021 LSOA's people, the part living in that 2011 LSOA; it sums to 1 over
    each 2021 LSOA). Arguments map code -> name; ``lsoas_2011`` should hold the 2011 LSOAs of the
    authorities the 2021 ones are in (an old code is "gone" when it is not among ``lsoas_2021``).
    2021 LSOAs with no 2011 partner at all are left out."""
    gone = {code: name for code, name in lsoas_2011.items() if code not in lsoas_2021}
    new = {code: name for code, name in lsoas_2021.items() if code not in lsoas_2011}
    rows = [(code, code, UNCHANGED, 1.0) for code in lsoas_2021 if code in lsoas_2011]
    for old_codes, new_codes in _changed_groups(gone, new):
        rows += _group_rows(old_codes, new_codes, population_2011)
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def _changed_groups(gone: dict[str, str], new: dict[str, str]) -> list[tuple[list, list]]:
    """Old and new codes grouped by MSOA name; those left alone in their MSOA (moved between
    MSOAs) grouped by authority name."""
    by_msoa: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for code, name in sorted(gone.items()):
        by_msoa[msoa_name(name)][0].append(code)
    for code, name in sorted(new.items()):
        by_msoa[msoa_name(name)][1].append(code)
    groups = [(old, fresh) for old, fresh in by_msoa.values() if old and fresh]
    left_over: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for msoa, (old, fresh) in by_msoa.items():
        if not (old and fresh):
            left_over[authority_name(msoa)][0].extend(old)
            left_over[authority_name(msoa)][1].extend(fresh)
    groups += [(old, fresh) for old, fresh in left_over.values() if old and fresh]
    return groups


def _group_rows(old: list[str], fresh: list[str], population: Mapping[str, float]) -> list:
    if len(old) == 1:
        return [(code, old[0], SPLIT if len(fresh) > 1 else RECODED, 1.0) for code in fresh]
    people = {code: float(population.get(code) or 0.0) for code in old}
    total = sum(people.values())
    shares = {code: (people[code] / total if total else 1 / len(old)) for code in old}
    kind = MERGE if len(fresh) == 1 else CLUSTER
    return [(new_code, code, kind, shares[code]) for new_code in fresh for code in old]


def msoa_name(lsoa_name: str) -> str:
    """ "Coventry 031C" -> "Coventry 031": the LSOA's name less its letter."""
    return lsoa_name.strip()[:-1].strip()


def authority_name(msoa_name: str) -> str:
    """ "Coventry 031" -> "Coventry"."""
    return msoa_name.rsplit(" ", 1)[0]
