"""Metrics from the OpenTelemetry Python SDK (sum, up-down sum, histogram, gauge, exponential
histogram, exemplars) over OTLP/gRPC and OTLP/HTTP, checked in metric_series/metric_points."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pytest
from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.metrics.view import (
    ExplicitBucketHistogramAggregation, ExponentialBucketHistogramAggregation, View)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

from otlp_helpers import assert_json_equal, pb_attributes, vigil_attributes
from sdk_helpers import TRANSPORTS, assert_all_exported, make_exporter

BOUNDS = (0.0, 10.0, 100.0, 1000.0)
LATENCIES = [1.5, 5.0, 15.0, 2000.0]   # recorded outside any span
TRACED_LATENCY = 150.0                 # recorded inside a sampled span: the exemplar
PAYLOADS = [0.0, 1.0, 2.0, 4.0, 100.0]     # the SDK drops negative histogram values


@dataclass
class Exported:
    transport: str
    service: str
    exporter: object
    span_context: object


@pytest.fixture(scope="module", params=TRANSPORTS)
def exported(request, vigil) -> Exported:
    transport = request.param
    service = f"interop-metrics-{transport}"
    exporter = make_exporter(vigil, "metrics", transport)
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=math.inf)
    provider = MeterProvider(
        metric_readers=[reader], resource=Resource.create({"service.name": service, "region": "eu"}),
        views=[View(instrument_name="interop.latency", aggregation=ExplicitBucketHistogramAggregation(BOUNDS)),
               View(instrument_name="interop.payload.size", aggregation=ExponentialBucketHistogramAggregation(max_size=20))])
    meter = provider.get_meter("vigil.interop.metrics", "4.5.6")
    requests_counter = meter.create_counter("interop.requests", unit="{request}", description="Requests served")
    depth = meter.create_up_down_counter("interop.queue.depth", unit="{item}", description="Items queued")
    latency = meter.create_histogram("interop.latency", unit="ms", description="Request latency")
    payload = meter.create_histogram("interop.payload.size", unit="By", description="Payload size")
    meter.create_observable_gauge("interop.temperature", [lambda _: [Observation(21.5, {"room": "lab"})]],
                                  unit="Cel", description="Room temperature")
    requests_counter.add(5, {"route": "/a", "ok": True})
    requests_counter.add(3, {"route": "/a", "ok": True})
    requests_counter.add(1, {"route": "/b", "ok": False})
    depth.add(10, {"queue": "q1"})
    depth.add(-4, {"queue": "q1"})
    for value in LATENCIES:
        latency.record(value, {"route": "/a"})
    for value in PAYLOADS:
        payload.record(value)
    tracer = TracerProvider().get_tracer("vigil.interop.exemplars")
    with tracer.start_as_current_span("traced request") as span:
        latency.record(TRACED_LATENCY, {"route": "/a"})
    assert span.get_span_context().trace_flags.sampled
    assert provider.force_flush(10_000)
    provider.shutdown()
    assert_all_exported(exporter)
    return Exported(transport, service, exporter, span.get_span_context())


def exported_points(exported: Exported):
    """(metric, data-type name, data, point) for every point the SDK exported, as protobuf."""
    for batch, _ in exported.exporter.exports:
        for request in [encode_metrics(batch)]:
            for resource_metrics in request.resource_metrics:
                for scope_metrics in resource_metrics.scope_metrics:
                    assert scope_metrics.scope.name == "vigil.interop.metrics"
                    for metric in scope_metrics.metrics:
                        kind = metric.WhichOneof("data")
                        data = getattr(metric, kind)
                        for point in data.data_points:
                            yield metric, kind, data, point


def stored_series(vigil, service: str, name: str, attributes: dict) -> dict:
    rows = vigil.query(
        "SELECT * FROM metric_series WHERE service_name = %s AND name = %s AND attributes = %s::jsonb",
        (service, name, json.dumps(vigil_attributes(attributes))), dicts=True)
    assert len(rows) == 1, f"series {name} {attributes}: {rows}"
    return rows[0]


def optional(point, name: str):
    return getattr(point, name) if point.HasField(name) else None


def check_point(row: dict, kind: str, point) -> None:
    assert row["start_time_unix_nano"] == point.start_time_unix_nano
    assert row["flags"] == point.flags
    unused = {"value_double", "value_int", "count", "sum", "min", "max", "bucket_counts", "explicit_bounds", "scale",
              "zero_count", "zero_threshold", "positive_offset", "positive_bucket_counts", "negative_offset",
              "negative_bucket_counts", "quantiles", "quantile_values"}
    if kind in ("sum", "gauge"):
        value_kind = point.WhichOneof("value")
        assert row["value_int"] == (point.as_int if value_kind == "as_int" else None)
        assert row["value_double"] == (point.as_double if value_kind == "as_double" else None)
        unused -= {"value_double", "value_int"}
    else:
        assert int(row["count"]) == point.count
        assert (row["sum"], row["min"], row["max"]) == (optional(point, "sum"), optional(point, "min"), optional(point, "max"))
        unused -= {"count", "sum", "min", "max"}
    if kind == "histogram":
        assert [int(c) for c in row["bucket_counts"]] == list(point.bucket_counts)
        assert row["explicit_bounds"] == list(point.explicit_bounds)
        unused -= {"bucket_counts", "explicit_bounds"}
    if kind == "exponential_histogram":
        assert (row["scale"], int(row["zero_count"]), row["zero_threshold"]) == (point.scale, point.zero_count, point.zero_threshold)
        assert row["positive_offset"] == point.positive.offset
        assert [int(c) for c in row["positive_bucket_counts"]] == list(point.positive.bucket_counts)
        assert row["negative_offset"] == point.negative.offset
        assert [int(c) for c in row["negative_bucket_counts"]] == list(point.negative.bucket_counts)
        unused -= {"scale", "zero_count", "zero_threshold", "positive_offset", "positive_bucket_counts",
                   "negative_offset", "negative_bucket_counts"}
    assert {column: row[column] for column in unused} == dict.fromkeys(unused), f"{kind}: columns it does not use"


def test_every_exported_point_is_stored_field_by_field(vigil, exported):
    kinds = set()
    for metric, kind, data, point in exported_points(exported):
        kinds.add(kind)
        attributes = pb_attributes(point.attributes)
        series = stored_series(vigil, exported.service, metric.name, attributes)
        assert (series["description"], series["unit"], series["type"]) == (metric.description, metric.unit, kind)
        assert series["temporality"] == (data.aggregation_temporality if kind != "gauge" else None)
        assert series["is_monotonic"] == (data.is_monotonic if kind == "sum" else None)
        assert_json_equal(series["attributes"], vigil_attributes(attributes), f"{metric.name}.attributes")
        assert series["metadata"] == {}
        rows = vigil.query("SELECT * FROM metric_points WHERE series_id = %s AND time_unix_nano = %s",
                           (series["series_id"], point.time_unix_nano), dicts=True)
        assert len(rows) == 1, f"{metric.name} point at {point.time_unix_nano}: {len(rows)} rows"
        check_point(rows[0], kind, point)
        exemplars = vigil.query(
            "SELECT ordinal, time_unix_nano, value_double, value_int, trace_id, span_id, filtered_attributes FROM exemplars"
            " WHERE series_id = %s AND point_time_unix_nano = %s ORDER BY ordinal", (series["series_id"], point.time_unix_nano))
        expected = [(i, e.time_unix_nano, optional(e, "as_double"), optional(e, "as_int"), e.trace_id or None,
                     e.span_id or None, vigil_attributes(pb_attributes(e.filtered_attributes))) for i, e in enumerate(point.exemplars)]
        assert [(o, t, d, n, bytes(tr) if tr else None, bytes(sp) if sp else None, f)
                for o, t, d, n, tr, sp, f in exemplars] == expected
    assert kinds == {"sum", "gauge", "histogram", "exponential_histogram"}


def last_point(vigil, service: str, name: str, attributes: dict) -> tuple[dict, dict]:
    series = stored_series(vigil, service, name, attributes)
    rows = vigil.query("SELECT * FROM metric_points WHERE series_id = %s ORDER BY time_unix_nano DESC LIMIT 1",
                       (series["series_id"],), dicts=True)
    assert rows, f"no points for {name}"
    return series, rows[0]


def test_stored_values_match_what_was_recorded(vigil, exported):
    service = exported.service
    series, point = last_point(vigil, service, "interop.requests", {"route": "/a", "ok": True})
    assert (series["type"], series["temporality"], series["is_monotonic"], point["value_int"]) == ("sum", 2, True, 8)
    assert last_point(vigil, service, "interop.requests", {"route": "/b", "ok": False})[1]["value_int"] == 1
    series, point = last_point(vigil, service, "interop.queue.depth", {"queue": "q1"})
    assert (series["type"], series["temporality"], series["is_monotonic"], point["value_int"]) == ("sum", 2, False, 6)
    series, point = last_point(vigil, service, "interop.temperature", {"room": "lab"})
    assert (series["type"], series["temporality"], series["unit"], point["value_double"]) == ("gauge", None, "Cel", 21.5)

    series, point = last_point(vigil, service, "interop.latency", {"route": "/a"})
    values = LATENCIES + [TRACED_LATENCY]
    assert (series["type"], series["temporality"], series["unit"]) == ("histogram", 2, "ms")
    assert (int(point["count"]), point["sum"], point["min"], point["max"]) == (len(values), sum(values), min(values), max(values))
    assert point["explicit_bounds"] == list(BOUNDS)
    assert [int(c) for c in point["bucket_counts"]] == [0, 2, 1, 1, 1]
    assert point["start_time_unix_nano"] > 0 and point["time_unix_nano"] > point["start_time_unix_nano"]

    series, point = last_point(vigil, service, "interop.payload.size", {})
    assert (series["type"], series["temporality"], series["unit"]) == ("exponential_histogram", 2, "By")
    assert (int(point["count"]), point["sum"], point["min"], point["max"]) == (len(PAYLOADS), sum(PAYLOADS), min(PAYLOADS), max(PAYLOADS))
    assert int(point["zero_count"]) == 1
    assert sum(int(c) for c in point["positive_bucket_counts"]) == 4
    assert sum(int(c) for c in point["negative_bucket_counts"]) == 0
    # With scale s, value v falls in bucket ceil(log2(v) * 2^s) - 1 (positive_offset is bucket 0's index).
    scale, offset = point["scale"], point["positive_offset"]
    counts = [int(c) for c in point["positive_bucket_counts"]]
    for value in (v for v in PAYLOADS if v > 0):
        assert counts[math.ceil(math.log2(value) * 2**scale) - 1 - offset] == 1, f"bucket of {value} (scale {scale})"


def test_histogram_exemplar_is_listed_under_its_trace(vigil, exported):
    context = exported.span_context
    answer = vigil.get_trace(f"{context.trace_id:032x}")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["spans"] == [], "the span itself was never exported"
    assert document["exemplars"], "no exemplar under the trace"
    for exemplar in document["exemplars"]:
        assert exemplar["metric"]["name"] == "interop.latency"
        assert exemplar["metric"]["type"] == "histogram"
        assert exemplar["metric"]["unit"] == "ms"
        assert exemplar["metric"]["serviceName"] == exported.service
        assert exemplar["metric"]["attributes"] == {"route": "/a"}
        assert exemplar["traceId"] == f"{context.trace_id:032x}"
        assert exemplar["spanId"] == f"{context.span_id:016x}"
        assert exemplar["asDouble"] == TRACED_LATENCY and exemplar["asInt"] is None
        assert int(exemplar["pointTimeUnixNano"]) >= int(exemplar["timeUnixNano"]) > 0
    exported_exemplars = [(e.time_unix_nano, e.as_double) for _, kind, _, point in exported_points(exported)
                          for e in point.exemplars]
    assert sorted((int(e["timeUnixNano"]), e["asDouble"]) for e in document["exemplars"]) == sorted(exported_exemplars)
