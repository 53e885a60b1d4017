"""Published places and routes in the open-data API (``Place.public_objects``): the place, the
areas it is made of, and its figures recomputed from counts and populations
(``healthgap.places.profile``), as its public page shows them.

A place's indicator figures are under disclosure control as on its public page
(``places.disclosure``); signed-in analysts see them as computed, marked as such (and never
cached).
"""

from __future__ import annotations

import logging

import pandas as pd
from django.http import Http404
from django.urls import reverse
from ninja import Path, Query, Router

from healthgap.accounts.permissions import is_analyst
from healthgap.api import schemas
from healthgap.api.common import DOWNLOADS, ERRORS, MAX_ID, Paging, answer
from healthgap.api.envelope import licensed, paged
from healthgap.constants import SECURITY_LOGGER
from healthgap.places.disclosure import published_indicators, published_mortality, records
from healthgap.places.models import Place
from healthgap.places.profile import place_figures

router = Router(tags=["places"])
security_log = logging.getLogger(SECURITY_LOGGER)


def _place(request, place: Place) -> dict:
    return {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "kind_name": place.get_kind_display(),
        "city": place.city_id,
        "city_name": place.city.name,
        "description": place.description,
        "made_of": place.member_type,
        "areas": list(place.area_codes),
        "published_at": place.published_at,
        "url": request.build_absolute_uri(reverse("api-v1:place", args=[place.pk])),
        "page_url": request.build_absolute_uri(reverse("places:public_place", args=[place.pk])),
    }


@router.get(
    "/places",
    response={200: schemas.PlacePage, **ERRORS},
    url_name="places",
    openapi_extra=DOWNLOADS,
)
def places(request, filters: Query[Paging]):
    """The published places and routes (drafts and withdrawn ones never appear)."""
    found = Place.public_objects.select_related("city").order_by("name", "pk")
    page, total = paged(found, filters.page, filters.page_size)
    rows = [_place(request, place) for place in page]
    return answer(request, "places", "Published places and routes", rows, total, filters)


def _published_indicator(row: dict) -> dict:
    keys = schemas.PlaceIndicatorOut.model_fields
    return {key: row[key] for key in keys if key != "indicator"} | {
        "indicator": row["indicator_id"]
    }


def _mortality(frame: pd.DataFrame, by_ward: bool) -> list[dict]:
    """Life expectancy and the death rate, for the whole place or (``by_ward``) each stop."""
    if frame.empty:
        return []
    return [
        {
            "ward": record["ward"] if by_ward else None,
            "measure": record["measure"],
            "sex": record["sex"],
            "value": record["value"],
            "lower95": record["lowercl"],
            "upper95": record["uppercl"],
            "disclosure": record["disclosure"],
        }
        for record in records(frame)
    ]


@router.get(
    "/places/{place_id}",
    response={200: schemas.PlaceAnswer, **ERRORS},
    url_name="place",
)
def place(request, place_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published place or route with its figures: indicators recomputed for it (under
    disclosure control), all-cause death rate and life expectancy, and a route's stops."""
    found = Place.public_objects.select_related("city").filter(pk=place_id).first()
    if found is None:
        raise Http404(f"No published place has the id {place_id}.")
    unsuppressed = is_analyst(request.user)
    if unsuppressed:
        security_log.info("unsuppressed figures of place %s served to %s", found.pk, request.user)
    figures = published_mortality(place_figures(found), unsuppressed)
    indicators = published_indicators(found, figures, unsuppressed)
    result = {
        **_place(request, found),
        "population": round(figures.population),
        "synthetic_deaths": figures.synthetic_deaths,
        "indicators": [_published_indicator(row) for row in indicators],
        "mortality": _mortality(figures.mortality, by_ward=False),
        "stops": _mortality(figures.stops, by_ward=True),
    }
    return licensed({"result": result})
