"""The delivery plan's part of the workspace home: "my work" for the signed-in user."""

from healthgap.delivery.models import Programme


def programmes_i_lead(user) -> list[dict]:
    """The programmes ``user`` leads, drafts too, as links for the workspace's "my work"."""
    programmes = Programme.private_objects.filter(lead=user).order_by("name")
    return [
        {"name": p.name, "url": p.get_absolute_url(), "status": p.get_status_display()}
        for p in programmes
    ]
