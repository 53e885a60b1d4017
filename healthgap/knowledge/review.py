"""Documents past their review date: flagged in their owner's "my work" and listed for all."""

from __future__ import annotations

from django.utils import timezone

from healthgap.publishing.models import PublicationState


def documents_due_for_review(documents, owner=None):
    """Documents (not withdrawn) whose review date has passed, oldest first; ``owner`` narrows
    them to one person's."""
    due = documents.filter(review_on__lt=timezone.localdate()).exclude(
        publication_state=PublicationState.WITHDRAWN
    )
    if owner is not None:
        due = due.filter(owner=owner)
    return due.select_related("owner").order_by("review_on", "title")
