"""Example places and routes for the demo, published so that the public pages have something
to show; each is named "Example" so no one takes it for the board's own."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.places.models import Place
from healthgap.places.services import PlaceDefinition, resolve_members
from healthgap.publishing import services as publishing

# A route across Coventry from the west to the east, through the city centre.
COVENTRY_ROUTE = ["E05001232", "E05001233", "E05001229", "E05001228", "E05001226", "E05001235"]
# A handful of postcodes around Leicester's Highfields (Spinney Hills ward).
LEICESTER_POSTCODES = ["LE2 0FA", "LE2 0FG", "LE2 0EE", "LE5 4HN", "LE5 5AJ"]
EXAMPLES = [
    ("Example: bus route across Coventry, west to east", "route", "E08000026", "wards",
     COVENTRY_ROUTE, "An example route for the demo: Westwood to Wyken through the centre."),
    ("Example: Highfields, Leicester (from postcodes)", "place", "E06000016", "postcodes",
     LEICESTER_POSTCODES, "An example place for the demo, made of the LSOAs of five postcodes."),
]  # fmt: skip


def load_example_places() -> int:
    """Create and publish each example once (loading the demo again changes nothing)."""
    for name, kind, city, member_type, members, description in EXAMPLES:
        if Place.private_objects.filter(name=name).exists():
            continue
        definition = PlaceDefinition(
            name, kind, Area.objects.get(code=city), member_type, "\n".join(members), description
        )
        place = Place(
            name=name, kind=kind, city=definition.city, member_type=member_type,
            members=definition.members, description=description,
            area_codes=resolve_members(definition),
        )  # fmt: skip
        publishing.create(place, None)
        publishing.publish(place, None)
    return Place.public_objects.filter(name__startswith="Example:").count()
