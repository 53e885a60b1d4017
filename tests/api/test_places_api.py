"""Published places and routes in the open-data API (/api/v1/places): published ones only,
their figures as the public page computes them, the indicator figures under disclosure control
(issue 17: places are figures healthgap computes), analysts' unsuppressed and marked."""

import csv
import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from healthgap.constants import Role
from healthgap.places import services as places
from healthgap.places.models import Place
from healthgap.places.services import PlaceDefinition
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
HIGH = 7  # the primary rule: counts 1-7 are never shown


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def draft():
    example = Place.public_objects.order_by("pk").first()
    definition = PlaceDefinition(
        "Draft place", example.kind, example.city, example.member_type, example.members
    )
    return places.define_place(definition, UserFactory(roles=[Role.ANALYST]))


def test_only_published_places_are_listed(client, draft):
    published = list(Place.public_objects.all())
    body = client.get("/api/v1/places").json()
    names = {row["name"] for row in body["results"]}
    assert names == set(Place.public_objects.values_list("name", flat=True)) and names
    assert draft.name not in names
    assert client.get(f"/api/v1/places/{draft.pk}").json() == {
        "ok": False,
        "status": 404,
        "error": f"No published place has the id {draft.pk}.",
    }
    text = client.get("/api/v1/places", {"format": "csv"}).content.decode()
    assert {row["name"] for row in csv.DictReader(io.StringIO(text))} == names
    workbook = client.get("/api/v1/places", {"format": "xlsx"})  # its areas, a list, as text
    header, *rows = load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True)
    areas = {row[header.index("name")]: row[header.index("areas")] for row in rows}
    assert all(areas[place.name] == " ".join(place.area_codes) for place in published)


def test_a_place_gives_its_figures_under_disclosure_control(client):
    place = Place.public_objects.order_by("pk").first()
    result = client.get(f"/api/v1/places/{place.pk}").json()["result"]
    assert result["areas"] == place.area_codes and result["population"] > 0
    assert result["page_url"].endswith(f"/places/{place.pk}")
    assert result["mortality"] and result["indicators"]
    for row in result["indicators"]:
        if row["suppressed"]:
            assert row["count"] is row["value"] is row["lower95"] is row["upper95"] is None
        elif row["count"] is not None:
            assert row["count"] == 0 or (row["count"] > HIGH and row["count"] % 5 == 0)


def test_the_public_cannot_take_a_count_from_a_percentage(client):
    """A place's percentage times its denominator is its published (rounded) count."""
    for place in Place.public_objects.all():
        result = client.get(f"/api/v1/places/{place.pk}").json()["result"]
        for row in result["indicators"]:
            if row["unit"].startswith("%") and row["value"] is not None and row["denominator"]:
                assert row["value"] * row["denominator"] / 100 == pytest.approx(row["count"])


def test_analysts_see_the_figures_as_computed_marked_and_never_cached(client):
    place = Place.public_objects.order_by("pk").first()
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    answer = client.get(f"/api/v1/places/{place.pk}")
    rows = answer.json()["result"]["indicators"]
    assert rows and all(row["disclosure"].startswith("Unsuppressed") for row in rows)
    assert answer["Cache-Control"] == "private, no-store"


def test_the_public_page_shows_the_figures_the_api_gives(client):
    """One control for both: the page's indicators table holds the API's counts, each row
    saying what disclosure control did."""
    for place in Place.public_objects.all():
        api = client.get(f"/api/v1/places/{place.pk}").json()["result"]["indicators"]
        page = client.get(f"/places/{place.pk}/indicators.json").json()["rows"]
        assert [row["count"] for row in page] == [
            None if row["count"] is None else round(row["count"]) for row in api
        ]
        assert [row["disclosure"] for row in page] == [row["disclosure"] for row in api]
