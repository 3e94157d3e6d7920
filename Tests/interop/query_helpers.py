"""Seed data for the read-API tests (spans and logs with deterministic IDs and times
relative to an anchor), its OTLP encoding, and helpers for calling the API and checking errors.

Every expectation of the test_query_* modules is computed from `Seed`, never copied from output."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
import requests
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

from otlp_helpers import SIGNALS

MS, SEC, MIN = 10**6, 10**9, 60 * 10**9
INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER = 1, 2, 3, 4, 5
UNSET, OK, ERROR = 0, 1, 2
KIND_NAMES = {0: "unspecified", 1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}
SEVERITY_TEXT = {1: "TRACE", 5: "DEBUG", 9: "INFO", 13: "WARN", 17: "ERROR", 21: "FATAL"}
RESOURCES = {
    "checkout": {"deployment.environment": "prod"},
    "inventory": {"deployment.environment": "prod"},
    "payments": {"deployment.environment": "staging"},
    "worker": {"deployment.environment": "staging", "worker.pool": "blue"},
}
SCOPE = common_pb2.InstrumentationScope(name="vigil.interop.query", version="1.0.0")
CART_TRACES, ORDER_TRACES = 20, 4
ORPHAN, OLD = 200, 300  # trace numbers of the trace without a root span and of the two-hour-old trace


def trace_hex(n: int) -> str:
    return f"5eed{n:028x}"


def attr_text(value) -> str:
    """An attribute value as the API's attr.<key>= filter compares it: JSON text for numbers and booleans."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def has_attr(attrs: dict, service: str, key: str, text: str) -> bool:
    """attr.<key>=<text>: the item's attribute OR its resource's attribute matches."""
    resource_attrs = {"service.name": service, **RESOURCES[service]}
    return any(key in a and attr_text(a[key]) == text for a in (attrs, resource_attrs))


def span_hex(n: int, k: int) -> str:
    return f"{n:08x}{k + 1:08x}"


def cart_duration(i: int) -> int:
    """10 ms ... 2 s, geometric (about 32% apart), in an order unrelated to time."""
    return round(10 * MS * 200 ** (((i * 7) % 20) / 19))


@dataclass
class SeedSpan:
    trace: int
    index: int
    service: str
    name: str
    kind: int
    start: int
    duration: int
    status: int = UNSET
    attrs: dict = field(default_factory=dict)
    parent: int | None = None  # index of the parent span; -1: a parent that was never stored

    @property
    def end(self) -> int:
        return self.start + self.duration

    @property
    def trace_hex(self) -> str:
        return trace_hex(self.trace)

    @property
    def span_hex(self) -> str:
        return span_hex(self.trace, self.index)

    @property
    def parent_hex(self) -> str | None:
        if self.parent is None:
            return None
        return f"{self.trace:08x}ffffffff" if self.parent < 0 else span_hex(self.trace, self.parent)

    def has_attr(self, key: str, text: str) -> bool:
        return has_attr(self.attrs, self.service, key, text)


@dataclass
class SeedLog:
    time: int
    service: str
    severity: int
    body: object  # str, dict (a kvlist body) or None (no body)
    attrs: dict = field(default_factory=dict)
    trace: int | None = None
    span: int | None = None

    @property
    def trace_hex(self) -> str | None:
        return None if self.trace is None else trace_hex(self.trace)

    @property
    def span_hex(self) -> str | None:
        return None if self.span is None else span_hex(self.trace, self.span)

    def has_attr(self, key: str, text: str) -> bool:
        return has_attr(self.attrs, self.service, key, text)


@dataclass
class Seed:
    t0: int  # a multiple of ten minutes, 30 to 40 minutes ago
    spans: list[SeedSpan]
    logs: list[SeedLog]

    def trace_numbers(self) -> list[int]:
        return sorted({s.trace for s in self.spans})

    def trace_spans(self, n: int) -> list[SeedSpan]:
        return [s for s in self.spans if s.trace == n]


def make_seed(now_ns: int) -> Seed:
    t0 = (now_ns - 30 * MIN) // (10 * MIN) * (10 * MIN)
    spans: list[SeedSpan] = []
    logs: list[SeedLog] = []
    for i in range(CART_TRACES):
        s = t0 + i * 12 * SEC + SEC
        failed = i % 5 == 3
        spans.append(SeedSpan(i, 0, "checkout", "GET /cart", SERVER, s, cart_duration(i), ERROR if failed else (OK if i % 2 == 0 else UNSET),
                              {"http.route": "/cart", "http.response.status_code": 500 if failed else 200, "user.id": f"u{i}"}))
        spans.append(SeedSpan(i, 1, "checkout", "SELECT cart", CLIENT, s + MS, 4 * MS, attrs={"db.system": "postgresql"}, parent=0))
        logs.append(SeedLog(s + 3 * MS, "checkout", 9, f"Cart loaded for user u{i}", {"user.id": f"u{i}"}, i, 0))
        if i % 2 == 0:
            spans.append(SeedSpan(i, 2, "inventory", "GET /stock", SERVER, s + 2 * MS, (3 + i) * MS,
                                  attrs={"http.route": "/stock", "http.response.status_code": 200}, parent=0))
            logs.append(SeedLog(s + 4 * MS, "inventory", 13, f"Stock LOW for sku-{i}", {"sku": f"sku-{i}"}, i, 2))
        if failed:
            logs.append(SeedLog(s + 5 * MS, "checkout", 17, {"event": "Cart Failure", "status": 500},
                                {"http.response.status_code": 500}, i, 0))
    logs.append(SeedLog(t0 + SEC + 6 * MS, "checkout", 9, "trace-level note", {}, 0, None))
    for j in range(ORDER_TRACES):
        n, s, failed = 100 + j, t0 + 250 * SEC + j * 15 * SEC, j == 1
        spans += [
            SeedSpan(n, 0, "checkout", "POST /orders", SERVER, s, 1500 * MS + j * 100 * MS, ERROR if failed else OK,
                     {"http.route": "/orders", "http.response.status_code": 502 if failed else 201}),
            SeedSpan(n, 1, "checkout", "POST /charge", CLIENT, s + 10 * MS, 300 * MS + j * 10 * MS, ERROR if failed else UNSET, parent=0),
            SeedSpan(n, 2, "payments", "POST /charge", SERVER, s + 12 * MS, 290 * MS + j * 10 * MS, ERROR if failed else UNSET,
                     {"http.route": "/charge", "http.response.status_code": 402 if failed else 200}, parent=1),
            SeedSpan(n, 3, "worker", "process order", CONSUMER, s + 400 * MS, (50 + 200 * j) * MS, parent=0),
            SeedSpan(n, 4, "worker", "validate order", INTERNAL, s + 410 * MS, 20 * MS, parent=3),
        ]
        logs.append(SeedLog(s + 401 * MS, "worker", 5, f"Dequeued order o{j}", {"order.id": f"o{j}"}, n, 3))
        if failed:
            logs.append(SeedLog(s + 20 * MS, "payments", 17, "Card declined by issuer", {"http.response.status_code": 402}, n, 2))
    # No span without a parent: the root is the earliest span (the worker's, though sent second). It starts
    # between trace 101's root and its newest span, so "newest matching span" and "trace start" orders differ.
    s = t0 + 265 * SEC + 200 * MS
    spans.append(SeedSpan(ORPHAN, 0, "inventory", "GET /stock", SERVER, s + MS, 7 * MS, ERROR,
                          {"http.route": "/stock", "http.response.status_code": 503}, parent=-1))
    spans.append(SeedSpan(ORPHAN, 1, "worker", "process order", CONSUMER, s, 30 * MS, parent=-1))
    spans.append(SeedSpan(OLD, 0, "checkout", "GET /health", SERVER, t0 - 120 * MIN, MS, OK, {"http.route": "/health"}))
    logs.append(SeedLog(t0 - 120 * MIN + MS, "checkout", 9, "health ok", {}, OLD, 0))
    logs += [
        SeedLog(t0 + 10 * MS, "worker", 5, "worker started", {"worker.id": 7}),
        SeedLog(t0 + 320 * SEC, "worker", 21, "worker crashed: Out Of Memory", {"exit.code": 137}),
        SeedLog(t0 + 330 * SEC, "checkout", 1, "heartbeat", {}),
        SeedLog(t0 + 331 * SEC, "checkout", 9, None, {"event.kind": "nobody"}),
    ]
    return Seed(t0, spans, logs)


# --- OTLP encoding ----------------------------------------------------------------------------

def any_value(value) -> common_pb2.AnyValue:
    if isinstance(value, bool):
        return common_pb2.AnyValue(bool_value=value)
    if isinstance(value, int):
        return common_pb2.AnyValue(int_value=value)
    if isinstance(value, float):
        return common_pb2.AnyValue(double_value=value)
    if isinstance(value, dict):
        return common_pb2.AnyValue(kvlist_value=common_pb2.KeyValueList(values=key_values(value)))
    return common_pb2.AnyValue(string_value=value)


def key_values(attrs: dict) -> list[common_pb2.KeyValue]:
    return [common_pb2.KeyValue(key=k, value=any_value(v)) for k, v in attrs.items()]


def resource(service: str) -> resource_pb2.Resource:
    return resource_pb2.Resource(attributes=key_values({"service.name": service, **RESOURCES[service]}))


def by_service(items) -> dict[str, list]:
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.service, []).append(item)
    return groups


def encode_span(s: SeedSpan) -> trace_pb2.Span:
    return trace_pb2.Span(
        trace_id=bytes.fromhex(s.trace_hex), span_id=bytes.fromhex(s.span_hex), name=s.name, kind=s.kind,
        parent_span_id=bytes.fromhex(s.parent_hex) if s.parent_hex else b"", start_time_unix_nano=s.start,
        end_time_unix_nano=s.end, attributes=key_values(s.attrs), status=trace_pb2.Status(code=s.status))


def encode_log(r: SeedLog) -> logs_pb2.LogRecord:
    record = logs_pb2.LogRecord(time_unix_nano=r.time, observed_time_unix_nano=r.time + MS, severity_number=r.severity,
                                severity_text=SEVERITY_TEXT[r.severity], attributes=key_values(r.attrs))
    if r.body is not None:
        record.body.CopyFrom(any_value(r.body))
    if r.trace is not None:
        record.trace_id = bytes.fromhex(r.trace_hex)
    if r.span is not None:
        record.span_id = bytes.fromhex(r.span_hex)
    return record


def push(server, seed: Seed) -> None:
    """Exports the seed's spans and logs over OTLP/HTTP protobuf; every item must be accepted."""
    requests_by_path = {
        "/v1/traces": trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
            resource=resource(svc), scope_spans=[trace_pb2.ScopeSpans(scope=SCOPE, spans=[encode_span(s) for s in items])])
            for svc, items in by_service(seed.spans).items()]),
        "/v1/logs": logs_service_pb2.ExportLogsServiceRequest(resource_logs=[logs_pb2.ResourceLogs(
            resource=resource(svc), scope_logs=[logs_pb2.ScopeLogs(scope=SCOPE, log_records=[encode_log(r) for r in items])])
            for svc, items in by_service(seed.logs).items()]),
    }
    for path, request in requests_by_path.items():
        post_otlp(server, path, request)


def post_otlp(server, path: str, request) -> None:
    answer = server.post(path, request.SerializeToString())
    assert answer.status_code == 200, f"POST {path}: HTTP {answer.status_code} {answer.content[:300]!r}"
    _, _, response_class, rejected_field = SIGNALS[path.removeprefix("/v1/")]
    response = response_class.FromString(answer.content)
    assert getattr(response.partial_success, rejected_field) == 0, f"POST {path} rejected items: {response}"


@pytest.fixture(scope="module")
def seeded(module_server_factory):
    """(server, seed): a fresh server of the module holding exactly the seed data."""
    server = module_server_factory.start()
    seed = make_seed(time.time_ns())
    push(server, seed)
    return server, seed


# --- The API ----------------------------------------------------------------------------------

def api(server, path: str, params=None, headers: dict | None = None) -> requests.Response:
    """GET on the API port; `params` is a dict or a list of pairs (for repeated keys), sent with
    spaces as %20 (test_query_traces checks `+` separately)."""
    query = urlencode(params or [], quote_via=quote)
    return requests.get(server.api_url + path + (f"?{query}" if query else ""), headers=headers, timeout=30)


def ok_json(server, path: str, params=None) -> dict:
    answer = api(server, path, params)
    assert answer.status_code == 200, f"GET {answer.url}: HTTP {answer.status_code} {answer.text[:500]}"
    assert answer.headers.get("Content-Type", "").startswith("application/json"), answer.headers
    return answer.json()


def assert_error(answer: requests.Response, status: int, code: str, parameter: str | None = None) -> str:
    """Checks the one error shape; with `parameter`, that the message starts `parameter <name>: `."""
    assert answer.status_code == status, f"GET {answer.url}: expected HTTP {status}, got {answer.status_code} {answer.text[:300]}"
    body = answer.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    message = body["error"]["message"]
    if parameter is not None:
        prefix = f"parameter {parameter}: "
        assert message.startswith(prefix) and len(message) > len(prefix), f"GET {answer.url}: message {message!r} should start {prefix!r}"
    return message


def is_integer_text(value) -> bool:
    """IDs (resourceId, scopeId, seriesId) are 64-bit integers as strings, possibly negative."""
    return isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value) is not None


def all_pages(server, path: str, params: list, key: str, max_pages: int = 100) -> list[list]:
    """Every page of a paginated listing, following nextCursor until it is null."""
    pages, cursor = [], None
    for _ in range(max_pages):
        body = ok_json(server, path, params + ([("cursor", cursor)] if cursor else []))
        pages.append(body[key])
        cursor = body["nextCursor"]
        if cursor is None:
            return pages
        assert isinstance(cursor, str) and cursor, body
    raise AssertionError(f"{path} {params}: more than {max_pages} pages")
