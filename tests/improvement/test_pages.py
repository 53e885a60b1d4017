"""The improvement pages: peer reviewers see only their own challenge (403 elsewhere), the
challenge manager records the visit and findings, the letter as HTML and as a PDF read back with
pdftotext, a board officer turns a recommendation into an action seen on the follow-up view; bad
input refused with what was typed kept."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from healthgap.improvement import services
from healthgap.improvement.models import ImprovementAction

pytestmark = pytest.mark.django_db


def _pages(challenge, recommendation=None):
    pages = [
        reverse("improvement:challenge", args=[challenge.pk]),
        reverse("improvement:letter", args=[challenge.pk]),
        reverse("improvement:follow_up", args=[challenge.pk]),
        reverse("improvement:progress_review", args=[challenge.pk]),
        reverse("improvement:visit_edit", args=[challenge.pk]),
    ]
    if recommendation:
        pages.append(reverse("improvement:recommendation", args=[recommendation.pk]))
    return pages


def test_a_peer_reviewer_sees_only_their_own_challenge(client, people, challenge, other_challenge):
    recommendation = services.add_recommendation(other_challenge, "Plan", True, people["analyst"])
    client.force_login(people["manager"])
    for url in _pages(challenge):
        assert client.get(url).status_code == 200, url
    for url in _pages(other_challenge, recommendation):
        assert client.get(url).status_code == 403, url
    listed = client.get(reverse("improvement:challenges")).content.decode()
    assert challenge.title in listed and other_challenge.title not in listed
    assert client.get(reverse("improvement:frameworks")).status_code == 403


def test_a_board_member_reads_but_cannot_record_the_visit(client, people, challenge):
    client.force_login(people["member"])
    assert client.get(reverse("improvement:challenge", args=[challenge.pk])).status_code == 200
    assert client.get(reverse("improvement:visit_edit", args=[challenge.pk])).status_code == 403


def test_the_manager_records_the_visit_and_the_letter_says_it(client, people, challenge):
    client.force_login(people["manager"])
    visit = {
        "visit_start": "2014-03-11",
        "visit_end": "2014-03-14",
        "sessions_held": 31,
        "councillors_met": 7,
        "staff_met": 26,
        "partner_organisations_met": 38,
        "documents_read": "Joint health and wellbeing strategy",
        "version": challenge.version,
    }
    response = client.post(reverse("improvement:visit_edit", args=[challenge.pk]), visit)
    assert response.status_code == 302
    question = challenge.framework.questions.first()
    finding = {"heading": f"q{question.pk}", "kind": "strength", "text": "Shared ambition"}
    client.post(reverse("improvement:finding_add", args=[challenge.pk]), finding)
    client.post(
        reverse("improvement:recommendation_add", args=[challenge.pk]),
        {"text": "Build a delivery plan with targets", "essential": "on"},
    )
    letter = client.get(reverse("improvement:letter", args=[challenge.pk])).content.decode()
    assert "The team of 1 peer held 31 sessions and met 7 councillors, 26 staff and 38 " in letter
    assert "Shared ambition" in letter and "Build a delivery plan with targets" in letter


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_letter_pdf_reads_back_in_the_usual_order(client, people, challenge, tmp_path):
    challenge.sessions_held, challenge.staff_met = 12, 9
    challenge.headline_messages = "A strong shared ambition"
    challenge.save()
    services.add_recommendation(
        challenge, "Publish progress each quarter", False, people["manager"]
    )
    services.add_recommendation(challenge, "Build a delivery plan", True, people["manager"])
    client.force_login(people["manager"])
    response = client.get(reverse("improvement:letter_pdf", args=[challenge.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    order = [
        "Scope and focus",
        "held 12 sessions and met 0 councillors, 9 staff",
        "1. Headline messages",
        "A strong shared ambition",
        "Recommendations",
        "Build a delivery plan",
        "Publish progress each quarter",
        "Next steps",
    ]
    positions = [text.find(phrase) for phrase in order]
    assert -1 not in positions, (order, text)
    assert positions == sorted(positions)


def test_an_action_without_an_owner_is_refused_and_the_text_kept(client, people, challenge):
    recommendation = services.add_recommendation(challenge, "Plan", True, people["manager"])
    client.force_login(people["officer"])
    url = reverse("improvement:recommendation", args=[recommendation.pk])
    response = client.post(url, {"title": "Write the plan", "owner": "", "due_date": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert not ImprovementAction.objects.filter(recommendation=recommendation).exists()
    assert "Choose who owns the action" in page and "Enter the date the action is due" in page
    assert 'value="Write the plan"' in page


def test_a_board_officer_turns_a_recommendation_into_an_action(client, people, challenge):
    recommendation = services.add_recommendation(challenge, "Plan", True, people["manager"])
    client.force_login(people["officer"])
    url = reverse("improvement:recommendation", args=[recommendation.pk])
    due = dt.date.today() + dt.timedelta(days=30)
    fields = {"title": "Write the plan", "owner": people["officer"].pk, "due_date": due}
    assert client.post(url, fields).status_code == 302
    action = ImprovementAction.objects.get(recommendation=recommendation)
    update = {"status": "done", "text": "Agreed at the board", "evidence": "Minutes"}
    assert client.post(reverse("improvement:action", args=[action.pk]), update).status_code == 302
    follow_up = client.get(reverse("improvement:follow_up", args=[challenge.pk])).content.decode()
    assert "Write the plan" in follow_up and "Agreed at the board" in follow_up
    assert "<strong>Done</strong>" in follow_up


def test_a_rating_outside_the_scale_is_refused_on_the_page(client, people, challenge):
    question = challenge.framework.questions.first()
    client.force_login(people["officer"])
    url = reverse("improvement:assess", args=[challenge.pk, question.pk])
    response = client.post(url, {"rating": "7", "narrative": "Our own words"})
    page = response.content.decode()
    assert response.status_code == 200 and "Give a rating from 1 to 5" in page
    assert "Our own words" in page
