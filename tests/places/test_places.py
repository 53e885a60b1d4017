"""Places and routes of the user's own (issue 12): members checked (a ward from another city,
an unknown LSOA or postcode: a field message and nothing saved), figures recomputed from counts
and populations, saved and versioned, published at a shareable address."""

import json

import pandas as pd
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from healthgap.areas.models import Area
from healthgap.constants import Role
from healthgap.demo.loader import demo_file
from healthgap.places import services
from healthgap.places.models import Place
from healthgap.places.profile import place_figures
from healthgap.publishing.services import StaleEdit
from tests.publishing.people import person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
COVENTRY, LEICESTER = "E08000026", "E06000016"
BABLAKE, WESTWOOD, ST_MICHAELS, WYKEN = "E05001218", "E05001232", "E05001228", "E05001235"
ABBEY_LEICESTER = "E05010458"
CENSUS = demo_file("small_area/census2021_ts021_ethnic_group_lsoa21_coventry_leicester.csv")


@pytest.fixture
def analyst():
    return person("amina", "Amina Khan", Role.ANALYST)


def _definition(members, kind="route", member_type="wards", city=COVENTRY, name="Route 11"):
    return services.PlaceDefinition(
        name, kind, Area.objects.get(code=city), member_type, "\n".join(members)
    )


def _new_places():
    return Place.private_objects.exclude(name__startswith="Example:")


def test_a_route_with_a_ward_of_another_city_is_refused(analyst):
    with pytest.raises(services.PlaceError) as caught:
        services.define_place(_definition([BABLAKE, ABBEY_LEICESTER]), analyst)
    assert caught.value.field == "members"
    assert str(caught.value) == "E05010458 (Abbey) is a ward of Leicester, not Coventry"
    assert not _new_places().exists()


@pytest.mark.parametrize(
    ("member_type", "members", "message"),
    [
        ("lsoas", ["E01009522", "E01999999"], "E01999999 is not an LSOA code healthgap knows"),
        ("lsoas", ["E01013600"], "E01013600 is an LSOA outside Coventry"),
        ("postcodes", ["CV1 1AA", "ZZ9 9ZZ"], "ZZ9 9ZZ is not a postcode healthgap knows"),
        ("wards", [BABLAKE], "A route needs at least 2 wards"),
    ],
)
def test_bad_members_name_the_field_and_save_nothing(analyst, member_type, members, message):
    kind = "route" if member_type == "wards" else "place"
    with pytest.raises(services.PlaceError, match=message):
        services.define_place(_definition(members, kind, member_type), analyst)
    assert not _new_places().exists()


def test_the_form_shows_the_message_on_the_field(client, analyst):
    client.force_login(analyst)
    response = client.post(
        "/workspace/places/new",
        {"version": 1, "name": "Across", "kind": "route", "city": COVENTRY,
         "member_type": "wards", "members": f"{BABLAKE}\n{ABBEY_LEICESTER}"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["members"] == [
        "E05010458 (Abbey) is a ward of Leicester, not Coventry"
    ]
    assert not _new_places().exists()


def test_only_analysts_and_administrators_define_places():
    member = person("dev", "Dev Patel", Role.BOARD_MEMBER)
    with pytest.raises(PermissionDenied):
        services.define_place(_definition([BABLAKE, WESTWOOD]), member)


def _census_share(ward_codes, group):
    census = pd.read_csv(CENSUS)
    rows = census[census["ward24_code"].isin(ward_codes)]
    return (
        100
        * rows.loc[rows["ethnic_group"] == group, "n"].sum()
        / rows.drop_duplicates("lsoa21_code")["total_residents"].sum()
    )


def test_census_shares_recomputed_for_a_place_of_wards(analyst):
    wards = list(
        Area.objects.filter(parent_id=COVENTRY, area_type="ward").values_list("code", flat=True)
    )
    place = services.define_place(_definition(wards, kind="place", name="All of Coventry"), analyst)
    figures = place_figures(place).indicators
    white = figures[figures["category"] == "White"].iloc[0]
    assert white["value"] == pytest.approx(_census_share(wards, "White"), abs=1e-9)
    assert white["denominator"] == 345_318  # SOURCES.md: Coventry's LSOAs, Census 2021
    assert white["lowercl"] < white["value"] < white["uppercl"]


def test_route_life_expectancy_at_each_stop_and_the_gap(client, analyst):
    stops = [WESTWOOD, ST_MICHAELS, WYKEN]
    place = services.define_place(_definition(stops), analyst)
    client.force_login(analyst)
    content = client.get(place.get_absolute_url()).context["content"]
    route = content.table("route").rows
    assert [row["code"] for row in route] == [code for code in stops for _ in ("F", "M")]
    for row in route:
        assert 60 < row["value"] < 95 and row["lower"] < row["value"] < row["upper"]
    for gap in content.gaps:
        first = next(r for r in route if r["sex"] == gap["sex"] and r["code"] == WESTWOOD)
        last = next(r for r in route if r["sex"] == gap["sex"] and r["code"] == WYKEN)
        assert gap["gap"] == pytest.approx(first["value"] - last["value"], abs=0.11)
    assert content.synthetic  # the demo's deaths by LSOA are synthetic
    assert {"route_female", "route_male", "map"} <= set(content.charts)


def test_published_only_at_the_public_address(client, analyst, django_capture_on_commit_callbacks):
    place = services.define_place(_definition([WESTWOOD, WYKEN], name="Route 9"), analyst)
    url = f"/places/{place.pk}"
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the page cache sees the change
        services.publish_place(place, analyst)
    response = client.get(url)
    assert response.status_code == 200 and "Route 9" in response.content.decode()
    data = json.loads(client.get(f"{url}.json").content)
    assert data["place"]["areas"] == [WESTWOOD, WYKEN]
    assert client.get(f"{url}/route.csv").content.decode().startswith("Stop,Ward,Ward code")
    place.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_place(place, analyst, "Route changed")
    assert client.get(url).status_code == 404


def test_the_public_page_is_kept_for_the_public_until_the_place_changes(
    client, analyst, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    settings.PAGE_CACHE = True
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place = services.define_place(_definition([WESTWOOD, WYKEN], name="Route 9"), analyst)
        services.publish_place(place, analyst)
    url = f"/places/{place.pk}"
    first = client.get(url).content
    with django_assert_max_num_queries(0):  # served whole from the cache
        assert client.get(url).content == first
    place.refresh_from_db()
    renamed = _definition([WESTWOOD, WYKEN], name="Route 9A")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_place(place, renamed, analyst, place.version)
    assert "Route 9A" in client.get(url).content.decode()
    client.force_login(analyst)  # an analyst's page (unsuppressed figures) is never stored
    assert "no-store" in client.get(url)["Cache-Control"]


def test_changes_are_versioned_and_a_stale_save_is_refused(analyst):
    place = services.define_place(_definition([WESTWOOD, WYKEN]), analyst)
    services.change_place(place, _definition([WESTWOOD, ST_MICHAELS, WYKEN]), analyst, 1)
    stale = Place.private_objects.get(pk=place.pk)
    with pytest.raises(StaleEdit):
        services.change_place(stale, _definition([WYKEN, WESTWOOD]), analyst, 1)
    place.refresh_from_db()
    assert place.area_codes == [WESTWOOD, ST_MICHAELS, WYKEN] and place.version == 2
    assert place.history.count() == 2


def test_a_place_from_postcodes_is_made_of_their_lsoas(analyst):
    place = services.define_place(
        _definition(["LE2 0FA", "le2 0fg"], "place", "postcodes", LEICESTER, "Highfields"),
        analyst,
    )
    assert place.area_codes == ["E01013744", "E01013745"]  # NSPL August 2024
