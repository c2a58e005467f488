"""`python -m helpmap serve` refuses what it cannot do, at once and before starting anything."""

from __future__ import annotations

import socket
import subprocess
import sys

from tests.conftest import REPO


def serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpmap", "serve", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )  # fmt: skip


def test_a_port_in_use_is_reported_before_any_replica_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve("--replicas", "1", "--port", str(port))
    assert result.returncode == 2
    assert f"nginx cannot listen on 127.0.0.1:{port}" in result.stderr
    assert result.stdout == ""  # no replica line: nothing was started
    assert "Uvicorn" not in result.stderr


def test_replica_count_and_port_are_checked():
    zero = serve("--replicas", "0", "--port", "8080")
    assert zero.returncode == 2 and "--replicas must be between 1 and 64" in zero.stderr
    bad_port = serve("--replicas", "1", "--port", "70000")
    assert bad_port.returncode == 2 and "--port must be between 1 and 65535" in bad_port.stderr
