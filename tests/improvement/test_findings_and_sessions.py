"""Findings and visit sessions edited and removed in the workspace by the people who record the
visit: version-checked edits that keep the editor's text, the heading checked, removal asked
first and kept in the history, and no one else let in."""

import datetime as dt

import pytest
from django.urls import reverse

from healthgap.improvement import services
from healthgap.improvement.models import Finding, FindingKind, MetGroup, VisitSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(people, challenge):
    question = challenge.framework.questions.get(number=1)
    return services.add_finding(
        challenge, people["manager"], FindingKind.STRENGTH, "A shared vision.", question
    )


@pytest.fixture
def session(people, challenge):
    session = VisitSession(
        challenge=challenge,
        day=dt.date(2014, 3, 11),
        starts_at=dt.time(9, 30),
        title="Cabinet members",
        group=MetGroup.COUNCILLORS,
        people=5,
    )
    return services.add_part(session, people["manager"])


def finding_data(finding, **changes) -> dict:
    data = {"version": finding.version, "heading": f"q{finding.question_id}"}
    return {**data, "kind": finding.kind, "text": finding.text, **changes}


def test_the_manager_moves_a_finding_and_rewords_it(client, people, challenge, finding):
    client.force_login(people["manager"])
    question_3 = challenge.framework.questions.get(number=3)
    url = reverse("improvement:finding_edit", args=[finding.pk])
    data = finding_data(
        finding, heading=f"q{question_3.pk}", kind=FindingKind.CONSIDER, text="Skills gaps."
    )
    assert client.post(url, data).status_code == 302
    finding.refresh_from_db()
    assert (finding.question, finding.kind, finding.text, finding.version) == (
        question_3,
        FindingKind.CONSIDER,
        "Skills gaps.",
        2,
    )
    letter = client.get(reverse("improvement:letter", args=[challenge.pk])).content.decode()
    assert "Skills gaps." in letter and "A shared vision." not in letter


def test_a_stale_edit_of_a_finding_is_refused_keeping_the_editors_text(
    client, people, challenge, finding
):
    client.force_login(people["manager"])
    url = reverse("improvement:finding_edit", args=[finding.pk])
    client.post(url, finding_data(finding, text="First editor's words."))
    page = client.post(url, finding_data(finding, text="Second editor's words.")).content.decode()
    assert "Robin Clarke changed this finding at" in page
    assert "Second editor&#x27;s words." in page
    finding.refresh_from_db()
    assert finding.text == "First editor's words."


def test_an_empty_finding_is_refused_with_its_message(client, people, challenge, finding):
    client.force_login(people["manager"])
    url = reverse("improvement:finding_edit", args=[finding.pk])
    page = client.post(url, finding_data(finding, text="  ")).content.decode()
    assert "Enter the finding" in page
    finding.refresh_from_db()
    assert finding.text == "A shared vision."


def test_a_session_is_edited_and_a_bad_time_refused(client, people, challenge, session):
    client.force_login(people["manager"])
    url = reverse("improvement:session_edit", args=[session.pk])
    data = {
        "version": 1,
        "day": "2014-03-12",
        "starts_at": "25:00",
        "title": "Cabinet members and leader",
        "group": MetGroup.COUNCILLORS,
        "people": 6,
    }
    page = client.post(url, data).content.decode()
    assert "Enter a valid time" in page and 'value="Cabinet members and leader"' in page
    assert client.post(url, {**data, "starts_at": "10:00"}).status_code == 302
    session.refresh_from_db()
    assert (session.day, session.starts_at, session.people) == (
        dt.date(2014, 3, 12),
        dt.time(10),
        6,
    )


def test_removal_is_asked_first_and_the_history_keeps_it(client, people, challenge, session):
    client.force_login(people["manager"])
    url = reverse("improvement:session_remove", args=[session.pk])
    assert "Remove the session?" in client.get(url).content.decode()
    assert VisitSession.objects.filter(pk=session.pk).exists()
    client.post(url)
    assert not VisitSession.objects.filter(pk=session.pk).exists()
    removal = VisitSession.history.filter(id=session.pk).latest("history_date")
    assert (removal.history_type, removal.title, removal.history_user) == (
        "-",
        "Cabinet members",
        people["manager"],
    )


def test_only_those_who_record_the_visit_edit_or_remove(
    client, people, challenge, other_challenge, finding
):
    for who in ("outsider", "member", "officer"):
        client.force_login(people[who])
        assert client.get(reverse("improvement:finding_edit", args=[finding.pk])).status_code == 403
        remove = reverse("improvement:finding_remove", args=[finding.pk])
        assert client.post(remove).status_code == 403
    assert Finding.objects.filter(pk=finding.pk).exists()
