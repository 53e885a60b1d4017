"""Values as the API publishes them: filtered, and disclosure-controlled where the indicator
needs it (over all its related values first, so that filtering never weakens the secondary
suppression); analysts signed in see the unsuppressed figures, marked as such."""

from __future__ import annotations

import logging

from ninja import Query, Schema

from healthgap.accounts.permissions import is_analyst
from healthgap.constants import SECURITY_LOGGER
from healthgap.indicators.disclosure import (
    ORDER,
    disclosed_rows,
    indicator_rows,
    unsuppressed_rows,
)
from healthgap.indicators.models import Indicator, IndicatorValue
from healthgap.indicators.queries import value_rows

security_log = logging.getLogger(SECURITY_LOGGER)

# The query's filters and the value fields they match.
FIELDS = {
    "area": "area_id",
    "period": "period",
    "sex": "sex",
    "age": "age",
    "category_type": "category_type",
    "category": "category",
}


class ValueFilters(Schema):
    indicator: str = Query(..., min_length=1, max_length=40, description="Indicator code")
    area: str | None = Query(None, max_length=12, description="GSS code of one area")
    parent: str | None = Query(None, max_length=12, description="Areas with this parent")
    period: str | None = Query(None, max_length=60, description="e.g. '2017 - 19'")
    sex: str | None = Query(None, max_length=20)
    age: str | None = Query(None, max_length=40)
    category_type: str | None = Query(None, max_length=200, description="'' = whole population")
    category: str | None = Query(None, max_length=200)


def _filtered(indicator: Indicator, filters: ValueFilters):
    lookups = {
        field if field != "period" else "period__label": getattr(filters, name)
        for name, field in FIELDS.items()
        if getattr(filters, name) is not None
    }
    if filters.parent is not None:
        lookups["area__parent_id"] = filters.parent
    return IndicatorValue.objects.filter(indicator=indicator, **lookups).order_by(*ORDER)


def _matches(row: dict, filters: ValueFilters, parents: dict[str, str]) -> bool:
    if filters.parent is not None and parents.get(row["area_id"]) != filters.parent:
        return False
    return all(
        getattr(filters, name) is None or row[field] == getattr(filters, name)
        for name, field in FIELDS.items()
    )


def _published_row(row: dict) -> dict:
    row = {**row, "indicator": row.pop("indicator_id"), "area": row.pop("area_id")}
    for key in ("period_start", "period_id"):
        row.pop(key, None)
    return row


def published_values(indicator: Indicator, filters: ValueFilters, user) -> tuple[list, int]:
    """One page of the indicator's values matching ``filters`` (ordered by area, period and
    breakdown), and how many match."""
    first = (filters.page - 1) * filters.page_size
    if not indicator.needs_disclosure_control:  # paged in the database
        found = _filtered(indicator, filters)
        rows = disclosed_rows(indicator, value_rows(found[first : first + filters.page_size]))
        return [_published_row(row) for row in rows], found.count()
    rows = _controlled_rows(indicator, filters, user)
    return [_published_row(row) for row in rows[first : first + filters.page_size]], len(rows)


def _controlled_rows(indicator: Indicator, filters: ValueFilters, user) -> list[dict]:
    """Every related value disclosure-controlled first, then filtered (so that filtering never
    weakens the secondary suppression); unsuppressed for analysts, and logged."""
    rows = indicator_rows(indicator)
    if is_analyst(user):
        rows = unsuppressed_rows(rows)
        security_log.info("unsuppressed values of %s served to %s", indicator.code, user)
    else:
        rows = disclosed_rows(indicator, rows)
    parents = dict(
        IndicatorValue.objects.filter(indicator=indicator)
        .values_list("area_id", "area__parent_id")
        .distinct()
    )
    return [row for row in rows if _matches(row, filters, parents)]
