"""Indicator definition pages, the Fingertips metadata importer, and the links to them."""

import csv
import io

import pytest

from healthgap.indicators.models import Indicator, Polarity
from healthgap.ingest.errors import IngestError
from healthgap.ingest.fingertips_metadata import import_fingertips_metadata

pytestmark = pytest.mark.django_db

# Fingertips' metadata export layout (the website's "Export metadata" / fingertipsR
# indicator_metadata): a subset of its columns, in its order.
METADATA_HEADER = [
    "Indicator ID", "Indicator", "Definition", "Rationale", "Data source", "Methodology",
    "Definition of numerator", "Definition of denominator", "Caveats", "Copyright", "Unit",
    "Polarity", "Frequency",
]  # fmt: skip


def _metadata_file(tmp_path, rows):
    path = tmp_path / "indicators-CountyUA.metadata.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(METADATA_HEADER)
        writer.writerows(rows)
    return path


def test_metadata_export_fills_the_definition_fields(tmp_path):
    path = _metadata_file(
        tmp_path,
        [["41001", "Suicide rate", "Age-standardised mortality rate from suicide and injury of "
          "undetermined intent per 100,000 population", "Suicide is a major issue for society",
          "Public Health England (based on ONS source data)", "Directly standardised rate",
          "Deaths from suicide and injury of undetermined intent", "Mid-year population "
          "estimates", "Figures may differ from those published by ONS", "© Crown copyright",
          "per 100,000", "BOB - Blue orange blue", "Annual"]],
    )  # fmt: skip
    assert import_fingertips_metadata(path) == 1
    indicator = Indicator.objects.get(code="41001")
    assert indicator.rationale == "Suicide is a major issue for society"
    assert indicator.numerator.startswith("Deaths from suicide")
    assert indicator.frequency == "Annual" and indicator.polarity == Polarity.NO_JUDGEMENT
    body = client_get_definition("41001")
    assert "Suicide is a major issue for society" in body and "Annual" in body


def client_get_definition(code):
    from django.test import Client

    return Client().get(f"/indicators/{code}").content.decode()


def test_a_bad_metadata_file_names_its_rows_and_loads_nothing(tmp_path):
    path = _metadata_file(
        tmp_path,
        [["41001", "Suicide rate", "", "", "", "", "", "", "", "", "", "Upside down", ""],
         ["x1", "Bad", "", "", "", "", "", "", "", "", "", "", ""]],
    )  # fmt: skip
    with pytest.raises(IngestError) as raised:
        import_fingertips_metadata(path)
    problems = {(p.row, p.column) for p in raised.value.problems}
    assert problems == {(2, "Polarity"), (3, "Indicator ID")}


def test_definition_page_and_its_twins(client):
    response = client.get("/indicators/108")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Under 75 mortality rate from all causes" in body
    assert "Lower is better" in body and "Directly standardised rate" in body
    data = client.get("/indicators/108.json").json()
    fields = {row["field"]: row["value"] for row in data["tables"]["metadata"]}
    assert fields["Polarity"] == "Lower is better"
    assert fields["Rationale"] == "Not given in the data loaded"
    text = client.get("/indicators/108/metadata.csv").content.decode()
    assert list(csv.reader(io.StringIO(text)))[0] == ["Metadata", "Value"]
    assert client.get("/indicators/108/metadata.xlsx").status_code == 200
    assert client.get("/indicators/nope.json").json()["ok"] is False


def test_every_indicator_is_listed(client):
    body = client.get("/indicators/").content.decode()
    for code in Indicator.objects.values_list("code", flat=True):
        assert f'href="/indicators/{code}"' in body


@pytest.mark.parametrize("page", ["trends", "compare", "map", "premature-mortality"])
def test_outcome_pages_link_to_the_definition_of_their_indicator(client, page):
    response = client.get(f"/areas/E08000026/{page}")
    assert response.status_code == 200
    chosen = next(f for f in response.context["page"].filters if f.name == "indicator").selected
    assert f'href="/indicators/{chosen}"' in response.content.decode()


def test_profile_table_links_every_indicator_to_its_definition(client):
    response = client.get("/areas/E08000026/profile")
    page = response.context["page"]
    body = response.content.decode()
    for row in page.table("indicators").rows:
        assert f'href="/indicators/{row["indicator"]}"' in body
