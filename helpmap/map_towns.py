"""Town names for the built-in base map (no tile server): the largest towns in the area the
map shows, from the offline geocoder's GeoNames table, sent with the markers as plain JSON.

Outlines alone give no orientation at a town's scale; a few names do. The names are data
(GeoNames), so the map sets them with textContent like every other text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .geocoding.gazetteer import KM_PER_DEGREE_OF_LATITUDE, CityIndex
from .geocoding.offline import get_offline_geocoder

TOWNS_SHOWN = 30  # the map hides names that would overlap, the smaller towns first
# The map shows up to twice the results' own box (it zooms in whole steps, and its frame has
# its own shape): half the box's size again on each side covers that.
PAD_SHARE = 0.5
SMALLEST_BOX_DEGREES = 0.05


def town_labels(
    points: Iterable[tuple[float, float]], radius_km: float = 0.0, count: int = TOWNS_SHOWN, index: CityIndex | None = None
) -> list[list]:
    """[[name, lat, lon], ...] for the largest towns around `points` (the search and its
    results), the largest first; `radius_km` widens the box around the first point (a search
    with no results shows its circle)."""
    points = list(points)
    if not points:
        return []
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    if radius_km:
        degrees = radius_km / KM_PER_DEGREE_OF_LATITUDE
        lats += [points[0][0] - degrees, points[0][0] + degrees]
        across = degrees / max(math.cos(math.radians(points[0][0])), 0.1)  # a degree of longitude is shorter
        lons += [points[0][1] - across, points[0][1] + across]
    pad_lat = max(max(lats) - min(lats), SMALLEST_BOX_DEGREES) * PAD_SHARE
    pad_lon = max(max(lons) - min(lons), SMALLEST_BOX_DEGREES) * PAD_SHARE
    index = index or get_offline_geocoder().index
    towns = index.largest_in_box(min(lats) - pad_lat, min(lons) - pad_lon, max(lats) + pad_lat, max(lons) + pad_lon, count)
    return [[index.names[t][:80], round(float(index.lat[t]), 4), round(float(index.lon[t]), 4)] for t in towns]
