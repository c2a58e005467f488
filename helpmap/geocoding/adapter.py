"""geopy's HTTP adapter with a total deadline per call and a cap on the reply.

geopy's own adapters pass `timeout` to the socket, so it bounds each read, not the call: a
geocoder sending a byte a second held a search for minutes. This adapter makes each call go
through helpmap.fetch (one watchdog for the whole request, a size cap, a complete-body check)
and turns its failures into geopy's exceptions, so the rest of geopy (status codes, quota,
parsing) works as before. One attempt, no retries: a retry would be unseen by the rate limiter.
"""

from __future__ import annotations

import json

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderParseError, GeocoderTimedOut, GeocoderUnavailable

from ..fetch import FetchError, fetch

MAX_REPLY_BYTES = 2 * 1024 * 1024  # a geocoder's answer is a few kilobytes


class DeadlineAdapter(BaseSyncAdapter):
    def get_json(self, url, *, timeout, headers):
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            raise GeocoderParseError("The geocoder's reply could not be read as JSON.") from None

    def get_text(self, url, *, timeout, headers):
        try:
            body = fetch(url, deadline_s=timeout, max_bytes=MAX_REPLY_BYTES, headers=headers)
        except FetchError as error:
            if error.status is not None:
                raise AdapterHTTPError(
                    f"Non-successful status code {error.status}", status_code=error.status,
                    headers=error.headers, text="",
                ) from None  # fmt: skip
            if error.timed_out:
                raise GeocoderTimedOut("The geocoder did not answer in time.") from None
            raise GeocoderUnavailable("The geocoder could not be reached.") from None
        return body.decode("utf-8", errors="replace")
