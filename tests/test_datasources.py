"""Refreshing data sources against a real HTTP server on loopback.

The server misbehaves on demand (slow, 500, 404, HTML, binary, too big) and the tests check
the promise made to the people running a site: the last good copy stays in use, the status
says why it is stale, and nothing is fetched before its refresh interval.
"""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpmap.config import SourceSettings
from helpmap.datasources import Catalog, display_name

HEADER = "id,name,kind,latitude,longitude,phone,source\n"
LEEDS = HEADER + "l1,Leeds Recovery Hub,treatment,53.80,-1.55,0113 496 0000,leeds\nl2,Leeds Peer Group,support_group,53.79,-1.54,,leeds\n"
LEEDS_V2 = LEEDS + "l3,Leeds Harm Reduction,harm_reduction,53.81,-1.56,,leeds\n"
YORK = HEADER + "y1,York Recovery,treatment,53.96,-1.08,,york\nl1,York Clashing Id,treatment,53.95,-1.09,,york\n"
TIMEOUT_S = 0.5


class Route:
    def __init__(self, body: bytes, status: int = 200, delay: float = 0.0, content_type: str = "text/csv"):
        self.body, self.status, self.delay, self.content_type = body, status, delay, content_type


class FlakyServer:
    """A loopback HTTP server whose answers the test changes as it goes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                path = self.path.split("?")[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path, Route(b"not here", 404, content_type="text/plain"))
                time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, body: str | bytes, **options) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    flaky = FlakyServer()
    yield flaky
    flaky.close()


class Clock:
    """A hand-wound clock, so refresh intervals are tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


def catalog_for(*specs: SourceSettings, clock: Clock | None = None, **options) -> Catalog:
    return Catalog(specs, timeout=TIMEOUT_S, geocoder=None, clock=clock or Clock(), **options)


def names(catalog: Catalog) -> list[str]:
    return sorted(catalog.directory.frame["name"])


# --- the last good copy --------------------------------------------------------------------

FAILURES = {
    "timeout": (dict(body=LEEDS, delay=TIMEOUT_S * 4), "timed out"),
    "500": (dict(body="boom", status=500), "500"),
    "404": (dict(body="gone", status=404), "404"),
    "html": (dict(body="<!doctype html><html><body>Sign in to continue</body></html>", content_type="text/html"),
             "web page"),
    "binary": (dict(body=bytes(range(256)) * 8, content_type="application/octet-stream"), "binary"),
    "json": (dict(body=json.dumps([{"name": "x"}]), content_type="application/json"), "JSON"),
    "header only": (dict(body=HEADER), "no rows"),
}  # fmt: skip


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_refresh_keeps_the_last_good_copy_and_says_why(server, failure):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=30), clock=clock)
    catalog.refresh()
    assert names(catalog) == ["Leeds Peer Group", "Leeds Recovery Hub"]
    good_as_of = catalog.as_of
    version = catalog.version

    options, reason = FAILURES[failure]
    server.serve("/leeds.csv", **options)
    clock.advance(31)
    assert catalog.refresh() is False

    assert names(catalog) == ["Leeds Peer Group", "Leeds Recovery Hub"]  # still served
    assert catalog.version == version  # nothing to rebuild
    status = catalog.statuses()[0]
    assert status.stale and status.rows == 2
    assert reason.lower() in status.error.lower(), status.error
    assert status.as_of == good_as_of  # "data as of" still tells the truth
    assert status.checked_at > good_as_of
    assert catalog.directory.report.fatal is None


def test_the_source_recovers_when_the_server_does(server):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=5), clock=clock)
    catalog.refresh()
    server.serve("/leeds.csv", "down", status=500)
    clock.advance(5)
    catalog.refresh()
    assert catalog.statuses()[0].stale

    server.serve("/leeds.csv", LEEDS_V2)
    clock.advance(5)
    assert catalog.refresh() is True
    status = catalog.statuses()[0]
    assert not status.stale and status.error is None and status.rows == 3
    assert "Leeds Harm Reduction" in names(catalog)
    assert catalog.version == 2


def test_nothing_is_fetched_before_the_refresh_interval(server):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=60), clock=clock)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 1

    server.serve("/leeds.csv", LEEDS_V2)
    clock.advance(59)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 1 and len(catalog.directory) == 2

    clock.advance(1)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 2 and len(catalog.directory) == 3


def test_refresh_minutes_zero_loads_once(server):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=0), clock=clock)
    catalog.refresh_if_due()
    clock.advance(60 * 24 * 365)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 1


def test_a_failed_attempt_is_retried_after_five_minutes_not_the_full_interval(server):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=120), clock=clock)
    catalog.refresh_if_due()
    server.serve("/leeds.csv", "down", status=503)
    clock.advance(120)
    catalog.refresh_if_due()
    assert catalog.statuses()[0].stale and server.hits["/leeds.csv"] == 2

    server.serve("/leeds.csv", LEEDS_V2)
    clock.advance(4)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 2
    clock.advance(1)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 3 and len(catalog.directory) == 3


def test_a_load_once_source_that_failed_at_start_up_is_retried(server):
    clock = Clock()
    url = server.serve("/leeds.csv", "", delay=TIMEOUT_S * 4)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=0), clock=clock)
    catalog.refresh_if_due()
    assert len(catalog.directory) == 0
    server.serve("/leeds.csv", LEEDS)
    clock.advance(5)
    catalog.refresh_if_due()
    assert len(catalog.directory) == 2
    clock.advance(60 * 24)
    catalog.refresh_if_due()
    assert server.hits["/leeds.csv"] == 2  # loaded once it worked: no more downloads


def test_unchanged_data_does_not_change_the_version(server):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=1), clock=clock)
    catalog.refresh()
    first, fetched = catalog.snapshot, catalog.as_of
    clock.advance(1)
    assert catalog.refresh() is False
    assert server.hits["/leeds.csv"] == 2
    assert catalog.snapshot is first  # the search index built on it stays valid
    assert catalog.as_of > fetched  # the same data, confirmed current by the new download


def test_a_background_refresh_swaps_in_the_new_copy(server):
    clock = Clock()
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=10), clock=clock)
    catalog.refresh_if_due(background=True)  # the first load waits: there is nothing to show yet
    assert len(catalog.directory) == 2

    server.serve("/leeds.csv", LEEDS_V2, delay=0.2)
    clock.advance(10)
    catalog.refresh_if_due(background=True)
    assert len(catalog.directory) == 2  # visitors are not kept waiting for the download
    deadline = time.monotonic() + 5
    while len(catalog.directory) != 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(catalog.directory) == 3


def test_a_first_load_that_fails_is_reported_then_recovers(server):
    clock = Clock()
    url = server.serve("/leeds.csv", "oops", status=500)
    catalog = catalog_for(SourceSettings(url, refresh_minutes=1), clock=clock)
    catalog.refresh()
    assert len(catalog.directory) == 0
    assert "500" in catalog.directory.report.fatal
    assert catalog.as_of is None
    assert not catalog.statuses()[0].stale  # nothing older is being served

    server.serve("/leeds.csv", LEEDS)
    clock.advance(1)
    catalog.refresh()
    assert len(catalog.directory) == 2 and catalog.directory.report.fatal is None


def test_the_size_cap_refuses_a_huge_download(server):
    url = server.serve("/big.csv", LEEDS + "x," * 5000)
    catalog = catalog_for(SourceSettings(url), max_bytes=1000)
    catalog.refresh()
    assert "limit" in catalog.statuses()[0].error
    assert len(catalog.directory) == 0


def test_messages_do_not_repeat_the_query_string(server):
    url = server.serve("/sheet.csv", "nope", status=403) + "?key=SECRET123"
    catalog = catalog_for(SourceSettings(url))
    catalog.refresh()
    assert "SECRET123" not in catalog.statuses()[0].error
    assert "SECRET123" not in catalog.directory.report.fatal
    assert display_name(url).endswith("sheet.csv")


# --- several sources, files ------------------------------------------------------------------


def test_sources_are_merged_and_clashing_ids_are_kept_apart(server, tmp_path):
    york = tmp_path / "york.csv"
    york.write_text(YORK, encoding="utf-8")
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url), SourceSettings(str(york)))
    catalog.refresh()
    frame = catalog.directory.frame
    assert len(frame) == 4
    assert frame["id"].is_unique
    assert set(frame["id"]) == {"l1", "l2", "y1", "l1~2"}
    assert frame.loc[frame["id"] == "l1", "name"].item() == "Leeds Recovery Hub"  # the first source keeps it
    assert any("york.csv" in w and "~2" in w for w in catalog.directory.report.warnings)


def test_one_failing_source_does_not_take_the_others_down(server, tmp_path):
    york = tmp_path / "york.csv"
    york.write_text(YORK, encoding="utf-8")
    url = server.serve("/leeds.csv", "<html>maintenance</html>", content_type="text/html")
    catalog = catalog_for(SourceSettings(url), SourceSettings(str(york)))
    catalog.refresh()
    assert catalog.directory.report.fatal is None
    assert sorted(catalog.directory.frame["source"].unique()) == ["york"]
    leeds, york_status = catalog.statuses()
    assert leeds.rows == 0 and "web page" in leeds.error
    assert york_status.rows == 2 and york_status.error is None


def test_a_local_file_is_reread_when_it_changes_and_dated_by_its_save_time(tmp_path):
    path = tmp_path / "leeds.csv"
    path.write_text(LEEDS, encoding="utf-8")
    clock = Clock()
    catalog = catalog_for(SourceSettings(str(path), refresh_minutes=1), clock=clock)
    catalog.refresh()
    saved = path.stat().st_mtime
    assert abs(catalog.as_of.timestamp() - saved) < 1
    clock.advance(1)
    assert catalog.refresh() is False  # unchanged

    path.write_text(LEEDS_V2, encoding="utf-8")
    clock.advance(1)
    assert catalog.refresh() is True
    assert len(catalog.directory) == 3

    path.write_text("name;kind\n", encoding="utf-8")  # someone saved a broken copy
    clock.advance(1)
    assert catalog.refresh() is False
    assert len(catalog.directory) == 3 and catalog.statuses()[0].stale


def test_a_missing_file_is_reported(tmp_path):
    catalog = catalog_for(SourceSettings(str(tmp_path / "gone.csv")))
    catalog.refresh()
    assert "no file" in catalog.directory.report.fatal


def test_the_merged_directory_is_dated_by_its_oldest_copy(server, tmp_path):
    old = tmp_path / "york.csv"
    old.write_text(YORK, encoding="utf-8")
    os.utime(old, (1_600_000_000, 1_600_000_000))  # saved in September 2020
    url = server.serve("/leeds.csv", LEEDS)
    catalog = catalog_for(SourceSettings(url), SourceSettings(str(old)))
    catalog.refresh()
    assert catalog.as_of.year == 2020
    assert catalog.directory.loaded_at == catalog.as_of


# --- other formats through the importers ----------------------------------------------------

MEETINGS = [
    {
        "name": "Tuesday Night Recovery",
        "slug": "tuesday-night-recovery",
        "day": 2,
        "time": "19:30",
        "end_time": "20:30",
        "types": ["O", "D"],
        "location": "St Mary's Hall",
        "formatted_address": "12 Example Street, Leeds LS1 1AA, UK",
        "latitude": 53.7997,
        "longitude": -1.5492,
        "timezone": "Europe/London",
    },
    {
        "name": "Online Morning Meeting",
        "slug": "online-morning",
        "day": 1,
        "time": "07:00",
        "types": ["ONL", "C"],
        "conference_url": "https://zoom.us/j/123456789",
        "timezone": "Europe/London",
    },
]


def test_a_meeting_guide_feed_from_a_url_is_imported_and_validated(server):
    url = server.serve("/meetings.json", json.dumps(MEETINGS), content_type="application/json")
    catalog = catalog_for(SourceSettings(url, format="meeting-guide"))
    catalog.refresh()
    frame = catalog.directory.frame
    assert catalog.statuses()[0].error is None, catalog.statuses()[0].error
    assert sorted(frame["name"]) == ["Online Morning Meeting", "Tuesday Night Recovery"]
    assert set(frame["kind"]) == {"support_group"}
    tuesday = frame[frame["name"] == "Tuesday Night Recovery"].iloc[0]
    assert (tuesday["day"], tuesday["time"]) == ("2", "19:30")  # validated and normalised by our loader


def test_a_broken_meeting_guide_refresh_keeps_the_meetings(server):
    clock = Clock()
    url = server.serve("/meetings.json", json.dumps(MEETINGS), content_type="application/json")
    catalog = catalog_for(SourceSettings(url, format="meeting-guide", refresh_minutes=1), clock=clock)
    catalog.refresh()
    server.serve("/meetings.json", '{"truncated": [', content_type="application/json")
    clock.advance(1)
    catalog.refresh()
    assert len(catalog.directory) == 2
    assert catalog.statuses()[0].stale


def test_a_samhsa_locator_export_is_imported_from_its_path(shared_data):
    source = shared_data / "samhsa-locator-sample-charlottesville.json"
    catalog = catalog_for(SourceSettings(str(source), format="samhsa"))
    catalog.refresh()
    assert catalog.statuses()[0].error is None, catalog.statuses()[0].error
    assert len(catalog.directory) == 14  # the 16 mental-health-only listings are left out (issue 12)
    # ... unless the site's config asks for them: the source's options reach the importer
    kept = catalog_for(SourceSettings(str(source), format="samhsa", options=(("mental_health", True),)))
    kept.refresh()
    catalog = kept
    assert len(catalog.directory) == 30
    assert set(catalog.directory.frame["kind"]) == {"treatment"}
    assert catalog.directory.frame["latitude"].notna().all()
