"""Worst-case opening_hours cells: how long one status takes, against a budget.

The earlier regex took 23 s on "mo" + 1,990 spaces + "x" and held the GIL, stalling every
visitor. Prints each case's time (200 fresh parses, cache cleared) and exits 1 if any case's
median is over the budget.

    python bench/hours.py
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpmap import schedule  # noqa: E402

BUDGET_MS = 1.0
CASES = {
    "long run of spaces (the old 23 s case)": "mo" + " " * 1990 + "x",
    "spaces under the length cap": "mo" + " " * 480 + "x",
    "many day codes": "mo," * 160 + "x",
    "many blanks and digits": "mo" + " 1" * 240,
    "many rules": "; ".join(["mo-fr 09:00-17:00"] * 27),
    "many spans": "mo " + ",".join(["09:00-10:00"] * 40),
    "typical": "Mo-Fr 09:00-17:00; Sa 10:00-14:00; Su off",
}


def main() -> int:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    worst = 0.0
    for label, text in CASES.items():
        times = []
        for _ in range(200):
            schedule._parse_hours.cache_clear()
            start = time.perf_counter()
            schedule.hours_status(text, "Europe/London", now)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"{label:42s} {len(text):5d} chars  median {median:.3f} ms  max {max(times):.3f} ms")
    print(f"worst median: {worst:.3f} ms per status (budget {BUDGET_MS} ms)")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
