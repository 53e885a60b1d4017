"""The governance forms in a real browser against the served demo: a board officer adds and
edits a member with the s.194(2) check beside the form, adds a sub-group, withdraws a published
meeting; the challenge manager adds, edits and removes a visit session and edits a finding; the
public reads a published peer-challenge letter and the board's progress. Every new page is
accessible (axe), its error state too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PEOPLE = [
    ("olu", "Olu Adeyemi", ("Board officer",)),
    ("coventry.peer-reviewer", "Robin Clarke", ("Peer reviewer",)),
]
FIND = """
import json
from healthgap.board.models import Committee, Meeting
from healthgap.improvement.models import Challenge
board = Committee.objects.get(name="Coventry Health and Wellbeing Board")
leicester = Committee.objects.get(name="Leicester Health and Wellbeing Board")
oldest = Meeting.public_objects.filter(committee=leicester).order_by("starts_at").first()
challenge = Challenge.private_objects.get(is_example=True, area_id="E08000026")
print(json.dumps({"board": board.pk, "published_meeting": oldest.pk, "challenge": challenge.pk}))
"""


def test_an_officer_adds_a_member_against_the_statutory_check_then_edits_them(
    served_app, people, ids
):
    page = people["olu"]()
    page.goto(f"{served_app}/workspace/board/{ids['board']}/")
    page.get_by_role("link", name="Add a member").click()
    check = page.get_by_test_id("membership-check")
    assert "No director of children's services (s.194(2)(c))." in check.inner_text()
    assert_accessible(page, "board-member-new")
    page.get_by_role("button", name="Add the member").click()
    assert "Enter the member's name" in page.get_by_test_id("error-summary").inner_text()
    assert_accessible(page, "board-member-new-error")
    page.get_by_label("Name", exact=True).fill("Jo Example")
    page.get_by_label("Role", exact=True).fill("Director of Children's Services")
    page.get_by_label("Statutory place (s.194(2))").select_option(
        label="Director of children's services"
    )
    page.get_by_label("Organisation").select_option(index=1)
    page.get_by_label("Start date").fill("2025-04-01")
    page.get_by_role("button", name="Add the member").click()
    assert "Jo Example is added" in page.get_by_test_id("message").inner_text()
    gaps = page.get_by_test_id("membership-gaps").inner_text()
    assert "children's services" not in gaps

    page.get_by_role("link", name="Edit Jo Example's membership").click()
    assert_accessible(page, "board-member-edit")
    page.get_by_label("Role", exact=True).fill("Strategic Director for Children")
    page.get_by_role("button", name="Save").click()
    assert "membership is saved" in page.get_by_test_id("message").inner_text()
    page.context.close()


def test_an_officer_adds_a_sub_group_that_must_report_to_a_board(served_app, people, ids):
    page = people["olu"]()
    page.goto(f"{served_app}/workspace/board/")
    page.get_by_role("link", name="Add a board or sub-group").click()
    expect(page.get_by_label("Name", exact=True)).to_be_visible()
    assert_accessible(page, "board-committee-new")
    page.get_by_label("Name", exact=True).fill("Tobacco control alliance")
    page.get_by_label("Kind").select_option(label="Sub-group")
    page.get_by_role("button", name="Add").click()
    summary = page.get_by_test_id("error-summary").inner_text()
    assert "Choose the board this sub-group reports to." in summary
    assert_accessible(page, "board-committee-new-error")
    page.get_by_label("Reports to").select_option(label="Coventry Health and Wellbeing Board")
    page.get_by_role("button", name="Add").click()
    assert "“Tobacco control alliance” is added" in page.get_by_test_id("message").inner_text()
    page.context.close()


def test_an_officer_withdraws_a_published_meeting_with_a_reason(served_app, people, ids, page):
    public_url = f"{served_app}/meetings/{ids['published_meeting']}"
    assert page.goto(public_url).status == 200
    officer = people["olu"]()
    officer.goto(f"{served_app}/workspace/board/meetings/{ids['published_meeting']}")
    officer.get_by_text("Withdraw this meeting from the public site").click()
    assert_accessible(officer, "board-meeting-withdraw")
    officer.get_by_role("button", name="Withdraw", exact=True).click()
    assert "Give the reason" in officer.get_by_test_id("message").inner_text()
    officer.get_by_text("Withdraw this meeting from the public site").click()
    officer.get_by_label("Why are you withdrawing it?").fill("The minutes named a resident.")
    officer.get_by_role("button", name="Withdraw", exact=True).click()
    assert "The meeting is withdrawn" in officer.get_by_test_id("message").inner_text()
    assert "named a resident" in officer.get_by_test_id("withdrawn-reason").inner_text()
    officer.context.close()
    assert page.goto(public_url).status == 404


def test_the_manager_keeps_the_timetable_and_rewords_a_finding(served_app, people, ids):
    challenge_url = f"{served_app}/workspace/improvement/{ids['challenge']}"
    manager = people["coventry.peer-reviewer"]()
    manager.goto(challenge_url)
    manager.get_by_role("link", name="Add a session").click()
    manager.get_by_label("Day").fill("2014-03-12")
    manager.get_by_label("Starts at").fill("09:30")
    manager.get_by_label("Title").fill("Ward walk")
    manager.get_by_label("Group").select_option(label="Observation or visit")
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_url(challenge_url)

    manager.get_by_role("link", name="Edit the session “Ward walk”").click()
    assert_accessible(manager, "improvement-session-edit")
    manager.get_by_label("Title").fill("Ward walk in Foleshill")
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_url(challenge_url)

    manager.locator("a[href*='/findings/'][href$='/edit']").first.click()
    assert_accessible(manager, "improvement-finding-edit")
    manager.get_by_label("Finding").fill("Partners trust the board's leadership.")
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_url(challenge_url)
    assert "Partners trust the board's leadership." in manager.locator("main").inner_text()

    manager.get_by_role("link", name="Remove the session “Ward walk in Foleshill”").click()
    assert_accessible(manager, "improvement-session-remove")
    manager.get_by_role("button", name="Remove the session").click()
    assert "is removed" in manager.get_by_test_id("message").inner_text()
    timetable = manager.locator("table", has_text="Timetable").inner_text()
    assert "Ward walk in Foleshill" not in timetable
    manager.context.close()


def test_the_public_reads_a_published_letter_and_the_progress_since(served_app, page):
    page.goto(served_app + "/")
    page.get_by_test_id("governance-links").get_by_role("link", name="peer challenges").click()
    assert_accessible(page, "public-peer-challenges")
    page.get_by_role("link").filter(has_text="Coventry health and wellbeing peer challenge").click()
    assert "example" in page.get_by_test_id("example-notice").inner_text()
    listed = page.get_by_test_id("recommendations").locator("li").count()
    assert listed >= 1
    assert_accessible(page, "public-peer-challenge-letter")
    page.get_by_role("link", name="What the board has done about the recommendations").click()
    recommendations = page.locator("[data-table=progress] tbody tr")
    expect(recommendations.first).to_be_visible()
    assert recommendations.count() >= listed  # one row per action, or per recommendation
    assert_accessible(page, "public-peer-challenge-progress")
    csv = page.request.get(page.url + ".csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text().startswith("No.,Recommendation,Essential,Progress")
