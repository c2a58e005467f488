"""A real HTTP server on 127.0.0.1 that speaks the Nominatim, Photon and Pelias search APIs,
for tests that run geopy's real geocoder classes against it (no monkeypatching of geopy).

    with LoopbackGeocoder() as server:
        server.answer_with_places("nominatim", [LoopbackPlace("Leeds", 53.8, -1.55, "GB", "city")])
        geocoder = OnlineGeocoder("nominatim", domain=server.domain, scheme="http")
        ...
        server.requests[0].path, server.requests[0].params["q"], server.requests[0].headers["User-Agent"]

Each test sets the reply: a status, a body, and a delay (for timeouts). The server records every
request it receives, with the time it arrived, so tests can check what geopy sent and how the
rate limiter spaced the requests.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

SEARCH_PATHS = {"nominatim": "/search", "photon": "/api", "pelias": "/v1/search"}
QUERY_PARAMETERS = {"nominatim": "q", "photon": "q", "pelias": "text"}
ISO3 = {"GB": "GBR", "US": "USA", "CA": "CAN", "FR": "FRA", "DE": "DEU", "AU": "AUS"}


@dataclass(frozen=True)
class LoopbackPlace:
    name: str
    lat: float
    lon: float
    country_code: str
    kind: str  # the provider's word for the kind of place: "city", "house", "postcode" ...


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    arrived: float  # time.monotonic() when the server read it


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"[]"
    content_type: str = "application/json"
    delay_seconds: float = 0.0


@dataclass
class LoopbackGeocoder:
    reply: Reply = field(default_factory=Reply)
    requests: list[ReceivedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        # A short poll interval makes shutdown quick (the default waits up to half a second).
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="loopback-geocoder",
            daemon=True,
        )

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()  # wakes handlers that are sleeping to simulate a slow server
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer(self, status: int = 200, body: bytes | str = b"[]", delay_seconds: float = 0.0,
               content_type: str = "application/json") -> None:  # fmt: skip
        self.reply = Reply(
            status, body.encode() if isinstance(body, str) else body, content_type, delay_seconds
        )

    def answer_json(self, payload: object, status: int = 200) -> None:
        self.answer(status, json.dumps(payload))

    def answer_with_places(self, provider: str, places: list[LoopbackPlace]) -> None:
        self.answer_json(BODY_BUILDERS[provider](places))

    def _record(self, request: ReceivedRequest) -> Reply:
        self.requests.append(request)
        return self.reply


def _handler_for(server: LoopbackGeocoder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {key: values[0] for key, values in parse_qs(url.query).items()}
            reply = server._record(
                ReceivedRequest(url.path, params, dict(self.headers.items()), time.monotonic())
            )
            if reply.delay_seconds and server._stopping.wait(reply.delay_seconds):
                return
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args) -> None:
            pass  # request lines hold the query: keep them out of test output too

    return Handler


def unused_port() -> int:
    """A loopback port nothing listens on, for the "no network" (connection refused) case."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _nominatim_body(places: list[LoopbackPlace]) -> list[dict]:
    return [
        {"place_id": n, "lat": str(p.lat), "lon": str(p.lon), "display_name": p.name, "class": "place",
         "type": p.kind, "addresstype": p.kind, "address": {"country_code": p.country_code.lower()}}
        for n, p in enumerate(places, start=1)
    ]  # fmt: skip


def _photon_body(places: list[LoopbackPlace]) -> dict:
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
         "properties": {"name": p.name, "countrycode": p.country_code, "type": p.kind, "osm_key": "place"}}
        for p in places
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def _pelias_body(places: list[LoopbackPlace]) -> dict:
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
         "properties": {"name": p.name, "label": p.name, "layer": p.kind, "country_a": ISO3[p.country_code]}}
        for p in places
    ]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


BODY_BUILDERS = {"nominatim": _nominatim_body, "photon": _photon_body, "pelias": _pelias_body}
