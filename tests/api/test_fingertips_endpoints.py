"""The Fingertips-compatible endpoints with the test client: disclosure control in the CSV, and
bad input answered in the one error shape."""

import csv
import io

import pytest

from healthgap.indicators.models import ValueType
from tests.factories import IndicatorFactory, IndicatorValueFactory, UpperTierFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_all_data_csv_suppresses_what_needs_it(client):
    """Ward counts 4, 12 and 30 in a city of 46 (NHS England's HES rule, as in test_api): the
    Fingertips-shaped CSV withholds the 4 and the 12 and rounds the rest to 5."""
    city = UpperTierFactory()
    indicator = IndicatorFactory(
        code="9000001", value_type=ValueType.COUNT, needs_disclosure_control=True
    )
    IndicatorValueFactory(indicator=indicator, area=city, count=46, value=46)
    for count in (4, 12, 30):
        IndicatorValueFactory(
            indicator=indicator, area=WardFactory(parent=city), count=count, value=count
        )
    answer = client.get(
        "/api/all_data/csv/by_indicator_id",
        {"indicator_ids": "9000001", "child_area_type_id": 8, "parent_area_type_id": 102},
    )
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    counts = sorted((row["Count"] for row in rows), key=lambda c: (c == "", c))
    assert counts == ["30.0", "45.0", "", ""]
    assert all("Indicator ID" in row and "Lower CI 95.0 limit" in row for row in rows)


@pytest.mark.parametrize(
    "url",
    [
        "/api/all_data/csv/by_indicator_id",
        "/api/all_data/csv/by_indicator_id?indicator_ids=1&child_area_type_id=999&parent_area_type_id=15",
        "/api/all_data/csv/by_indicator_id?indicator_ids=1&child_area_type_id=x&parent_area_type_id=15",
        "/api/areas/by_area_type?area_type_id=",
        "/api/indicator_metadata/by_indicator_id",
    ],
)
def test_bad_input_gets_a_400_in_the_one_error_shape(client, url):
    answer = client.get(url)
    assert answer.status_code == 400
    body = answer.json()
    assert body["ok"] is False and body["status"] == 400 and body["error"]
