"""The outcome-page HTML cache serves only the public; signed-in pages are never stored."""

import pytest
from django.core.cache import cache

from healthgap.constants import Role
from healthgap.web.outcomes import cache_key
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
PROFILE = "/areas/E08000026/profile"


def html_cache_key() -> str:
    return cache_key(PROFILE, "", {}) + ":html"


def test_a_signed_in_users_outcome_page_is_built_fresh_and_never_stored(client):
    client.get(PROFILE)  # the public's copy is cached
    assert cache.get(html_cache_key()) is not None
    public_copy = cache.get(html_cache_key())

    client.force_login(UserFactory(first_name="Ada", last_name="Lovelace", roles=[Role.ANALYST]))
    response = client.get(PROFILE)
    assert "Ada Lovelace" in response.content.decode()
    assert cache.get(html_cache_key()) == public_copy  # not replaced by the signed-in page


def test_a_signed_in_visit_with_an_empty_cache_stores_nothing(client):
    client.force_login(UserFactory(roles=[Role.BOARD_MEMBER]))
    assert client.get(PROFILE).status_code == 200
    assert cache.get(html_cache_key()) is None


def test_signed_in_responses_are_private_and_not_stored(client):
    anonymous = client.get("/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    assert "Sign in" in anonymous.content.decode()
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    for url in ("/", PROFILE, "/workspace/"):
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
