"""Places and routes in the workspace home: "my work" for the signed-in user."""

from healthgap.places.models import Place


def places_i_defined(user) -> list[dict]:
    """The places and routes ``user`` defined, drafts too, as links."""
    places = Place.private_objects.filter(created_by=user).order_by("name")
    return [
        {"name": p.name, "url": p.get_absolute_url(), "status": p.get_publication_state_display()}
        for p in places
    ]
