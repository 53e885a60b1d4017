"""The board's part of the workspace home: the signed-in user's board actions for "my work"."""

from django.utils import timezone

from healthgap.board.models import ActionStatus


def my_board_actions(user) -> tuple[list[dict], list[dict]]:
    """(overdue, other open) actions the user owns, as links to their meetings."""
    today = timezone.localdate()
    open_actions = user.board_actions.filter(status=ActionStatus.OPEN).select_related("meeting")
    overdue, owned = [], []
    for action in open_actions.order_by("due_date"):
        entry = {
            "title": str(action),
            "url": action.meeting.get_absolute_url(),
            "due": action.due_date,
        }
        (overdue if action.due_date < today else owned).append(entry)
    return overdue, owned
