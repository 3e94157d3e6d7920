"""Log records from the OpenTelemetry Python SDK (through the `logging` bridge and the Logger API)
over OTLP/gRPC and OTLP/HTTP, read back through the trace API and SQL."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import pytest
from opentelemetry._logs import SeverityNumber
from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

from otlp_helpers import assert_json_equal, pb_attributes, pb_value, vigil_attributes, vigil_value
from sdk_helpers import TRANSPORTS, assert_all_exported, make_exporter

STRUCTURED_BODIES = {
    "interop.kvlist": {"user": "ann", "id": 7, "score": 0.5, "tags": ["a", "b"], "raw": b"\x01\x02", "nested": {"ok": True}},
    "interop.array": [1, "two", 3.5, False],
    "interop.bytes": b"\xff\x00binary",
}


@dataclass
class Exported:
    service: str
    exporter: object
    span_context: object
    records: list  # protobuf LogRecords as encoded by the SDK, in export order


@pytest.fixture(scope="module", params=TRANSPORTS)
def exported(request, vigil) -> Exported:
    transport = request.param
    service = f"interop-logs-{transport}"
    exporter = make_exporter(vigil, "logs", transport)
    provider = LoggerProvider(resource=Resource.create({"service.name": service, "pod": "p-1"}))
    provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's LoggingHandler is deprecated but still shipped
        handler = LoggingHandler(level=logging.DEBUG, logger_provider=provider)
    python_logger = logging.getLogger(f"vigil.interop.logs.{transport}")
    python_logger.setLevel(logging.DEBUG)
    python_logger.propagate = False
    python_logger.addHandler(handler)
    otel_logger = provider.get_logger("vigil.interop.structured", "7.8.9")
    tracer = TracerProvider().get_tracer("vigil.interop.logs")
    try:
        with tracer.start_as_current_span("handle request") as span:
            python_logger.warning("disk %s is %d%% full", "sda", 91,
                                  extra={"disk.name": "sda", "disk.usage": 0.91, "disk.ok": False, "disk.count": 3})
            python_logger.error("request failed")
            for event_name, body in STRUCTURED_BODIES.items():
                otel_logger.emit(body=body, severity_number=SeverityNumber.INFO2, severity_text="info2",
                                 attributes={"kind": event_name}, event_name=event_name)
        python_logger.info("outside any span")
        assert provider.force_flush(10_000)
    finally:
        python_logger.removeHandler(handler)
        provider.shutdown()
    assert_all_exported(exporter)
    records = [r for batch, _ in exporter.exports for rl in encode_logs(batch).resource_logs
               for sl in rl.scope_logs for r in sl.log_records]
    assert len(records) == 2 + len(STRUCTURED_BODIES) + 1
    return Exported(service, exporter, span.get_span_context(), records)


def body_text(record) -> str:
    value = pb_value(record.body)
    return value if isinstance(value, str) else repr(value)


def check_api_log(actual: dict, record, service: str) -> None:
    assert actual["timeUnixNano"] == str(record.time_unix_nano)
    assert actual["observedTimeUnixNano"] == str(record.observed_time_unix_nano)
    assert actual["severityNumber"] == record.severity_number
    assert actual["severityText"] == record.severity_text
    assert actual["hasBody"] is record.HasField("body")
    assert_json_equal(actual["body"], vigil_value(pb_value(record.body)), "body")
    assert_json_equal(actual["attributes"], vigil_attributes(pb_attributes(record.attributes)), "attributes")
    assert actual["droppedAttributesCount"] == record.dropped_attributes_count
    assert actual["flags"] == record.flags
    assert actual["traceId"] == record.trace_id.hex()
    assert actual["spanId"] == record.span_id.hex()
    assert actual["eventName"] == record.event_name
    assert actual["serviceName"] == service


def test_logs_in_a_span_are_listed_under_its_trace(vigil, exported):
    context = exported.span_context
    answer = vigil.get_trace(f"{context.trace_id:032x}")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    in_span = [r for r in exported.records if r.trace_id]
    assert len(document["logs"]) == len(in_span) == 2 + len(STRUCTURED_BODIES)
    stored = {(log["timeUnixNano"], log["observedTimeUnixNano"]): log for log in document["logs"]}
    for record in in_span:
        check_api_log(stored[(str(record.time_unix_nano), str(record.observed_time_unix_nano))], record, exported.service)
    scopes = {s["scopeId"]: (s["name"], s["version"]) for s in document["scopes"]}
    assert sorted(scopes[log["scopeId"]] for log in document["logs"]) == sorted(
        [(f"vigil.interop.logs.{exported.service.rsplit('-', 1)[1]}", "")] * 2 + [("vigil.interop.structured", "7.8.9")] * 3)
    resources = {r["resourceId"]: r for r in document["resources"]}
    assert {resources[log["resourceId"]]["attributes"]["pod"] for log in document["logs"]} == {"p-1"}


def test_logging_bridge_records_keep_severity_body_attributes_and_trace_context(vigil, exported):
    context = exported.span_context
    by_body = {log["body"]: log for log in vigil.get_trace(f"{context.trace_id:032x}").json()["logs"]
               if isinstance(log["body"], str)}
    warning, error = by_body["disk sda is 91% full"], by_body["request failed"]
    assert (warning["severityNumber"], warning["severityText"]) == (13, "WARN")
    assert (error["severityNumber"], error["severityText"]) == (17, "ERROR")
    assert_json_equal({k: warning["attributes"][k] for k in ("disk.name", "disk.usage", "disk.ok", "disk.count")},
                      {"disk.name": "sda", "disk.usage": 0.91, "disk.ok": False, "disk.count": 3})
    assert warning["attributes"]["code.function.name"] == "exported"
    for log in (warning, error):
        assert log["traceId"] == f"{context.trace_id:032x}"
        assert log["spanId"] == f"{context.span_id:016x}"
        assert log["flags"] == int(context.trace_flags) and log["flags"] & 1, "W3C trace flags, sampled"
        assert int(log["timeUnixNano"]) > 0


def test_structured_bodies_are_stored_as_json(vigil, exported):
    context = exported.span_context
    logs = vigil.get_trace(f"{context.trace_id:032x}").json()["logs"]
    by_event = {log["eventName"]: log for log in logs if log["eventName"]}
    assert sorted(by_event) == sorted(STRUCTURED_BODIES)
    for event_name, body in STRUCTURED_BODIES.items():
        log = by_event[event_name]
        assert_json_equal(log["body"], vigil_value(body), event_name)
        assert (log["severityNumber"], log["severityText"], log["timeUnixNano"]) == (10, "info2", "0")
        assert log["attributes"] == {"kind": event_name}
    assert by_event["interop.bytes"]["body"] == {"bytesValue": "/wBiaW5hcnk="}
    assert by_event["interop.kvlist"]["body"]["kvlistValue"]["raw"] == {"bytesValue": "AQI="}
    rows = dict(vigil.query("SELECT event_name, body FROM logs WHERE trace_id = %s AND event_name <> ''",
                            (context.trace_id.to_bytes(16, "big"),)))
    for event_name, body in STRUCTURED_BODIES.items():
        assert_json_equal(rows[event_name], vigil_value(body), f"logs.body of {event_name}")


def test_log_rows_hold_exact_times_ids_and_flags(vigil, exported):
    rows = vigil.query(
        "SELECT time_unix_nano, observed_time_unix_nano, severity_number, severity_text, trace_id, span_id, flags,"
        " event_name, attributes, time FROM logs WHERE service_name = %s ORDER BY observed_time_unix_nano", (exported.service,))
    expected = sorted(exported.records, key=lambda r: r.observed_time_unix_nano)
    assert len(rows) == len(expected)
    for row, record in zip(rows, expected):
        time_ns, observed, severity, severity_text, trace_id, span_id, flags, event_name, attributes, partition = row
        assert (time_ns, observed, severity, severity_text) == (
            record.time_unix_nano, record.observed_time_unix_nano, record.severity_number, record.severity_text)
        assert (bytes(trace_id) if trace_id else None) == (record.trace_id or None)
        assert (bytes(span_id) if span_id else None) == (record.span_id or None)
        assert (flags, event_name) == (record.flags, record.event_name)
        assert_json_equal(attributes, vigil_attributes(pb_attributes(record.attributes)), "logs.attributes")
        partition_ns = int(partition.timestamp()) * 10**9 + partition.microsecond * 1000
        assert partition_ns == (record.time_unix_nano or record.observed_time_unix_nano) // 1000 * 1000
    outside = [row for row in rows if row[4] is None]
    assert len(outside) == 1 and outside[0][6] == 0
