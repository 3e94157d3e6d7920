"""Raw OTLP requests built with the opentelemetry-proto classes, and comparisons between what a
client sent and Vigil's JSON form of values."""

from __future__ import annotations

import base64
import json
import math
import os
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

from vigil_server import JSON, PROTOBUF, VigilServer  # noqa: F401  (re-exported for the tests)

# --- Raw OTLP requests ----------------------------------------------------------------------

def random_trace_id() -> bytes:
    return os.urandom(16)


def random_span_id() -> bytes:
    return os.urandom(8)


def make_span(trace_id: bytes, span_id: bytes, name: str = "op", start_ns: int | None = None,
              duration_ns: int = 1_000_000) -> trace_pb2.Span:
    start = start_ns if start_ns is not None else time.time_ns()
    return trace_pb2.Span(trace_id=trace_id, span_id=span_id, name=name, kind=trace_pb2.Span.SPAN_KIND_SERVER,
                          start_time_unix_nano=start, end_time_unix_nano=start + duration_ns)


def _resource(service: str) -> resource_pb2.Resource:
    return resource_pb2.Resource(attributes=[
        common_pb2.KeyValue(key="service.name", value=common_pb2.AnyValue(string_value=service))])


_SCOPE = common_pb2.InstrumentationScope(name="interop")


def traces_request(spans: list[trace_pb2.Span], service: str = "interop-raw") -> trace_service_pb2.ExportTraceServiceRequest:
    return trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
        resource=_resource(service), scope_spans=[trace_pb2.ScopeSpans(scope=_SCOPE, spans=spans)])])


def logs_request(records: list[logs_pb2.LogRecord], service: str = "interop-raw") -> logs_service_pb2.ExportLogsServiceRequest:
    return logs_service_pb2.ExportLogsServiceRequest(resource_logs=[logs_pb2.ResourceLogs(
        resource=_resource(service), scope_logs=[logs_pb2.ScopeLogs(scope=_SCOPE, log_records=records)])])


def gauge_request(name: str, times_ns: list[int], service: str = "interop-raw") -> metrics_service_pb2.ExportMetricsServiceRequest:
    points = [metrics_pb2.NumberDataPoint(time_unix_nano=t, as_double=1.5) for t in times_ns]
    metric = metrics_pb2.Metric(name=name, gauge=metrics_pb2.Gauge(data_points=points))
    return metrics_service_pb2.ExportMetricsServiceRequest(resource_metrics=[metrics_pb2.ResourceMetrics(
        resource=_resource(service), scope_metrics=[metrics_pb2.ScopeMetrics(scope=_SCOPE, metrics=[metric])])])


# Per signal: HTTP path, gRPC method, response message, partial_success count field.
SIGNALS = {
    "traces": ("/v1/traces", "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
               trace_service_pb2.ExportTraceServiceResponse, "rejected_spans"),
    "metrics": ("/v1/metrics", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
                metrics_service_pb2.ExportMetricsServiceResponse, "rejected_data_points"),
    "logs": ("/v1/logs", "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
             logs_service_pb2.ExportLogsServiceResponse, "rejected_log_records"),
}


@dataclass
class PartialCase:
    """A request with one invalid item and one valid one, and how to find the valid one stored."""
    signal: str
    request: object
    keyword: str                                # the problem the error message must name
    stored_count: Callable[[VigilServer], int]  # how many copies of the valid item are stored


def partial_case(signal: str) -> PartialCase:
    now = time.time_ns()
    marker = "interop-" + uuid.uuid4().hex
    if signal == "traces":
        trace_id, span_id = random_trace_id(), random_span_id()
        request = traces_request([make_span(b"\xab\xcd", random_span_id(), "bad"), make_span(trace_id, span_id, "good")])
        return PartialCase(signal, request, "traceId", lambda s: len(stored_span_ids(s, trace_id) & {span_id}))
    if signal == "logs":
        records = [logs_pb2.LogRecord(time_unix_nano=now, trace_id=b"\xab\xcd", span_id=random_span_id(),
                                      body=common_pb2.AnyValue(string_value="bad")),
                   logs_pb2.LogRecord(time_unix_nano=now, body=common_pb2.AnyValue(string_value=marker))]
        return PartialCase(signal, logs_request(records), "traceId", lambda s: s.query(
            "SELECT count(*) FROM logs WHERE body = %s::jsonb", (json.dumps(marker),))[0][0])
    month_ago = now - 30 * 86_400 * 10**9
    return PartialCase(signal, gauge_request(marker, [month_ago, now]), "time", lambda s: s.query(
        "SELECT count(*) FROM metric_points p JOIN metric_series m USING (series_id) WHERE m.name = %s", (marker,))[0][0])


def stored_span_ids(server: VigilServer, trace_id: bytes) -> set[bytes]:
    rows = server.query("SELECT span_id FROM spans WHERE trace_id = %s", (trace_id,))
    return {bytes(r[0]) for r in rows}


# --- Vigil's JSON form of values ------------------------------------------------------------

def vigil_value(value):
    """What Vigil's JSON should hold for an OTLP attribute/body value sent from Python."""
    if isinstance(value, (bool, str, int)) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) and "e" not in repr(value) else {"doubleValue": value}
    if isinstance(value, (bytes, bytearray)):
        return {"bytesValue": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict):
        return {"kvlistValue": {k: vigil_value(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [vigil_value(v) for v in value]
    raise TypeError(f"no OTLP value for {value!r}")


def vigil_attributes(attributes) -> dict:
    return {k: vigil_value(v) for k, v in dict(attributes or {}).items()}


def assert_json_equal(actual, expected, path: str = "$") -> None:
    """Deep equality that also tells int, float and bool apart (Python's == does not)."""
    if isinstance(expected, dict) and set(expected) == {"doubleValue"}:
        assert isinstance(actual, dict) and set(actual) == {"doubleValue"}, f"{path}: expected {expected}, got {actual!r}"
        number = actual["doubleValue"]
        assert isinstance(number, (int, float)) and not isinstance(number, bool), f"{path}: {actual!r}"
        assert float(number) == expected["doubleValue"], f"{path}: expected {expected}, got {actual!r}"
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        assert set(actual) == set(expected), f"{path}: keys {sorted(actual)} != expected {sorted(expected)}"
        for key in expected:
            assert_json_equal(actual[key], expected[key], f"{path}.{key}")
        return
    if isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: length {len(actual)} != {len(expected)}: {actual!r}"
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_json_equal(a, e, f"{path}[{index}]")
        return
    assert type(actual) is type(expected), f"{path}: expected {expected!r} ({type(expected).__name__}), got {actual!r} ({type(actual).__name__})"
    assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


def pb_value(value: common_pb2.AnyValue):
    """A protobuf AnyValue as the Python value an SDK would have held."""
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [pb_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return pb_attributes(value.kvlist_value.values)
    return getattr(value, kind)


def pb_attributes(key_values) -> dict:
    return {kv.key: pb_value(kv.value) for kv in key_values}
