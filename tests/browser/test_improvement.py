"""Peer challenge in a real browser against the served demo: the challenge manager records the
visit and findings and downloads the letter (its PDF read back with pdftotext); a board officer
turns a recommendation into an action and sees it on the follow-up view; a peer reviewer cannot
open another board's challenge. Every page is accessible (axe)."""

import shutil
import subprocess

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

# The demo's users (HEALTHGAP_DEMO=1): each city's peer reviewer manages its example challenge.
PEOPLE = [
    ("coventry.peer-reviewer", "Robin Clarke", ("Peer reviewer",)),
    ("coventry.board-officer", "Olu Ade", ("Board officer",)),
    ("leicester.peer-reviewer", "Pat Other", ("Peer reviewer",)),
]
CHALLENGE_IDS = """
import json
from healthgap.improvement.models import Challenge
print(json.dumps({c.area_id: c.pk for c in Challenge.private_objects.filter(is_example=True)}))
"""


@pytest.fixture(scope="module")
def challenges(served_app, served_shell, people):
    ids = served_shell(CHALLENGE_IDS)
    return {
        city: f"{served_app}/workspace/improvement/{ids[code]}"
        for city, code in (("coventry", "E08000026"), ("leicester", "E06000016"))
    }


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_manager_records_the_visit_and_findings_and_gets_the_letter(
    people, challenges, tmp_path
):
    manager = people["coventry.peer-reviewer"]()
    manager.goto(challenges["coventry"])
    assert_accessible(manager, "improvement-challenge")
    manager.get_by_role("link", name="Record the visit").click()
    assert_accessible(manager, "improvement-visit")
    manager.get_by_label("Sessions held").fill("33")
    manager.get_by_label("Councillors met").fill("8")
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_url(challenges["coventry"])
    assert (
        "held 33 sessions and met 8 councillors"
        in manager.get_by_test_id("visit-in-words").inner_text()
    )

    manager.get_by_role("link", name="Add a finding").click()
    manager.get_by_label("Kind").select_option(label="Area for further consideration")
    manager.get_by_label("Finding").fill("Partners would welcome a shared outcomes dashboard.")
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_url(challenges["coventry"])

    manager.get_by_role("link", name="The letter").click()
    assert_accessible(manager, "improvement-letter")
    pdf = manager.request.get(challenges["coventry"] + "/letter.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "The team of 5 peers held 33 sessions and met 8 councillors" in text
    assert "Partners would welcome a shared outcomes dashboard." in text
    assert (
        text.index("Headline messages") < text.index("Recommendations") < text.index("Next steps")
    )
    manager.context.close()


def test_a_board_officer_turns_a_recommendation_into_an_action(people, challenges):
    officer = people["coventry.board-officer"]()
    officer.goto(challenges["coventry"] + "/follow-up")
    officer.get_by_role("link", name="Recommendation 3: actions").click()
    assert_accessible(officer, "improvement-recommendation")
    officer.get_by_label("Title").fill("Agree a strategic forward plan for board agendas")
    officer.get_by_label("Owner").select_option(label="Olu Ade")
    officer.get_by_label("Due date").fill("2027-03-31")
    officer.get_by_role("button", name="Add the action").click()
    assert "The action is added" in officer.get_by_test_id("message").inner_text()
    officer.goto(challenges["coventry"] + "/follow-up")
    assert_accessible(officer, "improvement-follow-up")
    body = officer.locator("main").inner_text()
    assert "Agree a strategic forward plan for board agendas" in body
    officer.context.close()


def test_a_peer_reviewer_cannot_see_another_boards_challenge(people, challenges):
    reviewer = people["leicester.peer-reviewer"]()
    assert reviewer.goto(challenges["leicester"]).status == 200
    assert reviewer.goto(challenges["coventry"]).status == 403
    assert reviewer.goto(challenges["coventry"] + "/letter.pdf").status == 403
    reviewer.context.close()
