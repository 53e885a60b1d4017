"""Read-side questions about indicator values that the outcome pages share.

Every function returns plain dicts (one per published figure) so that pages, downloads and
caches handle one shape, benchmark results stored at import (``compared_to_england`` ...)
included.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, Q

from healthgap.areas.models import Area
from healthgap.indicators.models import ImportRecord, Indicator, IndicatorValue

FIELDS = (
    "indicator_id",
    "area_id",
    "sex",
    "age",
    "category_type",
    "category",
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
    "value_note",
    "compared_to_england",
    "compared_to_region",
    "compared_to_england_998",
    "compared_to_region_998",
    "rank_upper_tier",
    "ranked_among",
    "quartile_upper_tier",
    "quintile_upper_tier",
    "recent_trend",
    "trend_basis",
    "period__label",
    "period__start",
    "period_id",
)


def value_rows(queryset) -> list[dict]:
    """Each value as a dict with ``period`` (label) and ``period_start`` added."""
    rows = []
    for row in queryset.values(*FIELDS):
        row["period"] = row.pop("period__label")
        row["period_start"] = row.pop("period__start")
        rows.append(row)
    return rows


def data_stamp() -> str:
    """Changes whenever indicator data is imported or replaced (every import writes an
    ImportRecord): part of every cache key. Two index look-ups, no scan."""
    values = IndicatorValue.objects.aggregate(last=Max("id"))
    imports = ImportRecord.objects.aggregate(last=Max("id"), finished=Max("finished_at"))
    return f"{values['last']}-{imports['last']}-{imports['finished']}"


def indicators_by_code(codes) -> dict[str, Indicator]:
    return {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=codes)}


def whole_population(queryset):
    """Values for the whole population (no breakdown by deprivation, ethnic group ...)."""
    return queryset.filter(category_type="", category="")


def area_values(area_code: str) -> list[dict]:
    """Every whole-population value published for one area."""
    rows = IndicatorValue.objects.filter(area_id=area_code)
    return value_rows(whole_population(rows).order_by("indicator_id", "period__start"))


def breakdown_values(area_code: str, indicator_code: str) -> list[dict]:
    """Every value of one indicator for one area, breakdowns included."""
    rows = IndicatorValue.objects.filter(area_id=area_code, indicator_id=indicator_code)
    return value_rows(rows.order_by("period__start", "category_type", "category", "sex", "age"))


def series_key(row: dict) -> tuple:
    """What makes a time series: indicator, sex and age (whole population)."""
    return (row["indicator_id"], row["sex"], row["age"])


def point_key(row: dict) -> tuple:
    """One published figure per area: indicator, period, sex and age (whole population)."""
    return (row["indicator_id"], row["period"], row["sex"], row["age"])


def _points_filter(points) -> Q:
    query = Q(pk__in=[])
    for indicator, period, sex, age in points:
        query |= Q(indicator_id=indicator, period__label=period, sex=sex, age=age)
    return query


def values_at(points, area_codes=None, area_types=None) -> list[dict]:
    """Whole-population values at the given (indicator, period, sex, age) points, for the
    areas given by code and/or type, in one query."""
    points = list(points)
    if not points:
        return []
    rows = whole_population(IndicatorValue.objects.filter(_points_filter(points)))
    if area_codes is not None:
        rows = rows.filter(area_id__in=area_codes)
    if area_types is not None:
        rows = rows.filter(area__area_type__in=area_types)
    return value_rows(rows)


def point_values(rows, benchmark_codes) -> tuple[dict[tuple, float | None], dict[tuple, list]]:
    """At the points of the value rows given (indicator, period, sex, age), in one query of
    plain tuples: each benchmark area's value, ``{(point, code): value}``, and every upper-tier
    authority's value, ``{point: [values]}``, for spine charts. Benchmark areas are England
    and regions, never upper-tier authorities themselves."""
    wanted = {point_key(row) for row in rows}
    labels = {row["period_id"]: row["period"] for row in rows}
    indicators_by_period: dict[int, set] = defaultdict(set)
    for row in rows:
        indicators_by_period[row["period_id"]].add(row["indicator_id"])
    if not wanted:
        return {}, {}
    at_points = Q(pk__in=[])
    for period, indicators in indicators_by_period.items():
        at_points |= Q(period_id=period, indicator_id__in=indicators)
    upper_tier = Area.objects.upper_tier().values("code")
    found = (
        whole_population(IndicatorValue.objects.filter(at_points))
        .filter(Q(area_id__in=upper_tier) | Q(area_id__in=list(benchmark_codes)))
        .values_list("indicator_id", "period_id", "sex", "age", "area_id", "value")
    )
    codes = set(benchmark_codes)
    by_area: dict[tuple, float | None] = {}
    spread: dict[tuple, list] = defaultdict(list)
    for indicator, period, sex, age, area, value in found:
        point = (indicator, labels[period], sex, age)
        if point not in wanted:
            continue
        if area in codes:
            by_area[point, area] = value
        elif value is not None:
            spread[point].append(value)
    return by_area, dict(spread)


def series_values(indicator_code: str, area_codes, sex: str, age: str) -> list[dict]:
    """One indicator's whole-population series for several areas, oldest first."""
    rows = IndicatorValue.objects.filter(
        indicator_id=indicator_code, area_id__in=list(area_codes), sex=sex, age=age
    )
    return value_rows(whole_population(rows).order_by("period__start"))


def indicator_values(indicator_code: str, area_codes, period: str, sex: str, age: str):
    """One indicator at one point, for the areas given."""
    return values_at([(indicator_code, period, sex, age)], area_codes=list(area_codes))


def indicator_points(indicator_code: str, area_codes) -> list[tuple]:
    """The (period, sex, age) points at which any of the areas has a value, latest first."""
    rows = (
        whole_population(IndicatorValue.objects.filter(indicator_id=indicator_code))
        .filter(area_id__in=list(area_codes))
        .values_list("period__label", "period__start", "sex", "age")
        .distinct()
    )
    ordered = sorted(set(rows), key=lambda row: row[1], reverse=True)
    return [(label, sex, age) for label, _, sex, age in ordered]


def areas_with_data(indicator_code: str, area_codes) -> set[str]:
    """The areas given that have any whole-population value of the indicator."""
    rows = whole_population(IndicatorValue.objects.filter(indicator_id=indicator_code))
    rows = rows.filter(area_id__in=list(area_codes)).values_list("area_id", flat=True)
    return set(rows.distinct())


def area_has_values(area_code: str) -> bool:
    """Whether any whole-population value is stored for the area (breakdowns alone, such as
    the census ethnic groups its page shows, make no outcome page)."""
    return whole_population(IndicatorValue.objects.filter(area_id=area_code)).exists()


def indicators_with_data(area_codes) -> list[Indicator]:
    """Indicators with any whole-population value for the areas given."""
    codes = (
        whole_population(IndicatorValue.objects.filter(area_id__in=list(area_codes)))
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    return list(Indicator.objects.filter(code__in=codes).order_by("domain", "name"))
