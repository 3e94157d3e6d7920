"""What the rules tests share: a vigil.yaml with rule files and an Alertmanager file, spans sent
with the OpenTelemetry SDK, and readers of the rules API and of /metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import requests
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

from sdk_helpers import assert_all_exported, make_exporter

WEBHOOK_ROUTE = """
route:
  receiver: hook
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {url}/hook
"""


def write_config(directory: Path, rules: dict[str, str], alertmanager_yml: str, rules_section: str = "") -> Path:
    """directory/vigil.yaml naming `rules/*.yaml` (each of `rules` written there) and alertmanager.yml."""
    (directory / "rules").mkdir(parents=True, exist_ok=True)
    for name, text in rules.items():
        (directory / "rules" / name).write_text(text)
    (directory / "alertmanager.yml").write_text(alertmanager_yml)
    text = ("rule_files:\n  - rules/*.yaml\nalerting:\n  config_file: alertmanager.yml\n"
            "  external_url: http://vigil.example:8080\n" + rules_section)
    path = directory / "vigil.yaml"
    path.write_text(text)
    return path


def send_spans(server, service: str, operation: str, ok: int, errors: int) -> list[str]:
    """`ok` successful and `errors` failed server spans of `service`, each its own trace, sent
    through the SDK's OTLP/HTTP exporter; returns the failed spans' trace IDs (hex)."""
    exporter = make_exporter(server, "traces", "http")
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("vigil-interop-rules")
    failed = []
    for index in range(ok + errors):
        span = tracer.start_span(operation, kind=SpanKind.SERVER)
        if index >= ok:
            span.set_status(Status(StatusCode.ERROR, "payment declined"))
            failed.append(format(span.get_span_context().trace_id, "032x"))
        span.end()
    provider.shutdown()
    assert_all_exported(exporter)
    return failed


def rules_api(server, path: str, **params) -> dict:
    answer = requests.get(server.api_url + path, params=params, timeout=10)
    assert answer.status_code == 200, f"GET {path}: {answer.status_code} {answer.text}"
    return answer.json()


def rule_alerts(server) -> list[dict]:
    document = rules_api(server, "/api/v1/alerts")
    assert document["status"] == "success"
    return document["data"]["alerts"]


def rules_by_name(server) -> dict[str, dict]:
    groups = rules_api(server, "/api/v1/rules")["data"]["groups"]
    return {rule["name"] + "/" + rule.get("window", ""): rule for group in groups for rule in group["rules"]}


def metric_value(server, name: str) -> float | None:
    """The value of an unlabelled sample of GET /metrics, or None when absent."""
    text = requests.get(server.api_url + "/metrics", timeout=10).text
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def firing_notifications(recorder, alertname: str) -> list:
    return [r for r in recorder.snapshot()
            if r.json and r.json.get("status") == "firing" and r.json["commonLabels"].get("alertname") == alertname]


def dumps(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True)
