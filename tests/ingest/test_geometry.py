"""Boundary geometry as the maps need it."""

import json

import numpy as np
import pytest

from healthgap.areas.models import Boundary
from healthgap.ingest.geometry import read_features, signed_area, simplify_geometry

SQUARE_ANTICLOCKWISE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
HOLE_CLOCKWISE = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]


def test_exterior_rings_come_out_clockwise_and_holes_anticlockwise():
    polygon = {"type": "Polygon", "coordinates": [SQUARE_ANTICLOCKWISE, HOLE_CLOCKWISE]}
    exterior, hole = simplify_geometry(polygon)["coordinates"]
    assert signed_area(np.array(exterior)) < 0
    assert signed_area(np.array(hole)) > 0


def test_simplification_drops_points_within_tolerance_and_keeps_corners():
    wobbly = [[0, 0], [0.5, 0.00001], [1, 0], [1, 1], [0, 1], [0, 0]]
    ring = simplify_geometry({"type": "Polygon", "coordinates": [wobbly]})["coordinates"][0]
    assert len(ring) == 5
    assert {tuple(point) for point in ring} == {(0, 0), (1, 0), (1, 1), (0, 1)}


def test_topojson_arcs_are_decoded_to_polygons(tmp_path):
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 50]},
        "objects": {
            "areas": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]], "properties": {"CD": "X"}}],
            }
        },
        "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
    }
    path = tmp_path / "topo.json"
    path.write_text(json.dumps(topology))
    (feature,) = read_features(path)
    assert feature["properties"] == {"CD": "X"}
    assert feature["geometry"]["coordinates"][0] == [
        [10, 50],
        [11, 50],
        [11, 51],
        [10, 51],
        [10, 50],
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_db")
def test_every_loaded_boundary_is_wound_for_d3():
    for boundary in Boundary.objects.all():
        geometry = boundary.geometry
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            assert signed_area(np.array(polygon[0])) < 0, boundary.area_id
