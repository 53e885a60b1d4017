"""The compare and map pages (and their .json/.csv twins) show an indicator flagged as needing
disclosure control as the API publishes it (issue 17): small counts suppressed with the
figures that would give them away, the note saying what was suppressed; signed-in analysts see
the figures as computed, marked, and never cached."""

import csv
import io

import pytest

from healthgap.areas.models import Area
from healthgap.constants import Role
from healthgap.indicators.models import Indicator, ValueType
from tests.accounts.factories import UserFactory
from tests.factories import IndicatorFactory, IndicatorValueFactory, PeriodFactory

pytestmark = pytest.mark.django_db
COVENTRY = "E08000026"
# Ward counts of 4, 12 and 30 (46 in the city), of 100, 300 and 600 people.
COUNTS, PEOPLE = (4, 12, 30), (100, 300, 600)


@pytest.fixture
def flagged():
    """A percentage under disclosure control for Coventry and three of its wards."""
    indicator = IndicatorFactory(
        code="SDC-1", value_type=ValueType.PROPORTION, unit="%", needs_disclosure_control=True
    )
    period = PeriodFactory(year=2021)
    wards = list(Area.objects.filter(parent_id=COVENTRY, area_type="ward").order_by("code")[:3])
    city = Area.objects.get(code=COVENTRY)
    for area, count, people in zip([city, *wards], [sum(COUNTS), *COUNTS], [sum(PEOPLE), *PEOPLE]):
        value = 100 * count / people
        IndicatorValueFactory(
            indicator=indicator, area=area, period=period, count=count, denominator=people,
            value=value, lower95=value - 1, upper95=value + 1,
        )  # fmt: skip
    return wards


def _query(page: str) -> dict:
    geography = {"group": "wards"} if page == "compare" else {"geography": "ward"}
    return {"indicator": "SDC-1", **geography}


@pytest.mark.parametrize("page", ["compare", "map"])
def test_the_public_sees_small_counts_suppressed_and_told_why(client, flagged, page):
    response = client.get(f"/areas/{COVENTRY}/{page}", _query(page))
    table = response.context["page"].tables[0]
    assert [row["code"] for row in table.rows] == [flagged[2].code]  # 30 of 600 only
    assert table.rows[0]["value"] == pytest.approx(5.0)
    body = response.content.decode()
    assert "under disclosure control" in body
    assert flagged[0].name in body and flagged[1].name in body  # named as suppressed
    twin = client.get(f"/areas/{COVENTRY}/{page}.json", _query(page)).json()
    assert sorted(twin["disclosure"]["suppressed"]) == sorted(w.name for w in flagged[:2])
    codes = [row["code"] for row in twin["tables"]["areas"]]
    assert codes == [flagged[2].code]
    download = client.get(f"/areas/{COVENTRY}/{page}/areas.csv", _query(page))
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [row["Code"] for row in rows] == [flagged[2].code]
    assert "Disclosure control" in rows[0]


def test_the_map_draws_suppressed_wards_as_such(client, flagged):
    page = client.get(f"/areas/{COVENTRY}/map", _query("map")).context["page"]
    features = page.charts["map"].spec["data"]["values"]["features"]
    by_name = {f["properties"]["name"]: f["properties"]["category"] for f in features}
    assert by_name[flagged[0].name] == by_name[flagged[1].name] == "Suppressed (small numbers)"
    assert by_name[flagged[2].name] != "Suppressed (small numbers)"


def test_the_rounded_city_is_the_wards_benchmark(client, flagged):
    """46 of 1,000 is published as 45 (rounded to 5): the wards are compared with 4.5%."""
    page = client.get(f"/areas/{COVENTRY}/compare", _query("compare")).context["page"]
    assert page.context["benchmark"] == pytest.approx(4.5)


@pytest.mark.parametrize("page", ["compare", "map"])
def test_analysts_see_every_ward_marked_and_never_cached(client, flagged, page):
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    response = client.get(f"/areas/{COVENTRY}/{page}", _query(page))
    table = response.context["page"].tables[0]
    assert sorted(row["code"] for row in table.rows) == sorted(w.code for w in flagged)
    assert all(row["disclosure"].startswith("Unsuppressed") for row in table.rows)
    assert "no-store" in response["Cache-Control"]
    assert "Unsuppressed figures" in response.content.decode()
    download = client.get(f"/areas/{COVENTRY}/{page}/areas.csv", _query(page))
    assert "no-store" in download["Cache-Control"]


def test_other_signed_in_users_see_what_the_public_sees(client, flagged):
    client.force_login(UserFactory(roles=[Role.BOARD_MEMBER]))
    table = client.get(f"/areas/{COVENTRY}/compare", _query("compare")).context["page"].tables[0]
    assert [row["code"] for row in table.rows] == [flagged[2].code]


def test_the_note_states_the_indicators_own_rule(client, flagged):
    Indicator.objects.filter(code="SDC-1").update(suppress_counts_up_to=10, round_counts_to=1)
    body = client.get(f"/areas/{COVENTRY}/compare", _query("compare")).content.decode()
    assert "under disclosure control (small numbers (1-10 suppressed, not rounded))" in body
    assert "where a count is 1 to 10 the area" in body
    assert "rounded to the nearest" not in body
