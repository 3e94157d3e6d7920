"""Spans from the OpenTelemetry Python SDK, over OTLP/gRPC and OTLP/HTTP, read back through the
trace API and SQL field by field."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

from otlp_helpers import assert_json_equal, vigil_attributes
from sdk_helpers import OTLP_SPAN_KIND, TRANSPORTS, assert_all_exported, make_exporter

# Values of every attribute type; 1.5e300 and 2.5e-10 are doubles that JSON would write in exponent form.
ALL_TYPES = {
    "str": "hello", "bool": True, "int": -42, "big.int": 2**62, "float": 0.75, "float.whole": 2.0,
    "float.huge": 1.5e300, "float.tiny": 2.5e-10, "bytes": b"\x00\x01\xfe",
    "str.list": ["a", "b"], "bool.list": [True, False], "int.list": [1, 2, 3], "float.list": [1.5, -2.25],
}


def run_scenario(exporter, service: str):
    """Creates a small trace with the SDK and exports it; returns (spans by name, provider, other trace's span)."""
    resource = Resource.create({
        "service.name": service, "service.version": "9.8.7", "host.up": True, "host.cpus": 4, "host.load": 0.5,
        "names": ["x", "y"], "flags.list": [False, True], "ports": [80, 443], "weights": [0.25, 0.5]})
    provider = TracerProvider(resource=resource)
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    tracer = provider.get_tracer("vigil.interop.traces", "1.2.3")
    with tracer.start_as_current_span("enqueue", kind=SpanKind.PRODUCER) as producer:
        pass
    with tracer.start_as_current_span("GET /orders", kind=SpanKind.SERVER, attributes=ALL_TYPES):
        with tracer.start_as_current_span(
                "SELECT orders", kind=SpanKind.CLIENT,
                links=[Link(producer.get_span_context(), {"link.reason": "batch", "link.n": 7})]) as child:
            child.set_attributes({"db.system": "postgresql", "db.rows": 12, "db.ratio": 0.125, "db.ok": False})
            child.add_event("cache miss", {"cache.key": "orders:1", "cache.tries": 3, "cache.hot": False,
                                           "cache.fill": 0.5, "cache.tags": ["a", "b"]})
            child.set_status(Status(StatusCode.ERROR, "database timed out"))
    assert provider.force_flush(10_000), "force_flush timed out"
    provider.shutdown()
    assert_all_exported(exporter)
    spans = {span.name: span for span in memory.get_finished_spans()}
    assert set(spans) == {"enqueue", "GET /orders", "SELECT orders"}
    return spans, provider


def check_api_span(actual: dict, span, encoded) -> None:
    context = span.get_span_context()
    assert actual["traceId"] == f"{context.trace_id:032x}"
    assert actual["spanId"] == f"{context.span_id:016x}"
    assert actual["parentSpanId"] == (f"{span.parent.span_id:016x}" if span.parent else None)
    assert actual["traceState"] == encoded.trace_state
    assert actual["flags"] == encoded.flags
    assert actual["name"] == span.name
    assert actual["kind"] == OTLP_SPAN_KIND[span.kind]
    assert actual["startTimeUnixNano"] == str(span.start_time)
    assert actual["endTimeUnixNano"] == str(span.end_time)
    assert_json_equal(actual["attributes"], vigil_attributes(span.attributes), f"{span.name}.attributes")
    assert actual["droppedAttributesCount"] == span.dropped_attributes == 0
    assert len(actual["events"]) == len(span.events)
    for got, event in zip(actual["events"], span.events):
        assert int(got["timeUnixNano"]) == event.timestamp
        assert got["name"] == event.name
        assert_json_equal(got["attributes"], vigil_attributes(event.attributes), f"{span.name}.events.attributes")
        assert got["droppedAttributesCount"] == 0
    assert actual["droppedEventsCount"] == 0
    assert len(actual["links"]) == len(span.links)
    for got, link, encoded_link in zip(actual["links"], span.links, encoded.links):
        assert got["traceId"] == f"{link.context.trace_id:032x}"
        assert got["spanId"] == f"{link.context.span_id:016x}"
        assert got["traceState"] == ""
        assert_json_equal(got["attributes"], vigil_attributes(link.attributes), f"{span.name}.links.attributes")
        assert got["droppedAttributesCount"] == 0
        assert got["flags"] == encoded_link.flags
    assert actual["droppedLinksCount"] == 0
    assert actual["status"] == {"code": span.status.status_code.value, "message": span.status.description or ""}
    assert actual["serviceName"] == span.resource.attributes["service.name"]


def encoded_spans(spans) -> dict:
    """The protobuf spans the SDK's encoder produced for `spans`, by name (for flags and trace state)."""
    request = encode_spans(list(spans))
    return {s.name: s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_sdk_spans_are_stored_and_served_field_by_field(vigil, transport):
    exporter = make_exporter(vigil, "traces", transport, gzip=True)
    spans, provider = run_scenario(exporter, f"interop-traces-{transport}")
    root, child, producer = spans["GET /orders"], spans["SELECT orders"], spans["enqueue"]
    trace_id = f"{root.context.trace_id:032x}"
    assert child.context.trace_id == root.context.trace_id != producer.context.trace_id
    encoded = encoded_spans(spans.values())

    answer = vigil.get_trace(trace_id)
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["traceId"] == trace_id
    by_name = {s["name"]: s for s in document["spans"]}
    assert sorted(by_name) == ["GET /orders", "SELECT orders"]
    assert [s["name"] for s in document["spans"]] == ["GET /orders", "SELECT orders"], "ordered by start time"
    for name in by_name:
        check_api_span(by_name[name], spans[name], encoded[name])
    assert by_name["SELECT orders"]["parentSpanId"] == f"{root.context.span_id:016x}"

    resource = provider.resource
    assert len(document["resources"]) == 1
    stored_resource = document["resources"][0]
    assert stored_resource["serviceName"] == f"interop-traces-{transport}"
    assert_json_equal(stored_resource["attributes"], vigil_attributes(resource.attributes), "resource.attributes")
    assert stored_resource["droppedAttributesCount"] == 0
    assert stored_resource["entityRefs"] == []
    assert stored_resource["schemaUrl"] == (resource.schema_url or "")
    assert all(s["resourceId"] == stored_resource["resourceId"] for s in document["spans"])

    assert len(document["scopes"]) == 1
    scope = document["scopes"][0]
    assert (scope["name"], scope["version"], scope["attributes"], scope["schemaUrl"]) == ("vigil.interop.traces", "1.2.3", {}, "")
    assert all(s["scopeId"] == scope["scopeId"] for s in document["spans"])
    assert document["logs"] == [] and document["exemplars"] == []

    other = vigil.get_trace(f"{producer.context.trace_id:032x}")
    assert other.status_code == 200, other.text
    assert [s["spanId"] for s in other.json()["spans"]] == [f"{producer.context.span_id:016x}"]
    assert other.json()["spans"][0]["kind"] == 4


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_sdk_spans_rows_hold_exact_ids_and_timestamps(vigil, transport):
    exporter = make_exporter(vigil, "traces", transport)
    spans, _ = run_scenario(exporter, f"interop-traces-sql-{transport}")
    root = spans["GET /orders"]
    rows = vigil.query(
        "SELECT span_id, parent_span_id, start_time_unix_nano, end_time_unix_nano, time, kind, status_code, status_message,"
        " name, service_name FROM spans WHERE trace_id = %s ORDER BY start_time_unix_nano",
        (root.context.trace_id.to_bytes(16, "big"),))
    expected = [spans["GET /orders"], spans["SELECT orders"]]
    assert len(rows) == len(expected)
    for row, span in zip(rows, expected):
        span_id, parent, start, end, partition_time, kind, status_code, status_message, name, service = row
        assert bytes(span_id) == span.context.span_id.to_bytes(8, "big")
        assert (bytes(parent) if parent is not None else None) == (
            span.parent.span_id.to_bytes(8, "big") if span.parent else None)
        assert (start, end) == (span.start_time, span.end_time)
        micros = span.start_time // 1000
        assert partition_time == datetime.fromtimestamp(micros // 10**6, timezone.utc).replace(microsecond=micros % 10**6)
        assert (kind, status_code, name) == (OTLP_SPAN_KIND[span.kind], span.status.status_code.value, span.name)
        assert status_message == (span.status.description or "")
        assert service == f"interop-traces-sql-{transport}"
    first, last = vigil.query("SELECT first_time, last_time FROM traces WHERE trace_id = %s",
                              (root.context.trace_id.to_bytes(16, "big"),))[0]
    assert first <= rows[0][4] and last >= rows[-1][4]
