"""Browser load benchmark: 20 concurrent Chromium pages, each running 5 searches, against one server.

    python bench/browser_load.py [--pages 20] [--searches 5] [--data PATH]

Starts the real app on a free loopback port (the demo data unless --data), opens the
pages at once in headless Chromium, and on each types a place and waits for the result count.
Prints search-to-results p50/p95, the number of errors (timeouts, exception boxes; must be
zero) and the server's memory. Traffic stays on 127.0.0.1, and the run is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CHROMIUM_FLAGS, AppServer, chromium_path  # noqa: E402

PLACES = ["Leeds", "Chicago", "Toronto", "Sydney", "Manchester", "10001", "Glasgow", "Melbourne", "Dublin",
          "Springfield, IL", "Vancouver", "London", "Los Angeles", "Charlottesville, VA", "M5V 3L9"]  # fmt: skip
RESULT = ".helpmap-result-count"  # the live result count (st.info boxes are role=status too)
TIMEOUT_MS = 60_000


def server_memory_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of the server process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def one_visitor(browser, url: str, number: int, searches: int, timings: list[float], errors: list[str]) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.route("**/*", lambda route: asyncio.ensure_future(
        route.continue_() if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else route.abort()))  # fmt: skip
    try:
        await page.goto(url, timeout=TIMEOUT_MS)
        box = page.get_by_role("textbox", name="Town, postcode or address")
        await box.wait_for(timeout=TIMEOUT_MS)
        for search in range(searches):
            place = PLACES[(number * searches + search) % len(PLACES)]
            previous = await page.locator(RESULT).all_inner_texts()
            await box.fill(place)
            start = time.perf_counter()
            await box.press("Enter")
            # Done when the live result count changes to this search's answer.
            await page.wait_for_function(
                "([sel, before]) => { const e = document.querySelector(sel); return e && e.innerText !== (before[0] || '') }",
                arg=[RESULT, previous], timeout=TIMEOUT_MS,
            )  # fmt: skip
            timings.append(time.perf_counter() - start)
            if await page.locator("[data-testid='stException']").count():
                errors.append(f"page {number}: an exception box after searching {place}")
    except Exception as error:  # a timeout or a crash is counted, never hidden
        errors.append(f"page {number}: {type(error).__name__}: {str(error).splitlines()[0][:120]}")
    finally:
        await context.close()


async def run(url: str, pages: int, searches: int) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    timings: list[float] = []
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        await asyncio.gather(*(one_visitor(browser, url, n, searches, timings, errors) for n in range(pages)))
        await browser.close()
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--searches", type=int, default=5)
    parser.add_argument("--data", default=str(REPO / "data" / "demo-directory.csv"),
                        help="a directory CSV (default: the demo data, whose places these searches use)")
    args = parser.parse_args()

    server = AppServer({"HELPMAP_DATA": args.data})
    try:
        idle_rss, _ = server_memory_mb(server.process.pid)
        started = time.perf_counter()
        timings, errors = asyncio.run(run(server.url, args.pages, args.searches))
        elapsed = time.perf_counter() - started
        rss, peak = server_memory_mb(server.process.pid)
    finally:
        server.stop()

    print(f"{args.pages} concurrent pages x {args.searches} searches, {len(timings)} completed in {elapsed:.1f} s")
    if timings:
        ordered = sorted(timings)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        print(f"search-to-results: p50 {statistics.median(timings):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    print(f"server memory: {idle_rss:.0f} MB idle, {rss:.0f} MB after, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
