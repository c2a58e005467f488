"""Streamlit's full garbage collection after every run, on and off: throughput and memory.

    python bench/gc_soak.py [--searches 1000] [--clients 4]

Streamlit runs `gc.collect(2)` after every script run (`runner.postScriptGC`), which walks every
object the process holds, a directory of thousands of rows included. HelpMap freezes the
directory's objects after loading (helpmap.runtime: `gc.freeze()`), and its .streamlit/config.toml
turns the post-run collection off. This bench runs the real app with each setting (one process
on loopback, the shipped default directory), `--clients` raw WebSocket visitors searching until
`--searches` are done, and prints searches per second, p50/p95, and the server's RSS every 100
searches, so growth over the run shows.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load import PLACES, memory_mb, percentile  # noqa: E402
from tests.conftest import AppServer  # noqa: E402
from tests.streamlit_ws import StreamlitSession  # noqa: E402


async def soak(url: str, pid: int, searches: int, clients: int) -> tuple[list[float], list[float], int, float]:
    sessions = [await StreamlitSession.open(url) for _ in range(clients)]
    await sessions[0].search("Leeds")
    timings: list[float] = []
    curve: list[float] = [memory_mb(pid)]
    errors = 0
    counter = iter(range(searches))
    started = time.monotonic()

    async def visitor(number: int, session: StreamlitSession) -> None:
        nonlocal errors
        for done in counter:
            run = await session.search(PLACES[(done * 7 + number) % len(PLACES)])
            if run.ok and run.result_count:
                timings.append(run.seconds)
            else:
                errors += 1
            if (done + 1) % 100 == 0:
                curve.append(memory_mb(pid))

    await asyncio.gather(*(visitor(n, s) for n, s in enumerate(sessions)))
    elapsed = time.monotonic() - started
    for session in sessions:
        await session.close()
    return timings, curve, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    data = str(REPO / "data" / "us-samhsa-2021.csv")
    print(f"{args.searches} searches, {args.clients} clients, {Path(data).name}")
    for setting in ("true", "false"):
        server = AppServer({"HELPMAP_DATA": data, "STREAMLIT_RUNNER_POST_SCRIPT_GC": setting})
        try:
            timings, curve, errors, elapsed = asyncio.run(soak(server.url, server.process.pid, args.searches, args.clients))
        finally:
            server.stop()
        ordered = sorted(timings)
        print(f"postScriptGC={setting:5s} {len(timings) / elapsed:5.1f} searches/s  p50 {statistics.median(ordered) * 1000:.0f} ms"
              f"  p95 {percentile(ordered, 0.95) * 1000:.0f} ms  errors {errors}")  # fmt: skip
        print("  RSS MB every 100 searches: " + " ".join(f"{m:.0f}" for m in curve))


if __name__ == "__main__":
    main()
