"""The Tempo-compatible endpoints (/api/traces/{id} as OTLP JSON and protobuf, /api/v2/traces/{id},
/api/echo), their errors, unknown routes and the health check, on a fresh server holding the seed of
query_helpers. The OTLP JSON form is parsed into opentelemetry-proto's TracesData after turning its
hex IDs (OTLP/JSON) into the base64 that protobuf's JSON mapping expects."""

from __future__ import annotations

import base64
import copy
import re

import pytest
from google.protobuf import json_format
from opentelemetry.proto.trace.v1 import trace_pb2

from otlp_helpers import pb_attributes
from query_helpers import ORPHAN, RESOURCES, SCOPE, api, assert_error, ok_json, seeded, trace_hex  # noqa: F401

TRACES = [0, 3, 101, ORPHAN]  # with an inventory child; an error; four services' spans; no root span
HEX = re.compile(r"^[0-9a-f]*$")


def span_tuples(seed, n: int) -> set:
    return {(s.trace_hex, s.span_hex, s.parent_hex, s.name, s.kind, s.start, s.end, s.status, s.service,
             tuple(sorted((k, str(v)) for k, v in s.attrs.items()))) for s in seed.trace_spans(n)}


def traces_data_tuples(data: trace_pb2.TracesData) -> set:
    """The spans of a TracesData as span_tuples has them; checks resources and scopes on the way."""
    found = set()
    for resource_spans in data.resource_spans:
        resource = pb_attributes(resource_spans.resource.attributes)
        service = resource["service.name"]
        assert resource == {"service.name": service, **RESOURCES[service]}
        for scope_spans in resource_spans.scope_spans:
            assert (scope_spans.scope.name, scope_spans.scope.version) == (SCOPE.name, SCOPE.version)
            for span in scope_spans.spans:
                found.add((span.trace_id.hex(), span.span_id.hex(), span.parent_span_id.hex() or None, span.name, span.kind,
                           span.start_time_unix_nano, span.end_time_unix_nano, span.status.code, service,
                           tuple(sorted((k, str(v)) for k, v in pb_attributes(span.attributes).items()))))
    return found


def hex_to_base64(resource_spans: list, path: str) -> list:
    """A copy of OTLP/JSON ResourceSpans with IDs in protobuf-JSON base64; asserts IDs are hex and kinds integers."""
    converted = copy.deepcopy(resource_spans)
    for batch in converted:
        for scope_spans in batch.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                assert isinstance(span.get("kind"), int), f"{path}: span kind must be an integer in OTLP/JSON: {span.get('kind')!r}"
                for key, size in (("traceId", 32), ("spanId", 16), ("parentSpanId", 16)):
                    value = span.get(key, "")
                    assert isinstance(value, str) and HEX.match(value) and len(value) in ((0, size) if key == "parentSpanId" else (size,)), \
                        f"{path}: {key} {value!r} is not {size} lowercase hex digits (OTLP/JSON)"
                    if value:
                        span[key] = base64.b64encode(bytes.fromhex(value)).decode()
    return converted


def parse_json(resource_spans: list, path: str) -> trace_pb2.TracesData:
    return json_format.ParseDict({"resourceSpans": hex_to_base64(resource_spans, path)}, trace_pb2.TracesData())


@pytest.mark.parametrize("n", TRACES)
def test_tempo_v1_json_has_batches_of_otlp_resource_spans(seeded, n):
    server, seed = seeded
    path = f"/api/traces/{trace_hex(n)}"
    body = ok_json(server, path)
    assert list(body) == ["batches"]
    assert traces_data_tuples(parse_json(body["batches"], path)) == span_tuples(seed, n)


@pytest.mark.parametrize("n", TRACES)
def test_tempo_v1_protobuf_is_traces_data(seeded, n):
    server, seed = seeded
    answer = api(server, f"/api/traces/{trace_hex(n)}", headers={"Accept": "application/protobuf"})
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers.get("Content-Type", "").split(";")[0] in ("application/protobuf", "application/x-protobuf"), answer.headers
    assert traces_data_tuples(trace_pb2.TracesData.FromString(answer.content)) == span_tuples(seed, n)


@pytest.mark.parametrize("n", TRACES)
def test_tempo_v2_json_has_trace_resource_spans(seeded, n):
    server, seed = seeded
    path = f"/api/v2/traces/{trace_hex(n)}"
    body = ok_json(server, path)
    assert list(body["trace"]) == ["resourceSpans"]
    assert traces_data_tuples(parse_json(body["trace"]["resourceSpans"], path)) == span_tuples(seed, n)


def test_tempo_json_and_protobuf_agree_field_for_field(seeded):
    server, _ = seeded
    path = f"/api/traces/{trace_hex(101)}"
    from_json = parse_json(ok_json(server, path)["batches"], path)
    from_protobuf = trace_pb2.TracesData.FromString(api(server, path, headers={"Accept": "application/protobuf"}).content)
    assert without_empty_status(from_json) == without_empty_status(from_protobuf)


def without_empty_status(data: trace_pb2.TracesData) -> trace_pb2.TracesData:
    """An empty Status (code unset, no message) present in one encoding and absent in the other means the same."""
    for resource_spans in data.resource_spans:
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                if span.status == trace_pb2.Status():
                    span.ClearField("status")
    return data


def test_tempo_echo(seeded):
    server, _ = seeded
    answer = api(server, "/api/echo")
    assert (answer.status_code, answer.text) == (200, "echo")


@pytest.mark.parametrize("prefix", ["/api/traces", "/api/v2/traces"])
def test_tempo_unknown_trace_is_404_and_malformed_id_400(seeded, prefix):
    server, _ = seeded
    assert_error(api(server, f"{prefix}/{trace_hex(999)}"), 404, "not_found")
    assert_error(api(server, f"{prefix}/{trace_hex(999)}", headers={"Accept": "application/protobuf"}), 404, "not_found")
    for bad in ("xyz", trace_hex(1)[:-1], trace_hex(1) + "00"):
        assert_error(api(server, f"{prefix}/{bad}"), 400, "bad_request")


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v3/traces/abc", "/nope", "/api/v1/services/checkout/nope"])
def test_unknown_route_is_404_with_the_error_shape(seeded, path):
    server, _ = seeded
    message = assert_error(api(server, path), 404, "not_found")
    assert message


def test_health(seeded):
    server, _ = seeded
    assert ok_json(server, "/-/healthy") == {"status": "ok"}


def test_unknown_query_parameters_are_ignored(seeded):
    server, _ = seeded
    assert ok_json(server, "/api/v1/services", {"frobnicate": "1"}) == ok_json(server, "/api/v1/services")
