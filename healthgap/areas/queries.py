"""Read-side questions about areas that pages, exports and reports share."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Max, Q, Sum

from healthgap.areas.lsoa_changes import authority_name, match_2021_lsoas, msoa_name
from healthgap.areas.models import (
    ESP2013_BANDS,
    IMD,
    Area,
    AreaType,
    Boundary,
    Deprivation,
    PopulationEstimate,
    Sex,
)


def band_label(start: int, end: int | None) -> str:
    return f"{start}+" if end is None else f"{start}-{end}"


def esp_band_index(age: int) -> int:
    """Which of the 19 ESP 2013 bands a single year of age falls in (90+ is the last)."""
    return min(age // 5, len(ESP2013_BANDS) - 1)


def population_in_esp_bands(codes: list[str], year: int, sex: str = Sex.PERSONS) -> dict:
    """{area code: [19 counts, 0-4 ... 90+]} summed from single years of age."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(ESP2013_BANDS))
    rows = PopulationEstimate.objects.filter(area_id__in=codes, year=year, sex=sex).values_list(
        "area_id", "age", "count"
    )
    for code, age, count in rows:
        totals[code][esp_band_index(age)] += count
    return dict(totals)


def england_population_in_esp_bands(year: int, sex: str = Sex.PERSONS) -> list[float]:
    """England's population by ESP band, summed over its upper-tier authorities."""
    upper_tier = list(Area.objects.upper_tier().values_list("code", flat=True))
    bands = [0.0] * len(ESP2013_BANDS)
    rows = (
        PopulationEstimate.objects.filter(area_id__in=upper_tier, year=year, sex=sex)
        .values("age")
        .annotate(total=Sum("count"))
    )
    for row in rows:
        bands[esp_band_index(row["age"])] += row["total"]
    return bands


def total_population(area: Area, year: int) -> float | None:
    total = PopulationEstimate.objects.filter(area=area, year=year, sex=Sex.PERSONS).aggregate(
        total=Sum("count")
    )["total"]
    return total


def lsoa_2021_matches(lsoas_2021: dict[str, str]):
    """The 2011 LSOAs healthgap holds that each 2021 LSOA (code -> name) covers, with the share
    of its people in each (``areas.lsoa_changes``), from the 2011 LSOAs of the same authorities
    and their latest population."""
    authorities = {authority_name(msoa_name(name)) for name in lsoas_2021.values()}
    named = Q()
    for authority in authorities:
        named |= Q(name__startswith=f"{authority} ")
    lsoas_2011 = dict(Area.objects.of_type(AreaType.LSOA).filter(named).values_list("code", "name"))
    people = PopulationEstimate.objects.filter(area_id__in=lsoas_2011, sex=Sex.PERSONS)
    latest = people.aggregate(year=Max("year"))["year"]
    population = dict(
        people.filter(year=latest)
        .values("area_id")
        .annotate(total=Sum("count"))
        .values_list("area_id", "total")
    )
    return match_2021_lsoas(lsoas_2011, lsoas_2021, population)


def wards_of(area: Area):
    """Wards inside a local authority (directly, or through its districts for a county)."""
    return Area.objects.of_type(AreaType.WARD).filter(Q(parent=area) | Q(parent__parent=area))


def ward_deprivation(area: Area, year: int = 2019) -> list[dict]:
    """Each ward's LSOAs summarised: how many, their average IMD rank, and how many fall in
    England's most deprived 10%. (IMD is published for LSOAs; wards are built from them.)"""
    rows = (
        Deprivation.objects.filter(
            domain=IMD, year=year, area__area_type=AreaType.LSOA, area__ward__in=wards_of(area)
        )
        .values("area__ward_id", "area__ward__name")
        .annotate(
            lsoas=Count("id"),
            average_rank=Avg("rank"),
            most_deprived=Count("id", filter=Q(decile=1)),
        )
        .order_by("average_rank")
    )
    return [
        {
            "code": row["area__ward_id"],
            "name": row["area__ward__name"],
            "lsoas": row["lsoas"],
            "average_imd_rank": round(row["average_rank"]),
            "lsoas_in_most_deprived_decile": row["most_deprived"],
            "percent_in_most_deprived_decile": round(100 * row["most_deprived"] / row["lsoas"], 1),
        }
        for row in rows
    ]


def features(codes_to_properties: dict[str, dict]) -> list[dict]:
    """GeoJSON features for the areas given, each with the properties given for it."""
    boundaries = Boundary.objects.filter(area_id__in=codes_to_properties)
    return [
        {
            "type": "Feature",
            "id": boundary.area_id,
            "properties": {"code": boundary.area_id, **codes_to_properties[boundary.area_id]},
            "geometry": boundary.geometry,
        }
        for boundary in boundaries
    ]
