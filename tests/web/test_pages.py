"""Pages and their data twins, through Django's test client on the demo data."""

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_home_lists_both_demo_boards(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/areas/E08000026"' in body and 'href="/areas/E06000016"' in body


def test_area_page_has_map_and_pyramid_specs(client):
    response = client.get("/areas/E08000026")
    assert response.status_code == 200
    assert response.context["ward_map"].spec["mark"]["type"] == "geoshape"
    features = response.context["ward_map"].spec["data"]["values"]["features"]
    assert len(features) == 18
    assert "371,521" in response.content.decode()


def test_area_json_twin_carries_every_table(client):
    body = client.get("/areas/E08000026.json").json()
    assert body["ok"] is True
    assert body["population"] == 371521
    assert len(body["tables"]["wards"]) == 18
    assert sum(row["population"] for row in body["tables"]["population"]) == 371521


def test_table_downloads_match_what_the_page_shows(client):
    page_rows = client.get("/areas/E06000016.json").json()["tables"]["wards"]
    text = client.get("/areas/E06000016/wards.csv").content.decode()
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert csv_rows[0][1] == "Ward"
    assert [row[1] for row in csv_rows[1:]] == [row["name"] for row in page_rows]
    workbook = load_workbook(io.BytesIO(client.get("/areas/E06000016/wards.xlsx").content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[0] for row in sheet_rows[1:]] == [row["code"] for row in page_rows]


@pytest.mark.parametrize(
    "url", ["/areas/E99999999.json", "/areas/E99999999/wards.csv", "/areas/E08000026/nope.json"]
)
def test_data_errors_have_one_json_shape(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"ok", "status", "error"}
    assert body["ok"] is False and body["status"] == 404


def test_html_not_found_is_a_page(client):
    response = client.get("/areas/E99999999")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert client.get("/no/such/page").status_code == 404


def test_about_page_keeps_the_attribution(client):
    body = client.get("/about/data").content.decode()
    assert "Open Government Licence v3.0" in body
    assert "Martin Chorley" in body and "mySociety" in body
