"""Disclosure control on the closing-the-gap pages: the ward and cause tables (counted from the
demo's synthetic record-level deaths) are rounded and suppressed for the public, with a note
saying what and why; signed-in analysts see them as computed, marked, and never cached."""

import csv
import io
import json

import pytest
from django.core.cache import cache

from healthgap.constants import Role
from healthgap.indicators.disclosure import UNSUPPRESSED_NOTE
from healthgap.ingest.deaths import import_deaths
from healthgap.mortality.models import DeathCount
from tests.accounts.factories import UserFactory
from tests.web.conftest import COVENTRY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
PAGE = f"/areas/{COVENTRY}/closing-the-gap"
ROUNDING_BASE = 5  # NHS England's rule: counts above 7 rounded to the nearest 5


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _local(client):
    return client.get(PAGE).context["page"].context["local"]


def _rounded_to_base(deaths_a_year: float, years: int) -> bool:
    """Deaths a year (one decimal) times the years is within rounding of a multiple of 5."""
    count = deaths_a_year * years
    return abs(count - ROUNDING_BASE * round(count / ROUNDING_BASE)) <= 0.05 * years + 1e-9


def test_the_public_sees_counts_rounded_to_five_and_the_note(client):
    local = _local(client)
    shown = [row for row in local["wards"] + local["causes"] if row["observed"] is not None]
    assert len(shown) >= 18
    assert all(_rounded_to_base(row["observed"], local["years"]) for row in shown)
    body = client.get(PAGE).content.decode()
    assert 'data-testid="disclosure-note"' in body and "rounded to the nearest 5" in body


@pytest.fixture
def small_ward():
    """One Coventry ward left with 4 deaths over the years held (1 considered preventable)."""
    counts = DeathCount.objects.filter(area__parent__parent_id=COVENTRY).select_related("area")
    first = counts.exclude(area__ward=None).order_by("area_id").first()
    ward = first.area.ward
    counts.filter(area__ward=ward).update(deaths=0, preventable=0)
    DeathCount.objects.filter(pk=first.pk).update(deaths=4, preventable=1)
    return ward


def _ward_row(rows, ward):
    return next(row for row in rows if row["code"] == ward.code)


def test_a_ward_with_four_deaths_is_suppressed_with_a_partner(client, small_ward):
    local = _local(client)
    row = _ward_row(local["wards"], small_ward)
    assert (row["observed"], row["value"], row["lower"], row["upper"]) == (None,) * 4
    assert row["disclosure"] == "Suppressed (primary: count 1-7)"
    partners = [r for r in local["wards"] if r["disclosure"].startswith("Suppressed (secondary")]
    assert len(partners) == 1 and small_ward.name in partners[0]["disclosure"]
    assert local["wards"][-2:] == sorted([row, partners[0]], key=lambda r: r["name"])
    assert local["disclosure"].suppressed["wards"] == sorted([small_ward.name, partners[0]["name"]])
    assert small_ward.name in client.get(PAGE).content.decode().split("Suppressed here:")[1]
    # The twins carry the same suppression.
    tables = json.loads(client.get(PAGE + ".json").content)["tables"]
    assert _ward_row(tables["wards"], small_ward)["observed"] is None
    text = client.get(PAGE + "/wards.csv").content.decode()
    csv_row = next(r for r in csv.DictReader(io.StringIO(text)) if r["Code"] == small_ward.code)
    assert csv_row["Deaths a year"] == "" and csv_row["Disclosure control"].startswith("Supp")


def test_analysts_see_the_counts_marked_and_never_cached(client, small_ward):
    client.get(PAGE)  # the public page, cached
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    response = client.get(PAGE)
    local = response.context["page"].context["local"]
    row = _ward_row(local["wards"], small_ward)
    assert row["observed"] == round(4 / local["years"], 1)
    assert all(r["disclosure"] == UNSUPPRESSED_NOTE for r in local["wards"] + local["causes"])
    assert "no-store" in response["Cache-Control"] and "Unsuppressed figures" in (
        response.content.decode()
    )
    table = client.get(PAGE + "/wards.json")
    assert "no-store" in table["Cache-Control"]
    assert _ward_row(table.json()["rows"], small_ward)["observed"] is not None
    client.logout()  # the public's cached page and table are still the controlled ones
    assert small_ward.name in client.get(PAGE).content.decode().split("Suppressed here:")[1]
    assert (
        _ward_row(client.get(PAGE + "/wards.json").json()["rows"], small_ward)["observed"] is None
    )


def test_other_signed_in_users_get_the_public_figures(client, small_ward):
    client.force_login(UserFactory(roles=[Role.BOARD_MEMBER]))
    assert _ward_row(_local(client)["wards"], small_ward)["observed"] is None


@pytest.fixture
def district_deaths(tmp_path):
    """Twelve deaths in 2012 given only the postcode district CV1 (all of it in Coventry, by the
    bundled ONS postcode lookup), imported through the importer."""
    path = tmp_path / "district_deaths.csv"
    rows = ["2012-06-01,70,F,,I21.9,CV1"] * 12
    header = "date_of_death,age_years,sex,lsoa_code,underlying_cause,postcode_district"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return import_deaths(path)


def test_deaths_shared_from_postcode_districts_are_said_rounded_for_the_public(
    client, district_deaths
):
    assert district_deaths.by_district == {"CV1": 12}
    body = client.get(PAGE).content.decode()
    assert "10 deaths given only a postcode district were shared across its LSOAs" in body
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    assert _local(client)["apportioned_shown"] == 12.0
    assert "12 deaths given only a postcode district" in client.get(PAGE).content.decode()
