"""Search: distances against geopy, the bounding box, filters, ranking and no dead ends."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from geopy.distance import geodesic, great_circle

from helpmap import directory, schema
from helpmap.search import Filters, SearchIndex, available_choices

REPO = Path(__file__).resolve().parents[1]
# A Thursday, 15:00 in New York.
THURSDAY_AFTERNOON = datetime(2026, 11, 26, 20, 0, tzinfo=timezone.utc)


def make_frame(rows: list[dict]) -> pd.DataFrame:
    records = []
    for number, row in enumerate(rows):
        record = dict.fromkeys(schema.COLUMNS, "")
        record.update(id=f"r{number}", kind="treatment")
        record.update(row)
        records.append(record)
    frame = pd.DataFrame(records)
    frame["latitude"] = pd.to_numeric(frame["latitude"].replace("", np.nan))
    frame["longitude"] = pd.to_numeric(frame["longitude"].replace("", np.nan))
    return frame


@pytest.fixture(scope="module")
def samhsa_index(shared_data) -> SearchIndex:
    from helpmap.importers import FORMATS

    result = FORMATS["samhsa"](shared_data / "samhsa-substance-use-treatment-2021.csv")
    frame = result.frame.copy()
    frame["latitude"] = frame["latitude"].astype(float)
    frame["longitude"] = frame["longitude"].astype(float)
    return SearchIndex(frame)


def test_distances_match_geopy_great_circle_and_stay_close_to_geodesic():
    rng = np.random.default_rng(7)
    lats, lons = rng.uniform(-60, 60, 200), rng.uniform(-179, 179, 200)
    index = SearchIndex(make_frame([{"latitude": a, "longitude": b} for a, b in zip(lats, lons)]))
    origin = (40.7128, -74.0060)
    ours = index.distances_km(*origin, np.arange(len(index)))
    for position, distance in enumerate(ours):
        point = (index.frame.loc[position, "latitude"], index.frame.loc[position, "longitude"])
        assert distance == pytest.approx(great_circle(origin, point).km, abs=1e-6)
        assert distance == pytest.approx(geodesic(origin, point).km, rel=0.006)


def test_search_returns_exactly_the_rows_within_the_radius_sorted(samhsa_index):
    origin = (38.0293, -78.4767)  # Charlottesville, VA
    result = samhsa_index.search(*origin, radius_km=40, limit=10_000)
    frame = samhsa_index.frame
    brute = [
        great_circle(origin, (lat, lon)).km for lat, lon in zip(frame["latitude"], frame["longitude"])
    ]
    expected = sorted(d for d in brute if d <= 40)
    assert result.total_in_range == len(expected) > 5
    assert result.nearby["distance_km"].tolist() == pytest.approx(expected, abs=1e-6)


def test_bounding_box_works_across_the_antimeridian_and_near_the_pole():
    frame = make_frame([
        {"name": "Fiji east", "latitude": -17.0, "longitude": 179.9},
        {"name": "Fiji west", "latitude": -17.0, "longitude": -179.9},
        {"name": "Arctic", "latitude": 89.5, "longitude": 10},
    ])  # fmt: skip
    index = SearchIndex(frame)
    assert index.search(-17.0, -179.95, 30).nearby["name"].tolist() == ["Fiji west", "Fiji east"]
    assert index.search(89.6, -170, 150).nearby["name"].tolist() == ["Arctic"]


def test_limit_keeps_the_nearest_and_counts_all(samhsa_index):
    result = samhsa_index.search(40.7128, -74.0060, 25, limit=5)
    assert len(result.nearby) == 5 and result.total_in_range > 100
    assert result.nearby["distance_km"].is_monotonic_increasing


def test_no_dead_ends_nearest_beyond_the_radius():
    index = SearchIndex(make_frame([{"name": "Far", "latitude": 10, "longitude": 10}, {"name": "Farther", "latitude": 20, "longitude": 20}]))
    result = index.search(0, 0, 25)
    assert result.total_in_range == 0 and len(result.nearby) == 0
    assert result.beyond["name"].tolist() == ["Far", "Farther"]
    assert result.beyond["distance_km"].iloc[0] == pytest.approx(great_circle((0, 0), (10, 10)).km)


def test_online_services_and_helplines_are_available_anywhere():
    frame = make_frame([
        {"name": "Near", "latitude": 0, "longitude": 0.01},
        {"name": "Zoom", "kind": "support_group", "attendance": "online", "languages": "Spanish"},
        {"name": "Line", "kind": "helpline"},
    ])  # fmt: skip
    index = SearchIndex(frame)
    assert index.search(0, 0, 10).anywhere["name"].tolist() == ["Zoom", "Line"]
    assert index.search(0, 0, 10, Filters(language="english")).anywhere["name"].tolist() == ["Line"]
    assert index.search(0, 0, 10, Filters(kinds=("treatment",))).anywhere["name"].tolist() == ["Line"]


FILTER_ROWS = [
    {"name": "Detox free", "services": "detox;counselling", "cost": "free", "payment": "medicaid", "walk_in": "yes"},
    {"name": "Women only", "services": "counselling", "gender": "women", "wheelchair": "yes", "languages": "English;Spanish"},
    {"name": "Youth", "services": "youth", "min_age": "12", "max_age": "25", "payment": "self_pay;private_insurance"},
    {"name": "Men", "gender": "men", "attendance": "hybrid", "kind": "support_group", "day": "2", "time": "19:00", "timezone": "America/New_York"},
    {"name": "Morning", "kind": "support_group", "day": "4", "time": "09:00", "timezone": "America/New_York"},
    {"name": "Open", "hours": "Mo-Fr 09:00-17:00", "timezone": "America/New_York", "kind": "harm_reduction"},
    {"name": "Closed", "hours": "Sa 09:00-17:00", "timezone": "America/New_York", "kind": "harm_reduction"},
]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(services=("counselling",)), {"Detox free", "Women only"}),
        (Filters(services=("counselling", "detox")), {"Detox free"}),
        (Filters(cost=("free",)), {"Detox free"}),
        (Filters(payment=("medicaid", "self_pay")), {"Detox free", "Youth"}),
        (Filters(language="spanish"), {"Women only"}),
        (Filters(age=30), set(n["name"] for n in FILTER_ROWS) - {"Youth"}),
        (Filters(age=15), set(n["name"] for n in FILTER_ROWS)),
        (Filters(gender="women"), set(n["name"] for n in FILTER_ROWS) - {"Men"}),
        (Filters(wheelchair=True), {"Women only"}),
        (Filters(walk_in=True), {"Detox free"}),
        (Filters(attendance="online"), {"Men"}),
        (Filters(kinds=("harm_reduction",)), {"Open", "Closed"}),
        (Filters(days=(2,)), {"Men"}),
        (Filters(time_of_day="morning"), {"Morning"}),
        (Filters(open_now=True), {"Open"}),
    ],
)
def test_filters(filters, expected):
    rows = [{**row, "latitude": 40.7 + i * 0.001, "longitude": -74.0} for i, row in enumerate(FILTER_ROWS)]
    result = SearchIndex(make_frame(rows)).search(40.7, -74.0, 10, filters, now=THURSDAY_AFTERNOON)
    assert set(result.nearby["name"]) == expected


def test_meetings_are_ranked_by_next_start_then_distance():
    rows = [
        {"name": "Tuesday near", "kind": "support_group", "day": "2", "time": "19:00", "latitude": 40.70, "longitude": -74},
        {"name": "Tonight far", "kind": "support_group", "day": "4", "time": "19:00", "latitude": 40.80, "longitude": -74},
        {"name": "Tonight near", "kind": "support_group", "day": "4", "time": "19:00", "latitude": 40.71, "longitude": -74},
    ]
    for row in rows:
        row["timezone"] = "America/New_York"
    result = SearchIndex(make_frame(rows)).search(40.7, -74.0, 50, Filters(kinds=("support_group",)), now=THURSDAY_AFTERNOON)
    assert result.nearby["name"].tolist() == ["Tonight near", "Tonight far", "Tuesday near"]
    assert result.nearby["status"].iloc[0] == "Next meeting Thu 19:00"


def test_filters_no_row_can_satisfy_are_not_offered():
    choices = available_choices(make_frame(FILTER_ROWS[:2]))
    assert choices["services"] == ["counselling", "detox"]
    assert choices["gender"] == ["women"]
    assert choices["days"] == [] and choices["online"] == [] and choices["kinds"] == ["treatment"]


def test_search_cli_contract(tmp_path):
    path = tmp_path / "dir.csv"
    make_frame([
        {"name": "Near", "latitude": 38.03, "longitude": -78.48},
        {"name": "Farther", "latitude": 38.10, "longitude": -78.48},
        {"name": "Meeting", "kind": "support_group", "latitude": 38.031, "longitude": -78.48},
    ]).to_csv(path, index=False)  # fmt: skip
    args = ["--near", "38.03, -78.48", "--data", str(path), "--radius-km", "20", "--json"]
    result = subprocess.run([sys.executable, "-m", "helpmap", "search", *args], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["name"] for r in records] == ["Near", "Meeting", "Farther"]
    assert records[0]["distance_km"] == 0.0 and 7.7 < records[2]["distance_km"] < 7.9
    result = subprocess.run(
        [sys.executable, "-m", "helpmap", "search", *args, "--kind", "support_group", "--limit", "1"],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert [r["name"] for r in json.loads(result.stdout)] == ["Meeting"]


def test_loaded_directory_feeds_the_index(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("name,kind,latitude,longitude\nA,treatment,1,1\nB,support_group,,\n")
    loaded = directory.load(path, geocoder=None)
    index = SearchIndex(loaded.frame)
    assert len(index) == 1 and len(index.placeless) == 0  # B has no place and is not online: rejected


def test_online_meetings_are_filtered_and_say_when_they_meet():
    frame = make_frame([
        {"name": "Near", "latitude": 0, "longitude": 0.01},
        {"name": "Monday online", "kind": "support_group", "attendance": "online", "languages": "English", "day": "1", "time": "19:00", "timezone": "America/New_York"},
        {"name": "Wednesday online", "kind": "support_group", "attendance": "online", "day": "3", "time": "19:00", "timezone": "America/New_York"},
        {"name": "Line", "kind": "helpline", "languages": "French"},
    ])  # fmt: skip
    result = SearchIndex(frame).search(0, 0, 10, Filters(days=(1,), language="english"), now=THURSDAY_AFTERNOON)
    assert result.anywhere["name"].tolist() == ["Monday online", "Line"]  # help lines always stay
    assert result.anywhere["status"].tolist()[0] == "Next meeting Mon 19:00"
