"""Load benchmark through nginx: searches per second for 1, 2 and 4 replicas, the same load each.

    python bench/load.py [--replicas 1 2 4] [--clients 8] [--seconds 15] [--data PATH]

For each replica count it starts `python -m helpmap serve` on loopback, warms every replica
(one session and one search each, directly, so the first visitor's cold caches are not
measured), then runs the same closed-loop load through nginx: `--clients` visitors, each a raw
Streamlit WebSocket client (tests/streamlit_ws.py: the protobuf messages a browser tab sends
and receives, without a browser's CPU), searching one place after another for `--seconds`.
The visitors are spread evenly over the replicas, as many real visitors' random cookies would
be (each cookie's replica is found by opening a connection and seeing where it lands).
Prints searches per second, p50/p95 latency (Enter to the end of the script run), errors, each
replica's memory, and the client's own CPU share, since it runs on the same machine.
Bounded: about 35 s per replica count, under 2 minutes for the default three.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import secrets
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpmap import deploy  # noqa: E402
from tests.serve_process import ServeProcess  # noqa: E402
from tests.streamlit_ws import StreamlitSession, established_connections  # noqa: E402

PLACES = ["Leeds", "Chicago", "Toronto", "Sydney", "Manchester", "10001", "Glasgow", "Melbourne", "Dublin",
          "Springfield, IL", "Vancouver", "London", "Los Angeles", "Charlottesville, VA", "M5V 3L9"]  # fmt: skip


def memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def balanced_sessions(served: ServeProcess, clients: int) -> list[StreamlitSession]:
    """`clients` open sessions through nginx, the same number (±1) on each replica."""
    ports = {index: line["port"] for index, line in served.replicas.items()}
    wanted = {index: clients // len(ports) + (1 if index < clients % len(ports) else 0) for index in ports}
    sessions: list[StreamlitSession] = []
    for _ in range(clients * 20):
        if len(sessions) == clients:
            return sessions
        before = {index: established_connections(port) for index, port in ports.items()}
        session = await StreamlitSession.open(
            served.url, cookie=f"{deploy.STICKY_COOKIE}={secrets.token_hex(16)}"
        )
        after = {index: established_connections(port) for index, port in ports.items()}
        landed = [index for index in ports if after[index] > before[index]]
        if len(landed) == 1 and wanted[landed[0]] > 0:
            wanted[landed[0]] -= 1
            sessions.append(session)
        else:
            await session.close()
    raise RuntimeError(f"could not spread {clients} sessions over {len(ports)} replicas")


async def warm(served: ServeProcess) -> None:
    for line in served.replicas.values():
        session = await StreamlitSession.open(f"http://127.0.0.1:{line['port']}")
        await session.search("Leeds")
        await session.close()


async def visitor(
    session: StreamlitSession, number: int, until: float, timings: list[float], errors: list[str]
) -> None:
    search = 0
    while time.monotonic() < until:
        place = PLACES[(number * 7 + search) % len(PLACES)]
        search += 1
        try:
            run = await session.search(place, timeout=60)
        except Exception as error:  # a timeout or a dropped connection is counted, never hidden
            errors.append(f"visitor {number}: {type(error).__name__}: {error}"[:160])
            return
        if run.ok and run.result_count:
            timings.append(run.seconds)
        else:
            errors.append(f"visitor {number}: {place}: status {run.status}, {run.exceptions[:1]}")


async def load(served: ServeProcess, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    await warm(served)
    sessions = await balanced_sessions(served, clients)
    timings: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    await asyncio.gather(*(visitor(s, n, started + seconds, timings, errors) for n, s in enumerate(sessions)))
    elapsed = time.monotonic() - started
    for session in sessions:
        await session.close()
    return timings, errors, elapsed


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--data",
        default=str(REPO / "data" / "demo-directory.csv"),
        help="a directory CSV (default: the demo data, whose places these searches use)",
    )
    args = parser.parse_args()

    print(f"{args.clients} clients searching back to back for {args.seconds:g} s through nginx (loopback)")
    print(
        "| replicas | searches/s | p50 ms | p95 ms | searches | errors | memory per replica MB | client CPU |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    for replicas in args.replicas:
        served = ServeProcess(replicas, {"HELPMAP_DATA": args.data})
        try:
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            timings, errors, elapsed = asyncio.run(load(served, args.clients, args.seconds))
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            memory = [memory_mb(line["pid"]) for line in served.replicas.values()]
        finally:
            served.stop()
        client_cpu = (
            cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
        ) / elapsed
        ordered = sorted(timings) or [float("nan")]
        print(
            f"| {replicas} | {len(timings) / elapsed:.1f} | {statistics.median(ordered) * 1000:.0f} "
            f"| {percentile(ordered, 0.95) * 1000:.0f} | {len(timings)} | {len(errors)} "
            f"| {', '.join(f'{m:.0f}' for m in memory)} | {client_cpu:.0%} of a core |",
            flush=True,
        )  # fmt: skip
        for error in errors[:5]:
            print(f"    {error}", file=sys.stderr)


if __name__ == "__main__":
    main()
