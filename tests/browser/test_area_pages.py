import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def test_home_links_to_coventry_whose_map_and_pyramid_render(served_app, page):
    page.goto(served_app + "/")
    expect(page.get_by_role("heading", name="Health and Wellbeing Boards")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "home")

    page.get_by_role("link", name="Coventry").click()
    page.wait_for_url("**/areas/E08000026")
    page.wait_for_selector("#ward-deprivation-map[data-rendered=true] svg")
    page.wait_for_selector("#population-by-age[data-rendered=true] svg")
    # 18 wards drawn as map shapes, 19 age bands as bars.
    assert (
        page.locator("#ward-deprivation-map svg path[aria-roledescription='geoshape']").count()
        == 18
    )
    assert page.locator("#population-by-age svg path[aria-roledescription='bar']").count() == 19
    assert page.get_by_test_id("population").inner_text() == "371,521"
    # Each chart's "Save as" actions wait in a closed menu that its labelled button opens.
    actions = page.locator("#population-by-age .vega-actions")
    expect(actions).to_be_hidden()
    page.locator("#population-by-age").get_by_label(
        "Chart actions: save the chart as an image"
    ).click()
    expect(actions.get_by_text("Save as SVG")).to_be_visible()
    page.locator("#population-by-age").get_by_label(
        "Chart actions: save the chart as an image"
    ).click()
    expect(actions).to_be_hidden()
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, "area-coventry")


def test_leicester_page_is_accessible_with_its_21_wards(served_app, page):
    page.goto(served_app + "/areas/E06000016")
    page.wait_for_selector("#ward-deprivation-map[data-rendered=true] svg")
    assert (
        page.locator("#ward-deprivation-map svg path[aria-roledescription='geoshape']").count()
        == 21
    )
    # Each ward is drawn as itself: a ring wound the wrong way would fill the whole frame.
    ward_areas, city_area = page.eval_on_selector_all(
        "#ward-deprivation-map svg path[aria-roledescription='geoshape']",
        """paths => {
            const boxes = paths.map(p => p.getBBox());
            const left = Math.min(...boxes.map(b => b.x)), top = Math.min(...boxes.map(b => b.y));
            const right = Math.max(...boxes.map(b => b.x + b.width));
            const bottom = Math.max(...boxes.map(b => b.y + b.height));
            return [boxes.map(b => b.width * b.height), (right - left) * (bottom - top)];
        }""",
    )
    assert max(ward_areas) < city_area / 4
    page.get_by_text("Table of deprivation by ward").click()
    assert page.locator("table").first.locator("tbody tr").count() == 21
    assert page.errors == []
    assert axe_violations(page) == []
    screenshot(page, "area-leicester")


def test_unknown_area_gives_a_styled_not_found_page(served_app, page):
    response = page.goto(served_app + "/areas/E99999999")
    assert response.status == 404
    assert "E99999999" in page.get_by_test_id("error-message").inner_text()
    assert axe_violations(page) == []


def test_static_files_are_served_by_the_app_itself(served_app, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served_app + "/areas/E08000026")
    page.wait_for_selector("#population-by-age[data-rendered=true] svg")
    foreign = [url for url in requests if not url.startswith(served_app)]
    assert foreign == []
