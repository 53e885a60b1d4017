"""Places and routes that analysts define: a named place (a neighbourhood, a locality, a
primary care network's patch) made of wards, LSOAs or postcodes, or a route (an ordered list of
wards, like Coventry's bus route). Saved, versioned, with history, and publishable: a published
place has a public page at a shareable address."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from healthgap.areas.models import Area
from healthgap.publishing.models import Publishable, Versioned


class PlaceKind(models.TextChoices):
    PLACE = "place", "Place"
    ROUTE = "route", "Route"


class MemberType(models.TextChoices):
    WARDS = "wards", "Wards"
    LSOAS = "lsoas", "LSOAs"
    POSTCODES = "postcodes", "Postcodes"


class Place(Publishable, Versioned):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=5, choices=PlaceKind.choices, default=PlaceKind.PLACE)
    city = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The local authority the place lies in (a route's wards all do).",
    )
    description = models.TextField(blank=True)
    member_type = models.CharField(max_length=10, choices=MemberType.choices)
    members = models.TextField(
        help_text="What the analyst entered: ward or LSOA codes, or postcodes, one per line "
        "(a route's wards in order)."
    )
    area_codes = models.JSONField(
        default=list,
        help_text="The wards (route stops, in order) or LSOAs the place is made of, as checked.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:place", args=[self.pk])

    @property
    def is_route(self) -> bool:
        return self.kind == PlaceKind.ROUTE
