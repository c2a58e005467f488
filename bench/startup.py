"""Benchmark: what a server process pays to get its directory ready, cold and with the binary
cache warm, as a whole process: load (helpmap.runtime's catalog), build the search index and the
filter choices, and answer one search. Prints wall seconds and peak RSS (median of runs).

    python bench/startup.py [--runs 3] [--sizes 14030,1000000]

Rows are SAMHSA's real facilities (../shared/data), resampled with jitter for the larger sizes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.directory import SAMHSA, run_measured, synthetic  # noqa: E402

READY = """
import time, sys
from helpmap import runtime
index = runtime.search_index(); runtime.filter_choices()
index.search(38.03, -78.48, 40.0, limit=50)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="14030,1000000")
    args = parser.parse_args()
    from helpmap.importers import run_import

    with tempfile.TemporaryDirectory() as folder:
        real = Path(folder) / "samhsa.csv"
        run_import("samhsa", SAMHSA, real)
        base = pd.read_csv(real, dtype=str, keep_default_na=False)
        print(f"{'rows':>10} {'cold s':>8} {'cold MB':>8} {'warm s':>8} {'warm MB':>8}")
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = Path(folder) / f"rows-{size}.csv"
            (base if size == len(base) else synthetic(base, size)).to_csv(path, index=False)
            cache = Path(folder) / f"cache-{size}"
            env = f"import os; os.environ.update(HELPMAP_DATA={str(path)!r}, HELPMAP_CACHE_DIR={str(cache)!r})\n"
            cold, warm = [], []
            for _ in range(args.runs):
                subprocess.run(["rm", "-rf", str(cache)], check=True)
                cold.append(run_measured([sys.executable, "-c", env + READY]))
                warm.append(run_measured([sys.executable, "-c", env + READY]))
            print(f"{size:>10,} {statistics.median(r[0] for r in cold):>8.2f} {max(r[1] for r in cold):>8.0f} "
                  f"{statistics.median(r[0] for r in warm):>8.2f} {max(r[1] for r in warm):>8.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
