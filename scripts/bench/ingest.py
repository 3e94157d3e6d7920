"""Ingest benchmark: OTLP/gRPC and OTLP/HTTP trace exports into a running Vigil, compared with
plain COPY of the same rows. Run through scripts/bench-ingest, which starts PostgreSQL."""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from load import cpu_seconds, machine_busy, run_load, status_kib, thread_cpu, tree_cpu
from otlp_payload import build_template

PG_SETTINGS = ["fsync", "synchronous_commit", "wal_level", "full_page_writes", "wal_compression", "shared_buffers",
               "max_wal_size", "checkpoint_timeout", "wal_buffers", "commit_delay"]


def psql(url: str, sql: str, timing: bool = False) -> str:
    args = ["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", url]
    done = subprocess.run(args, input=("\\timing on\n" if timing else "") + sql, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr.strip()}\n{sql}")
    return done.stdout.strip()


def db_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: no vigil left behind if we are killed


class Vigil:
    """`vigil serve` on fresh loopback ports, as scripts/test's interop suite runs it."""

    def __init__(self, binary: str, database_url: str, log_path: Path, serve_args: list[str] | None = None):
        self.binary, self.database_url, self.log_path = binary, database_url, log_path
        self.serve_args = serve_args or []
        self.process = None

    def start(self) -> "Vigil":
        for attempt in range(3):
            self.grpc, self.http, self.api = free_port(), free_port(), free_port()
            env = dict(os.environ, VIGIL_DATABASE_URL=self.database_url, VIGIL_API_ENDPOINT=f"127.0.0.1:{self.api}",
                       VIGIL_OTLP_GRPC_ENDPOINT=f"127.0.0.1:{self.grpc}", VIGIL_OTLP_HTTP_ENDPOINT=f"127.0.0.1:{self.http}")
            with open(self.log_path, "ab") as log:
                offset = log.tell()
                self.process = subprocess.Popen([self.binary, "serve", *self.serve_args], env=env, cwd=self.log_path.parent,
                                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                                preexec_fn=_die_with_parent)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and self.process.poll() is None:
                if self._healthy():
                    return self
                time.sleep(0.1)
            self.stop()
            text = self.log_path.read_bytes()[offset:].decode(errors="replace")
            if attempt == 2 or "in use" not in text.lower():
                raise RuntimeError(f"vigil serve did not become healthy:\n{text[-4000:]}")
        raise AssertionError("unreachable")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.api}/-/healthy", timeout=2) as answer:
                if answer.status != 200:
                    return False
            for port in (self.grpc, self.http):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_phase(args, transport: str, templates: list[bytes], postmaster: int) -> dict:
    name = f"bench_{transport}"
    psql(args.admin_url, f'DROP DATABASE IF EXISTS "{name}"; CREATE DATABASE "{name}"')
    url = db_url(args.admin_url, name)
    vigil = Vigil(args.vigil, url, Path(args.work) / f"vigil-{transport}.log").start()
    pid = vigil.process.pid
    print(f"\n== {transport}: vigil pid {pid}, {args.clients} clients x {args.spans_per_request} spans/request, "
          f"{args.seconds:g} s", flush=True)
    before, after, rss_peak = {}, {}, [0]
    stop_sampling = threading.Event()

    def snapshot(into: dict) -> None:
        into.update(spans=int(psql(url, "SELECT count(*) FROM spans")), vigil=cpu_seconds(pid),
                    threads=thread_cpu(pid), pg=tree_cpu(postmaster), machine=machine_busy())

    def sample_rss() -> None:
        while not stop_sampling.wait(0.25):
            rss_peak[0] = max(rss_peak[0], status_kib(pid, "VmRSS"))

    try:
        psql(url, "CHECKPOINT")
        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()
        duration, results = run_load(transport, vigil.grpc if transport == "grpc" else vigil.http, templates,
                                     args.spans_per_request, args.clients, args.seconds,
                                     lambda: snapshot(before), lambda: snapshot(after))
        stop_sampling.set()
        hwm = status_kib(pid, "VmHWM")
    finally:
        stop_sampling.set()
        vigil.stop()
    latencies = sorted(x for r in results for x in r.latencies)
    errors: dict = {}
    for r in results:
        for k, v in r.errors.items():
            errors[k] = errors.get(k, 0) + v
    busy = [a - b for a, b in zip(after["machine"], before["machine"])]
    # Per thread (Linux threads inherit the creator's name, so several share one), busiest first.
    threads = sorted(((f"{thread}/{tid}", cpu - before["threads"].get(tid, (thread, 0.0))[1])
                      for tid, (thread, cpu) in after["threads"].items()), key=lambda t: -t[1])[:5]
    figures = dict(
        transport=transport, duration=duration, exports=len(latencies), errors=errors,
        partial=sum(r.partial for r in results), acked=sum(r.acked_spans for r in results),
        committed=after["spans"] - before["spans"], vigil_cpu=after["vigil"] - before["vigil"],
        pg_cpu=after["pg"] - before["pg"], client_cpu=sum(r.cpu for r in results), rss_mib=hwm / 1024,
        rss_sampled_mib=rss_peak[0] / 1024, busy=busy[0] / busy[1] if busy[1] else 0.0, threads=threads,
        p50=latencies[len(latencies) // 2] * 1000 if latencies else float("nan"),
        p99=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"))
    figures["rate"] = figures["committed"] / duration
    figures["per_cpu"] = figures["committed"] / figures["vigil_cpu"] if figures["vigil_cpu"] else float("nan")
    figures.update(plain_copy(args, url, after["spans"]))
    figures["ratio"] = figures["rate"] / figures["copy_rate"] if figures["copy_rate"] else float("nan")
    psql(args.admin_url, f'DROP DATABASE "{name}"')
    print_phase(figures)
    return figures


def plain_copy(args, url: str, expected: int) -> dict:
    """Dumps spans (all `expected` rows, warm-up included) and traces to server-side files, empties
    both tables and times one transaction of plain `COPY … FROM '<file>'` loading them back."""
    spans_file, traces_file = f"{args.pg_dir}/bench-spans.copy", f"{args.pg_dir}/bench-traces.copy"
    rows = psql(url, f"COPY (SELECT * FROM spans) TO '{spans_file}'; COPY traces TO '{traces_file}';"
                     "SELECT count(*) FROM traces; TRUNCATE spans, traces; CHECKPOINT;")
    traces = int(rows.splitlines()[-1])
    start = time.monotonic()
    out = psql(url, f"BEGIN; COPY spans FROM '{spans_file}'; COPY traces FROM '{traces_file}'; COMMIT;", timing=True)
    wall = time.monotonic() - start
    times = [float(t) / 1000 for t in re.findall(r"Time: ([0-9.]+) ms", out)]
    loaded = int(psql(url, "SELECT count(*) FROM spans"))
    size = os.path.getsize(spans_file)
    for f in (spans_file, traces_file):
        os.remove(f)
    if loaded != expected:
        print(f"warning: plain COPY loaded {loaded} spans, expected {expected}", file=sys.stderr)
    total = sum(times) if len(times) == 4 else wall
    return dict(copy_rows=loaded, copy_traces=traces, copy_s=total, copy_wall=wall, copy_mib=size / 2**20,
                copy_parts=times, copy_rate=loaded / total if total else float("nan"))


def print_phase(f: dict) -> None:
    ok = "OK" if f["committed"] == f["acked"] else f"MISMATCH ({f['acked']} acknowledged)"
    print(f"  exports           {f['exports']} ok, {sum(f['errors'].values())} failed{' ' + str(f['errors']) if f['errors'] else ''}, "
          f"{f['partial']} partial; timed phase {f['duration']:.2f} s")
    print(f"  spans committed   {f['committed']:,} (= acknowledged: {ok}) -> {f['rate']:,.0f} spans/s")
    print(f"  export latency    p50 {f['p50']:.1f} ms, p99 {f['p99']:.1f} ms (client side, per request)")
    print(f"  vigil             {f['vigil_cpu']:.2f} CPU s ({100 * f['vigil_cpu'] / f['duration']:.0f}% of a core), "
          f"{f['per_cpu']:,.0f} spans per CPU-second, peak RSS {f['rss_mib']:.0f} MiB (VmHWM; sampled {f['rss_sampled_mib']:.0f})")
    print(f"  postgresql        {f['pg_cpu']:.2f} CPU s ({100 * f['pg_cpu'] / f['duration']:.0f}% of a core); "
          f"clients {f['client_cpu']:.2f} CPU s; machine {100 * f['busy']:.0f}% busy")
    print("  vigil threads     " + ", ".join(f"{n} {c:.1f}s ({100 * c / f['duration']:.0f}%)" for n, c in f["threads"]))
    parts = f["copy_parts"]
    detail = f" (spans {parts[1]:.2f} s, traces {parts[2]:.2f} s, commit {parts[3]:.2f} s)" if len(parts) == 4 else ""
    print(f"  plain COPY        {f['copy_rows']:,} spans ({f['copy_mib']:.0f} MiB) + {f['copy_traces']:,} traces in "
          f"{f['copy_s']:.2f} s{detail} -> {f['copy_rate']:,.0f} spans/s")
    print(f"  end-to-end/COPY   {100 * f['ratio']:.0f}%", flush=True)


def print_summary(phases: list[dict]) -> None:
    head = f"{'transport':<9} {'spans/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'vigil CPU s':>11} {'PG CPU s':>8} " \
           f"{'RSS MiB':>7} {'spans/vigil-CPU-s':>17} {'COPY spans/s':>12} {'e2e/COPY':>8}"
    print("\n== summary\n" + head)
    for f in phases:
        print(f"{f['transport']:<9} {f['rate']:>9,.0f} {f['p50']:>7.1f} {f['p99']:>7.1f} {f['vigil_cpu']:>11.2f} "
              f"{f['pg_cpu']:>8.2f} {f['rss_mib']:>7.0f} {f['per_cpu']:>17,.0f} {f['copy_rate']:>12,.0f} "
              f"{100 * f['ratio']:>7.0f}%")
    print(f"{'target':<9} {'':>9} {'':>7} {'':>7} {'':>11} {'':>8} {'< 500':>7} {'>= 100,000':>17} {'':>12} {'>= 50%':>8}")
    for f in phases:
        met = [f["per_cpu"] >= 100_000, f["ratio"] >= 0.5, f["rss_mib"] < 500]
        names = ["spans/vigil-CPU-s", "e2e/COPY", "RSS"]
        print(f"{f['transport']}: " + ", ".join(f"{n} {'met' if m else 'MISSED'}" for n, m in zip(names, met)))


def machine_facts(args) -> None:
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    version = subprocess.run([args.vigil, "version"], capture_output=True, text=True).stdout.strip()
    print(f"machine     {os.cpu_count()} CPUs ({model}), {int(mem) / 2**20:.1f} GiB RAM, {os.uname().release}")
    print(f"vigil       {version or '?'} ({args.build_mode} build, {args.vigil})")
    print(f"postgresql  {psql(args.admin_url, 'SHOW server_version')} on 127.0.0.1, data in {args.pg_dir}")
    rows = psql(args.admin_url, "SELECT name || '=' || setting || coalesce(unit, '') FROM pg_settings WHERE name IN ("
                + ", ".join(f"'{s}'" for s in PG_SETTINGS) + ") ORDER BY name")
    print("settings    " + ", ".join(rows.split()))
    print("vigil conf  defaults (ingest.max_transaction_rows 50000, ingest.max_queued_rows 500000), "
          "synchronous_commit on for its writer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    for name, kind in [("--vigil", str), ("--admin-url", str), ("--pg-dir", str), ("--work", str),
                       ("--build-mode", str), ("--seconds", float), ("--clients", int), ("--spans-per-request", int)]:
        parser.add_argument(name, type=kind, required=True)
    parser.add_argument("--transport", choices=["grpc", "http", "both"], required=True)
    args = parser.parse_args()
    args.vigil = os.path.abspath(args.vigil)
    postmaster = int(Path(args.pg_dir, "data", "postmaster.pid").read_text().split()[0])
    machine_facts(args)
    count = max(8, min(64, 40_000 // args.spans_per_request))
    start = time.monotonic()
    templates = [build_template(args.spans_per_request, seed) for seed in range(count)]
    print(f"payload     {count} distinct requests of {args.spans_per_request} spans (~20 attributes each, 5 services, "
          f"traces of 4-16 spans), {sum(map(len, templates)) / count / 1024:.0f} KiB each, encoded in "
          f"{time.monotonic() - start:.1f} s; trace and span IDs re-randomized for every export", flush=True)
    phases = [run_phase(args, t, templates, postmaster)
              for t in (["grpc", "http"] if args.transport == "both" else [args.transport])]
    print_summary(phases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
