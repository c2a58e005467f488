"""HTTP GET with a total deadline, a size cap and a complete-body check.

urllib's `timeout` bounds each socket operation, not the request: a server that sends one byte
a second never trips it. Here a watchdog shuts every socket of the request down when the
deadline passes, whatever the request is doing (connecting, reading headers, following a
redirect, reading the body), so the call returns within about the deadline.

A body shorter than its Content-Length, or a chunked body cut off before its last chunk, is a
failed download: a cut-off CSV would otherwise load as a smaller, or wrong, directory.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request

CHUNK = 64 * 1024


class FetchError(Exception):
    """The download failed. The message names the URL and the reason, for the site's operator.

    `status` and `headers` are the server's answer when it gave an HTTP error; `timed_out` is
    true when the deadline ended the request."""

    def __init__(self, message: str, *, status: int | None = None, headers: dict | None = None,
                 timed_out: bool = False) -> None:  # fmt: skip
        super().__init__(message)
        self.status, self.headers, self.timed_out = status, headers or {}, timed_out


class _Watch:
    """The sockets one request opened, and a timer that shuts them all at the deadline."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Watch:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watched(connection_class: type[http.client.HTTPConnection], watch: _Watch):
    class Watched(connection_class):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            watch.add(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req):
        return self.do_open(_watched(http.client.HTTPConnection, self.watch), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def https_open(self, req):
        return self.do_open(_watched(http.client.HTTPSConnection, self.watch), req, context=self._context)


def fetch(
    url: str,
    *,
    deadline_s: float,
    max_bytes: int,
    headers: dict[str, str] | None = None,
) -> bytes:
    """The whole body of `url`, or FetchError: over the deadline, over the cap, cut short, or an
    HTTP error status."""
    request = urllib.request.Request(url, headers=headers or {})
    with _Watch(deadline_s) as watch:
        opener = urllib.request.build_opener(_HTTPHandler(watch), _HTTPSHandler(watch))
        try:
            with opener.open(request, timeout=deadline_s) as response:
                return _read_body(url, response, max_bytes, watch)
        except urllib.error.HTTPError as error:
            answer = {name.lower(): value for name, value in error.headers.items()}
            raise FetchError(f"The server answered {error.code} {error.reason} for {url}.",
                             status=error.code, headers=answer) from None  # fmt: skip
        except http.client.IncompleteRead:
            raise FetchError(f"The download of {url} was cut short.") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            # The socket's own timeout can fire a moment before the watchdog: both are the deadline.
            if watch.expired or isinstance(reason, TimeoutError) or time.monotonic() >= watch.deadline:
                raise FetchError(f"Could not download {url}: it timed out after {deadline_s:g} seconds.", timed_out=True) from None
            raise FetchError(f"Could not download {url}: {reason}.") from None


def _read_body(url: str, response, max_bytes: int, watch: _Watch) -> bytes:
    expected = response.headers.get("Content-Length")
    expected = int(expected) if expected and expected.strip().isdigit() else None
    if expected is not None and expected > max_bytes:
        raise FetchError(f"{url} ({expected:,} bytes) is larger than the limit of {max_bytes:,} bytes.")
    parts: list[bytes] = []
    size = 0
    while True:
        part = response.read(CHUNK)
        if watch.expired:
            raise FetchError(f"Could not download {url}: it timed out (the server is sending too slowly).",
                             timed_out=True)  # fmt: skip
        if not part:
            break
        parts.append(part)
        size += len(part)
        if size > max_bytes:
            raise FetchError(f"{url} is larger than the limit of {max_bytes:,} bytes.")
    if expected is not None and size != expected:
        raise FetchError(f"The download of {url} was cut short ({size:,} of {expected:,} bytes).")
    return b"".join(parts)
