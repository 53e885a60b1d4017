"""Practices as points on the case-finding map (issue 12): no open file gives practices'
coordinates, so each is drawn at the centroid of its postcode's LSOA (else ward) and the page
says the places are approximate."""

import json

import pytest

from healthgap.areas.geometry import centroid
from tests.web.conftest import COVENTRY

pytestmark = pytest.mark.django_db


def test_centroid_of_a_square_and_of_the_larger_of_two_polygons():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    assert centroid(square) == pytest.approx((1.0, 1.0))
    small = [[[10, 10], [11, 10], [11, 11], [10, 10]]]
    # An L-shape of three unit squares: centroid (5/6, 5/6) by decomposition.
    ell = [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]]
    multi = {"type": "MultiPolygon", "coordinates": [small, ell]}
    assert centroid(multi) == pytest.approx((5 / 6, 5 / 6))
    assert centroid({"type": "Point", "coordinates": [0, 0]}) is None


def test_case_finding_draws_practices_at_their_lsoa_centroids(client):
    from healthgap.areas.models import Boundary
    from healthgap.areas.search import configured_postcode_lookup
    from healthgap.practices.models import Practice

    response = client.get(f"/areas/{COVENTRY}/case-finding?indicator=qof_DM")
    body = response.content.decode()
    assert 'data-testid="approximate-places"' in body
    data = json.loads(
        client.get(f"/areas/{COVENTRY}/case-finding/practice_points.json?indicator=qof_DM").content
    )
    points = data["rows"]
    assert len(points) > 40  # Coventry's CV1-6 practices: 50 on the QOF file
    lookup = configured_postcode_lookup()
    for point in points[:10]:
        postcode = Practice.objects.get(area_id=point["code"]).postcode.replace(" ", "").upper()
        lsoa = lookup.lsoas_by_postcode[postcode]
        if point["basis"] == "centroid of its LSOA":
            assert point["area"] == lsoa
            geometry = Boundary.objects.get(area_id=lsoa).geometry
            lon, lat = centroid(geometry)
            assert (point["lon"], point["lat"]) == pytest.approx((lon, lat), abs=1e-4)
        else:  # an LSOA made in 2021: the ward of its postcode
            assert not Boundary.objects.filter(area_id=lsoa).exists()
    spec = response.context["page"].charts["points"].spec
    marks = spec["layer"][1]["data"]["values"]
    assert all(mark["url"] == f"/practices/{mark['code']}" for mark in marks)
    assert len(spec["layer"][0]["data"]["values"]["features"]) == 18  # Coventry's wards
