"""One place less another (issue 17): places share wards or lie one inside another, so with both
published and the wards too, a place less another gives the wards only one of them holds. Made
with factories (the demo's places do not overlap): a city of six wards, three of them with
counts 1-7 for an indicator under disclosure control, and three published places, B inside A
and C overlapping both. Every difference the public could take from the API and the places'
data twins (a place less its wards, one place less another, wards from the city, any chain of
them) is tried with the differencing test's own check; it must recover nothing.

A draft place (seen in the workspace by a programme lead) is decided after the published ones:
it never changes how they are published.
"""

import pandas as pd
import pytest
from django.core.cache import cache

from healthgap.indicators.models import ValueType
from healthgap.places.disclosure import published_mortality
from healthgap.places.models import Place
from healthgap.places.profile import ALL_CAUSE_DSR, PlaceFigures
from healthgap.publishing import services
from healthgap.web.place_pages import place_content
from tests.accounts.factories import UserFactory
from tests.api.test_differencing import (
    _api_cells,
    _area_relations,
    _breakdown_relations,
    _place_cells,
    recovered,
)
from tests.factories import (
    EnglandFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    UpperTierFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db
# Each ward's count of 1,000 people: the first three are suppressed by the primary rule.
WARD_COUNTS = (3, 4, 5, 120, 230, 340)
DENOMINATOR = 1000.0
# Places by the positions of their wards: B inside A, C sharing wards with A and B.
PLACES = {"A": (0, 1, 2, 3), "B": (1, 2, 3), "C": (2, 3, 4)}


def _value(indicator, area, count, denominator):
    return IndicatorValueFactory(
        indicator=indicator, area=area, count=float(count), denominator=denominator,
        value=100 * count / denominator, lower95=None, upper95=None,
    )  # fmt: skip


@pytest.fixture
def overlapping_places():
    """The city, its wards and values, the flagged indicator and the published places."""
    cache.clear()
    city = UpperTierFactory(code="E06T99001", name="Testham")
    wards = [WardFactory(parent=city, name=f"Testham ward {n}") for n in range(len(WARD_COUNTS))]
    indicator = IndicatorFactory(
        value_type=ValueType.PROPORTION, needs_disclosure_control=True, unit="%"
    )
    for ward, count in zip(wards, WARD_COUNTS):
        _value(indicator, ward, count, DENOMINATOR)
    _value(indicator, city, sum(WARD_COUNTS), DENOMINATOR * len(wards))
    _value(indicator, EnglandFactory(), 50_000, 1_000_000.0)
    publisher = UserFactory()
    places = {}
    for name, positions in PLACES.items():
        codes = [wards[n].code for n in positions]
        place = Place(
            name=f"Place {name}", city=city, member_type="wards", members="\n".join(codes),
            area_codes=codes,
        )  # fmt: skip
        services.create(place, publisher)
        places[name] = services.publish(place, publisher)
    return indicator, wards, places


def _twin_counts(client, place: Place) -> dict:
    rows = client.get(f"/places/{place.pk}/indicators.json").json()["rows"]
    return {(row["period"], row["sex"], row["age"]): row["count"] for row in rows}


def _public_cells(client, indicator, places):
    """The public's knowledge of every count (areas and places) and the relations tying them."""
    shown, suppressed, unrounded = _api_cells(client, indicator)
    assert unrounded == []
    relations = []
    for place in places:
        relations += _place_cells(client, place, shown, suppressed, indicator)
    relations += _breakdown_relations(shown)
    relations += _area_relations(shown)
    return shown, relations, suppressed


def test_no_count_comes_back_from_one_place_less_another(client, overlapping_places):
    indicator, wards, places = overlapping_places
    shown, relations, suppressed = _public_cells(client, indicator, places.values())
    hidden_wards = {cell[0] for cell in suppressed if cell[0] in {w.code for w in wards}}
    assert hidden_wards >= {ward.code for ward in wards[:3]}  # the primary rule applied
    assert recovered(shown, relations, suppressed) == []
    for place in places.values():  # the page's data twin publishes what the API does
        api = {cell[1:4]: count for cell, count in shown.items() if cell[0] == f"place {place.pk}"}
        assert _twin_counts(client, place) == api, place.name


def test_the_check_finds_what_a_place_less_another_gives(overlapping_places):
    """The test's own check on places A and B both shown (what checking each place only against
    its own wards allowed, as each holds two or more suppressed wards): A less B gives ward 1
    back."""
    _, wards, places = overlapping_places
    shown = {ward.code: None if n < 3 else float(c) for n, (ward, c) in
             enumerate(zip(wards, WARD_COUNTS))}  # fmt: skip
    relations = []
    for name in ("A", "B"):
        positions = PLACES[name]
        shown[name] = float(sum(WARD_COUNTS[n] for n in positions))
        relations.append((name, [wards[n].code for n in positions]))
    hidden = {ward.code for ward in wards[:3]}
    assert recovered(shown, relations, hidden) == [wards[0].code]


def test_a_draft_place_never_changes_the_published_ones(client, overlapping_places):
    """A draft made of wards 1 and 4 (one suppressed ward and a shown one), as the workspace
    shows it to a programme lead, is withheld itself; the published places read the same."""
    indicator, wards, places = overlapping_places
    before = _public_cells(client, indicator, places.values())[0]
    draft = Place(
        name="Draft D", city=wards[0].parent, member_type="wards",
        area_codes=[wards[0].code, wards[3].code], members="",
    )  # fmt: skip
    services.create(draft, UserFactory())
    rows = place_content(draft).table("indicators").rows  # the workspace page's table
    assert [row["count"] for row in rows] == [None]
    cache.clear()
    assert _public_cells(client, indicator, places.values())[0] == before


# ---- A route's deaths are the sum of its stops' ----


def _mortality_rows(group: str, names: list, deaths: list) -> pd.DataFrame:
    """Persons' death rates (DSR) with their deaths, one row per group; the rates and limits
    are placeholders (the control reads the deaths)."""
    return pd.DataFrame(
        {
            group: names,
            "measure": ALL_CAUSE_DSR,
            "sex": "Persons",
            "value": [900.0 + n for n in range(len(names))],
            "lowercl": 700.0,
            "uppercl": 1200.0,
            "deaths": [float(d) for d in deaths],
            "value_type": "dsr",
        }
    )


def test_a_route_less_its_shown_stops_gives_no_withheld_stop_back():
    """A route of three stops with 3, 17 and 20 deaths (40 in all): the first stop is withheld
    (1-7 deaths), so one more figure must be too, or the route less the other two gives it
    back."""
    stops = ["stop 1", "stop 2", "stop 3"]
    figures = PlaceFigures(
        lsoas=[], population=0.0, indicators=pd.DataFrame(),
        mortality=_mortality_rows("place", ["Route"], [40]),
        stops=_mortality_rows("ward", stops, [3, 17, 20]), synthetic_deaths=False,
    )  # fmt: skip
    shown = published_mortality(figures, unsuppressed=False)
    cells = {"Route": shown.mortality.iloc[0]}
    cells |= dict(zip(stops, (row for _, row in shown.stops.iterrows())))
    known = {name: None if row["suppressed"] else row["deaths"] for name, row in cells.items()}
    hidden = {name for name, row in cells.items() if row["suppressed"]}
    assert "stop 1" in hidden
    assert recovered(known, [("Route", stops)], hidden) == []
    added = {"suppressed", "reason", "disclosure"}
    assert set(shown.stops.columns) == {*figures.stops.columns, *added}
    assert set(shown.mortality.columns) == {*figures.mortality.columns, *added}
