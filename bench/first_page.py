"""A fresh server's first page: process start to a page a visitor can use, in Chromium.

    python bench/first_page.py [--runs 3] [--data data/us-samhsa-2021.csv] [--place "Richmond, VA"]

For each run, starts `streamlit run app.py` on a free loopback port (the clock starts just
before the process is created), polls /_stcore/health every 50 ms, then opens the page in an
already running headless Chromium and waits for the search box ("first page usable"). A second
server with a site configuration whose default place is --place ([area] centre) also waits for
the first results for it (the live result count). Each is measured with the binary directory
cache cold (an empty HELPMAP_CACHE_DIR: the CSV is parsed and validated) and warm (the copy the
cold run wrote). Prints the medians and the machine's load. Every wait is bounded; servers
are stopped after each run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CHROMIUM_FLAGS, AppServer, chromium_path  # noqa: E402

TIMEOUT_S = 90
LABEL = "Town, postcode or address"


def first_page(browser, env: dict[str, str], with_results: bool, script: str = "app.py") -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    server = None
    try:
        server = AppServer(env, script=script, poll_s=0.05)  # returns once /_stcore/health answers
        url, started, healthy = server.url, server.started, server.healthy_s
        page = context.new_page()
        local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())
        page.goto(url, timeout=TIMEOUT_S * 1000)
        page.get_by_role("textbox", name=LABEL).wait_for(timeout=TIMEOUT_S * 1000)
        usable = time.perf_counter() - started
        results = None
        if with_results:
            page.wait_for_selector(".helpmap-result-count", timeout=TIMEOUT_S * 1000)
            results = time.perf_counter() - started
        return {"healthy": healthy, "usable": usable, "results": results}
    finally:
        context.close()
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default=str(REPO / "data" / "us-samhsa-2021.csv"))
    parser.add_argument("--place", default="Richmond, VA")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load before: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)", flush=True)
    measured: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site.toml"
        site.write_text(f'[area]\ncentre = "{args.place}"\n', encoding="utf-8")
        cache = Path(folder) / "cache"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
            try:
                for _ in range(args.runs):
                    # The Streamlit floor (bench/apps/floor.py): what any Streamlit app pays first.
                    result = first_page(browser, {}, with_results=False, script="bench/apps/floor.py")
                    measured.setdefault(("Streamlit floor app", "–"), []).append(result)
                    print("floor", {k: v and round(v, 2) for k, v in result.items()}, flush=True)
                    for page_kind, extra in (("search box", {}), (f"results for {args.place}", {"HELPMAP_CONFIG": str(site)})):  # fmt: skip
                        shutil.rmtree(cache, ignore_errors=True)
                        for state in ("cold", "warm"):  # the cold run writes the copy the warm one reads
                            env = {"HELPMAP_DATA": args.data, "HELPMAP_CACHE_DIR": str(cache), **extra}
                            result = first_page(browser, env, with_results=bool(extra))
                            measured.setdefault((page_kind, state), []).append(result)
                            print(page_kind, state, {k: v and round(v, 2) for k, v in result.items()}, flush=True)
            finally:
                browser.close()
    print(f"load after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"medians of {args.runs}, {Path(args.data).name}, seconds from process start")
    print("| first page | binary cache | server answers | search box visible | first results |")
    print("|---|---|---:|---:|---:|")
    for (page_kind, state), results in measured.items():
        cell = lambda key: "–" if results[0][key] is None else f"{statistics.median(r[key] for r in results):.2f}"  # noqa: E731
        print(f"| {page_kind} | {state} | {cell('healthy')} | {cell('usable')} | {cell('results')} |")


if __name__ == "__main__":
    main()
