"""Issue 15 in a real browser: find any area by name, postcode and postcode district and open
its profile; the definitions, compare-indicators, box-plot and England views render with axe
clean; wide tables fit a desktop screen and scroll on a phone with the first column fixed."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser
COVENTRY = "/areas/E08000026"


def _check_clean(page, name: str):
    # Nothing wider than the 1280px window: no sideways scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, name)


def _search(page, box: str, text: str):
    page.locator(f"#search-{box}").fill(text)
    page.get_by_test_id(f"search-{box}").get_by_role("button", name="Search").click()


def _open_profile(page, code: str):
    page.wait_for_url(f"**/areas/{code}")
    page.get_by_test_id("outcome-links").get_by_role("link", name="Health profile").click()
    page.wait_for_url(f"**/areas/{code}/profile")
    page.wait_for_selector("#spine-0[data-rendered=true] svg")
    assert page.errors == []


def test_find_an_area_by_name_from_the_home_page(served_app, page):
    page.goto(served_app + "/")
    assert "full demo data" in page.get_by_test_id("demo-coverage").inner_text()
    _check_clean(page, "home-search")
    _search(page, "home", "Derbyshire")
    page.wait_for_url("**/search?q=Derbyshire")
    results = page.get_by_test_id("search-results")
    expect(results.get_by_role("link", name="Derbyshire Dales", exact=True)).to_be_visible()
    _check_clean(page, "search-name")
    results.get_by_role("link", name="Derbyshire", exact=True).click()
    _open_profile(page, "E10000007")


def test_find_an_area_by_postcode_from_the_header(served_app, page):
    page.goto(served_app + "/about/data")
    _search(page, "header", "cv1 1aa")
    page.wait_for_url("**/search?q=cv1+1aa")
    results = page.get_by_test_id("search-results")
    assert "CV1 1AA is in" in results.inner_text()
    expect(results.get_by_role("link", name="St Michael's", exact=True)).to_be_visible()
    _check_clean(page, "search-postcode")
    results.get_by_role("link", name="Coventry", exact=True).click()
    _open_profile(page, "E08000026")


def test_find_an_area_by_postcode_district(served_app, page):
    page.goto(served_app + "/")
    _search(page, "home", "LE2")
    results = page.get_by_test_id("search-results")
    assert "postcode district LE2" in results.inner_text()
    results.get_by_role("link", name="Leicester", exact=True).click()
    _open_profile(page, "E06000016")


def test_definition_page_is_reached_from_a_chart_and_is_accessible(served_app, page):
    page.goto(served_app + COVENTRY + "/trends?indicator=93721")
    page.wait_for_selector("#trend-chart[data-rendered=true] svg")
    page.get_by_test_id("definitions").get_by_role("link").first.click()
    page.wait_for_url("**/indicators/93721")
    assert "Polarity" in page.get_by_test_id("indicator-metadata").inner_text()
    _check_clean(page, "indicator-definition")


def test_compare_indicators_scatter_renders_with_the_area_highlighted(served_app, page):
    page.goto(served_app + COVENTRY + "/compare-indicators")
    page.wait_for_selector("#scatter-chart[data-rendered=true] svg")
    points = page.locator("#scatter-chart svg path[aria-roledescription='circle']").count()
    assert points > 100
    assert "Pearson" in page.get_by_test_id("correlation").inner_text()
    _check_clean(page, "compare-indicators")


def test_box_plots_render(served_app, page):
    page.goto(served_app + COVENTRY + "/box-plots?indicator=93721&sex=Persons")
    page.wait_for_selector("#box-plot-chart[data-rendered=true] svg")
    assert page.locator("#box-plot-chart svg path[aria-roledescription='bar']").count() >= 5
    _check_clean(page, "box-plots")


def test_england_and_region_view_renders(served_app, page):
    page.goto(served_app + COVENTRY + "/england")
    table = page.locator("table[data-table=indicators]")
    assert table.locator("tbody tr").count() > 5
    assert "Compared with region" in table.inner_text()
    _check_clean(page, "england-and-region")


def _first_table_region(page):
    """The profile's first domain table, in its sideways-scrolling region."""
    return page.locator(".hg-table-scroll").first


def test_wide_profile_table_fits_a_desktop_screen(served_app, page):
    page.goto(served_app + COVENTRY + "/profile")
    region = _first_table_region(page)
    scroll, client = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll <= client + 1, (scroll, client)


def test_wide_profile_table_scrolls_on_a_phone_with_its_first_column_fixed(served_app, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(served_app + COVENTRY + "/profile")
        region = _first_table_region(page)
        scroll, client = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert scroll > client
        first_cell = region.locator("tbody tr").first.locator("td").first
        second_cell = region.locator("tbody tr").first.locator("td").nth(1)
        before = first_cell.bounding_box()["x"], second_cell.bounding_box()["x"]
        region.evaluate("el => { el.scrollLeft = 200; }")
        after = first_cell.bounding_box()["x"], second_cell.bounding_box()["x"]
        assert after[0] == pytest.approx(before[0], abs=1)  # the first column stays
        assert after[1] < before[1] - 100  # the others scroll
        screenshot(page, "profile-phone-table")
    finally:
        context.close()
