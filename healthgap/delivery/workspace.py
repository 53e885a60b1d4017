"""The delivery plan's part of the workspace home: "my work" for the signed-in user."""

from django.utils import timezone

from healthgap.delivery.models import Milestone, MilestoneStatus, Programme


def programmes_i_lead(user) -> list[dict]:
    """The programmes ``user`` leads, drafts too, as links for the workspace's "my work"."""
    programmes = Programme.private_objects.filter(lead=user).order_by("name")
    return [
        {"name": p.name, "url": p.get_absolute_url(), "status": p.get_status_display()}
        for p in programmes
    ]


def milestones_i_own(user) -> list[dict]:
    """The milestones ``user`` owns that are not done, soonest due first, overdue ones flagged."""
    today = timezone.localdate()
    milestones = (
        Milestone.objects.filter(owner=user)
        .exclude(status=MilestoneStatus.DONE)
        .select_related("programme")
        .order_by("due_date")
    )
    return [
        {
            "name": f"{m.title} ({m.programme.name})",
            "url": m.programme.get_absolute_url(),
            "status": "Overdue" if m.is_overdue_on(today) else f"Due {m.due_date:%-d %B %Y}",
        }
        for m in milestones
    ]
