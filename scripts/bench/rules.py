"""Rules benchmark (scripts/bench-rules): 30 days of RED rollups for 200 services, then a release
`vigil serve` evaluating 1,000 SLOs (4,000 burn-rate alerts) and 1,000 RED rules every 30 s.
Prints the duration of each evaluation round (p50/p99 over the groups, and the slowest group,
which is the round), the CPU seconds one round costs Vigil and PostgreSQL, and the latency of
GET /api/v1/slos for one service (its SLIs over 30 days). It measures; it never fails on the figures."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from ingest import Vigil, db_url, psql
from load import cpu_seconds, tree_cpu
from query import create_partitions

SERVICES = 200
OPERATIONS = 2
DAYS = 30
INTERVAL_S = 30
DAY_S = 86_400


def service(index: int) -> str:
    return f"svc-{index:03d}"


# Per minute and key: 20-59 requests; ~1% errors, ~12% on the first ten services (so that their
# error-ratio rules and fast-burn alerts fire); two latency buckets around 50 ms and 150 ms.
MINUTE_ROWS = """
INSERT INTO {table} (time, service_name, operation, span_kind, request_count, error_count, duration_sum_nanos, latency)
SELECT t, 'svc-' || lpad(s::text, 3, '0'), 'GET /api/' || o, 2, n, e, n * 60000000,
       jsonb_build_object('442', n - n / 10, '470', n / 10)
FROM generate_series('{start}'::timestamptz, '{end}'::timestamptz - interval '{step}', interval '{step}') AS t,
     generate_series(0, {services} - 1) AS s, generate_series(0, {operations} - 1) AS o,
     LATERAL (SELECT ({scale} * (20 + (hashint8(extract(epoch FROM t)::bigint + s * 7 + o) & 2147483647) % 40))::bigint AS n) AS c,
     LATERAL (SELECT CASE WHEN s < 10 THEN n * 12 / 100 ELSE n / 100 END AS e) AS f;
"""


def load(url: str, now_s: int) -> float:
    started = time.monotonic()
    today = now_s // DAY_S
    create_partitions(url, ["red_rollups", "red_rollups_hourly", "red_rollups_6h"], today - DAYS, today + 1)
    first = now_s - DAYS * DAY_S
    for day in range(today - DAYS, today + 1):
        lo, hi = max(day * DAY_S, first // 60 * 60), min((day + 1) * DAY_S, now_s // 60 * 60 + 60)
        hour_lo, hour_hi = max(day * DAY_S, first // 3600 * 3600), min((day + 1) * DAY_S, now_s // 3600 * 3600 + 3600)
        iso = lambda s: datetime.fromtimestamp(s, timezone.utc).isoformat()  # noqa: E731
        sql = MINUTE_ROWS.format(table="red_rollups", start=iso(lo), end=iso(hi), step="1 minute", services=SERVICES,
                                 operations=OPERATIONS, scale=1)
        sql += MINUTE_ROWS.format(table="red_rollups_hourly", start=iso(hour_lo), end=iso(hour_hi), step="1 hour",
                                  services=SERVICES, operations=OPERATIONS, scale=60)
        six_lo, six_hi = hour_lo // 21600 * 21600, (hour_hi + 21599) // 21600 * 21600
        sql += MINUTE_ROWS.format(table="red_rollups_6h", start=iso(six_lo), end=iso(min(six_hi, (day + 1) * DAY_S)),
                                  step="6 hours", services=SERVICES, operations=OPERATIONS, scale=360)
        psql(url, sql)
    psql(url, "VACUUM ANALYZE red_rollups; VACUUM ANALYZE red_rollups_hourly; VACUUM ANALYZE red_rollups_6h")
    return time.monotonic() - started


def rule_file(index: int) -> str:
    """One group per service: 5 SLOs (each 4 burn-rate alerts) and 5 RED rules."""
    name = service(index)
    return f"""groups:
  - name: {name}
    interval: {INTERVAL_S}s
    rules:
      - slo:
          name: {name}-availability
          service: {name}
          objective: 99.9
          sli: {{availability: {{}}}}
      - slo:
          name: {name}-availability-28d
          service: {name}
          objective: 99.5
          period: 28d
          sli: {{availability: {{}}}}
      - slo:
          name: {name}-latency
          service: {name}
          objective: 99
          sli: {{latency: {{threshold: 100ms}}}}
      - slo:
          name: {name}-latency-strict
          service: {name}
          objective: 99.9
          period: 7d
          sli: {{latency: {{threshold: 250ms}}}}
      - slo:
          name: {name}-reads
          service: {name}
          objective: 99.95
          sli: {{availability: {{operation: GET /api/0}}}}
      - alert: ErrorRatio
        red: {{service: {name}, measure: error_ratio, window: 5m, by: [operation], threshold: '> 5%'}}
      - alert: ErrorRatioHour
        red: {{service: {name}, measure: error_ratio, window: 1h, threshold: '> 2%'}}
      - alert: TrafficLow
        red: {{service: {name}, measure: rate, window: 5m, threshold: '< 0.1'}}
      - alert: Slow
        red: {{service: {name}, measure: latency, quantile: 0.99, window: 5m, by: [operation], threshold: '> 500ms'}}
      - alert: TrafficSpike
        red: {{service: {name}, measure: rate, window: 15m, threshold: '> 1000'}}
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    parser.add_argument("--admin-url", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--postmaster", type=int, required=True, help="PID of the PostgreSQL postmaster")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    work = Path(args.work)
    psql(args.admin_url, 'DROP DATABASE IF EXISTS "bench_rules"; CREATE DATABASE "bench_rules"')
    url = db_url(args.admin_url, "bench_rules")
    done = subprocess.run([args.vigil, "migrate"], env=dict(os.environ, VIGIL_DATABASE_URL=url), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"vigil migrate failed:\n{done.stdout}{done.stderr}")
    now_s = int(time.time())
    seconds = load(url, now_s)
    rows = psql(url, "SELECT (SELECT count(*) FROM red_rollups) || ' ' || (SELECT count(*) FROM red_rollups_hourly) || ' ' || "
                     "(SELECT count(*) FROM red_rollups_6h) || ' ' || pg_size_pretty(pg_database_size(current_database()))")
    minute, hourly, six, size = rows.split(" ", 3)
    print(f"load: {DAYS} days of rollups for {SERVICES} services x {OPERATIONS} operations: {int(minute):,} minute rows, "
          f"{int(hourly):,} hourly, {int(six):,} six-hour; database {size}; {seconds:.0f} s", flush=True)

    (work / "rules").mkdir(exist_ok=True)
    for index in range(SERVICES):
        (work / "rules" / f"{service(index)}.yaml").write_text(rule_file(index))
    (work / "vigil.yaml").write_text("rule_files: [rules/*.yaml]\n")
    vigil = Vigil(args.vigil, url, work / "vigil.log", ["--config", str(work / "vigil.yaml")]).start()
    api = f"http://127.0.0.1:{vigil.api}"
    try:
        check = subprocess.run([args.vigil, "rules", "check", "--config", str(work / "vigil.yaml")], capture_output=True, text=True)
        lines = check.stdout.splitlines()
        print(f"rules: {len(lines)} files; {lines[0] if lines else check.stderr.strip()}")

        def snapshot() -> dict[str, tuple[str, float]]:
            groups = requests.get(api + "/api/v1/rules", timeout=60).json()["data"]["groups"]
            return {g["name"]: (g["lastEvaluation"], g["evaluationTime"]) for g in groups}

        # Wait for the first complete round. Then read the API once per round, 20 s after each
        # evaluation boundary (rounds start at multiples of the interval): the rules document is
        # large, and reading it more often would add its cost to Vigil's CPU figure.
        deadline = time.monotonic() + 3 * INTERVAL_S
        while time.monotonic() < deadline and any(t.startswith("0001") for t, _ in snapshot().values()):
            time.sleep(1)
        rounds: list[list[float]] = []
        cpu_vigil, cpu_pg = cpu_seconds(vigil.process.pid), tree_cpu(args.postmaster)
        started = time.monotonic()
        seen: set[str] = set()
        while len(rounds) < args.rounds and time.monotonic() - started < (args.rounds + 3) * INTERVAL_S:
            time.sleep(INTERVAL_S - (time.time() - 20) % INTERVAL_S)
            state = snapshot()
            stamps = {t for t, _ in state.values()}
            # A round is complete when every group shows the same, new evaluation time.
            if len(stamps) == 1 and (stamp := stamps.pop()) not in seen and not stamp.startswith("0001"):
                seen.add(stamp)
                rounds.append([duration for _, duration in state.values()])
        elapsed = time.monotonic() - started
        cpu_vigil, cpu_pg = cpu_seconds(vigil.process.pid) - cpu_vigil, tree_cpu(args.postmaster) - cpu_pg
        per_round = elapsed / INTERVAL_S
        groups = [d for r in rounds for d in r]
        slowest = [max(r) for r in rounds]
        print(f"evaluation: {len(rounds)} rounds of {SERVICES} groups (1,000 SLOs = 4,000 burn-rate alerts, 1,000 RED rules; "
              f"{INTERVAL_S} s interval)")
        if groups:
            print(f"  group duration p50 {percentile(groups, 0.5) * 1000:.0f} ms, p99 {percentile(groups, 0.99) * 1000:.0f} ms")
            print(f"  round (slowest group) p50 {statistics.median(slowest):.2f} s, max {max(slowest):.2f} s")
        print(f"  CPU per round: Vigil {cpu_vigil / per_round:.2f} s, PostgreSQL {cpu_pg / per_round:.2f} s "
              f"(over {elapsed:.0f} s)")
        firing = requests.get(api + "/api/v1/alerts", timeout=60).json()["data"]["alerts"]
        print(f"  alerts pending or firing: {len(firing)}")

        latencies = []
        for index in range(20):
            t0 = time.monotonic()
            answer = requests.get(api + "/api/v1/slos", params={"service": service(index * 7 % SERVICES)}, timeout=60)
            latencies.append(time.monotonic() - t0)
            assert answer.status_code == 200, answer.text
        print(f"GET /api/v1/slos?service=S (5 SLOs, 30-day SLIs and 4 windows each): p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
              f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms over 20 requests")
    finally:
        vigil.stop()


if __name__ == "__main__":
    main()
