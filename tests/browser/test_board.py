"""Board governance in a real browser against the served demo: a board officer reads the agenda
balance chart and the membership review, records attendance, adds an agenda item and a
declaration; a board member reads but has no forms; the public sees published meetings only;
every new page is accessible (axe)."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PEOPLE = [
    ("olu", "Olu Adeyemi", ("Board officer",)),
    ("dev", "Dev Patel", ("Board member",)),
]
FIND = """
import json
from django.utils import timezone
from healthgap.board.models import Committee, Meeting
board = Committee.objects.get(name="Coventry Health and Wellbeing Board")
held = Meeting.private_objects.filter(committee=board, starts_at__lt=timezone.now()).last()
print(json.dumps({"board": board.pk, "meeting": held.pk}))
"""


def test_the_landing_page_shows_the_balance_chart_and_membership_review(served_app, people, ids):
    page = people["olu"]()
    page.goto(f"{served_app}/workspace/board/{ids['board']}/")
    page.locator("#agenda-balance svg, #agenda-balance canvas").first.wait_for()
    assert "example" in page.get_by_test_id("example-notice").inner_text()
    assert "NHS operational" in page.locator("[data-table=themes]").inner_text()
    gaps = page.get_by_test_id("membership-gaps").inner_text()
    # The example board has no director of children's services and no NHS provider.
    assert "No director of children's services (s.194(2)(c))." in gaps
    assert "NHS provider" in gaps
    assert_accessible(page, "board-home")
    page.context.close()


def test_an_officer_records_attendance_an_item_and_a_declaration(served_app, people, ids):
    page = people["olu"]()
    page.goto(f"{served_app}/workspace/board/meetings/{ids['meeting']}")
    assert_accessible(page, "board-meeting")
    page.get_by_label("Member").select_option(label="H. Example (Coventry)")
    page.get_by_label("Status").select_option("apologies")
    page.get_by_label("Substitute").fill("J. Deputy")
    page.get_by_role("button", name="Record attendance").click()
    assert "Attendance recorded" in page.get_by_test_id("message").inner_text()
    assert "J. Deputy" in page.get_by_test_id("attendance").inner_text()

    page.get_by_label("Number").fill("9")
    page.get_by_label("Title").fill("Homelessness and health")
    page.get_by_role("button", name="Add the item").click()
    assert "Choose the item's theme" in page.get_by_test_id("error-summary").inner_text()
    assert_accessible(page, "board-meeting-error")
    page.get_by_label("Theme").select_option("wider_determinants")
    page.get_by_label("Item type").select_option("discussion")
    page.get_by_role("button", name="Add the item").click()
    page.get_by_role("link", name="9. Homelessness and health").click()
    assert_accessible(page, "board-item")
    page.get_by_label("Member").select_option(label="H. Example (Coventry)")
    page.get_by_label("Description").fill("Trustee of a housing charity")
    page.get_by_role("button", name="Record the declaration").click()
    assert "Trustee of a housing charity" in page.get_by_test_id("declarations").inner_text()
    page.context.close()


def test_a_board_member_reads_without_forms_and_the_public_sees_published(
    served_app, people, ids, page
):
    member = people["dev"]()
    member.goto(f"{served_app}/workspace/board/meetings/{ids['meeting']}")
    assert member.get_by_role("button", name="Record attendance").count() == 0
    member.context.close()
    page.goto(f"{served_app}/meetings/")
    page.get_by_role("link").filter(has_text="Coventry Health and Wellbeing Board").first.click()
    assert page.get_by_test_id("agenda").inner_text()
    assert_accessible(page, "public-meeting")


def test_the_register_action_log_and_forward_plan_pages_are_accessible(served_app, people, ids):
    page = people["olu"]()
    page.goto(f"{served_app}/workspace/board/{ids['board']}/")
    page.locator("a[href*='/workspace/board/members/']").first.click()
    assert "Register of interests" in page.locator("h1").inner_text()
    assert_accessible(page, "board-member-register")
    page.goto(f"{served_app}/workspace/board/{ids['board']}/actions")
    assert page.get_by_test_id("action").count() >= 6
    assert_accessible(page, "board-action-log")
    page.goto(f"{served_app}/workspace/board/{ids['board']}/meetings/new")
    page.get_by_label("Date and time").fill("2020-01-01T14:00")
    page.get_by_role("button", name="Add to the forward plan").click()
    assert "is in the past" in page.get_by_test_id("error-summary").inner_text()
    assert_accessible(page, "board-plan-meeting-error")
    page.context.close()
