"""Each outcome page type in a real browser: it renders, its filters change the chart, its
downloads hold the data shown, it works from the keyboard, and axe-core finds no violations."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser
COVENTRY = "/areas/E08000026"


def _rendered(page, chart_id: str):
    page.wait_for_selector(f"#{chart_id}[data-rendered=true] svg")


def _check_clean(page, name: str):
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, name)


def _csv_rows(page, link_text: str) -> list[dict]:
    href = page.get_by_role("link", name=link_text).first.get_attribute("href")
    response = page.request.get(page.evaluate("h => new URL(h, location.href).href", href))
    assert response.ok
    return list(csv.DictReader(io.StringIO(response.text())))


def test_profile_spines_render_and_the_domain_filter_changes_them(served_app, page):
    page.goto(served_app + COVENTRY)
    page.get_by_role("link", name="Health profile").first.click()
    page.wait_for_url("**/profile")
    _rendered(page, "spine-0")
    all_sections = page.locator("[data-spec-id^=spine-]").count()
    assert all_sections > 1
    _check_clean(page, "profile")

    page.get_by_label("Domain").select_option("Life expectancy and mortality")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**domain=Life+expectancy+and+mortality**")
    _rendered(page, "spine-0")
    assert page.locator("[data-spec-id^=spine-]").count() == 1
    circles = page.locator("#spine-0 svg path[aria-roledescription='circle']").count()
    table_rows = page.locator("table[data-table=indicators] tbody tr").count()
    assert circles == table_rows > 0
    rows = _csv_rows(page, "CSV")
    assert len(rows) == table_rows
    assert {row["Domain"] for row in rows} == {"Life expectancy and mortality"}


def test_compare_areas_level_filter_and_download(served_app, page):
    page.goto(served_app + COVENTRY + "/compare?indicator=93721&sex=Persons")
    _rendered(page, "compare-chart")
    bars = page.locator("#compare-chart svg path[aria-roledescription='bar']").count()
    assert bars >= 10
    page.get_by_label("Confidence level").select_option("99.8")
    page.get_by_label("Compare with").select_option("england")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**level=99.8**")
    _rendered(page, "compare-chart")
    more_bars = page.locator("#compare-chart svg path[aria-roledescription='bar']").count()
    assert more_bars > bars
    rows = _csv_rows(page, "CSV")
    assert len(rows) == more_bars
    assert "Coventry" in {row["Area"] for row in rows}
    _check_clean(page, "compare")


def test_trends_show_the_recent_trend(served_app, page):
    page.goto(served_app + COVENTRY + "/trends?indicator=93721&sex=Persons")
    _rendered(page, "trend-chart")
    assert "Recent trend:" in page.get_by_test_id("recent-trend").inner_text()
    page.get_by_text("Table:").click()
    shown = page.locator("table[data-table=trend] tbody tr").count()
    assert len(_csv_rows(page, "CSV")) == shown >= 5
    _check_clean(page, "trends")


def test_map_can_be_explored_from_the_keyboard(served_app, page):
    page.goto(served_app + COVENTRY + "/map?indicator=SYN-LE-WARD")
    _rendered(page, "indicator-map")
    assert page.locator("#indicator-map svg path[aria-roledescription='geoshape']").count() == 18
    expect(page.get_by_test_id("synthetic-notice")).to_be_visible()
    select = page.get_by_label("Choose an area to outline it")
    select.focus()
    page.keyboard.press("ArrowDown")
    details = page.get_by_test_id("map-details")
    details.wait_for(state="visible")
    assert "years" in details.inner_text() and "compared with Coventry" in details.inner_text()
    _check_clean(page, "map-wards")


def test_upper_tier_map_by_quintile(served_app, page):
    page.goto(served_app + COVENTRY + "/map?indicator=93721&geography=england&colour=quintile")
    _rendered(page, "indicator-map")
    assert page.locator("#indicator-map svg path[aria-roledescription='geoshape']").count() > 100
    _check_clean(page, "map-england")


def test_inequalities_are_labelled_synthetic(served_app, page):
    page.goto(served_app + "/areas/E06000016/inequalities")
    for chart in ("decile-chart", "route-chart", "breakdown-chart"):
        _rendered(page, chart)
    expect(page.get_by_test_id("synthetic-notice")).to_be_visible()
    assert "years" in page.get_by_test_id("sii").inner_text()
    assert "Gap between the best and worst ward" in page.get_by_test_id("ward-gap").inner_text()
    _check_clean(page, "inequalities")


def test_premature_mortality_ranking(served_app, page):
    page.goto(served_app + COVENTRY + "/premature-mortality")
    _rendered(page, "ranking-chart")
    assert page.get_by_test_id("deaths").inner_text().startswith("about")
    _check_clean(page, "premature-mortality")


def test_filters_work_from_the_keyboard(served_app, page):
    page.goto(served_app + COVENTRY + "/compare?indicator=93721")
    _rendered(page, "compare-chart")
    page.get_by_label("Compare with").focus()
    page.keyboard.press("ArrowDown")  # the next group
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Apply filters":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**group=**")
    _rendered(page, "compare-chart")
    assert page.errors == []


PHONE_PAGES = {
    "profile": COVENTRY + "/profile",
    "compare": COVENTRY + "/compare?indicator=93721&sex=Persons",
    "trends": COVENTRY + "/trends?indicator=93721&sex=Persons",
    "map-wards": COVENTRY + "/map?indicator=SYN-LE-WARD",
    "inequalities": "/areas/E06000016/inequalities",
    "premature-mortality": COVENTRY + "/premature-mortality",
}


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_pages_fit_a_phone_screen(served_app, browser, name):
    """At 390px wide nothing overflows the page sideways (wide tables scroll in their own
    region), every chart is drawn within the screen at its natural size (not shrunk to fit), and
    axe-core finds no violations."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(served_app + PHONE_PAGES[name])
        page.wait_for_function(
            "[...document.querySelectorAll('[data-spec-id]')]"
            ".every(chart => chart.dataset.rendered === 'true')"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        charts = page.evaluate(
            """[...document.querySelectorAll('.hg-chart svg')].map(svg => {
                const box = svg.getBoundingClientRect();
                return [svg.closest('.hg-chart').id, box.left, box.right,
                        box.width / svg.width.baseVal.value];
            })"""
        )
        assert charts
        for chart, left, right, scale in charts:
            assert left >= 0 and right <= 390, chart
            assert scale > 0.99, f"{chart} is shrunk to {scale:.0%}"
        assert axe_violations(page) == []
        screenshot(page, f"{name}-phone")
    finally:
        context.close()
