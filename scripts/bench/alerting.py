"""Alerting benchmark (scripts/bench-alerting): a release `vigil serve` with an Alertmanager
configuration of 500 routes, fed over POST /api/v2/alerts by several client processes, notifying
a local webhook receiver. Prints alerts accepted per second (with 5,000 active groups),
notifications dispatched per second, and Vigil's memory with 100,000 active alerts."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from ingest import Vigil, db_url, psql
from load import cpu_seconds, status_kib

ROUTES = 500
ALERTNAMES = 10  # 500 services x 10 alert names = 5,000 groups (group_by: [alertname, service])


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def alertmanager_yml(webhook: str) -> str:
    routes = "\n".join(f"    - matchers: ['service=\"svc-{i}\"']\n      receiver: team-{i % 50}" for i in range(ROUTES))
    receivers = "\n".join(f"  - name: team-{i}\n    webhook_configs:\n      - url: {webhook}/team-{i}" for i in range(50))
    return f"""route:
  receiver: team-0
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 24h
  routes:
{routes}
receivers:
{receivers}
"""


class Webhook:
    """Counts the notifications it receives, with the time of each."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with hook.lock:
                    hook.times.append(time.monotonic())

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self) -> int:
        with self.lock:
            return len(self.times)


def batch(start: int, size: int, instance_base: int = 0) -> list[dict]:
    """Alerts numbered start..start+size: alert i is in group (alertname i % 10, service (i // 10) % 500)."""
    ends = rfc3339(datetime.now(timezone.utc) + timedelta(hours=1))
    starts = rfc3339(datetime.now(timezone.utc) - timedelta(seconds=5))
    return [{"labels": {"alertname": f"Alert{i % ALERTNAMES}", "service": f"svc-{(i // ALERTNAMES) % ROUTES}",
                        "instance": f"host-{instance_base + i}", "severity": "warning"},
             "annotations": {"summary": f"alert {i} fires"}, "startsAt": starts, "endsAt": ends,
             "generatorURL": "http://prometheus.example/graph"} for i in range(start, start + size)]


def _poster(url: str, first: int, count: int, size: int, seconds: float, results) -> None:
    """Posts batches of `size` alerts from the range [first, first+count) round and round until `seconds` pass
    (or once through when seconds is 0); reports (alerts, latencies)."""
    session = requests.Session()
    latencies, alerts, offset = [], 0, 0
    deadline = time.monotonic() + seconds
    while True:
        body = json.dumps(batch(first + offset, min(size, count - offset)))
        started = time.monotonic()
        answer = session.post(url + "/api/v2/alerts", data=body, headers={"Content-Type": "application/json"}, timeout=60)
        latencies.append(time.monotonic() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"POST /api/v2/alerts answered {answer.status_code}: {answer.text[:200]}")
        alerts += min(size, count - offset)
        offset += size
        if offset >= count:
            offset = 0
            if seconds == 0:
                break
        if seconds and time.monotonic() >= deadline:
            break
    results.put((alerts, latencies))


def post_parallel(url: str, total: int, clients: int, size: int, seconds: float, first: int = 0) -> tuple[int, list[float], float]:
    per = total // clients
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_poster, args=(url, first + k * per, per, size, seconds, results)) for k in range(clients)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return sum(c[0] for c in collected), [l for c in collected for l in c[1]], elapsed


def wait_for(probe, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(0.05)
    return False


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    parser.add_argument("--admin-url", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    work = Path(args.work)
    psql(args.admin_url, 'DROP DATABASE IF EXISTS "bench_alerting"; CREATE DATABASE "bench_alerting"')
    hook = Webhook()
    (work / "alertmanager.yml").write_text(alertmanager_yml(hook.url))
    (work / "vigil.yaml").write_text("alerting:\n  config_file: alertmanager.yml\n")
    vigil = Vigil(args.vigil, db_url(args.admin_url, "bench_alerting"), work / "vigil.log", ["--config", str(work / "vigil.yaml")]).start()
    url = f"http://127.0.0.1:{vigil.api}"
    pid = vigil.process.pid
    try:
        groups = ROUTES * ALERTNAMES
        print(f"configuration: {ROUTES} routes, 50 webhook receivers, group_by [alertname, service], group_wait/interval 1s")
        posted, _, elapsed = post_parallel(url, groups, args.clients, args.batch, 0)
        wait_for(lambda: hook.count() >= groups, 120)
        active = len(requests.get(url + "/api/v2/alerts/groups", timeout=60).json())
        print(f"set-up: {posted} alerts in {elapsed:.1f} s; {active} active groups; {hook.count()} first notifications")

        cpu_before = cpu_seconds(pid)
        accepted, latencies, elapsed = post_parallel(url, groups, args.clients, args.batch, args.seconds)
        cpu = cpu_seconds(pid) - cpu_before
        print(f"intake: {accepted / elapsed:,.0f} alerts/s accepted ({accepted} re-posted alerts of {groups} groups, "
              f"{args.clients} clients, {args.batch} alerts per request, {elapsed:.1f} s); request p50 "
              f"{percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms; Vigil CPU {cpu / elapsed:.2f} cores")

        rounds = []
        for round_number in range(3):
            before = hook.count()
            started = time.monotonic()
            # One new alert in every group: every group notifies at its next group_interval.
            _poster_once(url, groups, args.batch, instance_base=1_000_000 * (round_number + 1))
            if not wait_for(lambda: hook.count() >= before + groups, 180):
                print(f"notifications: round {round_number + 1} got {hook.count() - before} of {groups} within 180 s")
                continue
            with hook.lock:
                times = hook.times[before:before + groups]
            rounds.append((groups, times[-1] - times[0], times[-1] - started))
        for sent, spread, total in rounds:
            print(f"notifications: {sent} groups notified in {spread:.2f} s from first to last = {sent / max(spread, 1e-9):,.0f}/s "
                  f"({total:.2f} s after the alerts were posted, group_interval 1 s)")

        rss_groups = status_kib(pid, "VmRSS")
        target = 100_000
        posted, _, elapsed = post_parallel(url, target, args.clients, args.batch, 0, first=groups)
        # Let the notifications the new alerts cause go out before reading the memory.
        time.sleep(3)
        rss = status_kib(pid, "VmRSS")
        count = int(psql(db_url(args.admin_url, "bench_alerting"), "SELECT count(*) FROM alerting_alerts WHERE ends_at > now()"))
        print(f"memory: {count:,} active alerts, RSS {rss / 1024:.0f} MiB (was {rss_groups / 1024:.0f} MiB with {groups:,} alerts); "
              f"{posted:,} alerts posted in {elapsed:.1f} s")
    finally:
        vigil.stop()
        hook.server.shutdown()


def _poster_once(url: str, count: int, size: int, instance_base: int) -> None:
    session = requests.Session()
    for offset in range(0, count, size):
        body = json.dumps(batch(offset, min(size, count - offset), instance_base))
        answer = session.post(url + "/api/v2/alerts", data=body, headers={"Content-Type": "application/json"}, timeout=60)
        answer.raise_for_status()


if __name__ == "__main__":
    main()
