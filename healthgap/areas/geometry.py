"""Plain geometry on the boundaries we hold (GeoJSON, WGS84): enough to place a point inside a
small area without a GIS library."""

from __future__ import annotations

import numpy as np


def centroid(geometry: dict) -> tuple[float, float] | None:
    """(longitude, latitude) of the area-weighted centroid of the largest polygon's outer ring
    (the shoelace formula on longitude and latitude, fine at the scale of a ward or LSOA);
    None for a geometry with no polygon."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    best, best_area = None, 0.0
    for polygon in polygons:
        ring = np.asarray(polygon[0], dtype=float)[:, :2]
        x, y = ring[:, 0], ring[:, 1]
        x_next, y_next = np.roll(x, -1), np.roll(y, -1)
        cross = x * y_next - x_next * y
        area = cross.sum() / 2
        if abs(area) > best_area:
            best_area = abs(area)
            best = (
                ((x + x_next) * cross).sum() / (6 * area),
                ((y + y_next) * cross).sum() / (6 * area),
            )
    return (float(best[0]), float(best[1])) if best else None
