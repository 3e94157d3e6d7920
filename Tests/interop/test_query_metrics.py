"""GET /api/v1/metrics/series and /api/v1/metrics/points (and the exemplars of GET /api/v1/traces/{id})
on a fresh server holding the seed of query_helpers plus the gauge, sum and histogram series below."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otlp_helpers import vigil_attributes
from query_helpers import (
    MIN, SCOPE, SEC, all_pages, api, assert_error, by_service, is_integer_text, key_values, ok_json, post_otlp, resource, seeded,  # noqa: F401
    span_hex, trace_hex)

SERIES, POINTS = "/api/v1/metrics/series", "/api/v1/metrics/points"
TEMPORALITY_NAMES = {1: "delta", 2: "cumulative"}


@dataclass
class SeedSeries:
    service: str
    name: str
    type: str  # gauge | sum | histogram
    unit: str
    attrs: dict
    points: list[dict]  # time, start, and double|int, or count/sum/min/max/bounds/buckets/exemplars
    temporality: int | None = None  # 1 delta, 2 cumulative
    monotonic: bool | None = None

    @property
    def description(self) -> str:
        return f"{self.name} of {self.service}"

    @property
    def key(self) -> tuple:
        return self.service, self.name, json.dumps(vigil_attributes(self.attrs), sort_keys=True)


def make_series(t0: int) -> list[SeedSeries]:
    cart = {"http.route": "/cart"}
    return [
        SeedSeries("checkout", "system.cpu.utilization", "gauge", "1", {"cpu": "0"},
                   [{"time": t0 + m * MIN, "start": 0, "double": v} for m, v in enumerate([0.25, 0.5, 0.75])]),
        SeedSeries("checkout", "system.cpu.utilization", "gauge", "1", {"cpu": "1"},
                   [{"time": t0 + m * MIN, "start": 0, "int": v} for m, v in enumerate([3, -2])]),
        SeedSeries("checkout", "http.server.request.count", "sum", "{request}", cart,
                   [{"time": t0 + m * MIN, "start": t0 - MIN, "int": v} for m, v in ((1, 10), (2, 25))], 2, True),
        SeedSeries("checkout", "http.server.request.duration", "histogram", "s", cart, [{
            "time": t0 + MIN, "start": t0, "count": 6, "sum": 3.25, "min": 0.01, "max": 2.0,
            "bounds": [0.05, 0.5, 1.0], "buckets": [2, 1, 1, 2], "exemplars": [
                {"time": t0 + 30 * SEC, "double": 2.0, "trace": 3, "span": 0, "attrs": {"user.id": "u3"}},
                {"time": t0 + 31 * SEC, "int": 7, "trace": 5, "span": 0, "attrs": {}}]}], 1),
        SeedSeries("worker", "messages.processed", "sum", "{message}", {"queue": "orders"},
                   [{"time": t0 + MIN, "start": t0, "double": 4.5}], 1, False),
    ]


def value_of(item: dict) -> dict:
    return {"as_int": item["int"]} if "int" in item else {"as_double": item["double"]}


def encode_point(series: SeedSeries, p: dict):
    common = {"attributes": key_values(series.attrs), "time_unix_nano": p["time"], "start_time_unix_nano": p["start"]}
    if series.type != "histogram":
        return metrics_pb2.NumberDataPoint(**common, **value_of(p))
    exemplars = [metrics_pb2.Exemplar(
        time_unix_nano=e["time"], trace_id=bytes.fromhex(trace_hex(e["trace"])), span_id=bytes.fromhex(span_hex(e["trace"], e["span"])),
        filtered_attributes=key_values(e["attrs"]), **value_of(e)) for e in p["exemplars"]]
    return metrics_pb2.HistogramDataPoint(**common, count=p["count"], sum=p["sum"], min=p["min"], max=p["max"],
                                          explicit_bounds=p["bounds"], bucket_counts=p["buckets"], exemplars=exemplars)


def encode_metrics(series_of_service: list[SeedSeries]) -> list[metrics_pb2.Metric]:
    """One Metric per name, holding the points of all its series."""
    metrics: dict[str, metrics_pb2.Metric] = {}
    for series in series_of_service:
        metric = metrics.setdefault(series.name, metrics_pb2.Metric(name=series.name, unit=series.unit, description=series.description))
        data = getattr(metric, series.type)
        data.data_points.extend(encode_point(series, p) for p in series.points)
        if series.temporality is not None:
            data.aggregation_temporality = series.temporality
        if series.monotonic is not None:
            data.is_monotonic = series.monotonic
    return list(metrics.values())


@pytest.fixture(scope="module")
def metrics(seeded):
    server, seed = seeded
    series = make_series(seed.t0)
    post_otlp(server, "/v1/metrics", metrics_service_pb2.ExportMetricsServiceRequest(resource_metrics=[
        metrics_pb2.ResourceMetrics(resource=resource(svc), scope_metrics=[metrics_pb2.ScopeMetrics(scope=SCOPE, metrics=encode_metrics(items))])
        for svc, items in by_service(series).items()]))
    listed = ok_json(server, SERIES)["series"]
    ids = {(s["serviceName"], s["name"], json.dumps(s["attributes"], sort_keys=True)): s for s in listed}
    return server, seed, series, ids


def wide(seed) -> list[tuple[str, str]]:
    return [("start", str(seed.t0 - 10 * MIN)), ("end", str(seed.t0 + 20 * MIN))]


def test_series_listing_has_every_series_with_its_fields(metrics):
    server, _, series, ids = metrics
    body = ok_json(server, SERIES)
    assert body["nextCursor"] is None and len(body["series"]) == len(series) == len(ids)
    for s in series:
        got = dict(ids[s.key])
        for key in ("seriesId", "resourceId"):
            value = got.pop(key)
            assert is_integer_text(value), (key, value)
        temporality = got.pop("temporality")
        assert temporality in ((None,) if s.temporality is None else (s.temporality, TEMPORALITY_NAMES[s.temporality])), (s.name, temporality)
        assert got == {"name": s.name, "description": s.description, "unit": s.unit, "type": s.type, "isMonotonic": s.monotonic,
                       "attributes": vigil_attributes(s.attrs), "metadata": {}, "serviceName": s.service}


FILTERS = {
    "name": ([("name", "system.cpu.utilization")], lambda s: s.name == "system.cpu.utilization"),
    "service": ([("service", "worker")], lambda s: s.service == "worker"),
    "attr": ([("attr.cpu", "1")], lambda s: s.attrs.get("cpu") == "1"),
    "attr shared": ([("attr.http.route", "/cart")], lambda s: s.attrs.get("http.route") == "/cart"),
    "attr resource": ([("attr.deployment.environment", "staging")], lambda s: s.service == "worker"),
    "name and attr": ([("name", "system.cpu.utilization"), ("attr.cpu", "0")], lambda s: s.attrs.get("cpu") == "0"),
    "service and attr resource": ([("service", "checkout"), ("attr.deployment.environment", "prod")], lambda s: s.service == "checkout"),
    "nothing": ([("name", "no.such.metric")], lambda s: False),
}


@pytest.mark.parametrize("name", FILTERS)
def test_series_filters(metrics, name):
    server, _, series, _ = metrics
    params, match = FILTERS[name]
    got = ok_json(server, SERIES, params)
    expected = sorted(s.key for s in series if match(s))
    assert sorted((s["serviceName"], s["name"], json.dumps(s["attributes"], sort_keys=True)) for s in got["series"]) == expected
    assert got["nextCursor"] is None and (name == "nothing") == (not expected)


def test_series_pagination_visits_every_series_once(metrics):
    server, _, series, ids = metrics
    pages = all_pages(server, SERIES, [("limit", "2")], "series")
    assert [len(p) for p in pages] == [2, 2, 1]
    visited = [s["seriesId"] for page in pages for s in page]
    assert sorted(visited) == sorted(s["seriesId"] for s in ids.values())


def expected_point(series: SeedSeries, p: dict) -> dict:
    point = {"timeUnixNano": str(p["time"]), "startTimeUnixNano": str(p["start"]), "flags": 0, "exemplars": []}
    if series.type != "histogram":
        return {**point, "asDouble": p.get("double"), "asInt": str(p["int"]) if "int" in p else None}
    exemplars = [{"pointTimeUnixNano": str(p["time"]), "timeUnixNano": str(e["time"]), "asDouble": e.get("double"),
                  "asInt": str(e["int"]) if "int" in e else None, "traceId": trace_hex(e["trace"]),
                  "spanId": span_hex(e["trace"], e["span"]), "filteredAttributes": vigil_attributes(e["attrs"])} for e in p["exemplars"]]
    return {**point, "count": str(p["count"]), "sum": p["sum"], "min": p["min"], "max": p["max"],
            "bucketCounts": [str(c) for c in p["buckets"]], "explicitBounds": p["bounds"], "exemplars": exemplars}


def numeric(value):
    """JSON numbers as floats (1.0 may be written 1); strings, booleans and null unchanged."""
    if isinstance(value, dict):
        return {k: numeric(v) for k, v in value.items()}
    if isinstance(value, list):
        return [numeric(v) for v in value]
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@pytest.mark.parametrize("index", range(5), ids=["gauge double", "gauge int", "sum int", "histogram", "sum double"])
def test_points_per_type_oldest_first(metrics, index):
    server, seed, series, ids = metrics
    s = series[index]
    listed = ids[s.key]
    body = ok_json(server, POINTS, [("series", listed["seriesId"])] + wide(seed))
    assert body["series"] == listed and body["nextCursor"] is None
    points = [{**p, "exemplars": sorted(p["exemplars"], key=lambda e: e["timeUnixNano"])} for p in body["points"]]
    assert numeric(points) == numeric([expected_point(s, p) for p in s.points])


def test_points_window_default_and_pagination(metrics):
    server, seed, series, ids = metrics
    cpu0 = ids[series[0].key]["seriesId"]
    times = [str(p["time"]) for p in series[0].points]
    assert [p["timeUnixNano"] for p in ok_json(server, POINTS, [("series", cpu0)])["points"]] == times  # last hour
    window = [("series", cpu0), ("start", str(seed.t0 + MIN)), ("end", str(seed.t0 + 2 * MIN))]
    assert [p["timeUnixNano"] for p in ok_json(server, POINTS, window)["points"]] == times[1:2]
    pages = all_pages(server, POINTS, [("series", cpu0), ("limit", "1")] + wide(seed), "points")
    assert [[p["timeUnixNano"] for p in page] for page in pages] == [[t] for t in times]


@pytest.mark.parametrize("params", [[], [("series", "")], [("series", "abc")], [("series", "1.5")], [("series", "12abc")]],
                         ids=["missing", "empty", "abc", "1.5", "12abc"])
def test_points_bad_series_is_400(metrics, params):
    server, _, _, _ = metrics
    assert_error(api(server, POINTS, params), 400, "bad_request", "series")


def test_points_unknown_series_is_404(metrics):
    server, _, _, ids = metrics
    unknown = str(max(int(s["seriesId"]) for s in ids.values()) + 1000)
    assert_error(api(server, POINTS, [("series", unknown)]), 404, "not_found")


def test_points_and_series_bad_limit_is_400(metrics):
    server, _, series, ids = metrics
    assert_error(api(server, SERIES, [("limit", "0")]), 400, "bad_request", "limit")
    assert_error(api(server, POINTS, [("series", ids[series[0].key]["seriesId"]), ("limit", "1001")]), 400, "bad_request", "limit")


@pytest.mark.parametrize("trace", [3, 5, 4])
def test_trace_lists_the_exemplars_that_point_at_it(metrics, trace):
    server, seed, series, ids = metrics
    histogram = series[3]
    point = histogram.points[0]
    expected = [{"metric": {"name": histogram.name, "type": "histogram", "unit": "s", "seriesId": ids[histogram.key]["seriesId"],
                            "attributes": vigil_attributes(histogram.attrs), "serviceName": "checkout"}, **e}
                for e, raw in zip(expected_point(histogram, point)["exemplars"], point["exemplars"]) if raw["trace"] == trace]
    assert numeric(ok_json(server, f"/api/v1/traces/{trace_hex(trace)}")["exemplars"]) == numeric(expected)
