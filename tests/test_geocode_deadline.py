"""The real geopy geocoder classes against hostile loopback servers: a reply that trickles in
is cut at the total deadline, and a deeply nested reply is a clear failure, not a crash."""

from __future__ import annotations

import time

import pytest

from helpmap.geocoding.model import GeocoderUnavailable
from helpmap.geocoding.online import OnlineGeocoder
from tests.test_fetch import RawServer, headers


@pytest.fixture(autouse=True)
def no_proxy_for_loopback(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def geocoder_for(server: RawServer, provider: str = "nominatim") -> OnlineGeocoder:
    domain = server.url.split("/")[2]
    return OnlineGeocoder(provider, domain=domain, scheme="http", min_delay_seconds=0.0,
                          user_agent="helpmap-tests (tests@example.org)", timeout=1.5)  # fmt: skip


BODY = b'[{"lat": "53.8", "lon": "-1.55", "display_name": "Leeds", "class": "place", "type": "city"}]'


def trickling(conn, stopped):
    conn.sendall(headers(len(BODY)))
    for byte in BODY:
        if stopped.wait(0.3):
            return
        conn.sendall(bytes([byte]))


def nested(conn, stopped):
    body = b"[" * 100_000 + b"]" * 100_000
    conn.sendall(headers(len(body)) + body)


@pytest.mark.parametrize("provider", ["nominatim", "photon", "pelias"])
def test_a_trickling_geocoder_is_cut_at_the_deadline(provider):
    server = RawServer(trickling)
    try:
        started = time.monotonic()
        with pytest.raises(GeocoderUnavailable) as caught:
            geocoder_for(server, provider).geocode("Leeds")
        assert time.monotonic() - started < 4  # the reply alone would take 28 s
        assert "did not answer in time" in caught.value.message
    finally:
        server.close()


def test_deeply_nested_json_is_a_clear_failure():
    server = RawServer(nested)
    try:
        with pytest.raises(GeocoderUnavailable) as caught:
            geocoder_for(server).geocode("Leeds")
        assert "could not read" in caught.value.message or "not working" in caught.value.message
    finally:
        server.close()
