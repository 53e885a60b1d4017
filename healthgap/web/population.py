"""The population pyramid by sex: males and females in each five-year age band, from the latest
year for which the store holds the area's population by sex (which the page names)."""

from __future__ import annotations

from django.db.models import Max

from healthgap.areas import queries
from healthgap.areas.models import ESP2013_BANDS, Area, PopulationEstimate, Sex
from healthgap.web.formats import DataTable

COLUMNS = [
    ("band", "Age band"),
    ("males", "Males"),
    ("females", "Females"),
    ("male_percent", "Males, % of population"),
    ("female_percent", "Females, % of population"),
]


def latest_year_by_sex(area: Area) -> int | None:
    found = PopulationEstimate.objects.filter(area=area, sex=Sex.MALE).aggregate(year=Max("year"))
    return found["year"]


def population_by_sex(area: Area) -> tuple[DataTable | None, int | None]:
    """The table of males and females by age band (None when the store has no split by sex)."""
    year = latest_year_by_sex(area)
    if year is None:
        return None, None
    males = queries.population_in_esp_bands([area.code], year, Sex.MALE).get(area.code)
    females = queries.population_in_esp_bands([area.code], year, Sex.FEMALE).get(area.code)
    if not males or not females:
        return None, None
    total = (sum(males) + sum(females)) or 1
    rows = [
        {
            "band": queries.band_label(start, end),
            "order": order,
            "males": round(male),
            "females": round(female),
            "male_percent": round(100 * male / total, 2),
            "female_percent": round(100 * female / total, 2),
        }
        for order, ((start, end), male, female) in enumerate(zip(ESP2013_BANDS, males, females))
    ]
    title = f"Population by age and sex, {area.name}, mid-{year}"
    places = {"males": 0, "females": 0, "male_percent": 1, "female_percent": 1}
    return DataTable("population_by_sex", title, COLUMNS, rows, decimals=places), year
