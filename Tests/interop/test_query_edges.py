"""Edge cases of the query API: Tempo v2 protobuf for Grafana, percent-encoded path segments,
paging among equal timestamps, crafted cursors and out-of-range times."""

import base64
import time

import pytest
import requests
from opentelemetry.proto.trace.v1 import trace_pb2

from query_helpers import api, assert_error, ok_json

NOW = time.time_ns()
TRACE = "7a" * 16


def _post(server, path: str, body: str) -> None:
    answer = requests.post(server.http_url + path, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 200 and answer.json() == {}, answer.text


@pytest.fixture(scope="module")
def server(module_server_factory):
    server = module_server_factory.start()
    _post(server, "/v1/traces", f'''{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"web frontend"}}}}]}},
        "scopeSpans":[{{"spans":[{{"traceId":"{TRACE}","spanId":"0102030405060708","name":"GET /","kind":2,
        "startTimeUnixNano":"{NOW - 5_000_000_000}","endTimeUnixNano":"{NOW - 4_000_000_000}"}}]}}]}}]}}''')
    points = ",".join(f'{{"asInt":"{value}","timeUnixNano":"{NOW - 1_000_000_000}"}}' for value in (1, 2, 3))
    _post(server, "/v1/metrics", f'''{{"resourceMetrics":[{{"scopeMetrics":[{{"metrics":[
        {{"name":"same.time","gauge":{{"dataPoints":[{points}]}}}}]}}]}}]}}''')
    return server


def test_tempo_v2_protobuf_is_a_trace_by_id_response(server):
    v1 = api(server, f"/api/traces/{TRACE}", headers={"Accept": "application/protobuf"})
    v2 = api(server, f"/api/v2/traces/{TRACE}", headers={"Accept": "application/protobuf"})
    assert v1.status_code == 200 and v2.status_code == 200
    trace = trace_pb2.TracesData.FromString(v1.content)
    assert [span.name for batch in trace.resource_spans for scope in batch.scope_spans for span in scope.spans] == ["GET /"]
    # TraceByIDResponse: field 1 (length-delimited) holds the same Trace message.
    assert v2.content[0] == 0x0A
    length, offset, shift = 0, 1, 0
    while True:
        byte = v2.content[offset]
        length |= (byte & 0x7F) << shift
        offset += 1
        shift += 7
        if byte < 0x80:
            break
    assert v2.content[offset:offset + length] == v1.content
    assert offset + length == len(v2.content)


def test_path_segments_are_percent_decoded(server):
    operations = ok_json(server, "/api/v1/services/web%20frontend/operations")["operations"]
    assert operations == [{"name": "GET /", "spanKind": 2, "spanKindName": "server"}]


def test_points_with_equal_times_are_all_paged(server):
    series = ok_json(server, "/api/v1/metrics/series", {"name": "same.time"})["series"]
    assert len(series) == 1
    values, cursor = [], None
    for _ in range(5):
        params = {"series": series[0]["seriesId"], "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = ok_json(server, "/api/v1/metrics/points", params)
        values += [point["asInt"] for point in page["points"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sorted(values) == ["1", "2", "3"]


def _cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("\n".join(parts).encode()).decode().rstrip("=")


@pytest.mark.parametrize("path, cursor", [
    ("/api/v1/traces", _cursor("traces", str(2**63 - 1), TRACE)),
    ("/api/v1/logs", _cursor("logs", "0", "1", "(abc)")),
    ("/api/v1/traces", _cursor("logs", "0", "1", "(0,1)")),
])
def test_crafted_cursors_are_refused_as_bad_requests(server, path, cursor):
    assert_error(api(server, path, {"cursor": cursor}), 400, "bad_request", "cursor")


@pytest.mark.parametrize("value", ["26780099736", "9300000000", "-9300000000"])
def test_times_beyond_2262_are_refused(server, value):
    for path in ("/api/v1/traces", "/api/v1/logs", "/api/v1/red"):
        assert_error(api(server, path, {"end": value}), 400, "bad_request", "end")
    # The server is still up after them.
    assert {"name": "web frontend"} in ok_json(server, "/api/v1/services")["services"]
