"""The area profile: one row per indicator, spine charts, filters and downloads."""

import csv
import io

import pytest

from healthgap.web.pages.profile import spine_positions, spread_of

pytestmark = pytest.mark.django_db


def test_spine_puts_the_worst_on_the_left_for_low_is_good():
    spread = [10, 20, 30, 40, 50]
    positions = spine_positions(40, 30, 25, spread_of(spread), "low")
    assert positions["worst"] == -1 and positions["best"] == 1
    assert positions["area"] == -0.5  # higher than England is worse: left of centre
    assert positions["region"] == 0.25
    high = spine_positions(40, 30, 25, spread_of(spread), "high")
    assert high["area"] == 0.5


def test_spine_needs_more_than_three_values():
    assert spread_of([1, 2, 3]) is None
    assert spine_positions(1, 2, 3, None, "low") == {}


def test_profile_has_a_row_per_indicator_grouped_by_domain(client, indicators):
    response = client.get("/areas/E08000026/profile")
    assert response.status_code == 200
    sections = response.context["page"].context["sections"]
    domains = [section["domain"] for section in sections]
    assert "Mortality" in domains and "Prevention" in domains
    mortality = next(s for s in sections if s["domain"] == "Mortality")
    row = mortality["table"].rows[0]
    assert row["period"] == "2020"
    assert row["compared_to_england"] in ("Worse", "Worse 99.8%", "Not compared")
    assert row["england"] == 300.0
    spec = mortality["chart"].spec
    assert spec["layer"][-1]["mark"]["type"] == "circle"
    assert spec["data"]["values"][0]["area"] < 0  # worse than England: left of centre


def test_profile_filters_by_domain_and_period(client, indicators):
    body = client.get("/areas/E08000026/profile.json?domain=Prevention&period=2016").json()
    rows = body["tables"]["indicators"]
    assert {row["domain"] for row in rows} == {"Prevention"}
    assert {row["period"] for row in rows} == {"2016"}
    assert body["filters"]["domain"] == "Prevention"


def test_profile_download_is_what_the_page_shows(client, indicators):
    query = "?domain=Mortality"
    shown = client.get("/areas/E08000026/profile.json" + query).json()["tables"]["indicators"]
    text = client.get("/areas/E08000026/profile/indicators.csv" + query).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Indicator"] for row in rows] == [row["name"] for row in shown]
    assert rows[0]["Value"] == str(shown[0]["value"])


def test_profile_page_uses_few_queries(client, indicators, django_assert_max_num_queries):
    """Uncached: data stamp (2), area, its values, their indicators, one query for every
    England, region and authority value behind the spines, and whether ONS deaths are published
    for it (the navigation offers closing the gap only then); cached: the stamp at most."""
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(7):
        client.get("/areas/E08000026/profile")
    with django_assert_max_num_queries(2):
        client.get("/areas/E08000026/profile")


def test_page_cache_can_be_turned_off(client, indicators, settings, django_assert_num_queries):
    """HEALTHGAP_PAGE_CACHE=0 (settings.PAGE_CACHE): every request is built from the database,
    with no data stamp to read."""
    settings.PAGE_CACHE = False
    for _ in range(2):
        with django_assert_num_queries(5):
            response = client.get("/areas/E08000026/profile")
        assert response.status_code == 200


def test_html_numbers_are_formatted_and_downloads_raw(client, db):
    from tests.web.conftest import make_indicator

    make_indicator("T9", "Test admissions", "Mortality", "low", 3000, periods=[2020])
    html = client.get("/areas/E08000026/profile").content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/areas/E08000026/profile/indicators.csv").content.decode())
        )
    )
    row = next(row for row in rows if row["Indicator"] == "Test admissions")
    count, value = int(row["Count"]), float(row["Value"])
    assert count >= 1000 and "," not in row["Count"]  # raw in the download
    assert f">{count:,}</td>" in html  # "12,600" in the page
    assert f">{value:,.1f}</td>" in html
    assert f">{count}.0<" not in html and f">{count}<" not in html


def test_counts_are_whole_numbers_in_downloads(client, indicators):
    body = client.get("/areas/E08000026/profile.json").json()["tables"]["indicators"]
    assert all(isinstance(row["count"], int) for row in body if row["count"] is not None)


def test_trends_show_the_area_england_and_region_over_time(client, indicators):
    response = client.get("/areas/E08000026/trends?indicator=T1")
    assert response.status_code == 200
    rows = response.context["page"].tables[0].rows
    assert [row["period"] for row in rows] == [str(year) for year in range(2015, 2021)]
    assert all(row["england"] == 300.0 for row in rows)
    series = {
        point["series"] for point in response.context["page"].charts["trend"].spec["data"]["values"]
    }
    assert series == {"Coventry", "England", "West Midlands"}
    assert "Recent trend" in response.content.decode()


def test_compare_ranks_the_region_with_significance_against_england(client, indicators):
    response = client.get("/areas/E08000026/compare?indicator=T1&group=region&level=99.8")
    page = response.context["page"]
    rows = page.tables[0].rows
    values = [row["value"] for row in rows]
    assert values == sorted(values, reverse=True)
    coventry = next(row for row in rows if row["code"] == "E08000026")
    assert coventry["highlight"] and coventry["colour"] == "Worse"
    assert page.context["benchmark"] == 300.0
    assert page.filter_values()["level"] == "99.8"


def test_compare_wards_uses_the_city_as_benchmark(client):
    page = client.get("/areas/E08000026/compare?indicator=SYN-LE-WARD").context["page"]
    assert page.filter_values()["group"] == "wards"
    assert len(page.tables[0].rows) == 18
    assert page.context["benchmark_label"] == "Coventry"
    assert page.synthetic
    assert (
        "synthetic" in client.get("/areas/E08000026/compare?indicator=SYN-LE-WARD").content.decode()
    )
