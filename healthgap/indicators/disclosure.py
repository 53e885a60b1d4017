"""Disclosure control of indicator values before they are published (issue 17).

Values of an indicator flagged ``needs_disclosure_control`` pass through
``healthgap.methods.disclose`` with every additive relation the published figures make public:
an area's value and its child areas' (wards in a city, a city in its region), persons and the
two sexes, age bands and the wider band they fill (``indicators.ages``), the whole population
and each breakdown's categories. Indicators without the flag (Fingertips exports and other
official open sources) keep their source's own treatment.

Every figure derived from the numerator is controlled with it, not only the count: a proportion
or crude rate times its denominator gives the count back, and so do its Wilson or Byar's limits.
So the count a row's value implies stands in for a missing count, and where rounding changed
the count the value and limits are worked out again from the rounded count
(``methods.proportion``, ``methods.rate``); suppressed rows show none of them. Standardised
figures give their count back through their limits too (Byar's limits of an ISR fix its
observed count; a DSR's limits, the count its variance was scaled by): where rounding changed
the count, a DSR or ISR is worked out again from the rounded count (a life expectancy's limits
cannot give a count back and are kept: ``methods.from_rounded_count``).

Secondary suppression needs the whole set of related cells, so disclosure is applied to all the
values of an indicator for each period, sex, age and breakdown before any filtering or paging.
"""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import median

import pandas as pd

from healthgap.areas.models import Area, AreaType
from healthgap.constants import FEMALE, MALE, PERSONS
from healthgap.indicators.ages import tilings
from healthgap.indicators.models import Indicator, IndicatorValue, ValueType
from healthgap.indicators.queries import value_rows
from healthgap.methods import DisclosureRule, disclose, from_rounded_count, proportion, rate
from healthgap.methods.disclosure import NATIONAL, REFIGURED_KINDS, SHOWN_AS_SUPPRESSED

LIMITS = ("lower95", "upper95", "lower998", "upper998")
# The methods' limit columns at (0.95, 0.998), in the order of LIMITS.
METHOD_LIMITS = ("lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl")
LIMIT_PAIRS = (("lower95", "upper95", 0.95), ("lower998", "upper998", 0.998))
UNSUPPRESSED_NOTE = "Unsuppressed: shown to signed-in analysts only; do not publish."
# Value types that are the count over the denominator (times a multiplier).
FROM_COUNT = (ValueType.PROPORTION, ValueType.CRUDE_RATE)
DEFAULT_MULTIPLIER = {ValueType.PROPORTION: 100.0, ValueType.CRUDE_RATE: 100_000.0}
OVER_DENOMINATOR = "value withheld: the rounded count is above the denominator"
KEYS = ("area_id", "period", "sex", "age", "category_type", "category")
ORDER = ("area_id", "period__start", "sex", "age", "category_type", "category")


def cell_id(row: dict) -> str:
    return "|".join(str(row[key]) for key in KEYS)


def _with(row: dict, **changes) -> str:
    return cell_id({**row, **changes})


def _age_constraints(rows: list[dict]) -> list[tuple[str, list]]:
    """Age bands in the wider band they fill, for each area, period, sex and breakdown."""
    ages = defaultdict(list)
    for row in rows:
        ages[_with(row, age="")].append(row)
    found = []
    for series in ages.values():
        by_age = {row["age"]: row for row in series}
        for whole, parts in tilings(list(by_age)):
            found.append((cell_id(by_age[whole]), [cell_id(by_age[part]) for part in parts]))
    return found


def _constraints(rows: list[dict], parents: dict[str, str | None]) -> list[tuple[str, list]]:
    """(total, parts) for areas in their parent, sexes in persons, age bands in the band they
    fill, categories in the whole."""
    present = {cell_id(row) for row in rows}
    children, sexes, categories = defaultdict(list), {}, defaultdict(list)
    for row in rows:
        own = cell_id(row)
        parent = parents.get(row["area_id"])
        if parent and _with(row, area_id=parent) in present:
            children[_with(row, area_id=parent)].append(own)
        if row["sex"] == PERSONS:
            sexes[own] = [_with(row, sex=sex) for sex in (MALE, FEMALE)]
        if row["category_type"]:
            whole = _with(row, category_type="", category="")
            if whole in present:
                categories[(whole, row["category_type"])].append(own)
    found = list(children.items())
    found += [(total, parts) for total, parts in sexes.items() if all(p in present for p in parts)]
    found += [(whole, parts) for (whole, _), parts in categories.items()]
    return found + _age_constraints(rows)


def _known(figure) -> bool:
    return figure is not None and not pd.isna(figure)


def multiplier(value_type: str, rows: list[dict]) -> float:
    """What a proportion or crude rate is per (100 for a percentage, 100,000 ...): read from
    the figures themselves (value x denominator / count, to the nearest power of ten), else the
    value type's usual one."""
    ratios = [
        row["value"] * row["denominator"] / row["count"]
        for row in rows
        if all(_known(row[key]) for key in ("value", "denominator", "count"))
        and row["count"] > 0
        and row["value"] > 0
    ]
    if ratios:
        return 10.0 ** round(math.log10(median(ratios)))
    return DEFAULT_MULTIPLIER.get(value_type, 1.0)


def _implied_counts(value_type: str, rows: list[dict], per: float) -> list:
    """Each row's count, or where none is held the count its value and denominator give away
    (proportions and crude rates)."""
    derived = value_type in FROM_COUNT
    counts = []
    for row in rows:
        if _known(row["count"]):
            counts.append(row["count"])
        elif derived and _known(row["value"]) and _known(row["denominator"]):
            counts.append(float(round(row["value"] * row["denominator"] / per)))
        else:
            counts.append(None)
    return counts


def disclosed_rows(indicator: Indicator, rows: list[dict]) -> list[dict]:
    """``rows`` (dicts from ``queries.value_rows``, every value of ``indicator`` that relates
    to each other) as they may be published: under control if the indicator is flagged
    (:func:`controlled_rows`), else as they are."""
    if not indicator.needs_disclosure_control or not rows:
        return [{**row, "suppressed": False, "disclosure": ""} for row in rows]
    return controlled_rows(indicator.value_type, rows, rule=indicator.disclosure_rule())


def controlled_rows(
    value_type: str,
    rows: list[dict],
    more_constraints: list[tuple[str, list]] = (),
    published: dict[str, bool] | None = None,
    rule: DisclosureRule | None = None,
) -> list[dict]:
    """``rows`` (in the shape of ``queries.value_rows``: every value of one indicator, of
    ``value_type``, that relates to each other) under disclosure control: suppressed counts,
    values and limits become None with ``suppressed`` True and the reason in ``disclosure``;
    other counts are rounded, and the figures of proportions, crude rates and standardised
    figures follow the rounded count. Areas healthgap does not know (a place) are local.
    ``more_constraints`` (total, parts) by cell id join those of the hierarchy; ``published``
    (cell id -> suppressed) holds rows another output already publishes, which keep their
    state. ``rule``: the indicator's (``Indicator.disclosure_rule``), by default NHS England's."""
    if not rows:
        return []
    area_codes = {row["area_id"] for row in rows}
    areas = Area.objects.filter(code__in=area_codes).values_list("code", "parent_id", "area_type")
    parents = {code: parent for code, parent, _ in areas}
    national = {code for code, _, area_type in areas if area_type == AreaType.ENGLAND}
    per = multiplier(value_type, rows)
    counts = _implied_counts(value_type, rows, per)
    cells = pd.DataFrame(
        {
            "id": [cell_id(row) for row in rows],
            "count": pd.to_numeric(pd.Series(counts, dtype=object)),
            "value": [row["value"] for row in rows],
            "value_type": value_type,
            "level": [NATIONAL if row["area_id"] in national else "local" for row in rows],
            "published": [(published or {}).get(cell_id(row)) for row in rows],
        }
    )
    constraints = _constraints(rows, parents) + list(more_constraints)
    shown = disclose(cells, constraints, rule, published="published")
    out = [_shown(row, cell) for row, cell in zip(rows, shown.itertuples(index=False))]
    if value_type in FROM_COUNT:
        _from_rounded_counts(value_type, out, counts, per)
    elif value_type in REFIGURED_KINDS:
        _standardised_from_rounded(value_type, out, counts)
    return out


def _shown(row: dict, cell) -> dict:
    shown = {**row, "count": _number(cell.count_shown), "value": _number(cell.value_shown)}
    if shown["value"] is None:
        shown.update(dict.fromkeys(LIMITS))
    shown["suppressed"] = bool(cell.suppressed)
    shown["disclosure"] = cell.reason
    if cell.suppressed:
        shown["value_note"] = f"{SHOWN_AS_SUPPRESSED} suppressed ({cell.reason})"
    return shown


def _from_rounded_counts(value_type: str, out: list[dict], counts: list, per: float):
    """Value and limits worked out again from the published count wherever rounding changed
    it (in place): Wilson limits for proportions, Byar's (exact below 10) for crude rates."""
    changed = [
        number
        for number, (row, count) in enumerate(zip(out, counts))
        if row["value"] is not None
        and row["count"] is not None
        and row["count"] != count
        and _known(row["denominator"])
        and row["denominator"] > 0
    ]
    is_proportion = value_type == ValueType.PROPORTION
    over = [n for n in changed if is_proportion and out[n]["count"] > out[n]["denominator"]]
    for number in over:  # e.g. 8 of 9 rounded to 10: no proportion to show
        out[number].update(dict.fromkeys(("value", *LIMITS)), disclosure=OVER_DENOMINATOR)
    changed = [n for n in changed if n not in over]
    if not changed:
        return
    frame = pd.DataFrame(
        {
            "count": [out[n]["count"] for n in changed],
            "denominator": [float(out[n]["denominator"]) for n in changed],
        }
    )
    method = proportion if is_proportion else rate
    again = method(frame, "count", "denominator", multiplier=per, confidence=(0.95, 0.998))
    for number, figures in zip(changed, again.to_dict("records")):
        out[number]["value"] = float(figures["value"])
        for limit, column in zip(LIMITS, METHOD_LIMITS):
            out[number][limit] = float(figures[column])


def _standardised_from_rounded(value_type: str, out: list[dict], counts: list) -> None:
    """A shown DSR or ISR whose count rounding changed: worked out again from the rounded count
    (in place; ``from_rounded_count`` leaves a life expectancy as it is)."""
    changed = [
        number
        for number, (row, count) in enumerate(zip(out, counts))
        if row["value"] is not None and row["count"] is not None and row["count"] != count
    ]
    if not changed:
        return
    frame = pd.DataFrame(
        {
            "count": [float(counts[n]) for n in changed],
            "count_shown": [out[n]["count"] for n in changed],
            "value": [out[n]["value"] for n in changed],
            **{limit: [_float(out[n][limit]) for n in changed] for limit in LIMITS},
        }
    )
    again = from_rounded_count(frame, value_type, limits=LIMIT_PAIRS)
    for number, figures in zip(changed, again.to_dict("records")):
        out[number].update({key: _number(figures[key]) for key in ("value", *LIMITS)})


def _float(figure) -> float:
    return math.nan if figure is None else float(figure)


def _number(figure) -> float | None:
    """A published figure as a plain float, or None (suppressed, or never given)."""
    return None if figure is None or pd.isna(figure) else float(figure)


def unsuppressed_rows(rows: list[dict]) -> list[dict]:
    """The figures as computed, for signed-in analysts, each marked as unsuppressed."""
    return [{**row, "suppressed": False, "disclosure": UNSUPPRESSED_NOTE} for row in rows]


def indicator_rows(indicator: Indicator) -> list[dict]:
    """Every value of the indicator (``queries.value_rows``), by area, period and breakdown."""
    return value_rows(IndicatorValue.objects.filter(indicator=indicator).order_by(*ORDER))


def as_published(indicator: Indicator, rows: list[dict], unsuppressed: bool) -> list[dict]:
    """Some of the indicator's values (``queries.value_rows``) as a visitor sees them: under
    disclosure control worked out over all its values (so that showing some never weakens
    the secondary suppression), or as computed and marked when ``unsuppressed`` (signed-in
    analysts); an indicator without the flag's as they are."""
    if unsuppressed and indicator.needs_disclosure_control:
        return unsuppressed_rows(rows)
    if not indicator.needs_disclosure_control:
        return disclosed_rows(indicator, rows)
    published = {cell_id(row): row for row in disclosed_rows(indicator, indicator_rows(indicator))}
    return [{**row, **published[cell_id(row)]} for row in rows]


def disclosed_series(indicator: Indicator, series: dict) -> dict[str, dict] | None:
    """One series' values (``series``: area_id, sex, age, category_type, category) by period
    label as the public gets them, disclosure-controlled over all the indicator's values; None
    for an indicator without the flag (its values are published as they are)."""
    if not indicator.needs_disclosure_control:
        return None
    return {
        row["period"]: row
        for row in disclosed_rows(indicator, indicator_rows(indicator))
        if all(row[key] == value for key, value in series.items())
    }
