"""The knowledge hub's part of the workspace home: the documents the user owns, those past
their review date flagged."""

from healthgap.knowledge.models import Document
from healthgap.knowledge.review import documents_due_for_review


def documents_i_own(user) -> dict[str, list[dict]]:
    """``{"owned": [...], "overdue": [...]}`` as links; overdue ones are past their review."""
    owned = Document.private_objects.filter(owner=user).order_by("title")
    due = documents_due_for_review(Document.private_objects, owner=user)
    return {
        "owned": [_link(d) for d in owned],
        "overdue": [_link(d) for d in due],
    }


def _link(document: Document) -> dict:
    return {
        "title": document.title,
        "url": document.get_absolute_url(),
        "due": document.review_on,
        "status": document.get_publication_state_display(),
    }
