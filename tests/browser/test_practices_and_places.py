"""GP practices, places and routes in a real browser (issue 12): the practice profile, the
funnel plot (each point a link), case finding, admissions growth, an analyst defining a route
(and being told about a ward of another city), and the published place and route pages, each
checked with axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser
PEOPLE = [("amina", "Amina Khan", ("Analyst",))]
B2M3M = "E38000251"


@pytest.fixture(scope="module")
def analyst(browser, sign_in):
    return sign_in(browser, PEOPLE)["amina"]


def _clean(page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert page.errors == [], name
    screenshot(page, name)


def test_practice_profile(served_app, page):
    page.goto(f"{served_app}/practices/")
    page.get_by_text("Practices of NHS Coventry and Warwickshire ICB - B2M3M").click()
    page.get_by_role("link", name="Allesley Park Medical Centre").click()
    page.wait_for_url("**/practices/*")
    summary = page.get_by_test_id("practice-summary").inner_text()
    assert "Primary care network" in summary and "Integrated care board" in summary
    assert page.locator("table[data-table=indicators] tbody tr").count() > 10
    expect(page.get_by_test_id("synthetic-notice")).to_be_visible()
    page.wait_for_selector("#practice-age-sex[data-rendered=true] svg")
    expect(page.get_by_test_id("example-notice")).to_be_visible()  # the demo's age-sex lists
    _clean(page, "practice-profile")


def test_funnel_points_open_their_practice(served_app, page):
    page.goto(f"{served_app}/areas/{B2M3M}/practice-funnel")
    page.wait_for_selector("#practice-funnel[data-rendered=true] svg")
    assert "outside the 95% limits" in page.get_by_test_id("outlier-count").inner_text()
    _clean(page, "practice-funnel")
    page.get_by_label("Adjust for overdispersion").select_option("yes")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**overdispersion=yes**")
    page.wait_for_selector("#practice-funnel[data-rendered=true] svg")
    assert "phi" in page.get_by_test_id("overdispersion").inner_text()
    _clean(page, "practice-funnel-overdispersed")
    page.locator("#practice-funnel svg path[aria-roledescription=circle]").first.click()
    page.wait_for_url("**/practices/*")
    expect(page.get_by_test_id("practice-summary")).to_be_visible()


def test_case_finding_and_admissions_growth(served_app, page):
    page.goto(f"{served_app}/areas/E08000026/case-finding")
    page.wait_for_selector("#case-finding-funnel[data-rendered=true] svg")
    assert "may be missing" in page.get_by_test_id("case-finding-summary").inner_text()
    _clean(page, "case-finding")
    page.goto(f"{served_app}/areas/E08000026/admissions-growth")
    page.wait_for_selector("#admissions-growth[data-rendered=true] svg")
    assert "against a cluster average of" in page.get_by_test_id("growth-headline").inner_text()
    expect(page.get_by_test_id("synthetic-notice")).to_be_visible()
    _clean(page, "admissions-growth")


def test_an_analyst_defines_a_route(served_app, analyst):
    page = analyst()
    page.goto(f"{served_app}/workspace/places/new")
    page.get_by_label("Name", exact=True).fill("Route 21")
    page.get_by_label("Place or route").select_option("route")
    page.get_by_label("Local authority").select_option("E08000026")
    page.get_by_label("Made of").select_option("wards")
    page.get_by_label("Members", exact=True).fill("E05001232\nE05010458")
    page.get_by_role("button", name="Save").click()
    assert (
        "is a ward of Leicester, not Coventry" in page.locator(".govuk-error-summary").inner_text()
    )
    _clean(page, "place-form-error")
    page.get_by_label("Members", exact=True).fill("E05001232\nE05001228\nE05001235")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/workspace/places/*")
    page.wait_for_selector("#route-female[data-rendered=true] svg")
    page.wait_for_selector("#place-map[data-rendered=true] svg")
    assert "at the last stop than at the first" in page.get_by_test_id("route-gaps").inner_text()
    _clean(page, "route-workspace")
    page.get_by_role("button", name="Publish").click()
    public = page.get_by_test_id("share").get_by_role("link").get_attribute("href")
    page.goto(public)
    page.wait_for_selector("#route-male[data-rendered=true] svg")
    _clean(page, "route-public")
    page.context.close()


def test_published_example_place(served_app, page):
    page.goto(f"{served_app}/places/")
    page.get_by_role("link", name="Example: Highfields, Leicester (from postcodes)").click()
    page.wait_for_selector("#place-map[data-rendered=true] svg")
    assert page.locator("table[data-table=indicators] tbody tr").count() >= 5
    _clean(page, "place-public")


MODEL_CSV = (
    b"condition,age_band,sex,prevalence\n"
    b"DM,17-39,Male,2.1\nDM,17-39,Female,1.8\nDM,40-64,Male,9.5\nDM,40-64,Female,7.0\n"
    b"DM,65+,Male,20.3\nDM,65+,Female,15.6\n"
)


def test_an_analyst_uploads_a_modelled_prevalence_for_case_finding(served_app, analyst):
    from playwright.sync_api import expect

    page = analyst()
    page.goto(f"{served_app}/workspace/practices/prevalence/new")
    page.get_by_label("Name", exact=True).fill("Example diabetes model")
    bad = MODEL_CSV + b"DM,60-70,Persons,9\nDM,17-39,Nobody,2\n"
    upload = page.get_by_label("CSV file")
    upload.set_input_files(files=[{"name": "model.csv", "mimeType": "text/csv", "buffer": bad}])
    page.get_by_role("button", name="Upload").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("model.csv, row 9, column 'sex'")
    _clean(page, "modelled-prevalence-error")
    good = {"name": "model.csv", "mimeType": "text/csv", "buffer": MODEL_CSV}
    page.get_by_label("CSV file").set_input_files(files=[good])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/workspace/practices/prevalence/")
    expect(page.get_by_test_id("modelled-prevalence")).to_contain_text("Example diabetes model")
    _clean(page, "modelled-prevalence-list")
    page.goto(f"{served_app}/areas/E08000026/case-finding?indicator=qof_DM")
    page.get_by_label("Reference prevalence").select_option(
        label="Example diabetes model (modelled, by age and sex)"
    )
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**reference=model-**")
    expect(page.get_by_test_id("case-finding-basis")).to_contain_text("Example diabetes model")
    expect(page.get_by_test_id("age-sex-basis")).to_be_visible()
    expect(page.get_by_test_id("example-notice")).to_be_visible()  # the demo's age-sex lists
    page.wait_for_selector("#case-finding-points[data-rendered=true] svg")
    expect(page.get_by_test_id("approximate-places")).to_be_visible()
    _clean(page, "case-finding-modelled")
    page.context.close()


def test_admissions_growth_of_the_integrated_care_boards(served_app, page):
    from playwright.sync_api import expect

    page.goto(f"{served_app}/areas/E08000026/admissions-growth")
    page.get_by_label("Compare", exact=True).select_option("icb")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**level=icb**")
    page.wait_for_selector("#admissions-growth[data-rendered=true] svg")
    headline = page.get_by_test_id("growth-headline")
    expect(headline).to_contain_text("Coventry and Warwickshire")
    expect(headline).to_contain_text("against a cluster average of")
    _clean(page, "admissions-growth-icb")
