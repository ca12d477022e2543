"""Tools that produce real faults: app processes on the test database, and a TCP proxy that cuts it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: other processes must reach the test database, and rows must lock for real "
    "(CI's PostgreSQL pass runs it)",
)


def database_url(host: str | None = None, port: int | None = None) -> str:
    """The URL of the test database, optionally through another host and port (the proxy)."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    host = host or s.get("HOST") or "127.0.0.1"
    port = port or int(s.get("PORT") or 5432)
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


def app_env(tmp_path: Path, db_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app process (worker or web server) working on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=db_url,
        XIESHANG_DATA_DIR=str(tmp_path / "data"),
        XIESHANG_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        XIESHANG_AXES_ENABLED="0",
        XIESHANG_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def start(args: list[str], env: dict[str, str], out: Path) -> subprocess.Popen[bytes]:
    """Start an app command (`xieshang …`, `gunicorn …`) with its output in `out`."""
    with out.open("ab") as sink:
        return subprocess.Popen(args, env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a process this test started (gracefully, so that gunicorn ends its workers too) and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait(timeout=10)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, every: float = 0.05) -> None:
    """Poll until `predicate()` holds; fail the test with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TcpProxy:
    """A loopback TCP proxy to the database that can be cut (every connection closed, new ones refused)
    and restored on the same port, or made to cut when the client sends given bytes."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._cut_on: bytes | None = None
        self.cuts = 0

    def __enter__(self) -> TcpProxy:
        self.restore()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cut()

    def restore(self) -> None:
        """Listen again on the same port."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and close every open one, as a database that went down does."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)
        with self._lock:
            conns, self._conns = self._conns, set()
        for s in conns:
            _close(s)
        self.cuts += 1

    def cut_when_sent(self, marker: bytes | None) -> None:
        """Cut the connection that sends `marker` before the database receives it (None: never)."""
        self._cut_on = marker

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._conns |= {client, server}
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                marker = self._cut_on
                if from_client and marker is not None and marker in data:
                    self._cut_on = None
                    self.cuts += 1
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._conns -= {src, dst}
            _close(src)
            _close(dst)


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()
