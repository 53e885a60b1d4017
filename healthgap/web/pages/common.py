"""What every outcome page shares: its data bundle, filters, significance and number format."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from healthgap.areas.models import Area
from healthgap.constants import NOT_COMPARED
from healthgap.indicators.disclosure import as_published
from healthgap.indicators.models import Indicator, Polarity, ValueType
from healthgap.methods import compare_to_benchmark
from healthgap.web.charts import Chart
from healthgap.web.formats import DataTable, NotFound
from healthgap.web.indicator_pages import definition_url

POLARITY_WORDS = {
    Polarity.HIGH_IS_GOOD: "high is good",
    Polarity.LOW_IS_GOOD: "low is good",
    Polarity.NO_JUDGEMENT: "no judgement",
}
DIRECTIONS = ("Better", "Worse", "Higher", "Lower")
LEVELS = {"95": "95%", "99.8": "99.8%"}
DISCLOSURE_COLUMN = ("disclosure", "Disclosure control")


@dataclass
class Filter:
    """One select in a page's filter form; ``options`` are (value, label) pairs."""

    name: str
    label: str
    options: list[tuple[str, str]]
    selected: str
    # Option values that are not stored indicators (a derived axis), so have no definition page.
    without_definition: frozenset[str] = frozenset()


@dataclass
class OutcomePage:
    """Everything one outcome page shows: its tables are exactly what its charts draw."""

    title: str
    template: str
    tables: list[DataTable]
    charts: dict[str, Chart] = field(default_factory=dict)
    filters: list[Filter] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    synthetic: bool = False

    def table(self, name: str) -> DataTable:
        for table in self.tables:
            if table.name == name:
                return table
        names = ", ".join(table.name for table in self.tables)
        raise NotFound(f"No table {name!r} on this page; tables: {names}.")

    def filter_values(self) -> dict[str, str]:
        return {item.name: item.selected for item in self.filters}

    def definitions(self) -> list[dict]:
        """The definition page of each indicator the page shows: those its indicator selects
        choose (``indicator``, ``x_indicator`` ...)."""
        found = []
        for item in self.filters:
            if "indicator" in item.name and item.selected not in item.without_definition | {""}:
                name = dict(item.options).get(item.selected, item.selected)
                found.append({"name": name, "url": definition_url(item.selected)})
        return found


def authority_groups(area: Area) -> dict[str, tuple[str, list[Area]]]:
    """{key: (label, authorities)}: the upper-tier authorities of the area's region, and of
    England."""
    region = area.region()
    found = {}
    if region:
        found["region"] = (
            f"Upper-tier authorities in {region.name}",
            list(Area.objects.upper_tier().filter(parent=region)),
        )
    found["england"] = ("Upper-tier authorities in England", list(Area.objects.upper_tier()))
    return found


def choose(params, name: str, options: list[tuple[str, str]], default: str = "") -> str:
    """The query-string value if it is one of the options, else the default."""
    value = params.get(name, default)
    return value if value in {option for option, _ in options} else default


def plain_options(values) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


def polarity_words(indicator: Indicator) -> str:
    return POLARITY_WORDS.get(indicator.polarity, "no judgement")


def rounded(number, places: int = 1):
    """The number to ``places`` decimals (a whole number for 0), None when missing."""
    if number is None or pd.isna(number):
        return None
    value = round(float(number), places)
    return int(value) if places == 0 else value


def decimals(indicator: Indicator) -> int:
    """Decimal places an indicator's figures are shown with in HTML: none for counts, else one
    (as Fingertips shows rates, percentages and life expectancy)."""
    return 0 if indicator.value_type == ValueType.COUNT else 1


def compared(rows: list[dict], benchmark: float | None, indicator: Indicator, level: str) -> list:
    """Fingertips labels for each row's interval against a benchmark value (Not compared when
    either is missing); ``level`` "99.8" uses the 99.8% limits."""
    if benchmark is None or not rows:
        return [NOT_COMPARED] * len(rows)
    lower, upper = ("lower998", "upper998") if level == "99.8" else ("lower95", "upper95")
    frame = pd.DataFrame(
        [[row["value"], row[lower], row[upper]] for row in rows],
        columns=["value", "lower", "upper"],
        dtype="float64",
    )
    result = compare_to_benchmark(
        frame, "value", "lower", "upper", float(benchmark), polarity=polarity_words(indicator)
    )
    return list(result["comparison"])


def stored_comparison(row: dict, against: str = "england") -> str:
    """The benchmark label computed at import, in Fingertips' five-level form where the 99.8%
    result is known ("Better 99.8%", "Better 95%", "Similar" ...)."""
    at95 = row.get(f"compared_to_{against}") or NOT_COMPARED
    at998 = row.get(f"compared_to_{against}_998") or ""
    if at95 in ("Similar", NOT_COMPARED) or at998 not in DIRECTIONS:
        return at95
    return f"{at95} 99.8%" if at998 == at95 else f"{at95} 95%"


def trend_label(row: dict) -> str:
    """The recent-trend marker, saying so where it is the one the publisher computed (the store
    lacks the history to compute it)."""
    marker = row.get("recent_trend") or "Cannot be calculated"
    return f"{marker} (as published)" if row.get("trend_basis") == "published" else marker


def series_label(indicator: Indicator, sex: str, age: str) -> str:
    return f"{indicator.name} ({sex}, {age})"


def published_values(
    indicator: Indicator, rows: list[dict], unsuppressed: bool, names: dict[str, str]
) -> tuple[list[dict], dict | None]:
    """Some of the indicator's values as the visitor may see them, and, for an indicator under
    disclosure control, what the control did: ``{"unsuppressed", "rule", "suppress_up_to",
    "round_to", "suppressed"}`` (the indicator's rule, and the names, from ``names`` by code, of
    the areas whose figures are hidden). Signed-in analysts (``unsuppressed``) see the figures as
    computed, marked as such."""
    if not indicator.needs_disclosure_control:
        return rows, None
    shown = as_published(indicator, rows, unsuppressed)
    hidden = sorted(names[r["area_id"]] for r in shown if r["suppressed"] and r["area_id"] in names)
    rule = indicator.disclosure_rule()
    return shown, {
        "unsuppressed": unsuppressed,
        "rule": rule.name,
        "suppress_up_to": rule.high,
        "round_to": rule.rounding_base,
        "suppressed": hidden,
    }


def with_disclosure_column(columns: list[tuple[str, str]], disclosure: dict | None) -> list:
    """The table's columns, with "Disclosure control" for an indicator under control."""
    return [*columns, DISCLOSURE_COLUMN] if disclosure else columns
