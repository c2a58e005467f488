"""`python -m helpmap serve` for real: two Streamlit replicas behind Debian's nginx, on loopback.

Chromium searches through nginx; raw Streamlit WebSocket clients (tests/streamlit_ws.py) show
the visitors spread over both replicas and each one kept on its own. Then replicas are killed
with SIGKILL: the very first request for a dead one is answered by the other (nginx's
proxy_next_upstream); a new visitor whose cookie points at it still gets results; the tab
that was on it reconnects and searches again; serve starts the replica again and nginx sends
that cookie back to it. No place searched reaches any log. Last, SIGTERM ends every process.

The tests in this file share one serve process and run in order; the last one stops it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpmap import deploy
from helpmap.config import DEMO_DATA
from tests.conftest import Visit, wait_for_app, wait_for_map
from tests.serve_process import ServeProcess
from tests.streamlit_ws import StreamlitSession, established_connections

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1280, "height": 900}
BUSY_TIMEOUT_MS = 90_000
LEAFLET = "/app/static/vendor/leaflet/leaflet.js"
RESULT_COUNT = ".helpmap-result-count"  # the live result count (st.info boxes are role=status too)
PLACES = ("Leeds", "Chicago", "Toronto", "Glasgow")
# Records every connection state the page shows, to prove it lost and regained its WebSocket.
WATCH_CONNECTION = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    window.connectionStates = [];
    new MutationObserver(() => window.connectionStates.push(app.getAttribute("data-test-connection-state")))
        .observe(app, {attributes: true, attributeFilter: ["data-test-connection-state"]});
}"""


@pytest.fixture(scope="module")
def served():
    serve = ServeProcess(replicas=2, env={"HELPMAP_DATA": str(DEMO_DATA)})  # has the places searched
    yield serve
    serve.stop()


def in_thread(coroutine):
    """Run an asyncio coroutine beside Playwright's sync API (which owns this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def replica_ports(served) -> dict[int, int]:
    return {index: line["port"] for index, line in served.replicas.items()}


def connections(served) -> dict[int, int]:
    return {index: established_connections(port) for index, port in replica_ports(served).items()}


async def settled_connections(served, total: int) -> dict[int, int]:
    """Per replica WebSockets, once `total` are open (a closed one takes a moment to go)."""
    deadline = time.monotonic() + 10
    while sum((counts := connections(served)).values()) != total and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return counts


async def replica_for(served, cookie: str, place: str | None = None, others: int = 0) -> tuple[int, str]:
    """Which replica a visitor with this cookie lands on, and the result count of a search
    there for `place` (the first page run only, without one).

    `others` is how many other WebSockets are open meanwhile (a browser tab).
    """
    before = await settled_connections(served, others)
    session = await StreamlitSession.open(served.url, cookie=cookie)
    try:
        after = await settled_connections(served, others + 1)
        gained = [index for index in after if after[index] > before[index]]
        assert len(gained) == 1, f"one new WebSocket on one replica expected: {before} -> {after}"
        if place is None:
            return gained[0], ""
        run = await session.search(place)
        assert run.ok, run.exceptions
        return gained[0], run.result_count or ""
    finally:
        await session.close()


def result_count(page) -> str:
    return page.locator(RESULT_COUNT).first.inner_text()


def search_for(page, place: str) -> str:
    """Search on Find help and wait until the result count names the place (the machine is
    shared and busy: the generous timeout is for that, not for a slow app)."""
    box = page.get_by_role("textbox", name="Town, postcode or address")
    box.fill(place)
    box.press("Enter")
    page.wait_for_function(
        "([sel, place]) => [...document.querySelectorAll(sel)].some(e => e.innerText.includes(place))",
        arg=[RESULT_COUNT, place], timeout=BUSY_TIMEOUT_MS,
    )  # fmt: skip
    return result_count(page)


def open_visit(browser, url: str, cookie_value: str | None = None) -> Visit:
    session = Visit(browser, DESKTOP)
    if cookie_value:
        session.context.add_cookies([{"name": deploy.STICKY_COOKIE, "value": cookie_value, "url": url}])
    session.page.goto(url)
    wait_for_app(session.page, timeout=BUSY_TIMEOUT_MS)
    return session


def test_search_through_nginx_with_map_files_from_nginx(served, browser):
    session = Visit(browser, DESKTOP)
    try:
        session.page.goto(served.url)
        wait_for_app(session.page, timeout=BUSY_TIMEOUT_MS)
        with session.page.expect_response(
            lambda r: r.url.endswith(LEAFLET), timeout=BUSY_TIMEOUT_MS
        ) as leaflet:
            assert "Leeds" in search_for(session.page, "Leeds")
        assert session.page.locator("[data-testid='stException']").count() == 0
        # No tile server is configured: the built-in base map, from nginx too, and nothing outside.
        wait_for_map(session.page, timeout=BUSY_TIMEOUT_MS)
        assert session.external_requests == []
        cookies = {c["name"]: c for c in session.context.cookies()}
        assert cookies[deploy.STICKY_COOKIE]["httpOnly"]
        # The map's Leaflet comes from nginx's disk location, compressed, with a long cache.
        headers = leaflet.value.all_headers()
        assert headers["cache-control"] == f"public, max-age={deploy.STATIC_MAX_AGE_S}"
        assert headers.get("content-encoding") == "gzip"
        assert headers["server"] == "nginx"
    finally:
        session.close()


def test_visitors_spread_over_both_replicas_and_each_stays_on_one(served):
    async def check() -> None:
        cookies = [f"{deploy.STICKY_COOKIE}={secrets.token_hex(16)}" for _ in range(12)]
        landed = {cookie: (await replica_for(served, cookie))[0] for cookie in cookies}
        # Twelve random cookies on one replica by chance: 1 in 2,048.
        assert set(landed.values()) == {0, 1}, landed
        for cookie in cookies[:4]:  # sticky: the same cookie, the same replica, every time
            again, count = await replica_for(served, cookie, "Glasgow")
            assert again == landed[cookie]
            assert "Glasgow" in count

    in_thread(check())


def direct_get(url: str, cookie: str):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    return urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30)


def test_first_request_for_a_dead_replica_goes_to_a_live_one(served):
    """proxy_next_upstream: nginx learns a replica is gone from a refused connection, and
    passes that very request on. Nobody else uses the replica meanwhile, so the first request
    after the kill is the one nginx sends to the dead replica."""

    async def cookie_for(replica: int) -> str:
        for _ in range(40):
            cookie = f"{deploy.STICKY_COOKIE}={secrets.token_hex(16)}"
            if (await replica_for(served, cookie))[0] == replica:
                return cookie
        raise AssertionError(f"no cookie landed on replica {replica} in 40 tries")

    victim = 0
    cookie = in_thread(cookie_for(victim))
    in_thread(settled_connections(served, 0))
    os.kill(served.replicas[victim]["pid"], signal.SIGKILL)
    served.wait_for(lambda line: line.get("replica") == victim and "exited" in line, 10)
    with direct_get(served.url + "/?place=Chicago", cookie) as response:  # a shared link
        assert response.status == 200
        assert b"<!DOCTYPE html>" in response.read()
    landed, count = in_thread(replica_for(served, cookie, "Chicago"))
    assert landed == 1 - victim and "Chicago" in count
    back = served.wait_for(lambda line: line.get("replica") == victim and "pid" in line, 90)
    assert back["restarts"] == 1
    served.replicas[victim] = back


def test_killed_replica_new_visitors_and_open_tab_carry_on_and_it_comes_back(served, browser):
    tab = open_visit(browser, served.url)
    try:
        assert "Leeds" in search_for(tab.page, "Leeds")
        counts = in_thread(settled_connections(served, 1))
        held = [index for index, count in counts.items() if count == 1]
        assert len(held) == 1 and sum(counts.values()) == 1, counts
        victim = held[0]
        cookie = next(c["value"] for c in tab.context.cookies() if c["name"] == deploy.STICKY_COOKIE)

        tab.page.evaluate(WATCH_CONNECTION)
        os.kill(served.replicas[victim]["pid"], signal.SIGKILL)
        died = served.wait_for(lambda line: line.get("replica") == victim and "exited" in line, 10)
        assert died["exited"] == -signal.SIGKILL

        # A new visitor whose cookie hashes to the dead replica, arriving on a shared link.
        newcomer = open_visit(browser, f"{served.url}/?place=Chicago", cookie_value=cookie)
        try:
            assert "Chicago" in result_count(newcomer.page)
            assert newcomer.page.locator("[data-testid='stException']").count() == 0
        finally:
            newcomer.close()
        # And one with no cookie yet.
        stranger = open_visit(browser, served.url)
        try:
            assert "Glasgow" in search_for(stranger.page, "Glasgow")
        finally:
            stranger.close()

        # The open tab lost its WebSocket; Streamlit reconnects (through nginx, to the live
        # replica) and the next search works.
        wait_for_app(tab.page, timeout=BUSY_TIMEOUT_MS)
        states = tab.page.evaluate("window.connectionStates")
        assert states and states[-1] == "CONNECTED" and set(states) - {"CONNECTED"}, states
        assert "Toronto" in search_for(tab.page, "Toronto")
        assert tab.page.locator("[data-testid='stException']").count() == 0

        back = served.wait_for(lambda line: line.get("replica") == victim and "pid" in line, 90)
        assert back["restarts"] == served.replicas[victim].get("restarts", 0) + 1
        assert back["port"] == served.replicas[victim]["port"]
        assert back["pid"] != served.replicas[victim]["pid"]
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"http://127.0.0.1:{back['port']}{deploy.HEALTH_PATH}", timeout=5
        ) as response:  # fmt: skip
            assert response.read() == b"ok"
        served.replicas[victim] = back
        # That cookie's visitors go back to it.
        landed, count = in_thread(replica_for(served, f"{deploy.STICKY_COOKIE}={cookie}", "Leeds", others=1))
        assert landed == victim and "Leeds" in count
    finally:
        tab.close()


def test_no_place_reaches_any_log(served):
    """nginx logs no request (a URL can hold a place), even when a replica failed."""
    output = served.stderr()
    assert "Uvicorn server started" in output  # the replicas' output is here
    for place in PLACES:
        assert place not in output


def test_sigterm_ends_every_process(served):
    processes = served.descendants()
    names = {Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode() for pid in processes}
    assert len(processes) >= 4, names  # two replicas, nginx's master and its worker
    config = Path(served.nginx["config"])
    assert config.is_file()

    assert served.stop() == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in processes):
        time.sleep(0.2)
    assert [pid for pid in processes if Path(f"/proc/{pid}").exists()] == []
    assert not config.parent.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", served.port), timeout=2):
        pass


def test_ctrl_c_ends_every_process_too():
    """Ctrl-C sends SIGINT to serve (its children are in their own process groups)."""
    serve = ServeProcess(replicas=1, env={"HELPMAP_DATA": str(DEMO_DATA)})
    try:
        processes = serve.descendants()
        assert len(processes) >= 3  # a replica, nginx's master and its worker
        serve.process.send_signal(signal.SIGINT)
        assert serve.process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in processes):
            time.sleep(0.2)
        assert [pid for pid in processes if Path(f"/proc/{pid}").exists()] == []
        assert not Path(serve.nginx["config"]).parent.exists()
    finally:
        serve.stop()
