"""What one search costs around the search engine: server CPU, page elements, bytes, markers.

    python bench/ui_search.py [--searches 8] [--data PATH] [--out results.json]

Starts the real app on a free loopback port with the 14k-row SAMHSA directory (imported into a
temporary CSV), opens one headless Chromium page at 1280x900 and searches places in turn. For
each search it records:
  - server CPU: user+system time of the Streamlit process (from /proc) over the search;
  - elements: Streamlit element containers on the page after the search;
  - bytes: WebSocket bytes the browser received for the search;
  - count: Enter to the live result count changing;
  - markers: Enter to the map showing this search's markers (a fresh map frame with markers,
    or the kept frame's draw stamp changing).
Prints medians. Traffic stays on 127.0.0.1 and every wait is bounded.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CHROMIUM_FLAGS, AppServer, chromium_path  # noqa: E402

SAMHSA = REPO.parent / "shared" / "data" / "samhsa-substance-use-treatment-2021.csv"
PLACES = ["Chicago", "Charlottesville, VA", "10001", "Los Angeles", "Springfield, IL", "Denver", "Seattle", "Boston"]
TIMEOUT_S = 60
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and its finished children (Streamlit runs in one process)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12)) / TICKS


def map_state(page) -> dict:
    """Per frame with Leaflet markers: its draw stamp (HelpMap's map sets body[data-drawn] after
    each draw) or, for a frame that is remounted per search (streamlit-folium), its marker count."""
    state = {}
    for frame in page.frames:
        try:
            found = frame.evaluate(
                "() => ({markers: document.querySelectorAll('.leaflet-marker-icon').length,"
                " drawn: document.body ? document.body.getAttribute('data-drawn') : null})"
            )
        except Exception:  # a frame that went away between listing and asking
            continue
        if found["markers"]:
            state[frame] = found["drawn"] or f"markers:{found['markers']}"
    return state


def markers_redrawn(before: dict, now: dict) -> bool:
    """A frame that was not there before (a fresh map), or one whose draw stamp changed."""
    return any(frame not in before or before[frame] != stamp for frame, stamp in now.items())


def run(data: Path, searches: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server = AppServer({"HELPMAP_DATA": str(data)})
    received = [0]
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else route.abort())  # fmt: skip
            page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))))  # fmt: skip
            page.goto(server.url, timeout=TIMEOUT_S * 1000)
            box = page.get_by_role("textbox", name="Town, postcode or address")
            box.wait_for(timeout=TIMEOUT_S * 1000)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
            for number in range(searches):
                place = PLACES[number % len(PLACES)]
                before_count = page.locator(".helpmap-result-count").all_inner_texts()
                box.fill(place)
                page.wait_for_timeout(300)
                maps_before = map_state(page)
                bytes_before, cpu_before = received[0], cpu_seconds(server.process.pid)
                start = time.perf_counter()
                box.press("Enter")
                page.wait_for_function(
                    "(before) => { const e = document.querySelector('.helpmap-result-count'); return e && e.innerText !== (before[0] || '') }",
                    arg=before_count, timeout=TIMEOUT_S * 1000,
                )  # fmt: skip
                count_at = time.perf_counter() - start
                markers_at = None
                deadline = time.monotonic() + TIMEOUT_S
                while time.monotonic() < deadline:
                    if markers_redrawn(maps_before, map_state(page)):
                        markers_at = time.perf_counter() - start
                        break
                    page.wait_for_timeout(15)
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                page.wait_for_timeout(700)  # let the last deltas and component messages arrive
                results.append({
                    "place": place,
                    "cpu_ms": (cpu_seconds(server.process.pid) - cpu_before) * 1000,
                    "elements": page.locator("[data-testid='stElementContainer']").count(),
                    "kb": (received[0] - bytes_before) / 1024,
                    "count_ms": count_at * 1000,
                    "markers_ms": markers_at * 1000 if markers_at else None,
                })  # fmt: skip
                print(json.dumps(results[-1]), flush=True)
            browser.close()
    finally:
        server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searches", type=int, default=8)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = args.data
        if data is None:
            from helpmap.importers import run_import

            data = Path(folder) / "samhsa.csv"
            run_import("samhsa", SAMHSA, data)
        results = run(data, args.searches)
    later = results[1:] or results  # the first search also warms caches
    summary = {key: statistics.median([r[key] for r in later if r[key] is not None] or [float("nan")])
               for key in ("cpu_ms", "elements", "kb", "count_ms", "markers_ms")}  # fmt: skip
    print("medians (searches 2..n):", json.dumps({k: round(v, 1) for k, v in summary.items()}))
    if args.out:
        args.out.write_text(json.dumps({"runs": results, "medians": summary}, indent=1))


if __name__ == "__main__":
    main()
