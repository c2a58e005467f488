"""Benchmark: load + validate a directory, for the real 14,034-row SAMHSA file and synthetic
100,000 and 1,000,000-row files. Prints wall time and peak memory of `python -m helpmap
validate` as a whole process (what a site operator pays), median of several runs.

First, the start-up cost of the shipped default directory (data/us-samhsa-2021.csv): a fresh
process loads it the way the app does (the site's catalog of sources, then the search index),
timed apart from importing the libraries, cold (HELPMAP_CACHE_DIR=off: parse and validate the
CSV) and with the binary cache warm. The budget is 2 s for load + index.

    python bench/directory.py [--runs 3] [--sizes 100000,1000000]

The SAMHSA file is read from ../shared/data and converted with the samhsa importer into a temp
folder; synthetic files resample its rows with small jitter so they look like real data.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SAMHSA = REPO.parent / "shared" / "data" / "samhsa-substance-use-treatment-2021.csv"


# Linux counts a child's memory from before exec() in its peak, so a child forked from this
# (large) process would report our size. A small measuring process starts each run instead.
MEASURER = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
"""


def run_measured(command: list[str]) -> tuple[float, float, int]:
    output = subprocess.run([sys.executable, "-c", MEASURER, *command], cwd=REPO, capture_output=True, text=True)
    wall, peak, code = output.stdout.split()
    return float(wall), float(peak), int(code)


def measure(path: Path, runs: int) -> tuple[float, float, int]:
    """Median wall seconds, peak RSS in MB, and the exit code of `validate`."""
    results = [run_measured([sys.executable, "-m", "helpmap", "validate", str(path), "--json"]) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


# What the app does at start-up with no settings: read the default source, validate, index.
STARTUP = """
import time
start = time.perf_counter()
from helpmap import config, datasources, search
imported = time.perf_counter()
catalog = datasources.Catalog(config.Settings().data_sources)
catalog.refresh()
index = search.SearchIndex(catalog.directory.frame)
done = time.perf_counter()
assert not catalog.directory.report.fatal, catalog.directory.report.fatal
print(imported - start, done - imported, len(catalog.directory))
"""


def startup(runs: int, cache: str) -> tuple[float, float, int, float]:
    """Median import seconds, median load + index seconds, rows, and peak MB of the process,
    with HELPMAP_CACHE_DIR=`cache` ("off", or a folder, filled by a first run)."""
    os.environ["HELPMAP_CACHE_DIR"] = cache  # the children inherit it
    if cache != "off":
        subprocess.run([sys.executable, "-c", STARTUP], cwd=REPO, capture_output=True, timeout=120)
    results, peaks = [], []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", STARTUP], cwd=REPO, capture_output=True, text=True, timeout=120)
        if output.returncode:
            raise SystemExit(output.stderr)
        imported, loaded, rows = output.stdout.split()
        results.append((float(imported), float(loaded), int(rows)))
        peaks.append(run_measured([sys.executable, "-c", STARTUP])[1])
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results), results[0][2],
            max(peaks))  # fmt: skip


def baseline_memory_mb() -> float:
    """Peak RSS of a Python process that only imports the loader (the fixed cost)."""
    return run_measured([sys.executable, "-c", "import helpmap.directory"])[1]


def synthetic(base: pd.DataFrame, rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    picks = base.sample(n=rows, replace=True, random_state=seed).reset_index(drop=True)
    picks["latitude"] = (picks["latitude"].astype(float) + rng.normal(0, 0.15, rows)).clip(-89, 89).round(5)
    picks["longitude"] = (picks["longitude"].astype(float) + rng.normal(0, 0.2, rows)).round(5)
    picks["id"] = [f"syn-{i}" for i in range(rows)]
    return picks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    from helpmap.importers import run_import

    with tempfile.TemporaryDirectory() as cache:
        for label, setting in (("cold, no cache", "off"), ("binary cache warm", cache)):
            imported, loaded, rows, peak = startup(args.runs, setting)
            print(f"default directory data/us-samhsa-2021.csv ({rows:,} rows), fresh process, {label}, median of "
                  f"{args.runs}: import {imported:.2f} s, load + index {loaded:.2f} s (budget 2 s), peak {peak:.0f} MB")  # fmt: skip
    os.environ.pop("HELPMAP_CACHE_DIR")

    with tempfile.TemporaryDirectory() as folder:
        real = Path(folder) / "samhsa.csv"
        report = run_import("samhsa", SAMHSA, real)
        files = [(f"SAMHSA ({report.loaded:,} rows)", real)]
        base = pd.read_csv(real, dtype=str, keep_default_na=False)
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = Path(folder) / f"synthetic-{size}.csv"
            synthetic(base, size).to_csv(path, index=False)
            files.append((f"synthetic ({size:,} rows)", path))

        print(f"Python {sys.version.split()[0]}, pandas {pd.__version__}; median of {args.runs} runs")
        print(f"baseline (import only): peak {baseline_memory_mb():.0f} MB")
        print(f"{'file':<28} {'MB on disk':>10} {'wall s':>8} {'peak MB':>8} {'exit':>5}")
        for label, path in files:
            wall, peak, code = measure(path, args.runs)
            print(f"{label:<28} {path.stat().st_size / 1e6:>10.1f} {wall:>8.2f} {peak:>8.0f} {code:>5}")


if __name__ == "__main__":
    main()
