"""2021 LSOAs matched to 2011 ones from codes and names (areas.lsoa_changes), on the real codes
and names of Coventry's and Leicester's LSOAs: the 2011 boundaries and the Census 2021 file
bundled with the demo (ONS, OGL v3)."""

import csv
import json

import pytest

from healthgap.areas.lsoa_changes import match_2021_lsoas
from healthgap.demo.loader import demo_file

CENSUS_2021 = "small_area/census2021_ts021_ethnic_group_lsoa21_coventry_leicester.csv"


@pytest.fixture(scope="module")
def matches():
    lsoas_2011 = {}
    for city in ("E08000026_coventry", "E06000016_leicester"):
        with open(demo_file(f"boundaries/lsoa_2011_{city}.geojson"), encoding="utf-8") as handle:
            for feature in json.load(handle)["features"]:
                lsoas_2011[feature["properties"]["LSOA11CD"]] = feature["properties"]["LSOA11NM"]
    with open(demo_file(CENSUS_2021), encoding="utf-8") as handle:
        lsoas_2021 = {row["lsoa21_code"]: row["lsoa21_name"] for row in csv.DictReader(handle)}
    # Leicester 040's three 2011 LSOAs, with populations made up for the test.
    population = {"E01013646": 1000.0, "E01013647": 3000.0, "E01032875": 1000.0}
    frame = match_2021_lsoas(lsoas_2011, lsoas_2021, population)
    return frame, lsoas_2021


def _rows(frame, lsoa21):
    part = frame[frame["lsoa21"] == lsoa21]
    return {row.lsoa11: (row.kind, row.share) for row in part.itertuples()}


def test_every_2021_lsoa_is_matched_and_its_shares_sum_to_one(matches):
    frame, lsoas_2021 = matches
    assert set(frame["lsoa21"]) == set(lsoas_2021)  # 403 LSOAs, none left out
    assert frame.groupby("lsoa21")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert (frame["kind"] == "unchanged").sum() == 403 - 34  # 34 new 2021 codes in the two cities


def test_a_split_lsoa_s_pieces_lie_inside_it(matches):
    frame, _ = matches
    # Coventry 031C (E01009642) became Coventry 031E and 031F.
    assert _rows(frame, "E01034743") == {"E01009642": ("split", 1.0)}
    assert _rows(frame, "E01034744") == {"E01009642": ("split", 1.0)}


def test_lsoas_moved_between_msoas_and_clusters_are_matched_as_a_whole(matches):
    frame, _ = matches
    # Leicester 009B (2011) has no 2021 piece in MSOA 009; MSOA 043 is new: its LSOAs are 009B's.
    assert _rows(frame, "E01034024") == {"E01013697": ("split", 1.0)}
    # Leicester 040: three 2011 LSOAs became three different 2021 ones; each 2021 LSOA's people
    # are shared by the 2011 LSOAs' populations (1,000 : 3,000 : 1,000).
    assert _rows(frame, "E01034019") == {
        "E01013646": ("cluster", 0.2),
        "E01013647": ("cluster", 0.6),
        "E01032875": ("cluster", 0.2),
    }
