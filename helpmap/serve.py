"""`python -m helpmap serve`: N Streamlit replicas on loopback ports with Debian's nginx in front.

The one place that knows about processes and ports. One Streamlit process uses one core (the
GIL) and holds its visitors' sessions in memory, so a busy site runs several, and nginx keeps
each visitor on one of them (sticky cookie) and sends new visitors past a dead one.

What it does, in order: writes the nginx configuration (rendered by helpmap/deploy.py, the
same text the production files are made from) into a temporary folder; starts the replicas
and waits until each answers its health check, printing one JSON line per replica; starts
nginx and prints its line when a request through it is answered. Then it watches: a replica
that exits is started again after a back-off (1 s, doubling to 30 s; reset once it has stayed
up a minute) on the same port. SIGTERM or Ctrl-C stops nginx and every replica, waits for
them, and removes the folder. nginx exiting is fatal: everything stops with exit code 1.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import deploy

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 120.0  # a cold replica on a busy 2-core machine takes 5-30 s
STOP_TIMEOUT_S = 10.0
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
STABLE_AFTER_S = 60.0  # up this long: the next crash starts the back-off again from 1 s
POLL_S = 0.2
# Loopback health checks must never go through an HTTP proxy from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServeError(Exception):
    """Something `serve` cannot start without (nginx missing, no app.py, a port in use)."""


@dataclass
class Replica:
    index: int
    port: int
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    healthy: bool = False
    restarts: int = 0
    backoff: float = FIRST_BACKOFF_S
    restart_at: float | None = None  # set while a dead replica waits out its back-off


def find_nginx() -> str:
    """HELPMAP_NGINX, or nginx on PATH, or Debian's /usr/sbin/nginx (not on a user's PATH)."""
    for candidate in (os.environ.get("HELPMAP_NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise ServeError("nginx is needed: apt-get install nginx (or `make install`), or set HELPMAP_NGINX")


def find_app_dir() -> Path:
    """The checkout that holds app.py: beside this package, or the current folder."""
    for folder in (deploy.REPO, Path.cwd()):
        if (folder / "app.py").is_file():
            return folder
    raise ServeError("app.py not found: run serve from the HelpMap checkout")


def free_loopback_ports(count: int) -> list[int]:
    """Distinct free ports: all held open at once while choosing, then released."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind((LOOPBACK, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def replica_command(port: int) -> list[str]:
    return [sys.executable, *deploy.streamlit_args(port, LOOPBACK)]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with _DIRECT.open(url, timeout=timeout) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def _die_with_parent() -> None:
    """In a child before exec: get SIGTERM if serve itself is killed, so nothing is orphaned."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


# prctl is Linux's; elsewhere a killed serve may leave its children to be stopped by hand.
_CHILD_SETUP = _die_with_parent if sys.platform.startswith("linux") else None


def check_port_free(address: str, port: int) -> None:
    """Fail before starting anything when nginx could not listen there."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address, port))
        except OSError as error:
            raise ServeError(f"nginx cannot listen on {address}:{port}: {error.strerror}") from None


class Supervisor:
    def __init__(self, replicas: int, port: int, address: str, out=None) -> None:
        if not 1 <= replicas <= 64:
            raise ServeError("--replicas must be between 1 and 64")
        if not 1 <= port <= 65535:
            raise ServeError("--port must be between 1 and 65535")
        check_port_free(address, port)
        self.nginx_binary = find_nginx()
        self.app_dir = find_app_dir()
        self.port = port
        self.address = address
        self.out = out or sys.stdout
        self.replicas = [Replica(i, p) for i, p in enumerate(free_loopback_ports(replicas))]
        self.nginx: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.stopping = False
        self.environment = dict(os.environ)
        # One cookie secret for all replicas, so XSRF tokens stay valid after a failover.
        self.environment.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))

    # --- lifecycle --------------------------------------------------------------------

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._start()
            return self._watch()
        except ServeError as error:
            print(f"serve: {error}", file=sys.stderr)
            return 2
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def _start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="helpmap-serve-"))
        self._write_config()
        for replica in self.replicas:
            self._spawn(replica)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.stopping and not all(r.healthy for r in self.replicas):
            if time.monotonic() > deadline:
                raise ServeError(
                    f"replicas did not answer {deploy.HEALTH_PATH} within {START_TIMEOUT_S:.0f} s"
                )
            for replica in (r for r in self.replicas if not r.healthy):
                if replica.process.poll() is not None:
                    raise ServeError(
                        f"replica {replica.index} exited at start (code {replica.process.returncode})"
                    )
                self._check_health(replica)
            time.sleep(POLL_S)
        if self.stopping:
            return
        self._start_nginx()

    def _watch(self) -> int:
        while not self.stopping:
            if self.nginx.poll() is not None:
                print(f"serve: nginx exited (code {self.nginx.returncode}); stopping", file=sys.stderr)
                return 1
            now = time.monotonic()
            for replica in self.replicas:
                self._tend(replica, now)
            time.sleep(POLL_S)
        return 0

    def _tend(self, replica: Replica, now: float) -> None:
        """One look at a replica: note a death, restart after the back-off, report when healthy."""
        if replica.restart_at is not None:
            if now >= replica.restart_at:
                replica.restart_at = None
                replica.restarts += 1
                self._spawn(replica)
            return
        code = replica.process.poll()
        starting_too_long = not replica.healthy and now - replica.started_at > START_TIMEOUT_S
        if code is None and not starting_too_long:
            if not replica.healthy:
                self._check_health(replica, timeout=0.5)
            elif now - replica.started_at > STABLE_AFTER_S:
                replica.backoff = FIRST_BACKOFF_S
            return
        if code is None:  # never became healthy: treat as dead
            self._terminate([replica.process])
            code = replica.process.returncode
        self._emit({"replica": replica.index, "exited": code, "restart_in": replica.backoff})
        replica.restart_at = now + replica.backoff
        replica.backoff = min(replica.backoff * 2, MAX_BACKOFF_S)

    def _stop_all(self) -> None:
        processes = [p for p in [self.nginx, *(r.process for r in self.replicas)] if p is not None]
        self._terminate(processes)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    @staticmethod
    def _terminate(processes: list[subprocess.Popen]) -> None:
        """SIGTERM (nginx: fast shutdown, closing WebSockets), wait, then SIGKILL what is left."""
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    # --- processes --------------------------------------------------------------------

    def _spawn(self, replica: Replica) -> None:
        # Own process group: Ctrl-C reaches serve only, which then stops everything in order.
        # Replica output goes to serve's stderr, so stdout carries only the JSON lines.
        replica.process = subprocess.Popen(
            replica_command(replica.port), cwd=self.app_dir, env=self.environment, stdin=subprocess.DEVNULL,
            stdout=sys.stderr, stderr=sys.stderr, process_group=0, preexec_fn=_CHILD_SETUP,
        )  # fmt: skip
        replica.started_at = time.monotonic()
        replica.healthy = False

    def _check_health(self, replica: Replica, timeout: float = 2.0) -> None:
        if healthy(f"http://{LOOPBACK}:{replica.port}{deploy.HEALTH_PATH}", timeout):
            replica.healthy = True
            line = {"replica": replica.index, "pid": replica.process.pid, "port": replica.port}
            if replica.restarts:
                line["restarts"] = replica.restarts
            self._emit(line)

    def _write_config(self) -> None:
        user = None
        if os.geteuid() == 0:  # nginx's workers drop root; they only need to pass through the folder
            user = "nobody nogroup"
            self.folder.chmod(0o711)
        static = self.app_dir / "static"
        if not (static / "vendor").is_dir():
            print("serve: static/vendor is missing (run `make install`): maps will not draw", file=sys.stderr)
        site = deploy.nginx_site(
            [r.port for r in self.replicas], listen=f"{self._listen_host()}:{self.port}", static_root=str(static.resolve())
        )  # fmt: skip
        (self.folder / "nginx.conf").write_text(deploy.nginx_main(site, str(self.folder), user))

    def _listen_host(self) -> str:
        return f"[{self.address}]" if ":" in self.address else self.address

    def _start_nginx(self) -> None:
        config = self.folder / "nginx.conf"
        self.nginx = subprocess.Popen(
            [self.nginx_binary, "-e", "stderr", "-p", str(self.folder), "-c", str(config)],
            stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=sys.stderr, process_group=0,
            preexec_fn=_CHILD_SETUP,
        )  # fmt: skip
        host = LOOPBACK if self.address in ("0.0.0.0", "::", "") else self._listen_host()
        url = f"http://{host}:{self.port}"
        deadline = time.monotonic() + 20
        while not healthy(url + deploy.HEALTH_PATH, timeout=1.0):
            if self.nginx.poll() is not None:
                raise ServeError(
                    f"nginx exited at start (code {self.nginx.returncode}); is port {self.port} free?"
                )
            if self.stopping:
                return
            if time.monotonic() > deadline:
                raise ServeError("nginx did not answer within 20 s")
            time.sleep(POLL_S)
        self._emit({"nginx": url, "pid": self.nginx.pid, "port": self.port, "config": str(config)})

    def _emit(self, line: dict) -> None:
        print(json.dumps(line), file=self.out, flush=True)


def run_cli(args) -> int:
    try:
        supervisor = Supervisor(args.replicas, args.port, args.address)
    except ServeError as error:
        print(f"serve: {error}", file=sys.stderr)
        return 2
    return supervisor.run()
