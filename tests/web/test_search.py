"""Finding any area: by name, GSS code, postcode (ONS NSPL, August 2024) or postcode district."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_postcode_finds_its_ward_and_its_city(client):
    # NSPL August 2024: CV1 1AA is in St Michael's ward (E05001228), Coventry (E08000026).
    response = client.get("/search", {"q": "cv1 1aa"})
    assert response.status_code == 200
    codes = [area.code for area in response.context["result"].areas]
    assert codes == ["E08000026", "E05001228"]
    body = response.content.decode()
    assert "CV1 1AA is in" in body and 'href="/areas/E05001228"' in body


def test_a_postcode_written_without_its_space_is_found(client):
    result = client.get("/search", {"q": "CV11AA"}).context["result"]
    assert result.kind == "postcode" and result.areas[1].name == "St Michael's"


def test_a_postcode_district_lists_its_authorities_and_wards(client):
    result = client.get("/search", {"q": "CV1"}).context["result"]
    assert result.kind == "district"
    assert result.areas[0].code == "E08000026"
    assert "E05001228" in {area.code for area in result.areas}
    assert all(area.area_type in ("unitary", "district", "ward") for area in result.areas)


def test_a_gss_code_goes_straight_to_the_area(client):
    response = client.get("/search", {"q": "e10000007"})
    assert response.status_code == 302 and response["Location"] == "/areas/E10000007"


def test_a_name_lists_matching_areas_broadest_first(client):
    result = client.get("/search", {"q": "Derbyshire"}).context["result"]
    names = [area.name for area in result.areas]
    assert names[0] == "Derbyshire"
    assert {"Derbyshire Dales", "North East Derbyshire", "South Derbyshire"} <= set(names)


def test_a_name_only_one_area_has_goes_straight_to_it(client):
    response = client.get("/search", {"q": "Foleshill"})
    assert response.status_code == 302 and response["Location"] == "/areas/E05001222"


def test_nothing_found_says_so(client):
    response = client.get("/search", {"q": "ZZ9 9ZZ"})
    assert response.status_code == 200
    assert "No area found" in response.content.decode()


@pytest.mark.parametrize(
    "code",
    ["E12000004", "E10000007", "E07000035", "E05001222", "E02001969", "E01009522"],
)
def test_every_kind_of_area_has_its_page(client, code):
    response = client.get(f"/areas/{code}")
    assert response.status_code == 200, code


def test_home_and_header_offer_the_search(client):
    body = client.get("/").content.decode()
    assert 'data-testid="search-home"' in body and 'data-testid="search-header"' in body
    assert "full demo data" in body


def test_an_area_without_indicator_data_links_up_instead_of_to_empty_pages(client):
    body = client.get("/areas/E01009522").content.decode()  # an LSOA in Coventry
    assert 'data-testid="no-outcomes"' in body and "/profile" not in body
    assert 'data-testid="outcome-links"' in client.get("/areas/E10000007").content.decode()
