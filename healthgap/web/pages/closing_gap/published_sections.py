"""The sections of the closing-the-gap page from ONS's published deaths: deaths to avert and the
gap with England by age band, men against women, and the path to the target."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.web.formats import DataTable
from healthgap.web.gap_charts import gap_bars
from healthgap.web.pages.closing_gap.columns import (
    AVERT_COLUMNS,
    GAP_COLUMNS,
    ONE_DECIMAL,
    TRAJECTORY_COLUMNS,
    TWO_DECIMALS,
    section,
)


def published_sections(area: Area, data: dict, year: str) -> list[dict]:
    bands = [row for row in data["avert"] if not row["total"]]
    target = data["target_name"]
    avert_title = f"Deaths a year to avert to reach {target}'s death rates, {area.name}, {year}"
    gap_title = f"Life expectancy gap with England by age band, {area.name}, {year}"
    avert = gap_bars(
        "avert-chart", avert_title,
        f"For men and women, each age band's deaths in {year} minus the deaths there would have "
        f"been at {target}'s death rates for that band. Bars to the right are deaths to avert.",
        bands, category_title="Age band", value_title="Deaths a year to avert",
    )  # fmt: skip
    gap = gap_bars(
        "gap-age-chart", gap_title,
        "For men and women, how many years of the gap in life expectancy at birth between "
        f"{area.name} and England each age band accounts for (Arriaga). Bars to the right "
        "widen the gap; to the left, narrow it.",
        data["gap"], category_title="Age band", value_title="Years of life expectancy",
    )  # fmt: skip
    return [
        section("avert", "Deaths a year to avert, by age band", "", avert,
                DataTable("deaths_to_avert", avert_title, AVERT_COLUMNS, data["avert"],
                          decimals=ONE_DECIMAL)),
        section("gap-age", "The life expectancy gap with England, by age", "", gap,
                DataTable("life_expectancy_gap_by_age", gap_title, GAP_COLUMNS, data["gap"],
                          decimals=TWO_DECIMALS)),
        _sex_section(area, data, year),
        *_trajectory_sections(area, data, year),
    ]  # fmt: skip


def _sex_section(area: Area, data: dict, year: str) -> dict:
    title = f"Life expectancy gap between men and women by age band, {area.name}, {year}"
    chart = gap_bars(
        "gap-sex-age-chart", title,
        "How many years of women's longer life expectancy at birth each age band accounts for "
        "(Arriaga, men against women). Bars to the right are ages where men's death rates are "
        "higher than women's.",
        data["sexes"], category_title="Age band", value_title="Years of life expectancy",
    )  # fmt: skip
    text = (
        f"Life expectancy at birth in {year} was {data['le_men']} years for men and "
        f"{data['le_women']} for women: a gap of {data['sex_gap']} years."
    )
    table = DataTable("sex_gap_by_age", title, GAP_COLUMNS, data["sexes"], decimals=TWO_DECIMALS)
    return section("gap-sex-age", "Men and women, by age", text, chart, table)


def _trajectory_sections(area: Area, data: dict, year: str) -> list[dict]:
    """The path to the target's DSR, or nothing when the area is already at or below it."""
    path = data["trajectory"]
    if not path["rows"]:
        return []
    title = (f"Deaths a year to avert on the path to {data['target_name']}'s death rate by "
             f"{path['goal']}, {area.name}")  # fmt: skip
    chart = gap_bars(
        "trajectory-chart", title,
        f"For each year from {year} to {path['goal']}, the deaths a year fewer than in {year} "
        "that would put the area on the path to the target's age-standardised death rate.",
        path["rows"], category_title="Year", value_title="Deaths a year to avert",
    )  # fmt: skip
    text = (
        f"The age-standardised death rate (persons, {data['ages']}) was {path['baseline']} per "
        f"100,000 in {year}; {data['target_name']}'s was {path['target']}."
    )
    table = DataTable("trajectory", title, TRAJECTORY_COLUMNS, path["rows"],
                      decimals=ONE_DECIMAL)  # fmt: skip
    return [section("trajectory", "The path to the target", text, chart, table)]
