"""Closing the gap in a real browser for both demo cities: every chart renders, the target
filter changes the figures, the downloads hold what the tables show, and axe finds nothing."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser
CHARTS = ["avert-chart", "gap-age-chart", "gap-sex-age-chart", "trajectory-chart",
          "gap-cause-chart", "gap-deprivation-age-chart", "ward-chart", "gap-sex-cause-chart",
          "ward-gap-chart", "ward-gap-age-chart", "ward-gap-cause-chart"]  # fmt: skip


@pytest.mark.parametrize("code", ["E08000026", "E06000016"])
def test_every_view_renders_for_each_city_and_axe_is_clean(served_app, page, code):
    page.goto(f"{served_app}/areas/{code}")
    page.get_by_role("link", name="Closing the gap").first.click()
    page.wait_for_url("**/closing-the-gap")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart}[data-rendered=true] svg")
    expect(page.get_by_test_id("synthetic-notice")).to_be_visible()
    expect(page.get_by_test_id("local-summary")).to_contain_text("gap of")
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, f"closing-the-gap-{code}")


def test_target_filter_and_ward_download(served_app, page):
    page.goto(f"{served_app}/areas/E08000026/closing-the-gap")
    page.wait_for_selector("#avert-chart[data-rendered=true] svg")
    england = page.get_by_test_id("gap-summary").inner_text()
    page.get_by_label("Target", exact=True).select_option("top-quartile")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**target=top-quartile**")
    page.wait_for_selector("#avert-chart[data-rendered=true] svg")
    assert page.get_by_test_id("gap-summary").inner_text() != england
    assert axe_violations(page) == []
    link = page.locator("a[href*='/closing-the-gap/wards.csv']").first.get_attribute("href")
    response = page.request.get(page.evaluate("h => new URL(h, location.href).href", link))
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == page.locator("table[data-table=wards] tbody tr").count() > 0


def test_ward_and_trajectory_filters(served_app, page):
    """Choosing a ward redraws its gap with the city; a later goal year lengthens the path."""
    page.goto(f"{served_app}/areas/E06000016/closing-the-gap")
    page.wait_for_selector("#ward-gap-age-chart[data-rendered=true] svg")
    first = page.get_by_test_id("ward-gap-age-text").inner_text()
    ward = page.locator("table[data-table=ward_life_expectancy] tbody tr").last
    code = ward.locator("th, td").nth(1).text_content().strip()  # the table is folded away
    name = page.locator(f"#filter-ward option[value={code}]").text_content().strip()
    page.get_by_label("Ward against the city", exact=True).select_option(code)
    page.get_by_label("Reach the target by", exact=True).select_option("2030")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**goal=2030**")
    page.wait_for_selector("#trajectory-chart[data-rendered=true] svg")
    expect(page.get_by_test_id("ward-gap-age-text")).to_contain_text(name)
    assert page.get_by_test_id("ward-gap-age-text").inner_text() != first
    expect(page.locator("table[data-table=trajectory] tbody tr")).to_have_count(17)
    assert axe_violations(page) == []
