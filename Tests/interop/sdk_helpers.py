"""OpenTelemetry SDK exporters pointed at a Vigil server, recording what they exported and how
the server answered."""

from __future__ import annotations

from grpc import Compression as GrpcCompression
from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as GrpcLogExporter
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter as GrpcMetricExporter
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcSpanExporter
from opentelemetry.exporter.otlp.proto.http import Compression as HttpCompression
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter as HttpLogExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter as HttpMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpSpanExporter
from opentelemetry.trace import SpanKind

from vigil_server import VigilServer

TRANSPORTS = ["grpc", "http"]

# OTLP's SpanKind numbers (the Python enum numbers them differently).
OTLP_SPAN_KIND = {SpanKind.INTERNAL: 1, SpanKind.SERVER: 2, SpanKind.CLIENT: 3, SpanKind.PRODUCER: 4, SpanKind.CONSUMER: 5}

_EXPORTERS = {
    ("traces", "grpc"): GrpcSpanExporter, ("traces", "http"): HttpSpanExporter,
    ("metrics", "grpc"): GrpcMetricExporter, ("metrics", "http"): HttpMetricExporter,
    ("logs", "grpc"): GrpcLogExporter, ("logs", "http"): HttpLogExporter,
}
_CLASSES: dict = {}


def _recording_class(base):
    """A subclass of `base` that keeps every (batch, result) it exported."""
    if base not in _CLASSES:
        class Recording(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.exports = []

            def export(self, batch, *args, **kwargs):
                result = super().export(batch, *args, **kwargs)
                self.exports.append((batch, result))
                return result

        Recording.__name__ = "Recording" + base.__name__
        _CLASSES[base] = Recording
    return _CLASSES[base]


def make_exporter(server: VigilServer, signal: str, transport: str, gzip: bool = False, **kwargs):
    """An OTLP exporter of the SDK for `signal` over `transport`; `.exports` lists (batch, result)."""
    cls = _recording_class(_EXPORTERS[(signal, transport)])
    if transport == "grpc":
        compression = GrpcCompression.Gzip if gzip else GrpcCompression.NoCompression
        return cls(endpoint=server.grpc_target, insecure=True, timeout=10, compression=compression, **kwargs)
    compression = HttpCompression.Gzip if gzip else HttpCompression.NoCompression
    return cls(endpoint=f"{server.http_url}/v1/{signal}", timeout=10, compression=compression, **kwargs)


def assert_all_exported(exporter) -> None:
    assert exporter.exports, "the SDK exported nothing"
    failed = [(type(batch).__name__, result) for batch, result in exporter.exports if result.name != "SUCCESS"]
    assert not failed, f"exports Vigil did not accept: {failed}"
