"""A place's or route's page content, the same in the workspace and on the public site: its
figures recomputed from counts and populations (``healthgap.places.profile``) as tables, the
route's life expectancy stop by stop for men and women, and the route on the ward map."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.cache import patch_cache_control

from healthgap.accounts.permissions import is_analyst
from healthgap.areas import queries as area_queries
from healthgap.areas.models import Area, AreaType
from healthgap.methods import compare_to_benchmark
from healthgap.places.disclosure import published_indicators, published_mortality
from healthgap.places.models import MemberType, Place
from healthgap.places.profile import LIFE_EXPECTANCY, PlaceFigures, place_figures
from healthgap.web import charts, outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.pages.common import DISCLOSURE_COLUMN, rounded

SEXES = ("Female", "Male")


@dataclass
class PlaceContent:
    tables: list[DataTable]
    charts: dict = field(default_factory=dict)
    gaps: list[dict] = field(default_factory=list)
    population: int = 0
    synthetic: bool = False

    def table(self, name: str) -> DataTable | None:
        return next((table for table in self.tables if table.name == name), None)


def never_stored_for_analysts(request, response):
    """An analyst's place page holds unsuppressed figures: never cached or stored."""
    if is_analyst(request.user):
        patch_cache_control(response, private=True, no_store=True)
    return response


def place_content(place: Place, unsuppressed: bool = False) -> PlaceContent:
    """The place's tables and charts; its indicator figures under disclosure control unless
    ``unsuppressed`` (signed-in analysts only: such a page is never stored)."""
    figures = published_mortality(place_figures(place), unsuppressed)
    indicators = published_indicators(place, figures, unsuppressed)
    tables = [_indicator_table(place, indicators), _mortality_table(place, figures)]
    content = PlaceContent(
        tables,
        population=round(figures.population),
        synthetic=figures.synthetic_deaths
        or bool(figures.indicators.get("synthetic", pd.Series()).any()),
    )
    if place.is_route and not figures.stops.empty:
        _add_route(content, place, figures)
    content.charts["map"] = _map(place)
    return content


def _indicator_table(place: Place, indicators: list[dict]) -> DataTable:
    rows = [
        {
            "name": record["name"],
            "period": record["period"],
            "sex": record["sex"],
            "age": record["age"],
            "category": record["category"] or "All",
            "areas": f"{record['areas_with_figure']} of {record['members']}",
            "count": rounded(record["count"], 0),
            "denominator": rounded(record["denominator"], 0),
            "value": rounded(record["value"], 2),
            "lower": rounded(record["lower95"], 2),
            "upper": rounded(record["upper95"], 2),
            "unit": record["unit"],
            "disclosure": record["disclosure"],
        }
        for record in indicators
    ]
    return DataTable(
        "indicators",
        f"Indicators recomputed for {place.name}",
        [
            ("name", "Indicator"),
            ("period", "Period"),
            ("sex", "Sex"),
            ("age", "Age"),
            ("category", "Group"),
            ("areas", "Areas with the figure"),
            ("count", "Count"),
            ("denominator", "Denominator"),
            ("value", "Value"),
            ("unit", "Unit"),
            ("lower", "Lower 95% limit"),
            ("upper", "Upper 95% limit"),
            DISCLOSURE_COLUMN,
        ],
        rows,
    )


def _mortality_table(place: Place, figures: PlaceFigures) -> DataTable:
    rows = [
        {
            "measure": r["measure"],
            "sex": r["sex"],
            "value": rounded(r["value"], 1),
            "lower": rounded(r["lowercl"], 1),
            "upper": rounded(r["uppercl"], 1),
            "disclosure": r["disclosure"],
        }
        for r in figures.mortality.to_dict("records")
    ]
    return DataTable(
        "mortality",
        f"Deaths and life expectancy, {place.name}",
        [
            ("measure", "Measure"),
            ("sex", "Sex"),
            ("value", "Value"),
            ("lower", "Lower 95% limit"),
            ("upper", "Upper 95% limit"),
            DISCLOSURE_COLUMN,
        ],
        rows,
    )


def _stop_rows(place: Place, figures: PlaceFigures) -> list[dict]:
    names = dict(Area.objects.filter(code__in=place.area_codes).values_list("code", "name"))
    life = figures.stops[figures.stops["measure"] == LIFE_EXPECTANCY]
    by_key = {(r["ward"], r["sex"]): r for r in life.to_dict("records")}
    whole = {
        r["sex"]: r["value"]
        for r in figures.mortality.to_dict("records")
        if r["measure"] == LIFE_EXPECTANCY
    }
    rows = []
    for order, code in enumerate(place.area_codes, start=1):
        for sex in SEXES:
            record = by_key.get((code, sex), {})
            rows.append(
                {
                    "stop": order,
                    "code": code,
                    "name": f"{order}. {names.get(code, code)}",
                    "sex": sex,
                    "value": rounded(record.get("value"), 1),
                    "lower": rounded(record.get("lowercl"), 1),
                    "upper": rounded(record.get("uppercl"), 1),
                    "route_value": rounded(whole.get(sex), 1),
                    "disclosure": record.get("disclosure", ""),
                }
            )
    return rows


def _compared(rows: list[dict]) -> None:
    """Each stop against the whole route's life expectancy for the same sex."""
    needed = ("value", "lower", "upper", "route_value")  # limits may be withheld (disclosure)
    usable = [row for row in rows if all(row[key] is not None for key in needed)]
    if not usable:
        return
    frame = pd.DataFrame(usable)
    labels = compare_to_benchmark(
        frame, "value", "lower", "upper", "route_value", polarity="no judgement"
    )["comparison"]
    for row, label in zip(usable, labels):
        row["colour"] = label


def _add_route(content: PlaceContent, place: Place, figures: PlaceFigures) -> None:
    rows = _stop_rows(place, figures)
    _compared(rows)
    content.tables.append(
        DataTable(
            "route",
            f"Life expectancy at birth at each stop, {place.name}",
            [
                ("stop", "Stop"),
                ("name", "Ward"),
                ("code", "Ward code"),
                ("sex", "Sex"),
                ("value", "Life expectancy (years)"),
                ("lower", "Lower 95% limit"),
                ("upper", "Upper 95% limit"),
                ("colour", "Compared with the whole route"),
                DISCLOSURE_COLUMN,
            ],
            rows,
        )
    )
    for sex in SEXES:
        part = [row for row in rows if row["sex"] == sex]
        values = [row["value"] for row in part if row["value"] is not None]
        first, last = part[0]["value"], part[-1]["value"]
        if first is not None and last is not None:
            content.gaps.append(
                {
                    "sex": sex,
                    "first": first,
                    "last": last,
                    "gap": round(first - last, 1),
                    "gap_words": _gap_words(last - first),
                    "first_stop": part[0]["name"],
                    "last_stop": part[-1]["name"],
                }
            )
        content.charts[f"route_{sex.lower()}"] = outcome_charts.route(
            f"route-{sex.lower()}",
            f"{sex} life expectancy at birth along {place.name}",
            f"Life expectancy at birth of {sex.lower()}s in each ward of the route, in order, "
            "with 95% limits; the dashed line is the whole route's. The table below has the "
            "same figures.",
            [{**row, "colour": row.get("colour", "Not compared")} for row in part],
            value_title="Life expectancy (years)",
            benchmark=part[0]["route_value"] if values else None,
            scale=outcome_charts.colour_scale(row.get("colour", "Not compared") for row in part),
            compared_with="Compared with the whole route",
        )


def _gap_words(difference: float) -> str:
    """'2.3 years lower', '0.4 years higher' or 'the same'."""
    if round(difference, 1) == 0:
        return "no different"
    return f"{abs(difference):.1f} years {'higher' if difference > 0 else 'lower'}"


def _map(place: Place) -> charts.Chart:
    """The city's wards, those of the place (or the route's stops, numbered) shaded."""
    wards = Area.objects.filter(area_type=AreaType.WARD, parent=place.city).values_list(
        "code", "name"
    )
    members = _member_wards(place)
    # 0 for the city's other wards: a ward without a value would not be drawn at all.
    properties = {code: {"name": name, "stop": members.get(code, 0)} for code, name in wards}
    label = "Stop on the route (0: not on it)" if place.is_route else "In the place (1) or not (0)"
    return charts.choropleth(
        "place-map",
        f"{place.name} on the ward map of {place.city.name}",
        f"The wards of {place.city.name}; those of {place.name} are shaded"
        + (" by their order along the route" if place.is_route else "")
        + ". The tables give the same wards.",
        area_queries.features(properties),
        "stop",
        label,
        [("name", "Ward", "nominal"), ("stop", label, "quantitative")],
        scheme="blues",
    )


def _member_wards(place: Place) -> dict[str, int]:
    """Ward -> stop number (routes) or 1 (any ward holding an LSOA of the place)."""
    if place.is_route:
        return {code: order for order, code in enumerate(place.area_codes, start=1)}
    if place.member_type == MemberType.WARDS:
        return dict.fromkeys(place.area_codes, 1)
    lsoas = Area.objects.filter(code__in=place.area_codes).values_list("ward_id", flat=True)
    return {ward: 1 for ward in lsoas if ward}
