"""The delivery plan in a real browser against the served app, on the example plans: a programme
lead updates a milestone and finds the change in its history; an analyst sets a target and sees
its trajectory and judgement; a board member produces the performance report and its PDF's text
(pdftotext) holds every priority and the SVG charts' text; an analyst publishes a report, which
a visitor then finds from the public programmes page, reads and downloads, until it is
withdrawn. The example plans show a mix of judgements. Every new page is axe clean."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PEOPLE = [
    ("amina", "Amina Khan", ("Analyst",)),
    ("ben", "Ben Okafor", ("Programme lead",)),
    ("dev", "Dev Patel", ("Board member",)),
]
EXAMPLE_PLAN = """
import json
from django.contrib.auth.models import User
from healthgap.demo.delivery import CLOSING_THE_GAP, load_demo_plans
from healthgap.delivery.models import OutcomeMeasure, Programme, Strategy
from healthgap.publishing import services
load_demo_plans(lambda *_: None)
strategy = Strategy.private_objects.get(name=CLOSING_THE_GAP)
programme = Programme.private_objects.get(name="Health checks in the community")
programme.lead = User.objects.get(username="ben")
services.save_versioned(programme, User.objects.get(username="amina"), programme.version)
measure = OutcomeMeasure.objects.get(priority__strategy=strategy, indicator_id="91112")
priorities = list(strategy.priorities.values_list("name", flat=True))
print(json.dumps({"strategy": strategy.pk, "programme": programme.pk, "measure": measure.pk,
                  "priorities": priorities}))
"""


@pytest.fixture(scope="module")
def plan(served_shell, people):
    return served_shell(EXAMPLE_PLAN)


def test_a_programme_lead_updates_a_milestone_and_sees_it_in_the_history(served_app, people, plan):
    ben = people["ben"]()
    ben.goto(f"{served_app}/workspace/programmes/{plan['programme']}")
    assert_accessible(ben, "delivery-programme")
    ben.get_by_role("link", name="Update Checks offered in 20 mosques and temples").click()
    assert_accessible(ben, "delivery-milestone-edit")
    ben.get_by_label("Status").select_option(label="Done")
    ben.get_by_role("button", name="Save").click()
    assert "is saved" in ben.get_by_test_id("message").inner_text()
    assert "Done" in ben.get_by_test_id("milestones").inner_text()
    ben.get_by_role("link", name="History of Checks offered in 20 mosques and temples").click()
    history = ben.get_by_test_id("history").inner_text()
    assert "Ben Okafor" in history and "Done" in history
    assert_accessible(ben, "delivery-milestone-history")
    ben.context.close()


def test_an_analyst_sets_a_target_and_sees_its_trajectory_and_judgement(served_app, people, plan):
    amina = people["amina"]()
    amina.goto(f"{served_app}/workspace/strategies/")
    assert_accessible(amina, "delivery-strategies")
    amina.goto(f"{served_app}/workspace/strategies/measures/{plan['measure']}")
    amina.get_by_role("link", name="Set the target").click()
    assert_accessible(amina, "delivery-target")
    amina.get_by_label("Target value or percentage change").fill("55")
    amina.get_by_label("Target date").fill("2027-03-31")
    amina.get_by_role("button", name="Set the target").click()
    assert "55.0 by 31 March 2027" in amina.get_by_test_id("target").inner_text()
    assert amina.get_by_test_id("trajectory").locator("tbody tr").count() == 9  # quarters
    judgement = amina.get_by_test_id("judgement").inner_text()
    assert "Not enough data" in judgement and "has no confidence interval" in judgement
    amina.locator(".hg-chart svg, .hg-chart canvas").first.wait_for()
    assert_accessible(amina, "delivery-measure")
    amina.context.close()


def test_a_board_member_produces_the_pdf_report(served_app, people, plan, tmp_path):
    dev = people["dev"]()
    dev.goto(f"{served_app}/workspace/strategies/{plan['strategy']}")
    assert_accessible(dev, "delivery-strategy")
    dev.get_by_role("button", name="Produce the board performance report").click()
    dev.get_by_test_id("pdf-link").wait_for()
    assert_accessible(dev, "delivery-report")
    pdf = dev.request.get(served_app + dev.get_by_test_id("pdf-link").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed: run `make browser` (poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for priority in plan["priorities"]:
        assert priority in text
    assert "End of period" in text  # an axis title drawn inside the SVG charts
    dev.context.close()


def test_the_example_plan_shows_a_mix_of_judgements(served_app, people, plan):
    dev = people["dev"]()
    dev.goto(f"{served_app}/workspace/strategies/{plan['strategy']}")
    text = dev.locator("main").inner_text()
    for status in ("On track", "Off track", "Cannot be distinguished"):
        expect(dev.locator("main")).to_contain_text(status, ignore_case=True)
    assert "synthetic" in text
    dev.context.close()


def test_a_published_report_is_public_until_withdrawn(served_app, people, plan, page):
    amina = people["amina"]()
    amina.goto(f"{served_app}/workspace/strategies/{plan['strategy']}")
    amina.get_by_role("button", name="Produce the board performance report").click()
    amina.get_by_role("button", name="Publish").click()
    expect(amina.get_by_test_id("public-link")).to_be_visible()
    public_url = amina.get_by_test_id("public-link").get_attribute("href")

    page.goto(f"{served_app}/programmes/")
    page.get_by_test_id("reports-link").click()
    assert_accessible(page, "public-reports")
    page.locator(f'a[href="{public_url}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Closing the Gap")
    assert_accessible(page, "public-report")
    pdf = page.request.get(served_app + page.get_by_test_id("pdf-link").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"

    amina.get_by_label("Why are you withdrawing it?").fill("Replaced by a corrected report.")
    amina.get_by_role("button", name="Withdraw").click()
    expect(amina.get_by_test_id("message")).to_contain_text("withdrawn")
    assert page.goto(served_app + public_url).status == 404
    page.goto(f"{served_app}/programmes/reports/")
    expect(page.locator(f'a[href="{public_url}"]')).to_have_count(0)
    amina.context.close()
