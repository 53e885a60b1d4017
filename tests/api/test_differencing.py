"""The differencing test of issue 17: with the whole demo published, every public output of
figures under disclosure control (the API's values of flagged indicators, the closing-the-gap
ward and cause tables) is read as an anonymous visitor, and every difference the public could
take (wards from their city, areas from their parent, sexes from persons, age bands from all
ages, categories from the whole, wards and causes from the area's deaths) is tried: no
suppressed count may come back.

The public's knowledge of a count is its own, not only the count column: a proportion or crude
rate times its denominator, and the count its Wilson or Byar's limits were worked out from, give
it too; so no shown count may be given back unrounded by the other figures of its row, and a
count the other figures give away joins the differences below.

The check is the test's own, not the disclosure method's: each relation is tried alone (a total
less its shown parts, a part from its total and the other parts), then all of them together (a
hidden count is pinned down when it is the same in every solution of the relations, that is
when its row of the null space of their matrix over the hidden counts is zero; dense SVD).
Shown figures are taken as exact, which is stricter than the published rounding.
"""

import math
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from django.core.cache import cache
from scipy.linalg import null_space
from scipy.optimize import brentq

from healthgap.areas.models import Area
from healthgap.constants import ENGLAND_CODE, FEMALE, MALE, PERSONS
from healthgap.delivery.models import Programme, Strategy
from healthgap.indicators.models import Indicator, IndicatorValue
from healthgap.places.models import Place
from healthgap.places.profile import place_figures
from healthgap.publishing import services
from tests.accounts.factories import UserFactory
from tests.web.test_closing_gap_disclosure import small_ward  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]
ALL_AGES = "All ages"
LOW, HIGH = 1, 7  # the primary rule's range: indicators with such counts get suppressions
AGE_BAND = re.compile(r"^(?:(\d+)-(\d+)|<(\d+)|(\d+)\+)(?: yrs)?$")
FIXED = 1e-9
Z95 = 1.959963984540054  # the normal quantile of 97.5%
WHOLE = 1e-6  # a figure this close to a whole number of events gives that number away
BYARS_FROM = 10  # Byar's method is used from 10 events (exact Poisson limits below)


@pytest.fixture(autouse=True)
def _published_demo():
    """Everything the demo has, published; and every indicator with small counts below
    England flagged as if computed from records (the demo's own record-level stand-ins, the
    synthetic indicators, are flagged already)."""
    cache.clear()
    publisher = UserFactory()
    for model in (Strategy, Programme):
        for item in model.private_objects.exclude(publication_state="published"):
            services.publish(item, publisher)
    small = IndicatorValue.objects.filter(count__gte=LOW, count__lte=HIGH).exclude(
        area__area_type="england"
    )
    Indicator.objects.filter(code__in=small.values("indicator_id")).update(
        needs_disclosure_control=True
    )


def recovered(shown: dict, relations: list[tuple], suppressed: set) -> list:
    """The suppressed cells the shown figures and the relations (total, parts) give back.
    ``shown``: cell -> count, None when the public does not see it."""
    found = set()
    for total, parts in relations:  # each difference alone
        hidden = [cell for cell in (total, *parts) if shown[cell] is None]
        if len(hidden) == 1:
            found.add(hidden[0])
    for unknowns, linked in _linked_groups(shown, relations):  # then all of them together
        if unknowns & suppressed:
            found |= _pinned(sorted(unknowns, key=str), linked)
    return sorted(found & suppressed, key=str)


def _linked_groups(shown: dict, relations: list[tuple]) -> list[tuple[set, list]]:
    """The hidden cells in groups linked by relations, each with its relations."""
    leader = {}

    def find(cell):
        while leader.setdefault(cell, cell) != cell:
            cell = leader[cell]
        return cell

    hidden_of = []
    for total, parts in relations:
        hidden = [cell for cell in (total, *parts) if shown[cell] is None]
        for cell in hidden[1:]:
            leader[find(cell)] = find(hidden[0])
        hidden_of.append(hidden)
    groups = defaultdict(lambda: (set(), []))
    for relation, hidden in zip(relations, hidden_of):
        if hidden:
            unknowns, linked = groups[find(hidden[0])]
            unknowns.update(hidden)
            linked.append(relation)
    return list(groups.values())


def _pinned(unknowns: list, relations: list[tuple]) -> set:
    """Unknowns equal in every solution: zero rows of the null space of the relations."""
    column = {cell: number for number, cell in enumerate(unknowns)}
    matrix = np.zeros((len(relations), len(unknowns)))
    for row, (total, parts) in enumerate(relations):
        for cell, sign in [(total, 1.0)] + [(part, -1.0) for part in parts]:
            if cell in column:
                matrix[row, column[cell]] += sign
    free = null_space(matrix)
    return {cell for cell in unknowns if np.abs(free[column[cell]]).max(initial=0) < FIXED}


# ---- The API's values ----


def _api_rows(client, indicator: Indicator) -> list[dict]:
    rows, page = [], 1
    while page:
        answer = client.get(
            "/api/v1/values", {"indicator": indicator.code, "page": page, "page_size": 1000}
        ).json()
        rows += answer["results"]
        page = page + 1 if answer["next"] else 0
    return rows


def _per(rows: list[dict]) -> float:
    """What the values are per, as the public reads it off England's exact figures."""
    national = [r for r in rows if r["area"] == ENGLAND_CODE and r["count"] and r["value"]]
    if not national or not national[0]["denominator"]:
        return math.nan
    row = national[0]
    return 10.0 ** round(math.log10(row["value"] * row["denominator"] / row["count"]))


def _whole(figure) -> float | None:
    """A figure that is a whole number of events (to within rounding error), else None."""
    return float(round(figure)) if abs(figure - round(figure)) < WHOLE else None


def _wilson_centre_count(lower: float, upper: float, n: float) -> float:
    """The count at the centre of a Wilson score interval (Wilson 1927): the centre is
    (p + z^2/2n) / (1 + z^2/n), so p follows from the two limits and n."""
    centre = (lower + upper) / 2
    return n * (centre * (1 + Z95 * Z95 / n) - Z95 * Z95 / (2 * n))


def _byars_count(lower: float) -> float | None:
    """The count whose Byar's lower 95% limit (Breslow & Day 1987, as in PHE's technical
    guide) is ``lower`` events: O (1 - 1/9O - z/3 sqrt O)^3, increasing in O from 10 up."""

    def byars_lower(o):
        return o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3

    if lower < byars_lower(BYARS_FROM):
        return None
    return brentq(lambda o: byars_lower(o) - lower, BYARS_FROM, 1e9)


def implied_counts(row: dict, value_type: str, per: float) -> list[float]:
    """The counts a row's other figures give away: value x denominator / per (proportions
    and crude rates), and the count its limits were worked out from (Wilson's for a
    proportion, Byar's for a crude rate). Only whole numbers are kept."""
    n = row["denominator"]
    if value_type not in ("proportion", "crude_rate") or not n or math.isnan(per):
        return []
    found = []
    if row["value"] is not None:
        found.append(row["value"] * n / per)
    for lower, upper in (("lower95", "upper95"),):
        if row[lower] is None or row[upper] is None:
            continue
        if value_type == "proportion":
            found.append(_wilson_centre_count(row[lower] / per, row[upper] / per, n))
        elif (count := _byars_count(row[lower] * n / per)) is not None:
            found.append(count)
    return [whole for whole in map(_whole, found) if whole is not None]


def _api_cells(client, indicator: Indicator) -> tuple[dict, set, list]:
    """What the public knows of each cell's count (the count shown, else one its other
    figures give away), the suppressed cells, and the shown counts that the other figures
    give back unrounded."""
    rows = _api_rows(client, indicator)
    per = _per(rows)
    shown, suppressed, unrounded = {}, set(), []
    for row in rows:
        cell = tuple(row[k] for k in ("area", "period", "sex", "age", "category_type",
                                      "category"))  # fmt: skip
        implied = implied_counts(row, indicator.value_type, per)
        shown[cell] = row["count"] if row["count"] is not None else next(iter(implied), None)
        if row["suppressed"]:
            suppressed.add(cell)
        elif row["count"] is not None and any(count != row["count"] for count in implied):
            unrounded.append((cell, row["count"], implied))
    return shown, suppressed, unrounded


def _band(label: str) -> tuple[float, float] | None:
    """An age band as [start, end) in years, or None if it is not a plain band."""
    found = AGE_BAND.match(label)
    if not found:
        return None
    start, end, under, over = found.groups()
    if start is not None:
        return float(start), float(end) + 1
    return (0.0, float(under)) if under is not None else (float(over), float("inf"))


def _tiles(bands: list[tuple]) -> bool:
    ordered = sorted(bands)
    joined = all(a[1] == b[0] for a, b in zip(ordered, ordered[1:]))
    return bool(ordered) and ordered[0][0] == 0 and ordered[-1][1] == float("inf") and joined


def _with(cell: tuple, position: int, value) -> tuple:
    return (*cell[:position], value, *cell[position + 1 :])


def _area_relations(shown: dict) -> list[tuple]:
    """Each area less its children held for the same breakdown; where some children are not
    held, an unknown rest keeps the relation true."""
    parents = dict(
        Area.objects.filter(code__in={c[0] for c in shown}).values_list("code", "parent")
    )
    children = defaultdict(list)
    for cell in shown:
        parent_cell = _with(cell, 0, parents.get(cell[0]))
        if parent_cell in shown:
            children[parent_cell].append(cell)
    relations = []
    for total, parts in children.items():
        every_child = Area.objects.filter(parent_id=total[0]).count()
        if len(parts) < every_child:
            rest = ("rest of", total)
            shown[rest] = None
            parts = [*parts, rest]
        relations.append((total, parts))
    return relations


def _breakdown_relations(shown: dict) -> list[tuple]:
    relations = []
    ages, categories = defaultdict(list), defaultdict(list)
    for cell in shown:
        if cell[2] == PERSONS and all(_with(cell, 2, s) in shown for s in (MALE, FEMALE)):
            relations.append((cell, [_with(cell, 2, MALE), _with(cell, 2, FEMALE)]))
        if cell[3] != ALL_AGES and _band(cell[3]):
            ages[_with(cell, 3, ALL_AGES)].append(cell)
        if cell[4]:
            categories[(_with(_with(cell, 4, ""), 5, ""), cell[4])].append(cell)
    relations += [
        (t, ps) for t, ps in ages.items() if t in shown and _tiles([_band(p[3]) for p in ps])
    ]
    relations += [(whole, ps) for (whole, _), ps in categories.items() if whole in shown]
    return relations


def test_no_suppressed_value_comes_back_from_the_api(client):
    flagged = list(Indicator.objects.filter(needs_disclosure_control=True).order_by("code"))
    assert len(flagged) >= 3  # the synthetic two and at least one with small counts
    suppressed_anywhere = 0
    for indicator in flagged:
        shown, suppressed, unrounded = _api_cells(client, indicator)
        assert unrounded == [], indicator.code  # value x denominator or limits: the true count
        relations = _breakdown_relations(shown)
        relations += _area_relations(shown)  # adds the unknown rest of incomplete families
        assert recovered(shown, relations, suppressed) == [], indicator.code
        suppressed_anywhere += len(suppressed)
    assert suppressed_anywhere > 0  # the test has something to find
    assert {"proportion", "crude_rate"} <= {indicator.value_type for indicator in flagged}


def test_the_attacks_on_a_row_find_the_count():
    """The test's own attacks on one row: 12 of 300 as a percentage (4%, Wilson limits written
    out from Wilson 1927) and 12 events in 3,000 people per 100,000 (400, Byar's limits) give
    12 back from the value and from the limits."""
    n, z = 300, Z95
    p = 12 / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    percentage = {"value": 4.0, "denominator": n, "lower95": 100 * (centre - half),
                  "upper95": 100 * (centre + half)}  # fmt: skip
    assert implied_counts(percentage, "proportion", 100) == [12.0, 12.0]
    byars_lower = 12 * (1 - 1 / (9 * 12) - z / (3 * math.sqrt(12))) ** 3
    rate = {"value": 400.0, "denominator": 3000, "lower95": byars_lower / 3000 * 1e5,
            "upper95": 700.0}  # fmt: skip
    assert implied_counts(rate, "crude_rate", 100_000) == [12.0, 12.0]


# ---- The closing-the-gap tables ----


def _gap_cells(client, code: str) -> tuple[dict, list, set]:
    """Deaths and preventable deaths a year by ward and by cause, each set adding up to the
    area's (unknown) total."""
    page = f"/areas/{code}/closing-the-gap"
    wards = client.get(f"{page}/wards.json").json()["rows"]
    causes = client.get(f"{page}/deprivation_gap_by_cause.json").json()["rows"]
    shown, relations, suppressed = {}, [], set()
    for measure, heading in (("deaths", "observed"), ("preventable", "preventable")):
        total = (measure, "all")
        shown[total] = None
        for table, rows, key in (("ward", wards, "code"), ("cause", causes, "category")):
            parts = []
            for row in rows:
                cell = (measure, table, row[key])
                shown[cell] = row[heading]
                if row["disclosure"].startswith("Suppressed") or (
                    measure == "preventable" and row["disclosure"].startswith("Preventable")
                ):
                    suppressed.add(cell)
                parts.append(cell)
            relations.append((total, parts))
    return shown, relations, suppressed


@pytest.mark.parametrize("code", ["E08000026", "E06000016"])
def test_no_suppressed_death_count_comes_back_from_closing_the_gap(client, code):
    shown, relations, suppressed = _gap_cells(client, code)
    assert recovered(shown, relations, suppressed) == []


def test_nor_when_a_ward_has_few_deaths(client, small_ward):  # noqa: F811
    shown, relations, suppressed = _gap_cells(client, "E08000026")
    assert ("deaths", "ward", small_ward.code) in suppressed
    assert recovered(shown, relations, suppressed) == []


def test_the_check_finds_a_difference_and_a_chain():
    """The test's own check: a lone hidden part comes back from its total; two hidden cells in
    one relation do not, unless a second relation ties them."""
    alone = {"t": 10.0, "a": None, "b": 4.0}
    assert recovered(alone, [("t", ["a", "b"])], {"a"}) == ["a"]
    pair = {"t": 10.0, "a": None, "b": None}
    assert recovered(pair, [("t", ["a", "b"])], {"a", "b"}) == []
    chained = {"t": 10.0, "a": None, "b": None, "u": 7.0, "c": 2.0}
    assert recovered(chained, [("t", ["a", "b"]), ("u", ["b", "c"])], {"a", "b"}) == ["a", "b"]


# ---- Places: a place is the total of its member areas ----


def _place_cells(client, place: Place, shown: dict, suppressed: set, indicator: Indicator):
    """The place's figures of ``indicator`` (as the API gives them) joined to ``shown``, and
    the relations tying each to the member areas' figures of the same breakdown."""
    answer = client.get(f"/api/v1/places/{place.pk}").json()["result"]
    relations = []
    for row in answer["indicators"]:
        if row["indicator"] != indicator.code:
            continue
        breakdown = tuple(row[k] for k in ("period", "sex", "age", "category_type", "category"))
        cell = (f"place {place.pk}", *breakdown)
        shown[cell] = row["count"]
        if row["suppressed"]:
            suppressed.add(cell)
        parts = [(code, *breakdown) for code in place.area_codes if (code, *breakdown) in shown]
        relations.append((cell, parts))
    return relations


def test_no_suppressed_count_comes_back_from_a_place_less_its_wards(client):
    """Every published place against the published figures of its member areas: a place made
    of wards, all but one shown, must not give the last one back; nor may any chain of places,
    areas and breakdowns."""
    places = list(Place.public_objects.all())
    assert places
    flagged = Indicator.objects.filter(needs_disclosure_control=True).order_by("code")
    tried = 0
    for indicator in flagged:
        shown, suppressed, _ = _api_cells(client, indicator)
        relations = []
        for place in places:
            relations += _place_cells(client, place, shown, suppressed, indicator)
        relations += _breakdown_relations(shown)  # the areas' and the places' own
        relations += _area_relations(shown)  # adds the unknown rest of incomplete families
        tried += sum(1 for cell in shown if str(cell[0]).startswith("place"))
        assert recovered(shown, relations, suppressed) == [], indicator.code
    assert tried > 0  # some place has figures of a flagged indicator


@pytest.fixture
def small_route_ward():
    """A ward of the example route left with 3 events for one breakdown of an indicator with
    counts by ward (flagged, as if computed from records): the route, the ward's cell and the
    indicator."""
    route = Place.public_objects.get(kind="route")
    value = (
        IndicatorValue.objects.filter(
            area_id__in=route.area_codes,
            count__gte=20,
            denominator__gt=0,
            value__gt=0,
            indicator__value_type__in=("proportion", "crude_rate"),
        )
        .select_related("period")
        .order_by("indicator_id", "area_id", "id")
        .first()
    )
    per = value.value * value.denominator / value.count
    IndicatorValue.objects.filter(pk=value.pk).update(count=3, value=3 * per / value.denominator)
    others = IndicatorValue.objects.filter(
        indicator_id=value.indicator_id, area_id__in=route.area_codes, period=value.period,
        sex=value.sex, age=value.age, category_type=value.category_type,
        category=value.category, denominator__gt=0,
    ).exclude(pk=value.pk)  # fmt: skip
    for other in others:  # large: shown, and never the partner chosen in the city
        other.count, other.value = 5000.0, 5000.0 * per / other.denominator
        other.save(update_fields=["count", "value"])
    Indicator.objects.filter(pk=value.indicator_id).update(needs_disclosure_control=True)
    cell = (value.area_id, value.period.label, value.sex, value.age, value.category_type,
            value.category)  # fmt: skip
    return route, cell, Indicator.objects.get(pk=value.indicator_id)


def test_the_place_is_the_one_suppressed_to_protect_a_ward(client, small_route_ward):
    """A ward of the example route with a small count for a flagged indicator, the route's
    other wards large and shown: the route's figure is withheld rather than let the ward come
    back as the route less its shown wards."""
    place, ward_cell, indicator = small_route_ward
    shown, suppressed, _ = _api_cells(client, indicator)
    relations = _place_cells(client, place, shown, suppressed, indicator)
    assert ward_cell in suppressed
    route_cell, members = next((t, ps) for t, ps in relations if ward_cell in ps)
    assert [cell for cell in members if shown[cell] is None] == [ward_cell]
    assert route_cell in suppressed
    assert recovered(shown, relations, suppressed) == []


# ---- Standardised figures: their limits must give back only the rounded count ----

ROUNDING_BASE = 5


def _byars(o: float, sign: int) -> float:
    """Byar's lower (sign -1) or upper (+1) 95% limit of a count (Breslow & Day 1987)."""
    if sign < 0:
        return o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    return (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * math.sqrt(o + 1))) ** 3


def _solved(gives, target: float) -> float | None:
    """The count from 10 up whose ``gives(count)`` is ``target`` (None if none is)."""
    try:
        return brentq(lambda o: gives(o) - target, BYARS_FROM, 1e8, xtol=1e-10)
    except ValueError:
        return None


def standardised_count(value_type: str, value, lower, upper) -> float | None:
    """The count a DSR's or an ISR's 95% limits were worked out from. A DSR's Dobson limits are
    value + s (Byar's limit - O) for one scale s (Dobson et al. 1991), so (value - lower) /
    (upper - value) depends on O alone; an ISR's are Byar's limits of O over the expected
    deaths, so lower / value = Byar's lower limit / O."""
    if None in (value, lower, upper) or value <= 0 or upper <= value:
        return None
    if value_type == "dsr":
        ratio = (value - lower) / (upper - value)
        return _solved(lambda o: (o - _byars(o, -1)) / (_byars(o, 1) - o), ratio)
    return _solved(lambda o: _byars(o, -1) / o, lower / value)


def _nearest_five(count: float) -> float:
    return math.floor(count / ROUNDING_BASE + 0.5) * ROUNDING_BASE


def test_the_attack_on_standardised_limits_finds_the_count():
    """The test's own attack on a DSR (Dobson limits from 23 events, scale 4.2) and an SMR (23
    observed, 18.4 expected, Byar's limits) gives 23 back."""
    value, scale = 150.0, 4.2
    lower, upper = value + scale * (_byars(23, -1) - 23), value + scale * (_byars(23, 1) - 23)
    assert standardised_count("dsr", value, lower, upper) == pytest.approx(23, abs=1e-6)
    expected = 18.4
    smr = (23 / expected * 100, _byars(23, -1) / expected * 100, _byars(23, 1) / expected * 100)
    assert standardised_count("isr", *smr) == pytest.approx(23, abs=1e-6)


def test_standardised_values_give_back_only_the_rounded_count(client):
    """Every flagged DSR and ISR the API gives: the count its limits were worked out from is
    the count shown (rounded). (A life expectancy's limits come from the deaths and population
    of every age band and cannot give a count back.)"""
    kinds = ("dsr", "isr")
    flagged = Indicator.objects.filter(needs_disclosure_control=True, value_type__in=kinds)
    checked = 0
    for indicator in flagged:
        true_counts = dict(
            ((v.area_id, v.period.label, v.sex, v.age, v.category_type, v.category), v.count)
            for v in IndicatorValue.objects.filter(indicator=indicator).select_related("period")
        )
        for row in _api_rows(client, indicator):
            cell = tuple(row[k] for k in ("area", "period", "sex", "age", "category_type",
                                          "category"))  # fmt: skip
            true = true_counts[cell]
            if row["suppressed"] or row["area"] == ENGLAND_CODE or true is None:
                continue
            found = standardised_count(
                indicator.value_type, row["value"], row["lower95"], row["upper95"]
            )
            if found is not None:
                assert found == pytest.approx(row["count"], abs=0.01), (indicator.code, cell)
                checked += 1
    assert checked > 0  # the demo has such figures to check


def _place_mortality(client, place: Place) -> list[dict]:
    result = client.get(f"/api/v1/places/{place.pk}").json()["result"]
    return result["mortality"] + result["stops"]


def test_a_places_death_rate_and_life_expectancy_give_back_only_the_rounded_deaths(client):
    """A place's and a route's stops' figures from record-level deaths, in the API and the
    page's tables: a DSR's limits give back the rounded deaths, not the true ones."""
    checked = 0
    for place in Place.public_objects.all():
        figures = place_figures(place)
        true = pd.concat([figures.mortality, figures.stops], ignore_index=True)
        for row, deaths in zip(_place_mortality(client, place), true["deaths"]):
            if row["measure"].startswith("Deaths"):
                found = standardised_count("dsr", row["value"], row["lower95"], row["upper95"])
                assert found == pytest.approx(_nearest_five(deaths), abs=0.01), place.name
            checked += 1
        table = client.get(f"/places/{place.pk}/mortality.json").json()["rows"]
        whole = [r for r in _place_mortality(client, place) if r["ward"] is None]
        shown = {(r["measure"], r["sex"]): r for r in whole}
        for row in table:  # the page shows the API's figures, rounded
            same = shown[(row["measure"], row["sex"])]
            for mine, theirs in (("value", "value"), ("lower", "lower95"), ("upper", "upper95")):
                assert row[mine] == (None if same[theirs] is None else round(same[theirs], 1))
    assert checked > 0
