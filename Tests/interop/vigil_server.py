"""`vigil serve` as a subprocess on fresh loopback ports against a throwaway PostgreSQL database."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests
from psycopg.rows import dict_row

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
PROTOBUF = "application/x-protobuf"
JSON = "application/json"

# Every server started by the suite, so a failing test can show their logs.
RUNNING_SERVERS: list["VigilServer"] = []


def required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(
            f"{name} is not set: the interop suite needs VIGIL_BIN (path of the vigil binary) and "
            "VIGIL_TEST_ADMIN_URL (a PostgreSQL superuser URL); run it through scripts/test")
    return value


def log_tail(path: Path, limit: int = 20_000) -> str:
    """The last `limit` characters of a process log, for failure messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError as error:
        return f"(no log: {error})"
    return text if len(text) <= limit else "...\n" + text[-limit:]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(admin_url: str, database: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def create_database(admin_url: str) -> str:
    name = "vigil_interop_" + uuid.uuid4().hex[:16]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class VigilServer:
    """One `vigil serve` process on fresh loopback ports, writing its output to `log_path`."""

    binary: str
    database_url: str
    log_path: Path
    grpc_port: int = 0
    http_port: int = 0
    api_port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)
    config_path: Path | None = None  # passed as `vigil serve --config PATH` when set

    @property
    def grpc_target(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def log_text(self, limit: int = 20_000) -> str:
        return log_tail(self.log_path, limit)

    def start(self) -> "VigilServer":
        """Starts the server and waits until it is healthy; raises RuntimeError (with its log) if it is not."""
        binary = self._wait_for_binary()
        for attempt in range(3):
            self.grpc_port, self.http_port, self.api_port = free_port(), free_port(), free_port()
            env = dict(os.environ)
            env.update({
                "VIGIL_DATABASE_URL": self.database_url,
                "VIGIL_OTLP_GRPC_ENDPOINT": self.grpc_target,
                "VIGIL_OTLP_HTTP_ENDPOINT": f"127.0.0.1:{self.http_port}",
                "VIGIL_API_ENDPOINT": f"127.0.0.1:{self.api_port}",
            })
            with open(self.log_path, "ab") as log:
                log.write(f"--- vigil serve (grpc {self.grpc_port}, http {self.http_port}, api {self.api_port})\n".encode())
                log.flush()
                offset = log.tell()
                arguments = [binary, "serve"] + (["--config", str(self.config_path)] if self.config_path else [])
                self.process = subprocess.Popen(
                    arguments, env=env, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            if self not in RUNNING_SERVERS:
                RUNNING_SERVERS.append(self)
            try:
                self._wait_until_ready()
                return self
            except RuntimeError:
                # A free port found by binding port 0 can be taken by someone else before vigil binds it.
                if attempt < 2 and "in use" in self.log_path.read_bytes()[offset:].decode(errors="replace").lower():
                    continue
                raise
        raise AssertionError("unreachable")

    def _wait_for_binary(self) -> str:
        # The binary may be relinked by a concurrent build; give it a moment to reappear.
        deadline = time.monotonic() + 60
        while not os.access(self.binary, os.X_OK):
            if time.monotonic() > deadline:
                raise RuntimeError(f"VIGIL_BIN {self.binary} is not an executable file")
            time.sleep(1)
        return self.binary

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"vigil serve exited with {self.process.returncode} during start-up:\n{self.log_text()}")
            try:
                answer = requests.get(self.api_url + "/-/healthy", timeout=2)
                last = f"HTTP {answer.status_code}"
                if answer.status_code == 200 and all(_accepts(p) for p in (self.grpc_port, self.http_port)):
                    return
            except requests.RequestException as error:
                last = repr(error)
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"vigil serve was not healthy after {STARTUP_TIMEOUT_S:.0f} s ({last}):\n{self.log_text()}")

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT_S; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.database_url, autocommit=True)

    def query(self, sql: str, params: tuple | list = (), dicts: bool = False) -> list:
        """Rows as tuples, or as dicts keyed by column name with `dicts=True`."""
        with self.connect() as conn:
            cursor = conn.cursor(row_factory=dict_row) if dicts else conn.cursor()
            return cursor.execute(sql, params).fetchall()

    def get_trace(self, trace_id_hex: str) -> requests.Response:
        return requests.get(f"{self.api_url}/api/v1/traces/{trace_id_hex}", timeout=10)

    def post(self, path: str, body: bytes, content_type: str = PROTOBUF, gzipped: bool = False,
             headers: dict | None = None) -> requests.Response:
        all_headers = {"Content-Type": content_type}
        if gzipped:
            body = gzip.compress(body)
            all_headers["Content-Encoding"] = "gzip"
        all_headers.update(headers or {})
        return requests.post(self.http_url + path, data=body, headers=all_headers, timeout=30)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
