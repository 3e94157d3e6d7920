"""Every OTLP/gRPC answer that is not a plain success, sent as raw bytes through grpcio:
status codes, google.rpc.Status details, partial success, gzip and limits."""

from __future__ import annotations

import gzip

import grpc
import pytest
from google.rpc import status_pb2

from otlp_helpers import SIGNALS, make_span, partial_case, random_span_id, random_trace_id, stored_span_ids, traces_request

SIGNAL_NAMES = list(SIGNALS)


@pytest.fixture
def export(vigil):
    """export(signal, body, compression=None) -> response bytes; raises grpc.RpcError."""
    channel = grpc.insecure_channel(vigil.grpc_target, options=[("grpc.max_send_message_length", 128 << 20)])

    def call(signal: str, body: bytes, compression=None) -> bytes:
        method = channel.unary_unary(SIGNALS[signal][1], request_serializer=None, response_deserializer=None)
        return method(body, timeout=30, compression=compression)

    yield call
    channel.close()


def status_details(error: grpc.RpcError) -> status_pb2.Status:
    details = [value for key, value in (error.trailing_metadata() or ()) if key == "grpc-status-details-bin"]
    assert len(details) == 1, f"no grpc-status-details-bin in {error.trailing_metadata()}"
    return status_pb2.Status.FromString(details[0])


def valid_trace_body() -> tuple[bytes, bytes, bytes]:
    trace_id, span_id = random_trace_id(), random_span_id()
    return traces_request([make_span(trace_id, span_id)]).SerializeToString(), trace_id, span_id


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_malformed_protobuf_is_invalid_argument_with_status_details(export, signal):
    with pytest.raises(grpc.RpcError) as raised:
        export(signal, b"\x0a\xff\xff\xff\xff\x0f garbage")
    error = raised.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert signal in error.details() and "decode" in error.details(), error.details()
    status = status_details(error)
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert status.message == error.details()


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_invalid_item_is_rejected_in_partial_success_and_the_rest_stored(vigil, export, signal):
    case = partial_case(signal)
    _, _, response_type, count_field = SIGNALS[signal]
    response = response_type.FromString(export(signal, case.request.SerializeToString()))
    assert response.HasField("partial_success")
    assert getattr(response.partial_success, count_field) == 1
    assert case.keyword in response.partial_success.error_message, response.partial_success.error_message
    assert case.stored_count(vigil) == 1


@pytest.mark.parametrize("signal", SIGNAL_NAMES)
def test_empty_request_is_full_success_without_partial_success(export, signal):
    response = SIGNALS[signal][2].FromString(export(signal, b""))
    assert not response.HasField("partial_success")


def test_gzip_request_is_accepted_and_stored(vigil, export):
    body, trace_id, span_id = valid_trace_body()
    response = SIGNALS["traces"][2].FromString(export("traces", body, compression=grpc.Compression.Gzip))
    assert not response.HasField("partial_success")
    assert stored_span_ids(vigil, trace_id) == {span_id}


def test_message_inflating_past_the_limit_is_resource_exhausted_and_the_server_keeps_serving(vigil, export):
    huge = b"\x00" * (70 << 20)
    assert len(gzip.compress(huge)) < 200_000, "the message is small on the wire"
    with pytest.raises(grpc.RpcError) as raised:
        export("traces", huge, compression=grpc.Compression.Gzip)
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()
    status = status_details(raised.value)
    assert status.code == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0] and "limit" in status.message, status
    body, trace_id, span_id = valid_trace_body()
    export("traces", body)
    assert stored_span_ids(vigil, trace_id) == {span_id}


def test_unknown_method_is_unimplemented(vigil):
    with grpc.insecure_channel(vigil.grpc_target) as channel:
        method = channel.unary_unary("/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export",
                                     request_serializer=None, response_deserializer=None)
        with pytest.raises(grpc.RpcError) as raised:
            method(b"", timeout=10)
    assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_refused_request_stores_nothing(vigil, export):
    body, trace_id, _ = valid_trace_body()
    with pytest.raises(grpc.RpcError) as raised:
        export("traces", body + b"\x0a\xff\xff\xff\xff\x0f")
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert stored_span_ids(vigil, trace_id) == set()
