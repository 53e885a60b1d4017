"""The closing-the-gap page's download tables: their columns and decimals, and the section
(heading, words, chart and table) each one is shown in."""

from __future__ import annotations

from healthgap.web.pages.common import DISCLOSURE_COLUMN

AVERT_COLUMNS = [
    ("series", "Sex"), ("category", "Age band"), ("observed", "Deaths a year"),
    ("expected", "Deaths a year at the target's rates"), ("value", "Deaths a year to avert"),
    ("lower", "Lower 95% limit"), ("upper", "Upper 95% limit"),
]  # fmt: skip
GAP_COLUMNS = [("series", "Group"), ("category", "Age band"),
               ("value", "Contribution to the gap (years)")]  # fmt: skip
CAUSE_COLUMNS = [
    ("category", "Cause group"), ("value", "Contribution to the gap (years)"),
    ("observed", "Deaths a year"), ("avert", "Deaths a year to avert"),
    ("lower", "Lower 95% limit"), ("upper", "Upper 95% limit"),
    ("preventable", "Deaths a year considered preventable"), DISCLOSURE_COLUMN,
]  # fmt: skip
WARD_COLUMNS = [
    ("name", "Ward"), ("code", "Code"), ("observed", "Deaths a year"),
    ("expected", "Deaths a year at the target's rates"), ("value", "Deaths a year to avert"),
    ("lower", "Lower 95% limit"), ("upper", "Upper 95% limit"),
    ("preventable", "Deaths a year considered preventable"), DISCLOSURE_COLUMN,
]  # fmt: skip
ONE_DECIMAL = {"observed": 1, "expected": 1, "value": 1, "lower": 1, "upper": 1, "avert": 1,
               "preventable": 1}  # fmt: skip
TWO_DECIMALS = {"value": 2}
TRAJECTORY_COLUMNS = [
    ("category", "Year"), ("expected", "Age-standardised death rate on the path (per 100,000)"),
    ("value", "Deaths a year to avert"),
]  # fmt: skip
CAUSE_GAP_COLUMNS = [("series", "Group"), ("category", "Cause group"),
                     ("value", "Contribution to the gap (years)")]  # fmt: skip
WARD_GAP_COLUMNS = [
    ("name", "Ward"), ("code", "Code"), ("area", "Life expectancy in the ward (years)"),
    ("city", "Life expectancy in the city (years)"), ("value", "Gap with the city (years)"),
]  # fmt: skip


def section(key, heading, text, chart, table) -> dict:
    return {"key": key, "heading": heading, "text": text, "chart": chart, "table": table}
