"""Residents by ethnic group (Census 2021 TS021) beside each area's indicators, small numbers
suppressed (issue 12)."""

import csv
import json

import pytest

from healthgap.demo.loader import demo_file
from tests.web.conftest import COVENTRY

pytestmark = pytest.mark.django_db
PIECES = {"E01034743", "E01034744"}


def _table(client, code, name):
    response = client.get(f"/areas/{code}.json")
    assert response.status_code == 200
    return {row["group"]: row for row in json.loads(response.content)["tables"][name]}


def test_coventry_totals_are_the_census_figures(client):
    # SOURCES.md: Coventry's LSOAs hold 345,318 usual residents at the 2021 Census.
    rows = _table(client, COVENTRY, "ethnic_group")
    assert rows["All residents"]["residents"] == 345_320  # rounded to the nearest 5
    assert rows["White"]["percent"] == pytest.approx(100 * 226_239 / 345_318, abs=0.05)


def test_small_counts_are_hidden_and_cannot_be_recovered(client):
    # LSOA E01009523 (Coventry 010A): 3 Black and 6 "Other ethnic group" residents (TS021).
    rows = _table(client, "E01009523", "ethnic_group")
    black = rows["Black, Black British, Black Welsh, Caribbean or African"]
    other = rows["Other ethnic group"]
    assert black["residents"] == "*" and other["residents"] == "*"
    assert black["percent"] is None and black["note"].startswith("primary")
    shown = [row for row in rows.values() if row["residents"] != "*"]
    assert all(row["residents"] % 5 == 0 for row in shown)


def test_a_single_hidden_count_brings_a_second_one_down(client):
    # E01009694: only "Other ethnic group" (7) is small; the total would reveal it, so
    # another group is hidden too.
    rows = _table(client, "E01009694", "ethnic_group")
    hidden = [group for group, row in rows.items() if row["residents"] == "*"]
    assert "Other ethnic group" in hidden and len(hidden) >= 2
    assert any(rows[group]["note"].startswith("secondary") for group in hidden)


def test_ward_table_and_download_on_the_city_page(client):
    body = client.get(f"/areas/{COVENTRY}").content.decode()
    assert "Population by ethnic group" in body
    csv = client.get(f"/areas/{COVENTRY}/ethnic_group_by_ward.csv").content.decode().splitlines()
    assert csv[0].startswith("Ward,Ward code,Ethnic group")
    assert len(csv) == 1 + 18 * 6  # 18 wards x (5 groups + all residents)


def test_a_2011_lsoa_split_in_2021_gets_the_sum_of_its_pieces(client):
    # Coventry 031C (E01009642) became E01034743 and E01034744 in 2021: its residents are theirs.
    path = demo_file("small_area/census2021_ts021_ethnic_group_lsoa21_coventry_leicester.csv")
    with open(path, encoding="utf-8") as handle:
        pieces = [row for row in csv.DictReader(handle) if row["lsoa21_code"] in PIECES]
    residents = sum({row["lsoa21_code"]: int(row["total_residents"]) for row in pieces}.values())
    white = sum(int(row["n"]) for row in pieces if row["ethnic_group"] == "White")
    rows = _table(client, "E01009642", "ethnic_group")
    assert rows["All residents"]["residents"] == 5 * round(residents / 5)
    # The percent shown is worked from the counts rounded to 5 (disclosure control).
    assert rows["White"]["percent"] == pytest.approx(100 * white / residents, abs=0.15)
