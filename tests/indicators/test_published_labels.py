"""Every comparison and recent-trend marker Fingertips published in the shared exports is either
reproduced by healthgap's own benchmarking or kept, marked as published (issue 15)."""

import csv

import pytest

from healthgap.indicators.models import IndicatorValue
from healthgap.indicators.periods import parse_period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

EXPORTS = [
    "fingertips_export_suicide_countyUA_west_midlands.csv",
    "fingertips_export_suicide_countyUA_east_midlands.csv",
    "fingertips_export_cyp_mental_health_countyUA_west_midlands.csv",
    "fingertips_export_cyp_mental_health_countyUA_east_midlands.csv",
]
NOTHING = {"", "Not compared", "Cannot be calculated"}
LABELS = {
    "Compared_to_England_value_or_percentiles": ("compared_to_england", "comparison_basis"),
    "Compared_to_Region_value_or_percentiles": ("compared_to_region", "comparison_basis"),
    "Recent_Trend": ("recent_trend", "trend_basis"),
}


def _stored(row):
    return IndicatorValue.objects.get(
        indicator_id=row["IndicatorID"],
        area_id=row["AreaCode"],
        period__label=parse_period(row["Timeperiod"]).label,
        sex=row["Sex"],
        age=row["Age"],
        category_type=row["Category_Type"],
        category=row["Category"],
    )


def _published_rows(shared_data):
    for name in EXPORTS:
        with open(shared_data / "fingertips" / name, encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                yield name, row


def test_every_published_comparison_and_trend_is_reproduced_or_kept_as_published(shared_data):
    checked, kept_trends, failures = 0, 0, []
    for name, row in _published_rows(shared_data):
        stored = None
        for column, (field, basis_field) in LABELS.items():
            published = row[column].strip()
            if published in NOTHING:
                continue
            stored = stored or _stored(row)
            basis = getattr(stored, basis_field)
            checked += 1
            kept_trends += field == "recent_trend" and basis == "published"
            if getattr(stored, field) != published or basis not in ("computed", "published"):
                failures.append(
                    f"{name} {row['IndicatorID']} {row['AreaCode']} {field}: published "
                    f"{published!r}, stored {getattr(stored, field)!r} ({basis or 'no basis'})"
                )
    assert not failures, "\n".join(failures)
    # The exports carry 22 trend markers; the store has one period of each, so all are kept.
    assert kept_trends == 22
    assert checked > 200


def test_derbyshire_suicide_rate_is_compared_with_the_east_midlands(shared_data):
    rows = [
        row
        for name, row in _published_rows(shared_data)
        if row["AreaCode"] == "E10000007" and row["IndicatorID"] == "41001"
    ]
    assert rows and all(row["ParentCode"] == "E12000004" for row in rows)
    for row in rows:
        stored = _stored(row)
        assert stored.comparison_basis == "computed"
        assert stored.compared_to_region == row["Compared_to_Region_value_or_percentiles"]
