"""Every OTLP/HTTP answer that is not a plain success: Status bodies in the request's encoding,
partial success, gzip, limits, methods, content types and paths."""

from __future__ import annotations

import gzip
import json
import time

import pytest
import requests
from google.rpc import status_pb2

from otlp_helpers import (
    JSON, PROTOBUF, SIGNALS, make_span, partial_case, random_span_id, random_trace_id, stored_span_ids,
    traces_request)

INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED = 3, 8, 12
SIGNAL_NAMES = list(SIGNALS)


def status_of(answer, content_type: str) -> tuple[int, str]:
    """The google.rpc.Status of an error answer, parsed in the encoding the request used."""
    assert answer.headers.get("Content-Type", "").split(";")[0] == content_type, answer.headers
    if content_type == JSON:
        body = answer.json()
        return body["code"], body["message"]
    status = status_pb2.Status.FromString(answer.content)
    return status.code, status.message


def valid_trace_body() -> tuple[bytes, bytes, bytes]:
    trace_id, span_id = random_trace_id(), random_span_id()
    return traces_request([make_span(trace_id, span_id)]).SerializeToString(), trace_id, span_id


def json_span(trace_hex: str, span_hex: str, name: str) -> dict:
    start = time.time_ns()
    return {"traceId": trace_hex, "spanId": span_hex, "name": name, "kind": 2,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 1000)}


def json_traces(spans: list[dict]) -> bytes:
    return json.dumps({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "interop-json"}}]},
        "scopeSpans": [{"scope": {"name": "interop"}, "spans": spans}]}]}).encode()


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_malformed_protobuf_is_400_with_protobuf_status(vigil, signal):
    answer = vigil.post(SIGNALS[signal][0], b"\x0a\xff\xff\xff\xff\x0f garbage")
    assert answer.status_code == 400
    code, message = status_of(answer, PROTOBUF)
    assert code == INVALID_ARGUMENT
    assert signal in message and "decode" in message, message


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_malformed_json_is_400_with_json_status(vigil, signal):
    answer = vigil.post(SIGNALS[signal][0], b'{"resource', content_type=JSON)
    assert answer.status_code == 400
    code, message = status_of(answer, JSON)
    assert code == INVALID_ARGUMENT and "decode" in message, message


@pytest.mark.parametrize("body, field", [
    ({"resourceSpans": "not an array"}, "resourceSpans"),
    ({"resourceSpans": [{"scopeSpans": [{"spans": [{"name": 5}]}]}]}, "name"),
    ({"resourceSpans": [{"scopeSpans": [{"spans": [{"kind": "not a kind"}]}]}]}, "kind"),
    ({"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": True}]}]}]}, "startTimeUnixNano"),
])
def test_json_type_errors_are_400_naming_the_field(vigil, body, field):
    answer = vigil.post("/v1/traces", json.dumps(body).encode(), content_type=JSON)
    assert answer.status_code == 400, answer.text
    code, message = status_of(answer, JSON)
    assert code == INVALID_ARGUMENT and field in message, message


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_invalid_item_is_rejected_in_partial_success_and_the_rest_stored(vigil, signal):
    case = partial_case(signal)
    path, _, response_type, count_field = SIGNALS[signal]
    answer = vigil.post(path, case.request.SerializeToString())
    assert answer.status_code == 200, answer.content
    assert answer.headers["Content-Type"].split(";")[0] == PROTOBUF
    response = response_type.FromString(answer.content)
    assert response.HasField("partial_success")
    assert getattr(response.partial_success, count_field) == 1
    assert case.keyword in response.partial_success.error_message, response.partial_success.error_message
    assert case.stored_count(vigil) == 1


DAY_NS = 86_400 * 10**9


@pytest.mark.parametrize("bad_span, keyword", [
    (lambda: make_span(random_trace_id(), random_span_id(), start_ns=time.time_ns() - 8 * DAY_NS), "time"),
    (lambda: make_span(random_trace_id(), random_span_id(), start_ns=time.time_ns() + 2 * DAY_NS), "time"),
    (lambda: make_span(bytes(16), random_span_id()), "traceId"),
    (lambda: make_span(random_trace_id(), bytes(8)), "spanId"),
    (lambda: make_span(random_trace_id(), b"\x01\x02\x03\x04"), "spanId"),
], ids=["older-than-retention", "too-far-in-future", "zero-trace-id", "zero-span-id", "4-byte-span-id"])
def test_each_kind_of_invalid_span_is_rejected_alone(vigil, bad_span, keyword):
    trace_id, span_id = random_trace_id(), random_span_id()
    answer = vigil.post("/v1/traces", traces_request([bad_span(), make_span(trace_id, span_id)]).SerializeToString())
    assert answer.status_code == 200, answer.content
    partial = SIGNALS["traces"][2].FromString(answer.content).partial_success
    assert partial.rejected_spans == 1 and keyword in partial.error_message, partial
    assert stored_span_ids(vigil, trace_id) == {span_id}


def test_invalid_trace_id_in_json_is_rejected_in_partial_success(vigil):
    trace_id, span_id = random_trace_id(), random_span_id()
    body = json_traces([json_span("abcd", random_span_id().hex(), "bad"), json_span(trace_id.hex(), span_id.hex(), "good")])
    answer = vigil.post("/v1/traces", body, content_type=JSON)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].split(";")[0] == JSON
    partial = answer.json()["partialSuccess"]
    assert int(partial["rejectedSpans"]) == 1
    assert "traceId" in partial["errorMessage"], partial
    assert stored_span_ids(vigil, trace_id) == {span_id}


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_empty_request_is_full_success_without_partial_success(vigil, signal):
    path, _, response_type, _ = SIGNALS[signal]
    answer = vigil.post(path, b"")
    assert answer.status_code == 200
    assert not response_type.FromString(answer.content).HasField("partial_success")
    answer = vigil.post(path, b"{}", content_type=JSON)
    assert answer.status_code == 200
    assert answer.json() == {}


@pytest.mark.parametrize("content_type", [PROTOBUF, JSON])
def test_gzip_body_is_accepted_and_stored(vigil, content_type):
    trace_id, span_id = random_trace_id(), random_span_id()
    if content_type == PROTOBUF:
        body = traces_request([make_span(trace_id, span_id)]).SerializeToString()
    else:
        body = json_traces([json_span(trace_id.hex(), span_id.hex(), "gzipped")])
    answer = vigil.post("/v1/traces", body, content_type=content_type, gzipped=True)
    assert answer.status_code == 200, answer.content
    assert answer.content in (b"", b"{}")
    assert stored_span_ids(vigil, trace_id) == {span_id}


@pytest.mark.parametrize("content_type", [PROTOBUF, JSON])
def test_gzip_bomb_past_the_limit_is_413_and_the_server_keeps_serving(vigil, content_type):
    bomb = gzip.compress(b"\x00" * (70 << 20), compresslevel=9)
    assert len(bomb) < 200_000
    answer = vigil.post("/v1/traces", bomb, content_type=content_type, headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 413
    code, message = status_of(answer, content_type)
    assert code == RESOURCE_EXHAUSTED and "limit" in message, message
    body, trace_id, span_id = valid_trace_body()
    assert vigil.post("/v1/traces", body).status_code == 200
    assert stored_span_ids(vigil, trace_id) == {span_id}


@pytest.mark.parametrize("content_type", [PROTOBUF, JSON])
def test_uncompressed_body_past_the_limit_is_413(vigil, content_type):
    answer = vigil.post("/v1/traces", b"\x00" * (65 << 20), content_type=content_type)
    assert answer.status_code == 413
    code, message = status_of(answer, content_type)
    assert code == RESOURCE_EXHAUSTED and "limit" in message, message


@pytest.mark.parametrize("content_type", [PROTOBUF, JSON])
def test_corrupt_gzip_is_400(vigil, content_type):
    answer = vigil.post("/v1/traces", b"this is not gzip at all", content_type=content_type,
                        headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 400
    code, message = status_of(answer, content_type)
    assert code == INVALID_ARGUMENT and "gzip" in message, message


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_wrong_method_is_405_with_allow_post(vigil, method):
    answer = requests.request(method, vigil.http_url + "/v1/traces", timeout=10)
    assert answer.status_code == 405
    assert answer.headers.get("Allow") == "POST"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_unknown_content_type_is_415(vigil, content_type):
    body, _, _ = valid_trace_body()
    answer = vigil.post("/v1/traces", body, content_type=content_type)
    assert answer.status_code == 415


def test_content_type_parameters_are_ignored(vigil):
    body, trace_id, span_id = valid_trace_body()
    answer = vigil.post("/v1/traces", body, content_type="application/x-protobuf; charset=binary")
    assert answer.status_code == 200
    assert stored_span_ids(vigil, trace_id) == {span_id}


@pytest.mark.parametrize("path", ["/v1/unknown", "/v2/traces", "/"])
def test_unknown_path_is_404(vigil, path):
    body, _, _ = valid_trace_body()
    answer = vigil.post(path, body)
    assert answer.status_code == 404
    code, _ = status_of(answer, PROTOBUF)
    assert code == UNIMPLEMENTED


@pytest.mark.parametrize("trace_id, status", [
    ("0123456789abcdef0123456789abcdef", 404), ("xyz", 400), ("0" * 32, 400), ("abcd", 400)])
def test_trace_api_answers_json_errors(vigil, trace_id, status):
    answer = vigil.get_trace(trace_id)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["code"] == {404: "not_found", 400: "bad_request"}[status] and error["message"], error


def test_error_answers_do_not_store_anything(vigil):
    """A refused request (here: valid protobuf sent with a corrupt gzip header) leaves no rows."""
    body, trace_id, _ = valid_trace_body()
    answer = vigil.post("/v1/traces", b"\x1f\x8b\x08\x00" + body, headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 400
    assert stored_span_ids(vigil, trace_id) == set()
