"""Small Fingertips-layout files for tests, written to a temporary folder."""

import csv

from healthgap.constants import ENGLAND_CODE
from healthgap.indicators.models import (
    ImportRecord,
    Indicator,
    IndicatorValue,
    Period,
    SupersededValue,
    ValueCheck,
)
from healthgap.ingest.fingertips import EXPORT_COLUMNS

HEADER = list(EXPORT_COLUMNS)
COVENTRY, WARWICKSHIRE, WEST_MIDLANDS, ENGLAND = "E08000026", "E10000031", "E12000005", ENGLAND_CODE
LEICESTER, EAST_MIDLANDS = "E06000016", "E12000004"


def row(area=COVENTRY, **cells):
    """One row of a made-up indicator 99999 (a proportion in per cent) with sensible defaults."""
    base = {
        "IndicatorID": "99999",
        "IndicatorName": "Test indicator",
        "AreaCode": area,
        "AreaName": area,
        "AreaType": "County & UA",
        "Sex": "Persons",
        "Age": "All ages",
        "Timeperiod": "2018",
        "Value": "20",
        "Lower_CI_95.0_limit": "18",
        "Upper_CI_95.0_limit": "22",
        "Count": "200",
        "Denominator": "1000",
        "Compared_to_England_value_or_percentiles": "Similar",
    }
    base.update(cells)
    return [base.get(name, "") for name in HEADER]


def write_rows(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def database_state():
    """Counts of everything an import writes: equal before and after a failed import."""
    return tuple(
        model.objects.count()
        for model in (IndicatorValue, ImportRecord, SupersededValue, ValueCheck, Indicator, Period)
    )
