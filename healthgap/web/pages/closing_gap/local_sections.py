"""The sections of the closing-the-gap page from the area's record-level deaths: the
deprivation gap by cause and age, wards, men against women by cause, and each ward against the
city."""

from __future__ import annotations

from healthgap.areas.models import Area
from healthgap.web import outcome_charts
from healthgap.web.formats import DataTable
from healthgap.web.gap_charts import gap_bars
from healthgap.web.pages.closing_gap.columns import (
    CAUSE_COLUMNS,
    CAUSE_GAP_COLUMNS,
    GAP_COLUMNS,
    ONE_DECIMAL,
    TWO_DECIMALS,
    WARD_COLUMNS,
    WARD_GAP_COLUMNS,
    section,
)


def local_sections(area: Area, data: dict) -> list[dict]:
    cause_title = f"Gap between the most and least deprived fifth by cause, {area.name}"
    age_title = f"Gap between the most and least deprived fifth by age band, {area.name}"
    ward_title = f"Deaths a year to avert by ward at the least deprived fifth's rates, {area.name}"
    causes = gap_bars(
        "gap-cause-chart", cause_title,
        "How many years of the gap in life expectancy between the area's most and least "
        "deprived fifth of neighbourhoods each group of causes accounts for.",
        data["causes"], category_title="Cause group", value_title="Years of life expectancy",
    )  # fmt: skip
    ages = gap_bars(
        "gap-deprivation-age-chart", age_title,
        "The same gap split by age band: bars to the right are the ages where the most "
        "deprived fifth's death rates are higher.",
        data["ages"], category_title="Age band", value_title="Years of life expectancy",
    )  # fmt: skip
    wards = outcome_charts.ranked_bars(
        "ward-chart", ward_title,
        "Each ward's deaths a year minus those expected at the death rates of the area's least "
        "deprived fifth of neighbourhoods, largest first, with 95% limits.",
        data["wards"], value_title="Deaths a year to avert", colour_title="Measure",
        scale={"domain": ["Deaths a year to avert"], "range": ["#1d70b8"]},
    )  # fmt: skip
    return [
        section("gap-cause", "Within the area: the deprivation gap by cause", "", causes,
                DataTable("deprivation_gap_by_cause", cause_title, CAUSE_COLUMNS,
                          data["causes"], decimals={**ONE_DECIMAL, **TWO_DECIMALS})),
        section("gap-deprivation-age", "Within the area: the deprivation gap by age", "",
                ages, DataTable("deprivation_gap_by_age", age_title, GAP_COLUMNS,
                                data["ages"], decimals=TWO_DECIMALS)),
        section("wards", "Wards", "", wards,
                DataTable("wards", ward_title, WARD_COLUMNS, data["wards"],
                          decimals=ONE_DECIMAL)),
        _sex_cause_section(area, data),
        *_ward_gap_sections(area, data["ward_gap"]),
    ]  # fmt: skip


def _sex_cause_section(area: Area, data: dict) -> dict:
    title = f"Life expectancy gap between men and women by cause, {area.name}"
    chart = gap_bars(
        "gap-sex-cause-chart", title,
        "How many years of women's longer life expectancy each group of causes accounts for: "
        "bars to the right are causes of which men die more often.",
        data["sex_causes"], category_title="Cause group", value_title="Years of life expectancy",
    )  # fmt: skip
    text = (
        "Deaths by sex from the council's records; the neighbourhoods' population split "
        "between men and women in each age band as in ONS's population estimates for the area."
    )
    table = DataTable("sex_gap_by_cause", title, CAUSE_GAP_COLUMNS, data["sex_causes"],
                      decimals=TWO_DECIMALS)  # fmt: skip
    return section("gap-sex-cause", "Men and women, by cause", text, chart, table)


def _ward_gap_sections(area: Area, ward: dict) -> list[dict]:
    """Each ward's life expectancy against the city's; the chosen ward's gap by age and cause."""
    ranked_title = f"Life expectancy gap between each ward and {area.name}"
    age_title = f"Life expectancy gap between {ward['name']} and {area.name} by age band"
    cause_title = f"Life expectancy gap between {ward['name']} and {area.name} by cause"
    explained = "Bars to the right widen the gap (the ward's death rates are higher)."
    ranked = gap_bars(
        "ward-gap-chart", ranked_title,
        f"How many years shorter life expectancy at birth is in each ward than in {area.name} "
        "as a whole, largest gap first.",
        ward["ranked"], category_title="Ward", value_title="Years of life expectancy",
    )  # fmt: skip
    ages = gap_bars("ward-gap-age-chart", age_title, f"By age band (Arriaga). {explained}",
                    ward["ages"], category_title="Age band",
                    value_title="Years of life expectancy")  # fmt: skip
    causes = gap_bars("ward-gap-cause-chart", cause_title, f"By cause. {explained}",
                      ward["causes"], category_title="Cause group",
                      value_title="Years of life expectancy")  # fmt: skip
    row = ward["row"]
    text = (f"Life expectancy at birth in {ward['name']} is {row['area']} years, against "
            f"{row['city']} in {area.name}: a gap of {row['value']} years. Choose another ward "
            "with the filters above.")  # fmt: skip
    return [
        section("ward-gap", "Each ward against the city", "", ranked,
                DataTable("ward_life_expectancy", ranked_title, WARD_GAP_COLUMNS,
                          ward["ranked"], decimals=TWO_DECIMALS)),
        section("ward-gap-age", f"{ward['name']} against the city, by age", text, ages,
                DataTable("ward_gap_by_age", age_title, GAP_COLUMNS, ward["ages"],
                          decimals=TWO_DECIMALS)),
        section("ward-gap-cause", f"{ward['name']} against the city, by cause", "", causes,
                DataTable("ward_gap_by_cause", cause_title, CAUSE_GAP_COLUMNS, ward["causes"],
                          decimals=TWO_DECIMALS)),
    ]  # fmt: skip
