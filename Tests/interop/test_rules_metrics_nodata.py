"""Metric and no-data rules evaluated by `vigil serve` over what the OpenTelemetry SDK sent: a
counter's increase over the window, and the freshness of spans selected by resource attributes."""

from __future__ import annotations

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

from alerting_helpers import eventually
from rules_helpers import WEBHOOK_ROUTE, rule_alerts, write_config
from sdk_helpers import assert_all_exported, make_exporter

RULES = """
groups:
  - name: shop
    interval: 1s
    rules:
      - alert: OrdersSurge
        metric: {name: shop.orders, service: shop, measure: increase, window: 10m, by: [service, region], threshold: '> 5'}
        annotations:
          summary: '{{ $value }} orders in {{ $labels.region }}'
      - alert: ProdTracesMissing
        no_data: {signal: traces, service: shop, matchers: ['deployment.environment="prod"'], absent_for: 5m}
      - alert: StagingTracesMissing
        no_data: {signal: traces, service: shop, matchers: ['deployment.environment="staging"'], absent_for: 5m}
"""


def send(server) -> None:
    """Spans first, then metrics: a rule round that sees the metrics also sees the spans, which
    were committed before, so no round can show the staging spans missing once OrdersSurge fires."""
    resource = Resource.create({"service.name": "shop", "deployment.environment": "staging"})
    spans = make_exporter(server, "traces", "http")
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    tracer_provider.get_tracer("vigil-interop-rules").start_span("GET /cart", kind=SpanKind.SERVER).end()
    tracer_provider.shutdown()
    assert_all_exported(spans)

    exporter = make_exporter(server, "metrics", "http")
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
    meters = MeterProvider(resource=resource, metric_readers=[reader])
    orders = meters.get_meter("vigil-interop-rules").create_counter("shop.orders")
    orders.add(7, {"region": "eu"})
    orders.add(2, {"region": "us"})
    meters.force_flush()
    meters.shutdown()
    assert_all_exported(exporter)


def test_metric_and_no_data_rules_over_sdk_telemetry(server_factory, tmp_path):
    config = write_config(tmp_path, {"shop.yaml": RULES}, WEBHOOK_ROUTE.format(url="http://127.0.0.1:9"))
    server = server_factory.start(config_path=config)
    send(server)

    def by_name():
        return {(a["labels"]["alertname"], a["labels"].get("region", "")): a for a in rule_alerts(server)}

    alerts = eventually(lambda: by_name() if ("OrdersSurge", "eu") in by_name() else None, 30, "OrdersSurge", server.log_text)
    # eu grew by 7 (> 5); us by 2 does not alert.
    assert alerts[("OrdersSurge", "eu")]["annotations"]["summary"] == "7 orders in eu"
    assert ("OrdersSurge", "us") not in alerts
    # Only staging spans arrived: prod has none in the last 24 hours, staging is fresh.
    assert alerts[("ProdTracesMissing", "")]["value"] == "+Inf"
    assert ("StagingTracesMissing", "") not in alerts
