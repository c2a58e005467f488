"""A small client for Streamlit's own WebSocket protocol, for the serve tests and bench/load.py.

A browser tab talks to Streamlit over one WebSocket (/_stcore/stream, subprotocol "streamlit"):
it sends BackMsg protobufs (`rerun_script` with the query string and the widgets' values) and
receives ForwardMsg protobufs (`new_session`, `delta` for each element drawn, and
`script_finished`). This client does the same with Streamlit's own protobuf classes, so a
search costs the server exactly what a browser's costs, without a browser's CPU: on a 2-core
machine a load test can then measure the server, not Chromium.

A search is what the Find help form sends when Enter is pressed: the place in the text box and
the form's submit button triggered, in one rerun. The widget ids come from the first run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

PLACE_LABEL = "Town, postcode or address"
RESULT_COUNT_MARK = "helpmap-result-count"  # the class of the live result count
FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float
    elements: list = field(default_factory=list)
    status: int | None = None

    @property
    def exceptions(self) -> list[str]:
        return [e.exception.message for e in self.elements if e.WhichOneof("type") == "exception"]

    @property
    def result_count(self) -> str | None:
        """The Find help page's live result count, as HTML."""
        for element in self.elements:
            if element.WhichOneof("type") == "html" and RESULT_COUNT_MARK in element.html.body:
                return element.html.body
        return None

    @property
    def ok(self) -> bool:
        return self.status == FINISHED and not self.exceptions


class StreamlitSession:
    """One visitor: a WebSocket to Streamlit (directly or through nginx), like one tab."""

    def __init__(self, websocket) -> None:
        self.websocket = websocket
        self.place_id: str | None = None
        self.submit_id: str | None = None

    @classmethod
    async def open(cls, base_url: str, cookie: str | None = None, timeout: float = 60) -> StreamlitSession:
        """Connect and run the first page (Find help), learning its form's widget ids."""
        url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else None
        websocket = await websockets.connect(
            url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, open_timeout=timeout,
            proxy=None,
        )  # fmt: skip
        session = cls(websocket)
        first = await session.run(timeout=timeout)
        for element in first.elements:
            kind = element.WhichOneof("type")
            if kind == "text_input" and element.text_input.label == PLACE_LABEL:
                session.place_id = element.text_input.id
            elif kind == "button" and element.button.is_form_submitter:
                session.submit_id = element.button.id
        if not (first.ok and session.place_id and session.submit_id):
            await websocket.close()
            raise RuntimeError(
                f"the first run did not draw the search form (status {first.status}, {first.exceptions})"
            )
        return session

    async def run(self, widgets: list[WidgetState] = (), query: str = "", timeout: float = 60) -> Run:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.widget_states.widgets.extend(widgets)
        started = time.perf_counter()
        await self.websocket.send(message.SerializeToString())
        run = Run(0.0)
        deadline = time.monotonic() + timeout
        while True:
            incoming = ForwardMsg()
            incoming.ParseFromString(await _recv(self.websocket, deadline))
            kind = incoming.WhichOneof("type")
            if kind == "delta" and incoming.delta.WhichOneof("type") == "new_element":
                run.elements.append(incoming.delta.new_element)
            elif kind == "script_finished":
                run.status = incoming.script_finished
                if run.status != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    run.seconds = time.perf_counter() - started
                    return run

    async def search(self, place: str, timeout: float = 60) -> Run:
        widgets = [
            WidgetState(id=self.place_id, string_value=place),
            WidgetState(id=self.submit_id, trigger_value=True),
        ]
        return await self.run(widgets, timeout=timeout)

    async def close(self) -> None:
        await self.websocket.close()


async def _recv(websocket, deadline: float) -> bytes:

    return await asyncio.wait_for(websocket.recv(), timeout=max(0.1, deadline - time.monotonic()))


def established_connections(port: int) -> int:
    """Open TCP connections to a local listening port (IPv4 loopback), from /proc/net/tcp."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            count += 1
    return count
