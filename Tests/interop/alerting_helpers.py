"""What the alerting tests run beside Vigil: the `amtool`, `prometheus-alertmanager` and `prometheus`
binaries (Debian packages prometheus-alertmanager and prometheus), the `vigil` CLI, a local webhook
receiver, and the vigil.yaml + alertmanager.yml pair a Vigil with alerting starts from.

Expectations come from the real tools at test time; the fixture files live in `alerting/`."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest
import requests

from vigil_server import free_port, log_tail, required_env

FIXTURES = Path(__file__).resolve().parent / "alerting"
PACKAGES = {"amtool": "prometheus-alertmanager", "prometheus-alertmanager": "prometheus-alertmanager",
            "prometheus": "prometheus"}
CLI_TIMEOUT_S = 60.0
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# What `external_url` the Vigil of these tests is given (and the Alertmanager compared with it).
EXTERNAL_URL = "http://127.0.0.1:9999"


def tool(name: str) -> str:
    """The path of an installed tool; fails the test (never skips) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: the alerting interop tests need the Debian package "
                    f"{PACKAGES[name]} (scripts/test installs it)", pytrace=False)
    return path


def fixture_text(name: str, **placeholders: str) -> str:
    """A file of alerting/ with each `__NAME__` replaced by the value given for NAME."""
    text = (FIXTURES / name).read_text()
    for key, value in placeholders.items():
        text = text.replace(f"__{key}__", value)
    left = re.findall(r"__[A-Z][A-Z_]*__", text)
    assert not left, f"{name}: placeholders {left} were left unreplaced"
    return text


# --- Command-line tools ----------------------------------------------------------------------

@dataclass
class Run:
    """One finished command: arguments, exit code and both outputs (UTF-8, undecodable bytes escaped)."""
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return (f"$ {shlex.join(self.argv)}\nexit code {self.returncode}\n"
                f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}--- end")


_HOME = tempfile.TemporaryDirectory(prefix="vigil-interop-home-")


def run(argv: list[str], cwd: Path | None = None) -> Run:
    # An empty HOME: amtool would otherwise read ~/.config/amtool/config.yml.
    env = dict(os.environ, HOME=_HOME.name)
    completed = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=CLI_TIMEOUT_S)
    return Run(argv, completed.returncode, completed.stdout.decode(errors="backslashreplace"),
               completed.stderr.decode(errors="backslashreplace"))


def amtool(*args: str, cwd: Path = FIXTURES) -> Run:
    """`amtool ARGS` in `cwd` (the fixtures folder, so file names print as given)."""
    return run([tool("amtool"), *args], cwd)


def amtool_at(url: str, *args: str) -> Run:
    """`amtool --alertmanager.url=URL ARGS`: amtool talking to a running server."""
    return amtool(f"--alertmanager.url={url}", *args)


def vigil_binary() -> str:
    try:
        binary = os.path.abspath(required_env("VIGIL_BIN"))
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    deadline = time.monotonic() + 60  # the binary may be relinked by a concurrent build
    while not os.access(binary, os.X_OK):
        if time.monotonic() > deadline:
            pytest.fail(f"VIGIL_BIN {binary} is not an executable file", pytrace=False)
        time.sleep(1)
    return binary


def vigil_cli(*args: str, cwd: Path = FIXTURES) -> Run:
    """`vigil ARGS` in `cwd` (the fixtures folder, like `amtool`)."""
    return run([vigil_binary(), *args], cwd)


def assert_same_output(expected: Run, got: Run) -> None:
    """Identical stdout and exit code; on a difference, both commands in full."""
    assert (got.stdout, got.returncode) == (expected.stdout, expected.returncode), (
        f"vigil differs from amtool\n== amtool\n{expected.describe()}\n== vigil\n{got.describe()}")


# --- Webhook receiver ------------------------------------------------------------------------

@dataclass
class Received:
    """One request the webhook receiver got: path, headers, raw body and the body as JSON (or None)."""
    path: str
    headers: dict[str, str]
    body: bytes
    json: object


class WebhookRecorder:
    """An HTTP server on a free loopback port that answers 200 to every POST and records it."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._condition = threading.Condition()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    document = json.loads(body)
                except ValueError:
                    document = None
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with recorder._condition:
                    recorder.received.append(Received(self.path, dict(self.headers), body, document))
                    recorder._condition.notify_all()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-recorder", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "WebhookRecorder":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def snapshot(self) -> list[Received]:
        with self._condition:
            return list(self.received)

    def wait_for(self, match: Callable[[Received], bool], timeout: float) -> Received | None:
        """The first recorded request `match` accepts, waiting up to `timeout` seconds; None if none came."""
        def first():
            return next((r for r in self.received if match(r)), None)
        with self._condition:
            self._condition.wait_for(lambda: first() is not None, timeout)
            return first()

    def __enter__(self) -> "WebhookRecorder":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- Configuration files ---------------------------------------------------------------------

def write_vigil_config(directory: Path, alertmanager_yml: str, external_url: str | None = EXTERNAL_URL) -> Path:
    """Writes directory/alertmanager.yml and a directory/vigil.yaml naming it by a relative path
    (resolved against vigil.yaml's folder, not the server's working directory); returns vigil.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "alertmanager.yml").write_text(alertmanager_yml)
    lines = ["alerting:", "  config_file: alertmanager.yml"]
    if external_url is not None:
        lines.append(f"  external_url: {json.dumps(external_url)}")
    path = directory / "vigil.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- Helper processes: Alertmanager and Prometheus ------------------------------------------

@dataclass
class ToolProcess:
    """A long-running tool on a loopback port, its output in `log_path`."""
    name: str
    log_path: Path
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self, limit: int = 20_000) -> str:
        return log_tail(self.log_path, limit)

    def start(self, make_argv: Callable[[int], list[str]], ready_path: str = "/-/ready") -> "ToolProcess":
        """Starts `make_argv(port)` on a free port until GET ready_path answers 200; fails the test otherwise."""
        for attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                offset = log.tell()
                self.process = subprocess.Popen(make_argv(self.port), stdin=subprocess.DEVNULL, stdout=log,
                                                stderr=subprocess.STDOUT)
            problem = self._wait_until_ready(ready_path)
            if problem is None:
                return self
            self.stop()
            # A port found free can be taken by someone else before the tool binds it.
            if attempt < 2 and "address already in use" in self.log_path.read_bytes()[offset:].decode(errors="replace"):
                continue
            pytest.fail(f"{self.name} did not start: {problem}\n{self.log_text()}", pytrace=False)
        raise AssertionError("unreachable")

    def _wait_until_ready(self, path: str) -> str | None:
        deadline = time.monotonic() + START_TIMEOUT_S
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"exited with {self.process.returncode}"
            try:
                answer = requests.get(self.url + path, timeout=2)
                if answer.status_code == 200:
                    return None
                last = f"HTTP {answer.status_code}"
            except requests.RequestException as error:
                last = repr(error)
            time.sleep(0.1)
        return f"not ready after {START_TIMEOUT_S:.0f} s ({last})"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_alertmanager(config_path: Path, directory: Path, external_url: str | None = EXTERNAL_URL) -> ToolProcess:
    """The real Alertmanager on a free loopback port, clustering off, its data under `directory`."""
    binary = tool("prometheus-alertmanager")
    directory.mkdir(parents=True, exist_ok=True)
    argv = lambda port: [  # noqa: E731
        binary, f"--config.file={config_path}", f"--storage.path={directory / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
        *([f"--web.external-url={external_url}"] if external_url else [])]
    return ToolProcess("alertmanager", directory / "alertmanager.log").start(argv)


def start_prometheus(directory: Path, rule_file: Path, alertmanagers: list[str],
                     external_labels: dict[str, str] | None = None) -> ToolProcess:
    """Prometheus evaluating `rule_file` every second and sending alerts (API v2) to each
    `host:port` of `alertmanagers`; it scrapes nothing and keeps its data under `directory`.

    Prometheus 2.42 drops the alerts of evaluations made before it has discovered its
    Alertmanagers, then resends only every --rules.alert.resend-delay (1 m by default): 1 s here."""
    binary = tool("prometheus")
    directory.mkdir(parents=True, exist_ok=True)
    config = {
        "global": {"evaluation_interval": "1s", "scrape_interval": "1m", "external_labels": external_labels or {}},
        "rule_files": [str(rule_file)],
        "alerting": {"alertmanagers": [{"api_version": "v2", "static_configs": [{"targets": alertmanagers}]}]},
    }
    config_path = directory / "prometheus.yml"
    config_path.write_text(json.dumps(config, indent=2) + "\n")  # JSON is YAML
    argv = lambda port: [  # noqa: E731
        binary, f"--config.file={config_path}", f"--storage.tsdb.path={directory / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}", f"--web.external-url=http://127.0.0.1:{port}",
        "--rules.alert.resend-delay=1s"]
    return ToolProcess("prometheus", directory / "prometheus.log").start(argv)


# --- Polling and values ----------------------------------------------------------------------

def eventually(probe: Callable[[], object], timeout: float, what: str, describe: Callable[[], str] = lambda: ""):
    """Calls `probe` every 100 ms until it returns something truthy, and returns that; after
    `timeout` seconds fails with `what`, the last value and `describe()` (logs)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; last value: {value!r}\n{describe()}",
                        pytrace=False)
        time.sleep(0.1)


_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|z|[+-]\d\d:\d\d)")


def parse_time(text: str) -> datetime:
    """An RFC 3339 date-time (any number of fraction digits, year 1 included) as an aware datetime."""
    match = _TIME.fullmatch(text or "")
    assert match, f"{text!r} is not an RFC 3339 date-time"
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset = timedelta(0) if zone in "Zz" else (1 if zone[0] == "+" else -1) * timedelta(
        hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro,
                    timezone(offset))


def now() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(moment: datetime) -> str:
    """UTC with milliseconds, as Prometheus and amtool send times (Alertmanager keeps no finer)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def table_rows(output: str) -> list[list[str]]:
    """amtool's `simple` tables: one list of cells per line, cells separated by two or more spaces."""
    return [re.split(r"\s{2,}", line.strip()) for line in output.splitlines() if line.strip()]


def parse_label_argument(text: str) -> tuple[str, str]:
    """A `name=value` argument as amtool reads it: spaces around name and value trimmed, a value in
    double quotes unquoted (\\" and \\\\ escapes)."""
    name, _, value = text.partition("=")
    value = value.strip()
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1]
    return name.strip(), re.sub(r'\\(["\\])', r"\1", value)
