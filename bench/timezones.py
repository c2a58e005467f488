"""tzfpy, as helpmap.timezones uses it: memory and time to load, and time per lookup.

    python bench/timezones.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


def main() -> None:
    from helpmap.timezones import zone_at

    before, start = rss_mib(), time.perf_counter()
    zone_at(53.54, -113.49)  # loads tzfpy and its index
    print(f"first lookup (load): {1000 * (time.perf_counter() - start):.0f} ms, +{rss_mib() - before:.0f} MiB")
    rng = random.Random(12)
    points = [(rng.uniform(25, 50), rng.uniform(-125, -65)) for _ in range(100_000)]
    start = time.perf_counter()
    zones = [zone_at(lat, lon) for lat, lon in points]
    per = (time.perf_counter() - start) / len(points) * 1e6
    print(f"{len(points):,} US points: {per:.2f} µs each (helpmap.timezones.zone_at); "
          f"{sum(1 for z in zones if not z):,} at sea; resident memory now +{rss_mib() - before:.0f} MiB")


if __name__ == "__main__":
    main()
