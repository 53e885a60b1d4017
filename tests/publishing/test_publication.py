"""Publication states through the services: managers, publish, withdraw (reason required),
history in words and the public page cache."""

import pytest
from django.db import models

from healthgap.constants import Role
from healthgap.delivery.models import Programme
from healthgap.publishing import services
from healthgap.publishing.cache import publication_stamp
from healthgap.publishing.history import item_history
from healthgap.publishing.models import PublicationState
from tests.publishing.people import person, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


def test_publishable_models_have_no_objects_manager_and_a_private_default():
    assert not hasattr(Programme, "objects")
    assert Programme._meta.default_manager.name == "private_objects"
    assert isinstance(Programme.public_objects, models.Manager)


def test_public_objects_hold_published_items_only(analyst):
    draft = programme(analyst, name="Draft")
    published = services.publish(programme(analyst, name="Published"), analyst)
    withdrawn = services.publish(programme(analyst, name="Withdrawn"), analyst)
    services.withdraw(withdrawn, analyst, "Merged into another programme")

    mine = {"Draft", "Published", "Withdrawn"}  # the demo may hold programmes of its own
    assert list(Programme.public_objects.filter(name__in=mine)) == [published]
    assert set(Programme.private_objects.filter(name__in=mine)) == {draft, published, withdrawn}


def test_publish_records_who_and_when_and_raises_the_version(analyst):
    item = programme(analyst)
    services.publish(item, analyst)
    item.refresh_from_db()
    assert item.publication_state == PublicationState.PUBLISHED
    assert item.published_by == analyst and item.published_at is not None
    assert item.version == 2
    with pytest.raises(services.PublicationError, match="already published"):
        services.publish(item, analyst)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_withdraw_needs_a_reason(analyst, reason):
    item = services.publish(programme(analyst), analyst)
    with pytest.raises(services.PublicationError, match="reason"):
        services.withdraw(item, analyst, reason)
    item.refresh_from_db()
    assert item.publication_state == PublicationState.PUBLISHED


def test_only_a_published_item_can_be_withdrawn(analyst):
    with pytest.raises(services.PublicationError, match="Only a published"):
        services.withdraw(programme(analyst), analyst, "Not needed")


def test_withdraw_keeps_who_when_and_why_and_history_says_so(analyst):
    item = services.publish(programme(analyst), analyst)
    services.withdraw(item, analyst, "  Replaced by the tobacco control plan ")
    item.refresh_from_db()
    assert item.withdrawn_by == analyst and item.withdrawn_at is not None
    assert item.withdrawn_reason == "Replaced by the tobacco control plan"

    sentences = [entry.sentences[0] for entry in item_history(item)]
    assert sentences[0].startswith(
        "Amina Khan withdrew this programme (reason: Replaced by the tobacco control plan) on "
    )
    assert sentences[1].startswith("Amina Khan published this programme on ")
    assert sentences[2].startswith("Amina Khan created this programme on ")


def test_publish_and_withdraw_change_the_publication_stamp_after_commit(
    analyst, django_capture_on_commit_callbacks
):
    item = programme(analyst)
    before = publication_stamp()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publish(item, analyst)
    after_publish = publication_stamp()
    assert len(callbacks) == 1 and after_publish != before

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(item, analyst, "Finished")
    assert publication_stamp() not in (before, after_publish)


def test_an_edit_renews_the_publication_stamp_only_when_the_public_can_see_it(
    analyst, django_capture_on_commit_callbacks
):
    draft, public = programme(analyst), services.publish(programme(analyst), analyst)
    before = publication_stamp()
    draft.summary = public.summary = "A new summary"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_versioned(draft, analyst, draft.version)
    assert publication_stamp() == before
    with django_capture_on_commit_callbacks(execute=True):
        services.save_versioned(public, analyst, public.version)
    assert publication_stamp() != before
