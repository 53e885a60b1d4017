"""Pages of the public site. Each data page has .json and per-table .csv/.xlsx/.json twins."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from healthgap.areas import queries
from healthgap.areas.models import ESP2013_BANDS, Area
from healthgap.areas.search import find_areas
from healthgap.indicators import queries as indicator_queries
from healthgap.web import charts
from healthgap.web.ethnicity import ethnicity_tables
from healthgap.web.formats import DataTable, error_response, page_json, table_response
from healthgap.web.outcomes import html_cached_for_the_public, outcome_links
from healthgap.web.population import population_by_sex

POPULATION_YEAR = 2019
# When the accessibility statement was last reviewed against the tests in tests/browser.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 1)


def home(request):
    boards = Area.objects.filter(is_hwb=True).select_related("parent").order_by("name")
    links = [(board, outcome_links(board)) for board in boards]
    return render(request, "web/home.html", {"boards": boards, "board_links": links})


def search(request):
    """Find an area by name, GSS code, postcode or postcode district; a code, or a name only
    one area has, goes straight to the area's page."""
    result = find_areas(request.GET.get("q", ""))
    if result.kind in ("code", "name") and len(result.areas) == 1:
        return redirect("web:area", result.areas[0].code)
    return render(request, "web/search.html", {"result": result})


def about_data(request):
    return render(request, "web/about_data.html")


def accessibility(request):
    """The accessibility statement, in the form UK public-sector websites publish (the
    Public Sector Bodies Accessibility Regulations 2018)."""
    return render(
        request,
        "web/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        },
    )


def _area_tables(area: Area) -> tuple[list[DataTable], list[dict], list[dict]]:
    wards = queries.ward_deprivation(area)
    ward_table = DataTable(
        "wards",
        f"Deprivation (IMD 2019) by ward, {area.name}",
        [
            ("code", "Ward code"),
            ("name", "Ward"),
            ("lsoas", "LSOAs"),
            ("average_imd_rank", "Average IMD 2019 rank of its LSOAs (1 = most deprived)"),
            ("lsoas_in_most_deprived_decile", "LSOAs in England's most deprived 10%"),
            ("percent_in_most_deprived_decile", "% of LSOAs in England's most deprived 10%"),
        ],
        wards,
        decimals={"average_imd_rank": 0, "percent_in_most_deprived_decile": 1},
    )
    bands = queries.population_in_esp_bands([area.code], POPULATION_YEAR).get(area.code)
    england = queries.england_population_in_esp_bands(POPULATION_YEAR)
    population_rows = []
    if bands:
        area_total, england_total = sum(bands), sum(england) or 1
        for order, ((start, end), count, england_count) in enumerate(
            zip(ESP2013_BANDS, bands, england)
        ):
            population_rows.append(
                {
                    "band": queries.band_label(start, end),
                    "order": order,
                    "population": round(count),
                    "area_percent": round(100 * count / area_total, 2),
                    "england_percent": round(100 * england_count / england_total, 2),
                }
            )
    population_table = DataTable(
        "population",
        f"Population by age, {area.name}, mid-{POPULATION_YEAR}",
        [
            ("band", "Age band"),
            ("population", "Population"),
            ("area_percent", f"% of {area.name}"),
            ("england_percent", "% of England"),
        ],
        population_rows,
        decimals={"population": 0, "area_percent": 1, "england_percent": 1},
    )
    sex_table, _ = population_by_sex(area)
    tables = [ward_table, population_table, *([sex_table] if sex_table else [])]
    tables += ethnicity_tables(area)
    return tables, wards, population_rows


@html_cached_for_the_public
def area(request, code: str, fmt: str | None = None):
    place = Area.objects.select_related("parent").filter(code=code).first()
    if place is None:
        return error_response(request, 404, f"No area has the code {code!r}.", fmt)
    tables, wards, population_rows = _area_tables(place)
    total = queries.total_population(place, POPULATION_YEAR)
    if fmt == "json":
        return page_json(
            place.name,
            tables,
            area={"code": place.code, "name": place.name, "type": place.get_area_type_display()},
            population=total,
        )
    ward_map = charts.choropleth(
        "ward-deprivation-map",
        f"Deprivation by ward, {place.name}",
        "Wards shaded by the average IMD 2019 rank of their LSOAs: darker wards are more "
        "deprived (rank 1 is the most deprived LSOA in England). The table below gives the "
        "same figures.",
        queries.features({ward["code"]: ward for ward in wards}),
        "average_imd_rank",
        "Average IMD rank",
        [
            ("name", "Ward", "nominal"),
            ("average_imd_rank", "Average IMD 2019 rank", "quantitative"),
            ("percent_in_most_deprived_decile", "% of LSOAs in most deprived 10%", "quantitative"),
        ],
        reverse_colours=True,
    )
    pyramid = charts.population_by_age("population-by-age", place.name, population_rows)
    sex_table, sex_year = population_by_sex(place)
    sex_pyramid = (
        charts.population_pyramid("population-by-sex", place.name, sex_year, sex_table.rows)
        if sex_table
        else None
    )
    context = {
        "area": place,
        "region": place.region(),
        "population": total,
        "population_year": POPULATION_YEAR,
        "tables": {table.name: table for table in tables},
        "ward_map": ward_map,
        "pyramid": pyramid,
        "sex_pyramid": sex_pyramid,
        "sex_year": sex_year,
        "json_url": reverse("web:area_format", args=[place.code, "json"]),
        "outcome_links": outcome_links(place) if indicator_queries.area_has_values(code) else [],
    }
    return render(request, "web/area.html", context)


def area_table(request, code: str, table: str, fmt: str):
    place = Area.objects.filter(code=code).first()
    if place is None:
        return error_response(request, 404, f"No area has the code {code!r}.", fmt)
    tables = {t.name: t for t in _area_tables(place)[0]}
    if table not in tables:
        return error_response(
            request, 404, f"No table {table!r} for this area; tables: {', '.join(tables)}.", fmt
        )
    return table_response(tables[table], fmt, f"{place.code}-{table}")


def not_found(request, exception=None):
    return error_response(request, 404, "Page not found.")


def server_error(request):
    return error_response(request, 500, "Sorry, something went wrong on our side.")
