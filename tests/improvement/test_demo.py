"""The demo's example peer challenges: one per demo board, labelled example, loaded once; with
the demo users, each city's peer reviewer manages its own challenge and its board officer owns
the example actions."""

import pytest
from django.urls import reverse

from healthgap.accounts.demo import create_demo_users
from healthgap.demo.improvement import load_peer_challenges
from healthgap.improvement.models import Challenge, Finding, ImprovementAction, Recommendation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]


def _counts():
    return [m.objects.count() for m in (Finding, Recommendation, ImprovementAction)] + [
        Challenge.private_objects.count()
    ]


def test_each_demo_board_has_one_example_challenge_and_loading_again_changes_nothing():
    examples = Challenge.private_objects.filter(is_example=True)
    assert sorted(c.area_id for c in examples) == ["E06000016", "E08000026"]
    assert all(c.is_published for c in examples)  # so the public pages show the letters
    before = _counts()
    assert load_peer_challenges() == 2
    assert _counts() == before


def test_with_the_demo_users_each_peer_reviewer_sees_only_their_citys_challenge(client):
    create_demo_users()
    Challenge.private_objects.filter(is_example=True).delete()
    load_peer_challenges()
    coventry = Challenge.private_objects.get(area_id="E08000026")
    leicester = Challenge.private_objects.get(area_id="E06000016")
    assert coventry.lead.username == "coventry.peer-reviewer"
    assert ImprovementAction.objects.filter(owner__username="coventry.board-officer").exists()
    client.force_login(coventry.lead)
    page = client.get(coventry.get_absolute_url()).content.decode()
    assert "example" in page and "The team held 31 sessions" in page
    assert client.get(leicester.get_absolute_url()).status_code == 403
    assert client.get(reverse("improvement:letter_pdf", args=[leicester.pk])).status_code == 403
