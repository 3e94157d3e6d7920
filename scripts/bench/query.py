"""Query benchmark: loads a week of spans and logs and a month of RED rollups into a fresh
database with server-side SQL, then times the read API of a release `vigil serve` against it.
Run through scripts/bench-query, which starts PostgreSQL."""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
import http.client
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ingest import PG_SETTINGS, Vigil, db_url, psql

HERE = Path(__file__).resolve().parent
DATABASE = "bench_query"
SPANS_PER_TRACE = 10
TRACES_PER_CHUNK = 25_000
SPAN_DAYS = 7
ROLLUP_DAYS = 30
DAY_US = 86_400_000_000
# The settings scripts/bench-query gives the throwaway cluster (besides fsync, from VIGIL_PG_FSYNC).
EXTRA_PG_SETTINGS = ["maintenance_work_mem", "work_mem", "effective_cache_size", "random_page_cost", "max_parallel_workers_per_gather"]


def psql_file(url: str, path: Path, **variables) -> None:
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", str(path)]
    for name, value in variables.items():
        args[1:1] = ["-v", f"{name}={value}"]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"psql -f {path.name} {variables} failed: {done.stderr.strip()}")


def iso(us: int) -> str:
    return datetime.fromtimestamp(us / 1e6, timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f+00")


def trace_hex(t: int) -> str:
    """bench.trace_id(t) of load_functions.sql."""
    return hashlib.md5(f"vigil-bench-trace-{t}".encode()).hexdigest()


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n < 10 * 2**30 else f"{n / 2**30:,.1f} GiB"


def du(path: str) -> int:
    done = subprocess.run(["du", "-sb", path], capture_output=True, text=True)
    return int(done.stdout.split()[0]) if done.returncode == 0 else 0


# --- loading --------------------------------------------------------------------------------

def create_partitions(url: str, tables: list[str], first_day: int, last_day: int) -> int:
    """Daily partitions with the DDL of Sources/VigilStorage/Schema/PartitionManager.swift."""
    statements = []
    for table in tables:
        for day in range(first_day, last_day + 1):
            start = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=day)
            end = start + timedelta(days=1)
            name = f"{table}_p{start:%Y%m%d}"
            statements.append(
                f"CREATE TABLE IF NOT EXISTS \"{name}\" PARTITION OF \"{table}\"\n"
                f"    FOR VALUES FROM ('{start:%Y-%m-%d} 00:00:00+00') TO ('{end:%Y-%m-%d} 00:00:00+00');\n"
                f"COMMENT ON TABLE \"{name}\" IS 'Partition of {table} for {start:%Y-%m-%d} (UTC).';")
    psql(url, "\n".join(statements))
    return len(statements)


def run_chunks(label: str, jobs: list[dict], path: Path, url: str, workers: int, rows_per_job: int) -> float:
    """Runs `path` once per job (psql variables) on `workers` connections, printing progress."""
    start, done, step = time.monotonic(), 0, max(1, len(jobs) // 5)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for _ in pool.map(lambda job: psql_file(url, path, **job), jobs):
            done += 1
            if done % step == 0 or done == len(jobs):
                elapsed = time.monotonic() - start
                print(f"  {label:<9} {done}/{len(jobs)} chunks, {elapsed:6.1f} s, "
                      f"{done * rows_per_job / elapsed:,.0f} rows/s", flush=True)
    return time.monotonic() - start


def interleave_halves(items: list) -> list:
    """[0, n/2, 1, n/2+1, …]: two workers write two distant time ranges (partitions) at once."""
    half = (len(items) + 1) // 2
    first, second = items[:half], items[half:]
    return [x for pair in zip(first, second + [None]) for x in pair if x is not None]


def load(args, url: str, now_us: int) -> dict:
    traces = args.spans // SPANS_PER_TRACE
    window_end_us = now_us - 10_000_000  # the last trace starts ~10 s before "now"
    window_start_us = window_end_us - SPAN_DAYS * DAY_US
    trace_step_us = SPAN_DAYS * DAY_US // traces
    today = now_us // DAY_US
    figures = dict(traces=traces, spans=traces * SPANS_PER_TRACE, now_us=now_us, window_start_us=window_start_us)
    t0 = time.monotonic()

    done = subprocess.run([args.vigil, "migrate"], env=dict(os.environ, VIGIL_DATABASE_URL=url),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"vigil migrate failed:\n{done.stdout}{done.stderr}")
    parts = create_partitions(url, ["spans", "logs", "metric_points", "exemplars"], window_start_us // DAY_US, today + 1)
    parts += create_partitions(url, ["red_rollups", "red_rollups_hourly", "red_rollups_6h"], today - ROLLUP_DAYS, today + 1)
    psql_file(url, HERE / "load_functions.sql")
    psql_file(url, HERE / "load_resources.sql")
    print(f"  schema    vigil migrate, {parts} daily partitions (spans/logs/metric_points/exemplars "
          f"{iso(window_start_us)[:10]}..+1 day, rollups {ROLLUP_DAYS} days back), 40 resources, 3 scopes "
          f"in {time.monotonic() - t0:.1f} s", flush=True)

    chunks = [dict(lo=lo, hi=min(traces, lo + TRACES_PER_CHUNK), window_start_us=window_start_us,
                   trace_step_us=trace_step_us) for lo in range(0, traces, TRACES_PER_CHUNK)]
    figures["spans_s"] = run_chunks("spans", interleave_halves(chunks), HERE / "load_spans.sql", url, args.workers,
                                    TRACES_PER_CHUNK * SPANS_PER_TRACE)

    t1 = time.monotonic()
    psql_file(url, HERE / "load_rollup_templates.sql")
    minute = 60_000_000
    rollup_start = (now_us - ROLLUP_DAYS * DAY_US) // minute * minute
    rollup_end = now_us // minute * minute + minute  # through the current minute
    jobs = []
    for day in range(rollup_start // DAY_US, today + 1):
        lo, hi = max(day * DAY_US, rollup_start), min((day + 1) * DAY_US, rollup_end)
        hour_lo = max(day * DAY_US, rollup_start // 3_600_000_000 * 3_600_000_000)
        hour_hi = min((day + 1) * DAY_US, (rollup_end - 1) // 3_600_000_000 * 3_600_000_000 + 3_600_000_000)
        jobs.append({"from": iso(lo), "to": iso(hi), "hour_from": iso(hour_lo), "hour_to": iso(hour_hi)})
    run_chunks("rollups", interleave_halves(jobs), HERE / "load_rollups.sql", url, args.workers, 20 * 10 * (1440 + 24))
    figures["rollups_s"] = time.monotonic() - t1

    # What the queries need: the services and the routes of their server spans.
    rows = psql(url, "SELECT s || '|' || bench.route(s, r) FROM unnest(bench.services()) AS s, generate_series(0, 9) AS r")
    figures["routes"] = [tuple(line.split("|", 1)) for line in rows.splitlines()]
    psql(url, "DROP SCHEMA bench CASCADE")

    t2 = time.monotonic()
    psql(url, "VACUUM (ANALYZE)")
    psql(url, "CHECKPOINT")
    figures["vacuum_s"] = time.monotonic() - t2
    figures["load_s"] = time.monotonic() - t0
    return figures


def print_sizes(url: str) -> None:
    rows = psql(url, """
        SELECT p.relname, count(*), sum(pg_relation_size(c.oid)), sum(pg_indexes_size(c.oid)),
               sum(pg_total_relation_size(c.oid) - pg_relation_size(c.oid) - pg_indexes_size(c.oid))
        FROM pg_class p JOIN pg_inherits i ON i.inhparent = p.oid JOIN pg_class c ON c.oid = i.inhrelid
        WHERE p.relname IN ('spans', 'logs', 'red_rollups', 'red_rollups_hourly', 'red_rollups_6h')
        GROUP BY p.relname
        UNION ALL
        SELECT relname, 0, pg_relation_size(oid), pg_indexes_size(oid),
               pg_total_relation_size(oid) - pg_relation_size(oid) - pg_indexes_size(oid)
        FROM pg_class WHERE relname IN ('traces', 'resources', 'scopes') AND relkind = 'r'
        ORDER BY 1""")
    counts = dict(line.split("|") for line in psql(url, " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM {t}" for t in ["spans", "logs", "traces", "red_rollups", "red_rollups_hourly", "red_rollups_6h",
                                                     "resources", "scopes"])).splitlines())
    print(f"  {'table':<19} {'rows':>12} {'parts':>5} {'heap':>10} {'indexes':>10} {'toast':>9} {'B/row':>6}")
    for line in rows.splitlines():
        name, parts, heap, index, toast = line.split("|")
        heap, index, toast, count = int(heap), int(index), int(toast), int(counts[name])
        print(f"  {name:<19} {count:>12,} {parts:>5} {mib(heap):>10} {mib(index):>10} {mib(toast):>9} "
              f"{(heap + index + toast) / count if count else 0:>6,.0f}")
    total = int(psql(url, "SELECT pg_database_size(current_database())"))
    print(f"  database total      {mib(total)}")


# --- queries --------------------------------------------------------------------------------

class Client:
    """One keep-alive HTTP/1.1 connection to the API; reconnects if the server closes it."""

    def __init__(self, port: int):
        self.port, self.conn = port, None

    def get(self, path: str) -> tuple[int, bytes, float]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                start = time.perf_counter()
                self.conn.request("GET", path)
                answer = self.conn.getresponse()
                body = answer.read()
                elapsed = time.perf_counter() - start
                if answer.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return answer.status, body, elapsed
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest rank."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def query_types(figures: dict, rng: random.Random) -> list[dict]:
    """Each: name, target_ms, a request maker (returning the path and its parameters) and a check
    of the answer (returning a number of items for the sanity column)."""
    traces, end_s = figures["traces"], figures["now_us"] // 1_000_000
    routes = figures["routes"]
    services = sorted({s for s, _ in routes})

    def trace_by_id():
        t = rng.randrange(traces)
        return f"/api/v1/traces/{trace_hex(t)}", dict(trace=trace_hex(t))

    def search(hours):
        def make():
            service, route = rng.choice(routes)
            start = end_s - hours * 3600
            query = urllib.parse.urlencode({"service": service, "attr.http.route": route, "start": start, "end": end_s,
                                            "limit": 20})
            return f"/api/v1/traces?{query}", dict(service=service, route=route, start=start, end=end_s)
        return make

    def logs_by_trace():
        t = rng.randrange(traces)
        start = end_s - SPAN_DAYS * 86400 - 60
        return f"/api/v1/logs?traceId={trace_hex(t)}&start={start}&end={end_s}", dict(trace=trace_hex(t), start=start, end=end_s)

    def red(days, step):
        def make():
            service = rng.choice(services)
            start = end_s - days * 86400
            path = f"/api/v1/red?service={urllib.parse.quote(service)}&start={start}&end={end_s}"
            return path + (f"&step={step}" if step else ""), dict(service=service, start=start, end=end_s, step=step)
        return make

    return [
        dict(name="trace by ID", target=20, make=trace_by_id, items=lambda d: len(d["spans"]), unit="spans",
             request="GET /api/v1/traces/{random trace}"),
        dict(name="search 1h", target=200, make=search(1), items=lambda d: len(d["traces"]), unit="traces",
             request="GET /api/v1/traces?service=S&attr.http.route=R&start=-1h&limit=20"),
        dict(name="search 24h", target=200, make=search(24), items=lambda d: len(d["traces"]), unit="traces",
             request="GET /api/v1/traces?service=S&attr.http.route=R&start=-24h&limit=20"),
        dict(name="logs by trace", target=200, make=logs_by_trace, items=lambda d: len(d["logs"]), unit="logs",
             request="GET /api/v1/logs?traceId={random trace}&start=-7d"),
        dict(name="RED 30d", target=100, make=red(30, None), items=lambda d: sum(len(s["points"]) for s in d["series"]),
             unit="points", request="GET /api/v1/red?service=S&start=-30d (default step)"),
        dict(name="RED 30d 1h", target=100, make=red(30, "1h"), items=lambda d: sum(len(s["points"]) for s in d["series"]),
             unit="points", request="GET /api/v1/red?service=S&start=-30d&step=1h"),
        dict(name="RED 24h", target=200, make=red(1, None), items=lambda d: sum(len(s["points"]) for s in d["series"]),
             unit="points", request="GET /api/v1/red?service=S&start=-24h (default step, per-minute rollups; extra)"),
    ]


def run_queries(args, url: str, client: Client, types: list[dict]) -> list[dict]:
    results = []
    for qt in types:
        for _ in range(args.warmup):
            path, _ = qt["make"]()
            status, body, _ = client.get(path)
            if status != 200:
                raise RuntimeError(f"{qt['name']}: {path} answered {status}: {body[:300]!r}")
        latencies, items, errors, slowest = [], [], 0, (0.0, None)
        for _ in range(args.requests):
            path, params = qt["make"]()
            status, body, elapsed = client.get(path)
            if status != 200:
                errors += 1
                continue
            latencies.append(elapsed * 1000)
            answer = json.loads(body)
            items.append(qt["items"](answer))
            if "step" in answer:
                params["step_s"] = answer["step"]  # the RED step Vigil chose
            if elapsed * 1000 > slowest[0]:
                slowest = (elapsed * 1000, params)
        latencies.sort()
        r = dict(qt, n=len(latencies), errors=errors, slowest=slowest[1],
                 items_avg=sum(items) / len(items) if items else 0, items_min=min(items, default=0))
        if latencies:
            r.update(p50=percentile(latencies, 0.5), p99=percentile(latencies, 0.99), max=latencies[-1],
                     mean=sum(latencies) / len(latencies))
        else:
            r.update(p50=float("nan"), p99=float("nan"), max=float("nan"), mean=float("nan"))
        r["met"] = r["p99"] < r["target"] and errors == 0
        r["explain"] = explain(url, r) if (args.explain_all or not r["met"]) and r["slowest"] else []
        results.append(r)
        print(f"  {r['name']:<14} p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  max {r['max']:7.1f} ms  "
              f"({r['n']} requests, {errors} failed; {r['items_avg']:.1f} {r['unit']} per answer, min {r['items_min']})",
              flush=True)
    return results


# --- EXPLAIN ANALYZE of the SQL the endpoints run -------------------------------------------
# These mirror Sources/VigilStorage/Read/{TraceStore,TraceSearch,LogSearch,REDQuery}.swift with the
# parameters written in; Vigil sends them as unnamed prepared statements, planned with the values.

LOG_COLUMNS = ("l.time_unix_nano, l.observed_time_unix_nano, l.severity_number, l.severity_text, l.body, l.attributes, "
               "l.dropped_attributes_count, l.flags, encode(l.trace_id, 'hex'), encode(l.span_id, 'hex'), l.event_name, "
               "l.service_name, l.resource_id, l.scope_id")
EXPLAIN = "EXPLAIN (ANALYZE, BUFFERS, SETTINGS)"


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def explain_sql(name: str, p: dict) -> list[tuple[str, str]]:
    """(label, psql script) per statement of the query type; scripts may \\gset what later ones need."""
    if name == "trace by ID":
        tid = lit("\\x" + p["trace"])
        window = f"trace_id = {tid}::bytea AND time BETWEEN :'first_time'::timestamptz AND :'last_time'::timestamptz"
        pre = f"SELECT first_time, last_time FROM traces WHERE trace_id = {tid}::bytea \\gset\n"
        return [
            ("traces index", f"{EXPLAIN} SELECT first_time, last_time FROM traces WHERE trace_id = {tid}::bytea"),
            ("spans", pre + f"""{EXPLAIN} SELECT encode(trace_id, 'hex'), encode(span_id, 'hex'), encode(parent_span_id, 'hex'),
                trace_state, flags, name, kind, start_time_unix_nano, end_time_unix_nano, attributes, dropped_attributes_count,
                events, dropped_events_count, links, dropped_links_count, status_code, status_message, service_name,
                resource_id, scope_id
                FROM spans WHERE {window} ORDER BY start_time_unix_nano, span_id"""),
            ("logs", pre + f"""{EXPLAIN} SELECT {LOG_COLUMNS} FROM logs l WHERE l.{window.replace('AND time', 'AND l.time')}
                ORDER BY l.time, CASE WHEN l.time_unix_nano <> 0 THEN l.time_unix_nano ELSE l.observed_time_unix_nano END"""),
            ("exemplars", pre + f"""{EXPLAIN} SELECT s.name, s.type, s.unit, e.series_id, s.attributes, s.service_name,
                e.point_time_unix_nano, e.time_unix_nano, e.value_double, e.value_int, encode(e.trace_id, 'hex'),
                encode(e.span_id, 'hex'), e.filtered_attributes
                FROM exemplars e JOIN metric_series s USING (series_id)
                WHERE e.trace_id = {tid}::bytea AND e.time BETWEEN :'first_time'::timestamptz AND :'last_time'::timestamptz
                ORDER BY e.time_unix_nano, e.series_id, e.ordinal"""),
        ]
    if name.startswith("search"):
        match = f"""SELECT encode(s.trace_id, 'hex') AS id, (extract(epoch FROM max(s.time)) * 1000000)::bigint FROM spans s
            JOIN resources r ON r.resource_id = s.resource_id
            WHERE s.time >= to_timestamp({p['start']}) AND s.time < to_timestamp({p['end']})
              AND s.service_name = {lit(p['service'])}
              AND (s.attributes->>'http.route' = {lit(p['route'])} OR r.attributes->>'http.route' = {lit(p['route'])})
            GROUP BY s.trace_id ORDER BY max(s.time) DESC, s.trace_id DESC LIMIT 21::int"""
        ids = f"SELECT '{{' || coalesce(string_agg('\"\\\\x' || id || '\"', ','), '') || '}}' AS ids FROM ({match}) AS m \\gset\n"
        return [
            ("matching spans", f"{EXPLAIN} {match}"),
            ("summaries", ids + f"""{EXPLAIN} SELECT encode(s.trace_id, 'hex'), s.parent_span_id IS NULL, s.service_name,
                s.name, s.start_time_unix_nano, s.end_time_unix_nano, s.status_code
                FROM traces t JOIN spans s ON s.trace_id = t.trace_id AND s.time BETWEEN t.first_time AND t.last_time
                WHERE t.trace_id = ANY(:'ids'::bytea[]) ORDER BY s.start_time_unix_nano"""),
        ]
    if name == "logs by trace":
        return [("logs", f"""{EXPLAIN} SELECT (extract(epoch FROM l.time) * 1000000)::bigint, l.tableoid::bigint, l.ctid::text,
            {LOG_COLUMNS} FROM logs l
            WHERE l.time >= to_timestamp({p['start']}) AND l.time < to_timestamp({p['end']})
              AND l.trace_id = {lit(chr(92) + 'x' + p['trace'])}::bytea
            ORDER BY l.time DESC, l.tableoid DESC, l.ctid DESC LIMIT 101::int""")]
    if name.startswith("RED"):
        step = p["step_s"]
        table = "red_rollups_6h" if step % 21600 == 0 else "red_rollups_hourly" if step % 3600 == 0 else "red_rollups"
        # Vigil sums the rows of each step bucket itself (histograms included); a bucket of one
        # hourly or six-hour row with quantiles comes without its histogram.
        quantiles = "latency_p50, latency_p90, latency_p99" if table != "red_rollups" else "NULL::float8, NULL::float8, NULL::float8"
        alone = "p50 IS NOT NULL AND count(*) OVER (PARTITION BY service_name, operation, bucket) = 1" if table != "red_rollups" else "false"
        return [(f"{table}, step {step} s", f"""{EXPLAIN} SELECT service_name, operation, bucket, request_count, error_count,
            CASE WHEN alone THEN NULL ELSE latency END, CASE WHEN alone THEN p50 END, CASE WHEN alone THEN p90 END, CASE WHEN alone THEN p99 END
            FROM (SELECT *, {alone} AS alone FROM (
                SELECT service_name, operation, (floor(date_part('epoch', time) / {step}::float8) * {step}::float8)::bigint AS bucket,
                       request_count, error_count, latency, {quantiles}
                FROM {table}
                WHERE time >= to_timestamp({p['start']}) AND time < to_timestamp({p['end']})
                  AND span_kind = ANY('{{2,5}}'::smallint[]) AND service_name = {lit(p['service'])}
            ) AS stored (service_name, operation, bucket, request_count, error_count, latency, p50, p90, p99)) AS rows
            ORDER BY service_name COLLATE "C", operation COLLATE "C", bucket""")]
    return []


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def fold_partitions(lines: list[str]) -> list[str]:
    """Keeps the first child of every Append of more than two children and sums up the others in
    one line (their plans differ only in the partition name)."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        node = line.strip().removeprefix("->").strip()
        i += 1
        if not node.startswith(("Append", "Merge Append", "Parallel Append")):
            continue
        end = i
        while end < len(lines) and _indent(lines[end]) > _indent(line):
            end += 1
        arrows = [j for j in range(i, end) if lines[j].lstrip().startswith("->")]
        if not arrows:
            continue
        child = min(_indent(lines[j]) for j in arrows)
        starts = [j for j in arrows if _indent(lines[j]) == child]
        if len(starts) <= 2:
            continue
        out.extend(lines[i:starts[1]])
        kinds: dict[str, int] = {}
        rows, slowest = 0, 0.0
        for j in starts[1:]:
            head = lines[j].strip().removeprefix("->").strip()
            kind = head.split(" on ")[0].split("  (")[0]
            kinds[kind] = kinds.get(kind, 0) + 1
            if "actual time=" in head:
                actual = head.split("actual time=")[1].rstrip(")").split()
                slowest = max(slowest, float(actual[0].split("..")[1]))
                rows += int(actual[1].removeprefix("rows=")) * int(actual[2].removeprefix("loops="))
        out.append(" " * child + f"->  ... {len(starts) - 1} more partitions like it ("
                   + ", ".join(f"{n} x {k}" for k, n in kinds.items())
                   + f"): {rows:,} rows in all, the slowest done at {slowest:.3f} ms")
        i = end
    return out


def explain(url: str, result: dict) -> list[str]:
    """EXPLAIN ANALYZE of the statements of a query type with the parameters of its slowest request,
    run right after its timed requests so that the caches are as they were for them."""
    out = [f"\n== EXPLAIN ANALYZE: {result['name']} (p99 {result['p99']:.1f} ms, target {result['target']} ms, "
           f"{'met' if result['met'] else 'MISSED'}), "
           f"parameters of its slowest request: {result['slowest']}, run right after its timed requests"]
    plans = []
    for label, script in explain_sql(result["name"], result["slowest"]):
        text = psql(url, "SET TimeZone = 'UTC';\n" + script)
        lines = [line for line in text.splitlines() if line and not line.startswith(("first_time", "ids"))]
        total = next((float(line.split()[-2]) for line in lines if line.startswith("Execution Time")), 0.0)
        # The statement itself, its rows converted to text and fetched by psql (EXPLAIN ANALYZE
        # leaves out both); psql's \timing stops before it prints them.
        plain = psql(url, "SET TimeZone = 'UTC';\n" + script.replace(f"{EXPLAIN} ", "\\timing on\n\\o /dev/null\n", 1))
        fetched = [float(line.split()[1]) for line in plain.splitlines() if line.startswith("Time: ")][-1]
        plans.append((total, label, lines, fetched))
    out.append("  statements (EXPLAIN ANALYZE execution time / plain run with rows fetched by psql): "
               + ", ".join(f"{label} {total:.1f} / {fetched:.1f} ms" for total, label, _, fetched in plans)
               + f"; in all {sum(p[0] for p in plans):.1f} / {sum(p[3] for p in plans):.1f} ms, "
               f"against an API p50 of {result['p50']:.1f} ms")
    total, label, lines, _ = max(plans)
    out.append(f"  plan of the slowest statement ({label}), partitions folded:")
    out.extend("    " + line for line in fold_partitions(lines))
    return out


# --- main -----------------------------------------------------------------------------------

def machine_facts(args, url: str) -> None:
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    version = subprocess.run([args.vigil, "version"], capture_output=True, text=True).stdout.strip()
    print(f"machine     {os.cpu_count()} CPUs ({model}), {int(mem) / 2**20:.1f} GiB RAM, {os.uname().release}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"vigil       {version or '?'} ({args.build_mode} build, {args.vigil}), default configuration "
          "(api.read_connections 4)")
    print(f"postgresql  {psql(url, 'SHOW server_version')} on 127.0.0.1, data in {args.pg_dir}")
    rows = psql(url, "SELECT name || '=' || current_setting(name) FROM pg_settings WHERE name IN ("
                + ", ".join(f"'{s}'" for s in PG_SETTINGS + EXTRA_PG_SETTINGS) + ") ORDER BY name")
    print("settings    " + ", ".join(rows.split()))
    if psql(url, "SHOW fsync") == "off":
        print("            fsync is off: a throwaway cluster, loaded fast; the timed queries only read")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    for name, kind in [("--vigil", str), ("--admin-url", str), ("--pg-dir", str), ("--work", str), ("--build-mode", str),
                       ("--spans", int), ("--requests", int), ("--warmup", int), ("--workers", int)]:
        parser.add_argument(name, type=kind, required=True)
    parser.add_argument("--explain-all", action="store_true")
    args = parser.parse_args()
    args.vigil = os.path.abspath(args.vigil)
    psql(args.admin_url, f'DROP DATABASE IF EXISTS "{DATABASE}"; CREATE DATABASE "{DATABASE}"')
    url = db_url(args.admin_url, DATABASE)
    machine_facts(args, url)

    traces = args.spans // SPANS_PER_TRACE
    need = int(args.spans * 800 + 12 * 2**30)  # ~670 B/span, ~90 B/log; ~7 GiB of rollups; up to 4 GiB of WAL
    free = shutil.disk_usage(args.pg_dir).free
    print(f"disk        {mib(free)} free under {args.pg_dir}, about {mib(need)} needed")
    if free < need * 1.1:
        print(f"error: not enough free disk space (want {mib(int(need * 1.1))})", file=sys.stderr)
        return 1
    print(f"data        {traces * SPANS_PER_TRACE:,} spans ({traces:,} traces of {SPANS_PER_TRACE} spans over 4 of 20 services; "
          f"server, client and database spans, ~11 attributes each, 2% errors, log-normal durations) over the last "
          f"{SPAN_DAYS} days, {traces * 2:,} log records (one per 5 spans, with trace and span IDs), the trace index; "
          f"{ROLLUP_DAYS} days of RED rollups per minute and per hour (20 services x 10 server operations); "
          f"loaded by {args.workers} psql sessions with INSERT ... SELECT generate_series", flush=True)

    print("\n== load")
    before = du(args.pg_dir)
    now_us = time.time_ns() // 1000
    figures = load(args, url, now_us)
    used = du(args.pg_dir) - before
    print(f"  loaded in {figures['load_s']:.0f} s: spans+logs+traces {figures['spans_s']:.0f} s "
          f"({figures['spans'] / figures['spans_s']:,.0f} spans/s), rollups {figures['rollups_s']:.0f} s, "
          f"VACUUM ANALYZE + CHECKPOINT {figures['vacuum_s']:.0f} s")
    print(f"  disk used {mib(used)} (PostgreSQL data directory, WAL included); "
          f"{mib(shutil.disk_usage(args.pg_dir).free)} left")
    print_sizes(url)

    vigil = Vigil(args.vigil, url, Path(args.work) / "vigil-query.log").start()
    try:
        print(f"\n== queries: vigil pid {vigil.process.pid}, one client, sequential keep-alive requests, "
              f"{args.warmup} warm-up + {args.requests} timed per type; data ends at {iso(now_us)[:19]}Z, "
              f"which is the `end` of every query (start relative to it); load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        types = query_types(figures, random.Random(42))
        for qt in types:
            print(f"  {qt['name']:<14} {qt['request']}")
        client = Client(vigil.api)
        results = run_queries(args, url, client, types)
    finally:
        vigil.stop()

    print("\n== summary")
    print(f"{'query':<14} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'target p99':>11}  result")
    for r in results:
        print(f"{r['name']:<14} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['max']:>8.1f} {'< ' + str(r['target']) + ' ms':>11}  "
              f"{'met' if r['met'] else 'MISSED'}")
    print(f"load        {figures['spans']:,} spans + {figures['traces'] * 2:,} logs + {ROLLUP_DAYS} days of rollups "
          f"in {figures['load_s']:.0f} s, {mib(used)} of disk")

    for r in sorted((r for r in results if r["explain"]), key=lambda r: -r["p99"] / r["target"]):
        print("\n".join(r["explain"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
