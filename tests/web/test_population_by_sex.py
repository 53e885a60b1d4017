"""The population pyramid by sex (ONS MYE2 mid-2014, every authority)."""

import pytest

from healthgap.areas.models import PopulationEstimate

pytestmark = pytest.mark.django_db

# ONS MYE2 mid-2014, "MALES" table: Coventry all ages 169,293; Derbyshire 383,107.
MALES_MID_2014 = {"E08000026": 169293, "E10000007": 383107}


@pytest.mark.parametrize("code,males", MALES_MID_2014.items())
def test_mid_2014_males_sum_to_the_ons_total(code, males):
    counts = PopulationEstimate.objects.filter(area_id=code, year=2014, sex="male")
    assert counts.count() == 91
    assert sum(counts.values_list("count", flat=True)) == males


def test_area_page_draws_the_pyramid_by_sex_and_names_its_year(client):
    response = client.get("/areas/E08000026")
    body = response.content.decode()
    assert response.context["sex_year"] == 2014
    assert "ONS mid-2014 population estimates" in body
    spec = response.context["sex_pyramid"].spec
    males = [row for row in spec["data"]["values"] if row["sex"] == "Males"]
    assert len(males) == 19 and all(row["percent"] <= 0 for row in males)
    rows = client.get("/areas/E08000026.json").json()["tables"]["population_by_sex"]
    assert sum(row["males"] for row in rows) == MALES_MID_2014["E08000026"]
    assert client.get("/areas/E08000026/population_by_sex.csv").status_code == 200


def test_an_area_without_a_split_by_sex_says_nothing_about_it(client):
    response = client.get("/areas/E05001222")  # a ward
    assert response.status_code == 200
    assert response.context["sex_pyramid"] is None
