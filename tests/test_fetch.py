"""Downloads against a misbehaving loopback server: cut short, trickling, slow headers, huge.

A raw socket server, so the test can break HTTP in ways a well-behaved server library would not."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from helpmap.datasources import Catalog
from helpmap.config import SourceSettings
from helpmap.fetch import FetchError, fetch

CSV = b"name,kind,latitude,longitude,phone\n" + b"".join(
    b"Clinic %d,treatment,51.5,-0.1,+44 20 7946 %04d\n" % (i, i) for i in range(86)
)


class RawServer:
    """Answers every connection with `behave(connection)`, until closed."""

    def __init__(self, behave) -> None:
        self.behave = behave
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed.csv"
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn) -> None:
        with conn:
            conn.recv(65536)
            try:
                self.behave(conn, self.stopped)
            except OSError:
                pass

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


@pytest.fixture
def raw_server():
    servers = []

    def start(behave):
        server = RawServer(behave)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def headers(length: int | None = None, chunked: bool = False) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/csv", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def whole(conn, stopped):
    conn.sendall(headers(len(CSV)) + CSV)


def cut_short(conn, stopped):  # promises the whole file, sends half, closes
    conn.sendall(headers(len(CSV)) + CSV[: len(CSV) // 2])


def chunked_cut(conn, stopped):  # chunked, closed before the last (zero) chunk
    half = CSV[: len(CSV) // 2]
    conn.sendall(headers(chunked=True) + b"%x\r\n" % len(half) + half + b"\r\n")


def trickle(conn, stopped):  # one byte a second, for ever
    conn.sendall(headers(len(CSV)))
    for byte in CSV:
        if stopped.wait(0.5):
            return
        conn.sendall(bytes([byte]))


def slow_headers(conn, stopped):
    for byte in headers(len(CSV)):
        if stopped.wait(0.5):
            return
        conn.sendall(bytes([byte]))


def huge(conn, stopped):
    conn.sendall(headers() + b"x" * 2_000_000)


def test_a_whole_body_is_returned(raw_server):
    assert fetch(raw_server(whole).url, deadline_s=5, max_bytes=10**6) == CSV


@pytest.mark.parametrize("behave", [cut_short, chunked_cut])
def test_a_body_cut_short_is_a_failed_download(raw_server, behave):
    with pytest.raises(FetchError, match="cut short"):
        fetch(raw_server(behave).url, deadline_s=5, max_bytes=10**6)


@pytest.mark.parametrize("behave", [trickle, slow_headers])
def test_a_trickling_server_is_stopped_at_the_total_deadline(raw_server, behave):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(raw_server(behave).url, deadline_s=1.5, max_bytes=10**6)
    # Each byte arrives well within any per-read timeout; only a total deadline stops this.
    assert time.monotonic() - started < 5


def test_a_body_over_the_cap_is_refused(raw_server):
    with pytest.raises(FetchError, match="limit"):
        fetch(raw_server(huge).url, deadline_s=5, max_bytes=1_000_000)


def test_a_cut_short_refresh_keeps_the_whole_last_good_copy(raw_server):
    behaviour = {"now": whole}
    server = raw_server(lambda conn, stopped: behaviour["now"](conn, stopped))
    catalog = Catalog([SourceSettings(server.url, "helpmap", 1)])
    catalog.refresh()
    assert len(catalog.snapshot.directory) == 86
    behaviour["now"] = cut_short
    for source in catalog.sources:
        source.refresh()
    assert len(catalog.snapshot.directory) == 86  # not 43, and no row with half a phone number
    (status,) = catalog.statuses()
    assert status.stale and "cut short" in status.error
