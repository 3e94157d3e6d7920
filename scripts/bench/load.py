"""Client processes that export pre-encoded OTLP trace requests over gRPC or HTTP, and /proc
accounting of the processes under test."""

from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import time
from dataclasses import dataclass, field

from otlp_payload import personalize

GRPC_METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- /proc ----------------------------------------------------------------------------------

def _stat_fields(path: str) -> list[str]:
    with open(path) as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd on (after "pid (comm)")


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime + stime of a process (and of its reaped children with `children`), in seconds."""
    f = _stat_fields(f"/proc/{pid}/stat")
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children else 0)
    return ticks / CLK_TCK


def thread_cpu(pid: int) -> dict[int, tuple[str, float]]:
    """Per-thread name and CPU seconds."""
    result = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            f_ = _stat_fields(f"/proc/{pid}/task/{tid}/stat")
            result[int(tid)] = (name, (int(f_[11]) + int(f_[12])) / CLK_TCK)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return result


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` (with its reaped children) and of its living children: PostgreSQL's
    postmaster and all its backends and auxiliary processes."""
    total = cpu_seconds(root, children=True)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                f = _stat_fields(f"/proc/{entry}/stat")
                if int(f[1]) == root:
                    total += (int(f[11]) + int(f[12])) / CLK_TCK
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
    return total


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def status_kib(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


# --- clients --------------------------------------------------------------------------------

@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful exports
    acked_spans: int = 0
    partial: int = 0       # 200 / OK with a non-empty answer (partial_success)
    errors: dict = field(default_factory=dict)  # status -> count
    cpu: float = 0.0       # client process CPU seconds during the timed phase
    end: float = 0.0       # time.monotonic() after the last answer


def _sender(transport: str, port: int):
    """A function that sends one body and returns (ok, status, answer)."""
    if transport == "http":
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Content-Type": "application/x-protobuf"}

        def send(body: bytes):
            conn.request("POST", "/v1/traces", body, headers)
            answer = conn.getresponse()
            data = answer.read()
            return answer.status == 200, answer.status, data
        return send
    import grpc  # imported in the child only: gRPC's state must not cross fork()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=[
        ("grpc.max_send_message_length", 256 << 20), ("grpc.max_receive_message_length", 16 << 20)])
    call = channel.unary_unary(GRPC_METHOD, request_serializer=None, response_deserializer=None)

    def send(body: bytes):
        try:
            return True, "OK", call(body, timeout=120)
        except grpc.RpcError as error:
            return False, error.code().name, b""
    return send


def _client(index, transport, port, templates, spans, ready, go, deadline, results):
    result = ClientResult()
    try:
        send = _sender(transport, port)
        ok, status, _ = send(personalize(templates[index % len(templates)]))  # warm-up, not timed
        if not ok:
            raise RuntimeError(f"warm-up export failed: {status}")
        ready.wait()
        go.wait()
        cpu0, i = time.process_time(), index
        while time.monotonic() < deadline.value:
            i += 1
            body = personalize(templates[i % len(templates)])
            start = time.perf_counter()
            ok, status, answer = send(body)
            elapsed = time.perf_counter() - start
            if ok:
                result.latencies.append(elapsed)
                result.acked_spans += spans
                result.partial += bool(answer)
            else:
                result.errors[status] = result.errors.get(status, 0) + 1
        result.end = time.monotonic()
        result.cpu = time.process_time() - cpu0
        results.put(result)
    except BaseException as error:  # report instead of hanging the parent
        results.put(f"client {index}: {error!r}")
        try:
            ready.abort()
        except Exception:
            pass


def run_load(transport: str, port: int, templates: list[bytes], spans: int, clients: int,
             seconds: float, on_start, on_end) -> tuple[float, list[ClientResult]]:
    """Runs `clients` processes for `seconds`; calls on_start() once all are connected and warmed
    up (just before they start) and on_end() once all have stopped. Returns (duration, results)."""
    ctx = mp.get_context("fork")
    ready, go = ctx.Barrier(clients + 1), ctx.Event()
    deadline, results = ctx.Value("d", 0.0), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(i, transport, port, templates, spans, ready, go, deadline, results),
                         daemon=True) for i in range(clients)]
    for p in procs:
        p.start()
    try:
        try:
            ready.wait(timeout=120)
        except Exception:
            raise RuntimeError("clients did not get ready: " + "; ".join(
                str(r) for r in _drain(results) if isinstance(r, str)) or "timeout")
        on_start()
        start = time.monotonic()
        deadline.value = start + seconds
        go.set()
        collected = [results.get(timeout=seconds + 300) for _ in procs]
        on_end()
        failures = [r for r in collected if isinstance(r, str)]
        if failures:
            raise RuntimeError("; ".join(failures))
        return max(r.end for r in collected) - start, collected
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()


def _drain(queue) -> list:
    items = []
    while True:
        try:
            items.append(queue.get(timeout=0.5))
        except Exception:
            return items
