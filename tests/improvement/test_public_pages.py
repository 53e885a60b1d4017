"""The public pages of peer challenges: a published challenge's letter and the board's progress
on its recommendations (with .json and .csv twins), nothing of a draft, linked from the home
page."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from healthgap.delivery.models import Programme
from healthgap.improvement import services
from healthgap.improvement.models import ActionStatus, FindingKind
from healthgap.publishing import services as publishing

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people, challenge):
    """The challenge with a finding, two recommendations (one acted on) and published."""
    manager, officer = people["manager"], people["officer"]
    question = challenge.framework.questions.get(number=2)
    strength = "Leaders own the plan."
    services.add_finding(challenge, manager, FindingKind.STRENGTH, strength, question)
    acted = services.add_recommendation(challenge, "Review the sub-groups.", True, manager)
    services.add_recommendation(challenge, "Publish the forward plan.", False, manager)
    draft_programme = publishing.create(
        Programme(name="Draft governance programme", summary="Not yet public."), officer
    )
    action = services.add_action(
        acted,
        officer,
        title="Agree new terms of reference",
        owner=officer,
        due_date=dt.date(2015, 3, 31),
        programme=draft_programme,
    )
    services.record_progress(
        action, officer, ActionStatus.DONE, "Agreed by the board.", "Minutes of 3 March 2015"
    )
    return publishing.publish(challenge, people["analyst"])


def test_a_draft_challenge_is_not_on_the_public_site(client, challenge):
    assert challenge.title not in client.get(reverse("public_peer_challenges")).content.decode()
    for name in ("public_peer_challenge", "public_peer_challenge_progress"):
        assert client.get(reverse(name, args=[challenge.pk])).status_code == 404
    twin = reverse("public_peer_challenge_progress_format", args=[challenge.pk, "json"])
    assert client.get(twin).json() == {
        "ok": False,
        "status": 404,
        "error": "There is no published peer challenge with this number.",
    }


def test_the_published_letter_is_public_and_linked_from_the_home_page(client, published):
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("public_peer_challenges") in home
    listing = client.get(reverse("public_peer_challenges_format", args=["json"])).json()
    assert [row["title"] for row in listing["tables"]["challenges"]] == [published.title]
    letter = client.get(reverse("public_peer_challenge", args=[published.pk])).content.decode()
    assert "Leaders own the plan." in letter and "Review the sub-groups." in letter
    assert "essential" in letter


def test_progress_twins_give_each_action_and_hide_a_draft_programme(client, published):
    url = reverse("public_peer_challenge_progress_format", args=[published.pk, "csv"])
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    assert [(r["No."], r["Action"], r["Status"], r["Progress"]) for r in rows] == [
        ("1", "Agree new terms of reference", "Done", "Done"),
        ("2", "", "", "No action yet"),
    ]
    assert rows[0]["Evidence"] == "Minutes of 3 March 2015"
    assert rows[0]["Programme"] == ""  # a draft programme is not named in public
    page = client.get(reverse("public_peer_challenge_progress", args=[published.pk]))
    assert "Draft governance programme" not in page.content.decode()
    json_url = reverse("public_peer_challenge_progress_format", args=[published.pk, "json"])
    table = client.get(json_url).json()["tables"]["progress"]
    assert table[0]["latest_update"] == "Agreed by the board."
