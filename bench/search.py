"""Benchmark: search and map, HelpMap's way against the naive way.

    python bench/search.py [--queries 300] [--quick]

Prints, for the real 14,034-row SAMHSA file (../shared/data) and synthetic 100,000 and
1,000,000-row directories (SAMHSA rows resampled with jitter):
- search p50/p95 (25 km radius, nearest 50) with HelpMap's index, and the naive approach
  (geopy great_circle per row, then sort) on the same queries, with the ratio;
- map data bytes for 200 results (the marker JSON HelpMap's map component receives), and for the naive map (one folium Marker with a Popup per row,
  for every row of the 14k file);
- server time of a full Find help page run for a new search (Streamlit's AppTest runs the real
  page script in-process: geocoding, search, list and map).
Figures are for this machine; quote medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SAMHSA = REPO.parent / "shared" / "data" / "samhsa-substance-use-treatment-2021.csv"

from helpmap.directory import load  # noqa: E402
from helpmap import presentation  # noqa: E402
from helpmap.search import SearchIndex  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def query_points(frame: pd.DataFrame, count: int, seed: int = 3) -> list[tuple[float, float]]:
    """Points near real facilities, as a searcher's town would be."""
    rng = np.random.default_rng(seed)
    picks = frame.sample(n=count, replace=True, random_state=seed)
    return list(zip(picks["latitude"] + rng.normal(0, 0.05, count), picks["longitude"] + rng.normal(0, 0.05, count)))


def time_helpmap(search, points, radius_km=25.0, limit=50) -> list[float]:
    search(*points[0], radius_km, limit=limit)  # warm-up
    timings = []
    for lat, lon in points:
        start = time.perf_counter()
        search(lat, lon, radius_km, limit=limit)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_naive(frame: pd.DataFrame, points, radius_km=25.0, limit=50) -> list[float]:
    from geopy.distance import great_circle

    coords = list(zip(frame["latitude"].tolist(), frame["longitude"].tolist()))
    timings = []
    for lat, lon in points:
        start = time.perf_counter()
        distances = [(great_circle((lat, lon), c).km, i) for i, c in enumerate(coords)]
        sorted(d for d in distances if d[0] <= radius_km)[:limit]
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def synthetic(base: pd.DataFrame, rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    picks = base.sample(n=rows, replace=True, random_state=seed).reset_index(drop=True)
    picks["latitude"] = (picks["latitude"] + rng.normal(0, 0.15, rows)).clip(-89, 89)
    picks["longitude"] = picks["longitude"] + rng.normal(0, 0.2, rows)
    picks["id"] = [f"syn-{i}" for i in range(rows)]
    return picks


def map_bytes(frame: pd.DataFrame, count: int) -> int:
    center = (float(frame["latitude"].iloc[0]), float(frame["longitude"].iloc[0]))
    results = SearchIndex(frame).search(*center, 20_000, limit=count).nearby
    views = [presentation.ServiceView.from_row(row) for row in results.to_dict("records")]
    markers = [presentation.marker(v, n, presentation.Display()) for n, v in enumerate(views, start=1)]
    return len(json.dumps(markers, ensure_ascii=False, separators=(",", ":")).encode())


def naive_map(frame: pd.DataFrame) -> tuple[int, float]:
    """One folium Marker with a Popup per row, for every row: bytes and seconds to render."""
    import folium

    start = time.perf_counter()
    fmap = folium.Map(location=[39, -98], zoom_start=4)
    for row in frame.itertuples():
        folium.Marker([row.latitude, row.longitude], popup=folium.Popup(f"{row.name}<br>{row.city}")).add_to(fmap)
    html = fmap.get_root().render()
    return len(html.encode()), time.perf_counter() - start


def page_run_ms(data_path: Path, runs: int = 7) -> list[float]:
    """Server time of the Find help script for a new search, via Streamlit's AppTest."""
    from streamlit.testing.v1 import AppTest

    os.environ["HELPMAP_DATA"] = str(data_path)
    timings = []
    places = ["Charlottesville, VA", "10001", "Chicago", "Denver", "Boston", "Seattle", "Austin", "Miami", "Atlanta"]
    for place in places[: runs + 1]:
        app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        app.run()  # first visit: loads data and builds caches (not counted)
        app.text_input(key="place").input(place)
        submit = next(b for b in app.button if b.label == "Search")
        start = time.perf_counter()
        submit.click().run()
        timings.append((time.perf_counter() - start) * 1000)
        assert not app.exception, app.exception
    return timings[1:]  # the first includes building the geocoder index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-row directory")
    args = parser.parse_args()
    from helpmap.importers import run_import

    with tempfile.TemporaryDirectory() as folder:
        real_csv = Path(folder) / "samhsa.csv"
        run_import("samhsa", SAMHSA, real_csv)
        real = load(real_csv, geocoder=None).frame
        sizes = [("SAMHSA 14k", real), ("synthetic 100k", synthetic(real, 100_000))]
        if not args.quick:
            sizes.append(("synthetic 1M", synthetic(real, 1_000_000)))

        print(f"Search, 25 km radius, nearest 50, {args.queries} queries near real facilities (ms).")
        print("engine = ranked ids and distances (SearchIndex.rank); page = the result rows with statuses,")
        print("online services (SearchIndex.search); naive = geopy great_circle per row, then sort.")
        print(f"{'directory':<16} {'build ms':>9} {'engine p50':>10} {'p95':>7} {'page p50':>9} {'p95':>7} "
              f"{'naive p50':>10} {'p95':>8} {'naive/engine':>13}")
        for label, frame in sizes:
            start = time.perf_counter()
            index = SearchIndex(frame)
            build = (time.perf_counter() - start) * 1000
            points = query_points(frame, args.queries)
            engine = time_helpmap(index.rank, points)
            page = time_helpmap(index.search, points)
            naive_points = points[: max(5, args.queries // (10 if len(frame) < 200_000 else 60))]
            naive = time_naive(frame, naive_points)
            print(
                f"{label:<16} {build:>9.1f} {percentile(engine, 50):>10.3f} {percentile(engine, 95):>7.3f} "
                f"{percentile(page, 50):>9.3f} {percentile(page, 95):>7.3f} "
                f"{percentile(naive, 50):>10.1f} {percentile(naive, 95):>8.1f} "
                f"{percentile(naive, 50) / percentile(engine, 50):>12.0f}x"
            )

        ours_bytes = map_bytes(real, 200)
        naive_bytes, naive_seconds = naive_map(real)
        print(f"\nMap data: 200 results {ours_bytes / 1000:.0f} KB; naive map of all {len(real):,} rows "
              f"{naive_bytes / 1e6:.1f} MB ({naive_seconds:.1f} s to build), ratio {naive_bytes / ours_bytes:.0f}x")

        timings = page_run_ms(real_csv)
        print(f"Find help page run for a new search (14k directory): p50 {statistics.median(timings):.0f} ms, "
              f"max {max(timings):.0f} ms over {len(timings)} searches")


if __name__ == "__main__":
    main()
