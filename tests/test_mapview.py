"""The map: self-hosted assets only, data serialised as inert JSON, markers told apart by kind."""

from __future__ import annotations

import json
import re

import pandas as pd

from helpmap import schema
from helpmap.mapview import KIND_STYLES, area_text, build_map, format_distance, map_html, marker_rows

HOSTILE = "<img src=x onerror=alert(1)>${alert(2)}`\\u</script><script>alert(3)</script>"


def results(rows: list[dict]) -> pd.DataFrame:
    records = []
    for number, row in enumerate(rows):
        record = dict.fromkeys(schema.COLUMNS, "")
        record.update(id=f"r{number}", kind="treatment", latitude=38.0 + number * 0.01, longitude=-78.5)
        record.update(row)
        records.append(record)
    return pd.DataFrame(records).assign(distance_km=1.5, status="Open now, until 17:00")


def script_urls(html: str) -> set[str]:
    return set(re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", html))


def test_map_loads_only_assets_served_by_helpmap():
    html = map_html(build_map(results([{"name": "A"}]), (38.0, -78.5), 25))
    urls = script_urls(html)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    decoded = html.replace("\\u007b", "{").replace("\\u007d", "}")  # the tile address is inert JSON
    outside = set(re.findall(r"https?://[^\s\"'\\)]+", decoded))
    assert outside <= {"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://www.openstreetmap.org/copyright"}


def test_hostile_text_is_serialised_as_inert_json():
    html = map_html(build_map(results([{"name": HOSTILE, "city": HOSTILE, "phone": HOSTILE}]), (38.0, -78.5), 25))
    assert "<img" not in html and "</script><script>alert(3)" not in html
    # The data array is valid JSON that decodes back to the exact text.
    data = json.loads(re.search(r"var data = (\[.*?\]);\n", html, re.S).group(1))
    assert data[0][3] == HOSTILE and data[0][7] == HOSTILE
    # Popups are built from text nodes, never from HTML strings.
    assert "textContent" in html and "innerHTML" not in html


def test_marker_rows_carry_kind_and_area_only_when_approximate():
    frame = results([
        {"name": "Group", "kind": "support_group", "address": "1 Secret St", "city": "Leeds", "approximate": "yes"},
        {"name": "Clinic", "address": "2 Main St", "city": "York", "postcode": "YO1"},
    ])  # fmt: skip
    rows = marker_rows(frame)
    assert rows[0][2] == "support_group" and rows[0][4] == "Leeds"
    assert rows[1][4] == "2 Main St, York, YO1"
    assert "1 Secret St" not in json.dumps(rows)


def test_each_kind_has_its_own_colour_and_letter():
    colours = [style[0] for style in KIND_STYLES.values()]
    letters = [style[1] for style in KIND_STYLES.values()]
    assert len(set(colours)) == len(colours) and len(set(letters)) == len(letters)


def test_map_for_200_results_stays_small():
    frame = results([{"name": f"Service {i}", "city": "Town", "phone": "+1 202-555-0100"} for i in range(200)])
    html = map_html(build_map(frame, (38.0, -78.5), 25))
    assert len(html.encode()) < 300_000


def test_distance_formatting():
    assert format_distance(1.234) == "1.2 km away"
    assert format_distance(1.609344, "mi") == "1.0 mi away"
    assert format_distance(float("nan")) == ""


def test_area_text_without_address():
    row = results([{"city": "Leeds", "region": "England"}]).iloc[0]
    assert area_text(row) == "Leeds, England"
