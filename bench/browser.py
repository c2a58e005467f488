"""HelpMap in the browser against the Streamlit floor and the naive app, in one run.

    python bench/browser.py [--rounds 5] [--data data/us-samhsa-2021.csv] [--before CHECKOUT] [--out FILE]

Starts three real Streamlit servers on loopback ports, each its own process:
  - helpmap: the real app (app.py) on the directory given (the shipped 15,902-row SAMHSA one);
  - floor:   bench/apps/floor.py, the same form round trip rendering one text element;
  - naive:   bench/apps/naive.py, the tutorial way (folium Marker + Popup per result through
             streamlit-folium, st.write per result) on the same file.
With --before, a fourth server runs app.py from another checkout of HelpMap (an earlier commit,
`git worktree add` or `git archive`), interleaved the same way, for a before/after column.
Each round opens a fresh headless Chromium page (1280x900, a new context: an empty browser
cache) on each app in turn (the order rotates every round, so load on this shared machine falls
on all three alike) and makes two searches there: the first search of the page, then a second.
A warm-up round is not counted. Per search, measured in the page with performance.now() from
the Enter keydown (a requestAnimationFrame probe, so a time is when the page could paint it):
  - count:   the result count (or the floor's one text) shows this search's text;
  - card:    the first result shows this search's first result;
  - markers: a map frame has Leaflet markers for this search (HelpMap's frame sets a draw
             stamp; streamlit-folium mounts a new frame per map);
  - run:     Streamlit's script state goes running -> notRunning (data-test-script-state on
             stApp: the running indicator is gone), the same attribute for all three apps;
  - kb:      WebSocket bytes the browser received from Enter until the page is quiet;
  - cpu_ms:  the server process's user+system CPU over the same span (/proc);
  - browser_ms: the page's main-thread task time over the same span (Chromium's own counter,
             Performance.getMetrics TaskDuration: the map frame is same-origin, so it is in it),
             which the machine's load does not stretch as it stretches wall-clock times.
Prints medians and ratios (helpmap / floor, helpmap / naive). Traffic stays on 127.0.0.1 (every
other request is refused) and every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.ui_search import cpu_seconds  # noqa: E402
from tests.conftest import CHROMIUM_FLAGS, AppServer, chromium_path  # noqa: E402

PLACES = ["Chicago", "Denver", "Seattle", "Boston", "Charlottesville, VA", "10001", "Los Angeles",
          "Springfield, IL", "Atlanta", "Phoenix", "Portland, OR", "Richmond, VA", "Dallas", "Miami"]  # fmt: skip
WARM_UP = ("22903", "Springfield, IL", "Chicago")
LABEL = "Town, postcode or address"
TIMEOUT_S = 90
QUIET_S = 1.0  # the page is done when nothing arrived for this long after the run finished

# What each app shows: where its count is, its first result, whether it has a map.
APPS = {
    "helpmap": {"script": "app.py", "count": ".helpmap-result-count", "count_has": "",
                "card": ".hm-card", "card_prefix": "", "map": True},
    "floor": {"script": "bench/apps/floor.py", "count": "[data-testid='stText']", "count_has": "",
              "card": None, "card_prefix": "", "map": False},
    "naive": {"script": "bench/apps/naive.py", "count": "[data-testid='stHeading']", "count_has": " found within ",
              "card": "[data-testid='stMarkdownContainer']", "card_prefix": "1. ", "map": True},
}  # fmt: skip

# Installed before the app's own scripts: counts the ForwardMsgs that end a script run
# (`script_finished`, field 6 of ForwardMsg; status 2, "finished early for a rerun", is not an
# end), read from the top-level protobuf fields of each WebSocket message the page receives.
WS_HOOK = """
(() => {
  const Native = window.WebSocket;
  window.__finished = 0;
  const varint = (b, i) => { let v = 0, m = 1; for (;;) { const x = b[i++]; v += (x & 127) * m; m *= 128; if (x < 128) return [v, i]; } };
  const ended = (data) => {
    if (!(data instanceof ArrayBuffer)) return false;
    const b = new Uint8Array(data);
    let i = 0;
    while (i < b.length) {
      let tag, v; [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [v, i] = varint(b, i); if (field === 6) return v !== 2; }
      else if (wire === 2) { [v, i] = varint(b, i); i += v; }
      else return false;
    }
    return false;
  };
  function Hooked(...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (event) => { if (ended(event.data)) window.__finished += 1; });
    return ws;
  }
  Hooked.prototype = Native.prototype;
  Object.assign(Hooked, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Hooked;
})();
"""

PROBE = """
(cfg) => {
  const textOf = (sel, has, prefix) => {
    if (!sel) return null;
    for (const e of document.querySelectorAll(sel)) {
      const t = e.innerText || "";
      if ((!has || t.includes(has)) && (!prefix || t.startsWith(prefix))) return t;
    }
    return null;
  };
  const frameSig = (f) => {
    try {
      const d = f.contentDocument;
      const n = d ? d.querySelectorAll(".leaflet-marker-icon").length : 0;
      return n ? (d.body.getAttribute("data-drawn") || ("n" + n)) : null;
    } catch (e) { return null; }
  };
  const app = document.querySelector("[data-testid='stApp']");
  const s = {enter: null, t: {}, states: [], done: false, finished: window.__finished,
             before: {count: textOf(cfg.count, cfg.count_has, ""), card: textOf(cfg.card, "", cfg.card_prefix),
                      frames: new Map()}};
  for (const f of document.querySelectorAll("iframe")) s.before.frames.set(f, frameSig(f));
  window.__probe = s;
  s.observer = new MutationObserver(() => s.states.push([app.getAttribute("data-test-script-state"), performance.now()]));
  s.observer.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  window.addEventListener("keydown", (e) => { if (e.key === "Enter" && s.enter === null) s.enter = performance.now(); },
                          {capture: true, once: true});
  const check = () => {
    if (s.enter === null) return;
    const now = performance.now();
    if (!("count" in s.t)) {
      const c = textOf(cfg.count, cfg.count_has, "");
      if (c && c !== s.before.count) s.t.count = now - s.enter;
    }
    if (cfg.card && !("card" in s.t)) {
      const c = textOf(cfg.card, "", cfg.card_prefix);
      if (c && c !== s.before.card) s.t.card = now - s.enter;
    }
    if (cfg.map && !("markers" in s.t)) {
      for (const f of document.querySelectorAll("iframe")) {
        const sig = frameSig(f);
        if (sig && s.before.frames.get(f) !== sig) { s.t.markers = now - s.enter; break; }
      }
    }
  };
  const checkRun = () => {
    if (s.enter === null || "run" in s.t || window.__finished <= s.finished) return;
    if (app.getAttribute("data-test-script-state") !== "running") s.t.run = performance.now() - s.enter;
  };
  const tick = () => { check(); checkRun(); if (!s.done) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}
"""

# Run finished: the first animation frame after this run's script_finished message arrived
# with the app's state no longer "running" (the indicator gone). `runs`: the runs that ended
# after Enter (streamlit-folium's first value triggers a second, for example); `settled`: the
# last time the state turned notRunning.
RESULT = """
() => {
  const s = window.__probe;
  let last = null;
  for (const [state, at] of s.states) { if (at >= s.enter && state === "notRunning") last = at - s.enter; }
  const running = document.querySelector("[data-testid='stApp']").getAttribute("data-test-script-state") === "running";
  return {t: s.t, run: s.t.run === undefined ? null : s.t.run, settled: last, runs: window.__finished - s.finished,
          running: running};
}
"""


def main_thread_s(cdp) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def search_once(page, cdp, server: AppServer, app: dict, place: str, received: list[int]) -> dict:
    box = page.get_by_role("textbox", name=LABEL)
    box.fill(place)
    page.wait_for_timeout(300)
    page.evaluate(PROBE, {k: app[k] for k in ("count", "count_has", "card", "card_prefix", "map")})
    bytes_before, cpu_before, tasks_before = received[0], cpu_seconds(server.process.pid), main_thread_s(cdp)
    box.press("Enter")
    deadline = time.monotonic() + TIMEOUT_S
    wanted = {"count"} | ({"card"} if app["card"] else set()) | ({"markers"} if app["map"] else set())
    quiet_since, last_bytes = None, received[0]
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        state = page.evaluate(RESULT)
        if received[0] != last_bytes or state["running"] or state["run"] is None or not wanted <= set(state["t"]):
            quiet_since, last_bytes = None, received[0]
            continue
        quiet_since = quiet_since or time.monotonic()
        if time.monotonic() - quiet_since >= QUIET_S:
            break
    page.evaluate("() => { window.__probe.done = true; window.__probe.observer.disconnect(); }")
    browser_ms = (main_thread_s(cdp) - tasks_before) * 1000  # includes QUIET_S of idle polling
    timed_out = time.monotonic() >= deadline
    return {
        "place": place,
        "count_ms": state["t"].get("count"), "card_ms": state["t"].get("card"),
        "markers_ms": state["t"].get("markers"), "run_ms": state["run"], "settled_ms": state["settled"],
        "runs": state["runs"], "kb": (received[0] - bytes_before) / 1024,
        "cpu_ms": (cpu_seconds(server.process.pid) - cpu_before) * 1000, "browser_ms": browser_ms,
        "timed_out": timed_out,
    }  # fmt: skip


def visit(browser, server: AppServer, app: dict, places: tuple[str, ...]) -> list[dict]:
    """A fresh page (empty cache), its first search and its second."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WS_HOOK)
    received = [0]
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.__setitem__(0, received[0] + len(p))))
        page.goto(server.url, timeout=TIMEOUT_S * 1000)
        page.get_by_role("textbox", name=LABEL).wait_for(timeout=TIMEOUT_S * 1000)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_S * 1000)
        page.wait_for_timeout(800)  # the first page's components settle
        return [search_once(page, cdp, server, app, place, received) for place in places]
    finally:
        context.close()


def median(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def table(results: dict[str, list[list[dict]]]) -> str:
    before = "before" in results
    metrics = [("count_ms", "Enter to result count (ms)"), ("card_ms", "Enter to first card (ms)"),
               ("markers_ms", "Enter to markers drawn (ms)"), ("run_ms", "Enter to run finished (ms)"),
               ("kb", "WebSocket KB received"), ("cpu_ms", "server CPU (ms)"),
               ("browser_ms", "browser main-thread CPU (ms)")]  # fmt: skip
    lines = ["| search | measure | " + ("HelpMap before | " if before else "") + "HelpMap | floor | naive | "
             + ("after / before | " if before else "") + "HelpMap / floor | HelpMap / naive |",
             "|---|---|" + ("---:|" if before else "") + "---:|---:|---:|" + ("---:|" if before else "") + "---:|---:|"]  # fmt: skip
    for which, label in ((0, "first"), (1, "second")):
        for key, name in metrics:
            m = {app: median([visit[which].get(key) for visit in results[app]]) for app in results}
            cell = lambda v: "–" if v is None else (f"{v:,.1f}" if key == "kb" else f"{v:,.0f}")  # noqa: E731
            ratio = lambda a, b: "–" if a is None or b is None or not b else f"{a / b:.2f}x"  # noqa: E731
            was = f"{cell(m['before'])} | " if before else ""
            change = f"{ratio(m['helpmap'], m['before'])} | " if before else ""
            lines.append(f"| {label} | {name} | {was}{cell(m['helpmap'])} | {cell(m['floor'])} | {cell(m['naive'])} "
                         f"| {change}{ratio(m['helpmap'], m['floor'])} | {ratio(m['helpmap'], m['naive'])} |")  # fmt: skip
    return "\n".join(lines)


def measure(apps: dict[str, dict], rounds: int, data: Path) -> dict[str, list[list[dict]]]:
    """Serve each app (its own process), then `rounds` counted rounds of a fresh page per app, in
    rotating order, after a warm-up round; returns each app's searches per round."""
    from playwright.sync_api import sync_playwright

    names = list(apps)
    print(f"load before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    servers: dict[str, AppServer] = {}
    results: dict[str, list[list[dict]]] = {name: [] for name in names}
    try:
        for name in names:
            servers[name] = AppServer({"HELPMAP_DATA": str(data.resolve())}, script=apps[name]["script"],
                                      cwd=apps[name].get("cwd", REPO))  # fmt: skip
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
            try:
                for number in range(rounds + 1):
                    # Round 0 warms each server (the geocoder's ZIP, region and town tables load on
                    # first use, once per process) and is not counted.
                    places = WARM_UP if number == 0 else (PLACES[(2 * number) % len(PLACES)],
                                                          PLACES[(2 * number + 1) % len(PLACES)])  # fmt: skip
                    order = names[number % len(names):] + names[:number % len(names)]
                    for name in order:
                        searches = visit(browser, servers[name], apps[name], places)
                        print(json.dumps({"round": number, "app": name, "searches": searches}), flush=True)
                        if number:
                            results[name].append(searches)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
    print(f"load after: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", default=str(REPO / "data" / "us-samhsa-2021.csv"))
    parser.add_argument("--apps", default="helpmap,floor,naive")
    parser.add_argument("--before", type=Path, help="another HelpMap checkout, served as a fourth app")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    names = args.apps.split(",") + (["before"] if args.before else [])
    if args.before:
        APPS["before"] = dict(APPS["helpmap"], cwd=args.before.resolve())
    results = measure({name: APPS[name] for name in names}, args.rounds, Path(args.data))
    if {"helpmap", "floor", "naive"} <= set(names):
        print(f"medians of {args.rounds} rounds, {Path(args.data).name}")
        print(table(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
