"""Shared fixtures: paths to the real data in ../shared, and the end-to-end harness.

The harness starts the real Streamlit server on a free loopback port, waits until it answers,
and stops it afterwards; Playwright drives Debian's chromium through its executable path.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The default directory is real (SAMHSA, US only, no meetings): tests of meetings, harm reduction
# and other countries use the demonstration data, named explicitly.
DEMO_DATA = REPO / "data" / "demo-directory.csv"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    assert path.is_dir(), f"the real test data is expected in {path} (beside the repository)"
    return path


@pytest.fixture(scope="session")
def shared_specs() -> Path:
    return SHARED / "specs"


# --- the Streamlit server --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """A real `streamlit run app.py` on loopback, with its own environment (`script`: another
    app file of the repository, for the benchmarks' yardstick apps; `cwd`: another checkout, for a
    before/after benchmark)."""

    def __init__(
        self, env: dict[str, str] | None = None, script: str = "app.py", cwd: Path = REPO, poll_s: float = 0.2
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("HELPMAP_")}
        environment.update(env or {})
        environment["NO_PROXY"] = environment["no_proxy"] = "127.0.0.1,localhost"
        self.started = time.perf_counter()  # for bench/first_page.py: the clock at process creation
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", script,
                "--server.port", str(self.port),
                "--server.address", "127.0.0.1",
                "--server.headless", "true",
                "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false",
            ],  # fmt: skip
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait_until_healthy(poll_s=poll_s)
        self.healthy_s = time.perf_counter() - self.started

    def _wait_until_healthy(self, timeout: float = 60.0, poll_s: float = 0.2) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.process.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(poll_s)
        self.stop()
        raise RuntimeError("streamlit did not answer on /_stcore/health within 60 s")

    def stop(self) -> str:
        """Stop the server and return what it printed (tests check it logged no location)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.stdout.read() if self.process.stdout else ""


@pytest.fixture(scope="session")
def app_server() -> Iterator[AppServer]:
    """The app on the demonstration data (HELPMAP_DATA), offline geocoding."""
    server = AppServer({"HELPMAP_DATA": str(DEMO_DATA)})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def default_server() -> Iterator[AppServer]:
    """The app exactly as `make run` starts it: no settings at all, the shipped US directory."""
    server = AppServer()
    yield server
    server.stop()


@pytest.fixture
def start_app() -> Iterator:
    """Start extra servers with their own environment (data file, settings) in a test."""
    servers: list[AppServer] = []

    def start(env: dict[str, str] | None = None) -> AppServer:
        server = AppServer(env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# --- the browser ------------------------------------------------------------------------


def chromium_path() -> str:
    path = os.environ.get("HELPMAP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium, or set HELPMAP_CHROMIUM")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


class Visit:
    """A browser page that refuses (and records) every request that leaves this machine."""

    def __init__(self, browser, viewport: dict[str, int], **context_args) -> None:
        self.context = browser.new_context(viewport=viewport, **context_args)
        self.external_requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        count_runs(self.page)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external_requests.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser) -> Iterator:
    """Open pages at a desktop size; `visit(url, phone=True)` for a 390x844 phone."""
    opened: list[Visit] = []

    def open_page(url: str, *, phone: bool = False, **context_args):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        extra = {"is_mobile": True, "has_touch": True} if phone else {}
        session = Visit(browser, viewport, **extra, **context_args)
        opened.append(session)
        session.page.goto(url)
        wait_for_app(session.page)
        return session

    yield open_page
    for session in opened:
        session.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait the way Streamlit's own e2e suite does: connected, then the script has finished."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=timeout)


def run_finished(payload: bytes) -> bool:
    """Whether a message from the server ends a script run (not one cut short by a newer rerun)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # not one of Streamlit's messages
        return False
    return message.WhichOneof("type") == "script_finished" and (
        message.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
    )


def count_runs(page) -> None:
    """Count the script runs `page` sees end, from the app's own WebSocket messages (rerun_after
    waits on the count). Call it before the page opens the app."""
    page.helpmap_runs = [0]

    def received(payload) -> None:
        if isinstance(payload, bytes) and run_finished(payload):
            page.helpmap_runs[0] += 1

    page.on("websocket", lambda socket: socket.on("framereceived", received))


def rerun_after(page, action, timeout: float = 30_000) -> None:
    """Do `action` (a press or click that reruns the app), then wait until a run has ended after
    it and the page is idle. A fixed pause is not enough on a busy machine: the rerun can start
    after it, and the test then acts on a page the run is redrawing (a click there can be lost).
    Streamlit's running indicator is no signal either: a quick run can start and end within one
    browser frame without the page's state attribute ever changing."""
    runs = getattr(page, "helpmap_runs", None)
    assert runs is not None, "count_runs(page) before the page opens the app"
    before = runs[0]
    action()
    deadline = time.monotonic() + timeout / 1000
    while runs[0] == before:
        if time.monotonic() > deadline:
            raise AssertionError(f"no run of the app ended within {timeout / 1000:.0f} s of the action")
        page.wait_for_timeout(50)  # Playwright delivers the page's WebSocket messages while it waits
    wait_for_app(page, timeout)


def search(page, place: str) -> None:
    """Type a place into Find help's box, press Enter, and wait for that search's run to end."""
    box = page.get_by_role("textbox", name="Town, postcode or address")
    box.fill(place)
    rerun_after(page, lambda: box.press("Enter"))


MAP_FRAME = 'iframe[title*="helpmap_map"]'


def wait_for_map(root, basemap: bool = True, timeout: float = 30_000) -> None:
    """Wait until the map frame inside `root` (a page or a frame locator) has drawn its markers
    and, with the built-in base map, its outlines (body[data-basemap=drawn]): only then has it
    asked for everything it will ask for, so a test of outside requests cannot win a race."""
    frame = root.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-marker-icon").first.wait_for(timeout=timeout)
    if basemap:
        frame.locator("body[data-basemap='drawn']").wait_for(state="attached", timeout=timeout)
