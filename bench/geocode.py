"""Benchmark: the offline geocoder's start-up, speed, memory and accuracy.

    python bench/geocode.py [--runs 3] [--also-1000]

Prints:
- cold first lookup: import + index build + one town lookup, each in a fresh Python process
  (the interpreter's own start-up is left out); and a cold US ZIP lookup, which needs no index;
- warm lookups: p50 / p95 over every query of tests/data/places.csv and variants, repeated,
  split into found and not found (a miss also computes spelling suggestions); and the same
  over the hard set (tests/data/hard_places.csv), split into exact answers and the ones that
  needed a spelling match (those compare the query with every name of about its length);
- index memory: retained and peak by tracemalloc, and the RSS growth, in fresh processes (with
  the spelling index, which is built on the first misspelt query);
- accuracy on tests/data/places.csv (share within 25 km, each miss) and on the hard set
  (share passed, how many by asking "Did you mean", wrong-country answers, each miss).
With --also-1000, the same for GeoNames towns of 1,000+ people, to compare with the default 5,000+.
Figures are for this machine; quote medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpmap.geocode import GeocodeError, OfflineGeocoder
from tests.test_geocode_accuracy import WITHIN_KM, load_places, score
from tests.test_geocode_hard import describe, load_hard_queries
from tests.test_geocode_hard import score as score_hard

COLD_TOWN = """
import time
start, cpu = time.perf_counter(), time.process_time()
from helpmap.geocode import OfflineGeocoder
OfflineGeocoder(min_population={population}).geocode("Springfield, IL")
print(time.perf_counter() - start, time.process_time() - cpu)
"""
COLD_ZIP = """
import time
start = time.perf_counter()
from helpmap.geocode import OfflineGeocoder
OfflineGeocoder().geocode("10001")
print(time.perf_counter() - start)
"""
TRACED_MEMORY = """
import tracemalloc
from helpmap.geocode import OfflineGeocoder
geocoder = OfflineGeocoder(min_population={population})
tracemalloc.start()
geocoder.index.spelling()
current, peak = tracemalloc.get_traced_memory()
print(current, peak)
"""
RSS_GROWTH = """
import gc
from helpmap.geocode import OfflineGeocoder
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
geocoder = OfflineGeocoder(min_population={population})
before = rss()
geocoder.index.spelling()
gc.collect()
print(rss() - before)
"""
EXTRA_QUERIES = ["springfield", "SPRINGFIELD, il", "Sprngfield", "Qwxzyv Pqrst", "Texas", "221B Baker Street, London",
                 "N 40.7128 W 74.0060", "M5V 3L9", "10001-1234", "Leeds, Wales", "Edinbrugh, Scotland"]  # fmt: skip


def run_fresh(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def cold_seconds(code: str, runs: int) -> list[float]:
    return [float(run_fresh(code)[0]) for _ in range(runs)]


def cold_wall_and_cpu(code: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time is the steadier figure."""
    pairs = [tuple(map(float, run_fresh(code)[:2])) for _ in range(runs)]
    return [wall for wall, _ in pairs], [cpu for _, cpu in pairs]


def warm_timings(
    geocoder: OfflineGeocoder, queries: list[str], repeats: int
) -> tuple[list[float], list[float]]:
    """Milliseconds per lookup, for queries that were found and for those that were not."""
    found, missed = [], []
    for _ in range(repeats):
        for query in queries:
            start = time.perf_counter()
            try:
                geocoder.geocode(query)
                found.append((time.perf_counter() - start) * 1000)
            except GeocodeError:
                missed.append((time.perf_counter() - start) * 1000)
    return found, missed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(population: int, runs: int) -> None:
    print(f"\n== GeoNames towns of {population:,}+ people ==")
    town, cpu = cold_wall_and_cpu(COLD_TOWN.format(population=population), runs)
    print(f"cold first town lookup (import + index + lookup): {' / '.join(f'{s:.2f}' for s in town)} s "
          f"(median {statistics.median(town):.2f} s; CPU time median {statistics.median(cpu):.2f} s, "
          f"min {min(cpu):.2f} s)")  # fmt: skip
    if population == 5000:
        zips = cold_seconds(COLD_ZIP, runs)
        print(f"cold first US ZIP lookup (no town index needed): median {statistics.median(zips):.2f} s")

    current, peak = (int(v) for v in run_fresh(TRACED_MEMORY.format(population=population)))
    rss = int(run_fresh(RSS_GROWTH.format(population=population))[0])
    print(f"index memory: {current / 2**20:.0f} MiB retained, {peak / 2**20:.0f} MiB peak while building "
          f"(tracemalloc); RSS grew {rss / 2**20:.0f} MiB")  # fmt: skip

    geocoder = OfflineGeocoder(min_population=population)
    places = load_places()
    queries = [p.query for p in places] + EXTRA_QUERIES
    geocoder.geocode(queries[0])  # build the index before timing
    geocoder.index.spelling()  # and the spelling index, built on the first misspelt query
    geocoder.geocode("TR19 7AA")  # and the postcode table, read on the first postcode
    geocoder.geocode("10001")  # and the ZIP code data, read on the first ZIP code
    geocoder.geocode("Москва")  # and the names in other scripts, indexed on the first such query
    found, missed = warm_timings(geocoder, queries, repeats=5)
    print(f"warm lookups, found ({len(found)}): p50 {percentile(found, 0.5):.3f} ms, "
          f"p95 {percentile(found, 0.95):.3f} ms, max {max(found):.2f} ms")  # fmt: skip
    print(f"warm lookups, not found, with suggestions ({len(missed)}): p50 {percentile(missed, 0.5):.2f} ms, "
          f"p95 {percentile(missed, 0.95):.2f} ms")  # fmt: skip

    hard = [row.query for row in load_hard_queries()]
    exact, spelt = [], []
    for _ in range(5):
        for query in hard:
            start = time.perf_counter()
            try:
                notice = geocoder.geocode(query).notice or ""
            except GeocodeError as error:
                notice = error.message
            elapsed = (time.perf_counter() - start) * 1000
            (spelt if "spelling" in notice else exact).append(elapsed)
    print(f"warm lookups, hard set, answered without a spelling match ({len(exact)}): p50 {percentile(exact, 0.5):.3f} ms, "
          f"p95 {percentile(exact, 0.95):.3f} ms")  # fmt: skip
    if spelt:
        print(f"warm lookups, hard set, spelling matches and questions ({len(spelt)}): p50 {percentile(spelt, 0.5):.2f} ms, "
              f"p95 {percentile(spelt, 0.95):.2f} ms")  # fmt: skip

    accuracy = score(geocoder, places)
    print(f"accuracy: {accuracy.total - len(accuracy.misses)}/{accuracy.total} within {WITHIN_KM:g} km "
          f"({accuracy.share_within:.1%}); misses:\n{accuracy.describe_misses() or '  none'}")  # fmt: skip
    print(f"hard set: {describe(score_hard(geocoder, load_hard_queries()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per cold measurement")
    parser.add_argument("--also-1000", action="store_true", help="also measure towns of 1,000+ people")
    args = parser.parse_args()
    print(
        f"load average (1, 5, 15 min) at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    for population in (5000, 1000) if args.also_1000 else (5000,):
        report(population, args.runs)


if __name__ == "__main__":
    main()
