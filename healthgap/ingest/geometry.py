"""GeoJSON and TopoJSON boundaries: read features and simplify them for the web."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

# About 10 metres at England's latitudes: invisible on a city map, and it roughly halves the size.
DEFAULT_TOLERANCE_DEGREES = 0.0001


def read_features(path: Path) -> list[dict]:
    """The features of a GeoJSON FeatureCollection, or of every object in a TopoJSON topology."""
    data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    if data.get("type") == "Topology":
        return _topology_features(data)
    if data.get("type") != "FeatureCollection":
        raise ValueError("expected a GeoJSON FeatureCollection or a TopoJSON Topology")
    return data["features"]


def _topology_features(topology: dict) -> list[dict]:
    arcs = _decode_arcs(topology)

    def ring(indexes):
        points: list[list[float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    def geometry(item):
        kind = item.get("type")
        if kind == "Polygon":
            return {"type": "Polygon", "coordinates": [ring(r) for r in item["arcs"]]}
        if kind == "MultiPolygon":
            polygons = [[ring(r) for r in polygon] for polygon in item["arcs"]]
            return {"type": "MultiPolygon", "coordinates": polygons}
        return None

    features = []
    for obj in topology["objects"].values():
        for item in obj.get("geometries", [obj]):
            shape = geometry(item)
            if shape is not None:
                features.append(
                    {"type": "Feature", "properties": item.get("properties", {}), "geometry": shape}
                )
    return features


def _decode_arcs(topology: dict) -> list[list[list[float]]]:
    transform = topology.get("transform")
    decoded = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)
        if transform:  # quantised arcs are delta-encoded integers
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        decoded.append(points.tolist())
    return decoded


def simplify_geometry(geometry: dict, tolerance: float = DEFAULT_TOLERANCE_DEGREES) -> dict:
    """Douglas-Peucker on each ring (at least four points kept, coordinates to 5 places), with
    the winding d3-geo expects: exterior rings clockwise, holes anticlockwise. Rings that
    rounding flattens to no area (slivers, islets) are dropped.

    d3-geo, which draws Vega's maps, reads polygons on the sphere: an exterior ring wound the
    other way (as RFC 7946 GeoJSON is) means "the whole world except this area".
    """
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unsupported geometry type {geometry['type']!r}")
    kept = [p for p in (_simplify_polygon(rings, tolerance) for rings in polygons) if p]
    if not kept:
        raise ValueError("the shape has no area once simplified")
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def _simplify_polygon(rings: list, tolerance: float) -> list:
    """The polygon's rings simplified and wound for d3, or [] when its exterior has no area."""
    simplified = []
    for index, ring in enumerate(rings):
        points = np.asarray(ring, dtype=float)[:, :2]
        keep = _douglas_peucker(points, tolerance)
        if keep.sum() < 4:
            keep[:] = True
        points = np.round(points[keep], 5)
        area = signed_area(points)
        is_exterior = index == 0
        if area == 0:
            if is_exterior:
                return []
            continue
        if (area > 0) == is_exterior:  # anticlockwise exterior or clockwise hole
            points = points[::-1]
        simplified.append(points.tolist())
    return simplified


def signed_area(points: np.ndarray) -> float:
    """Shoelace area in the lon/lat plane: positive when the ring runs anticlockwise."""
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        segment = end - start
        inner = points[first + 1 : last] - start
        length = np.hypot(*segment)
        if length == 0:
            distances = np.hypot(inner[:, 0], inner[:, 1])
        else:
            distances = np.abs(segment[0] * inner[:, 1] - segment[1] * inner[:, 0]) / length
        furthest = int(np.argmax(distances))
        if distances[furthest] > tolerance:
            split = first + 1 + furthest
            keep[split] = True
            stack += [(first, split), (split, last)]
    return keep
