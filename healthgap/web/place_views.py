"""The public page of each published place or route, at a shareable address, with .json and
per-table .csv/.xlsx/.json twins. Reads published places only (``public_objects``)."""

from __future__ import annotations

from django.shortcuts import render

from healthgap.accounts.permissions import is_analyst
from healthgap.places.models import Place
from healthgap.web.formats import error_response, page_json, table_response
from healthgap.web.outcomes import html_cached_for_the_public
from healthgap.web.place_pages import never_stored_for_analysts, place_content


def public_place_list(request):
    published = Place.public_objects.select_related("city").order_by("name")
    return render(request, "web/places/public_list.html", {"places": published})


def _published(pk: int) -> Place | None:
    return Place.public_objects.select_related("city").filter(pk=pk).first()


# Every published place's figures are decided together (disclosure control over overlapping
# places): the page is kept for the public until any publish, withdraw, edit or import.
@html_cached_for_the_public
def public_place(request, pk: int, fmt: str | None = None):
    place = _published(pk)
    if place is None:
        return error_response(request, 404, f"No published place has the number {pk}.", fmt)
    content = place_content(place, unsuppressed=is_analyst(request.user))
    if fmt == "json":
        response = page_json(
            place.name,
            content.tables,
            place={
                "name": place.name,
                "kind": place.get_kind_display(),
                "city": place.city_id,
                "made_of": place.get_member_type_display(),
                "areas": place.area_codes,
                "population": content.population,
            },
            gaps=content.gaps,
            synthetic=content.synthetic,
        )
    else:
        context = {"place": place, "content": content, "public": True}
        response = render(request, "web/places/public.html", context)
    return never_stored_for_analysts(request, response)


def public_place_table(request, pk: int, table: str, fmt: str):
    place = _published(pk)
    if place is None:
        return error_response(request, 404, f"No published place has the number {pk}.", fmt)
    found = place_content(place, unsuppressed=is_analyst(request.user)).table(table)
    if found is None:
        return error_response(request, 404, f"No table {table!r} for this place.", fmt)
    return never_stored_for_analysts(request, table_response(found, fmt, f"place-{pk}-{table}"))
