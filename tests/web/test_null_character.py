"""A null character in a query string is answered with a 404 (it matches nothing) in the site's
one error shape, before any view runs: PostgreSQL cannot hold one in text, so a filter carrying
it answered 500 there (found by the API fuzzer on PostgreSQL)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_null_character_in_json(client):
    response = client.get("/api/v1/values", {"indicator": "93\x00721", "area": "E08000026"})
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and body["status"] == 404
    assert "null character" in body["error"]


def test_a_data_twin_refuses_it_in_json_and_a_page_in_html(client):
    twin = client.get("/areas/E08000026/compare.csv", {"group": "nearest", "sex": "\x00"})
    assert twin.status_code == 404 and "null character" in twin.json()["error"]
    page = client.get("/search", {"q": "Coventry\x00"})
    assert page.status_code == 404
    assert "null character" in page.content.decode()
    assert page["Content-Type"].startswith("text/html")


def test_a_query_without_one_is_untouched(client):
    assert client.get("/search", {"q": "Coventry"}).status_code == 200
