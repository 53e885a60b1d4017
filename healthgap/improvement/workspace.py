"""The improvement app's part of the workspace home: "my work" for the signed-in user."""

from healthgap.improvement.models import ActionStatus, Challenge, ImprovementAction


def my_challenges(user) -> list[dict]:
    """The peer challenges whose team names ``user``, or that ``user`` manages."""
    challenges = Challenge.private_objects.filter(team__user=user) | (
        Challenge.private_objects.filter(lead=user)
    )
    return [
        {"name": c.title, "url": c.get_absolute_url(), "status": c.get_publication_state_display()}
        for c in challenges.distinct().order_by("title")
    ]


def my_open_actions(user) -> list[dict]:
    """Improvement actions ``user`` owns that are not yet done or dropped."""
    actions = ImprovementAction.objects.filter(owner=user).exclude(
        status__in=[ActionStatus.DONE, ActionStatus.DROPPED]
    )
    return [
        {
            "name": a.title,
            "url": a.get_absolute_url(),
            "status": a.get_status_display(),
            "due": a.due_date,
        }
        for a in actions.order_by("due_date")
    ]
