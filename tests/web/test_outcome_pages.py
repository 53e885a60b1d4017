"""Maps, inequalities, premature mortality, and the links that reach every outcome page."""

import re
from collections import deque

import pytest

from healthgap.demo.synthetic import DECILE_TYPE
from healthgap.web.outcomes import BUILDERS
from healthgap.web.pages.mortality import gap_to_top_quartile

pytestmark = pytest.mark.django_db


def test_ward_map_is_coloured_against_the_city_with_a_keyboard_list(client):
    response = client.get("/areas/E08000026/map?indicator=SYN-LE-WARD")
    page = response.context["page"]
    assert page.filter_values()["geography"] == "ward"
    features = page.charts["map"].spec["data"]["values"]["features"]
    assert len(features) == 18
    assert {f["properties"]["category"] for f in features} <= {"Better", "Similar", "Worse"}
    body = response.content.decode()
    assert 'data-focus-chart="indicator-map"' in body
    assert body.count("data-details=") == 18


def test_map_uses_few_queries(client, settings, django_assert_max_num_queries):
    """Uncached: the area, its wards, MSOAs, LSOAs and authority groups (5), indicators, the
    chosen indicator's points, which geographies have data, the values (benchmark included) and
    the boundaries: one query each, whatever the number of areas; and, the synthetic indicator
    being under disclosure control, all its values and their areas (2); and whether ONS deaths
    are published for the area (the navigation offers closing the gap only then)."""
    settings.PAGE_CACHE = False
    with django_assert_max_num_queries(14):
        response = client.get("/areas/E08000026/map?indicator=SYN-LE-WARD")
    assert response.status_code == 200


def test_map_by_quintile_of_upper_tier_authorities(client, indicators):
    page = client.get("/areas/E08000026/map?indicator=T1&colour=quintile").context["page"]
    assert page.filter_values()["geography"] == "region"
    categories = {row["category"] for row in page.tables[0].rows}
    assert categories <= {"Lowest", "Low", "Middle", "High", "Highest"}


def test_inequalities_draw_the_slope_index_and_the_ward_gap(client):
    response = client.get("/areas/E06000016/inequalities")
    page = response.context["page"]
    assert page.synthetic
    deciles = page.table("deciles").rows
    assert len(deciles) == 10 and deciles[0]["decile"].startswith("1")
    assert 0 < deciles[0]["position"] < deciles[-1]["position"] < 1
    # Built from record-level deaths: the public sees them rounded to 5 (disclosure control).
    assert all(row["deaths"] % 5 == 0 for row in deciles)
    slope = page.context["slope"]
    assert slope["lower"] < slope["sii"] < slope["upper"]
    line = page.charts["deciles"].spec["layer"][-1]["data"]["values"]
    assert line[1]["value"] - line[0]["value"] == pytest.approx(slope["sii"], abs=0.01)
    gap = page.context["gap"]
    route = page.table("route").rows
    assert gap["gap"] == round(max(r["value"] for r in route) - min(r["value"] for r in route), 1)
    body = response.content.decode()
    assert body.count("govuk-tag--orange") >= 3 and "synthetic" in body


def test_decile_breakdown_is_stored_with_its_category(client):
    from healthgap.indicators.models import IndicatorValue

    assert IndicatorValue.objects.filter(category_type=DECILE_TYPE).count() == 20


def test_gap_to_top_quartile_in_deaths():
    rows = [
        {"code": code, "rank": i + 1, "value": value, "quartile": q, "colour": "x"}
        for i, (code, value, q) in enumerate([("A", 100, 1), ("B", 120, 1), ("C", 150, 2)])
    ]

    class Place:
        code = "C"

    import healthgap.web.pages.mortality as mortality

    original = mortality.under_75_population
    mortality.under_75_population = lambda area: 200_000
    try:
        summary = gap_to_top_quartile(rows, Place())
    finally:
        mortality.under_75_population = original
    assert summary["threshold"] == 120 and summary["gap"] == 30
    assert summary["deaths"] == 60  # 30 per 100,000 x 200,000


def test_premature_mortality_ranks_upper_tier_authorities(client, indicators):
    from healthgap.indicators.models import Indicator

    Indicator.objects.filter(code="93721").delete()
    from tests.web.conftest import make_indicator

    make_indicator("93721", "Under 75 mortality", "Mortality", "low", 150, periods=[2020])
    response = client.get("/areas/E08000026/premature-mortality", {"indicator": "93721"})
    page = response.context["page"]
    rows = page.table("ranking").rows
    assert [r["value"] for r in rows] == sorted(r["value"] for r in rows)
    summary = page.context["summary"]
    assert summary["quartile"] == "Highest 25% of authorities" and summary["deaths"] > 0
    assert "deaths a year" in response.content.decode()


@pytest.mark.parametrize("page", list(BUILDERS))
def test_every_outcome_page_is_linked_from_home_and_area_pages(client, page):
    assert f'href="/areas/E08000026/{page}"' in client.get("/areas/E08000026").content.decode()
    assert f'href="/areas/E06000016/{page}"' in client.get("/").content.decode()


def test_every_link_on_the_outcome_pages_resolves(client):
    # Breadth first from the two demo cities, so their outcome pages come before the 80 pages run
    # out, whatever order a page lists its links in.
    seen, queue = set(), deque(["/areas/E08000026", "/areas/E06000016", "/"])
    while queue and len(seen) < 80:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            for link in re.findall(r'href="(/areas/[^"#]*)"', response.content.decode()):
                queue.append(link.replace("&amp;", "&"))
    assert any("/inequalities" in url for url in seen)


def test_compare_within_nearest_neighbours_shows_exactly_that_group(client):
    from healthgap.indicators.models import ComparatorGroup, IndicatorValue

    group = ComparatorGroup.objects.get(area_id="E08000026", kind=ComparatorGroup.Kind.NEAREST)
    members = set(group.members.values_list("area_id", flat=True)) | {"E08000026"}
    body = client.get(
        "/areas/E08000026/compare.json", {"group": "nearest", "indicator": "93721"}
    ).json()
    shown = {row["code"] for row in body["tables"]["areas"]}
    filters = body["filters"]
    with_values = set(
        IndicatorValue.objects.filter(
            indicator_id="93721", area_id__in=members, period__label=filters["period"],
            sex=filters["sex"], age=filters["age"], category="", value__isnull=False,
        ).values_list("area_id", flat=True)
    )  # fmt: skip
    assert filters["group"] == "nearest"
    assert "E08000026" in shown and len(shown) > 5
    assert shown == with_values


def test_premature_mortality_ranks_every_upper_tier_authority_on_ons_deaths(client):
    """Under-75 mortality from all causes, 2014, computed from ONS deaths and population, covers
    every upper-tier authority of 2014 (Fingertips' 150: City of London is counted with Hackney
    and the Isles of Scilly with Cornwall), counties included."""
    response = client.get("/areas/E08000026/premature-mortality", {"indicator": "108"})
    page = response.context["page"]
    codes = {row["code"] for row in page.table("ranking").rows}
    assert len(codes) == page.context["coverage"]["ranked"]
    assert {"E10000007", "E10000019", "E10000027"} <= codes  # Derbyshire, Lincolnshire, Somerset
    assert len(codes - {"E09000001", "E06000053"}) == 150
    assert page.context["coverage"]["missing_counties"] == []
    assert "This ranking covers" in response.content.decode()


def test_preventable_mortality_ranking_names_the_counties_it_cannot_rank(client):
    response = client.get("/areas/E08000026/premature-mortality", {"indicator": "93721"})
    coverage = response.context["page"].context["coverage"]
    assert "Derbyshire" in coverage["missing_counties"]
    assert coverage["ranked"] < 150
    assert "whose source gives only their districts" in response.content.decode()


def test_the_header_search_box_starts_empty_on_a_page_with_filters(client, indicators):
    # Outcome pages keep their filters in "query" for their download links; the header's search
    # box must not show that query string as a search term.
    response = client.get("/areas/E08000026/compare", {"group": "nearest"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "group=nearest" in html
    assert 'id="search-header" name="q" type="search" value=""' in html
