"""Where the bytes of one search go: each message Streamlit sends for a Find help search, by kind.

    python bench/search_bytes.py [--data PATH] [--searches 3]

Starts the real app on loopback (the shipped default directory unless --data), opens a raw
Streamlit WebSocket session (tests/streamlit_ws.py: the messages a browser tab sends), runs a
warm-up search and then `--searches` more, and prints, for the last one, the bytes per element
kind and the largest elements, so cuts can be aimed. Bounded by the client's timeouts.

This client keeps no message cache, so elements a browser already holds (which Streamlit then
sends as short references: .streamlit/config.toml, minCachedMessageSize) count whole here;
bench/browser.py measures what a browser receives.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.conftest import AppServer  # noqa: E402
from tests.streamlit_ws import StreamlitSession  # noqa: E402

PLACES = ["Chicago", "Denver", "Seattle", "Boston", "Los Angeles"]


def describe(message: ForwardMsg) -> str:
    kind = message.WhichOneof("type")
    if kind != "delta":
        return kind or "?"
    delta = message.delta.WhichOneof("type")
    if delta == "new_element":
        element = message.delta.new_element
        name = element.WhichOneof("type")
        if name == "html":
            body = element.html.body
            for mark in ("<style>", "<script>", "hm-crisis", "hm-cards", "helpmap-result-count"):
                if mark in body:
                    return f"html {mark}"
            return "html (other)"
        if name == "component_instance":
            return f"component {element.component_instance.component_name}"
        return name
    if delta == "add_block":
        return "block"
    return delta or "?"


async def measure(url: str, searches: int) -> list[tuple[str, int, str]]:
    session = await StreamlitSession.open(url)
    await session.search("Richmond, VA")
    captured: list[tuple[str, int, str]] = []
    original = session.websocket.recv

    async def recv():
        payload = await original()
        message = ForwardMsg()
        message.ParseFromString(payload)
        captured.append((describe(message), len(payload), str(message)[:160].replace("\n", " ")))
        return payload

    session.websocket.recv = recv
    for number in range(searches):
        captured.clear()
        await session.search(PLACES[number % len(PLACES)])
    await session.close()
    return captured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO / "data" / "us-samhsa-2021.csv"))
    parser.add_argument("--searches", type=int, default=3)
    args = parser.parse_args()
    server = AppServer({"HELPMAP_DATA": args.data})
    try:
        captured = asyncio.run(measure(server.url, args.searches))
    finally:
        server.stop()
    totals: Counter = Counter()
    counts: Counter = Counter()
    for kind, size, _ in captured:
        totals[kind] += size
        counts[kind] += 1
    print(f"last search: {len(captured)} messages, {sum(totals.values()) / 1024:.1f} KB (WebSocket payloads)")
    for kind, size in totals.most_common():
        print(f"  {size / 1024:7.1f} KB  {counts[kind]:4d}  {kind}")
    print("largest messages:")
    for kind, size, text in sorted(captured, key=lambda c: -c[1])[:8]:
        print(f"  {size / 1024:6.1f} KB  {kind}: {text[:110]}")


if __name__ == "__main__":
    main()
