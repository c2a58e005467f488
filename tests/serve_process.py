"""`python -m helpmap serve` as a child process, for the serve tests and bench/load.py.

Reads its JSON lines as they come (a thread), so a test can wait for "nginx is up" or "replica
1 is back"; its stderr (replica and nginx output) goes to a file the test can read afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.conftest import REPO, free_port


class ServeProcess:
    def __init__(self, replicas: int, env: dict[str, str] | None = None, start_timeout: float = 180) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[dict] = []
        self._arrived = threading.Condition()
        self._cursor = 0  # lines before it were looked at by wait_for
        self._finished = False
        self._stderr = tempfile.TemporaryFile(mode="w+")
        environment = {k: v for k, v in os.environ.items() if not k.startswith("HELPMAP_")}
        environment.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "helpmap", "serve", "--replicas", str(replicas), "--port", str(self.port)],
            cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=self._stderr, text=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.nginx = self.wait_for(lambda line: "nginx" in line, start_timeout)
        except Exception:
            self.stop()
            raise
        self.replicas = {line["replica"]: line for line in self.lines if "pid" in line and "replica" in line}

    def _read(self) -> None:
        for text in self.process.stdout:
            with self._arrived:
                self.lines.append(json.loads(text))
                self._arrived.notify_all()
        with self._arrived:
            self._finished = True
            self._arrived.notify_all()

    def wait_for(self, predicate, timeout: float) -> dict:
        """The first line after the last one waited for that matches, within `timeout`."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                while self._cursor < len(self.lines):
                    line = self.lines[self._cursor]
                    self._cursor += 1
                    if predicate(line):
                        return line
                if self._finished:
                    raise RuntimeError(f"serve exited (code {self.process.wait()}):\n{self.stderr()[-3000:]}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"serve printed no matching line in {timeout:.0f} s: {self.lines}\n{self.stderr()[-3000:]}")  # fmt: skip
                self._arrived.wait(remaining)

    def stderr(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def descendants(self) -> set[int]:
        """Every process below serve (replicas, nginx master and workers), from /proc."""
        children: dict[int, list[int]] = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
                )
            except OSError:
                continue
            children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
        found: set[int] = set()
        todo = [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.add(child)
                todo.append(child)
        return found

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
