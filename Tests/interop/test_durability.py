"""An acknowledged export is committed: SIGKILL a server under load and every span it answered
200 for is in the database; a server restarted on that database serves them."""

from __future__ import annotations

import struct
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

from otlp_helpers import PROTOBUF, make_span, random_trace_id, traces_request

CLIENTS = 4
SPANS_PER_EXPORT = 50
LOAD_SECONDS = 3.0
MIN_ACKNOWLEDGED_SPANS = 400


@dataclass
class Client:
    """Sends exports of 50 spans in a loop until the server stops answering or `stop` is set."""
    index: int
    url: str
    stop: threading.Event
    acknowledged: list[tuple[bytes, bytes]] = field(default_factory=list)  # (trace ID, span ID)
    acknowledged_traces: list[bytes] = field(default_factory=list)
    connection_errors: int = 0
    unavailable: int = 0  # 503: the server asked the client to retry later, nothing acknowledged
    unexpected: list[str] = field(default_factory=list)
    sequence: int = 0

    def next_span_id(self) -> bytes:
        self.sequence += 1
        return struct.pack(">Q", (self.index + 1) << 48 | self.sequence)

    def run(self) -> None:
        session = requests.Session()
        deadline = time.monotonic() + 60  # bound the loop even if the kill never comes
        while not self.stop.is_set() and time.monotonic() < deadline:
            trace_id = random_trace_id()
            span_ids = [self.next_span_id() for _ in range(SPANS_PER_EXPORT)]
            body = traces_request([make_span(trace_id, s, f"load-{self.index}") for s in span_ids], "interop-durability")
            try:
                answer = session.post(self.url, data=body.SerializeToString(), headers={"Content-Type": PROTOBUF}, timeout=10)
            except requests.RequestException:
                self.connection_errors += 1
                break  # the server is gone; what was not answered is not acknowledged
            if answer.status_code == 503:
                self.unavailable += 1
                continue
            if answer.status_code != 200:
                self.unexpected.append(f"HTTP {answer.status_code}: {answer.content[:200]!r}")
                continue
            response = trace_service_pb2.ExportTraceServiceResponse.FromString(answer.content)
            if response.HasField("partial_success"):
                self.unexpected.append(f"partial success: {response.partial_success}")
                continue
            self.acknowledged.extend((trace_id, s) for s in span_ids)
            self.acknowledged_traces.append(trace_id)


@dataclass
class KilledRun:
    database: str
    clients: list[Client]
    stored: set[bytes]


@pytest.fixture(scope="module")
def killed_run(module_server_factory) -> KilledRun:
    database = module_server_factory.new_database()
    server = module_server_factory.start(database)
    stop = threading.Event()
    clients = [Client(i, server.http_url + "/v1/traces", stop) for i in range(CLIENTS)]
    threads = [threading.Thread(target=c.run, name=f"durability-client-{c.index}") for c in clients]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS)  # let the load run; the kill lands while clients are mid-export
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads), "a client did not stop"
    stored = {bytes(r[0]) for r in server.query("SELECT span_id FROM spans")}
    return KilledRun(database, clients, stored)


def test_every_acknowledged_span_survives_sigkill(killed_run):
    for client in killed_run.clients:
        assert not client.unexpected, f"client {client.index}: {client.unexpected[:3]}"
    acknowledged = {span_id for client in killed_run.clients for _, span_id in client.acknowledged}
    assert len(acknowledged) >= MIN_ACKNOWLEDGED_SPANS, f"only {len(acknowledged)} spans acknowledged before the kill"
    missing = acknowledged - killed_run.stored
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged spans are not in the database"
    assert sum(c.connection_errors for c in killed_run.clients) >= 1, "no client saw the server go away"


def test_restarted_server_serves_traces_acknowledged_before_the_kill(module_server_factory, killed_run):
    server = module_server_factory.start(killed_run.database)
    for client in killed_run.clients:
        assert client.acknowledged_traces, f"client {client.index} had nothing acknowledged"
        for trace_id in (client.acknowledged_traces[0], client.acknowledged_traces[-1]):
            answer = server.get_trace(trace_id.hex())
            assert answer.status_code == 200, answer.text
            spans = answer.json()["spans"]
            expected = sorted(s.hex() for t, s in client.acknowledged if t == trace_id)
            assert sorted(s["spanId"] for s in spans) == expected
            assert {s["name"] for s in spans} == {f"load-{client.index}"}
    # The restarted server also takes new data on the old database.
    trace_id = random_trace_id()
    body = traces_request([make_span(trace_id, struct.pack(">Q", 1 << 62))]).SerializeToString()
    assert server.post("/v1/traces", body).status_code == 200
    assert server.get_trace(trace_id.hex()).status_code == 200


def test_sigterm_stops_the_server_cleanly_after_committing(server_factory):
    database = server_factory.new_database()
    server = server_factory.start(database)
    trace_id = random_trace_id()
    body = traces_request([make_span(trace_id, struct.pack(">Q", 7))]).SerializeToString()
    assert server.post("/v1/traces", body).status_code == 200
    started = time.monotonic()
    assert server.stop() == 0, "vigil serve did not exit with 0 on SIGTERM"
    assert time.monotonic() - started < 10, "graceful shutdown took longer than 10 s"
    assert server.query("SELECT count(*) FROM spans WHERE trace_id = %s", (trace_id,)) == [(1,)]
