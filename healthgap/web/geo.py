"""GeoJSON for Vega's d3-geo renderer, which reads ring order the opposite way to RFC 7946:
an exterior ring must run clockwise (in longitude/latitude) or the shape fills the globe."""

from __future__ import annotations


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]))


def _wound(ring: list, clockwise: bool) -> list:
    return ring if (_signed_area(ring) < 0) == clockwise else ring[::-1]


def _polygon(rings: list) -> list:
    return [_wound(ring, clockwise=index == 0) for index, ring in enumerate(rings)]


def for_d3(geometry: dict) -> dict:
    """The geometry with exterior rings clockwise and holes anticlockwise."""
    if geometry["type"] == "Polygon":
        return {**geometry, "coordinates": _polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {**geometry, "coordinates": [_polygon(p) for p in geometry["coordinates"]]}
    return geometry


def features_for_d3(features: list[dict]) -> list[dict]:
    return [{**feature, "geometry": for_d3(feature["geometry"])} for feature in features]
