"""Town names for the built-in base map, from the offline geocoder's real GeoNames table."""

from __future__ import annotations

import numpy
import pytest

from helpmap.geocode import get_offline_geocoder
from helpmap.map_towns import town_labels


@pytest.fixture(scope="module")
def index():
    return get_offline_geocoder().index


def population_at(index, name: str, lat: float, lon: float) -> int:
    same = [i for i in numpy.flatnonzero((numpy.round(index.lat, 4) == lat) & (numpy.round(index.lon, 4) == lon))
            if index.names[i].startswith(name)]  # fmt: skip
    return int(index.population[same[0]])


def test_the_largest_towns_around_a_search_come_first(index):
    # A search in Leeds with results out to Bradford and Wakefield.
    points = [(53.7965, -1.5478), (53.795, -1.752), (53.683, -1.499)]
    labels = town_labels(points, index=index)
    names = [name for name, _, _ in labels]
    assert names[:2] == ["Leeds", "Bradford"]  # the two largest in the box, largest first
    assert "Wakefield" in names and "Dewsbury" in names  # inside the padded box too
    assert "York" not in names and "Hull" not in names  # beyond it, to the north-east and east
    assert 10 <= len(labels) <= 30
    assert town_labels(points, count=3, index=index) == labels[:3]
    populations = [population_at(index, name, lat, lon) for name, lat, lon in labels]
    assert populations == sorted(populations, reverse=True)


def test_every_town_is_inside_the_padded_box_of_the_points(index):
    points = [(38.0293, -78.4767), (38.2, -78.35)]  # Charlottesville, VA and a result to the north-east
    labels = town_labels(points, index=index)
    assert labels and labels[0][0] == "Charlottesville"
    for _, lat, lon in labels:  # the box is the points' span plus half of it on each side
        assert 38.0293 - 0.086 <= lat <= 38.2 + 0.086 and -78.4767 - 0.064 <= lon <= -78.35 + 0.064


def test_a_search_with_no_results_gets_the_towns_of_its_circle(index):
    alone = town_labels([(53.7965, -1.5478)], index=index)  # a tiny box: Leeds only, and districts
    circle = town_labels([(53.7965, -1.5478)], radius_km=25, index=index)
    assert alone[0][0] == "Leeds" and "Bradford" not in [n for n, _, _ in alone]
    names = [n for n, _, _ in circle]
    assert "Bradford" in names and "Hull" not in names  # 13 and 80 km away


def test_the_open_sea_has_no_towns_and_no_points_no_labels(index):
    assert town_labels([(45.0, -30.0)], index=index) == []  # mid-Atlantic
    assert town_labels([], index=index) == []
